//! Type knowledge of every built-in Kubernetes kind, taken from k8s-openapi's `schemars`
//! implementations (generated from the real Kubernetes OpenAPI spec): request-body checks
//! (unknown fields, Go decoder type errors) and the `/openapi/v2` and `/openapi/v3` documents.
//!
//! Everything is built lazily once, on first use.

mod check;
mod compile;
mod goparse;
mod openapi;
mod patch_meta;
mod paths;
pub mod registry;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{Value, json};

pub use openapi::V3Doc;
pub use registry::{KindInfo, Verbs};

/// Result of checking a decoded request body against the kind's schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldCheck {
    /// Unknown fields as kube-apiserver names them in `unknown field "<path>"`: dotted paths with
    /// list indexes, e.g. "spec", "spec.containers[0].imagePullPolice", "metadata.labelz" (map
    /// keys are path segments too). Order: the order they appear in the input document.
    pub unknown: Vec<String>,
    /// A decoding error in Go's wording, e.g. for a ConfigMap with data {"k": 5}:
    /// `json: cannot unmarshal number into Go struct field ConfigMap.data of type string`; also
    /// the errors of the custom decoders (invalid quantities, timestamps, base64 data).
    /// The real server reports it as `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>`
    /// and it takes precedence over unknown fields.
    pub type_error: Option<String>,
}

struct Schema {
    reg: registry::Registry,
    compiled: compile::Compiled,
    /// apiVersion -> kind -> definition name
    roots: HashMap<String, HashMap<String, String>>,
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let reg = registry::build();
    let compiled = compile::Compiled::build(&reg.defs);
    let mut roots: HashMap<String, HashMap<String, String>> = HashMap::new();
    for k in &reg.kinds {
        let by_kind = roots.entry(k.api_version()).or_default();
        by_kind.insert(k.kind.to_string(), k.def.clone());
        if let Some(list) = k.list_kind {
            by_kind.insert(list.to_string(), registry::list_def_name(k, list));
        }
    }
    for e in &reg.extra {
        let av = if e.group.is_empty() {
            e.version.to_string()
        } else {
            format!("{}/{}", e.group, e.version)
        };
        roots
            .entry(av)
            .or_default()
            .insert(e.kind.to_string(), e.def.clone());
    }
    Schema {
        reg,
        compiled,
        roots,
    }
});

static DOCS: LazyLock<openapi::Docs> = LazyLock::new(|| openapi::build(&SCHEMA.reg));

const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";

/// Check `obj` (a JSON object, already parsed) of `api_version`/`kind` (e.g. "v1"/"Pod",
/// "apps/v1"/"Deployment", also list kinds and "autoscaling/v1"/"Scale", "policy/v1"/"Eviction",
/// and "DeleteOptions" of any served group version or "meta.k8s.io/v1").
/// None when the kind is unknown to the schema (custom resources).
///
/// Quantity fields accept JSON strings that parse as quantities and numbers, IntOrString accepts
/// strings and int32 numbers, `null` is accepted anywhere (it means unset), Time/MicroTime are
/// RFC 3339 strings, RawExtension/JSON/FieldsV1 accept anything, `metadata` is ObjectMeta.
pub fn check(api_version: &str, kind: &str, obj: &Value) -> Option<FieldCheck> {
    let s = &*SCHEMA;
    let def = match s.roots.get(api_version).and_then(|m| m.get(kind)) {
        Some(def) => def.as_str(),
        None if kind == "DeleteOptions"
            && (api_version == "meta.k8s.io/v1" || s.roots.contains_key(api_version)) =>
        {
            DELETE_OPTIONS
        }
        None => return None,
    };
    check::check_def(&s.compiled, def, obj)
}

/// True when `api_version`/`kind` is a built-in kind known to the schema.
pub fn is_known_kind(api_version: &str, kind: &str) -> bool {
    SCHEMA
        .roots
        .get(api_version)
        .is_some_and(|m| m.contains_key(kind))
}

/// The served built-in resources (68 of them, as the recorded kube-apiserver v1.36 discovery).
pub fn kinds() -> &'static [KindInfo] {
    &SCHEMA.reg.kinds
}

/// OpenAPI v2 document (swagger 2.0) with definitions for all built-in kinds, each kind with
/// `x-kubernetes-group-version-kind`, and the paths of all resources.
pub fn openapi_v2() -> &'static Value {
    &DOCS.v2
}

/// [`openapi_v2`] serialized (about 2 MB), for serving `GET /openapi/v2` as application/json.
pub fn openapi_v2_json() -> &'static str {
    &DOCS.v2_json
}

/// OpenAPI v3 document for one path of the v3 index ("api/v1", "apis/apps/v1", also "api",
/// "apis", "apis/apps", "version", ...) with `components.schemas` named like the real server
/// ("io.k8s.api.core.v1.Pod"), `x-kubernetes-group-version-kind` extensions and the `paths` of
/// the resources. None for unknown paths.
pub fn openapi_v3(group_version_path: &str) -> Option<Value> {
    DOCS.v3.get(group_version_path).map(|d| d.value.clone())
}

/// The cached v3 document of a path with its serialization and hash (cheap to serve).
pub fn openapi_v3_doc(group_version_path: &str) -> Option<&'static V3Doc> {
    DOCS.v3.get(group_version_path)
}

/// Body of `GET /openapi/v3` (the real server answers it as `text/plain; charset=utf-8`):
/// `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=<HEX>"}, ...}}`.
pub fn openapi_v3_index() -> Value {
    let paths: serde_json::Map<String, Value> = DOCS
        .v3
        .iter()
        .map(|(p, d)| {
            (
                p.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", d.hash)}),
            )
        })
        .collect();
    json!({ "paths": paths })
}

#[cfg(test)]
mod tests;
