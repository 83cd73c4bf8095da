//! `ValidatePodUpdate`: container count and image rules, activeDeadlineSeconds, toleration and
//! scheduling-gate updates, and the "pod updates may not change fields other than ..." error with
//! the unified diff of the internal `core.PodSpec` structures as kube-apiserver prints it.

use super::difflib::unified_diff;
use super::gostruct::{marshal_indent, pod_spec, semantic_eq};
use super::json::{arr_at, at, i64_at, str_at};
use crate::status::FieldError;
use serde_json::{Value, json};

pub const UPDATABLE_FIELDS: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn container_updates(
    new: &Value,
    old: &Value,
    key: &str,
) -> Result<Vec<FieldError>, Vec<FieldError>> {
    let (n, o) = (
        arr_at(new, &format!("spec/{key}")),
        arr_at(old, &format!("spec/{key}")),
    );
    if n.len() != o.len() {
        return Err(vec![FieldError::forbidden(
            format!("spec.{key}"),
            "pod updates may not add or remove containers",
        )]);
    }
    let mut errs = vec![];
    for (i, c) in n.iter().enumerate() {
        let img = str_at(c, "image");
        if img.is_empty() {
            errs.push(FieldError::required(format!("spec.{key}[{i}].image"), ""));
        }
        if img.trim() != img {
            errs.push(FieldError::invalid(
                format!("spec.{key}[{i}].image"),
                img,
                "must not have leading or trailing whitespace",
            ));
        }
    }
    Ok(errs)
}

fn tolerations_equal_but_seconds(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("tolerationSeconds");
            o.retain(|_, x| !x.is_null() && x.as_str() != Some(""));
        }
        v
    };
    strip(old) == strip(new)
}

/// Pod-specific update rules (the caller adds the ObjectMeta update checks and the full pod
/// validation of the new object).
pub fn validate_pod_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = vec![];
    for key in ["containers", "initContainers"] {
        match container_updates(new, old, key) {
            Ok(e) => errs.extend(e),
            Err(e) => {
                errs.extend(e);
                return errs;
            }
        }
    }
    let (nad, oad) = (
        i64_at(new, "spec/activeDeadlineSeconds"),
        i64_at(old, "spec/activeDeadlineSeconds"),
    );
    match (nad, oad) {
        (Some(n), _) if !(0..=i32::MAX as i64).contains(&n) => {
            errs.push(FieldError::invalid(
                "spec.activeDeadlineSeconds",
                n,
                format!("must be between 0 and {}, inclusive", i32::MAX),
            ));
            return errs;
        }
        (Some(n), Some(o)) if o < n => {
            errs.push(FieldError::invalid(
                "spec.activeDeadlineSeconds",
                n,
                "must be less than or equal to previous value",
            ));
            return errs;
        }
        (None, Some(_)) => errs.push(FieldError::invalid(
            "spec.activeDeadlineSeconds",
            Value::Null,
            "must not update from a positive integer to nil value",
        )),
        _ => {}
    }
    let new_tols = arr_at(new, "spec/tolerations");
    for o in arr_at(old, "spec/tolerations") {
        if !new_tols.iter().any(|n| tolerations_equal_but_seconds(o, n)) {
            errs.push(FieldError::forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            ));
            break;
        }
    }
    let old_gates = arr_at(old, "spec/schedulingGates");
    for g in arr_at(new, "spec/schedulingGates") {
        if !old_gates.contains(g) {
            errs.push(FieldError::forbidden(
                "spec.schedulingGates",
                format!(
                    "only deletion is allowed, but found new scheduling gate '{}'",
                    str_at(g, "name")
                ),
            ));
        }
    }
    let empty = json!({});
    let (ns, os) = (
        at(new, "spec").unwrap_or(&empty),
        at(old, "spec").unwrap_or(&empty),
    );
    let old_go = pod_spec(os);
    if semantic_eq(&pod_spec(ns), &old_go) {
        return errs;
    }
    let munged = munge(ns, os);
    let munged_go = pod_spec(&munged);
    if !semantic_eq(&munged_go, &old_go) {
        let diff = unified_diff(&marshal_indent(&old_go), &marshal_indent(&munged_go), 3);
        errs.push(FieldError::forbidden(
            "spec",
            format!("{UPDATABLE_FIELDS}\n{diff}"),
        ));
    }
    errs
}

/// The new spec with the updatable fields taken from the old one.
fn munge(new: &Value, old: &Value) -> Value {
    let mut m = new.clone();
    for key in ["containers", "initContainers"] {
        let olds = arr_at(old, key).to_vec();
        if let Some(cs) = m.get_mut(key).and_then(Value::as_array_mut) {
            for (c, o) in cs.iter_mut().zip(olds.iter()) {
                if let Some(c) = c.as_object_mut() {
                    match o.get("image") {
                        Some(img) => c.insert("image".into(), img.clone()),
                        None => c.remove("image"),
                    };
                }
            }
        }
    }
    let Some(obj) = m.as_object_mut() else {
        return m;
    };
    for key in ["activeDeadlineSeconds", "schedulingGates", "tolerations"] {
        match old.get(key) {
            Some(v) => obj.insert(key.into(), v.clone()),
            None => obj.remove(key),
        };
    }
    let old_tgps = i64_at(old, "terminationGracePeriodSeconds");
    if old_tgps.is_some_and(|t| t < 0) && i64_at(new, "terminationGracePeriodSeconds") == Some(1) {
        obj.insert("terminationGracePeriodSeconds".into(), json!(old_tgps));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policy_change_diff() {
        let old = json!({"spec": {"containers": [{"name": "app", "image": "a"}], "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst"}});
        let mut new = old.clone();
        new["spec"]["restartPolicy"] = json!("Never");
        let errs = validate_pod_update(&new, &old);
        assert_eq!(errs.len(), 1);
        let body = errs[0].body();
        assert!(body.contains("\n  \"EphemeralContainers\": null,\n- \"RestartPolicy\": \"Always\",\n+ \"RestartPolicy\": \"Never\",\n  \"TerminationGracePeriodSeconds\": 30,\n"), "{body}");
        new["spec"]["restartPolicy"] = json!("Always");
        new["spec"]["containers"][0]["image"] = json!("b");
        assert!(validate_pod_update(&new, &old).is_empty());
    }
}
