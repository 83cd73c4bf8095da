//! Parsing a request path into what the real apiserver's RequestInfoFactory extracts:
//! API group and version, namespace, resource, name, subresource.

/// A resource request (`/api/v1/...` or `/apis/{group}/{version}/...` below the version).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourcePath {
    pub group: String,
    pub version: String,
    /// Namespace from the path (`namespaces/{ns}/...`); empty when cluster-wide.
    pub namespace: String,
    pub resource: String,
    pub name: String,
    pub subresource: String,
    /// Path segments after the subresource (pod proxy paths).
    pub rest: Vec<String>,
}

/// What a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/api`
    CoreVersions,
    /// `/apis`
    Groups,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1`, `/apis/{group}/{version}`
    ResourceList {
        group: String,
        version: String,
    },
    Resource(ResourcePath),
    /// `/version`, `/healthz`, ... and anything else that is not an API path
    Other(String),
}

/// Namespace subresources that are not resources in their own right.
const NAMESPACE_SUBRESOURCES: &[&str] = &["status", "finalize"];

/// Split the (already percent-decoded by the HTTP layer) path.
pub fn parse(path: &str) -> Target {
    let trimmed = path.trim_matches('/');
    let parts: Vec<&str> = if trimmed.is_empty() {
        vec![]
    } else {
        trimmed.split('/').collect()
    };
    let (group, version, rest) = match parts.as_slice() {
        ["api"] => return Target::CoreVersions,
        ["apis"] => return Target::Groups,
        ["apis", g] => return Target::Group((*g).to_string()),
        ["api", v] => {
            return Target::ResourceList {
                group: String::new(),
                version: (*v).to_string(),
            };
        }
        ["apis", g, v] => {
            return Target::ResourceList {
                group: (*g).to_string(),
                version: (*v).to_string(),
            };
        }
        ["api", v, rest @ ..] => (String::new(), (*v).to_string(), rest),
        ["apis", g, v, rest @ ..] => ((*g).to_string(), (*v).to_string(), rest),
        _ => return Target::Other(format!("/{trimmed}")),
    };
    let mut rp = ResourcePath {
        group,
        version,
        ..Default::default()
    };
    let mut cur: &[&str] = rest;
    if cur.first() == Some(&"namespaces") && cur.len() > 1 {
        rp.namespace = cur[1].to_string();
        if cur.len() > 2 && !NAMESPACE_SUBRESOURCES.contains(&cur[2]) {
            cur = &cur[2..];
        } else {
            // `namespaces/{name}[/status|finalize]`: the namespace object itself.
            rp.resource = "namespaces".into();
            rp.name = cur[1].to_string();
            rp.namespace = String::new();
            if cur.len() > 2 {
                rp.subresource = cur[2].to_string();
                rp.rest = cur[3..].iter().map(|s| s.to_string()).collect();
            }
            return Target::Resource(rp);
        }
    }
    if let Some(r) = cur.first() {
        rp.resource = (*r).to_string();
    }
    if let Some(n) = cur.get(1) {
        rp.name = (*n).to_string();
    }
    if let Some(s) = cur.get(2) {
        rp.subresource = (*s).to_string();
    }
    if cur.len() > 3 {
        rp.rest = cur[3..].iter().map(|s| s.to_string()).collect();
    }
    Target::Resource(rp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(path: &str) -> ResourcePath {
        match parse(path) {
            Target::Resource(r) => r,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn parses_namespaced_and_cluster_paths() {
        let r = res("/api/v1/namespaces/ns/pods/web/log");
        assert_eq!(
            (
                r.namespace.as_str(),
                r.resource.as_str(),
                r.name.as_str(),
                r.subresource.as_str()
            ),
            ("ns", "pods", "web", "log")
        );
        let r = res("/apis/apps/v1/namespaces/ns/deployments/web/scale");
        assert_eq!(
            (r.group.as_str(), r.subresource.as_str()),
            ("apps", "scale")
        );
        let r = res("/api/v1/namespaces/ns");
        assert_eq!(
            (r.resource.as_str(), r.name.as_str(), r.namespace.as_str()),
            ("namespaces", "ns", "")
        );
        let r = res("/api/v1/namespaces/ns/finalize");
        assert_eq!(
            (r.name.as_str(), r.subresource.as_str()),
            ("ns", "finalize")
        );
        let r = res("/api/v1/pods");
        assert_eq!((r.resource.as_str(), r.namespace.as_str()), ("pods", ""));
        let r = res("/api/v1/namespaces");
        assert_eq!(r.resource, "namespaces");
        let r = res("/api/v1/namespaces/ns/pods/web/proxy/a/b");
        assert_eq!(r.rest, vec!["a", "b"]);
        assert_eq!(parse("/apis"), Target::Groups);
        assert_eq!(parse("/nosuch/path"), Target::Other("/nosuch/path".into()));
    }
}
