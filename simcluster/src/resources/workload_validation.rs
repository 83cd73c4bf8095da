//! Validation of Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController specs
//! (selector vs template labels, restart policy, strategies) and their update rules.

use super::json::{arr_at, at, i64_at, obj_at, str_at};
use super::meta::{NameRule, validate_labels, validate_object_meta};
use super::pod::validate_template;
use super::pvc;
use super::selector;
use super::validation::{immutable, nonnegative};
use crate::status::FieldError;
use serde_json::{Map, Value, json};

fn replica_set_like(obj: &Value, kind: &str, what: &str, errs: &mut Vec<FieldError>) {
    let sel = at(obj, "spec/selector");
    if sel.is_none() {
        errs.push(FieldError::required("spec.selector", ""));
    } else {
        errs.extend(selector::validate(sel, "spec.selector"));
        if selector::is_empty(sel) {
            errs.push(FieldError::invalid(
                "spec.selector",
                sel.cloned().unwrap_or_default(),
                format!("empty selector is invalid for {what}"),
            ));
        }
    }
    let tpl = at(obj, "spec/template");
    let Some(tpl) = tpl else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    let labels = obj_at(tpl, "metadata/labels");
    // A missing selector selects nothing (`labels.Nothing()`), an empty one everything.
    if sel.is_none() || (!selector::is_empty(sel) && !selector::matches(sel, labels)) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            labels.cloned().map(Value::Object).unwrap_or(Value::Null),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(validate_template(tpl, "spec.template"));
    let rp = str_at(tpl, "spec/restartPolicy");
    if rp != "Always" && !(kind == "StatefulSet" && rp.is_empty()) {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            rp,
            &["Always"],
        ));
    }
    if let Some(a) = at(tpl, "spec/activeDeadlineSeconds") {
        let what = if kind == "StatefulSet" {
            "StatefulSet"
        } else {
            "ReplicaSet"
        };
        errs.push(FieldError::invalid(
            "spec.template.spec.activeDeadlineSeconds",
            a.clone(),
            format!("activeDeadlineSeconds in {what} is not Supported"),
        ));
    }
}

fn int_or_percent(v: Option<&Value>, f: &str, errs: &mut Vec<FieldError>) -> i64 {
    match v {
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|n| n.parse::<i64>().ok()) {
            Some(n) => {
                errs.extend(nonnegative(f, Some(n)).into_iter().map(|_| {
                    FieldError::invalid(f, s.as_str(), "must be greater than or equal to 0")
                }));
                n
            }
            None => {
                errs.push(FieldError::invalid(f, s.as_str(), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
                0
            }
        },
        Some(v) => {
            let n = v.as_i64().unwrap_or(0);
            errs.extend(nonnegative(f, Some(n)));
            n
        }
        None => 0,
    }
}

fn deployment_spec(obj: &Value, errs: &mut Vec<FieldError>) {
    errs.extend(nonnegative("spec.replicas", i64_at(obj, "spec/replicas")));
    replica_set_like(obj, "Deployment", "deployment", errs);
    match str_at(obj, "spec/strategy/type") {
        "Recreate" => {
            if at(obj, "spec/strategy/rollingUpdate").is_some() {
                errs.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let f = "spec.strategy.rollingUpdate";
            let mu = int_or_percent(
                at(obj, "spec/strategy/rollingUpdate/maxUnavailable"),
                &format!("{f}.maxUnavailable"),
                errs,
            );
            let ms = int_or_percent(
                at(obj, "spec/strategy/rollingUpdate/maxSurge"),
                &format!("{f}.maxSurge"),
                errs,
            );
            if mu == 0 && ms == 0 {
                let v = at(obj, "spec/strategy/rollingUpdate/maxUnavailable")
                    .cloned()
                    .unwrap_or(json!(0));
                errs.push(FieldError::invalid(
                    format!("{f}.maxUnavailable"),
                    v,
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            if let Some(Value::String(s)) = at(obj, "spec/strategy/rollingUpdate/maxUnavailable")
                && s.trim_end_matches('%')
                    .parse::<i64>()
                    .is_ok_and(|n| n > 100)
            {
                errs.push(FieldError::invalid(
                    format!("{f}.maxUnavailable"),
                    s.as_str(),
                    "must not be greater than 100%",
                ));
            }
        }
        o => errs.push(FieldError::not_supported(
            "spec.strategy",
            o,
            &["Recreate", "RollingUpdate"],
        )),
    }
    let mrs = i64_at(obj, "spec/minReadySeconds").unwrap_or(0);
    errs.extend(nonnegative("spec.minReadySeconds", Some(mrs)));
    errs.extend(nonnegative(
        "spec.revisionHistoryLimit",
        i64_at(obj, "spec/revisionHistoryLimit"),
    ));
    if let Some(p) = i64_at(obj, "spec/progressDeadlineSeconds") {
        errs.extend(nonnegative("spec.progressDeadlineSeconds", Some(p)));
        if p <= mrs {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than minReadySeconds",
            ));
        }
    }
}

pub fn validate(kind: &str, obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    match kind {
        "Deployment" => deployment_spec(obj, &mut errs),
        "ReplicaSet" => {
            errs.extend(nonnegative("spec.replicas", i64_at(obj, "spec/replicas")));
            errs.extend(nonnegative(
                "spec.minReadySeconds",
                i64_at(obj, "spec/minReadySeconds"),
            ));
            replica_set_like(obj, kind, "deployment", &mut errs);
        }
        "StatefulSet" => {
            match str_at(obj, "spec/podManagementPolicy") {
                "OrderedReady" | "Parallel" => {}
                "" => errs.push(FieldError::required("spec.podManagementPolicy", "")),
                o => errs.push(FieldError::invalid(
                    "spec.podManagementPolicy",
                    o,
                    "must be 'OrderedReady' or 'Parallel'",
                )),
            }
            match str_at(obj, "spec/updateStrategy/type") {
                "RollingUpdate" | "OnDelete" | "" => {}
                o => errs.push(FieldError::invalid(
                    "spec.updateStrategy",
                    o,
                    "must be 'RollingUpdate' or 'OnDelete'",
                )),
            }
            for (i, t) in arr_at(obj, "spec/volumeClaimTemplates").iter().enumerate() {
                errs.extend(pvc::validate_spec(
                    at(t, "spec").unwrap_or(&Value::Null),
                    &format!("spec.volumeClaimTemplates[{i}].spec"),
                ));
            }
            errs.extend(nonnegative("spec.replicas", i64_at(obj, "spec/replicas")));
            errs.extend(nonnegative(
                "spec.minReadySeconds",
                i64_at(obj, "spec/minReadySeconds"),
            ));
            replica_set_like(obj, kind, "statefulset", &mut errs);
        }
        "DaemonSet" => {
            replica_set_like(obj, kind, "daemonset", &mut errs);
            errs.extend(nonnegative(
                "spec.minReadySeconds",
                i64_at(obj, "spec/minReadySeconds"),
            ));
            match str_at(obj, "spec/updateStrategy/type") {
                "RollingUpdate" | "OnDelete" => {}
                "" => errs.push(FieldError::required("spec.updateStrategy.type", "")),
                o => errs.push(FieldError::not_supported(
                    "spec.updateStrategy.type",
                    o,
                    &["OnDelete", "RollingUpdate"],
                )),
            }
        }
        "ReplicationController" => {
            errs.extend(nonnegative("spec.replicas", i64_at(obj, "spec/replicas")));
            errs.extend(nonnegative(
                "spec.minReadySeconds",
                i64_at(obj, "spec/minReadySeconds"),
            ));
            let sel = obj_at(obj, "spec/selector");
            if sel.is_none_or(Map::is_empty) {
                errs.push(FieldError::required("spec.selector", ""));
            } else {
                errs.extend(validate_labels(sel, "spec.selector"));
            }
            match at(obj, "spec/template") {
                None => errs.push(FieldError::required("spec.template", "")),
                Some(tpl) => {
                    let labels = obj_at(tpl, "metadata/labels");
                    let matches = sel.is_none_or(|s| {
                        s.iter()
                            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
                    });
                    if !matches {
                        errs.push(FieldError::invalid(
                            "spec.template.metadata.labels",
                            labels.cloned().map(Value::Object).unwrap_or(Value::Null),
                            "`selector` does not match template `labels`",
                        ));
                    }
                    errs.extend(validate_template(tpl, "spec.template"));
                    let rp = str_at(tpl, "spec/restartPolicy");
                    if rp != "Always" {
                        errs.push(FieldError::not_supported(
                            "spec.template.spec.restartPolicy",
                            rp,
                            &["Always"],
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    errs
}

pub fn validate_update(kind: &str, new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = validate(kind, new);
    if kind != "ReplicationController" {
        errs.extend(immutable(
            "spec.selector",
            at(new, "spec/selector"),
            at(old, "spec/selector"),
        ));
    }
    if kind == "StatefulSet" {
        let strip = |v: &Value| {
            let mut s = at(v, "spec").cloned().unwrap_or(json!({}));
            if let Some(o) = s.as_object_mut() {
                for k in [
                    "replicas",
                    "ordinals",
                    "template",
                    "updateStrategy",
                    "revisionHistoryLimit",
                    "persistentVolumeClaimRetentionPolicy",
                    "minReadySeconds",
                ] {
                    o.remove(k);
                }
            }
            s
        };
        if !super::json::semantic_eq(Some(&strip(new)), Some(&strip(old))) {
            errs.push(FieldError::forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
    }
    errs
}
