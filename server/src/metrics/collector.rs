//! The collector: on the replica holding the `COLLECTOR` lock, every interval it reads the
//! metrics API, pods, nodes, services, the managed quotas and the tenants, turns them into
//! samples (`sample::build`) and stores them; pods' numbers are kept in memory and written as
//! one five-minute roll-up per bucket. It rolls up and expires history as it goes. Without a
//! metrics API it says so once, records it, and keeps collecting requests and quotas.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;

use super::pods::{PodCache, PodInfo, PodUsage, SlimPod};
use super::sample::{self, Observed};
use super::store::{self, Acc, Retention, SeriesIds};
use crate::reconciler::leader;
use crate::state::AppState;

/// Collector settings.
#[derive(Debug, Clone, Copy)]
pub struct CollectorConfig {
    pub interval: Duration,
    pub retention: Retention,
}

impl Default for CollectorConfig {
    fn default() -> CollectorConfig {
        CollectorConfig {
            interval: Duration::from_secs(15),
            retention: Retention::default(),
        }
    }
}

pub async fn run(state: AppState, cfg: CollectorConfig) {
    let db = state.db.clone();
    leader::run_as_leader(db, leader::COLLECTOR, "metrics collector", || {
        lead(state.clone(), cfg)
    })
    .await;
}

/// Where the last cycle's time went (debug log; the benchmark prints it).
#[derive(Debug, Clone, Copy, Default)]
pub struct CycleTimes {
    /// The apiserver's lists and the database's tenants and budgets.
    pub read: Duration,
    /// Sums per subject (`sample::build`), pods from the cache or a list.
    pub build: Duration,
    /// Series ids, raw samples, pods' accumulators, roll-ups.
    pub store: Duration,
}

/// What the collector keeps between cycles.
#[derive(Default)]
pub struct Collector {
    ids: SeriesIds,
    /// Pods' accumulators of the current bucket.
    bucket: Option<OffsetDateTime>,
    pods: HashMap<i64, Acc>,
    metrics_api: Option<bool>,
    last_expiry: Option<OffsetDateTime>,
    /// Whether pods' numbers were written yet in this term (the first cycle writes them at
    /// once, so rankings by pod are there from the start, not after the first bucket).
    pods_written: bool,
    pub last_times: CycleTimes,
    /// Every pod, kept current by a watch while leading (else each cycle lists them).
    pod_cache: Option<PodCache>,
}

async fn lead(state: AppState, cfg: CollectorConfig) {
    let mut c = Collector::default().watching_pods(state.kube.clone());
    let mut tick = tokio::time::interval(cfg.interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = crate::time::now();
        if let Err(e) = c.cycle(&state, now, cfg.retention).await {
            tracing::warn!(error = %e, "metrics collection failed");
            let _ = sqlx::query!("UPDATE metric_collector SET last_error = $1", e.to_string())
                .execute(&state.db)
                .await;
        }
    }
}

/// A list's items, parsed as `T` (only the fields `T` names are kept).
#[derive(serde::Deserialize)]
struct Items<T> {
    items: Option<Vec<T>>,
}

/// The items at `path`; `None` when the API is not there (404, or 503 from an aggregated API).
async fn list<T: serde::de::DeserializeOwned>(
    client: &kube::Client,
    path: &str,
) -> Result<Option<Vec<T>>, kube::Error> {
    let req = http::Request::get(path)
        .body(Vec::new())
        .map_err(kube::Error::HttpError)?;
    match client.request::<Items<T>>(req).await {
        Ok(v) => Ok(Some(v.items.unwrap_or_default())),
        Err(kube::Error::Api(e)) if e.code == 404 || e.code == 503 => Ok(None),
        Err(e) => Err(e),
    }
}

impl Collector {
    /// Keeps every pod in a watch-fed cache from now on, instead of listing them each cycle.
    pub fn watching_pods(mut self, client: kube::Client) -> Collector {
        self.pod_cache = Some(PodCache::start(client));
        self
    }

    /// Whether the pod cache has its initial list (benchmarks wait for it).
    pub fn pods_cached(&self) -> bool {
        self.pod_cache.as_ref().is_some_and(PodCache::in_sync)
    }

    /// One cycle at `now`: read, store, roll up, expire.
    pub async fn cycle(
        &mut self,
        state: &AppState,
        now: OffsetDateTime,
        keep: Retention,
    ) -> anyhow::Result<()> {
        let k = &state.kube;
        let started = std::time::Instant::now();
        // The lists are independent: asked for at once.
        let (node_metrics, pod_metrics, nodes, services) = tokio::try_join!(
            list::<Value>(k, "/apis/metrics.k8s.io/v1beta1/nodes"),
            list::<PodUsage>(k, "/apis/metrics.k8s.io/v1beta1/pods"),
            list::<Value>(k, "/api/v1/nodes"),
            list::<Value>(k, "/api/v1/services"),
        )?;
        let (nodes, services) = (nodes.unwrap_or_default(), services.unwrap_or_default());
        let available = node_metrics.is_some() && pod_metrics.is_some();
        if self.metrics_api != Some(available) {
            if !available {
                tracing::info!(
                    "metrics API not available in this cluster: collecting requests and quotas only"
                );
            }
            self.metrics_api = Some(available);
        }
        let tenants: HashMap<String, String> = sqlx::query!(
            r#"SELECT n.name, t.name AS tenant FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
               WHERE n.sync_state NOT IN ('removed')"#
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.tenant))
        .collect();
        let budgets: BTreeMap<String, BTreeMap<String, String>> = sqlx::query!(
            r#"SELECT name, budget AS "budget: sqlx::types::Json<BTreeMap<String, String>>" FROM tenants WHERE NOT disabled"#
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.budget.0))
        .collect();
        let quotas = self.quotas(state, &tenants).await;
        let (node_metrics, pod_metrics) = (
            node_metrics.unwrap_or_default(),
            pod_metrics.unwrap_or_default(),
        );
        let read = started.elapsed();
        let build = |pods: &[&PodInfo]| {
            sample::build(&Observed {
                node_metrics: &node_metrics,
                pod_metrics: &pod_metrics,
                nodes: &nodes,
                pods,
                services: &services,
                tenants: &tenants,
                quotas: &quotas,
                budgets: &budgets,
            })
        };
        let cached = self.pod_cache.as_ref().and_then(|c| c.with_pods(build));
        let (agg, per_pod) = match cached {
            Some(built) => built,
            None => {
                let listed: Vec<SlimPod> = list(k, "/api/v1/pods").await?.unwrap_or_default();
                let infos: Vec<PodInfo> = listed.iter().map(PodInfo::of).collect();
                build(&infos.iter().collect::<Vec<_>>())
            }
        };
        let built = started.elapsed();
        let bucket = store::bucket_of(now);
        if self.bucket != Some(bucket) {
            // The pods' bucket closed: write it; then (no open accumulators referring to
            // series) is the time to expire old history and the series left without data.
            self.flush(state).await?;
            self.bucket = Some(bucket);
            if self
                .last_expiry
                .is_none_or(|t| now - t > time::Duration::minutes(10))
            {
                store::expire(&state.db, now, keep).await?;
                self.ids.forget();
                self.last_expiry = Some(now);
            }
        }
        // One resolve for both: the aggregates first, then the pods.
        let n = agg.len();
        let mut all = agg;
        all.extend(per_pod);
        let ids = self.ids.resolve(&state.db, &all).await?;
        store::write_samples(&state.db, &ids[..n], &all[..n], now).await?;
        for (s, id) in all[n..].iter().zip(&ids[n..]) {
            self.pods
                .entry(*id)
                .and_modify(|a| a.add(s.value))
                .or_insert(Acc::new(s.value));
        }
        if !self.pods_written {
            self.flush(state).await?;
            self.pods_written = true;
        }
        store::roll_up(&state.db, now).await?;
        sqlx::query!(
            "UPDATE metric_collector SET last_cycle_at = $1, last_error = '', metrics_api = $2",
            now,
            available
        )
        .execute(&state.db)
        .await?;
        self.last_times = CycleTimes {
            read,
            build: built - read,
            store: started.elapsed() - built,
        };
        tracing::debug!(times = ?self.last_times, samples = n, "metrics collected");
        Ok(())
    }

    /// Writes the pods' roll-ups of the open bucket now (when it closes; tests).
    pub async fn flush(&mut self, state: &AppState) -> anyhow::Result<()> {
        if let Some(b) = self.bucket
            && !self.pods.is_empty()
        {
            let accs: Vec<(i64, Acc)> = self.pods.drain().collect();
            store::write_rollups(&state.db, b, &accs).await?;
        }
        Ok(())
    }

    /// Hard and used of every managed namespace's quota (from the watch-fed cache).
    async fn quotas(
        &self,
        state: &AppState,
        tenants: &HashMap<String, String>,
    ) -> sample::QuotaLists {
        let mut out = BTreeMap::new();
        for ns in tenants.keys() {
            let status = match state.quota_cache.get().and_then(|c| c.get(ns)) {
                Some(s) => s,
                None => crate::reconciler::cluster::quota_status(&state.kube, ns)
                    .await
                    .ok()
                    .flatten(),
            };
            if let Some(s) = status {
                out.insert(ns.clone(), (s.hard, s.used));
            }
        }
        out
    }
}
