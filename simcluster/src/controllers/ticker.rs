//! The loop of the node-side controllers: reconcile after each burst of store events, at the
//! time the reconciler asks to be woken (a pod due to start, a back-off ending) and at least once
//! a second; a slow pass spaces the next one out so large clusters are not rescanned constantly.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use crate::cluster::Sim;

/// Run `reconcile` with its private `state` until `stop` turns true. The reconciler returns how
/// soon it wants to run again (`None`: nothing pending).
pub async fn run<S: Send + 'static>(
    sim: Arc<Sim>,
    mut stop: watch::Receiver<bool>,
    name: &'static str,
    mut state: S,
    reconcile: fn(&Sim, &mut S) -> Option<Duration>,
) {
    let mut events = sim.store.subscribe_all();
    tracing::debug!(controller = name, "started");
    loop {
        let began = Instant::now();
        let wake = reconcile(&sim, &mut state)
            .unwrap_or(Duration::from_secs(1))
            .min(Duration::from_secs(1));
        let took = began.elapsed();
        tokio::select! {
            r = events.recv() => {
                if let Err(RecvError::Closed) = r {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20).max(took)).await;
                while events.try_recv().is_ok() {}
            }
            _ = tokio::time::sleep(wake) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
