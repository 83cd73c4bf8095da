//! events.k8s.io/v1 Events: the core/v1 Events of the same storage in another representation
//! (`regarding`/`note`/`reportingController`/`deprecated*` instead of
//! `involvedObject`/`message`/`reportingComponent`/...), as kube-apiserver converts them through
//! its internal type. Both endpoints read and write the one `events` storage resource.

use serde_json::{Map, Value, json};

use crate::status::{ApiError, FieldError};

/// The events.k8s.io version served.
pub const API_VERSION: &str = "events.k8s.io/v1";

/// Storage resource of resources kept in another resource's storage.
pub fn storage_alias(group: &str, plural: &str) -> Option<&'static str> {
    ((group, plural) == ("events.k8s.io", "events")).then_some("events")
}

/// Whether objects of this type are stored as core/v1 Events in another representation.
pub fn is_v1(kind: &str, api_version: &str) -> bool {
    kind == "Event" && api_version == API_VERSION
}

fn copy(
    from: &Map<String, Value>,
    out: &mut Map<String, Value>,
    src: &str,
    dst: &str,
    always: Option<Value>,
) {
    match from.get(src).filter(|v| !is_empty(v)) {
        Some(v) => {
            out.insert(dst.into(), v.clone());
        }
        None => {
            if let Some(d) = always {
                out.insert(dst.into(), d);
            }
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_i64() == Some(0),
        _ => false,
    }
}

const V1_ONLY: &[&str] = &[
    "regarding",
    "note",
    "reportingController",
    "deprecatedSource",
    "deprecatedFirstTimestamp",
    "deprecatedLastTimestamp",
    "deprecatedCount",
];
const CORE_ONLY: &[&str] = &[
    "involvedObject",
    "message",
    "reportingComponent",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
];

/// Whether an object already has the events.k8s.io/v1 form (so converting it again is a no-op).
fn looks_v1(o: &Map<String, Value>) -> bool {
    V1_ONLY.iter().any(|k| o.contains_key(*k)) && !CORE_ONLY.iter().any(|k| o.contains_key(*k))
}

/// core/v1 Event (as stored) → events.k8s.io/v1 Event, fields in the Go struct order.
/// An object already in the v1 form is returned as is.
pub fn to_v1(core: &Value) -> Value {
    let Some(c) = core.as_object() else {
        return core.clone();
    };
    if looks_v1(c) {
        return core.clone();
    }
    let mut o = Map::new();
    for k in ["kind", "apiVersion", "metadata"] {
        if let Some(v) = c.get(k) {
            o.insert(k.into(), v.clone());
        }
    }
    if o.contains_key("apiVersion") {
        o.insert("apiVersion".into(), json!(API_VERSION));
    }
    copy(c, &mut o, "eventTime", "eventTime", Some(Value::Null));
    copy(c, &mut o, "series", "series", None);
    copy(c, &mut o, "reportingComponent", "reportingController", None);
    copy(c, &mut o, "reportingInstance", "reportingInstance", None);
    copy(c, &mut o, "action", "action", None);
    copy(c, &mut o, "reason", "reason", None);
    copy(c, &mut o, "involvedObject", "regarding", Some(json!({})));
    copy(c, &mut o, "related", "related", None);
    copy(c, &mut o, "message", "note", None);
    copy(c, &mut o, "type", "type", None);
    copy(c, &mut o, "source", "deprecatedSource", Some(json!({})));
    copy(
        c,
        &mut o,
        "firstTimestamp",
        "deprecatedFirstTimestamp",
        Some(Value::Null),
    );
    copy(
        c,
        &mut o,
        "lastTimestamp",
        "deprecatedLastTimestamp",
        Some(Value::Null),
    );
    copy(c, &mut o, "count", "deprecatedCount", None);
    Value::Object(o)
}

/// events.k8s.io/v1 Event → core/v1 Event (the stored form), fields in the Go struct order.
pub fn to_core(v1: &Value) -> Value {
    let Some(e) = v1.as_object() else {
        return v1.clone();
    };
    let mut o = Map::new();
    for k in ["kind", "apiVersion", "metadata"] {
        if let Some(v) = e.get(k) {
            o.insert(k.into(), v.clone());
        }
    }
    if o.contains_key("apiVersion") {
        o.insert("apiVersion".into(), json!("v1"));
    }
    copy(e, &mut o, "regarding", "involvedObject", Some(json!({})));
    copy(e, &mut o, "reason", "reason", None);
    copy(e, &mut o, "note", "message", None);
    copy(e, &mut o, "deprecatedSource", "source", Some(json!({})));
    copy(
        e,
        &mut o,
        "deprecatedFirstTimestamp",
        "firstTimestamp",
        Some(Value::Null),
    );
    copy(
        e,
        &mut o,
        "deprecatedLastTimestamp",
        "lastTimestamp",
        Some(Value::Null),
    );
    copy(e, &mut o, "deprecatedCount", "count", None);
    copy(e, &mut o, "type", "type", None);
    copy(e, &mut o, "eventTime", "eventTime", Some(Value::Null));
    copy(e, &mut o, "series", "series", None);
    copy(e, &mut o, "action", "action", None);
    copy(e, &mut o, "related", "related", None);
    copy(
        e,
        &mut o,
        "reportingController",
        "reportingComponent",
        Some(json!("")),
    );
    copy(
        e,
        &mut o,
        "reportingInstance",
        "reportingInstance",
        Some(json!("")),
    );
    Value::Object(o)
}

/// The representation clients of `kind`/`api_version` see of a stored object.
pub fn outgoing(obj: &Value, kind: &str, api_version: &str) -> Option<Value> {
    is_v1(kind, api_version).then(|| to_v1(obj))
}

fn s<'a>(o: &'a Value, k: &str) -> &'a str {
    o.get(k).and_then(Value::as_str).unwrap_or("")
}

/// The strict checks kube-apiserver applies to Events written through events.k8s.io/v1 (on the
/// core form), beyond the legacy ones.
fn validate_v1(core: &Value, create: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let unset = |v: Option<&Value>| v.is_none_or(is_empty);
    if let Some(series) = core.get("series").filter(|v| !v.is_null()) {
        if series.get("count").and_then(Value::as_i64).unwrap_or(0) < 2 {
            errs.push(FieldError::invalid(
                "series.count",
                "",
                "should be at least 2",
            ));
        }
        if unset(series.get("lastObservedTime")) {
            errs.push(FieldError::required("series.lastObservedTime", ""));
        }
    }
    if create {
        if unset(core.get("eventTime")) {
            errs.push(FieldError::required("eventTime", ""));
        }
        let t = s(core, "type");
        if t != "Normal" && t != "Warning" {
            errs.push(FieldError::invalid(
                "type",
                "",
                format!("has invalid value: {t}"),
            ));
        }
    }
    if !unset(core.get("eventTime")) {
        for (field, max) in [
            ("reportingComponent", 0),
            ("reportingInstance", 128),
            ("action", 128),
            ("reason", 128),
        ] {
            let v = s(core, field);
            let path = if field == "reportingComponent" {
                "reportingController"
            } else {
                field
            };
            if v.is_empty() {
                errs.push(FieldError::required(path, ""));
            } else if max > 0 && v.len() > max {
                errs.push(FieldError::invalid(
                    path,
                    "",
                    format!("can have at most {max} characters"),
                ));
            }
        }
        if s(core, "message").len() > 1024 {
            errs.push(FieldError::invalid(
                "message",
                "",
                "can have at most 1024 characters",
            ));
        }
    }
    errs
}

/// A decoded events.k8s.io/v1 body on its way to storage: converted to the core form and checked
/// like kube-apiserver checks events.k8s.io writes. Other objects pass unchanged.
pub fn incoming(
    obj: Value,
    kind: &str,
    api_version: &str,
    create: bool,
) -> Result<Value, ApiError> {
    if !is_v1(kind, api_version) {
        return Ok(obj);
    }
    let core = to_core(&obj);
    let errs = validate_v1(&core, create);
    if !errs.is_empty() {
        let name = core
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        return Err(ApiError::invalid("Event", "events.k8s.io", name, &errs));
    }
    Ok(core)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core_event() -> Value {
        json!({
            "metadata": {"name": "job.1", "namespace": "ns"},
            "involvedObject": {"kind": "Job", "namespace": "ns", "name": "job", "apiVersion": "batch/v1"},
            "reason": "SuccessfulCreate", "message": "Created pod: job-abcde",
            "source": {"component": "job-controller"},
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:01Z",
            "count": 2, "type": "Normal", "eventTime": null,
            "reportingComponent": "job-controller", "reportingInstance": ""
        })
    }

    #[test]
    fn core_to_v1_renames_and_orders_fields() {
        let v1 = to_v1(&core_event());
        let keys: Vec<&str> = v1.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "metadata",
                "eventTime",
                "reportingController",
                "reason",
                "regarding",
                "note",
                "type",
                "deprecatedSource",
                "deprecatedFirstTimestamp",
                "deprecatedLastTimestamp",
                "deprecatedCount"
            ]
        );
        assert_eq!(v1["note"], "Created pod: job-abcde");
        assert_eq!(v1["regarding"]["kind"], "Job");
        assert_eq!(v1["deprecatedCount"], 2);
    }

    #[test]
    fn round_trip_keeps_the_core_form() {
        let core = core_event();
        assert_eq!(to_core(&to_v1(&core)), core);
        let v1 = to_v1(&core);
        assert_eq!(to_v1(&v1), v1, "converting twice is a no-op");
    }

    #[test]
    fn strict_checks_for_events_k8s_io_creates() {
        let err = incoming(
            json!({"metadata": {"name": "e"}, "type": "Normal"}),
            "Event",
            API_VERSION,
            true,
        )
        .unwrap_err();
        assert_eq!(err.code, 422);
        assert!(
            err.message.contains("eventTime: Required value"),
            "{}",
            err.message
        );
        let ok = json!({"metadata": {"name": "e", "namespace": "ns"}, "eventTime": "2026-01-01T00:00:00.000000Z",
            "reportingController": "me/x", "reportingInstance": "me-1", "action": "Do", "reason": "Done",
            "regarding": {"kind": "Pod", "namespace": "ns", "name": "p"}, "note": "hi", "type": "Normal"});
        let core = incoming(ok, "Event", API_VERSION, true).unwrap();
        assert_eq!(core["message"], "hi");
        assert_eq!(core["reportingComponent"], "me/x");
        assert_eq!(core["involvedObject"]["name"], "p");
    }
}
