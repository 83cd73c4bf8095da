//! Namespace strategy: the `kubernetes.io/metadata.name` label, `spec.finalizers: [kubernetes]`
//! and phase Active on create, finalizers/status kept on update, validation of names and finalizers.

use super::json::{arr_at, as_obj, child, str_at};
use super::meta::{NameRule, validate_object_meta};
use super::validation::{invalids, is_qualified_name};
use crate::status::FieldError;
use serde_json::{Value, json};

pub const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// `SetDefaults_Namespace` / `Canonicalize`: the name label always equals the name.
pub fn set_name_label(obj: &mut Value) {
    let name = str_at(obj, "metadata/name").to_string();
    if name.is_empty() {
        return;
    }
    let meta = child(as_obj(obj), "metadata");
    child(meta, "labels").insert(NAME_LABEL.into(), Value::String(name));
}

pub fn prepare_create(obj: &mut Value) {
    let m = as_obj(obj);
    m.insert("status".into(), json!({"phase": "Active"}));
    let spec = child(m, "spec");
    let fins = spec.entry("finalizers").or_insert(json!([]));
    if !fins.is_array() {
        *fins = json!([]);
    }
    if let Some(a) = fins.as_array_mut()
        && !a.iter().any(|f| f.as_str() == Some("kubernetes"))
    {
        a.push(json!("kubernetes"));
    }
    set_name_label(obj);
}

pub fn prepare_update(new: &mut Value, old: &Value) {
    let m = as_obj(new);
    let old_fins = old.get("spec").and_then(|s| s.get("finalizers")).cloned();
    let spec = child(m, "spec");
    match old_fins {
        Some(f) => spec.insert("finalizers".into(), f),
        None => spec.remove("finalizers"),
    };
    if let Some(st) = old.get("status") {
        m.insert("status".into(), st.clone());
    }
    set_name_label(new);
}

/// `validateFinalizerName` of core: qualified, or one of the standard names.
fn validate_finalizer(name: &str) -> Vec<String> {
    let mut msgs = is_qualified_name(name);
    if !name.contains('/') && !matches!(name, "kubernetes" | "orphan" | "foregroundDeletion") {
        msgs.push("name is neither a standard finalizer name nor is it fully qualified".into());
    }
    msgs
}

pub fn validate(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Label);
    for f in arr_at(obj, "spec/finalizers") {
        errs.extend(invalids(
            "spec.finalizers",
            f,
            validate_finalizer(f.as_str().unwrap_or("")),
        ));
    }
    errs
}

/// `ValidateNamespaceStatusUpdate` (phase must match the deletion state).
pub fn validate_status_update(new: &Value) -> Vec<FieldError> {
    let phase = str_at(new, "status/phase");
    let deleting = !str_at(new, "metadata/deletionTimestamp").is_empty();
    match (deleting, phase) {
        (false, p) if p != "Active" => {
            vec![FieldError::invalid(
                "status.Phase",
                p,
                "may only be 'Active' if `deletionTimestamp` is empty",
            )]
        }
        (true, p) if p != "Terminating" => {
            vec![FieldError::invalid(
                "status.Phase",
                p,
                "may only be 'Terminating' if `deletionTimestamp` is not empty",
            )]
        }
        _ => vec![],
    }
}
