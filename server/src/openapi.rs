//! The OpenAPI description of the portal's own API, served at `/api/v1/openapi.json` (the
//! document lives in `docs/openapi.json`; a test checks every route is described).

use axum::http::header;
use axum::response::IntoResponse;

/// The document, as committed.
pub const DOCUMENT: &str = include_str!("../../docs/openapi.json");

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}
