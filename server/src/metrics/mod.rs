//! Metrics history (issue 7): the collector (`collector`, leader-only) turns the cluster's
//! metrics API, pods and quotas into samples (`sample`) kept in PostgreSQL (`store`: raw for a
//! day, five-minute roll-ups for 30 days), and the API reads them (`query`): status, series of
//! one subject over a range, rankings over a window.

pub mod collector;
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
}
