//! Calls to the portal API (`/api/v1`) with the session cookie; errors become `ApiError` with
//! the server's message (the `ErrorBody` envelope), or a plain one when the portal is not reachable.

use std::cell::RefCell;

use api_types::{ErrorBody, FieldError};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What went wrong with a call, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status; 0 when the portal could not be reached.
    pub status: u16,
    pub code: String,
    pub message: String,
    pub details: Vec<FieldError>,
    /// Seconds to wait, from `Retry-After` (rate-limited logins).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub(super) fn network(e: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: 0,
            code: "network".into(),
            message: format!("the portal cannot be reached: {e}"),
            details: Vec::new(),
            retry_after: None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

thread_local! {
    static ON_UNAUTHENTICATED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// What to do when a call answers 401 (the session ended): the app shows the login page.
pub fn on_unauthenticated(f: impl Fn() + 'static) {
    ON_UNAUTHENTICATED.with(|h| *h.borrow_mut() = Some(Box::new(f)));
}

async fn finish(resp: Response, path: &str) -> ApiResult<Response> {
    if resp.ok() {
        return Ok(resp);
    }
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let body: Option<ErrorBody> = resp.json().await.ok();
    if status == 401 && !path.starts_with("/api/v1/auth/") {
        ON_UNAUTHENTICATED.with(|h| {
            if let Some(f) = h.borrow().as_ref() {
                f()
            }
        });
    }
    Err(match body {
        Some(b) => ApiError {
            status,
            code: b.code,
            message: b.message,
            details: b.details,
            retry_after,
        },
        None => ApiError {
            status,
            code: "http".into(),
            message: format!("the portal answered {status}"),
            details: Vec::new(),
            retry_after,
        },
    })
}

async fn run(req: RequestBuilder, path: &str, body: Option<String>) -> ApiResult<Response> {
    let req = req.header("accept", "application/json");
    let sent = match body {
        Some(b) => {
            req.header("content-type", "application/json")
                .body(b)
                .map_err(ApiError::network)?
                .send()
                .await
        }
        None => req.send().await,
    };
    finish(sent.map_err(ApiError::network)?, path).await
}

async fn decode<T: DeserializeOwned>(resp: Response) -> ApiResult<T> {
    resp.json()
        .await
        .map_err(|e| ApiError::network(format!("unexpected answer: {e}")))
}

/// `GET path`, decoded.
pub async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    decode(run(Request::get(path), path, None).await?).await
}

/// HTTP methods that change something.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

/// A request of `method` to `path` (also used by the Kubernetes calls in `k8s`).
pub(super) fn builder(method: Method, path: &str) -> RequestBuilder {
    match method {
        Method::Post => Request::post(path),
        Method::Put => Request::put(path),
        Method::Patch => Request::patch(path),
        Method::Delete => Request::delete(path),
    }
}

fn json<B: Serialize>(body: &B) -> ApiResult<String> {
    serde_json::to_string(body).map_err(ApiError::network)
}

/// A change with a JSON body whose answer is decoded.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> ApiResult<T> {
    decode(run(builder(method, path), path, Some(json(body)?)).await?).await
}

/// A change whose answer is ignored (204s, or when the page reloads anyway); `body` may be `None`.
pub async fn call<B: Serialize>(method: Method, path: &str, body: Option<&B>) -> ApiResult<()> {
    let body = body.map(json).transpose()?;
    run(builder(method, path), path, body).await.map(|_| ())
}

/// Percent-encodes one path segment or query value (the pure encoder the host tests cover).
pub use crate::kinds::enc;
