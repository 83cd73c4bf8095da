//! The proxy's authorization decision: what a caller may do with one parsed request, from its
//! tenants' namespaces and its role in each. Pure logic — the handler supplies the caller's
//! namespaces and whether the resource is namespaced (from discovery).

use std::collections::BTreeMap;

use api_types::portal::Role;

use super::path::{ApiRequest, ResourceRequest, Verb};

/// Who calls, as the proxy sees it.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub platform_admin: bool,
    /// Every namespace of the caller's tenants, with the caller's role in that tenant.
    pub namespaces: BTreeMap<String, Role>,
}

/// What the proxy does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Forward it unchanged.
    Forward,
    /// A list or watch across namespaces: answer it by asking each of these namespaces and
    /// merging (never by passing it cluster-wide).
    FanOut(Vec<String>),
    /// `GET /api/v1/namespaces` (list or watch): only the caller's namespaces.
    OwnNamespaces(Vec<String>),
    /// 403 with this message.
    Deny(String),
}

fn deny(msg: impl Into<String>) -> Decision {
    Decision::Deny(msg.into())
}

fn reads(verb: Verb) -> bool {
    matches!(verb, Verb::Get | Verb::List | Verb::Watch)
}

/// Decides `req` for `caller`; `namespaced` says whether `req.resource` is a namespaced kind.
pub fn authorize(caller: &Caller, req: &ApiRequest, namespaced: bool) -> Decision {
    let r = match req {
        ApiRequest::Discovery => return Decision::Forward,
        ApiRequest::Resource(r) => r,
    };
    if matches!(
        r.subresource.as_deref(),
        Some("exec" | "attach" | "portforward")
    ) {
        return deny(format!(
            "{} is not available through the portal yet",
            r.subresource.as_deref().unwrap_or_default()
        ));
    }
    if caller.platform_admin {
        return Decision::Forward;
    }
    match &r.namespace {
        Some(ns) => in_namespace(caller, r, ns),
        None if r.group.is_empty() && r.resource == "namespaces" => namespaces(caller, r),
        None if namespaced => {
            if matches!(r.verb, Verb::List | Verb::Watch) {
                Decision::FanOut(caller.namespaces.keys().cloned().collect())
            } else {
                deny(format!(
                    "{} can only be changed inside one of your namespaces",
                    r.resource
                ))
            }
        }
        None => deny(format!(
            "{} are cluster-wide; only platform admins may use them",
            r.resource
        )),
    }
}

/// The namespace objects themselves: listed filtered, read if the caller's, never changed here.
fn namespaces(caller: &Caller, r: &ResourceRequest) -> Decision {
    match (&r.name, r.verb) {
        (None, Verb::List | Verb::Watch) => {
            Decision::OwnNamespaces(caller.namespaces.keys().cloned().collect())
        }
        (Some(name), Verb::Get | Verb::Watch) if caller.namespaces.contains_key(name) => {
            Decision::Forward
        }
        (Some(name), v) if reads(v) => deny(format!(
            "namespace \"{name}\" is not one of your namespaces"
        )),
        _ => deny(
            "namespaces are created, changed and deleted through the portal (it keeps the tenant budget)",
        ),
    }
}

fn in_namespace(caller: &Caller, r: &ResourceRequest, ns: &str) -> Decision {
    let Some(role) = caller.namespaces.get(ns).copied() else {
        return deny(format!("namespace \"{ns}\" is not one of your namespaces"));
    };
    if reads(r.verb) {
        return Decision::Forward;
    }
    if let Some(sub @ ("status" | "binding" | "token" | "approval")) = r.subresource.as_deref() {
        return deny(format!(
            "{}/{sub} is written by the cluster, not through the portal",
            r.resource
        ));
    }
    let portal_owned =
        r.group.is_empty() && matches!(r.resource.as_str(), "resourcequotas" | "limitranges");
    if portal_owned {
        return deny(format!(
            "{} in \"{ns}\" are managed by the portal; ask for a quota change there",
            r.resource
        ));
    }
    let rbac = r.group == "rbac.authorization.k8s.io";
    let needed = if rbac {
        Role::TenantAdmin
    } else {
        Role::TenantMember
    };
    if role >= needed {
        Decision::Forward
    } else {
        deny(format!(
            "{} of {} in \"{ns}\" needs the {needed} role; you are {role}",
            r.verb.as_str(),
            r.resource
        ))
    }
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::super::path::parse;
    use super::*;

    fn caller() -> Caller {
        Caller {
            platform_admin: false,
            namespaces: [
                ("acme-dev".to_string(), Role::TenantMember),
                ("acme-prod".to_string(), Role::TenantViewer),
                ("acme-ops".to_string(), Role::TenantAdmin),
            ]
            .into(),
        }
    }

    fn decide(m: Method, p: &str, q: Option<&str>, namespaced: bool) -> Decision {
        authorize(&caller(), &parse(&m, p, q).unwrap(), namespaced)
    }

    fn denied(d: &Decision) -> bool {
        matches!(d, Decision::Deny(_))
    }

    #[test]
    fn own_namespaces_by_role() {
        assert_eq!(
            decide(Method::GET, "/api/v1/namespaces/acme-prod/pods", None, true),
            Decision::Forward
        );
        assert_eq!(
            decide(Method::POST, "/api/v1/namespaces/acme-dev/pods", None, true),
            Decision::Forward
        );
        assert!(denied(&decide(
            Method::POST,
            "/api/v1/namespaces/acme-prod/pods",
            None,
            true
        )));
        assert!(denied(&decide(
            Method::DELETE,
            "/apis/apps/v1/namespaces/acme-prod/deployments/web",
            None,
            true
        )));
        assert_eq!(
            decide(
                Method::PATCH,
                "/apis/apps/v1/namespaces/acme-dev/deployments/web/scale",
                None,
                true
            ),
            Decision::Forward
        );
        assert_eq!(
            decide(
                Method::GET,
                "/api/v1/namespaces/acme-prod/pods/p/log",
                Some("follow=true"),
                true
            ),
            Decision::Forward
        );
        // RBAC needs tenant-admin; quotas and limit ranges are the portal's.
        let rb = "/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/rolebindings";
        assert!(denied(&decide(Method::POST, rb, None, true)));
        assert_eq!(
            decide(
                Method::POST,
                &rb.replace("acme-dev", "acme-ops"),
                None,
                true
            ),
            Decision::Forward
        );
        assert!(denied(&decide(
            Method::PUT,
            "/api/v1/namespaces/acme-ops/resourcequotas/ku8portal-quota",
            None,
            true
        )));
        assert_eq!(
            decide(
                Method::GET,
                "/api/v1/namespaces/acme-ops/resourcequotas",
                None,
                true
            ),
            Decision::Forward
        );
        assert!(denied(&decide(
            Method::POST,
            "/api/v1/namespaces/acme-ops/pods/p/exec",
            None,
            true
        )));
    }

    #[test]
    fn other_namespaces_and_cluster_scope() {
        for (m, p) in [
            (Method::GET, "/api/v1/namespaces/kube-system/secrets"),
            (Method::GET, "/api/v1/namespaces/globex-web/pods/p/log"),
            (Method::GET, "/api/v1/namespaces/globex-web"),
            (Method::DELETE, "/api/v1/namespaces/acme-ops"),
            (Method::POST, "/api/v1/namespaces"),
            (Method::GET, "/api/v1/nodes"),
            (
                Method::GET,
                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            ),
            (Method::POST, "/api/v1/pods"),
        ] {
            let namespaced = p.ends_with("/pods") || p.contains("/secrets");
            assert!(denied(&decide(m.clone(), p, None, namespaced)), "{m} {p}");
        }
        let all = vec![
            "acme-dev".to_string(),
            "acme-ops".to_string(),
            "acme-prod".to_string(),
        ];
        assert_eq!(
            decide(Method::GET, "/api/v1/pods", Some("labelSelector=app"), true),
            Decision::FanOut(all.clone())
        );
        assert_eq!(
            decide(
                Method::GET,
                "/apis/apps/v1/deployments",
                Some("watch=1"),
                true
            ),
            Decision::FanOut(all.clone())
        );
        assert_eq!(
            decide(Method::GET, "/api/v1/namespaces", None, false),
            Decision::OwnNamespaces(all.clone())
        );
        assert_eq!(
            decide(Method::GET, "/api/v1/watch/namespaces", None, false),
            Decision::OwnNamespaces(all)
        );
        assert_eq!(
            decide(Method::GET, "/api/v1/namespaces/acme-dev", None, false),
            Decision::Forward
        );
        assert_eq!(
            decide(Method::GET, "/version", None, false),
            Decision::Forward
        );
    }

    #[test]
    fn platform_admins_pass_but_exec_is_off_for_everyone() {
        let admin = Caller {
            platform_admin: true,
            ..Default::default()
        };
        let nodes = parse(&Method::GET, "/api/v1/nodes", None).unwrap();
        assert_eq!(authorize(&admin, &nodes, false), Decision::Forward);
        let exec = parse(&Method::POST, "/api/v1/namespaces/x/pods/p/exec", None).unwrap();
        assert!(denied(&authorize(&admin, &exec, true)));
    }
}
