//! Request ids: every request gets an `x-request-id` (kept when a trusted proxy set one), echoed
//! in the response, written to the logs, to audit events and to the error envelope.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";

/// The id of the current request (set by the `SetRequestIdLayer` in `app`).
#[derive(Debug, Clone, Default)]
pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(RequestId::of(&parts.headers))
    }
}

impl RequestId {
    fn of(headers: &HeaderMap) -> RequestId {
        RequestId(
            headers
                .get(HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(100)
                .collect(),
        )
    }
}

tokio::task_local! {
    static CURRENT: String;
}

/// Middleware (inside `SetRequestIdLayer`): makes the request's id known to everything that
/// runs for it, so an error answer can name it without being handed it.
pub async fn scope(req: Request, next: Next) -> Response {
    let id = RequestId::of(req.headers()).0;
    CURRENT.scope(id, next.run(req)).await
}

/// The id of the request being answered, if any.
pub fn current() -> Option<String> {
    CURRENT
        .try_with(|id| id.clone())
        .ok()
        .filter(|id| !id.is_empty())
}
