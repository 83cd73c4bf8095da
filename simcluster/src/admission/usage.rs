//! What one object consumes: pod usage (terminal and expired-deleted pods only count as an
//! object), pod scopes (`Terminating`, `BestEffort`, `PriorityClass`, ...), Service node ports
//! and load balancers, PersistentVolumeClaim storage per storage class.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::evaluators::{ScopeSelector, is_extended, selector_matches};
use super::resource_list::{self as rl, Kind, ResourceList};
use crate::resources::Quantity;
use crate::resources::quantity::Format;

pub const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";

/// `IsTerminating`: `activeDeadlineSeconds` set and not negative.
pub(super) fn is_terminating(pod: &Value) -> bool {
    pod.pointer("/spec/activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|s| s >= 0)
}

pub(super) fn pod_matches_scope(sel: &ScopeSelector, pod: &Value) -> bool {
    let best_effort = || crate::resources::qos_class(pod) == "BestEffort";
    match sel.scope.as_str() {
        "Terminating" => is_terminating(pod),
        "NotTerminating" => !is_terminating(pod),
        "BestEffort" => best_effort(),
        "NotBestEffort" => !best_effort(),
        "PriorityClass" => {
            let pc = pod
                .pointer("/spec/priorityClassName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            selector_matches(sel, pc)
        }
        "CrossNamespacePodAffinity" => cross_namespace_affinity(pod),
        _ => false,
    }
}

/// Whether a pod (anti-)affinity term names other namespaces or a namespace selector.
fn cross_namespace_affinity(pod: &Value) -> bool {
    let term = |t: &Value| {
        t.get("namespaces")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
            || t.get("namespaceSelector").is_some_and(|s| !s.is_null())
    };
    ["podAffinity", "podAntiAffinity"].iter().any(|kind| {
        let Some(a) = pod.pointer(&format!("/spec/affinity/{kind}")) else {
            return false;
        };
        let required = a
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(term);
        let preferred = a
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|w| w.get("podAffinityTerm"))
            .any(term);
        required || preferred
    })
}

/// `QuotaV1Pod`: not terminal, and not past its deletion grace period.
fn pod_counts(pod: &Value, now: DateTime<Utc>) -> bool {
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return false;
    }
    let deleted = pod
        .pointer("/metadata/deletionTimestamp")
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    let grace = pod
        .pointer("/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_i64);
    match (deleted, grace) {
        (Some(at), Some(g)) => now <= at.with_timezone(&Utc) + chrono::Duration::seconds(g),
        _ => true,
    }
}

/// `podComputeUsageHelper`.
pub(super) fn compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut out = ResourceList::from([("pods".to_string(), Quantity::parse("1").expect("1"))]);
    for (res, req, lim) in [
        ("cpu", "requests.cpu", "limits.cpu"),
        ("memory", "requests.memory", "limits.memory"),
        (
            "ephemeral-storage",
            "requests.ephemeral-storage",
            "limits.ephemeral-storage",
        ),
    ] {
        if let Some(q) = requests.get(res) {
            out.insert(res.into(), q.clone());
            out.insert(req.into(), q.clone());
        }
        if let Some(q) = limits.get(res) {
            out.insert(lim.into(), q.clone());
        }
    }
    for (name, q) in requests {
        if name.starts_with("hugepages-") {
            out.insert(name.clone(), q.clone());
            out.insert(format!("requests.{name}"), q.clone());
        }
        if is_extended(name) {
            out.insert(format!("requests.{name}"), q.clone());
        }
    }
    out
}

pub(super) fn pod_usage(pod: &Value, now: DateTime<Utc>) -> ResourceList {
    let count = ResourceList::from([(
        "count/pods".to_string(),
        Quantity::from_units(1, Format::DecimalSI),
    )]);
    if !pod_counts(pod, now) {
        return count;
    }
    let requests = rl::pod_resources(pod, Kind::Requests);
    let limits = rl::pod_resources(pod, Kind::Limits);
    rl::add(&count, &compute_usage(&requests, &limits))
}

pub(super) fn service_usage(svc: &Value) -> ResourceList {
    let dec = |n: i64| Quantity::from_units(n, Format::DecimalSI);
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let (mut node_ports, mut lbs) = (0, 0);
    match svc
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
    {
        "NodePort" => node_ports = ports.len() as i64,
        "LoadBalancer" => {
            lbs = 1;
            node_ports = if svc
                .pointer("/spec/allocateLoadBalancerNodePorts")
                .and_then(Value::as_bool)
                == Some(false)
            {
                ports
                    .iter()
                    .filter(|p| {
                        p.get("nodePort")
                            .and_then(Value::as_i64)
                            .is_some_and(|n| n != 0)
                    })
                    .count() as i64
            } else {
                ports.len() as i64
            };
        }
        _ => {}
    }
    ResourceList::from([
        ("count/services".to_string(), dec(1)),
        ("services".to_string(), dec(1)),
        ("services.loadbalancers".to_string(), dec(lbs)),
        ("services.nodeports".to_string(), dec(node_ports)),
    ])
}

/// `GetPersistentVolumeClaimClass`: the beta annotation first, then `spec.storageClassName`.
fn pvc_class(pvc: &Value) -> String {
    if let Some(c) = pvc
        .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .and_then(Value::as_str)
    {
        return c.to_string();
    }
    pvc.pointer("/spec/storageClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

pub(super) fn volume_attributes_classes(pvc: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in [
        "/spec/volumeAttributesClassName",
        "/status/currentVolumeAttributesClassName",
        "/status/modifyVolumeStatus/targetVolumeAttributesClassName",
    ] {
        if let Some(c) = pvc
            .pointer(p)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            && !out.iter().any(|x| x == c)
        {
            out.push(c.to_string());
        }
    }
    out
}

/// Storage is charged in whole bytes (the larger of the request and the allocated size).
fn pvc_storage(pvc: &Value) -> Option<Quantity> {
    let whole = |q: Quantity| {
        if q.nano_value() % 1_000_000_000 == 0 {
            q
        } else {
            Quantity::from_units(q.value(), q.format())
        }
    };
    let spec = rl::parse(pvc.pointer("/spec/resources/requests"))
        .remove("storage")
        .map(whole);
    let allocated = rl::parse(pvc.pointer("/status/allocatedResources")).remove("storage");
    match (spec, allocated) {
        (s, Some(a)) if s.as_ref().is_none_or(|s| a > *s) => Some(whole(a)),
        (s, _) => s,
    }
}

pub(super) fn pvc_usage(pvc: &Value) -> ResourceList {
    let one = || Quantity::from_units(1, Format::DecimalSI);
    let mut out = ResourceList::from([
        ("persistentvolumeclaims".to_string(), one()),
        ("count/persistentvolumeclaims".to_string(), one()),
    ]);
    let class = pvc_class(pvc);
    if !class.is_empty() {
        out.insert(
            format!("{class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"),
            one(),
        );
    }
    if let Some(q) = pvc_storage(pvc) {
        if !class.is_empty() {
            out.insert(
                format!("{class}{STORAGE_CLASS_SUFFIX}requests.storage"),
                q.clone(),
            );
        }
        out.insert("requests.storage".into(), q);
    }
    out
}
