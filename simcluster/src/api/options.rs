//! Query options of list, watch, create, update, patch and delete, validated with the real
//! server's messages (`ListOptions.meta.k8s.io "" is invalid: ...`).

use super::Query;
use crate::status::{ApiError, FieldError};

/// Go's strconv.ParseInt error text.
fn parse_int(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().map_err(|_| {
        ApiError::bad_request(format!("strconv.ParseInt: parsing {s:?}: invalid syntax"))
    })
}

fn options_invalid(kind: &str, errs: &[FieldError]) -> ApiError {
    ApiError::invalid(kind, "meta.k8s.io", "", errs)
}

/// ListOptions (list and watch).
#[derive(Debug, Default, Clone)]
pub struct ListOptions {
    pub label_selector: String,
    pub field_selector: String,
    pub limit: i64,
    pub continue_token: String,
    pub resource_version: Option<String>,
    pub resource_version_match: Option<String>,
    pub timeout_seconds: Option<i64>,
    pub allow_bookmarks: bool,
    pub send_initial_events: bool,
}

pub fn list_options(q: &Query) -> Result<ListOptions, ApiError> {
    let mut o = ListOptions {
        label_selector: q.get("labelSelector").unwrap_or("").to_string(),
        field_selector: q.get("fieldSelector").unwrap_or("").to_string(),
        continue_token: q.get("continue").unwrap_or("").to_string(),
        resource_version: q.get("resourceVersion").map(str::to_string),
        resource_version_match: q
            .get("resourceVersionMatch")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        allow_bookmarks: matches!(q.get("allowWatchBookmarks"), Some("true" | "1")),
        send_initial_events: matches!(q.get("sendInitialEvents"), Some("true" | "1")),
        ..Default::default()
    };
    if let Some(l) = q.get("limit").filter(|s| !s.is_empty()) {
        o.limit = parse_int(l)?;
    }
    if let Some(t) = q.get("timeoutSeconds").filter(|s| !s.is_empty()) {
        o.timeout_seconds = Some(parse_int(t)?);
    }
    if o.resource_version_match.is_some() && o.resource_version.as_deref().unwrap_or("").is_empty()
    {
        return Err(options_invalid(
            "ListOptions",
            &[FieldError::forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden unless resourceVersion is provided",
            )],
        ));
    }
    if let Some(m) = &o.resource_version_match
        && !["NotOlderThan", "Exact"].contains(&m.as_str())
    {
        return Err(options_invalid(
            "ListOptions",
            &[FieldError::not_supported(
                "resourceVersionMatch",
                m.as_str(),
                &["Exact", "NotOlderThan", ""],
            )],
        ));
    }
    Ok(o)
}

/// How unknown and duplicate fields are treated (`fieldValidation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValidation {
    Ignore,
    Warn,
    Strict,
}

/// Options shared by create, update and patch.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub dry_run: bool,
    pub field_validation: FieldValidation,
    pub field_manager: Option<String>,
    pub force: bool,
    /// Set internally when server-side apply already wrote managedFields.
    pub managed_fields_done: bool,
}

/// Parse the write options; `kind` names the options type in errors (`CreateOptions`,
/// `UpdateOptions`, `PatchOptions`).
pub fn write_options(q: &Query, kind: &str) -> Result<WriteOptions, ApiError> {
    let dry = q.all("dryRun");
    let dry_run = match dry {
        [] => false,
        vals if vals.iter().all(|v| v == "All") => true,
        vals => {
            let bad: Vec<serde_json::Value> = vals
                .iter()
                .map(|v| serde_json::Value::String(v.clone()))
                .collect();
            return Err(options_invalid(
                kind,
                &[FieldError::not_supported(
                    "dryRun",
                    serde_json::Value::Array(bad),
                    &["All"],
                )],
            ));
        }
    };
    let field_validation = match q.get("fieldValidation").unwrap_or("") {
        "" | "Warn" => FieldValidation::Warn,
        "Ignore" => FieldValidation::Ignore,
        "Strict" => FieldValidation::Strict,
        other => {
            return Err(options_invalid(
                kind,
                &[FieldError::not_supported(
                    "fieldValidation",
                    other,
                    &["", "Ignore", "Strict", "Warn"],
                )],
            ));
        }
    };
    let force = match q.get("force") {
        None | Some("") => false,
        Some("true" | "1") => true,
        Some("false" | "0") => false,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "strconv.ParseBool: parsing {other:?}: invalid syntax"
            )));
        }
    };
    Ok(WriteOptions {
        dry_run,
        field_validation,
        field_manager: q
            .get("fieldManager")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        force,
        managed_fields_done: false,
    })
}

/// DeleteOptions from the query and an optional JSON body.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub dry_run: bool,
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: Option<String>,
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
}

pub fn delete_options(q: &Query, body: &[u8]) -> Result<DeleteOptions, ApiError> {
    let w = write_options(q, "DeleteOptions")?;
    let mut o = DeleteOptions {
        dry_run: w.dry_run,
        ..Default::default()
    };
    if let Some(g) = q.get("gracePeriodSeconds").filter(|s| !s.is_empty()) {
        o.grace_period_seconds = Some(parse_int(g)?);
    }
    o.propagation_policy = q
        .get("propagationPolicy")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(o2) = q.get("orphanDependents")
        && o2 == "true"
    {
        o.propagation_policy.get_or_insert_with(|| "Orphan".into());
    }
    if !body.iter().all(u8::is_ascii_whitespace) {
        let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
        })?;
        if let Some(g) = v
            .get("gracePeriodSeconds")
            .and_then(serde_json::Value::as_i64)
        {
            o.grace_period_seconds = Some(g);
        }
        if let Some(p) = v
            .get("propagationPolicy")
            .and_then(serde_json::Value::as_str)
        {
            o.propagation_policy = Some(p.to_string());
        }
        if v.get("orphanDependents")
            .and_then(serde_json::Value::as_bool)
            == Some(true)
        {
            o.propagation_policy.get_or_insert_with(|| "Orphan".into());
        }
        if let Some(d) = v.get("dryRun").and_then(serde_json::Value::as_array) {
            o.dry_run |= d.iter().any(|x| x == "All");
        }
        o.precondition_uid = v
            .pointer("/preconditions/uid")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        o.precondition_rv = v
            .pointer("/preconditions/resourceVersion")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
    }
    if let Some(p) = &o.propagation_policy
        && !["Orphan", "Background", "Foreground"].contains(&p.as_str())
    {
        return Err(options_invalid(
            "DeleteOptions",
            &[FieldError::not_supported(
                "propagationPolicy",
                p.as_str(),
                &["Foreground", "Background", "Orphan", "nil"],
            )],
        ));
    }
    Ok(o)
}
