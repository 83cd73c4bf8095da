//! Types shared by the ku8portal server and the browser frontend (serde only, builds for wasm32).

use serde::{Deserialize, Serialize};

/// The JSON error envelope every portal API error uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable error code, e.g. `not_found`.
    pub code: String,
    /// Human-readable message saying what to fix.
    pub message: String,
}
