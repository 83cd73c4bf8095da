//! The Table of a custom resource (apiextensions-apiserver's tableconvertor): `Name`, then the
//! version's `additionalPrinterColumns` (or `Age`), each cell read by its simple JSONPath.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::crd::PrinterColumn;

/// The column definitions: `Name` and the printer columns.
pub(super) fn columns(cols: &[PrinterColumn]) -> Vec<Value> {
    let mut out = vec![super::util::name_col().to_json()];
    out.extend(cols.iter().map(|c| {
        json!({
            "name": c.name,
            "type": c.typ,
            "format": c.format,
            "description": c.description,
            "priority": c.priority,
        })
    }));
    out
}

/// The cells of one object.
pub(super) fn cells(cols: &[PrinterColumn], obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut out = vec![super::util::name(obj)];
    out.extend(
        cols.iter()
            .map(|c| cell(&c.typ, eval(obj, &c.json_path), now)),
    );
    out
}

/// `cellForJSONValue`: the value converted for the column type (dates become ages).
fn cell(typ: &str, v: Option<&Value>, now: DateTime<Utc>) -> Value {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Value::Null;
    };
    match (typ, v) {
        ("integer", Value::Number(n)) => n
            .as_i64()
            .map(Value::from)
            .unwrap_or_else(|| json!(n.as_f64().unwrap_or(0.0) as i64)),
        ("number", Value::Number(n)) => json!(n.as_f64().unwrap_or(0.0)),
        ("boolean", Value::Bool(b)) => json!(b),
        ("date", Value::String(s)) => match super::util::parse_time(s) {
            Some(t) => json!(super::util::human_duration(now - t)),
            None => json!("<invalid>"),
        },
        ("string", Value::String(s)) => json!(s),
        (_, Value::String(s)) => json!(s),
        (_, other) => json!(other.to_string()),
    }
}

/// A JSONPath of the simple form printer columns use: `.spec.replicas`,
/// `.status.conditions[0].type`, `{.metadata.labels.app}`.
fn eval<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = obj;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            let idx = idx.trim_end_matches(']');
            cur = match idx.parse::<usize>() {
                Ok(i) => cur.get(i)?,
                Err(_) => cur.get(idx.trim_matches('\''))?,
            };
        }
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_simple_paths_and_converts_cells() {
        let obj = json!({"metadata": {"name": "a", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"size": 3, "items": [{"x": "y"}]}});
        assert_eq!(eval(&obj, ".spec.size"), Some(&json!(3)));
        assert_eq!(eval(&obj, "{.spec.items[0].x}"), Some(&json!("y")));
        assert_eq!(eval(&obj, ".spec.missing"), None);
        let now = super::super::util::parse_time("2026-01-01T00:05:00Z").unwrap();
        let cols = vec![
            PrinterColumn {
                name: "Size".into(),
                typ: "integer".into(),
                format: String::new(),
                description: String::new(),
                priority: 0,
                json_path: ".spec.size".into(),
            },
            PrinterColumn {
                name: "Age".into(),
                typ: "date".into(),
                format: String::new(),
                description: String::new(),
                priority: 0,
                json_path: ".metadata.creationTimestamp".into(),
            },
        ];
        assert_eq!(
            cells(&cols, &obj, now),
            vec![json!("a"), json!(3), json!("5m")]
        );
    }
}
