//! The endpoints and EndpointSlice controllers: for every Service with a selector, an Endpoints
//! object and an EndpointSlice (`discovery.k8s.io/v1`) with the pods that match it — ready, not
//! ready or terminating — and the service ports resolved against the pods' container ports.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::cluster::Sim;
use crate::resources::json::{arr_at, obj_at, str_at};
use crate::store::{Key, is_deleting, object_rv};

const SLICE_MANAGER: &str = "endpointslice-controller.k8s.io";
const ENDPOINTS_MANAGER: &str = "endpoint-controller";
const TRIGGER: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// A resolved port: name, number, protocol.
type PortRef = (String, i64, String);

/// One pod behind a service, with its resolved ports `(name, port, protocol)`.
struct Backend<'a> {
    pod: &'a Value,
    ip: String,
    ready: bool,
    terminating: bool,
    ports: Vec<PortRef>,
}

fn pod_ready(pod: &Value) -> bool {
    arr_at(pod, "status/conditions")
        .iter()
        .any(|c| str_at(c, "type") == "Ready" && str_at(c, "status") == "True")
}

/// The container port a service port targets on a pod (`None`: the pod does not expose it).
fn target_port(svc_port: &Value, pod: &Value) -> Option<i64> {
    match svc_port.get("targetPort") {
        Some(Value::String(name)) => arr_at(pod, "spec/containers")
            .iter()
            .flat_map(|c| arr_at(c, "ports"))
            .find(|p| str_at(p, "name") == name)
            .and_then(|p| p.get("containerPort").and_then(Value::as_i64)),
        Some(Value::Number(n)) => n.as_i64(),
        _ => svc_port.get("port").and_then(Value::as_i64),
    }
}

fn backends<'a>(svc: &Value, pods: &[&'a Value]) -> Vec<Backend<'a>> {
    let Some(sel) = obj_at(svc, "spec/selector").filter(|s| !s.is_empty()) else {
        return Vec::new();
    };
    let publish = svc.pointer("/spec/publishNotReadyAddresses") == Some(&json!(true));
    let mut out: Vec<Backend> = pods
        .iter()
        .filter(|p| {
            let labels = obj_at(p, "metadata/labels");
            sel.iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .filter(|p| {
            !matches!(str_at(p, "status/phase"), "Succeeded" | "Failed")
                && !str_at(p, "status/podIP").is_empty()
        })
        .map(|p| Backend {
            pod: p,
            ip: str_at(p, "status/podIP").to_string(),
            ready: publish || pod_ready(p),
            terminating: is_deleting(p),
            ports: arr_at(svc, "spec/ports")
                .iter()
                .filter_map(|sp| {
                    Some((
                        str_at(sp, "name").to_string(),
                        target_port(sp, p)?,
                        str_at(sp, "protocol").to_string(),
                    ))
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| a.ip.cmp(&b.ip));
    out
}

fn pod_target(pod: &Value) -> Value {
    json!({"kind": "Pod", "namespace": str_at(pod, "metadata/namespace"), "name": str_at(pod, "metadata/name"), "uid": str_at(pod, "metadata/uid")})
}

fn hostname(pod: &Value, svc: &str) -> Option<String> {
    let h = str_at(pod, "spec/hostname");
    (!h.is_empty() && str_at(pod, "spec/subdomain") == svc).then(|| h.to_string())
}

/// The `subsets` of the Endpoints object: addresses grouped by the ports they expose.
fn subsets(svc: &Value, backends: &[Backend]) -> Vec<Value> {
    let name = str_at(svc, "metadata/name");
    let mut groups: BTreeMap<Vec<PortRef>, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    for b in backends
        .iter()
        .filter(|b| !b.terminating && !b.ports.is_empty())
    {
        let mut addr = json!({"ip": b.ip});
        if let Some(h) = hostname(b.pod, name) {
            addr["hostname"] = json!(h);
        }
        addr["nodeName"] = json!(str_at(b.pod, "spec/nodeName"));
        addr["targetRef"] = pod_target(b.pod);
        let g = groups.entry(b.ports.clone()).or_default();
        if b.ready {
            g.0.push(addr)
        } else {
            g.1.push(addr)
        }
    }
    groups
        .into_iter()
        .map(|(ports, (ready, not_ready))| {
            let mut s = Map::new();
            if !ready.is_empty() {
                s.insert("addresses".into(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                s.insert("notReadyAddresses".into(), Value::Array(not_ready));
            }
            let ports: Vec<Value> = ports
                .iter()
                .map(|(n, p, proto)| {
                    if n.is_empty() {
                        json!({"port": p, "protocol": proto})
                    } else {
                        json!({"name": n, "port": p, "protocol": proto})
                    }
                })
                .collect();
            s.insert("ports".into(), Value::Array(ports));
            Value::Object(s)
        })
        .collect()
}

fn labels_for(svc: &Value, extra: &[(&str, &str)]) -> Value {
    let mut l = obj_at(svc, "metadata/labels").cloned().unwrap_or_default();
    if str_at(svc, "spec/clusterIP") == "None" {
        l.insert("service.kubernetes.io/headless".into(), json!(""));
    }
    for (k, v) in extra {
        l.insert((*k).into(), json!(v));
    }
    Value::Object(l)
}

fn write(sim: &Sim, key: Key, existing: Option<&Value>, mut desired: Value, bump_generation: bool) {
    let now = super::super::now();
    match existing {
        Some(old) => {
            let mut meta = old["metadata"].clone();
            meta["labels"] = desired["metadata"]["labels"].clone();
            meta["annotations"] = json!({TRIGGER: now});
            if bump_generation {
                meta["generation"] = json!(
                    old.pointer("/metadata/generation")
                        .and_then(Value::as_i64)
                        .unwrap_or(1)
                        + 1
                );
            }
            desired["metadata"] = meta;
            let _ = sim.store.update(&key, desired, Some(object_rv(old)));
        }
        None => {
            let m = desired["metadata"].as_object_mut().expect("metadata");
            m.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
            m.insert("creationTimestamp".into(), json!(now));
            if bump_generation {
                m.insert("generation".into(), json!(1));
            }
            m.insert("annotations".into(), json!({TRIGGER: now}));
            let _ = sim.store.create(key, desired);
        }
    }
}

fn differs(existing: Option<&Value>, desired: &Value, fields: &[&str]) -> bool {
    let Some(old) = existing else { return true };
    old.pointer("/metadata/labels") != desired.pointer("/metadata/labels")
        || fields.iter().any(|f| old.get(*f) != desired.get(*f))
}

fn sync_endpoints(sim: &Sim, svc: &Value, backends: &[Backend]) {
    let (ns, name) = (
        str_at(svc, "metadata/namespace"),
        str_at(svc, "metadata/name"),
    );
    let key = Key::new("endpoints", ns, name);
    let existing = sim.store.get(&key);
    let subsets = subsets(svc, backends);
    let mut desired = json!({
        "kind": "Endpoints",
        "apiVersion": "v1",
        "metadata": {"name": name, "namespace": ns, "labels": labels_for(svc, &[("endpoints.kubernetes.io/managed-by", ENDPOINTS_MANAGER)])},
    });
    if !subsets.is_empty() {
        desired["subsets"] = Value::Array(subsets);
    }
    if differs(existing.as_deref(), &desired, &["subsets"]) {
        write(sim, key, existing.as_deref(), desired, false);
    }
}

fn sync_slice(
    sim: &Sim,
    svc: &Value,
    backends: &[Backend],
    slices: &[&Value],
    zones: &HashMap<String, String>,
) {
    let (ns, name) = (
        str_at(svc, "metadata/namespace"),
        str_at(svc, "metadata/name"),
    );
    let endpoints: Vec<Value> = backends
        .iter()
        .map(|b| {
            let mut e = Map::new();
            e.insert("addresses".into(), json!([b.ip]));
            e.insert("conditions".into(), json!({"ready": b.ready && !b.terminating, "serving": b.ready, "terminating": b.terminating}));
            if let Some(h) = hostname(b.pod, name) {
                e.insert("hostname".into(), json!(h));
            }
            e.insert("targetRef".into(), pod_target(b.pod));
            let node = str_at(b.pod, "spec/nodeName");
            e.insert("nodeName".into(), json!(node));
            if let Some(z) = zones.get(node) {
                e.insert("zone".into(), json!(z));
            }
            Value::Object(e)
        })
        .collect();
    let ports = backends.first().map(|b| {
        Value::Array(
            b.ports
                .iter()
                .map(|(n, p, proto)| json!({"name": n, "protocol": proto, "port": p}))
                .collect(),
        )
    });
    let existing = slices.first().copied();
    let slice_name = existing
        .map(|s| str_at(s, "metadata/name").to_string())
        .unwrap_or_else(|| format!("{name}-{}", crate::resources::random_suffix(5)));
    let labels = labels_for(
        svc,
        &[
            ("endpointslice.kubernetes.io/managed-by", SLICE_MANAGER),
            ("kubernetes.io/service-name", name),
        ],
    );
    let desired = json!({
        "kind": "EndpointSlice",
        "apiVersion": "discovery.k8s.io/v1",
        "metadata": {
            "name": slice_name,
            "generateName": format!("{name}-"),
            "namespace": ns,
            "labels": labels,
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name, "uid": str_at(svc, "metadata/uid"), "controller": true, "blockOwnerDeletion": true}],
        },
        "addressType": "IPv4",
        "endpoints": if endpoints.is_empty() { Value::Null } else { Value::Array(endpoints) },
        "ports": ports.unwrap_or(Value::Null),
    });
    if differs(existing, &desired, &["endpoints", "ports", "addressType"]) {
        write(
            sim,
            Key::new("discovery.k8s.io/endpointslices", ns, &slice_name),
            existing,
            desired,
            true,
        );
    }
}

/// The resources whose changes can change a Service's Endpoints and EndpointSlices.
const NAMESPACED_INPUTS: &[&str] = &[
    "services",
    "pods",
    "endpoints",
    "discovery.k8s.io/endpointslices",
];

/// Whether anything a Service in `ns` depends on changed after resourceVersion `seen`.
fn namespace_changed(sim: &Sim, ns: &str, seen: u64) -> bool {
    NAMESPACED_INPUTS
        .iter()
        .any(|r| sim.store.last_change(r, Some(ns)) > seen)
}

/// One pass: bring every selector Service's Endpoints and EndpointSlice up to date, remove
/// the Endpoints of Services that are gone. `seen` is the store's resourceVersion at the last
/// pass: the pass is skipped when no namespace, service, pod, node, Endpoints or EndpointSlice
/// changed since, and Services whose namespace saw no change (and no node changed) are
/// left alone.
pub fn reconcile(
    sim: &Sim,
    seen: &mut Option<u64>,
    _: super::super::ticker::Changes,
) -> Option<Duration> {
    let start_rv = sim.store.current_rv();
    let since = seen.unwrap_or(0);
    let global = ["namespaces", "nodes"]
        .iter()
        .any(|r| sim.store.last_change(r, None) > since)
        || seen.is_none();
    if !global
        && NAMESPACED_INPUTS
            .iter()
            .all(|r| sim.store.last_change(r, None) <= since)
    {
        return None;
    }
    *seen = Some(start_rv);
    let (namespaces, _) = sim.store.list("namespaces", None);
    let (services, _) = sim.store.list("services", None);
    let (nodes, _) = sim.store.list("nodes", None);
    let (slices, _) = sim.store.list("discovery.k8s.io/endpointslices", None);
    let (endpoints, _) = sim.store.list("endpoints", None);
    let open: HashSet<&str> = namespaces
        .iter()
        .filter(|n| !is_deleting(n))
        .map(|n| str_at(n, "metadata/name"))
        .collect();
    let zones: HashMap<String, String> = nodes
        .iter()
        .filter_map(|n| {
            Some((
                str_at(n, "metadata/name").to_string(),
                n.pointer("/metadata/labels/topology.kubernetes.io~1zone")?
                    .as_str()?
                    .to_string(),
            ))
        })
        .collect();
    let mut by_ns: HashMap<String, Vec<std::sync::Arc<Value>>> = HashMap::new();
    let mut wanted: HashSet<(String, String)> = HashSet::new();
    for svc in &services {
        let ns = str_at(svc, "metadata/namespace");
        let has_selector = obj_at(svc, "spec/selector").is_some_and(|s| !s.is_empty());
        if !open.contains(ns)
            || is_deleting(svc)
            || !has_selector
            || str_at(svc, "spec/type") == "ExternalName"
        {
            continue;
        }
        let name = str_at(svc, "metadata/name");
        wanted.insert((ns.to_string(), name.to_string()));
        if !global && !namespace_changed(sim, ns, since) {
            continue;
        }
        let pods = by_ns
            .entry(ns.to_string())
            .or_insert_with(|| sim.store.list("pods", Some(ns)).0);
        let pods: Vec<&Value> = pods.iter().map(|p| &**p).collect();
        let b = backends(svc, &pods);
        sync_endpoints(sim, svc, &b);
        let mine: Vec<&Value> = slices
            .iter()
            .filter(|s| {
                str_at(s, "metadata/namespace") == ns
                    && s.pointer("/metadata/labels/kubernetes.io~1service-name")
                        .and_then(Value::as_str)
                        == Some(name)
            })
            .filter(|s| {
                s.pointer("/metadata/labels/endpointslice.kubernetes.io~1managed-by")
                    .and_then(Value::as_str)
                    == Some(SLICE_MANAGER)
            })
            .map(|s| &**s)
            .collect();
        sync_slice(sim, svc, &b, &mine, &zones);
    }
    for ep in endpoints {
        let managed = ep
            .pointer("/metadata/labels/endpoints.kubernetes.io~1managed-by")
            .and_then(Value::as_str)
            == Some(ENDPOINTS_MANAGER);
        let id = (
            str_at(&ep, "metadata/namespace").to_string(),
            str_at(&ep, "metadata/name").to_string(),
        );
        if managed && !wanted.contains(&id) {
            let _ = sim.store.delete(&Key::new("endpoints", &id.0, &id.1), None);
        }
    }
    None
}
