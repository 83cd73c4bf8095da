//! The reconcile loop of the leading replica: a set of dirty namespaces fed by Postgres
//! notifications, cluster drift watches, a periodic full resync and retries with backoff.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt;
use sqlx::postgres::PgListener;

use super::one::{Outcome, reconcile};
use super::{CHANNEL, cluster, leader};
use crate::state::AppState;

const PARALLEL: usize = 8;
const RETRY_MIN: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Runs the reconciler forever, whenever this replica is the leader.
pub async fn run(state: AppState) {
    let db = state.db.clone();
    leader::run_as_leader(db, leader::RECONCILER, "reconciler", || lead(state.clone())).await;
}

async fn all_names(state: &AppState) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT name FROM namespaces WHERE sync_state <> 'removed'")
        .fetch_all(&state.db)
        .await
}

/// One term as leader; returns only if the database listener cannot be set up.
async fn lead(state: AppState) {
    let mut listener = match PgListener::connect_with(&state.db).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, "reconciler: cannot listen for changes");
            return;
        }
    };
    if let Err(e) = listener.listen(CHANNEL).await {
        tracing::warn!(error = %e, "reconciler: cannot listen for changes");
        return;
    }
    let mut drift = Box::pin(cluster::drift_events(state.kube.clone()));
    let mut resync = tokio::time::interval(state.settings.resync_interval);
    let mut dirty: BTreeSet<String> = BTreeSet::new();
    let mut retry: BTreeSet<String> = BTreeSet::new();
    let mut backoff = RETRY_MIN;
    let mut full = true;
    loop {
        if full {
            match all_names(&state).await {
                Ok(names) => {
                    dirty.extend(names);
                    full = false;
                }
                Err(e) => tracing::warn!(error = %e, "reconciler: cannot read namespaces"),
            }
        }
        if !dirty.is_empty() {
            let batch: Vec<String> = std::mem::take(&mut dirty).into_iter().collect();
            let results: Vec<(String, Result<Outcome, sqlx::Error>)> = futures::stream::iter(batch)
                .map(|name| {
                    let state = state.clone();
                    async move {
                        let r = reconcile(&state, &name).await;
                        (name, r)
                    }
                })
                .buffer_unordered(PARALLEL)
                .collect()
                .await;
            let mut failed = false;
            for (name, r) in results {
                match r {
                    Ok(Outcome::Done) => {
                        retry.remove(&name);
                    }
                    Ok(Outcome::Retry) | Err(_) => {
                        failed = true;
                        retry.insert(name);
                    }
                }
            }
            backoff = if failed {
                (backoff * 2).min(RETRY_MAX)
            } else {
                RETRY_MIN
            };
        }
        let retry_wait = if retry.is_empty() {
            Duration::from_secs(3600)
        } else {
            backoff
        };
        tokio::select! {
            n = listener.recv() => match n {
                Ok(n) if n.payload() == "*" => full = true,
                Ok(n) => { dirty.insert(n.payload().to_string()); }
                Err(e) => {
                    // The listener reconnects by itself; notifications may have been missed.
                    tracing::warn!(error = %e, "reconciler: lost the change notifications; resyncing");
                    full = true;
                    tokio::time::sleep(RETRY_MIN).await;
                }
            },
            Some(name) = drift.next() => { dirty.insert(name); }
            _ = resync.tick() => full = true,
            () = tokio::time::sleep(retry_wait) => { dirty.extend(std::mem::take(&mut retry)); }
        }
    }
}
