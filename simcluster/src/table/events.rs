//! The Event printer (LAST SEEN TYPE REASON OBJECT MESSAGE, + SUBOBJECT SOURCE FIRST SEEN COUNT
//! NAME), for core/v1 Events and events.k8s.io/v1 Events (read through the same internal fields).

use serde_json::{Value, json};

use super::docs as d;
use super::util::{Col, Ctx, Row, col, has, i, name, name_col, s, since, since_str, wide};

pub(crate) fn columns() -> Vec<Col> {
    let mut name = name_col();
    name.priority = 1;
    vec![
        col("Last Seen", "string", d::EVENT_LAST_TS),
        col("Type", "string", d::EVENT_TYPE),
        col("Reason", "string", d::EVENT_REASON),
        col("Object", "string", d::EVENT_INVOLVED),
        wide("Subobject", "string", d::OBJREF_FIELD_PATH),
        wide("Source", "string", d::EVENT_SOURCE),
        col("Message", "string", d::EVENT_MESSAGE),
        wide("First Seen", "string", d::EVENT_FIRST_TS),
        wide("Count", "string", d::EVENT_COUNT),
        name,
    ]
}

/// The fields of the internal Event the printer reads, taken from either API version.
struct EventFields<'a> {
    involved: Option<&'a Value>,
    message: &'a str,
    source_component: &'a str,
    source_host: &'a str,
    first_ts: &'a str,
    last_ts: &'a str,
    count: i64,
    reporting_controller: &'a str,
    reporting_instance: &'a str,
}

pub(crate) fn core_event(o: &Value, ctx: &Ctx) -> Row {
    let f = EventFields {
        involved: o.get("involvedObject"),
        message: s(o, "/message"),
        source_component: s(o, "/source/component"),
        source_host: s(o, "/source/host"),
        first_ts: s(o, "/firstTimestamp"),
        last_ts: s(o, "/lastTimestamp"),
        count: i(o, "/count"),
        reporting_controller: s(o, "/reportingComponent"),
        reporting_instance: s(o, "/reportingInstance"),
    };
    event_row(o, &f, ctx)
}

pub(crate) fn events_v1_event(o: &Value, ctx: &Ctx) -> Row {
    let f = EventFields {
        involved: o.get("regarding"),
        message: s(o, "/note"),
        source_component: s(o, "/deprecatedSource/component"),
        source_host: s(o, "/deprecatedSource/host"),
        first_ts: s(o, "/deprecatedFirstTimestamp"),
        last_ts: s(o, "/deprecatedLastTimestamp"),
        count: i(o, "/deprecatedCount"),
        reporting_controller: s(o, "/reportingController"),
        reporting_instance: s(o, "/reportingInstance"),
    };
    event_row(o, &f, ctx)
}

fn event_row(o: &Value, f: &EventFields, ctx: &Ctx) -> Row {
    let first = if f.first_ts.is_empty() {
        since(o, "/eventTime", ctx.now)
    } else {
        since_str(f.first_ts, ctx.now)
    };
    let mut last = if f.last_ts.is_empty() {
        first.clone()
    } else {
        since_str(f.last_ts, ctx.now)
    };
    let mut count = f.count;
    if has(o, "/series") {
        last = since(o, "/series/lastObservedTime", ctx.now);
        count = i(o, "/series/count");
    } else if count == 0 {
        count = 1;
    }
    let empty = json!({});
    let inv = f.involved.unwrap_or(&empty);
    let kind = s(inv, "/kind").to_lowercase();
    let target = if s(inv, "/name").is_empty() {
        kind
    } else {
        format!("{kind}/{}", s(inv, "/name"))
    };
    let component = if f.source_component.is_empty() {
        f.reporting_controller
    } else {
        f.source_component
    };
    let host = if f.source_host.is_empty() {
        f.reporting_instance
    } else {
        f.source_host
    };
    let source = if host.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {host}")
    };
    Row::new(vec![
        json!(last),
        json!(s(o, "/type")),
        json!(s(o, "/reason")),
        json!(target),
        json!(s(inv, "/fieldPath")),
        json!(source),
        json!(f.message.trim()),
        json!(first),
        json!(count),
        name(o),
    ])
}
