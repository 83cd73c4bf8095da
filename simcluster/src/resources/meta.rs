//! ObjectMeta validation (`ValidateObjectMeta`, `ValidateObjectMetaUpdate`): name rules per kind,
//! generateName prefixes, labels, annotations, finalizers, owner references.

use super::json::{arr_at, at, obj_at, str_at};
use super::validation::{
    immutable, invalids, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain,
    is_qualified_name, is_valid_label_value, nonnegative,
};
use crate::status::FieldError;
use serde_json::{Map, Value};

/// Which validator a kind uses for `metadata.name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// RFC 1123 subdomain, up to 253 characters (most kinds).
    Subdomain,
    /// RFC 1123 label, up to 63 characters (Namespace).
    Label,
    /// RFC 1035 label (Service).
    Dns1035,
    /// Path segment: not `.`/`..`, no `/` or `%` (RBAC kinds).
    PathSegment,
}

pub fn name_rule(group: &str, kind: &str) -> NameRule {
    match (group, kind) {
        ("", "Namespace") => NameRule::Label,
        ("", "Service") => NameRule::Dns1035,
        ("rbac.authorization.k8s.io", _) => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

/// `maskTrailingDash`: generateName prefixes may end with a dash.
fn mask_trailing_dash(name: &str) -> String {
    if name.len() > 1 && name.ends_with('-') {
        format!("{}a", &name[..name.len() - 2])
    } else {
        name.to_string()
    }
}

/// Messages of the name validator (`prefix` for generateName).
pub fn validate_name(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    let name = if prefix && rule != NameRule::PathSegment {
        mask_trailing_dash(name)
    } else {
        name.to_string()
    };
    match rule {
        NameRule::Subdomain => is_dns1123_subdomain(&name),
        NameRule::Label => is_dns1123_label(&name),
        NameRule::Dns1035 => is_dns1035_label(&name),
        NameRule::PathSegment => {
            if !prefix && (name == "." || name == "..") {
                return vec![format!("may not be '{name}'")];
            }
            ["/", "%"]
                .iter()
                .filter(|c| name.contains(**c))
                .map(|c| format!("may not contain '{c}'"))
                .collect()
        }
    }
}

/// `ValidateLabels` at `field` (errors are not keyed, as in Go).
pub fn validate_labels(labels: Option<&Map<String, Value>>, field: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let Some(labels) = labels else { return errs };
    let mut keys: Vec<&String> = labels.keys().collect();
    keys.sort();
    for k in keys {
        errs.extend(invalids(
            field,
            &Value::String(k.clone()),
            is_qualified_name(k),
        ));
        let v = labels[k].as_str().unwrap_or("");
        errs.extend(invalids(
            field,
            &Value::String(v.to_string()),
            is_valid_label_value(v),
        ));
    }
    errs
}

/// `ValidateAnnotations`: qualified keys (case-insensitive) and a 256 KiB total size.
pub fn validate_annotations(ann: Option<&Map<String, Value>>, field: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let Some(ann) = ann else { return errs };
    let mut keys: Vec<&String> = ann.keys().collect();
    keys.sort();
    let mut total = 0usize;
    for k in keys {
        errs.extend(invalids(
            field,
            &Value::String(k.clone()),
            is_qualified_name(&k.to_lowercase()),
        ));
        total += k.len() + ann[k].as_str().map_or(0, str::len);
    }
    if total > 256 * 1024 {
        errs.push(FieldError::too_long(field, "", 256 * 1024));
    }
    errs
}

fn validate_owner_references(meta: &Value) -> Vec<FieldError> {
    let f = "metadata.ownerReferences";
    let mut errs = vec![];
    let mut controllers = vec![];
    for r in arr_at(meta, "ownerReferences") {
        let api_version = str_at(r, "apiVersion");
        let version = api_version.rsplit('/').next().unwrap_or("");
        if version.is_empty() {
            errs.push(FieldError::invalid(
                format!("{f}.apiVersion"),
                api_version,
                "version must not be empty",
            ));
        }
        for (k, msg) in [
            ("kind", "kind must not be empty"),
            ("name", "name must not be empty"),
            ("uid", "uid must not be empty"),
        ] {
            if str_at(r, k).is_empty() {
                errs.push(FieldError::invalid(format!("{f}.{k}"), "", msg));
            }
        }
        if at(r, "controller").and_then(Value::as_bool) == Some(true) {
            controllers.push(format!("{}/{}", str_at(r, "kind"), str_at(r, "name")));
        }
    }
    if controllers.len() > 1 {
        let v: Vec<Value> = arr_at(meta, "ownerReferences").to_vec();
        errs.push(FieldError::invalid(
            f,
            Value::Array(v),
            format!("Only one reference can have Controller set to true. Found \"true\" in references for {}", controllers.join(" and ")),
        ));
    }
    errs
}

fn validate_finalizers(meta: &Value) -> Vec<FieldError> {
    let f = "metadata.finalizers";
    let fins = arr_at(meta, "finalizers");
    let mut errs = vec![];
    for fin in fins {
        let s = fin.as_str().unwrap_or("");
        errs.extend(invalids(f, fin, is_qualified_name(s)));
    }
    let has = |n: &str| fins.iter().any(|x| x.as_str() == Some(n));
    if has("orphan") && has("foregroundDeletion") {
        errs.push(FieldError::invalid(
            f,
            Value::Array(fins.to_vec()),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// `ValidateObjectMeta` for a create. The namespace is only checked when present (the core sets it
/// from the URL for namespaced kinds and clears it for cluster-scoped ones).
pub fn validate_object_meta(obj: &Value, rule: NameRule) -> Vec<FieldError> {
    let empty = Value::Object(Map::new());
    let meta = at(obj, "metadata").unwrap_or(&empty);
    let mut errs = vec![];
    let gen_name = str_at(meta, "generateName");
    if !gen_name.is_empty() {
        errs.extend(invalids(
            "metadata.generateName",
            &Value::String(gen_name.into()),
            validate_name(rule, gen_name, true),
        ));
    }
    let name = str_at(meta, "name");
    if name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        errs.extend(invalids(
            "metadata.name",
            &Value::String(name.into()),
            validate_name(rule, name, false),
        ));
    }
    let ns = str_at(meta, "namespace");
    if !ns.is_empty() {
        errs.extend(invalids(
            "metadata.namespace",
            &Value::String(ns.into()),
            is_dns1123_label(ns),
        ));
    }
    errs.extend(nonnegative(
        "metadata.generation",
        at(meta, "generation").and_then(Value::as_i64),
    ));
    errs.extend(validate_labels(obj_at(meta, "labels"), "metadata.labels"));
    errs.extend(validate_annotations(
        obj_at(meta, "annotations"),
        "metadata.annotations",
    ));
    errs.extend(validate_owner_references(meta));
    errs.extend(validate_finalizers(meta));
    errs
}

/// `ValidateObjectMetaUpdate`: immutable identity fields, no new finalizers while deleting, labels,
/// annotations and owner references of the new object.
pub fn validate_object_meta_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let empty = Value::Object(Map::new());
    let nm = at(new, "metadata").unwrap_or(&empty);
    let om = at(old, "metadata").unwrap_or(&empty);
    let mut errs = vec![];
    if at(om, "deletionTimestamp").is_some() {
        let old_f = arr_at(om, "finalizers");
        for f in arr_at(nm, "finalizers") {
            if !old_f.contains(f) {
                errs.push(FieldError::forbidden(
                    "metadata.finalizers",
                    format!("no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}", render_go_str(f)),
                ));
            }
        }
    }
    let ng = at(nm, "generation").and_then(Value::as_i64).unwrap_or(0);
    let og = at(om, "generation").and_then(Value::as_i64).unwrap_or(0);
    if ng < og {
        errs.push(FieldError::invalid(
            "metadata.generation",
            ng,
            "must not be decremented",
        ));
    }
    for k in [
        "name",
        "namespace",
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ] {
        errs.extend(immutable(&format!("metadata.{k}"), at(nm, k), at(om, k)));
    }
    errs.extend(validate_labels(obj_at(nm, "labels"), "metadata.labels"));
    errs.extend(validate_annotations(
        obj_at(nm, "annotations"),
        "metadata.annotations",
    ));
    errs.extend(validate_owner_references(nm));
    errs
}

fn render_go_str(v: &Value) -> String {
    format!("{:?}", v.as_str().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generate_name_reports_prefix_and_name() {
        let obj = json!({"metadata": {"generateName": "Bad_Prefix-", "name": "Bad_Prefix-abcde"}});
        let errs = validate_object_meta(&obj, NameRule::Subdomain);
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].field, "metadata.generateName");
        assert_eq!(errs[1].field, "metadata.name");
        let errs = validate_object_meta(&json!({"metadata": {}}), NameRule::Subdomain);
        assert_eq!(
            errs[0].message(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert!(
            validate_object_meta(
                &json!({"metadata": {"generateName": "cfg-", "name": "cfg-x2b4z"}}),
                NameRule::Subdomain
            )
            .is_empty()
        );
    }

    #[test]
    fn path_segment_names() {
        assert_eq!(
            validate_name(NameRule::PathSegment, "a/b", false),
            vec!["may not contain '/'"]
        );
        assert_eq!(
            validate_name(NameRule::PathSegment, "..", false),
            vec!["may not be '..'"]
        );
        assert!(validate_name(NameRule::PathSegment, "system:admin", false).is_empty());
    }
}
