//! Pod validation (`ValidatePodCreate`, `ValidatePodSpec`, `ValidatePodTemplateSpec`): volumes,
//! containers (names, images, ports, env, mounts, pull policy, resources), restart and DNS
//! policies, tolerations and the other common spec checks, with the apiserver's messages and order.

use super::container::{s, validate_container_list, validate_volumes};
use super::json::{arr_at, at, i64_at, obj_at, str_at};
use super::meta::{NameRule, validate_annotations, validate_labels, validate_name};
use super::validation::{
    inclusive_range_error, invalids, is_dns1123_label, is_qualified_name, is_valid_label_value,
};
use crate::status::FieldError;
use serde_json::Value;
use std::collections::HashSet;

fn validate_tolerations(spec: &Value, f: &str, errs: &mut Vec<FieldError>) {
    for (i, t) in arr_at(spec, "tolerations").iter().enumerate() {
        let p = format!("{f}.tolerations[{i}]");
        let key = str_at(t, "key");
        let op = str_at(t, "operator");
        let effect = str_at(t, "effect");
        if !key.is_empty() {
            errs.extend(invalids(
                &format!("{p}.key"),
                &s(key),
                is_qualified_name(key),
            ));
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(format!("{p}.operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
        }
        if at(t, "tolerationSeconds").is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                format!("{p}.effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let v = str_at(t, "value");
                let msgs = is_valid_label_value(v);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        format!("{p}.operator"),
                        v,
                        msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !str_at(t, "value").is_empty() {
                    errs.push(FieldError::invalid(
                        format!("{p}.operator"),
                        t.clone(),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            o => errs.push(FieldError::not_supported(
                format!("{p}.operator"),
                o,
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
        {
            errs.push(FieldError::not_supported(
                format!("{p}.effect"),
                effect,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
}

/// `ValidatePodSpec` at path `f` (`spec` or `spec.template.spec`).
pub fn validate_pod_spec(spec: &Value, f: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    if at(spec, "terminationGracePeriodSeconds").is_none() {
        errs.push(FieldError::required(
            format!("{f}.terminationGracePeriodSeconds"),
            "",
        ));
    }
    let vols = validate_volumes(spec, &format!("{f}.volumes"), &mut errs);
    if arr_at(spec, "containers").is_empty() {
        errs.push(FieldError::required(format!("{f}.containers"), ""));
    }
    let mut seen = HashSet::new();
    validate_container_list(spec, "containers", f, &vols, &mut seen, &mut errs);
    validate_container_list(spec, "initContainers", f, &vols, &mut seen, &mut errs);
    match str_at(spec, "restartPolicy") {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(format!("{f}.restartPolicy"), "")),
        o => errs.push(FieldError::not_supported(
            format!("{f}.restartPolicy"),
            o,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match str_at(spec, "dnsPolicy") {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(FieldError::required(format!("{f}.dnsPolicy"), "")),
        o => errs.push(FieldError::not_supported(
            format!("{f}.dnsPolicy"),
            o,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    errs.extend(validate_labels(
        obj_at(spec, "nodeSelector"),
        &format!("{f}.nodeSelector"),
    ));
    for (k, rule) in [
        ("serviceAccountName", NameRule::Subdomain),
        ("nodeName", NameRule::Subdomain),
    ] {
        let v = str_at(spec, k);
        if !v.is_empty() {
            errs.extend(invalids(
                &format!("{f}.{k}"),
                &s(v),
                validate_name(rule, v, false),
            ));
        }
    }
    if let Some(a) =
        i64_at(spec, "activeDeadlineSeconds").filter(|a| !(1..=i32::MAX as i64).contains(a))
    {
        errs.push(FieldError::invalid(
            format!("{f}.activeDeadlineSeconds"),
            a,
            inclusive_range_error(1, i32::MAX as i64),
        ));
    }
    for k in ["hostname", "subdomain"] {
        let v = str_at(spec, k);
        if !v.is_empty() {
            errs.extend(invalids(&format!("{f}.{k}"), &s(v), is_dns1123_label(v)));
        }
    }
    validate_tolerations(spec, f, &mut errs);
    let pcn = str_at(spec, "priorityClassName");
    if !pcn.is_empty() {
        errs.extend(invalids(
            &format!("{f}.priorityClassName"),
            &s(pcn),
            validate_name(NameRule::Subdomain, pcn, false),
        ));
    }
    if let Some(pp) = at(spec, "preemptionPolicy")
        .and_then(Value::as_str)
        .filter(|p| !matches!(*p, "PreemptLowerPriority" | "Never"))
    {
        errs.push(FieldError::not_supported(
            format!("{f}.preemptionPolicy"),
            pp,
            &["Never", "PreemptLowerPriority"],
        ));
    }
    errs
}

/// `ValidatePodCreate`: metadata, spec and the create-only rules (no ephemeral containers).
pub fn validate_pod(pod: &Value, create: bool) -> Vec<FieldError> {
    let mut errs = super::meta::validate_object_meta(pod, NameRule::Subdomain);
    let empty = Value::Null;
    errs.extend(validate_pod_spec(at(pod, "spec").unwrap_or(&empty), "spec"));
    if create && !arr_at(pod, "spec/ephemeralContainers").is_empty() {
        errs.push(FieldError::forbidden(
            "spec.ephemeralContainers",
            "cannot be set on create",
        ));
    }
    errs
}

/// `ValidatePodTemplateSpec` at `f` (e.g. `spec.template`).
pub fn validate_template(tpl: &Value, f: &str) -> Vec<FieldError> {
    let mut errs = validate_labels(obj_at(tpl, "metadata/labels"), &format!("{f}.labels"));
    errs.extend(validate_annotations(
        obj_at(tpl, "metadata/annotations"),
        &format!("{f}.annotations"),
    ));
    let empty = Value::Null;
    errs.extend(validate_pod_spec(
        at(tpl, "spec").unwrap_or(&empty),
        &format!("{f}.spec"),
    ));
    if !arr_at(tpl, "spec/ephemeralContainers").is_empty() {
        errs.push(FieldError::forbidden(
            format!("{f}.spec.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}
