//! Discovery documents rendered from the registry, field for field as kube-apiserver writes
//! them: `APIVersions`, `APIResourceList`, `APIGroupList`/`APIGroup`, aggregated discovery
//! (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`) and the `/openapi/v3` index.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};

use super::{GroupEntry, Registry, ResourceInfo};

/// Paths of the `/openapi/v3` index that are not API groups.
const OPENAPI_V3_EXTRA_PATHS: [&str; 3] = [
    ".well-known/openid-configuration",
    "openid/v1/jwks",
    "version",
];

/// Media type of aggregated discovery responses (`Content-Type` of `/api` and `/apis` when the
/// client asks for it).
pub const AGGREGATED_DISCOVERY_CONTENT_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

fn group_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.clone())).collect())
}

/// `APIResource` entries of one resource: the resource itself, then `<plural>/<sub>` entries.
fn api_resources(r: &ResourceInfo, out: &mut Vec<Value>) {
    let mut m = Map::new();
    m.insert("name".into(), json!(r.plural));
    m.insert("singularName".into(), json!(r.singular));
    m.insert("namespaced".into(), json!(r.namespaced));
    m.insert("kind".into(), json!(r.kind));
    m.insert("verbs".into(), strings(&r.verbs));
    if !r.short_names.is_empty() {
        m.insert("shortNames".into(), strings(&r.short_names));
    }
    if !r.categories.is_empty() {
        m.insert("categories".into(), strings(&r.categories));
    }
    if let Some(h) = &r.storage_version_hash {
        m.insert("storageVersionHash".into(), json!(h));
    }
    out.push(Value::Object(m));
    for s in &r.subresources {
        let mut m = Map::new();
        m.insert("name".into(), json!(format!("{}/{}", r.plural, s.name)));
        m.insert("singularName".into(), json!(""));
        m.insert("namespaced".into(), json!(r.namespaced));
        if let Some(g) = &s.group {
            m.insert("group".into(), json!(g));
        }
        if let Some(v) = &s.version {
            m.insert("version".into(), json!(v));
        }
        m.insert("kind".into(), json!(s.kind));
        m.insert("verbs".into(), strings(&s.verbs));
        out.push(Value::Object(m));
    }
}

/// `APIResourceDiscovery` of one resource (aggregated discovery).
fn discovery_resource(r: &ResourceInfo) -> Value {
    let mut m = Map::new();
    m.insert("resource".into(), json!(r.plural));
    m.insert(
        "responseKind".into(),
        json!({"group": "", "version": "", "kind": r.kind}),
    );
    m.insert(
        "scope".into(),
        json!(if r.namespaced {
            "Namespaced"
        } else {
            "Cluster"
        }),
    );
    m.insert("singularResource".into(), json!(r.singular));
    m.insert("verbs".into(), strings(&r.verbs));
    if !r.short_names.is_empty() {
        m.insert("shortNames".into(), strings(&r.short_names));
    }
    if !r.categories.is_empty() {
        m.insert("categories".into(), strings(&r.categories));
    }
    if !r.subresources.is_empty() {
        let subs: Vec<Value> = r
            .subresources
            .iter()
            .map(|s| {
                json!({
                    "subresource": s.name,
                    "responseKind": {
                        "group": s.group.clone().unwrap_or_default(),
                        "version": s.version.clone().unwrap_or_default(),
                        "kind": s.kind,
                    },
                    "verbs": strings(&s.verbs),
                })
            })
            .collect();
        m.insert("subresources".into(), Value::Array(subs));
    }
    Value::Object(m)
}

impl Registry {
    /// `GET /api`: the `APIVersions` of the core group.
    pub fn api_versions(&self, server_address: &str) -> Value {
        json!({
            "kind": "APIVersions",
            "versions": self.versions(""),
            "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
            ],
        })
    }

    /// `GET /api/v1` (group `""`) or `GET /apis/<group>/<version>`: the `APIResourceList`, or
    /// `None` when the group/version is not served. (`/api/v1` has no `apiVersion`, like the
    /// real server's.)
    pub fn resource_list(&self, group: &str, version: &str) -> Option<Value> {
        if !self.has_group_version(group, version) {
            return None;
        }
        let mut resources = Vec::new();
        for r in self.resources_of(group, version) {
            api_resources(r, &mut resources);
        }
        let mut m = Map::new();
        m.insert("kind".into(), json!("APIResourceList"));
        if !group.is_empty() {
            m.insert("apiVersion".into(), json!("v1"));
        }
        m.insert("groupVersion".into(), json!(group_version(group, version)));
        m.insert("resources".into(), Value::Array(resources));
        Some(Value::Object(m))
    }

    fn group_entry_json(g: &GroupEntry) -> Map<String, Value> {
        let versions: Vec<Value> = g
            .versions
            .iter()
            .map(|v| json!({"groupVersion": group_version(&g.name, &v.version), "version": v.version}))
            .collect();
        let preferred = versions.first().cloned().unwrap_or(Value::Null);
        let mut m = Map::new();
        m.insert("name".into(), json!(g.name));
        m.insert("versions".into(), Value::Array(versions));
        m.insert("preferredVersion".into(), preferred);
        m
    }

    fn named_groups(&self) -> impl Iterator<Item = &GroupEntry> {
        self.groups.iter().filter(|g| !g.name.is_empty())
    }

    /// `GET /apis`: the `APIGroupList` of every named group.
    pub fn group_list(&self) -> Value {
        let groups: Vec<Value> = self
            .named_groups()
            .map(|g| Value::Object(Self::group_entry_json(g)))
            .collect();
        json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
    }

    /// `GET /apis/<group>`: the `APIGroup`, or `None` for an unknown (or the core) group.
    pub fn group(&self, group: &str) -> Option<Value> {
        let g = self.named_groups().find(|g| g.name == group)?;
        let mut m = Map::new();
        m.insert("kind".into(), json!("APIGroup"));
        m.insert("apiVersion".into(), json!("v1"));
        m.extend(Self::group_entry_json(g));
        Some(Value::Object(m))
    }

    fn aggregated_group(&self, g: &GroupEntry) -> Value {
        let versions: Vec<Value> = g
            .versions
            .iter()
            .map(|v| {
                let resources: Vec<Value> = v
                    .resources
                    .iter()
                    .map(|&i| discovery_resource(&self.resources[i]))
                    .collect();
                json!({"version": v.version, "resources": resources, "freshness": "Current"})
            })
            .collect();
        let metadata = if g.name.is_empty() {
            json!({})
        } else {
            json!({"name": g.name})
        };
        json!({"metadata": metadata, "versions": versions})
    }

    fn aggregated_list(&self, items: Vec<Value>) -> Value {
        json!({
            "kind": "APIGroupDiscoveryList",
            "apiVersion": "apidiscovery.k8s.io/v2",
            "metadata": {},
            "items": items,
        })
    }

    /// `GET /api` with `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`.
    pub fn aggregated_core(&self) -> Value {
        let items = self.groups.iter().filter(|g| g.name.is_empty());
        self.aggregated_list(items.map(|g| self.aggregated_group(g)).collect())
    }

    /// `GET /apis` with `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`.
    pub fn aggregated_apis(&self) -> Value {
        self.aggregated_list(
            self.named_groups()
                .map(|g| self.aggregated_group(g))
                .collect(),
        )
    }

    /// The documents of the `/openapi/v3` index, sorted by path, each with its hash (128
    /// uppercase hex digits of a SHA-512 over the path and the discovery content it covers,
    /// so it changes whenever that API surface changes).
    pub fn openapi_v3_paths(&self) -> Vec<(String, String)> {
        let mut docs: Vec<(String, String)> = Vec::new();
        let core = self.groups.iter().find(|g| g.name.is_empty());
        docs.push(("api".into(), self.api_versions("").to_string()));
        for v in core.into_iter().flat_map(|g| g.versions.iter()) {
            let content = self.resource_list("", &v.version).unwrap_or_default();
            docs.push((format!("api/{}", v.version), content.to_string()));
        }
        docs.push(("apis".into(), self.group_list().to_string()));
        for g in self.named_groups() {
            let content = self.group(&g.name).unwrap_or_default();
            docs.push((format!("apis/{}", g.name), content.to_string()));
            for v in &g.versions {
                let content = self.resource_list(&g.name, &v.version).unwrap_or_default();
                docs.push((
                    format!("apis/{}/{}", g.name, v.version),
                    content.to_string(),
                ));
            }
        }
        for p in OPENAPI_V3_EXTRA_PATHS {
            docs.push((p.to_string(), String::new()));
        }
        let mut out: Vec<(String, String)> = docs
            .into_iter()
            .map(|(path, content)| {
                let mut h = Sha512::new();
                h.update(path.as_bytes());
                h.update([0u8]);
                h.update(content.as_bytes());
                let hex: String = h.finalize().iter().map(|b| format!("{b:02X}")).collect();
                (path, hex)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The hash the `/openapi/v3` index gives for `path` (e.g. `apis/apps/v1`).
    pub fn openapi_v3_hash(&self, path: &str) -> Option<String> {
        self.openapi_v3_paths()
            .into_iter()
            .find(|(p, _)| p == path)
            .map(|(_, h)| h)
    }

    /// `GET /openapi/v3`: `{"paths": {"<path>": {"serverRelativeURL": "/openapi/v3/<path>?hash=<HASH>"}}}`
    /// (served as `text/plain; charset=utf-8` by the real server).
    pub fn openapi_v3_index(&self) -> Value {
        let mut paths = Map::new();
        for (path, hash) in self.openapi_v3_paths() {
            paths.insert(
                path.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{path}?hash={hash}")}),
            );
        }
        json!({"paths": paths})
    }
}
