//! API discovery registry: every group/version/resource the simulated kube-apiserver v1.36 serves
//! (data from the real server in `data.json`), plus the optional `metrics.k8s.io` group, and the
//! discovery documents built from them (`/api`, `/apis`, aggregated discovery, `/openapi/v3`).

mod custom;
mod render;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use custom::{DynRegistry, version_order};
pub use render::AGGREGATED_DISCOVERY_CONTENT_TYPE;

use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The discovery data of the real kube-apiserver v1.36.2: groups in `/apis` order, each with its
/// versions (preferred first) and resources in discovery order.
const DATA: &str = include_str!("data.json");

/// The metrics API group, served only when the simulator runs a metrics API.
pub const METRICS_GROUP: &str = "metrics.k8s.io";
/// The one served version of [`METRICS_GROUP`].
pub const METRICS_VERSION: &str = "v1beta1";

/// A subresource (`pods/status`, `deployments/scale`) of a resource.
#[derive(Debug, Clone)]
pub struct SubresourceInfo {
    /// `status`, `scale`, `log`, ...
    pub name: String,
    /// The kind sent and received (`Scale`, `Pod`, `Eviction`).
    pub kind: String,
    /// Group of `kind` when it differs from the parent's group (`autoscaling` for `scale`).
    pub group: Option<String>,
    /// Version of `kind` when it differs from the parent's version.
    pub version: Option<String>,
    /// Verbs allowed on the subresource.
    pub verbs: Vec<String>,
}

/// One resource of one group/version as discovery lists it.
#[derive(Debug, Clone)]
pub struct ResourceInfo {
    /// API group, `""` for the core group.
    pub group: String,
    /// Version, e.g. `v1`.
    pub version: String,
    /// Plural resource name (`pods`).
    pub plural: String,
    /// Singular name (`pod`).
    pub singular: String,
    /// Kind (`Pod`).
    pub kind: String,
    /// Namespaced (true) or cluster-scoped (false).
    pub namespaced: bool,
    /// Verbs on the resource itself (`create`, `delete`, ...), sorted as discovery lists them.
    pub verbs: Vec<String>,
    /// Short names (`po`).
    pub short_names: Vec<String>,
    /// Categories (`all`).
    pub categories: Vec<String>,
    /// `storageVersionHash`, absent for resources that are not stored (reviews, bindings).
    pub storage_version_hash: Option<String>,
    /// Subresources in discovery order.
    pub subresources: Vec<SubresourceInfo>,
    /// What a custom resource needs beyond discovery (`None` for built-in resources).
    pub custom: Option<std::sync::Arc<crate::crd::CustomInfo>>,
}

impl ResourceInfo {
    /// `v1` for the core group, `<group>/<version>` otherwise.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether discovery lists `verb` for the resource itself.
    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    /// The subresource called `name`, if the resource has it.
    pub fn subresource(&self, name: &str) -> Option<&SubresourceInfo> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// Whether a name or short name refers to this resource (`pods`, `pod`, `po`, `Pod`), the
    /// way kubectl resolves resource arguments.
    pub fn matches_name(&self, name: &str) -> bool {
        self.plural == name
            || self.singular == name
            || self.kind.eq_ignore_ascii_case(name)
            || self.short_names.iter().any(|s| s == name)
    }
}

/// One served version of a group: indices into `Registry::resources`.
#[derive(Debug, Clone)]
struct VersionEntry {
    version: String,
    resources: Vec<usize>,
}

/// One API group (core is the group `""`), versions with the preferred one first.
#[derive(Debug, Clone)]
struct GroupEntry {
    name: String,
    versions: Vec<VersionEntry>,
}

/// The served API surface: lookups by resource and kind, and the discovery documents.
#[derive(Debug, Clone)]
pub struct Registry {
    /// Groups in `/apis` order; the core group `""` is the first entry.
    groups: Vec<GroupEntry>,
    resources: Vec<ResourceInfo>,
    by_resource: HashMap<(String, String, String), usize>,
    by_kind: HashMap<(String, String, String), usize>,
    with_metrics: bool,
}

impl Registry {
    /// The registry of kube-apiserver v1.36.2; `with_metrics` adds `metrics.k8s.io/v1beta1`
    /// (as metrics-server serves it) after the built-in groups.
    pub fn new(with_metrics: bool) -> Registry {
        let data: Value = serde_json::from_str(DATA).expect("discovery data.json is valid JSON");
        let mut groups_data: Vec<Value> = data["groups"].as_array().cloned().unwrap_or_default();
        if with_metrics {
            groups_data.push(metrics_group_data());
        }
        let mut reg = Registry {
            groups: Vec::new(),
            resources: Vec::new(),
            by_resource: HashMap::new(),
            by_kind: HashMap::new(),
            with_metrics,
        };
        for g in &groups_data {
            let name = str_of(&g["name"]);
            let mut versions = Vec::new();
            for v in g["versions"].as_array().into_iter().flatten() {
                let version = str_of(&v["version"]);
                let mut idx = Vec::new();
                for r in v["resources"].as_array().into_iter().flatten() {
                    let info = parse_resource(&name, &version, r);
                    let i = reg.resources.len();
                    reg.by_resource
                        .insert((name.clone(), version.clone(), info.plural.clone()), i);
                    reg.by_kind
                        .entry((name.clone(), version.clone(), info.kind.clone()))
                        .or_insert(i);
                    reg.resources.push(info);
                    idx.push(i);
                }
                versions.push(VersionEntry {
                    version,
                    resources: idx,
                });
            }
            reg.groups.push(GroupEntry { name, versions });
        }
        reg
    }

    /// Whether the optional metrics API is served.
    pub fn with_metrics(&self) -> bool {
        self.with_metrics
    }

    /// The resource `plural` of `group`/`version` (top-level resources only; see
    /// [`ResourceInfo::subresource`] for `pods/status` and the like).
    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<&ResourceInfo> {
        self.by_resource
            .get(&(group.to_string(), version.to_string(), plural.to_string()))
            .map(|&i| &self.resources[i])
    }

    /// The resource whose kind is `kind` in `group`/`version`.
    pub fn by_kind(&self, group: &str, version: &str, kind: &str) -> Option<&ResourceInfo> {
        self.by_kind
            .get(&(group.to_string(), version.to_string(), kind.to_string()))
            .map(|&i| &self.resources[i])
    }

    /// The resource of `group` named `name` (plural, singular, short name or kind) in the
    /// group's preferred version that has it.
    pub fn resolve(&self, group: &str, name: &str) -> Option<&ResourceInfo> {
        let g = self.group_entry(group)?;
        g.versions
            .iter()
            .flat_map(|v| v.resources.iter())
            .map(|&i| &self.resources[i])
            .find(|r| r.matches_name(name))
    }

    /// Whether the group is served (`""` is the core group).
    pub fn has_group(&self, group: &str) -> bool {
        self.group_entry(group).is_some()
    }

    /// Whether `group`/`version` is served.
    pub fn has_group_version(&self, group: &str, version: &str) -> bool {
        self.version_entry(group, version).is_some()
    }

    /// The served versions of a group, preferred first.
    pub fn versions(&self, group: &str) -> Vec<&str> {
        self.group_entry(group)
            .map(|g| g.versions.iter().map(|v| v.version.as_str()).collect())
            .unwrap_or_default()
    }

    /// The preferred version of a group.
    pub fn preferred_version(&self, group: &str) -> Option<&str> {
        self.group_entry(group)?
            .versions
            .first()
            .map(|v| v.version.as_str())
    }

    /// Every resource of every served group/version, core first, in discovery order.
    pub fn resources(&self) -> impl Iterator<Item = &ResourceInfo> {
        self.resources.iter()
    }

    /// The resources of one group/version in discovery order (empty when not served).
    pub fn resources_of(&self, group: &str, version: &str) -> Vec<&ResourceInfo> {
        self.version_entry(group, version)
            .map(|v| v.resources.iter().map(|&i| &self.resources[i]).collect())
            .unwrap_or_default()
    }

    fn group_entry(&self, group: &str) -> Option<&GroupEntry> {
        self.groups.iter().find(|g| g.name == group)
    }

    fn version_entry(&self, group: &str, version: &str) -> Option<&VersionEntry> {
        self.group_entry(group)?
            .versions
            .iter()
            .find(|v| v.version == version)
    }
}

/// `storageVersionHash` as kube-apiserver computes it: base64 of the first 8 bytes of
/// sha256(`<group>/<version>/<Kind>`) of the *storage* group/version/kind.
pub fn storage_version_hash(group: &str, version: &str, kind: &str) -> String {
    let digest = Sha256::digest(format!("{group}/{version}/{kind}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(&digest[..8])
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn strings_of(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_resource(group: &str, version: &str, r: &Value) -> ResourceInfo {
    let subresources = r["subresources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| SubresourceInfo {
            name: str_of(&s["name"]),
            kind: str_of(&s["kind"]),
            group: s["group"].as_str().map(str::to_string),
            version: s["version"].as_str().map(str::to_string),
            verbs: strings_of(&s["verbs"]),
        })
        .collect();
    ResourceInfo {
        group: group.to_string(),
        version: version.to_string(),
        plural: str_of(&r["name"]),
        singular: str_of(&r["singularName"]),
        kind: str_of(&r["kind"]),
        namespaced: r["namespaced"].as_bool().unwrap_or(false),
        verbs: strings_of(&r["verbs"]),
        short_names: strings_of(&r["shortNames"]),
        categories: strings_of(&r["categories"]),
        storage_version_hash: r["storageVersionHash"].as_str().map(str::to_string),
        subresources,
        custom: None,
    }
}

/// `metrics.k8s.io/v1beta1` as metrics-server serves it (read-only, not stored).
fn metrics_group_data() -> Value {
    serde_json::json!({
        "name": METRICS_GROUP,
        "versions": [{
            "version": METRICS_VERSION,
            "resources": [
                {"name": "nodes", "singularName": "node", "namespaced": false,
                 "kind": "NodeMetrics", "verbs": ["get", "list"]},
                {"name": "pods", "singularName": "pod", "namespaced": true,
                 "kind": "PodMetrics", "verbs": ["get", "list"]}
            ]
        }]
    })
}
