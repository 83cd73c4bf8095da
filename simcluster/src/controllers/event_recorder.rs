//! Events as the node-side components write them: the kubelet's core/v1 events (`source`,
//! `count` and `lastTimestamp` aggregated like client-go's event correlator) and the scheduler's
//! events.k8s.io/v1 events as seen through core/v1 (`eventTime`, `action`, `series`).

use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::resources::json::str_at;
use crate::store::{Key, is_deleting, object_rv};

/// An `ObjectReference` to a pod, optionally to one of its containers
/// (`spec.containers{name}`).
pub fn pod_ref(pod: &Value, field_path: Option<&str>) -> Value {
    let mut r = json!({
        "kind": "Pod",
        "namespace": str_at(pod, "metadata/namespace"),
        "name": str_at(pod, "metadata/name"),
        "uid": str_at(pod, "metadata/uid"),
        "apiVersion": "v1",
        "resourceVersion": str_at(pod, "metadata/resourceVersion"),
    });
    if let Some(fp) = field_path {
        r["fieldPath"] = json!(fp);
    }
    r
}

/// An `ObjectReference` to a node (events about nodes live in `default`).
pub fn node_ref(node: &Value) -> Value {
    let name = str_at(node, "metadata/name");
    json!({"kind": "Node", "name": name, "uid": name})
}

fn event_name(object_name: &str) -> String {
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("{object_name}.{nanos:x}")
}

/// Whether events may be written into `namespace` (it exists and is not terminating).
fn namespace_open(sim: &Sim, namespace: &str) -> bool {
    sim.store
        .get(&Key::new("namespaces", "", namespace))
        .is_some_and(|ns| !is_deleting(&ns))
}

/// The events in `namespace` that may be about `involved` (the store's index by involved uid;
/// every event of the namespace when the reference has no uid).
fn candidates(sim: &Sim, namespace: &str, involved: &Value) -> Vec<std::sync::Arc<Value>> {
    match involved.get("uid").and_then(Value::as_str) {
        Some(u) if !u.is_empty() => sim.store.events_about(namespace, u),
        _ => sim.store.list("events", Some(namespace)).0,
    }
}

fn same_object(a: &Value, b: &Value) -> bool {
    a.get("uid") == b.get("uid")
        && a.get("fieldPath") == b.get("fieldPath")
        && a.get("name") == b.get("name")
}

/// Who reports an event: a component, on a host for node agents.
#[derive(Clone, Copy)]
pub struct Reporter<'a> {
    pub component: &'a str,
    pub host: &'a str,
}

/// Record a core/v1 event as the kubelet (or another client-go component) does. An identical
/// earlier event (same object, type, reason, message, source) gets `count + 1` instead.
pub fn record(
    sim: &Sim,
    namespace: &str,
    involved: Value,
    event_type: &str,
    reason: &str,
    message: &str,
    by: Reporter,
) {
    let Reporter { component, host } = by;
    if !namespace_open(sim, namespace) {
        return;
    }
    let now = super::now();
    let source = if host.is_empty() {
        json!({"component": component})
    } else {
        json!({"component": component, "host": host})
    };
    let existing = candidates(sim, namespace, &involved);
    for ev in existing {
        if same_object(&ev["involvedObject"], &involved)
            && ev["reason"] == reason
            && ev["message"] == message
            && ev["type"] == event_type
            && ev["source"] == source
        {
            let mut next = (*ev).clone();
            next["count"] = json!(ev["count"].as_i64().unwrap_or(1) + 1);
            next["lastTimestamp"] = json!(now);
            let key = Key::new("events", namespace, str_at(&ev, "metadata/name"));
            let _ = sim.store.update(&key, next, Some(object_rv(&ev)));
            return;
        }
    }
    let name = event_name(involved["name"].as_str().unwrap_or("unknown"));
    let ev = json!({
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": name, "namespace": namespace, "uid": uuid::Uuid::new_v4().to_string(), "creationTimestamp": now},
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
        "type": event_type,
        "eventTime": null,
        "reportingComponent": component,
        "reportingInstance": host,
    });
    let _ = sim.store.create(Key::new("events", namespace, &name), ev);
}

/// Current time with microseconds (`metav1.MicroTime`).
pub fn micro_now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// Record an event the way kube-scheduler does (events.k8s.io/v1 recorder): no source or
/// counts, an `eventTime`, an `action`; a repeat of the same event grows `series.count`.
pub fn record_scheduler(
    sim: &Sim,
    namespace: &str,
    involved: Value,
    event_type: &str,
    reason: &str,
    action: &str,
    message: &str,
) {
    if !namespace_open(sim, namespace) {
        return;
    }
    let existing = candidates(sim, namespace, &involved);
    for ev in existing {
        if same_object(&ev["involvedObject"], &involved)
            && ev["reason"] == reason
            && ev["message"] == message
            && ev["reportingComponent"] == "default-scheduler"
        {
            let mut next = (*ev).clone();
            let count = ev
                .pointer("/series/count")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                + 1;
            let series = json!({"count": count, "lastObservedTime": micro_now()});
            next = insert_after(next, "eventTime", "series", series);
            let key = Key::new("events", namespace, str_at(&ev, "metadata/name"));
            let _ = sim.store.update(&key, next, Some(object_rv(&ev)));
            return;
        }
    }
    let name = event_name(involved["name"].as_str().unwrap_or("unknown"));
    let ev = json!({
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": name, "namespace": namespace, "uid": uuid::Uuid::new_v4().to_string(), "creationTimestamp": super::now()},
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": {},
        "firstTimestamp": null,
        "lastTimestamp": null,
        "type": event_type,
        "eventTime": micro_now(),
        "action": action,
        "reportingComponent": "default-scheduler",
        "reportingInstance": scheduler_instance(sim),
    });
    let _ = sim.store.create(Key::new("events", namespace, &name), ev);
}

/// `default-scheduler-<control-plane host>`, as the scheduler names its reporting instance.
fn scheduler_instance(sim: &Sim) -> String {
    let (nodes, _) = sim.store.list("nodes", None);
    let host = nodes
        .iter()
        .find(|n| {
            n.pointer("/metadata/labels/node-role.kubernetes.io~1control-plane")
                .is_some()
        })
        .map(|n| str_at(n, "metadata/name").to_string())
        .unwrap_or_else(|| "simcluster".into());
    format!("default-scheduler-{host}")
}

/// Put `key: value` right after `after` in an object (Go struct field order), replacing it.
fn insert_after(obj: Value, after: &str, key: &str, value: Value) -> Value {
    let Value::Object(m) = obj else { return obj };
    let mut out = serde_json::Map::new();
    for (k, v) in m {
        if k == key {
            continue;
        }
        let here = k == after;
        out.insert(k, v);
        if here {
            out.insert(key.into(), value.clone());
        }
    }
    if !out.contains_key(key) {
        out.insert(key.into(), value);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_goes_after_event_time() {
        let v = insert_after(
            json!({"type": "Normal", "eventTime": "t", "action": "a"}),
            "eventTime",
            "series",
            json!({"count": 2}),
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["type", "eventTime", "series", "action"]);
    }

    #[test]
    fn event_names_are_object_dot_hex() {
        let n = event_name("web");
        let (obj, hex) = n.split_once('.').unwrap();
        assert_eq!(obj, "web");
        assert!(
            hex.len() >= 12 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            "{n}"
        );
    }
}
