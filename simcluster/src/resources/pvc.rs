//! PersistentVolumeClaim strategy: `volumeMode: Filesystem`, phase Pending, the pvc-protection
//! finalizer, spec validation and the "spec is immutable after creation" rule (with the Go diff).

use super::difflib::unified_diff;
use super::gostruct::{marshal_indent, render_type, semantic_eq};
use super::json::{arr_at, as_obj, at, child, default, str_at};
use super::meta::{NameRule, validate_name, validate_object_meta};
use super::quantity::Quantity;
use super::validation::invalids;
use crate::status::FieldError;
use serde_json::{Value, json};

/// `SetDefaults_PersistentVolumeClaimSpec` (also used for StatefulSet claim templates).
pub fn spec_defaults(spec: &mut serde_json::Map<String, Value>) {
    default(spec, "volumeMode", json!("Filesystem"));
    child(spec, "resources");
}

pub fn defaults(obj: &mut Value) {
    spec_defaults(child(as_obj(obj), "spec"));
    let status = child(as_obj(obj), "status");
    if status
        .get("phase")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        status.insert("phase".into(), json!("Pending"));
    }
}

/// Status reset (phase Pending) and the `kubernetes.io/pvc-protection` finalizer of the
/// StorageObjectInUseProtection admission plugin.
pub fn prepare_create(obj: &mut Value) {
    let m = as_obj(obj);
    m.insert("status".into(), json!({"phase": "Pending"}));
    let meta = child(m, "metadata");
    let fins = meta.entry("finalizers").or_insert(json!([]));
    if !fins.is_array() {
        *fins = json!([]);
    }
    if let Some(a) = fins.as_array_mut()
        && !a
            .iter()
            .any(|f| f.as_str() == Some("kubernetes.io/pvc-protection"))
    {
        a.push(json!("kubernetes.io/pvc-protection"));
    }
}

/// `ValidatePersistentVolumeClaimSpec` at `f`.
pub fn validate_spec(spec: &Value, f: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let modes = arr_at(spec, "accessModes");
    if modes.is_empty() {
        errs.push(FieldError::required(
            format!("{f}.accessModes"),
            "at least 1 access mode is required",
        ));
    }
    let all = [
        "ReadOnlyMany",
        "ReadWriteMany",
        "ReadWriteOnce",
        "ReadWriteOncePod",
    ];
    let (mut rwop, mut other) = (false, false);
    for m in modes {
        let m = m.as_str().unwrap_or("");
        if !all.contains(&m) {
            errs.push(FieldError::not_supported(
                format!("{f}.accessModes"),
                m,
                &all,
            ));
        }
        if m == "ReadWriteOncePod" {
            rwop = true;
        } else if all.contains(&m) {
            other = true;
        }
    }
    if rwop && other {
        errs.push(FieldError::forbidden(
            format!("{f}.accessModes"),
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    let sp = format!("{f}.resources[storage]");
    match at(spec, "resources/requests/storage")
        .and_then(Value::as_str)
        .and_then(|s| Quantity::parse(s).ok())
    {
        None => errs.push(FieldError::required(&sp, "")),
        Some(q) if q <= Quantity::zero() => errs.push(FieldError::invalid(
            &sp,
            q.to_canonical_string(),
            "must be greater than zero",
        )),
        _ => {}
    }
    let class = str_at(spec, "storageClassName");
    if !class.is_empty() {
        errs.extend(invalids(
            &format!("{f}.storageClassName"),
            &json!(class),
            validate_name(NameRule::Subdomain, class, false),
        ));
    }
    if let Some(vm) = at(spec, "volumeMode")
        .and_then(Value::as_str)
        .filter(|m| !matches!(*m, "Block" | "Filesystem"))
    {
        errs.push(FieldError::not_supported(
            format!("{f}.volumeMode"),
            vm,
            &["Block", "Filesystem"],
        ));
    }
    errs
}

pub fn validate(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    errs.extend(validate_spec(
        at(obj, "spec").unwrap_or(&Value::Null),
        "spec",
    ));
    errs
}

pub fn validate_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = vec![];
    let empty = json!({});
    let mut old_spec = at(old, "spec").unwrap_or(&empty).clone();
    let mut new_spec = at(new, "spec").unwrap_or(&empty).clone();
    if str_at(old, "spec/volumeName").is_empty() {
        match new_spec.get("volumeName") {
            Some(v) => as_obj(&mut old_spec).insert("volumeName".into(), v.clone()),
            None => as_obj(&mut old_spec).remove("volumeName"),
        };
    }
    let bound = str_at(new, "status/phase") == "Bound";
    if bound && let Some(s) = at(old, "spec/resources/requests/storage") {
        child(child(as_obj(&mut new_spec), "resources"), "requests")
            .insert("storage".into(), s.clone());
    }
    {
        let k = "volumeAttributesClassName";
        match new_spec.get(k) {
            Some(v) => as_obj(&mut old_spec).insert(k.into(), v.clone()),
            None => as_obj(&mut old_spec).remove(k),
        };
    }
    let (o, n) = (
        render_type("PersistentVolumeClaimSpec", &old_spec),
        render_type("PersistentVolumeClaimSpec", &new_spec),
    );
    if !semantic_eq(&o, &n) {
        let diff = unified_diff(&marshal_indent(&o), &marshal_indent(&n), 3);
        errs.push(FieldError::forbidden(
            "spec",
            format!("spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{diff}"),
        ));
    }
    let q = |v: &Value| {
        at(v, "spec/resources/requests/storage")
            .and_then(Value::as_str)
            .and_then(|s| Quantity::parse(s).ok())
    };
    if let (Some(ns), Some(os)) = (q(new), q(old))
        && ns < os
        && bound
    {
        errs.push(FieldError::forbidden(
            "spec.resources.requests.storage",
            "field can not be less than previous value",
        ));
    }
    errs.extend(validate(new));
    errs
}
