//! Printers of core configuration and cluster objects: configmaps, secrets, serviceaccounts,
//! namespaces, nodes, resourcequotas, persistentvolumes, persistentvolumeclaims.

use serde_json::{Value, json};

use super::docs as d;
use super::util::{
    Col, Ctx, Row, access_modes, age, age_col, arr, col, has, map_len, name, name_col, s, wide,
};

pub(crate) fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, super::RowFn)> {
    let p: (Vec<Col>, super::RowFn) = match (group, plural) {
        ("", "configmaps") => (
            vec![name_col(), col("Data", "string", d::CM_DATA), age_col()],
            configmap,
        ),
        ("", "secrets") => (
            vec![
                name_col(),
                col("Type", "string", d::SECRET_TYPE),
                col("Data", "string", d::SECRET_DATA),
                age_col(),
            ],
            secret,
        ),
        ("", "serviceaccounts") => (
            vec![
                name_col(),
                col("Secrets", "string", d::SA_SECRETS),
                age_col(),
            ],
            service_account,
        ),
        ("", "namespaces") => (
            vec![
                name_col(),
                col("Status", "string", "The status of the namespace"),
                age_col(),
            ],
            namespace,
        ),
        ("", "nodes") => (node_cols(), node),
        ("", "events") => (super::events::columns(), super::events::core_event),
        ("events.k8s.io", "events") => (super::events::columns(), super::events::events_v1_event),
        ("", "resourcequotas") => (quota_cols(), resource_quota),
        ("", "persistentvolumes") => (pv_cols(), persistent_volume),
        ("", "persistentvolumeclaims") => (pvc_cols(), persistent_volume_claim),
        _ => return None,
    };
    Some(p)
}

fn configmap(o: &Value, ctx: &Ctx) -> Row {
    let n = map_len(o, "/data") + map_len(o, "/binaryData");
    Row::new(vec![name(o), json!(n), age(o, ctx)])
}

fn secret(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![
        name(o),
        json!(s(o, "/type")),
        json!(map_len(o, "/data")),
        age(o, ctx),
    ])
}

fn service_account(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![name(o), json!(arr(o, "/secrets").len()), age(o, ctx)])
}

fn namespace(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![name(o), json!(s(o, "/status/phase")), age(o, ctx)])
}

fn node_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Status", "string", "The status of the node"),
        col("Roles", "string", "The roles of the node"),
        age_col(),
        col("Version", "string", d::NODE_KUBELET_VERSION),
        wide("Internal-IP", "string", d::NODE_ADDRESSES),
        wide("External-IP", "string", d::NODE_ADDRESSES),
        wide("OS-Image", "string", d::NODE_OS_IMAGE),
        wide("Kernel-Version", "string", d::NODE_KERNEL_VERSION),
        wide("Container-Runtime", "string", d::NODE_CR_VERSION),
    ]
}

fn node(o: &Value, ctx: &Ctx) -> Row {
    // Only the Ready condition counts (the last one of that type wins, as in a Go map).
    let mut status: Vec<String> = Vec::new();
    if let Some(c) = arr(o, "/status/conditions")
        .iter()
        .rev()
        .find(|c| s(c, "/type") == "Ready")
    {
        status.push(if s(c, "/status") == "True" {
            "Ready".to_string()
        } else {
            "NotReady".to_string()
        });
    }
    if status.is_empty() {
        status.push("Unknown".to_string());
    }
    if o.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push("SchedulingDisabled".to_string());
    }
    let mut roles: Vec<String> = Vec::new();
    if let Some(labels) = o.pointer("/metadata/labels").and_then(Value::as_object) {
        for (k, v) in labels {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                if !role.is_empty() {
                    roles.push(role.to_string());
                }
            } else if k == "kubernetes.io/role" && v.as_str().is_some_and(|v| !v.is_empty()) {
                roles.push(v.as_str().unwrap_or("").to_string());
            }
        }
    }
    roles.sort();
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    };
    let address = |typ: &str| {
        arr(o, "/status/addresses")
            .iter()
            .find(|a| s(a, "/type") == typ)
            .map(|a| s(a, "/address").to_string())
            .unwrap_or_else(|| "<none>".to_string())
    };
    let info = |field: &str| {
        let v = s(o, &format!("/status/nodeInfo/{field}"));
        if v.is_empty() {
            "<unknown>".to_string()
        } else {
            v.to_string()
        }
    };
    Row::new(vec![
        name(o),
        json!(status.join(",")),
        json!(roles),
        age(o, ctx),
        json!(s(o, "/status/nodeInfo/kubeletVersion")),
        json!(address("InternalIP")),
        json!(address("ExternalIP")),
        json!(info("osImage")),
        json!(info("kernelVersion")),
        json!(info("containerRuntimeVersion")),
    ])
}

fn quota_cols() -> Vec<Col> {
    vec![
        name_col(),
        col(
            "Request",
            "string",
            "Request represents a minimum amount of cpu/memory that a container may consume.",
        ),
        col(
            "Limit",
            "string",
            "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
        ),
        age_col(),
    ]
}

fn resource_quota(o: &Value, ctx: &Ctx) -> Row {
    let mut names: Vec<&String> = o
        .pointer("/status/hard")
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    names.sort();
    let mut request: Vec<String> = Vec::new();
    let mut limit: Vec<String> = Vec::new();
    for r in names {
        let q = |p: &str| {
            o.pointer(p)
                .and_then(|m| m.get(r.as_str()))
                .map(super::util::int_or_string)
                .unwrap_or_else(|| "0".to_string())
        };
        let text = format!("{r}: {}/{}", q("/status/used"), q("/status/hard"));
        let pieces: Vec<&str> = r.split('.').collect();
        if pieces.len() > 1 && pieces[0] == "limits" {
            limit.push(text)
        } else {
            request.push(text)
        }
    }
    Row::new(vec![
        name(o),
        json!(request.join(", ")),
        json!(limit.join(", ")),
        age(o, ctx),
    ])
}

fn pv_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Capacity", "string", d::PV_CAPACITY),
        col("Access Modes", "string", d::PV_ACCESS_MODES),
        col("Reclaim Policy", "string", d::PV_RECLAIM),
        col("Status", "string", d::PV_PHASE),
        col("Claim", "string", d::PV_CLAIM_REF),
        col("StorageClass", "string", "StorageClass of the pv"),
        col(
            "VolumeAttributesClass",
            "string",
            "VolumeAttributesClass of the pv",
        ),
        col("Reason", "string", d::PV_REASON),
        age_col(),
        wide("VolumeMode", "string", d::PV_VOLUME_MODE),
    ]
}

/// `GetPersistentVolume(Claim)Class`: the beta annotation first, then `spec.storageClassName`.
fn storage_class(o: &Value) -> String {
    if let Some(c) = o
        .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .and_then(Value::as_str)
    {
        return c.to_string();
    }
    s(o, "/spec/storageClassName").to_string()
}

fn unset_or(o: &Value, ptr: &str) -> String {
    o.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or("<unset>")
        .to_string()
}

fn persistent_volume(o: &Value, ctx: &Ctx) -> Row {
    let claim = if has(o, "/spec/claimRef") {
        format!(
            "{}/{}",
            s(o, "/spec/claimRef/namespace"),
            s(o, "/spec/claimRef/name")
        )
    } else {
        String::new()
    };
    let capacity = o
        .pointer("/spec/capacity/storage")
        .map(super::util::int_or_string)
        .unwrap_or_else(|| "0".to_string());
    let phase = if has(o, "/metadata/deletionTimestamp") {
        "Terminating"
    } else {
        s(o, "/status/phase")
    };
    Row::new(vec![
        name(o),
        json!(capacity),
        json!(access_modes(arr(o, "/spec/accessModes"))),
        json!(s(o, "/spec/persistentVolumeReclaimPolicy")),
        json!(phase),
        json!(claim),
        json!(storage_class(o)),
        json!(unset_or(o, "/spec/volumeAttributesClassName")),
        json!(s(o, "/status/reason")),
        age(o, ctx),
        json!(unset_or(o, "/spec/volumeMode")),
    ])
}

fn pvc_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Status", "string", d::PVC_PHASE),
        col("Volume", "string", d::PVC_VOLUME_NAME),
        col("Capacity", "string", d::PVC_CAPACITY),
        col("Access Modes", "string", d::PVC_ACCESS_MODES),
        col("StorageClass", "string", "StorageClass of the pvc"),
        col(
            "VolumeAttributesClass",
            "string",
            "VolumeAttributesClass of the pvc",
        ),
        age_col(),
        wide("VolumeMode", "string", d::PVC_VOLUME_MODE),
    ]
}

fn persistent_volume_claim(o: &Value, ctx: &Ctx) -> Row {
    let phase = if has(o, "/metadata/deletionTimestamp") {
        "Terminating"
    } else {
        s(o, "/status/phase")
    };
    let volume = s(o, "/spec/volumeName");
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let cap = o
            .pointer("/status/capacity/storage")
            .map(super::util::int_or_string)
            .unwrap_or_else(|| "0".to_string());
        (cap, access_modes(arr(o, "/status/accessModes")))
    };
    Row::new(vec![
        name(o),
        json!(phase),
        json!(volume),
        json!(capacity),
        json!(modes),
        json!(storage_class(o)),
        json!(unset_or(o, "/spec/volumeAttributesClassName")),
        age(o, ctx),
        json!(unset_or(o, "/spec/volumeMode")),
    ])
}
