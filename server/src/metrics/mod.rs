//! Metrics history (issue 7): the collector (`collector`, leader-only) turns the cluster's
//! metrics API, pods and quotas into samples (`sample`) kept in PostgreSQL (`store`: raw for a
//! day, five-minute roll-ups for 30 days), and the API reads them (`query`): status, series of
//! one subject over a range, rankings over a window; the last collection's resource pool and
//! applications (`latest`); and the same drawn as SVG (`charts`).

pub mod charts;
pub mod collector;
pub mod latest;
pub mod pods;
pub mod query;
pub mod sample;
pub mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// `/api/v1/metrics/...`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/metrics/status", get(query::status))
        .route("/api/v1/metrics/series", get(query::series))
        .route("/api/v1/metrics/top", get(query::top))
        .route("/api/v1/metrics/pool", get(latest::pool))
        .route("/api/v1/metrics/apps", get(latest::apps))
        .route("/api/v1/metrics/charts/series.svg", get(charts::series_svg))
        .route("/api/v1/metrics/charts/top.svg", get(charts::top_svg))
        .route("/api/v1/metrics/charts/pool.svg", get(charts::pool_svg))
        .route("/api/v1/metrics/charts/apps.svg", get(charts::apps_svg))
}
