//! Server-side `meta.k8s.io/v1` Table output (what `kubectl get` asks for with
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the column definitions and cells of
//! kube-apiserver v1.36's printers (pkg/printers/internalversion) and of the default
//! TableConvertor (`Name`, `Created At`) for every other resource.
//!
//! The server always prints with `Wide: true`, so rows carry the priority-1 cells too; the client
//! hides those columns unless asked for `-o wide`.

mod cluster;
mod config;
mod custom;
mod docs;
mod events;
mod network;
mod pods;
mod util;
mod workloads;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use util::{Col, Ctx, Row};

/// A row printer: the cells (and row conditions) of one object.
pub(crate) type RowFn = fn(&Value, &Ctx) -> Row;

/// The column definitions and row printer for a resource, or `None` when the resource uses
/// the default table (`Name`, `Created At`).
fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, RowFn)> {
    pods::printer(group, plural)
        .or_else(|| workloads::printer(group, plural))
        .or_else(|| config::printer(group, plural))
        .or_else(|| network::printer(group, plural))
        .or_else(|| cluster::printer(group, plural))
}

/// Whether the resource has a dedicated printer (otherwise the default `Name`/`Created At`
/// table is used).
pub fn has_printer(group: &str, plural: &str) -> bool {
    printer(group, plural).is_some()
}

/// The `columnDefinitions` kube-apiserver sends for a resource.
pub fn column_definitions(group: &str, plural: &str) -> Value {
    let cols = printer(group, plural)
        .map(|(c, _)| c)
        .unwrap_or_else(default_columns);
    Value::Array(cols.iter().map(Col::to_json).collect())
}

/// Build a meta.k8s.io/v1 Table for a list of objects of one resource.
/// `include_object`: "None" | "Metadata" (default) | "Object" — as the includeObject query
/// parameter; rows[].object is a PartialObjectMetadata (kind PartialObjectMetadata, apiVersion
/// meta.k8s.io/v1, metadata) for Metadata, the full object for Object, and `null` for None
/// (kube-apiserver serialises the empty `RawExtension` as `null`).
/// `list_meta` is the list's metadata (resourceVersion, continue, remainingItemCount) to copy.
/// `now` is used for Age columns (`duration.HumanDuration` of `now - creationTimestamp`).
pub fn to_table(
    group: &str,
    plural: &str,
    items: &[Value],
    list_meta: &Value,
    include_object: &str,
    now: DateTime<Utc>,
) -> Value {
    to_table_of(group, plural, None, items, list_meta, include_object, now)
}

/// [`to_table`] for a resource that may be a custom resource (`custom`: its printer columns).
pub fn to_table_of(
    group: &str,
    plural: &str,
    custom: Option<&[crate::crd::PrinterColumn]>,
    items: &[Value],
    list_meta: &Value,
    include_object: &str,
    now: DateTime<Utc>,
) -> Value {
    let mut meta = Map::new();
    if let Some(rv) = list_meta
        .get("resourceVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    if let Some(c) = list_meta
        .get("continue")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        meta.insert("continue".into(), Value::String(c.to_string()));
    }
    if let Some(n) = list_meta
        .get("remainingItemCount")
        .filter(|v| v.is_i64() || v.is_u64())
    {
        meta.insert("remainingItemCount".into(), n.clone());
    }
    build(
        group,
        plural,
        custom,
        items,
        meta,
        include_object,
        now,
        true,
    )
}

/// Same for a single object (`kubectl get pod x`); the table's resourceVersion is the object's.
pub fn object_table(
    group: &str,
    plural: &str,
    obj: &Value,
    include_object: &str,
    now: DateTime<Utc>,
) -> Value {
    object_table_of(group, plural, None, obj, include_object, now)
}

/// [`object_table`] for a resource that may be a custom resource.
pub fn object_table_of(
    group: &str,
    plural: &str,
    custom: Option<&[crate::crd::PrinterColumn]>,
    obj: &Value,
    include_object: &str,
    now: DateTime<Utc>,
) -> Value {
    let mut meta = Map::new();
    if let Some(rv) = obj
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    build(
        group,
        plural,
        custom,
        std::slice::from_ref(obj),
        meta,
        include_object,
        now,
        false,
    )
}

#[allow(clippy::too_many_arguments)]
fn build(
    group: &str,
    plural: &str,
    custom: Option<&[crate::crd::PrinterColumn]>,
    items: &[Value],
    meta: Map<String, Value>,
    include_object: &str,
    now: DateTime<Utc>,
    is_list: bool,
) -> Value {
    let ctx = Ctx { now };
    let (cols, rows): (Vec<Value>, Vec<Row>) = match (custom, printer(group, plural)) {
        (Some(c), _) => (
            custom::columns(c),
            items
                .iter()
                .map(|o| Row::new(custom::cells(c, o, now)))
                .collect(),
        ),
        (None, Some((cols, f))) => (
            cols.iter().map(Col::to_json).collect(),
            items.iter().map(|o| f(o, &ctx)).collect(),
        ),
        (None, None) => (
            default_columns().iter().map(Col::to_json).collect(),
            items.iter().map(default_row).collect(),
        ),
    };
    let rows_json: Vec<Value> = rows
        .into_iter()
        .zip(items)
        .map(|(row, obj)| {
            let mut r = Map::new();
            r.insert("cells".into(), Value::Array(row.cells));
            if let Some(c) = row.conditions {
                r.insert("conditions".into(), c);
            }
            r.insert("object".into(), row_object(obj, include_object));
            Value::Object(r)
        })
        .collect();
    // The default TableConvertor leaves `rows` nil for an empty list; the printers return an
    // empty slice.
    let rows_value =
        if rows_json.is_empty() && is_list && !has_printer(group, plural) && custom.is_none() {
            Value::Null
        } else {
            Value::Array(rows_json)
        };
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": Value::Object(meta),
        "columnDefinitions": cols,
        "rows": rows_value,
    })
}

/// The `object` of a row for the given includeObject policy.
fn row_object(obj: &Value, include_object: &str) -> Value {
    match include_object {
        "None" => Value::Null,
        "Object" => obj.clone(),
        _ => json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
        }),
    }
}

/// The columns of the default TableConvertor (k8s.io/apiserver/pkg/registry/rest/table.go).
fn default_columns() -> Vec<Col> {
    vec![
        util::name_col(),
        util::col("Created At", "date", docs::META_CREATION),
    ]
}

/// A default row: the name and the creation timestamp in RFC 3339 (UTC, seconds).
fn default_row(obj: &Value) -> Row {
    let ts = util::s(obj, "/metadata/creationTimestamp");
    let created = match util::parse_time(ts) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => "0001-01-01T00:00:00Z".to_string(),
    };
    Row::new(vec![util::name(obj), Value::String(created)])
}
