//! One namespace's list answer kept as raw JSON: its entries (`items`, or a Table's `rows`) are
//! never parsed into trees, only delimited, so merging thousands of pods costs a copy, not a
//! parse and a re-serialization. Only `metadata` is read.

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

/// A list or Table answer.
pub struct Page {
    /// Top-level fields other than `metadata` and the entries.
    fields: Vec<(String, Box<RawValue>)>,
    table: bool,
    pub entries: Vec<Box<RawValue>>,
    pub resource_version: Option<u64>,
    /// The cluster's continue token ("" at the end).
    pub cont: String,
}

impl Page {
    pub fn parse(bytes: &[u8]) -> Result<Page, serde_json::Error> {
        let mut map: HashMap<String, Box<RawValue>> = serde_json::from_slice(bytes)?;
        let table = map.get("kind").is_some_and(|k| k.get() == "\"Table\"");
        let key = if table { "rows" } else { "items" };
        let entries = match map.remove(key) {
            Some(raw) => {
                serde_json::from_str::<Option<Vec<Box<RawValue>>>>(raw.get())?.unwrap_or_default()
            }
            None => Vec::new(),
        };
        let meta: Value = match map.remove("metadata") {
            Some(raw) => serde_json::from_str(raw.get())?,
            None => Value::Null,
        };
        let text = |k: &str| {
            meta.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut fields: Vec<(String, Box<RawValue>)> = map.into_iter().collect();
        let rank = |k: &str| {
            ["kind", "apiVersion"]
                .iter()
                .position(|x| *x == k)
                .unwrap_or(2)
        };
        fields.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
        Ok(Page {
            fields,
            table,
            entries,
            resource_version: text("resourceVersion").parse().ok(),
            cont: text("continue"),
        })
    }
}

/// One answer from several pages (in order): the first page's fields, the smallest
/// resourceVersion (a watch from it misses nothing in any namespace), every entry, and
/// `continue` when there is more.
pub fn merge(pages: Vec<Page>, cont: Option<String>) -> Vec<u8> {
    let rv = pages.iter().filter_map(|p| p.resource_version).min();
    let mut meta = serde_json::Map::new();
    meta.insert(
        "resourceVersion".into(),
        Value::String(rv.map(|v| v.to_string()).unwrap_or_default()),
    );
    if let Some(c) = cont {
        meta.insert("continue".into(), Value::String(c));
    }
    let total: usize = pages
        .iter()
        .flat_map(|p| &p.entries)
        .map(|e| e.get().len() + 1)
        .sum();
    let mut out = Vec::with_capacity(total + 256);
    out.push(b'{');
    let first = pages.first();
    for (k, v) in first.map(|p| p.fields.as_slice()).unwrap_or_default() {
        out.extend_from_slice(&serde_json::to_vec(k).unwrap_or_default());
        out.push(b':');
        out.extend_from_slice(v.get().as_bytes());
        out.push(b',');
    }
    out.extend_from_slice(b"\"metadata\":");
    out.extend_from_slice(&serde_json::to_vec(&meta).unwrap_or_default());
    let key: &[u8] = if first.is_some_and(|p| p.table) {
        b",\"rows\":["
    } else {
        b",\"items\":["
    };
    out.extend_from_slice(key);
    for (i, e) in pages.iter().flat_map(|p| &p.entries).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(e.get().as_bytes());
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn page(v: Value) -> Page {
        Page::parse(&serde_json::to_vec(&v).unwrap()).unwrap()
    }

    #[test]
    fn lists_and_tables_merge_without_reparsing() {
        let a = page(json!({"kind": "PodList", "apiVersion": "v1",
            "metadata": {"resourceVersion": "12", "continue": "x", "remainingItemCount": 3},
            "items": [{"metadata": {"name": "a"}}]}));
        assert_eq!((a.cont.as_str(), a.resource_version), ("x", Some(12)));
        let b = page(
            json!({"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "9"},
            "items": [{"metadata": {"name": "b"}}, {"metadata": {"name": "c"}}]}),
        );
        let m: Value = serde_json::from_slice(&merge(vec![a, b], Some("next".into()))).unwrap();
        assert_eq!(m["kind"], "PodList");
        assert_eq!(
            m["metadata"],
            json!({"resourceVersion": "9", "continue": "next"})
        );
        assert_eq!(m["items"].as_array().unwrap().len(), 3);
        let t = || {
            page(
                json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "5"},
            "columnDefinitions": [{"name": "Name"}], "rows": [{"cells": ["x"]}]}),
            )
        };
        let m: Value = serde_json::from_slice(&merge(vec![t(), t()], None)).unwrap();
        assert_eq!(m["rows"].as_array().unwrap().len(), 2);
        assert_eq!(m["columnDefinitions"], json!([{"name": "Name"}]));
        let e = page(json!({"kind": "PodList", "metadata": {}, "items": null}));
        assert!(e.entries.is_empty());
    }
}
