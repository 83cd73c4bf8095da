//! Charts drawn on the server as SVG with plotters (`/api/v1/metrics/charts/*.svg`): the same
//! data as the JSON endpoints and the same authorization, in English or Chinese, with an
//! `ETag` derived from the data and the parameters (304 on `If-None-Match`) and
//! `Cache-Control: private, max-age=<collection interval>`.

pub mod bars;
pub mod build;
pub mod frame;
pub mod line;
pub mod text;
pub mod units;

use api_types::metrics::MetricsStatus;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::UtcOffset;

use super::latest::{self, AppsQuery};
use super::query::{self, SeriesQuery, TopQuery};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, QueryParams};
use crate::state::AppState;
use text::Lang;

/// The viewer's UTC offset from `tz` minutes (e.g. 480 for UTC+8).
fn offset(tz: i32) -> ApiResult<UtcOffset> {
    tz.checked_mul(60)
        .and_then(|s| UtcOffset::from_whole_seconds(s).ok())
        .ok_or_else(|| ApiError::field("tz", "a UTC offset in minutes, between -1439 and 1439"))
}

/// The answer: 304 when the caller has this `etag`, else the SVG `render` draws.
fn answer(
    state: &AppState,
    headers: &HeaderMap,
    key: impl Serialize,
    render: impl FnOnce() -> ApiResult<String>,
) -> ApiResult<Response> {
    let digest = Sha256::digest(serde_json::to_vec(&key).map_err(ApiError::internal)?);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let cache = format!(
        "private, max-age={}",
        state.settings.metrics_interval.as_secs().max(5)
    );
    let mut h = HeaderMap::new();
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(ApiError::internal)?,
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&cache).map_err(ApiError::internal)?,
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Authorization"),
    );
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| {
            let v = v.trim();
            v == "*" || v.trim_start_matches("W/") == etag
        });
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    let svg = render()?;
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    Ok((h, svg).into_response())
}

fn drawn(r: anyhow::Result<String>) -> ApiResult<String> {
    r.map_err(ApiError::internal)
}

/// When the data ends: the last collection (the time axis is then a function of the data).
fn end_of(status: &MetricsStatus) -> i64 {
    status
        .last_cycle_at
        .as_deref()
        .and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .unwrap_or_else(crate::time::now)
        .unix_timestamp()
}

/// A chart's options, next to the parameters of the JSON it draws.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ChartOptions {
    #[serde(default)]
    pub lang: Lang,
    /// The viewer's UTC offset in minutes (series).
    #[serde(default)]
    pub tz: i32,
    /// Draw each line's min–max band (series).
    #[serde(default)]
    pub band: bool,
    /// How many rows (applications; 20 unless told).
    pub limit: Option<i64>,
}

/// `GET /api/v1/metrics/charts/series.svg`: the lines of `/series`.
pub async fn series_svg(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    QueryParams(q): QueryParams<SeriesQuery>,
    QueryParams(o): QueryParams<ChartOptions>,
) -> ApiResult<Response> {
    let offset = offset(o.tz)?;
    let status = query::load_status(&state).await?;
    let key = ("series", &q, &o);
    let set = query::load_series(&state, &p, q.clone()).await?;
    let chart = build::series(&set, &status, end_of(&status), offset, o.band, o.lang)?;
    answer(&state, &headers, (key, &set, &status), || {
        drawn(line::render(&chart, o.lang))
    })
}

/// `GET /api/v1/metrics/charts/top.svg`: the ranking of `/top` as bars.
pub async fn top_svg(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    QueryParams(t): QueryParams<TopQuery>,
    QueryParams(o): QueryParams<ChartOptions>,
) -> ApiResult<Response> {
    let status = query::load_status(&state).await?;
    let rows = query::load_top(&state, &p, &t).await?;
    let chart = build::top(&rows, &t.scope, &t.metric, &t.window, &status, o.lang);
    answer(&state, &headers, ("top", &t, &o, &rows, &status), || {
        drawn(bars::render(&chart, o.lang))
    })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PoolChartQuery {
    /// One node's pool (the cluster's when empty).
    #[serde(default)]
    pub node: String,
    /// `node`: one resource (`resource`) across the nodes.
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub lang: Lang,
}

/// `GET /api/v1/metrics/charts/pool.svg` (platform admins).
pub async fn pool_svg(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    QueryParams(q): QueryParams<PoolChartQuery>,
) -> ApiResult<Response> {
    let status = query::load_status(&state).await?;
    let pool = latest::load_pool(&state, &p).await?;
    let chart = match q.by.as_str() {
        "" => build::pool_subject(&pool, &q.node, &status, q.lang),
        "node" if latest::POOL_RESOURCES.contains(&q.resource.as_str()) => {
            build::pool_by_node(&pool, &q.resource, &status, q.lang)
        }
        "node" => {
            return Err(ApiError::field(
                "resource",
                "use one of cpu, memory, gpu, storage",
            ));
        }
        _ => return Err(ApiError::field("by", "use node, or leave it out")),
    };
    answer(&state, &headers, ("pool", &q, &pool, &status), || {
        drawn(bars::render(&chart, q.lang))
    })
}

/// `GET /api/v1/metrics/charts/apps.svg`: services, pods and running instances per application.
pub async fn apps_svg(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    QueryParams(q): QueryParams<AppsQuery>,
    QueryParams(o): QueryParams<ChartOptions>,
) -> ApiResult<Response> {
    let apps = latest::load_apps(&state, &p, &q).await?;
    let limit = o.limit.unwrap_or(20).clamp(1, 100) as usize;
    let chart = build::apps(&apps, q.tenant.as_deref(), limit, o.lang);
    answer(&state, &headers, ("apps", &q, &o, &apps), || {
        drawn(bars::render(&chart, o.lang))
    })
}
