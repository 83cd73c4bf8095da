//! The simulated controller manager: level-triggered loops that react to store events
//! (namespace contents and termination, garbage collection through ownerReferences, quota usage,
//! the workload controllers), the node side (scheduler, kubelets, service endpoints, the
//! seeded world) and the event recorders they share.

pub mod event_recorder;
mod event_ttl;
pub mod events;
mod gc;
pub mod kubelet;
mod namespace;
mod quota;
pub mod scheduler;
mod seed;
pub mod services;
pub mod ticker;
mod volumes;
pub mod workloads;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::cluster::Sim;
use crate::store::Key;

/// Namespaces every cluster starts with.
const SYSTEM_NAMESPACES: &[&str] = &["default", "kube-node-lease", "kube-public", "kube-system"];

/// Create the built-in namespaces and their contents before the server accepts requests.
pub fn bootstrap(sim: &Arc<Sim>) {
    for ns in SYSTEM_NAMESPACES {
        let obj = json!({
            "metadata": {
                "name": ns,
                "uid": uuid::Uuid::new_v4().to_string(),
                "creationTimestamp": now(),
                "labels": {"kubernetes.io/metadata.name": ns},
            },
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        });
        let _ = sim.store.create(Key::new("namespaces", "", ns), obj);
        namespace::populate(sim, ns);
    }
    services::bootstrap(sim);
    seed::run(sim);
}

/// Start every controller; they stop when `stop` turns true.
pub fn spawn_all(sim: Arc<Sim>, stop: watch::Receiver<bool>) {
    tokio::spawn(run_loop(
        sim.clone(),
        stop.clone(),
        "namespace",
        namespace::reconcile,
    ));
    tokio::spawn(ticker::run(
        sim.clone(),
        stop.clone(),
        "resourcequota",
        quota::Progress::default(),
        quota::reconcile_changed,
    ));
    tokio::spawn(ticker::run(
        sim.clone(),
        stop.clone(),
        "event-ttl",
        event_ttl::Expiry::default(),
        event_ttl::reconcile,
    ));
    tokio::spawn(run_loop(
        sim.clone(),
        stop.clone(),
        "apiextensions",
        crate::crd::controller::reconcile,
    ));
    for (name, reconcile) in workloads::CONTROLLERS {
        tokio::spawn(run_loop(sim.clone(), stop.clone(), name, *reconcile));
    }
    tokio::spawn(run_loop_filtered(
        sim.clone(),
        stop.clone(),
        "garbage-collector",
        gc::reconcile,
        gc::interesting,
        Duration::from_secs(2),
    ));
    tokio::spawn(ticker::run(
        sim.clone(),
        stop.clone(),
        "endpoints",
        None,
        services::endpoints::reconcile,
    ));
    if sim.config.kubelet {
        tokio::spawn(ticker::run(
            sim.clone(),
            stop.clone(),
            "scheduler",
            scheduler::Scheduler::default(),
            scheduler::reconcile,
        ));
        tokio::spawn(ticker::run(
            sim,
            stop,
            "kubelet",
            kubelet::Kubelet::default(),
            kubelet::reconcile,
        ));
    }
}

/// Run `reconcile` after every burst of store events (debounced) and at least once a second.
async fn run_loop(
    sim: Arc<Sim>,
    mut stop: watch::Receiver<bool>,
    name: &'static str,
    reconcile: fn(&Sim),
) {
    let mut events = sim.store.subscribe_all();
    tracing::debug!(controller = name, "started");
    loop {
        reconcile(&sim);
        tokio::select! {
            r = events.recv() => {
                if let Err(tokio::sync::broadcast::error::RecvError::Closed) = r { return; }
                // Let a burst of writes settle, then drain what arrived.
                tokio::time::sleep(Duration::from_millis(20)).await;
                while events.try_recv().is_ok() {}
            }
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Like [`run_loop`], but reconciles only after events `interesting` accepts (and every
/// `period`): for controllers whose pass scans the whole store.
async fn run_loop_filtered(
    sim: Arc<Sim>,
    mut stop: watch::Receiver<bool>,
    name: &'static str,
    reconcile: fn(&Sim),
    interesting: fn(&crate::store::WatchEvent) -> bool,
    period: Duration,
) {
    let mut events = sim.store.subscribe_all();
    tracing::debug!(controller = name, "started");
    let mut due = tokio::time::Instant::now();
    loop {
        reconcile(&sim);
        due += period;
        loop {
            tokio::select! {
                r = events.recv() => match r {
                    Ok(ev) if interesting(&ev) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        while events.try_recv().is_ok() {}
                        break;
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                _ = tokio::time::sleep_until(due) => break,
                _ = stop.changed() => return,
            }
        }
        due = tokio::time::Instant::now();
    }
}

/// Current time as Kubernetes writes it.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whether a pod marked for deletion may be removed at once: it never ran on a node, or its
/// grace period is zero.
pub fn pod_can_go_now(pod: &Value) -> bool {
    let unscheduled = pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    let grace0 = pod
        .pointer("/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_i64)
        == Some(0);
    unscheduled || grace0
}
