//! The simulated kube-scheduler (`default-scheduler`): binds pending pods to the best node that
//! passes the filters, with the `PodScheduled` condition and a `Scheduled` event; a pod that fits
//! nowhere stays Pending with `PodScheduled=False` (`Unschedulable`) and a `FailedScheduling`
//! event worded like the real scheduler's. Also the binding itself (`pods/binding`).

pub mod filters;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::event_recorder::{self, pod_ref};
use super::ticker::Changes;
use crate::cluster::Sim;
use crate::resources::json::{arr_at, i64_at, str_at};
use crate::sim_metrics::hash64;
use crate::store::{EventType, Key, StoreError, is_deleting, object_rv};
use filters::{Failure, NodeInfo, Placed};

/// How often a pod that still fits nowhere gets a new FailedScheduling event.
const RETRY_EVENT_EVERY: Duration = Duration::from_secs(300);

/// Unschedulable pods (uid) and when their last FailedScheduling event was written, and the
/// scheduler's cache of what runs where.
#[derive(Default)]
pub struct Scheduler {
    failed: HashMap<String, Instant>,
    cache: Cache,
}

/// The nodes with the sums of the pods placed on them, kept current from the store's events
/// (the scheduler cache): a pod counts on its node until it has finished or is gone.
#[derive(Default)]
struct Cache {
    nodes: BTreeMap<String, NodeInfo>,
    placed: HashMap<Key, (String, Placed)>,
}

/// What a stored pod counts for, and on which node.
fn placement(pod: &Value) -> Option<(String, Placed)> {
    let on = str_at(pod, "spec/nodeName");
    (!on.is_empty() && !matches!(str_at(pod, "status/phase"), "Succeeded" | "Failed"))
        .then(|| (on.to_string(), Placed::of(pod)))
}

impl Cache {
    fn rebuild(sim: &Sim) -> Cache {
        let mut c = Cache::default();
        for n in sim.store.list("nodes", None).0 {
            c.nodes
                .insert(str_at(&n, "metadata/name").to_string(), NodeInfo::of(n));
        }
        for p in sim.store.bound_pods() {
            c.set_pod(key_of(&p), Some(&p));
        }
        c
    }

    /// Account the current state of a pod (`None`: deleted).
    fn set_pod(&mut self, key: Key, pod: Option<&Value>) {
        let next = pod.and_then(placement);
        match self.placed.get(&key) {
            Some(old) if Some(old) == next.as_ref() => return,
            Some((node, p)) => {
                if let Some(n) = self.nodes.get_mut(node) {
                    n.remove(p);
                }
                self.placed.remove(&key);
            }
            None => {}
        }
        if let Some((node, p)) = next {
            if let Some(n) = self.nodes.get_mut(&node) {
                n.add(&p);
            }
            self.placed.insert(key, (node, p));
        }
    }

    fn set_node(&mut self, name: &str, node: Option<&std::sync::Arc<Value>>) {
        match (node, self.nodes.get_mut(name)) {
            (None, _) => {
                self.nodes.remove(name);
            }
            (Some(n), Some(info)) => info.renew(n.clone()),
            (Some(n), None) => {
                let mut info = NodeInfo::of(n.clone());
                for (on, p) in self.placed.values() {
                    if on == name {
                        info.add(p);
                    }
                }
                self.nodes.insert(name.to_string(), info);
            }
        }
    }

    fn apply(&mut self, sim: &Sim, changes: Changes) {
        if changes.resync {
            *self = Cache::rebuild(sim);
            return;
        }
        for ev in changes.events {
            let gone = ev.kind == EventType::Deleted;
            match ev.key.resource.as_str() {
                "pods" => self.set_pod(ev.key, (!gone).then_some(&*ev.object)),
                "nodes" => self.set_node(&ev.key.name, (!gone).then_some(&ev.object)),
                _ => {}
            }
        }
    }
}

fn key_of(pod: &Value) -> Key {
    Key::new(
        "pods",
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
    )
}

/// Why a binding was refused.
#[derive(Debug, PartialEq)]
pub enum BindError {
    NotFound,
    /// The Go error text (`pod web is already assigned to node "n1"`).
    Refused(String),
}

fn needs_scheduling(pod: &Value) -> bool {
    str_at(pod, "spec/nodeName").is_empty()
        && !is_deleting(pod)
        && matches!(str_at(pod, "spec/schedulerName"), "" | "default-scheduler")
        && !matches!(str_at(pod, "status/phase"), "Succeeded" | "Failed")
}

/// Replace (or add) the condition of the same type in a pod's status.
fn set_condition(pod: &mut Value, cond: Value) {
    if !pod["status"].is_object() {
        pod["status"] = json!({});
    }
    let list = pod["status"]
        .as_object_mut()
        .expect("object")
        .entry("conditions")
        .or_insert_with(|| json!([]));
    if let Some(a) = list.as_array_mut() {
        match a.iter_mut().find(|c| c["type"] == cond["type"]) {
            Some(c) => *c = cond,
            None => a.push(cond),
        }
    }
}

fn scheduled_condition(
    pod: &Value,
    ok: bool,
    reason: Option<&str>,
    message: Option<&str>,
) -> Value {
    let mut c = json!({
        "type": "PodScheduled",
        "observedGeneration": i64_at(pod, "metadata/generation").unwrap_or(1),
        "status": if ok { "True" } else { "False" },
        "lastProbeTime": null,
        "lastTransitionTime": super::now(),
    });
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

/// Bind a pod to a node as the binding subresource does: `spec.nodeName` and
/// `PodScheduled=True`.
pub fn bind(sim: &Sim, namespace: &str, name: &str, node: &str) -> Result<Value, BindError> {
    let key = Key::new("pods", namespace, name);
    for _ in 0..8 {
        let pod = sim.store.get(&key).ok_or(BindError::NotFound)?;
        if is_deleting(&pod) {
            return Err(BindError::Refused(format!(
                "pod {name} is being deleted, cannot be assigned to a host"
            )));
        }
        let current = str_at(&pod, "spec/nodeName");
        if !current.is_empty() {
            return Err(BindError::Refused(format!(
                "pod {name} is already assigned to node {current:?}"
            )));
        }
        if !arr_at(&pod, "spec/schedulingGates").is_empty() {
            return Err(BindError::Refused(format!(
                "pod {name} has non-empty .spec.schedulingGates"
            )));
        }
        let mut next = (*pod).clone();
        next["spec"]["nodeName"] = json!(node);
        set_condition(&mut next, scheduled_condition(&pod, true, None, None));
        match sim.store.update(&key, next, Some(object_rv(&pod))) {
            Ok(v) => return Ok((*v).clone()),
            Err(StoreError::Conflict) => continue,
            Err(_) => return Err(BindError::NotFound),
        }
    }
    Err(BindError::Refused("the object has been modified; please apply your changes to the latest version and try again".into()))
}

fn priority(pod: &Value) -> i64 {
    i64_at(pod, "spec/priority").unwrap_or(0)
}

/// One scheduling pass over every pending pod, highest priority and oldest first.
pub fn reconcile(sim: &Sim, st: &mut Scheduler, changes: Changes) -> Option<Duration> {
    st.cache.apply(sim, changes);
    super::volumes::reclaim(sim);
    let pods = sim.store.unscheduled_pods();
    let mut pending: Vec<&Arc<Value>> = pods.iter().filter(|p| needs_scheduling(p)).collect();
    let uids: HashSet<&str> = pending.iter().map(|p| str_at(p, "metadata/uid")).collect();
    st.failed.retain(|uid, _| uids.contains(uid.as_str()));
    if pending.is_empty() {
        return None;
    }
    pending.sort_by(|a, b| {
        priority(b)
            .cmp(&priority(a))
            .then_with(|| {
                str_at(a, "metadata/creationTimestamp").cmp(str_at(b, "metadata/creationTimestamp"))
            })
            .then_with(|| str_at(a, "metadata/name").cmp(str_at(b, "metadata/name")))
    });
    for pod in pending {
        schedule_one(sim, st, pod);
    }
    None
}

fn schedule_one(sim: &Sim, st: &mut Scheduler, pod: &Value) {
    let (ns, name, uid) = (
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
        str_at(pod, "metadata/uid"),
    );
    if !arr_at(pod, "spec/schedulingGates").is_empty() {
        let msg = "Scheduling is blocked due to non-empty scheduling gates";
        if !has_condition(pod, "False", msg) {
            update_condition(
                sim,
                pod,
                scheduled_condition(pod, false, Some("SchedulingGated"), Some(msg)),
            );
        }
        return;
    }
    let pinned = super::volumes::pinned_nodes(sim, pod);
    let req = filters::pod_requests(pod);
    let mut failures: Vec<Failure> = Vec::new();
    let mut best: Option<(i64, u64, &str)> = None;
    for n in st.cache.nodes.values() {
        match filters::filter_req(pod, &req, n, pinned.as_deref()) {
            Ok(()) => {
                let key = (
                    filters::score_req(pod, &req, n),
                    hash64(0, &[name, &n.name]),
                    n.name.as_str(),
                );
                if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                    best = Some(key);
                }
            }
            Err(f) => failures.push(f),
        }
    }
    if let Some((_, _, node)) = best {
        let node = node.to_string();
        if let Ok(bound) = bind(sim, ns, name, &node) {
            super::volumes::provision_for(sim, pod, &node);
            st.cache.set_pod(key_of(pod), Some(&bound));
            st.failed.remove(uid);
            let msg = format!("Successfully assigned {ns}/{name} to {node}");
            event_recorder::record_scheduler(
                sim,
                ns,
                pod_ref(pod, None),
                "Normal",
                "Scheduled",
                "Binding",
                &msg,
            );
        }
        return;
    }
    let never = str_at(pod, "spec/preemptionPolicy") == "Never";
    let msg = filters::fit_error(st.cache.nodes.len(), &failures, never);
    let same = has_condition(pod, "False", &msg);
    let stale = st
        .failed
        .get(uid)
        .is_none_or(|t| t.elapsed() >= RETRY_EVENT_EVERY);
    if same && !stale {
        return;
    }
    if !same {
        update_condition(
            sim,
            pod,
            scheduled_condition(pod, false, Some("Unschedulable"), Some(&msg)),
        );
    }
    st.failed.insert(uid.to_string(), Instant::now());
    event_recorder::record_scheduler(
        sim,
        ns,
        pod_ref(pod, None),
        "Warning",
        "FailedScheduling",
        "Scheduling",
        &msg,
    );
}

fn has_condition(pod: &Value, status: &str, message: &str) -> bool {
    arr_at(pod, "status/conditions").iter().any(|c| {
        str_at(c, "type") == "PodScheduled"
            && str_at(c, "status") == status
            && str_at(c, "message") == message
    })
}

fn update_condition(sim: &Sim, pod: &Value, cond: Value) {
    let key = Key::new(
        "pods",
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
    );
    let mut next = pod.clone();
    set_condition(&mut next, cond);
    let _ = sim.store.update(&key, next, Some(object_rv(pod)));
}
