//! PATCH machinery as kube-apiserver does it: JSON patch (RFC 6902, evanphx/json-patch v4 semantics),
//! JSON merge patch (RFC 7386), strategic merge patch for built-in kinds, and server-side apply with
//! `managedFields` bookkeeping (structured-merge-diff semantics).

mod apply;
mod fieldset;
mod gofmt;
mod gosort;
mod json_patch;
mod managed;
mod merge;
mod schema;
mod strategic;
mod strategic_list;
mod strategy_table;
mod typed;

#[cfg(test)]
mod apply_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod strategic_tests;

use serde_json::{Map, Value};

use crate::status::{ApiError, FieldError};

pub use apply::{server_side_apply, track_update, track_update_subresource};
pub use fieldset::FieldSet;

/// A failed JSON / merge / strategic patch, with the HTTP code the real server answers.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchError {
    /// The client-facing message (for 422 the generic "the server rejected our request..." text).
    pub message: String,
    /// 400 (bad patch document), 413 (too many operations), 422 (an operation does not apply),
    /// 500 (errors the apiserver does not classify).
    pub code: u16,
    /// What actually went wrong (for logs; the real server hides it behind the generic 422).
    pub detail: String,
}

/// The generic message of `NewGenericServerResponse(422, ...)`.
pub const GENERIC_422: &str = "the server rejected our request due to an error in our request";

impl PatchError {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            detail: message.clone(),
            message,
            code: 400,
        }
    }
    /// An operation that does not apply: 422 with the generic message.
    pub(crate) fn unprocessable(detail: impl Into<String>) -> Self {
        Self {
            message: GENERIC_422.into(),
            code: 422,
            detail: detail.into(),
        }
    }
    /// An error the apiserver passes through unclassified (500, empty reason).
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            detail: message.clone(),
            message,
            code: 500,
        }
    }

    /// The `Status` the real server sends: 400 `BadRequest` without details, 422 `Invalid` with
    /// `details: {}`, 413 `RequestEntityTooLarge`, 500 with an empty reason and no details.
    pub fn to_api_error(&self) -> ApiError {
        match self.code {
            400 => ApiError::bad_request(self.message.clone()),
            413 => ApiError::new(413, "RequestEntityTooLarge", self.message.clone()),
            415 => ApiError::new(415, "UnsupportedMediaType", self.message.clone())
                .with_details(Map::new()),
            422 => ApiError::new(422, "Invalid", self.message.clone()).with_details(Map::new()),
            code => ApiError::new(code, "", self.message.clone()),
        }
    }
}

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl std::error::Error for PatchError {}

/// A failed server-side apply.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyError {
    /// 409 `Apply failed with N conflict(s): ...` with `FieldManagerConflict` causes.
    Conflict(ApiError),
    /// 422 (e.g. a missing `fieldManager`, see [`validate_patch_options`]).
    Invalid(ApiError),
    /// 400: wrong apiVersion/kind (`invalid object type: ...`), `metadata.managedFields must be nil`.
    BadRequest(ApiError),
    /// 500 with an empty reason: duplicate keys in associative lists and similar typed-conversion
    /// failures (`failed to create typed patch object (...)`).
    Internal(ApiError),
}

impl ApplyError {
    pub fn into_api_error(self) -> ApiError {
        match self {
            ApplyError::Conflict(e)
            | ApplyError::Invalid(e)
            | ApplyError::BadRequest(e)
            | ApplyError::Internal(e) => e,
        }
    }
    pub fn api_error(&self) -> &ApiError {
        match self {
            ApplyError::Conflict(e)
            | ApplyError::Invalid(e)
            | ApplyError::BadRequest(e)
            | ApplyError::Internal(e) => e,
        }
    }
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.api_error().fmt(f)
    }
}

impl std::error::Error for ApplyError {}

/// RFC 6902 JSON patch as kube-apiserver applies it (evanphx/json-patch v4: `replace` of a missing
/// object key adds it, negative array indices count from the end, at most 10000 operations).
pub fn json_patch(doc: &Value, ops: &Value) -> Result<Value, PatchError> {
    json_patch::apply(doc, ops)
}

/// RFC 7386 JSON merge patch (evanphx/json-patch `MergePatch`).
pub fn merge_patch(doc: &Value, patch: &Value) -> Result<Value, PatchError> {
    merge::merge_patch(doc, patch)
}

/// Strategic merge patch for built-in kinds ("Pod", "Deployment", "Service", ... identified by
/// apiVersion+kind) using the patchStrategy/patchMergeKey tags of k8s.io/api types; kinds outside
/// the built-in API groups (custom resources) fall back to JSON merge patch semantics (the real
/// server answers 415 for those: see [`strategic_merge_supported`]).
pub fn strategic_merge_patch(
    doc: &Value,
    patch: &Value,
    api_version: &str,
    kind: &str,
) -> Result<Value, PatchError> {
    if !strategic_merge_supported(api_version, kind) {
        return merge::merge_patch(doc, patch);
    }
    strategic::apply(doc, patch, &schema::root_type(api_version, kind))
}

/// Whether the real server accepts `application/strategic-merge-patch+json` for this kind (built-in
/// API groups only; custom resources get `415: Unsupported Media Type`).
pub fn strategic_merge_supported(api_version: &str, _kind: &str) -> bool {
    schema::is_builtin_group(schema::group_of(api_version))
}

/// `PatchOptions` validation of kube-apiserver (`fieldManager` required for apply, at most 128
/// printable characters; `force` only for apply). `None` when the options are fine.
pub fn validate_patch_options(
    is_apply: bool,
    field_manager: Option<&str>,
    force: Option<bool>,
) -> Option<ApiError> {
    let mut errs = Vec::new();
    let fm = field_manager.unwrap_or("");
    if !is_apply {
        if force.is_some() {
            errs.push(FieldError::forbidden(
                "force",
                "may not be specified for non-apply patch",
            ));
        }
    } else if fm.is_empty() {
        errs.push(FieldError::required(
            "fieldManager",
            "is required for apply patch",
        ));
    }
    errs.extend(validate_field_manager(fm));
    if errs.is_empty() {
        None
    } else {
        Some(ApiError::invalid("PatchOptions", "meta.k8s.io", "", &errs))
    }
}

/// `ValidateFieldManager` (used for create/update/patch options alike).
pub fn validate_field_manager(field_manager: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if field_manager.len() > 128 {
        errs.push(FieldError::too_long("fieldManager", field_manager, 128));
    }
    for (i, c) in field_manager.chars().enumerate() {
        if c.is_control() {
            errs.push(FieldError::invalid(
                format!("fieldManager[{i}]"),
                field_manager,
                "all characters must be printable",
            ));
        }
    }
    errs
}

/// The manager name of a non-apply write: the `fieldManager` option, else the User-Agent up to its
/// first `/` (printable characters only, at most 128 bytes), as `managerOrUserAgent` does.
pub fn manager_or_user_agent(field_manager: Option<&str>, user_agent: &str) -> String {
    if let Some(m) = field_manager.filter(|m| !m.is_empty()) {
        return m.to_string();
    }
    let prefix = user_agent.split('/').next().unwrap_or("");
    let mut out = String::new();
    for c in prefix.chars().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > 128 {
            break;
        }
        out.push(c);
    }
    out
}
