//! The simulated kubelets (one per node, run by one loop): pods bound to a node are accepted
//! (ContainerCreating, image pulls), started after `SimConfig::kubelet_delay` with a pod IP from
//! the node's CIDR, may fail to pull or crash-loop, Job pods complete after
//! `SimConfig::job_run_time`; deleted pods are stopped within their grace period and removed;
//! node Leases and heartbeats are kept current. Events as the kubelet words them.

mod images;
mod lifecycle;
pub mod node;
mod status;

pub use images::{image_id, normalize as normalize_image, sleep_seconds};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::event_recorder::{self, Reporter, pod_ref};
use super::ticker::Changes;
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::store::{EventType, Key, StoreError, finalizers_empty, is_deleting, object_rv};

/// What the kubelets remember between passes.
#[derive(Default)]
pub struct Kubelet {
    /// When each pod (uid) was accepted, precisely.
    accepted: HashMap<String, DateTime<Utc>>,
    /// When the deletion of each pod (uid) was first seen.
    deleting: HashMap<String, Instant>,
    /// `(node, image)` pairs already pulled.
    pulled: HashSet<(String, String)>,
    beats: HashMap<String, node::Beats>,
    /// Pods (uid) whose last step changed nothing: their resourceVersion then and when they
    /// need a look again — unchanged pods are skipped until then.
    idle: HashMap<String, (u64, Option<DateTime<Utc>>)>,
    /// The work queue: bound pods that changed (from the store's events) or whose time came.
    dirty: BTreeSet<Key>,
    /// When pods asked to be looked at again.
    timers: BTreeSet<(DateTime<Utc>, Key)>,
    /// The pod IP each running pod holds, and on which node.
    ips: HashMap<Key, (String, String)>,
    /// Pod IPs in use per node.
    used: HashMap<String, HashSet<String>>,
}

impl Kubelet {
    /// Account the pod IP a stored pod holds (`None`: the pod is gone).
    fn set_ip(&mut self, key: &Key, pod: Option<&Value>) {
        let next = pod.and_then(|p| {
            let ip = str_at(p, "status/podIP");
            (!ip.is_empty() && !matches!(str_at(p, "status/phase"), "Succeeded" | "Failed"))
                .then(|| (str_at(p, "spec/nodeName").to_string(), ip.to_string()))
        });
        if self.ips.get(key) == next.as_ref() {
            return;
        }
        if let Some((node, ip)) = self.ips.remove(key)
            && let Some(set) = self.used.get_mut(&node)
        {
            set.remove(&ip);
        }
        if let Some((node, ip)) = next {
            self.used
                .entry(node.clone())
                .or_default()
                .insert(ip.clone());
            self.ips.insert(key.clone(), (node, ip));
        }
    }

    /// Forget a pod that is gone (or whose node is).
    fn forget(&mut self, pod: &Value) {
        let id = uid(pod);
        self.accepted.remove(&id);
        self.deleting.remove(&id);
        self.idle.remove(&id);
    }

    /// Take in the store's events: bound pods that changed, pods of nodes that came or went.
    fn apply(&mut self, sim: &Sim, changes: Changes) {
        if changes.resync {
            self.ips.clear();
            self.used.clear();
            for p in sim.store.bound_pods() {
                let key = pod_key(&p);
                self.set_ip(&key, Some(&p));
                self.dirty.insert(key);
            }
            return;
        }
        for ev in changes.events {
            let gone = ev.kind == EventType::Deleted;
            match ev.key.resource.as_str() {
                "pods" => {
                    self.set_ip(&ev.key, (!gone).then_some(&*ev.object));
                    if gone {
                        self.forget(&ev.object);
                    } else if !str_at(&ev.object, "spec/nodeName").is_empty() {
                        self.dirty.insert(ev.key);
                    }
                }
                "nodes" if ev.kind != EventType::Modified => {
                    for p in sim.store.pods_on_node(&ev.key.name) {
                        self.dirty.insert(pod_key(&p));
                    }
                }
                _ => {}
            }
        }
    }

    fn wake_at(&mut self, key: &Key, at: DateTime<Utc>) {
        self.timers.insert((at, key.clone()));
    }
}

fn pod_key(pod: &Value) -> Key {
    Key::new(
        "pods",
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
    )
}

fn uid(v: &Value) -> String {
    str_at(v, "metadata/uid").to_string()
}

/// One pass over the bound pods that changed or whose time came (the work queue); returns
/// when to run again.
pub fn reconcile(sim: &Sim, st: &mut Kubelet, changes: Changes) -> Option<Duration> {
    let now = Utc::now();
    st.apply(sim, changes);
    let (nodes, _) = sim.store.list("nodes", None);
    let nodes: HashMap<String, Arc<Value>> = nodes
        .into_iter()
        .map(|n| (str_at(&n, "metadata/name").to_string(), n))
        .collect();
    while let Some(first) = st.timers.first()
        && first.0 <= now
    {
        let (_, key) = st.timers.pop_first().expect("first exists");
        st.dirty.insert(key);
    }
    let cfg = &sim.config;
    for key in std::mem::take(&mut st.dirty) {
        let Some(pod) = sim.store.get(&key) else {
            continue;
        };
        let node_name = str_at(&pod, "spec/nodeName");
        let Some(node) = nodes.get(node_name) else {
            st.forget(&pod);
            continue;
        };
        if is_deleting(&pod) {
            if let Some(w) = terminate(sim, st, &pod, node, now) {
                st.wake_at(&key, w);
            }
            continue;
        }
        if matches!(str_at(&pod, "status/phase"), "Succeeded" | "Failed") {
            continue;
        }
        let rv = object_rv(&pod);
        if let Some((seen, due)) = st.idle.get(&uid(&pod)).copied()
            && seen == rv
            && due.is_none_or(|d| now < d)
        {
            if let Some(w) = due {
                st.wake_at(&key, w);
            }
            continue;
        }
        let candidate = match at(&pod, "status/podIP") {
            Some(_) => None,
            None if pod.pointer("/spec/hostNetwork") == Some(&json!(true)) => {
                node::internal_ip(node)
            }
            None => node::free_ip(node, st.used.entry(node_name.to_string()).or_default()),
        };
        let mut env = lifecycle::Env {
            seed: cfg.random_seed,
            delay: cfg.kubelet_delay,
            job_run_time: cfg.job_run_time,
            failure_fraction: cfg.image_failure_fraction,
            node,
            now,
            accepted_at: st.accepted.get(&uid(&pod)).copied(),
            free_ip: candidate.clone(),
            pulled: &mut st.pulled,
        };
        let out = lifecycle::step(&pod, &mut env);
        if let Some(w) = out.wake {
            st.wake_at(&key, w);
        }
        let Some(status) = out.status else {
            st.idle.insert(uid(&pod), (rv, out.wake));
            continue;
        };
        let newly_accepted = at(&pod, "status/startTime").is_none();
        let took_ip = candidate.is_some()
            && status.get("podIP").and_then(Value::as_str) == candidate.as_deref();
        match write_status(sim, &pod, status) {
            Ok(written) => {
                if newly_accepted {
                    st.accepted.insert(uid(&pod), now);
                }
                if took_ip {
                    st.set_ip(&key, Some(&written));
                }
                let ns = str_at(&pod, "metadata/namespace");
                for e in out.events {
                    let kind = if e.warning { "Warning" } else { "Normal" };
                    event_recorder::record(
                        sim,
                        ns,
                        pod_ref(&pod, e.field_path.as_deref()),
                        kind,
                        e.reason,
                        &e.message,
                        Reporter {
                            component: "kubelet",
                            host: node_name,
                        },
                    );
                }
            }
            Err(_) => st.wake_at(&key, now + chrono::Duration::milliseconds(50)),
        }
    }
    for n in nodes.values() {
        node::heartbeat(sim, n, &mut st.beats);
    }
    st.timers
        .first()
        .map(|(w, _)| (*w - Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

/// Replace the status of a pod unless it changed meanwhile.
fn write_status(sim: &Sim, pod: &Value, status: Value) -> Result<Arc<Value>, StoreError> {
    let key = Key::new(
        "pods",
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
    );
    let mut next = pod.clone();
    next["status"] = status;
    sim.store.update(&key, next, Some(object_rv(pod)))
}

/// A pod marked for deletion: stop its containers (Killing), then remove it once they are
/// stopped — at once when nothing runs, after the grace period for containers that ignore
/// SIGTERM, after the kubelet delay for the rest.
fn terminate(
    sim: &Sim,
    st: &mut Kubelet,
    pod: &Value,
    node: &Value,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let id = uid(pod);
    let running: Vec<&Value> = arr_at(pod, "status/containerStatuses")
        .iter()
        .filter(|s| at(s, "state/running").is_some())
        .collect();
    if !st.deleting.contains_key(&id) {
        st.deleting.insert(id.clone(), Instant::now());
        let ns = str_at(pod, "metadata/namespace");
        for s in &running {
            let name = str_at(s, "name");
            let path = format!("spec.containers{{{name}}}");
            event_recorder::record(
                sim,
                ns,
                pod_ref(pod, Some(&path)),
                "Normal",
                "Killing",
                &format!("Stopping container {name}"),
                Reporter {
                    component: "kubelet",
                    host: str_at(node, "metadata/name"),
                },
            );
        }
    }
    let grace = Duration::from_secs(
        i64_at(pod, "metadata/deletionGracePeriodSeconds")
            .unwrap_or(30)
            .max(0) as u64,
    );
    let stubborn = running.iter().any(|s| {
        arr_at(pod, "spec/containers")
            .iter()
            .any(|c| c["name"] == s["name"] && images::ignores_sigterm(c))
    });
    let stop = if running.is_empty() {
        Duration::ZERO
    } else if stubborn {
        grace
    } else {
        grace.min(sim.config.kubelet_delay)
    };
    let elapsed = st.deleting[&id].elapsed();
    if elapsed < stop {
        return Some(now + chrono::Duration::from_std(stop - elapsed).unwrap_or_default());
    }
    if finalizers_empty(pod) {
        let key = Key::new(
            "pods",
            str_at(pod, "metadata/namespace"),
            str_at(pod, "metadata/name"),
        );
        let mut last = pod.clone();
        stop_containers(&mut last, stubborn);
        // A deleting object without finalizers is removed by this write (DELETED carries it).
        let _ = sim.store.update(&key, last, Some(object_rv(pod)));
    }
    None
}

/// Mark running containers terminated (SIGTERM: exit 0; killed after the grace period: 137).
fn stop_containers(pod: &mut Value, killed: bool) {
    let now = lifecycle::fmt_time(Utc::now());
    if let Some(list) = pod
        .pointer_mut("/status/containerStatuses")
        .and_then(Value::as_array_mut)
    {
        for s in list {
            let Some(started) = s.pointer("/state/running/startedAt").cloned() else {
                continue;
            };
            let (code, reason) = if killed {
                (137, "Error")
            } else {
                (0, "Completed")
            };
            let id = s.get("containerID").cloned().unwrap_or(Value::Null);
            s["state"] = json!({"terminated": {"exitCode": code, "reason": reason, "startedAt": started, "finishedAt": now, "containerID": id}});
            s["ready"] = json!(false);
            s["started"] = json!(false);
        }
    }
}
