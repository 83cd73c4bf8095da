//! The API explorer's pure logic, tested on the host: the aggregated discovery documents
//! (`/api`, `/apis` as `APIGroupDiscoveryList`) read into groups → versions → listable
//! resources, the filter, the explorer's URLs (`/explorer/<group>/<version>/<resource>[/<name>]?ns=`,
//! the core group written `core`) and the proxy paths they read.

use serde_json::Value;

use crate::kinds::enc;

/// `Accept` of a list as the server's `Table` (kubectl's columns), JSON when it has none.
pub const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/// `Accept` of aggregated discovery.
pub const AGGREGATED: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// One resource that can be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Res {
    pub plural: String,
    pub kind: String,
    pub namespaced: bool,
}

/// One served version of a group with its listable resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: String,
    pub resources: Vec<Res>,
}

/// An API group (`""` is the core group), versions preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub versions: Vec<Version>,
}

/// The groups of an `APIGroupDiscoveryList` (resources without the `list` verb left out).
pub fn parse(doc: &Value) -> Vec<Group> {
    let items = doc["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    items
        .iter()
        .map(|g| Group {
            name: g["metadata"]["name"].as_str().unwrap_or("").to_string(),
            versions: g["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| Version {
                    version: v["version"].as_str().unwrap_or("").to_string(),
                    resources: v["resources"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|r| {
                            r["verbs"]
                                .as_array()
                                .is_some_and(|vs| vs.iter().any(|x| x == "list"))
                        })
                        .map(|r| Res {
                            plural: r["resource"].as_str().unwrap_or("").to_string(),
                            kind: r["responseKind"]["kind"].as_str().unwrap_or("").to_string(),
                            namespaced: r["scope"] == "Namespaced",
                        })
                        .collect(),
                })
                .filter(|v| !v.resources.is_empty())
                .collect(),
        })
        .filter(|g| !g.versions.is_empty())
        .collect()
}

/// The groups with only the resources matching every word of `q` (in the resource, its kind or
/// its group; case-insensitive); groups left empty are dropped.
pub fn filter(groups: &[Group], q: &str) -> Vec<Group> {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    retain(groups, |g, r| {
        let hay = format!("{} {} {}", r.plural, r.kind, label(&g.name)).to_lowercase();
        words.iter().all(|w| hay.contains(w.as_str()))
    })
}

/// What a tenant user may list: namespaced resources (in their namespaces) and the namespaces
/// themselves; other cluster-scoped resources are the platform admins' (the proxy refuses them),
/// so a tenant's tree leaves them out. Platform admins see everything.
pub fn readable(groups: &[Group], platform_admin: bool) -> Vec<Group> {
    if platform_admin {
        return groups.to_vec();
    }
    retain(groups, |g, r| {
        r.namespaced || g.name.is_empty() && r.plural == "namespaces"
    })
}

/// The resources `keep` accepts, without the versions and groups left empty.
fn retain(groups: &[Group], keep: impl Fn(&Group, &Res) -> bool) -> Vec<Group> {
    groups
        .iter()
        .filter_map(|g| {
            let versions: Vec<Version> = g
                .versions
                .iter()
                .filter_map(|v| {
                    let resources: Vec<Res> =
                        v.resources.iter().filter(|r| keep(g, r)).cloned().collect();
                    (!resources.is_empty()).then(|| Version {
                        version: v.version.clone(),
                        resources,
                    })
                })
                .collect();
            (!versions.is_empty()).then(|| Group {
                name: g.name.clone(),
                versions,
            })
        })
        .collect()
}

/// The group as written in explorer URLs and shown: `core` for the core group.
pub fn label(group: &str) -> &str {
    if group.is_empty() { "core" } else { group }
}

/// The group named by a URL segment (`core` → `""`).
pub fn group_of(segment: &str) -> String {
    if segment == "core" {
        String::new()
    } else {
        segment.to_string()
    }
}

/// The resource `group`/`version`/`plural` in `groups`.
pub fn find<'a>(groups: &'a [Group], group: &str, version: &str, plural: &str) -> Option<&'a Res> {
    groups
        .iter()
        .find(|g| g.name == group)?
        .versions
        .iter()
        .find(|v| v.version == version)?
        .resources
        .iter()
        .find(|r| r.plural == plural)
}

/// The proxy path of a list (`ns` for one namespace) or of one object (`name`).
pub fn proxy_path(
    group: &str,
    version: &str,
    plural: &str,
    ns: &str,
    name: Option<&str>,
) -> String {
    let mut p = if group.is_empty() {
        format!("/k8s/api/{}", enc(version))
    } else {
        format!("/k8s/apis/{}/{}", enc(group), enc(version))
    };
    if !ns.is_empty() {
        p.push_str(&format!("/namespaces/{}", enc(ns)));
    }
    p.push('/');
    p.push_str(&enc(plural));
    if let Some(n) = name {
        p.push('/');
        p.push_str(&enc(n));
    }
    p
}

/// The explorer page of a resource (`name`: one object), in namespace `ns` when not empty.
pub fn href(group: &str, version: &str, plural: &str, ns: &str, name: Option<&str>) -> String {
    let mut h = format!(
        "/explorer/{}/{}/{}",
        enc(label(group)),
        enc(version),
        enc(plural)
    );
    if let Some(n) = name {
        h.push('/');
        h.push_str(&enc(n));
    }
    if !ns.is_empty() {
        h.push_str("?ns=");
        h.push_str(&enc(ns));
    }
    h
}

/// What an explorer URL selects: nothing (empty `plural`), a resource, or one object (`name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sel {
    pub group: String,
    pub version: String,
    pub plural: String,
    pub name: String,
    /// `?ns=`: one namespace (empty: all the caller's).
    pub ns: String,
}

/// The selection of an explorer path (`/explorer/<group>/<version>/<resource>[/<name>]`,
/// segments percent-decoded; `ns` is left empty).
pub fn selection(path: &str) -> Sel {
    let rest = path.strip_prefix("/explorer").unwrap_or("");
    let mut parts = rest.split('/').filter(|s| !s.is_empty()).map(decode);
    let mut next = || parts.next().unwrap_or_default();
    let (group, version, plural, name) = (next(), next(), next(), next());
    Sel {
        group: group_of(&group),
        version,
        plural,
        name,
        ns: String::new(),
    }
}

/// `%XX` escapes decoded (invalid ones kept as they are).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One listed object: name, namespace (empty for cluster-scoped), creation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub namespace: String,
    pub created: String,
}

/// A list answer as rows: the server's columns after `Name` (priority 0, as `kubectl get`
/// shows them), or `Created At` for a plain list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub head: Vec<String>,
    /// (name, namespace, cells), sorted by namespace and name.
    pub rows: Vec<(String, String, Vec<String>)>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The rows of a `Table` (or, from another answer, of its items).
pub fn listing(answer: &Value) -> Listing {
    if answer["kind"] != "Table" {
        return Listing {
            head: vec!["Created At".into()],
            rows: items(answer)
                .into_iter()
                .map(|i| (i.name, i.namespace, vec![i.created]))
                .collect(),
        };
    }
    let cols: Vec<(usize, String)> = answer["columnDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, c)| c["priority"].as_i64().unwrap_or(0) == 0 && c["format"] != "name")
        .map(|(i, c)| (i, text(&c["name"])))
        .collect();
    let mut rows: Vec<(String, String, Vec<String>)> = answer["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let m = &r["object"]["metadata"];
            let cells = cols.iter().map(|(i, _)| text(&r["cells"][*i])).collect();
            (text(&m["name"]), text(&m["namespace"]), cells)
        })
        .collect();
    rows.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    Listing {
        head: cols.into_iter().map(|(_, n)| n).collect(),
        rows,
    }
}

/// The items of a list answer, sorted by namespace and name.
pub fn items(list: &Value) -> Vec<Item> {
    let mut out: Vec<Item> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let m = &o["metadata"];
            let s = |k: &str| m[k].as_str().unwrap_or("").to_string();
            Item {
                name: s("name"),
                namespace: s("namespace"),
                created: s("creationTimestamp"),
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    out
}

#[cfg(test)]
mod tests;
