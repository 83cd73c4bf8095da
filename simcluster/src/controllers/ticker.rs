//! The loop of the node-side controllers: reconcile after each burst of store events, at the
//! time the reconciler asks to be woken (a pod due to start, a back-off ending) and at least once
//! a second; a slow pass spaces the next one out. Each pass is handed the events since the
//! previous one, so the reconciler can keep its own caches and work queues current instead of
//! rescanning the store.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;

use crate::cluster::Sim;
use crate::store::WatchEvent;

/// What happened in the store since the previous pass.
#[derive(Default)]
pub struct Changes {
    /// The events, oldest first.
    pub events: Vec<WatchEvent>,
    /// Events were missed (first pass, or the loop fell behind): rebuild from the store.
    pub resync: bool,
}

/// Run `reconcile` with its private `state` until `stop` turns true. The reconciler returns how
/// soon it wants to run again (`None`: nothing pending).
pub async fn run<S: Send + 'static>(
    sim: Arc<Sim>,
    mut stop: watch::Receiver<bool>,
    name: &'static str,
    mut state: S,
    reconcile: fn(&Sim, &mut S, Changes) -> Option<Duration>,
) {
    let mut events = sim.store.subscribe_all();
    tracing::debug!(controller = name, "started");
    let mut changes = Changes {
        events: Vec::new(),
        resync: true,
    };
    loop {
        let began = Instant::now();
        let wake = reconcile(&sim, &mut state, std::mem::take(&mut changes))
            .unwrap_or(Duration::from_secs(1))
            .min(Duration::from_secs(1));
        let took = began.elapsed();
        tokio::select! {
            r = events.recv() => {
                match r {
                    Ok(ev) => changes.events.push(ev),
                    Err(RecvError::Lagged(_)) => changes.resync = true,
                    Err(RecvError::Closed) => return,
                }
                tokio::time::sleep(Duration::from_millis(20).max(took)).await;
                loop {
                    match events.try_recv() {
                        Ok(ev) => changes.events.push(ev),
                        Err(TryRecvError::Lagged(_)) => changes.resync = true,
                        Err(_) => break,
                    }
                }
            }
            _ = tokio::time::sleep(wake) => {}
            _ = stop.changed() => return,
        }
        if changes.resync {
            changes.events.clear();
        }
        if *stop.borrow() {
            return;
        }
    }
}
