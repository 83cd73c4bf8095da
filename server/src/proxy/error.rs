//! The proxy's error type: answered as a Kubernetes `Status` object (kind, reason, code,
//! message), so kubectl and client libraries show it exactly as they show the apiserver's own.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::error::ApiError;

/// An error answered by the proxy itself (not passed through from the cluster).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ProxyError {
    pub status: StatusCode,
    /// The Kubernetes `reason` (`Forbidden`, `NotFound`, ...).
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

pub type ProxyResult<T> = Result<T, ProxyError>;

impl ProxyError {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ProxyError {
            status,
            reason,
            message: message.into(),
            details: None,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            message,
        )
    }

    pub fn bad_gateway(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, "InternalError", message)
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "proxy internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "an internal error occurred in the portal",
        )
    }

    /// The apiserver's answer to a body over its limit.
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!(
                "Request entity too large: limit is {}",
                super::handler::BODY_LIMIT
            ),
        )
    }

    /// The apiserver's "the server could not find the requested resource".
    pub fn no_such_resource() -> Self {
        Self::not_found("the server could not find the requested resource")
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }
}

impl From<ApiError> for ProxyError {
    /// Authentication and database errors of the shared layers, in Kubernetes form.
    fn from(e: ApiError) -> ProxyError {
        match e {
            ApiError::Unauthenticated(_) => {
                ProxyError::new(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized")
            }
            ApiError::Forbidden(m) => ProxyError::forbidden(m),
            ApiError::Unavailable(m) => ProxyError::unavailable(m),
            ApiError::Internal(e) => ProxyError::internal(format!("{e:#}")),
            other => ProxyError::bad_request(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for ProxyError {
    fn from(e: sqlx::Error) -> ProxyError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.status.as_u16(),
        });
        if let Some(d) = self.details {
            body["details"] = d;
        }
        let mut resp = (self.status, axum::Json(body)).into_response();
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache, private"),
        );
        resp
    }
}
