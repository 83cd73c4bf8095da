//! Reading metric history: the collector's status, one subject's series over a range (raw
//! samples up to 6 h, five-minute roll-ups beyond, grouped to a readable step), and rankings
//! over a window. The cluster and nodes are for platform admins; tenants read the tenants,
//! namespaces, applications and pods of their own tenants.

use api_types::metrics::{MetricsStatus, Point, Ranked, Series, SeriesSet};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use time::OffsetDateTime;

use super::store::SCOPES;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, QueryParams};
use crate::state::AppState;
use crate::time::{rfc3339, rfc3339_opt};

/// Time ranges: name, length in seconds, step in seconds, from roll-ups.
const RANGES: [(&str, i64, i64, bool); 5] = [
    ("1h", 3_600, 0, false),
    ("6h", 21_600, 60, false),
    ("24h", 86_400, 300, true),
    ("7d", 604_800, 3_600, true),
    ("30d", 2_592_000, 21_600, true),
];

fn range(name: &str) -> ApiResult<(i64, i64, bool)> {
    RANGES
        .iter()
        .find(|r| r.0 == name)
        .map(|r| (r.1, r.2, r.3))
        .ok_or_else(|| ApiError::field("range", "use one of 1h, 6h, 24h, 7d, 30d"))
}

fn scope(s: &str) -> ApiResult<&'static str> {
    SCOPES.iter().copied().find(|x| *x == s).ok_or_else(|| {
        ApiError::field(
            "scope",
            "use one of cluster, node, tenant, namespace, app, pod",
        )
    })
}

/// Whether `p` may read a series of `scope` owned by `tenant`.
pub fn may_read(p: &Principal, scope: &str, tenant: Option<&str>) -> bool {
    p.platform_admin
        || (!matches!(scope, "cluster" | "node")
            && tenant.is_some_and(|t| p.memberships.iter().any(|m| m.tenant == t)))
}

pub async fn status(
    State(state): State<AppState>,
    _p: Principal,
) -> ApiResult<Json<MetricsStatus>> {
    Ok(Json(load_status(&state).await?))
}

/// The collector's status.
pub async fn load_status(state: &AppState) -> ApiResult<MetricsStatus> {
    let r = sqlx::query!("SELECT last_cycle_at, last_error, metrics_api FROM metric_collector")
        .fetch_one(&state.db)
        .await?;
    Ok(MetricsStatus {
        metrics_api: r.metrics_api,
        message: (r.metrics_api == Some(false)).then(|| {
            "metrics API not available in this cluster: usage is not measured; requests, limits and quotas still are".to_string()
        }),
        last_cycle_at: rfc3339_opt(r.last_cycle_at),
        last_error: Some(r.last_error).filter(|e| !e.is_empty()),
        interval_seconds: state.settings.metrics_interval.as_secs(),
    })
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct SeriesQuery {
    pub scope: String,
    #[serde(default)]
    pub name: String,
    /// Comma-separated metrics (`cpu,cpu.requests`).
    pub metric: String,
    #[serde(default = "default_range")]
    pub range: String,
}

fn default_range() -> String {
    "1h".into()
}

pub async fn series(
    State(state): State<AppState>,
    p: Principal,
    QueryParams(q): QueryParams<SeriesQuery>,
) -> ApiResult<Json<SeriesSet>> {
    Ok(Json(load_series(&state, &p, q).await?))
}

/// One subject's series over a range, when `p` may read them.
pub async fn load_series(state: &AppState, p: &Principal, q: SeriesQuery) -> ApiResult<SeriesSet> {
    let scope = scope(&q.scope)?;
    let (secs, mut step, rollups) = range(&q.range)?;
    let metrics: Vec<String> = q
        .metric
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    if metrics.is_empty() {
        return Err(ApiError::field(
            "metric",
            "name at least one metric, e.g. cpu",
        ));
    }
    let owners = sqlx::query!(
        "SELECT DISTINCT tenant FROM metric_series WHERE scope = $1 AND name = $2 AND metric = ANY($3)",
        scope,
        q.name,
        &metrics
    )
    .fetch_all(&state.db)
    .await?;
    // Unknown and foreign subjects look the same: nothing to show.
    if owners
        .iter()
        .any(|o| !may_read(p, scope, o.tenant.as_deref()))
        || (scope == "cluster" || scope == "node") && !p.platform_admin
    {
        return Err(ApiError::not_found(format!("{scope} {:?}", q.name)));
    }
    let from = crate::time::now() - time::Duration::seconds(secs);
    // Pods have no raw samples: their history is the five-minute roll-ups.
    let rollups = rollups || scope == "pod";
    if rollups {
        step = step.max(super::store::BUCKET_SECS);
    }
    let rows: Vec<(String, OffsetDateTime, f64, f64, f64)> = if rollups {
        sqlx::query!(
            // Roll-ups, and the raw samples not rolled up yet (the open bucket).
            r#"WITH data AS (
                 SELECT s.metric, r.bucket AS at, r.avg, r.min, r.max
                 FROM metric_series s JOIN metric_rollups r ON r.series_id = s.id
                 WHERE s.scope = $1 AND s.name = $2 AND s.metric = ANY($3) AND r.bucket >= $4
                 UNION ALL
                 SELECT s.metric, x.at, x.value, x.value, x.value
                 FROM metric_series s JOIN metric_samples x ON x.series_id = s.id
                 WHERE s.scope = $1 AND s.name = $2 AND s.metric = ANY($3)
                   AND x.at >= greatest($4, (SELECT coalesce(rolled_up_to, '-infinity') FROM metric_collector)))
               SELECT metric AS "metric!", to_timestamp(floor(extract(epoch FROM at)::float8 / $5::float8) * $5::float8) AS "t!",
                      avg(avg) AS "avg!", min(min) AS "min!", max(max) AS "max!"
               FROM data GROUP BY 1, 2 ORDER BY 1, 2"#,
            scope, q.name, &metrics, from, step as f64
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.metric, r.t, r.avg, r.min, r.max))
        .collect()
    } else {
        let step_or_raw = if step == 0 { 1.0 } else { step as f64 };
        sqlx::query!(
            r#"SELECT s.metric, to_timestamp(floor(extract(epoch FROM x.at)::float8 / $5::float8) * $5::float8) AS "t!",
                      avg(x.value) AS "avg!", min(x.value) AS "min!", max(x.value) AS "max!"
               FROM metric_series s JOIN metric_samples x ON x.series_id = s.id
               WHERE s.scope = $1 AND s.name = $2 AND s.metric = ANY($3) AND x.at >= $4
               GROUP BY 1, 2 ORDER BY 1, 2"#,
            scope, q.name, &metrics, from, step_or_raw
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.metric, r.t, r.avg, r.min, r.max))
        .collect()
    };
    let series = metrics
        .iter()
        .map(|m| Series {
            metric: m.clone(),
            points: rows
                .iter()
                .filter(|r| r.0 == *m)
                .map(|r| Point {
                    t: rfc3339(r.1),
                    avg: r.2,
                    min: r.3,
                    max: r.4,
                })
                .collect(),
        })
        .collect();
    let step_seconds = if step == 0 {
        state.settings.metrics_interval.as_secs()
    } else {
        step as u64
    };
    Ok(SeriesSet {
        scope: scope.to_string(),
        name: q.name,
        range: q.range,
        step_seconds,
        series,
    })
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct TopQuery {
    pub scope: String,
    #[serde(default = "default_metric")]
    pub metric: String,
    #[serde(default = "default_range")]
    pub window: String,
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_metric() -> String {
    "cpu".into()
}

fn default_limit() -> i64 {
    10
}

/// name, tenant, avg, max, request, limit.
type RankRow = (String, Option<String>, f64, f64, Option<f64>, Option<f64>);

/// Ranks subjects of one scope by average usage over a window.
pub async fn top(
    State(state): State<AppState>,
    p: Principal,
    QueryParams(q): QueryParams<TopQuery>,
) -> ApiResult<Json<Vec<Ranked>>> {
    Ok(Json(load_top(&state, &p, &q).await?))
}

/// The ranking `q` asks for, within what `p` may read.
pub async fn load_top(state: &AppState, p: &Principal, q: &TopQuery) -> ApiResult<Vec<Ranked>> {
    let scope = scope(&q.scope)?;
    if !matches!(q.metric.as_str(), "cpu" | "memory") {
        return Err(ApiError::field("metric", "rank by cpu or memory"));
    }
    if scope == "cluster" || (scope == "node" && !p.platform_admin) {
        return Err(ApiError::Forbidden(
            "node rankings are for platform admins".into(),
        ));
    }
    let (secs, _, rollups) = range(&q.window)
        .map_err(|_| ApiError::field("window", "use one of 1h, 6h, 24h, 7d, 30d"))?;
    let limit = q.limit.clamp(1, 100);
    let tenants: Option<Vec<String>> =
        (!p.platform_admin).then(|| p.memberships.iter().map(|m| m.tenant.clone()).collect());
    let from = crate::time::now() - time::Duration::seconds(secs);
    let rows: Vec<RankRow> = if rollups || scope == "pod" {
        sqlx::query!(
            r#"SELECT s.name, s.tenant, s.request, s."limit",
                      (sum(r.avg * r.samples) / sum(r.samples)) AS "avg!", max(r.max) AS "max!"
               FROM metric_series s JOIN metric_rollups r ON r.series_id = s.id
               WHERE s.scope = $1 AND s.metric = $2 AND r.bucket >= $3
                 AND ($4::text[] IS NULL OR s.tenant = ANY($4))
               GROUP BY s.id ORDER BY 5 DESC, s.name LIMIT $5"#,
            scope,
            q.metric,
            from,
            tenants.as_deref(),
            limit
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.tenant, r.avg, r.max, r.request, r.limit))
        .collect()
    } else {
        sqlx::query!(
            r#"SELECT s.name, s.tenant, s.request, s."limit", avg(x.value) AS "avg!", max(x.value) AS "max!"
               FROM metric_series s JOIN metric_samples x ON x.series_id = s.id
               WHERE s.scope = $1 AND s.metric = $2 AND x.at >= $3
                 AND ($4::text[] IS NULL OR s.tenant = ANY($4))
               GROUP BY s.id ORDER BY 5 DESC, s.name LIMIT $5"#,
            scope, q.metric, from, tenants.as_deref(), limit
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.tenant, r.avg, r.max, r.request, r.limit))
        .collect()
    };
    let pct = |v: f64, of: Option<f64>| of.filter(|o| *o > 0.0).map(|o| v / o * 100.0);
    Ok(rows
        .into_iter()
        .map(|(name, tenant, avg, max, request, limit)| Ranked {
            pct_of_request: pct(avg, request),
            pct_of_limit: pct(avg, limit),
            name,
            tenant,
            avg,
            max,
            request,
            limit,
        })
        .collect())
}
