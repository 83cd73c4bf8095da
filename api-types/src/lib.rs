//! Types shared by the ku8portal server and the browser frontend (serde only, builds for wasm32).

pub mod metrics;
pub mod portal;
pub mod quantity;
pub mod quota;

use serde::{Deserialize, Serialize};

/// The JSON error envelope every portal API error uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable error code, e.g. `not_found`.
    pub code: String,
    /// Human-readable message saying what to fix.
    pub message: String,
    /// Field-level problems (e.g. `quota.requests.cpu: invalid quantity "1.5.5"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldError>,
    /// The request id, to find the request in the server's logs and the audit log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One problem with one field of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, dot-separated (`quota.requests.cpu`).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
