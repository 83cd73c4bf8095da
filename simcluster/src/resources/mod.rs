//! Per-kind strategies of the simulated apiserver: scheme defaulting, pod admission mutations,
//! PrepareForCreate/PrepareForUpdate, validation on create and update, generation handling, QoS.
//!
//! Objects are v1 JSON (`serde_json::Value`); `group` is "" for the core group.

pub mod batch;
pub mod canonical;
pub mod configmap;
pub mod container;
pub mod cron;
pub mod difflib;
pub mod gostruct;
pub mod gotypes;
pub mod hpa;
pub mod json;
pub mod meta;
pub mod namespace;
pub mod pod;
pub mod pod_defaults;
pub mod pod_update;
pub mod policy;
pub mod pvc;
pub mod qos;
/// Quantities live in `api-types` so the portal and the browser share the parser.
pub use api_types::quantity;
pub mod selector;
pub mod service;
pub mod validation;
pub mod workload_validation;
pub mod workloads;

#[cfg(test)]
mod tests;

use crate::status::FieldError;
use json::{as_obj, child, semantic_eq, str_at};
use serde_json::{Value, json};

pub use pod_defaults::{admit_pod_create, random_suffix};
pub use qos::qos_class;
pub use quantity::Quantity;

fn is_workload(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        (
            "apps",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        ) | ("", "ReplicationController")
    )
}

/// Scheme defaulting (`SetDefaults_*`) of create and update bodies (plus the v1 conversions that
/// change the stored object: Secret `stringData`, pod `serviceAccount` alias).
pub fn apply_defaults(group: &str, kind: &str, obj: &mut Value) {
    match (group, kind) {
        ("", "Pod") => pod_defaults::pod_spec_defaults(child(as_obj(obj), "spec"), true),
        ("", "PodTemplate") => {
            let t = child(as_obj(obj), "template");
            child(t, "metadata");
            pod_defaults::pod_spec_defaults(child(t, "spec"), false);
        }
        (g, k) if is_workload(g, k) => workloads::defaults(k, obj),
        ("batch", "Job") => batch::job_defaults(obj),
        ("batch", "CronJob") => batch::cronjob_defaults(obj),
        ("", "Namespace") => namespace::set_name_label(obj),
        ("", "Secret") => configmap::secret_defaults(obj),
        ("", "ConfigMap") => configmap::canonical_base64(obj, "binaryData"),
        ("", "Service") => service::defaults(obj),
        ("", "PersistentVolumeClaim") => pvc::defaults(obj),
        ("", "LimitRange") => policy::limit_range_defaults(obj),
        ("autoscaling", "HorizontalPodAutoscaler") => hpa::defaults(obj),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crate::crd::defaults(obj),
        ("", "Endpoints") => {
            for s in json::each_obj_mut(as_obj(obj), "subsets") {
                json::each_obj_mut(s, "ports")
                    .for_each(|p| json::default_str(p, "protocol", "TCP"));
            }
        }
        _ => {}
    }
    canonical::quantities(group, kind, obj);
}

/// Whether this kind keeps `metadata.generation` (1 on create, bumped on spec changes).
pub fn uses_generation(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        ("", "Pod" | "ReplicationController")
            | (
                "apps",
                "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
            )
            | ("batch", "Job" | "CronJob")
            | ("policy", "PodDisruptionBudget")
            | ("networking.k8s.io", "Ingress" | "NetworkPolicy")
            | ("discovery.k8s.io", "EndpointSlice")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
    )
}

/// Whether status is only written through the `/status` subresource.
pub fn has_status_subresource(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        (
            "",
            "Pod"
                | "Namespace"
                | "Service"
                | "PersistentVolumeClaim"
                | "PersistentVolume"
                | "Node"
                | "ReplicationController"
                | "ResourceQuota"
        ) | ("apps", _)
            | ("batch", _)
            | ("autoscaling", "HorizontalPodAutoscaler")
            | ("policy", "PodDisruptionBudget")
            | ("networking.k8s.io", "Ingress")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
    )
}

/// `generateName` + 5 random characters (the prefix cut to 58 characters first).
pub fn generate_name(prefix: &str) -> String {
    let base: String = prefix.chars().take(58).collect();
    format!("{base}{}", random_suffix(5))
}

/// Strategy PrepareForCreate: the status of a new object, generation 1, kind-specific fields.
/// Jobs need `metadata.uid` already set (the generated selector uses it).
pub fn prepare_create(group: &str, kind: &str, obj: &mut Value) {
    if uses_generation(group, kind) {
        child(as_obj(obj), "metadata").insert("generation".into(), json!(1));
    }
    match (group, kind) {
        ("", "Pod") => {
            let qos = qos_class(obj);
            let mut status = json!({"phase": "Pending", "qosClass": qos});
            if !json::arr_at(obj, "spec/schedulingGates").is_empty() {
                status["conditions"] = json!([{"type": "PodScheduled", "status": "False", "lastProbeTime": null,
                    "lastTransitionTime": null, "reason": "SchedulingGated", "message": "Scheduling is blocked due to non-empty scheduling gates"}]);
            }
            as_obj(obj).insert("status".into(), status);
        }
        ("", "Namespace") => namespace::prepare_create(obj),
        ("", "Service") => service::prepare_create(obj),
        ("", "PersistentVolumeClaim") => pvc::prepare_create(obj),
        ("", "ResourceQuota") | ("batch", "CronJob") => {
            as_obj(obj).insert("status".into(), json!({}));
        }
        (g, k) if is_workload(g, k) => workloads::prepare_create(k, obj),
        ("batch", "Job") => batch::job_prepare_create(obj),
        ("autoscaling", "HorizontalPodAutoscaler") => {
            let st: Value = serde_json::from_str(hpa::INITIAL_STATUS).unwrap_or_default();
            as_obj(obj).insert("status".into(), st);
        }
        ("policy", "PodDisruptionBudget") => {
            let st = json!({"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0});
            as_obj(obj).insert("status".into(), st);
        }
        ("networking.k8s.io", "Ingress") => {
            as_obj(obj).insert("status".into(), json!({"loadBalancer": {}}));
        }
        _ => {}
    }
}

/// After validation on create (`Canonicalize`): the namespace name label for generated names.
pub fn canonicalize(group: &str, kind: &str, obj: &mut Value) {
    if (group, kind) == ("", "Namespace") {
        namespace::set_name_label(obj);
    }
}

fn copy_from_old(new: &mut Value, old: &Value, key: &str) {
    if let Some(v) = old
        .get("metadata")
        .and_then(|m| m.get(key))
        .filter(|v| !v.is_null())
    {
        child(as_obj(new), "metadata").insert(key.into(), v.clone());
    }
}

/// Strategy PrepareForUpdate (and `BeforeUpdate`): generation, uid and timestamps from the old
/// object, status kept for kinds with a status subresource, generation bumped on spec changes.
pub fn prepare_update(group: &str, kind: &str, new: &mut Value, old: &Value) {
    for k in [
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
    ] {
        copy_from_old(new, old, k);
    }
    if str_at(new, "metadata/uid").is_empty() {
        copy_from_old(new, old, "uid");
    }
    if has_status_subresource(group, kind) {
        match old.get("status") {
            Some(s) => as_obj(new).insert("status".into(), s.clone()),
            None => as_obj(new).remove("status"),
        };
    }
    match (group, kind) {
        ("", "Namespace") => namespace::prepare_update(new, old),
        ("", "Service") => service::prepare_update(new, old),
        (g, k) if is_workload(g, k) => workloads::prepare_update(k, new, old),
        _ => {}
    }
    if uses_generation(group, kind) {
        let mut changed = !semantic_eq(new.get("spec"), old.get("spec"));
        if (group, kind) == ("apps", "Deployment") {
            changed |= !semantic_eq(
                json::at(new, "metadata/annotations"),
                json::at(old, "metadata/annotations"),
            );
        }
        if changed {
            let g = json::i64_at(old, "metadata/generation").unwrap_or(0) + 1;
            child(as_obj(new), "metadata").insert("generation".into(), json!(g));
        }
    }
}

/// PrepareForUpdate of the `/status` subresource: everything but status comes from the old
/// object (the new resourceVersion is kept for the core's precondition check).
pub fn prepare_status_update(group: &str, kind: &str, new: &mut Value, old: &Value) {
    let status = new.get("status").cloned();
    let rv = json::at(new, "metadata/resourceVersion").cloned();
    let mut merged = old.clone();
    let m = as_obj(&mut merged);
    match status {
        Some(s) => m.insert("status".into(), s),
        None => m.remove("status"),
    };
    if let Some(rv) = rv {
        child(m, "metadata").insert("resourceVersion".into(), rv);
    }
    if (group, kind) == ("", "Pod")
        && str_at(&merged, "status/qosClass").is_empty()
        && let Some(q) = json::at(old, "status/qosClass").cloned()
    {
        child(as_obj(&mut merged), "status").insert("qosClass".into(), q);
    }
    *new = merged;
}

/// Validation on create (`Validate` of the strategy), ObjectMeta included.
pub fn validate_create(group: &str, kind: &str, obj: &Value) -> Vec<FieldError> {
    match (group, kind) {
        ("", "Pod") => pod::validate_pod(obj, true),
        ("", "PodTemplate") => {
            let mut e = meta::validate_object_meta(obj, meta::NameRule::Subdomain);
            e.extend(pod::validate_template(
                obj.get("template").unwrap_or(&Value::Null),
                "template",
            ));
            e
        }
        ("", "Namespace") => namespace::validate(obj),
        ("", "ConfigMap") => configmap::validate_config_map(obj),
        ("", "Secret") => configmap::validate_secret(obj),
        ("", "Service") => service::validate(obj),
        ("", "PersistentVolumeClaim") => pvc::validate(obj),
        ("", "LimitRange") => policy::validate_limit_range(obj),
        ("", "ResourceQuota") => policy::validate_resource_quota(obj),
        (g, k) if is_workload(g, k) => workload_validation::validate(k, obj),
        ("batch", "Job") => batch::validate_job(obj),
        ("batch", "CronJob") => batch::validate_cronjob(obj, true),
        ("autoscaling", "HorizontalPodAutoscaler") => hpa::validate(obj),
        ("autoscaling", "Scale") => hpa::validate_scale(obj),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crate::crd::validate(obj),
        (g, k) => meta::validate_object_meta(obj, meta::name_rule(g, k)),
    }
}

/// Validation on update: ObjectMeta update rules, then the kind's update rules (which include
/// the validation of the new object).
pub fn validate_update(group: &str, kind: &str, new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = meta::validate_object_meta_update(new, old);
    errs.extend(match (group, kind) {
        ("", "Pod") => {
            let mut e = pod::validate_pod(new, false);
            e.extend(pod_update::validate_pod_update(new, old));
            e
        }
        ("", "Namespace") => vec![],
        ("", "ConfigMap") => configmap::validate_config_map_update(new, old),
        ("", "Secret") => configmap::validate_secret_update(new, old),
        ("", "Service") => service::validate_update(new, old),
        ("", "PersistentVolumeClaim") => pvc::validate_update(new, old),
        (g, k) if is_workload(g, k) => workload_validation::validate_update(k, new, old),
        ("batch", "Job") => batch::validate_job_update(new, old),
        ("batch", "CronJob") => batch::validate_cronjob(new, false),
        ("", "PodTemplate" | "LimitRange" | "ResourceQuota")
        | ("autoscaling", _)
        | ("apiextensions.k8s.io", "CustomResourceDefinition") => validate_create(group, kind, new)
            .into_iter()
            .filter(|e| !e.field.starts_with("metadata."))
            .collect(),
        _ => vec![],
    });
    errs
}

/// Validation of a `/status` update (only Namespace phases are checked).
pub fn validate_status_update(
    group: &str,
    kind: &str,
    new: &Value,
    old: &Value,
) -> Vec<FieldError> {
    let mut errs = meta::validate_object_meta_update(new, old);
    if (group, kind) == ("", "Namespace") {
        errs.extend(namespace::validate_status_update(new));
    }
    errs
}

/// `ValidateScale` of a `/scale` body.
pub fn validate_scale(scale: &Value) -> Vec<FieldError> {
    hpa::validate_scale(scale)
}

/// A body that decodes as JSON but not as the typed object (bad base64 in Secret `data` or
/// ConfigMap `binaryData`, or a malformed resource quantity in a pod): the text after
/// `<Kind> in version "<v>" cannot be handled as a <Kind>: `.
pub fn decode_error(group: &str, kind: &str, obj: &Value) -> Option<String> {
    if let Some(e) = configmap::decode_error(kind, obj).filter(|_| group.is_empty()) {
        return Some(e);
    }
    let spec = match (group, kind) {
        ("", "Pod") => obj.get("spec"),
        (g, k) if is_workload(g, k) || (g, k) == ("batch", "Job") => {
            json::at(obj, "spec/template/spec")
        }
        _ => None,
    };
    for c in ["containers", "initContainers"]
        .iter()
        .flat_map(|k| spec.map(|s| json::arr_at(s, k)).unwrap_or(&[]))
    {
        for kind in ["limits", "requests"] {
            for (_, v) in json::obj_at(c, &format!("resources/{kind}"))
                .into_iter()
                .flatten()
            {
                if let Some(s) = v.as_str()
                    && let Err(e) = Quantity::parse(s)
                {
                    return Some(e);
                }
            }
        }
    }
    None
}
