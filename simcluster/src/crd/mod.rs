//! Custom resources (apiextensions-apiserver): a CustomResourceDefinition's defaults and
//! validation, the discovery entries of its served versions, the strategy of its objects
//! (generation, status subresource) and the establishing controller (`controller`).

pub mod controller;
pub mod openapi;
mod prune;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::discovery::{ResourceInfo, SubresourceInfo};
use crate::resources::json::{arr_at, as_obj, child, semantic_eq, str_at};
use crate::status::FieldError;

pub use prune::prune;

/// The group of CustomResourceDefinitions.
pub const GROUP: &str = "apiextensions.k8s.io";
/// The finalizer a deleted CRD keeps until its objects are removed.
pub const CLEANUP_FINALIZER: &str = "customresourcecleanup.apiextensions.k8s.io";
/// Storage resource of CustomResourceDefinitions.
pub const STORAGE: &str = "apiextensions.k8s.io/customresourcedefinitions";

/// An `additionalPrinterColumns` entry of a served version.
#[derive(Debug, Clone, PartialEq)]
pub struct PrinterColumn {
    pub name: String,
    pub typ: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    pub json_path: String,
}

/// What the API needs to serve one version of a custom resource beyond its discovery entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomInfo {
    /// Whether `status` is a subresource (writes to the main resource keep the old status).
    pub status_subresource: bool,
    /// The Table columns after `Name` (`Age` when the version declares none).
    pub columns: Vec<PrinterColumn>,
    /// `openAPIV3Schema` of the version (unknown fields are pruned by it).
    pub schema: Value,
    /// `selectableFields` as field selector names (`spec.color`).
    pub selectable_fields: Vec<String>,
    /// The `scale` subresource: JSON pointers of spec and status replicas and of the label
    /// selector (`/spec/replicas`, `/status/replicas`, `/status/selector`).
    pub scale: Option<ScalePaths>,
}

/// Where a custom resource keeps what its `Scale` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalePaths {
    pub spec_replicas: String,
    pub status_replicas: String,
    pub label_selector: Option<String>,
}

/// `.spec.replicas` → `/spec/replicas`.
fn pointer(json_path: &str) -> String {
    json_path.replace('.', "/")
}

/// Default `Age` column of a version without `additionalPrinterColumns`.
fn age_column() -> PrinterColumn {
    PrinterColumn {
        name: "Age".into(),
        typ: "date".into(),
        format: String::new(),
        description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata".into(),
        priority: 0,
        json_path: ".metadata.creationTimestamp".into(),
    }
}

/// `SetDefaults` of a CustomResourceDefinition (v1): singular, listKind, conversion.
pub fn defaults(obj: &mut Value) {
    let spec = child(as_obj(obj), "spec");
    let names = child(spec, "names");
    let kind = names
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if names
        .get("singular")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        names.insert("singular".into(), json!(kind.to_lowercase()));
    }
    if names
        .get("listKind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
        && !kind.is_empty()
    {
        names.insert("listKind".into(), json!(format!("{kind}List")));
    }
    if !spec.contains_key("conversion") {
        spec.insert("conversion".into(), json!({"strategy": "None"}));
    }
}

/// The validation of a CustomResourceDefinition that a user meets first.
pub fn validate(obj: &Value) -> Vec<FieldError> {
    let mut errs = crate::resources::meta::validate_object_meta(
        obj,
        crate::resources::meta::NameRule::Subdomain,
    );
    let group = str_at(obj, "spec/group");
    let plural = str_at(obj, "spec/names/plural");
    let name = str_at(obj, "metadata/name");
    if !name.is_empty() && name != format!("{plural}.{group}") {
        errs.push(FieldError::invalid(
            "metadata.name",
            name,
            "must be spec.names.plural+\".\"+spec.group",
        ));
    }
    if group.is_empty() {
        errs.push(FieldError::required("spec.group", ""));
    } else if !group.contains('.') {
        errs.push(FieldError::invalid(
            "spec.group",
            group,
            "should be a domain with at least one dot",
        ));
    }
    for (field, v) in [("plural", plural), ("kind", str_at(obj, "spec/names/kind"))] {
        if v.is_empty() {
            errs.push(FieldError::required(format!("spec.names.{field}"), ""));
        }
    }
    let scope = str_at(obj, "spec/scope");
    if !matches!(scope, "Namespaced" | "Cluster") {
        errs.push(FieldError::not_supported(
            "spec.scope",
            scope,
            &["Cluster", "Namespaced"],
        ));
    }
    let versions = arr_at(obj, "spec/versions");
    if versions.is_empty() {
        errs.push(FieldError::invalid(
            "spec.versions",
            Value::Null,
            "must have exactly one version marked as storage version",
        ));
    } else if versions
        .iter()
        .filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .count()
        != 1
    {
        errs.push(FieldError::invalid(
            "spec.versions",
            Value::Array(versions.to_vec()),
            "must have exactly one version marked as storage version",
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if str_at(v, "name").is_empty() {
            errs.push(FieldError::required(format!("spec.versions[{i}].name"), ""));
        }
        if v.pointer("/schema/openAPIV3Schema").is_none() {
            errs.push(FieldError::required(
                format!("spec.versions[{i}].schema.openAPIV3Schema"),
                "schemas are required",
            ));
        }
    }
    errs
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Whether the CRD is established (its names accepted): only then are its resources served.
pub fn established(crd: &Value) -> bool {
    arr_at(crd, "status/conditions")
        .iter()
        .any(|c| str_at(c, "type") == "Established" && str_at(c, "status") == "True")
        && crd.pointer("/metadata/deletionTimestamp").is_none()
}

/// The served versions of an established CRD as discovery entries (group, version, resource),
/// in the CRD's version order.
pub fn served(crd: &Value) -> Vec<ResourceInfo> {
    let group = str_at(crd, "spec/group").to_string();
    let names = crd
        .pointer("/status/acceptedNames")
        .filter(|n| n.get("plural").is_some())
        .or_else(|| crd.pointer("/spec/names"))
        .cloned()
        .unwrap_or_default();
    let kind = str_at(&names, "kind").to_string();
    let storage_version = arr_at(crd, "spec/versions")
        .iter()
        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .map(|v| str_at(v, "name").to_string())
        .unwrap_or_default();
    let hash = crate::discovery::storage_version_hash(&group, &storage_version, &kind);
    arr_at(crd, "spec/versions")
        .iter()
        .filter(|v| v.get("served").and_then(Value::as_bool) == Some(true))
        .map(|v| {
            let version = str_at(v, "name").to_string();
            let status_subresource = v.pointer("/subresources/status").is_some();
            let mut columns: Vec<PrinterColumn> = arr_at(v, "additionalPrinterColumns")
                .iter()
                .map(|c| PrinterColumn {
                    name: str_at(c, "name").into(),
                    typ: str_at(c, "type").into(),
                    format: str_at(c, "format").into(),
                    description: str_at(c, "description").into(),
                    priority: c.get("priority").and_then(Value::as_i64).unwrap_or(0),
                    json_path: str_at(c, "jsonPath").into(),
                })
                .collect();
            if columns.is_empty() {
                columns.push(age_column());
            }
            let scale = v.pointer("/subresources/scale").map(|sc| ScalePaths {
                spec_replicas: pointer(str_at(sc, "specReplicasPath")),
                status_replicas: pointer(str_at(sc, "statusReplicasPath")),
                label_selector: sc
                    .get("labelSelectorPath")
                    .and_then(Value::as_str)
                    .map(pointer),
            });
            let mut subresources = Vec::new();
            if status_subresource {
                subresources.push(SubresourceInfo {
                    name: "status".into(),
                    kind: kind.clone(),
                    group: None,
                    version: None,
                    verbs: vec!["get".into(), "patch".into(), "update".into()],
                });
            }
            if scale.is_some() {
                subresources.push(SubresourceInfo {
                    name: "scale".into(),
                    kind: "Scale".into(),
                    group: Some("autoscaling".into()),
                    version: Some("v1".into()),
                    verbs: vec!["get".into(), "patch".into(), "update".into()],
                });
            }
            ResourceInfo {
                group: group.clone(),
                version,
                plural: str_at(&names, "plural").into(),
                singular: str_at(&names, "singular").into(),
                kind: kind.clone(),
                namespaced: str_at(crd, "spec/scope") == "Namespaced",
                verbs: [
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "create",
                    "update",
                    "watch",
                ]
                .map(String::from)
                .to_vec(),
                short_names: strings(&names, "shortNames"),
                categories: strings(&names, "categories"),
                storage_version_hash: Some(hash.clone()),
                subresources,
                custom: Some(Arc::new(CustomInfo {
                    status_subresource,
                    columns,
                    schema: v
                        .pointer("/schema/openAPIV3Schema")
                        .cloned()
                        .unwrap_or(Value::Null),
                    selectable_fields: arr_at(v, "selectableFields")
                        .iter()
                        .map(|f| str_at(f, "jsonPath").trim_start_matches('.').to_string())
                        .collect(),
                    scale,
                })),
            }
        })
        .collect()
}

/// PrepareForCreate of a custom resource: generation 1, no status with a status subresource.
pub fn prepare_create(info: &CustomInfo, obj: &mut Value) {
    let m = as_obj(obj);
    if info.status_subresource {
        m.remove("status");
    }
    child(m, "metadata").insert("generation".into(), json!(1));
}

/// PrepareForUpdate of a custom resource: the old status is kept with a status subresource;
/// generation goes up when anything but metadata (and status, with the subresource) changed.
pub fn prepare_update(info: &CustomInfo, new: &mut Value, old: &Value) {
    if info.status_subresource {
        match old.get("status") {
            Some(s) => as_obj(new).insert("status".into(), s.clone()),
            None => as_obj(new).remove("status"),
        };
    }
    let content = |v: &Value| -> Value {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["metadata", "kind", "apiVersion"] {
            m.remove(k);
        }
        if info.status_subresource {
            m.remove("status");
        }
        Value::Object(m)
    };
    let generation = crate::resources::json::i64_at(old, "metadata/generation").unwrap_or(1);
    let changed = !semantic_eq(Some(&content(new)), Some(&content(old)));
    child(as_obj(new), "metadata").insert(
        "generation".into(),
        json!(if changed { generation + 1 } else { generation }),
    );
}
