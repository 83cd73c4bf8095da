//! Shaping the cluster's JSON answers: the empty list or Table for a caller without
//! namespaces, entries (`items` or Table `rows`) kept by object name, watch events sorted out.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};

use super::path::ResourceRequest;

/// Where a list (`items`) or Table (`rows`) answer keeps its entries.
fn entries_mut(v: &mut Value) -> Option<&mut Vec<Value>> {
    let key = if v.get("kind").and_then(Value::as_str) == Some("Table") {
        "rows"
    } else {
        "items"
    };
    v.get_mut(key).and_then(Value::as_array_mut)
}

/// The answer when the caller has no namespace: an empty Table or list of the right kind.
pub fn empty(r: &ResourceRequest, kind: &str, headers: &HeaderMap) -> Value {
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
    fn empty_answers_and_filtering() {
        let e = empty(&pods(), "Pod", &HeaderMap::new());
        assert_eq!(
            (e["kind"].as_str(), e["apiVersion"].as_str()),
            (Some("PodList"), Some("v1"))
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT,
            "application/json;as=Table;v=v1;g=meta.k8s.io"
                .parse()
                .unwrap(),
        );
        assert_eq!(empty(&pods(), "Pod", &h)["kind"], "Table");
        let mut t = json!({"kind": "Table", "rows": [{"object": {"metadata": {"name": "x"}}},
            {"object": {"metadata": {"name": "y"}}}]});
        retain_named(&mut t, |n| n != "x");
        assert_eq!(t["rows"].as_array().unwrap().len(), 1);
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
