//! Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController: scheme defaults,
//! status on create, spec validation (selector vs template labels, strategies) and update rules.

use super::json::{as_obj, at, child, default, default_str, each_obj_mut, obj_at};
use super::pod_defaults::pod_spec_defaults;
use super::pvc;
use serde_json::{Map, Value, json};

/// Pod template defaults (`spec.template.spec`) for a workload object.
pub fn template_defaults(spec: &mut Map<String, Value>) {
    let tpl = child(spec, "template");
    child(tpl, "metadata");
    pod_spec_defaults(child(tpl, "spec"), false);
}

pub fn defaults(kind: &str, obj: &mut Value) {
    let m = as_obj(obj);
    let spec = child(m, "spec");
    template_defaults(spec);
    match kind {
        "Deployment" => {
            default(spec, "replicas", json!(1));
            let st = child(spec, "strategy");
            default_str(st, "type", "RollingUpdate");
            if st.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                let ru = child(st, "rollingUpdate");
                default(ru, "maxUnavailable", json!("25%"));
                default(ru, "maxSurge", json!("25%"));
            }
            default(spec, "revisionHistoryLimit", json!(10));
            default(spec, "progressDeadlineSeconds", json!(600));
        }
        "ReplicaSet" => default(spec, "replicas", json!(1)),
        "StatefulSet" => {
            default_str(spec, "podManagementPolicy", "OrderedReady");
            let us = child(spec, "updateStrategy");
            if us
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
            {
                us.insert("type".into(), json!("RollingUpdate"));
                child(us, "rollingUpdate");
            }
            if us.get("type").and_then(Value::as_str) == Some("RollingUpdate")
                && let Some(ru) = us.get_mut("rollingUpdate").and_then(Value::as_object_mut)
            {
                default(ru, "partition", json!(0));
            }
            let pol = child(spec, "persistentVolumeClaimRetentionPolicy");
            default_str(pol, "whenDeleted", "Retain");
            default_str(pol, "whenScaled", "Retain");
            default(spec, "replicas", json!(1));
            default(spec, "revisionHistoryLimit", json!(10));
            for t in each_obj_mut(spec, "volumeClaimTemplates") {
                pvc::spec_defaults(child(t, "spec"));
                let status = child(t, "status");
                default_str(status, "phase", "Pending");
            }
        }
        "DaemonSet" => {
            let us = child(spec, "updateStrategy");
            default_str(us, "type", "RollingUpdate");
            if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                let ru = child(us, "rollingUpdate");
                default(ru, "maxUnavailable", json!(1));
                default(ru, "maxSurge", json!(0));
            }
            default(spec, "revisionHistoryLimit", json!(10));
        }
        "ReplicationController" => {
            let labels = at(&Value::Object(spec.clone()), "template/metadata/labels").cloned();
            if let Some(l) = labels.filter(|l| l.as_object().is_some_and(|o| !o.is_empty())) {
                if spec
                    .get("selector")
                    .and_then(Value::as_object)
                    .is_none_or(Map::is_empty)
                {
                    spec.insert("selector".into(), l.clone());
                }
                let meta = child(m, "metadata");
                if meta
                    .get("labels")
                    .and_then(Value::as_object)
                    .is_none_or(Map::is_empty)
                {
                    meta.insert("labels".into(), l);
                }
            }
            default(child(m, "spec"), "replicas", json!(1));
        }
        _ => {}
    }
}

/// The status a new object has.
pub fn initial_status(kind: &str) -> Value {
    match kind {
        "ReplicaSet" | "ReplicationController" => json!({"replicas": 0}),
        "StatefulSet" => json!({"replicas": 0, "availableReplicas": 0}),
        "DaemonSet" => {
            json!({"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0})
        }
        _ => json!({}),
    }
}

pub fn prepare_create(kind: &str, obj: &mut Value) {
    as_obj(obj).insert("status".into(), initial_status(kind));
    if kind == "DaemonSet" {
        let meta = child(as_obj(obj), "metadata");
        child(meta, "annotations").insert(
            "deprecated.daemonset.template.generation".into(),
            json!("1"),
        );
    }
}

/// DaemonSets: a template change bumps the template generation annotation.
pub fn prepare_update(kind: &str, new: &mut Value, old: &Value) {
    if kind != "DaemonSet" {
        return;
    }
    let key = "deprecated.daemonset.template.generation";
    let old_gen = obj_at(old, "metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(1);
    let changed = !super::json::semantic_eq(at(new, "spec/template"), at(old, "spec/template"));
    let next = if changed { old_gen + 1 } else { old_gen };
    let meta = child(as_obj(new), "metadata");
    child(meta, "annotations").insert(key.into(), json!(next.to_string()));
}
