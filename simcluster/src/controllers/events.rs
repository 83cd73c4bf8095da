//! Event recording for the simulated controllers, as client-go's `tools/record` does it for
//! kube-controller-manager and the kubelet: core/v1 Events named `<object>.<hex nanos>`, with
//! `source`, `reportingComponent`/`reportingInstance`, and the EventCorrelator's behaviour —
//! identical events bump `count`/`lastTimestamp` of the first one, more than 10 similar events
//! (same object and reason, other messages) within 10 minutes are combined into one
//! "(combined from similar events): ..." event, and a source may burst 25 events about one
//! object, then one every 5 minutes.
//!
//! Use: `events::record(sim, &Source::new("deployment-controller"), &events::object_ref("Deployment",
//! "apps/v1", &obj), "Normal", "ScalingReplicaSet", &message)`.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::store::{Key, is_deleting, object_rv};

/// Who reports an event: `source.component`/`reportingComponent` and `source.host`/
/// `reportingInstance` (empty for controllers, the node name for the kubelet).
#[derive(Debug, Clone)]
pub struct Source {
    pub component: String,
    pub host: String,
}

impl Source {
    pub fn new(component: &str) -> Self {
        Self {
            component: component.into(),
            host: String::new(),
        }
    }
    pub fn with_host(component: &str, host: &str) -> Self {
        Self {
            component: component.into(),
            host: host.into(),
        }
    }
}

/// The ObjectReference of a stored object (`kind`/`apiVersion` are not stored with it).
pub fn object_ref(kind: &str, api_version: &str, obj: &Value) -> Value {
    let m = |k: &str| {
        obj.pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut r = serde_json::Map::new();
    r.insert("kind".into(), json!(kind));
    if !m("namespace").is_empty() {
        r.insert("namespace".into(), json!(m("namespace")));
    }
    r.insert("name".into(), json!(m("name")));
    r.insert("uid".into(), json!(m("uid")));
    r.insert("apiVersion".into(), json!(api_version));
    r.insert("resourceVersion".into(), json!(m("resourceVersion")));
    Value::Object(r)
}

/// [`object_ref`] with a `fieldPath` (e.g. `spec.containers{app}` for container events).
pub fn object_ref_field(kind: &str, api_version: &str, obj: &Value, field_path: &str) -> Value {
    let mut r = object_ref(kind, api_version, obj);
    r["fieldPath"] = json!(field_path);
    r
}

const CACHE_LIMIT: usize = 4096;
const AGGREGATE_MAX: usize = 10;
const AGGREGATE_INTERVAL: Duration = Duration::from_secs(600);
const SPAM_BURST: f64 = 25.0;
const SPAM_REFILL_PER_SEC: f64 = 1.0 / 300.0;

struct Observed {
    count: i64,
    first: String,
    name: String,
    namespace: String,
}

#[derive(Default)]
struct Correlator {
    spam: HashMap<String, (f64, Instant)>,
    similar: HashMap<String, (HashSet<String>, Instant)>,
    observed: HashMap<String, Observed>,
    last_nanos: i64,
}

/// Correlator state per simulated cluster (keyed by the address of its store: the state of a
/// cluster that is gone can at worst miss, as every hit is checked against the store).
fn with_state<R>(sim: &Sim, f: impl FnOnce(&mut Correlator) -> R) -> R {
    static STATE: OnceLock<Mutex<HashMap<usize, Correlator>>> = OnceLock::new();
    let map = STATE.get_or_init(Default::default);
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    let c = map.entry(&sim.store as *const _ as usize).or_default();
    if c.observed.len() > CACHE_LIMIT || c.similar.len() > CACHE_LIMIT || c.spam.len() > CACHE_LIMIT
    {
        // A crude LRU: forget everything (events then start new series, as after a restart).
        *c = Correlator {
            last_nanos: c.last_nanos,
            ..Default::default()
        };
    }
    f(c)
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Record an event about the object `regarding` (an ObjectReference, see [`object_ref`]).
/// Events about cluster-scoped objects go to the `default` namespace. Nothing is written when
/// the namespace is missing or terminating (the apiserver would refuse it).
pub fn record(
    sim: &Sim,
    source: &Source,
    regarding: &Value,
    event_type: &str,
    reason: &str,
    message: &str,
) {
    let ns = match str_of(regarding, "namespace") {
        "" => "default".to_string(),
        n => n.to_string(),
    };
    match sim.store.get(&Key::new("namespaces", "", &ns)) {
        Some(n) if !is_deleting(&n) => {}
        _ => return,
    }
    let object_key = [
        source.component.as_str(),
        &source.host,
        str_of(regarding, "kind"),
        str_of(regarding, "namespace"),
        str_of(regarding, "name"),
        str_of(regarding, "uid"),
        str_of(regarding, "apiVersion"),
    ]
    .join("\u{0}");
    let now = Utc::now();
    let plan = with_state(sim, |c| {
        // Spam filter: a token bucket per source and object.
        let clock = Instant::now();
        let (tokens, at) = c
            .spam
            .entry(object_key.clone())
            .or_insert((SPAM_BURST, clock));
        let refilled = (*tokens + clock.duration_since(*at).as_secs_f64() * SPAM_REFILL_PER_SEC)
            .min(SPAM_BURST);
        *at = clock;
        if refilled < 1.0 {
            *tokens = refilled;
            return None;
        }
        *tokens = refilled - 1.0;
        // Aggregation of similar events (same object and reason, different messages).
        let aggregate_key = format!(
            "{object_key}\u{0}{event_type}\u{0}{reason}\u{0}{}\u{0}{}",
            source.component, source.host
        );
        let entry = c
            .similar
            .entry(aggregate_key.clone())
            .or_insert_with(|| (HashSet::new(), clock));
        if clock.duration_since(entry.1) > AGGREGATE_INTERVAL {
            entry.0.clear();
        }
        entry.0.insert(message.to_string());
        entry.1 = clock;
        let (key, message) = if entry.0.len() >= AGGREGATE_MAX {
            if let Some(any) = entry.0.iter().next().cloned() {
                entry.0.remove(&any);
            }
            (
                aggregate_key,
                format!("(combined from similar events): {message}"),
            )
        } else {
            (
                format!(
                    "{object_key}\u{0}{}\u{0}{event_type}\u{0}{reason}\u{0}{message}",
                    str_of(regarding, "fieldPath")
                ),
                message.to_string(),
            )
        };
        let nanos = now.timestamp_nanos_opt().unwrap_or(0).max(c.last_nanos + 1);
        c.last_nanos = nanos;
        let previous = c.observed.get(&key).map(|o| {
            (
                o.count,
                o.first.clone(),
                o.name.clone(),
                o.namespace.clone(),
            )
        });
        Some((key, message, nanos, previous))
    });
    let Some((key, message, nanos, previous)) = plan else {
        return;
    };
    let stamp = format_time(now);
    if let Some((count, first, name, ev_ns)) = previous {
        let ekey = Key::new("events", &ev_ns, &name);
        if let Some(existing) = sim.store.get(&ekey) {
            let mut next = (*existing).clone();
            next["count"] = json!(count + 1);
            next["lastTimestamp"] = json!(stamp);
            next["message"] = json!(message);
            if sim
                .store
                .update(&ekey, next, Some(object_rv(&existing)))
                .is_ok()
            {
                with_state(sim, |c| {
                    c.observed.insert(
                        key,
                        Observed {
                            count: count + 1,
                            first,
                            name,
                            namespace: ev_ns,
                        },
                    )
                });
                return;
            }
        }
    }
    let name = format!("{}.{:x}", str_of(regarding, "name"), nanos);
    let event = json!({
        "metadata": {
            "name": name,
            "namespace": ns,
            "uid": uuid::Uuid::new_v4().to_string(),
            "resourceVersion": "",
            "creationTimestamp": stamp,
        },
        "involvedObject": regarding,
        "reason": reason,
        "message": message,
        "source": if source.host.is_empty() { json!({"component": source.component}) } else { json!({"component": source.component, "host": source.host}) },
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
        "count": 1,
        "type": event_type,
        "eventTime": null,
        "reportingComponent": source.component,
        "reportingInstance": source.host,
    });
    if sim
        .store
        .create(Key::new("events", &ns, &name), event)
        .is_ok()
    {
        with_state(sim, |c| {
            c.observed.insert(
                key,
                Observed {
                    count: 1,
                    first: stamp,
                    name,
                    namespace: ns,
                },
            )
        });
    }
}

/// A controller reporting about its objects of one kind: `source.component` and the kind and
/// apiVersion of the ObjectReference.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    pub component: &'static str,
    pub kind: &'static str,
    pub api_version: &'static str,
}

/// Shorthand: record an event about a stored object.
pub fn record_for(
    sim: &Sim,
    who: &Reporter,
    obj: &Value,
    event_type: &str,
    reason: &str,
    message: &str,
) {
    record(
        sim,
        &Source::new(who.component),
        &object_ref(who.kind, who.api_version, obj),
        event_type,
        reason,
        message,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> std::sync::Arc<Sim> {
        let sim = crate::controllers::workloads::test_sim(false);
        crate::controllers::bootstrap(&sim);
        sim
    }

    fn events(sim: &Sim) -> Vec<Value> {
        sim.store
            .list("events", Some("default"))
            .0
            .iter()
            .map(|e| (**e).clone())
            .collect()
    }

    #[test]
    fn identical_events_are_counted_on_the_first_one() {
        let sim = sim();
        let pod = json!({"metadata": {"name": "p", "namespace": "default", "uid": "u1", "resourceVersion": "5"}});
        let r = object_ref("Pod", "v1", &pod);
        let src = Source::new("test-controller");
        record(&sim, &src, &r, "Normal", "Pulled", "pulled");
        record(&sim, &src, &r, "Normal", "Pulled", "pulled");
        record(&sim, &src, &r, "Warning", "Failed", "boom");
        let evs = events(&sim);
        assert_eq!(evs.len(), 2);
        let pulled = evs.iter().find(|e| e["reason"] == "Pulled").unwrap();
        assert_eq!(pulled["count"], 2);
        assert!(
            pulled["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with("p.")
        );
        assert_eq!(pulled["source"], json!({"component": "test-controller"}));
        assert_eq!(pulled["reportingComponent"], "test-controller");
        assert_eq!(pulled["involvedObject"]["resourceVersion"], "5");
    }

    #[test]
    fn many_similar_events_are_combined_and_spam_is_limited() {
        let sim = sim();
        let rs = json!({"metadata": {"name": "rs", "namespace": "default", "uid": "u2"}});
        let r = object_ref("ReplicaSet", "apps/v1", &rs);
        let src = Source::new("replicaset-controller");
        for i in 0..40 {
            record(
                &sim,
                &src,
                &r,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: rs-{i}"),
            );
        }
        let evs = events(&sim);
        // 9 distinct events, then one combined event counting the rest up to the burst of 25.
        assert_eq!(evs.len(), 10, "{evs:#?}");
        let combined: Vec<&Value> = evs
            .iter()
            .filter(|e| {
                e["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("(combined from similar events): ")
            })
            .collect();
        assert_eq!(combined.len(), 1);
        assert_eq!(combined[0]["count"], 16);
    }
}
