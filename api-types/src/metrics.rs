//! Metrics history and dashboards: the collector's status, time series and rankings.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/metrics/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsStatus {
    /// Whether the cluster serves `metrics.k8s.io` (`None` before the first cycle).
    pub metrics_api: Option<bool>,
    /// What to tell users when it does not.
    pub message: Option<String>,
    pub last_cycle_at: Option<String>,
    pub last_error: Option<String>,
    pub interval_seconds: u64,
}

/// One point: the average over the step, with its minimum and maximum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// RFC 3339.
    pub t: String,
    pub avg: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub metric: String,
    pub points: Vec<Point>,
}

/// `GET /api/v1/metrics/series`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesSet {
    pub scope: String,
    pub name: String,
    /// `1h`, `6h`, `24h`, `7d` or `30d`.
    pub range: String,
    /// Seconds between points.
    pub step_seconds: u64,
    pub series: Vec<Series>,
}

/// One row of `GET /api/v1/metrics/top`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub name: String,
    pub tenant: Option<String>,
    pub avg: f64,
    pub max: f64,
    /// The subject's current requests / limits of the resource (a node's allocatable as limit).
    pub request: Option<f64>,
    pub limit: Option<f64>,
    /// `avg` as a percentage of `request` / `limit` (when those are above 0).
    pub pct_of_request: Option<f64>,
    pub pct_of_limit: Option<f64>,
}

/// One resource of the resource pool (CPU in cores, memory and storage in bytes, GPUs as a
/// count). `None` where the cluster does not tell (usage without a metrics API; GPU and
/// storage usage are never measured).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolResource {
    /// `cpu`, `memory`, `gpu` or `storage` (ephemeral storage).
    pub resource: String,
    pub capacity: Option<f64>,
    pub allocatable: Option<f64>,
    /// Sum of the requests of the pods placed there.
    pub requested: Option<f64>,
    pub used: Option<f64>,
}

/// The pool of the whole cluster (`name` empty) or of one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSubject {
    pub name: String,
    pub resources: Vec<PoolResource>,
}

/// `GET /api/v1/metrics/pool` (platform admins): the last collection's resource pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    /// When it was collected (RFC 3339); `None` before the first cycle.
    pub at: Option<String>,
    pub metrics_api: Option<bool>,
    pub cluster: PoolSubject,
    pub nodes: Vec<PoolSubject>,
}

/// One application (pods grouped by `app.kubernetes.io/name`, else their owning workload).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppCount {
    /// `namespace/app`.
    pub name: String,
    pub tenant: Option<String>,
    pub services: u32,
    pub pods: u32,
    /// Pods in phase Running.
    pub running: u32,
}

/// `GET /api/v1/metrics/apps`: the applications of the last collection that the caller may read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Apps {
    pub at: Option<String>,
    pub apps: Vec<AppCount>,
}
