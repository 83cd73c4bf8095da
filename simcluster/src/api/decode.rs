//! Decoding request bodies like kube-apiserver: media types (415), JSON/YAML parse errors,
//! kind and apiVersion checks, unknown fields per `fieldValidation`, type errors.

use axum::http::HeaderMap;
use serde_json::Value;

use super::options::FieldValidation;
use crate::discovery::ResourceInfo;
use crate::status::ApiError;

/// The media type of the request body (lowercase, without parameters).
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            s.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// 415 for create/update bodies in a format we do not read.
pub fn unsupported_media_type() -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    )
}

/// Go's wording for a JSON syntax error of serde_json's error.
fn go_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of JSON input".into(),
        _ => {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            format!("invalid character: {msg}")
        }
    }
}

/// The snippet Go puts after a parse error: up to 30 bytes and ` ...`.
fn snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return "<empty>".into();
    }
    let text = String::from_utf8_lossy(body);
    if text.chars().count() > 30 {
        format!("{} ...", text.chars().take(30).collect::<String>())
    } else {
        text.into_owned()
    }
}

/// Parse a body as JSON or YAML into a JSON value, with the errors of the real decoder.
pub fn parse_body(body: &[u8], media: &str, expected_kind: &str) -> Result<Value, ApiError> {
    let unrecognized = |detail: String| {
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {expected_kind}): couldn't get version/kind; json parse error: {detail}"
        ))
    };
    let value: Value = if media.contains("yaml") {
        let y: serde_yaml::Value = serde_yaml::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!("error converting YAML to JSON: yaml: {e}"))
        })?;
        serde_json::to_value(y)
            .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: {e}")))?
    } else {
        serde_json::from_slice(body)
            .map_err(|e| unrecognized(format!("{} ({})", go_json_error(&e), snippet(body))))?
    };
    if !value.is_object() {
        let what = match &value {
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        let hex: String = body.iter().map(|b| format!("{b:02x}")).collect();
        return Err(unrecognized(format!(
            "json: cannot unmarshal {what} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }} ({hex})"
        )));
    }
    Ok(value)
}

/// Check kind/apiVersion against the endpoint's resource and fill them in when absent.
pub fn check_kind(
    obj: &mut Value,
    kind: &str,
    api_version: &str,
    version: &str,
    registry: &crate::discovery::Registry,
) -> Result<(), ApiError> {
    let given_kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let given_av = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let k = if given_kind.is_empty() {
        kind.to_string()
    } else {
        given_kind
    };
    let av = if given_av.is_empty() {
        api_version.to_string()
    } else {
        given_av
    };
    if k != kind || av != api_version {
        let (g, v) = match av.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", av.as_str()),
        };
        let known = registry.by_kind(g, v, &k).is_some();
        let why = if known && k != kind {
            let internal = match api_version.split_once('/') {
                None => "core",
                Some((group, _)) => group.split('.').next().unwrap_or(group),
            };
            format!("converting ({v}.{k}) to ({internal}.{kind}): unknown conversion")
        } else {
            format!(
                "no kind {k:?} is registered for version {av:?} in scheme \"pkg/api/legacyscheme/scheme.go:30\""
            )
        };
        return Err(ApiError::bad_request(format!(
            "{k} in version {version:?} cannot be handled as a {kind}: {why}"
        )));
    }
    let m = obj.as_object_mut().expect("checked object");
    m.insert("kind".into(), Value::String(k));
    m.insert("apiVersion".into(), Value::String(av));
    Ok(())
}

/// Decode a full object for create/update of `info`. Returns the object and the warnings
/// (unknown fields with `fieldValidation=Warn`).
pub fn decode_object(
    headers: &HeaderMap,
    body: &[u8],
    info: &ResourceInfo,
    kind: &str,
    api_version: &str,
    validation: FieldValidation,
    registry: &crate::discovery::Registry,
) -> Result<(Value, Vec<String>), ApiError> {
    let media = content_type(headers);
    let mut obj = match media.as_str() {
        "" | "application/json" | "application/yaml" => parse_body(body, &media, kind)?,
        crate::protobuf::CONTENT_TYPE => {
            crate::protobuf::decode(body).map_err(ApiError::bad_request)?
        }
        _ => return Err(unsupported_media_type()),
    };
    check_kind(&mut obj, kind, api_version, &info.version, registry)?;
    let warnings = check_fields(info, &mut obj, kind, api_version, validation)?;
    Ok((obj, warnings))
}

/// [`check_schema`] for built-in kinds; for custom resources, pruning by the CRD's
/// structural schema with the same `fieldValidation` handling.
pub fn check_fields(
    info: &ResourceInfo,
    obj: &mut Value,
    kind: &str,
    api_version: &str,
    validation: FieldValidation,
) -> Result<Vec<String>, ApiError> {
    let Some(custom) = &info.custom else {
        return check_schema(obj, kind, api_version, validation);
    };
    let unknown = crate::crd::prune(obj, &custom.schema);
    by_validation(&unknown, kind, api_version, validation)
}

/// Unknown fields (already dropped) as `fieldValidation` wants them: ignored, warnings, or
/// the strict decoding error.
fn by_validation(
    unknown: &[String],
    kind: &str,
    api_version: &str,
    validation: FieldValidation,
) -> Result<Vec<String>, ApiError> {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let unknown: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    match validation {
        FieldValidation::Ignore => Ok(Vec::new()),
        FieldValidation::Warn => Ok(unknown),
        FieldValidation::Strict if unknown.is_empty() => Ok(Vec::new()),
        FieldValidation::Strict => Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: strict decoding error: {}",
            unknown.join(", ")
        ))),
    }
}

/// Remove the field at a path as the schema reports it (`spec.containers[0].foo`).
fn prune(obj: &mut Value, path: &str) {
    let mut segs: Vec<(String, Option<usize>)> = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        segs.push((name.to_string(), None));
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                segs.push((String::new(), Some(i)));
            }
        }
    }
    let Some((last, _)) = segs.pop() else { return };
    let mut cur = obj;
    for (name, idx) in segs {
        let next = match idx {
            Some(i) => cur.get_mut(i),
            None => cur.get_mut(&name),
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    if let Some(m) = cur.as_object_mut() {
        m.remove(&last);
    }
}

/// Unknown fields and type errors by the schema of the kind; unknown fields are dropped from
/// the object, as decoding into the typed object does.
pub fn check_schema(
    obj: &mut Value,
    kind: &str,
    api_version: &str,
    validation: FieldValidation,
) -> Result<Vec<String>, ApiError> {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let Some(check) = crate::schema::check(api_version, kind, obj) else {
        return Ok(Vec::new());
    };
    for path in &check.unknown {
        prune(obj, path);
    }
    if check.type_error.is_none()
        && let Some(e) = crate::resources::decode_error(group, kind, obj)
    {
        return Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {e}"
        )));
    }
    if let Some(t) = check.type_error {
        return Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {t}"
        )));
    }
    by_validation(&check.unknown, kind, api_version, validation)
}

/// [`decode_object`] for the resource a request addresses.
pub fn decode_request(
    ctx: &super::Ctx,
    body: &[u8],
    validation: FieldValidation,
) -> Result<(Value, Vec<String>), ApiError> {
    decode_object(
        &ctx.headers,
        body,
        &ctx.info,
        &ctx.info.kind,
        &ctx.info.api_version(),
        validation,
        &ctx.sim.registry.current(),
    )
}
