//! Combining and filtering the cluster's JSON answers: lists (`items`) and Tables (`rows`) of
//! several namespaces merged into one, rows kept by object name, watch events sorted out.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};

use super::path::ResourceRequest;

/// Where a list (`items`) or Table (`rows`) answer keeps its entries.
fn entries_key(v: &Value) -> &'static str {
    if v.get("kind").and_then(Value::as_str) == Some("Table") {
        "rows"
    } else {
        "items"
    }
}

fn entries_mut(v: &mut Value) -> Option<&mut Vec<Value>> {
    let key = entries_key(v);
    v.get_mut(key).and_then(Value::as_array_mut)
}

/// How many entries an answer has.
pub fn len(v: &Value) -> usize {
    v.get(entries_key(v))
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

fn rv(v: &Value) -> Option<u64> {
    v.pointer("/metadata/resourceVersion")?
        .as_str()?
        .parse()
        .ok()
}

/// One answer from several namespaces' answers (in order). The resourceVersion is the smallest
/// of them, so a watch started from it misses nothing in any namespace.
pub fn lists(pages: Vec<Value>, r: &ResourceRequest, kind: &str, headers: &HeaderMap) -> Value {
    let min_rv = pages.iter().filter_map(rv).min();
    let mut pages = pages.into_iter();
    let Some(mut out) = pages.next() else {
        return empty(r, kind, headers);
    };
    for mut p in pages {
        if let Some(more) = entries_mut(&mut p)
            && let Some(e) = entries_mut(&mut out)
        {
            e.append(more);
        }
    }
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("continue");
        meta.remove("remainingItemCount");
        if let Some(rv) = min_rv {
            meta.insert("resourceVersion".into(), json!(rv.to_string()));
        }
    }
    out
}

/// The answer when the caller has no namespace: an empty Table or list of the right kind.
fn empty(r: &ResourceRequest, kind: &str, headers: &HeaderMap) -> Value {
    let table = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("as=Table"));
    if table {
        return json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": ""}, "columnDefinitions": [], "rows": []});
    }
    let api_version = if r.group.is_empty() {
        r.version.clone()
    } else {
        format!("{}/{}", r.group, r.version)
    };
    json!({"kind": format!("{kind}List"), "apiVersion": api_version,
        "metadata": {"resourceVersion": ""}, "items": []})
}

pub fn set_continue(v: &mut Value, token: Option<String>) {
    if let (Some(meta), Some(t)) = (v.get_mut("metadata").and_then(Value::as_object_mut), token) {
        meta.insert("continue".into(), json!(t));
    }
}

/// The name of an entry: an object's, or a Table row's object's.
fn entry_name(e: &Value) -> Option<&str> {
    e.pointer("/metadata/name")
        .or_else(|| e.pointer("/object/metadata/name"))
        .and_then(Value::as_str)
}

/// Keeps the entries whose name passes `keep`.
pub fn retain_named(v: &mut Value, keep: impl Fn(&str) -> bool) {
    if let Some(e) = entries_mut(v) {
        e.retain(|x| entry_name(x).is_some_and(&keep));
    }
}

/// The object name a watch event is about (a Table event names its row's object).
pub fn event_object_name(event: &Value) -> Option<&str> {
    let obj = event.get("object")?;
    if obj.get("kind").and_then(Value::as_str) == Some("Table") {
        return obj.get("rows")?.as_array()?.first().and_then(entry_name);
    }
    entry_name(obj)
}

/// A merged watch's treatment of one event line from one of `n` namespaces (see
/// `fanout::watch`): bookmarks dropped, the initial-events end passed once, the rest as is.
pub fn watch_event(line: &[u8], ends: &AtomicUsize, n: usize) -> Option<Bytes> {
    let is_bookmark = line.windows(10).any(|w| w == b"\"BOOKMARK\"");
    if !is_bookmark {
        return Some(Bytes::copy_from_slice(line));
    }
    let v: Value = serde_json::from_slice(line).ok()?;
    if v.get("type").and_then(Value::as_str) != Some("BOOKMARK") {
        return Some(Bytes::copy_from_slice(line));
    }
    let end = v
        .pointer("/object/metadata/annotations/k8s.io~1initial-events-end")
        .and_then(Value::as_str)
        == Some("true");
    (end && ends.fetch_add(1, Ordering::SeqCst) + 1 == n).then(|| Bytes::copy_from_slice(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::path::Verb;

    fn pods() -> ResourceRequest {
        ResourceRequest {
            group: String::new(),
            version: "v1".into(),
            namespace: None,
            resource: "pods".into(),
            name: None,
            subresource: None,
            subpath: None,
            verb: Verb::List,
        }
    }

    #[test]
    fn lists_and_tables_merge() {
        let a = json!({"kind": "PodList", "metadata": {"resourceVersion": "12", "continue": "x"},
            "items": [{"metadata": {"name": "a"}}]});
        let b = json!({"kind": "PodList", "metadata": {"resourceVersion": "9"},
            "items": [{"metadata": {"name": "b"}}, {"metadata": {"name": "c"}}]});
        let m = lists(vec![a, b], &pods(), "Pod", &HeaderMap::new());
        assert_eq!(len(&m), 3);
        assert_eq!(m["metadata"], json!({"resourceVersion": "9"}));
        let t = json!({"kind": "Table", "metadata": {"resourceVersion": "5"},
            "rows": [{"cells": [], "object": {"metadata": {"name": "x"}}}]});
        let mut m = lists(vec![t.clone(), t], &pods(), "Pod", &HeaderMap::new());
        assert_eq!(len(&m), 2);
        retain_named(&mut m, |n| n != "x");
        assert_eq!(len(&m), 0);
        let e = lists(vec![], &pods(), "Pod", &HeaderMap::new());
        assert_eq!(e["kind"], "PodList");
    }

    #[test]
    fn bookmarks_are_dropped_but_the_initial_end_passes_once() {
        let ends = AtomicUsize::new(0);
        let added = br#"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#;
        assert!(watch_event(added, &ends, 2).is_some());
        let bm = br#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"5"}}}"#;
        assert!(watch_event(bm, &ends, 2).is_none());
        let end = br#"{"type":"BOOKMARK","object":{"metadata":{"annotations":{"k8s.io/initial-events-end":"true"}}}}"#;
        assert!(watch_event(end, &ends, 2).is_none());
        assert!(watch_event(end, &ends, 2).is_some());
    }
}
