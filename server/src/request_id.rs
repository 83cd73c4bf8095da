//! Request ids: every request gets an `x-request-id` (kept when a trusted proxy set one), echoed
//! in the response, written to the logs and to audit events.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub const HEADER: &str = "x-request-id";

/// The id of the current request (set by the `SetRequestIdLayer` in `app`).
#[derive(Debug, Clone, Default)]
pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(RequestId(
            parts
                .headers
                .get(HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(100)
                .collect(),
        ))
    }
}
