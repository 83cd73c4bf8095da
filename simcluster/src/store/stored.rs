//! How the store keeps one object: decoded, or — for Events, written once or twice and read
//! rarely, yet the most numerous objects of a busy cluster — as compact JSON text decoded on
//! each read (about a fifth of the memory of the decoded form).

use std::sync::Arc;

use serde_json::Value;

use super::Key;

/// One stored object.
#[derive(Clone)]
pub(super) enum Stored {
    Decoded(Arc<Value>),
    Json(Arc<[u8]>),
}

/// Whether objects of this storage resource are kept as JSON text.
pub(super) fn as_text(resource: &str) -> bool {
    resource == "events"
}

impl Stored {
    /// How to keep `obj`, stored under `key`.
    pub fn keep(key: &Key, obj: &Arc<Value>) -> Stored {
        if as_text(&key.resource) {
            match serde_json::to_vec(&**obj) {
                Ok(text) => Stored::Json(text.into()),
                Err(_) => Stored::Decoded(obj.clone()),
            }
        } else {
            Stored::Decoded(obj.clone())
        }
    }

    /// About how many heap bytes this takes.
    pub fn heap_size(&self) -> usize {
        match self {
            Stored::Decoded(v) => super::compact::heap_size(v),
            Stored::Json(text) => text.len(),
        }
    }

    /// The object (decoded again when kept as text: the JSON round trip is exact).
    pub fn load(&self) -> Arc<Value> {
        match self {
            Stored::Decoded(v) => v.clone(),
            Stored::Json(text) => Arc::new(serde_json::from_slice(text).unwrap_or(Value::Null)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_kept_as_text_and_read_back_alike() {
        let ev = Arc::new(
            json!({"metadata": {"name": "e", "z": 1, "a": 2.5}, "count": 3, "message": "caf\u{e9} \"quoted\""}),
        );
        let kept = Stored::keep(&Key::new("events", "ns", "e"), &ev);
        assert!(matches!(kept, Stored::Json(_)));
        assert_eq!(kept.load(), ev);
        let back = kept.load();
        let keys: Vec<&String> = back["metadata"].as_object().expect("map").keys().collect();
        assert_eq!(keys, ["name", "z", "a"]);
        let pod = Stored::keep(&Key::new("pods", "ns", "p"), &ev);
        assert!(matches!(pod, Stored::Decoded(_)));
    }
}
