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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::event_recorder::{self, Reporter, pod_ref};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::store::{Key, StoreError, finalizers_empty, is_deleting, object_rv};

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
}

fn uid(v: &Value) -> String {
    str_at(v, "metadata/uid").to_string()
}

/// One pass over every pod bound to an existing node; returns when to run again.
pub fn reconcile(sim: &Sim, st: &mut Kubelet) -> Option<Duration> {
    let now = Utc::now();
    let (nodes, _) = sim.store.list("nodes", None);
    let nodes: HashMap<String, Arc<Value>> = nodes
        .into_iter()
        .map(|n| (str_at(&n, "metadata/name").to_string(), n))
        .collect();
    let (pods, _) = sim.store.list("pods", None);
    let mut used: HashMap<&str, HashSet<String>> = HashMap::new();
    for p in &pods {
        let ip = str_at(p, "status/podIP");
        if !ip.is_empty() && !matches!(str_at(p, "status/phase"), "Succeeded" | "Failed") {
            used.entry(str_at(p, "spec/nodeName"))
                .or_default()
                .insert(ip.to_string());
        }
    }
    let mut wake: Option<DateTime<Utc>> = None;
    let mut live = HashSet::new();
    let cfg = &sim.config;
    for pod in &pods {
        let node_name = str_at(pod, "spec/nodeName");
        let Some(node) = nodes.get(node_name) else {
            continue;
        };
        live.insert(uid(pod));
        if is_deleting(pod) {
            if let Some(w) = terminate(sim, st, pod, node, now) {
                wake = Some(wake.map_or(w, |x| x.min(w)));
            }
            continue;
        }
        if matches!(str_at(pod, "status/phase"), "Succeeded" | "Failed") {
            continue;
        }
        let rv = object_rv(pod);
        if let Some((seen, due)) = st.idle.get(&uid(pod))
            && *seen == rv
            && due.is_none_or(|d| now < d)
        {
            if let Some(w) = *due {
                wake = Some(wake.map_or(w, |x| x.min(w)));
            }
            continue;
        }
        let ips = used.entry(node_name).or_default();
        let candidate = match at(pod, "status/podIP") {
            Some(_) => None,
            None if pod.pointer("/spec/hostNetwork") == Some(&json!(true)) => {
                node::internal_ip(node)
            }
            None => node::free_ip(node, ips),
        };
        let mut env = lifecycle::Env {
            seed: cfg.random_seed,
            delay: cfg.kubelet_delay,
            job_run_time: cfg.job_run_time,
            failure_fraction: cfg.image_failure_fraction,
            node,
            now,
            accepted_at: st.accepted.get(&uid(pod)).copied(),
            free_ip: candidate.clone(),
            pulled: &mut st.pulled,
        };
        let out = lifecycle::step(pod, &mut env);
        if let Some(w) = out.wake {
            wake = Some(wake.map_or(w, |x| x.min(w)));
        }
        let Some(status) = out.status else {
            st.idle.insert(uid(pod), (rv, out.wake));
            continue;
        };
        let newly_accepted = at(pod, "status/startTime").is_none();
        let took_ip = candidate.is_some()
            && status.get("podIP").and_then(Value::as_str) == candidate.as_deref();
        match write_status(sim, pod, status) {
            Ok(()) => {
                if newly_accepted {
                    st.accepted.insert(uid(pod), now);
                }
                if took_ip && let Some(ip) = candidate {
                    ips.insert(ip);
                }
                let ns = str_at(pod, "metadata/namespace");
                for e in out.events {
                    let kind = if e.warning { "Warning" } else { "Normal" };
                    event_recorder::record(
                        sim,
                        ns,
                        pod_ref(pod, e.field_path.as_deref()),
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
            Err(_) => wake = Some(now + chrono::Duration::milliseconds(50)),
        }
    }
    st.accepted.retain(|k, _| live.contains(k));
    st.deleting.retain(|k, _| live.contains(k));
    st.idle.retain(|k, _| live.contains(k));
    for n in nodes.values() {
        node::heartbeat(sim, n, &mut st.beats);
    }
    wake.map(|w| (w - Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

/// Replace the status of a pod unless it changed meanwhile.
fn write_status(sim: &Sim, pod: &Value, status: Value) -> Result<(), StoreError> {
    let key = Key::new(
        "pods",
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
    );
    let mut next = pod.clone();
    next["status"] = status;
    sim.store
        .update(&key, next, Some(object_rv(pod)))
        .map(|_| ())
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
