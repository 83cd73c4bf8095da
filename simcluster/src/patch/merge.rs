//! RFC 7386 JSON merge patch as evanphx/json-patch `MergePatch` implements it (nulls delete keys,
//! objects merge recursively, anything else replaces; a non-object patch that is an array replaces
//! the whole document; `null` or a scalar patch is `400 Invalid JSON Patch`).

use serde_json::{Map, Value};

use super::PatchError;

pub fn merge_patch(doc: &Value, patch: &Value) -> Result<Value, PatchError> {
    match patch {
        Value::Object(p) => match doc {
            Value::Object(d) => {
                let mut d = d.clone();
                merge_docs(&mut d, p);
                Ok(Value::Object(d))
            }
            Value::Null => Err(PatchError::internal("Invalid JSON Document")),
            // Not an object: the document becomes the patch, without its nulls.
            _ => Ok(pruned(patch)),
        },
        Value::Array(_) => Ok(pruned(patch)),
        _ => Err(PatchError::bad_request("Invalid JSON Patch")),
    }
}

/// Merges `patch` into `doc` (shared with the schema-less parts of strategic merge patch).
pub fn merge_docs(doc: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        if v.is_null() {
            doc.shift_remove(k);
            continue;
        }
        match doc.get_mut(k) {
            Some(cur) if !cur.is_null() => {
                let merged = merge_value(std::mem::take(cur), v);
                *cur = merged;
            }
            _ => {
                doc.insert(k.clone(), pruned(v));
            }
        }
    }
}

fn merge_value(cur: Value, patch: &Value) -> Value {
    match (cur, patch) {
        (Value::Object(mut c), Value::Object(p)) => {
            merge_docs(&mut c, p);
            Value::Object(c)
        }
        // The current value is an object but the patch is not: taken as is (nulls kept).
        (Value::Object(_), p) => p.clone(),
        (_, p) => pruned(p),
    }
}

/// `pruneNulls`: null members of objects removed at any depth; null array elements are kept.
pub fn pruned(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), pruned(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pruned).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7386_examples() {
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (
                json!({"a": "b", "b": "c"}),
                json!({"a": null}),
                json!({"b": "c"}),
            ),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (doc, patch, want) in cases {
            assert_eq!(merge_patch(&doc, &patch).unwrap(), want, "{doc} + {patch}");
        }
    }

    #[test]
    fn odd_patches() {
        assert_eq!(
            merge_patch(&json!({"a": 1}), &json!(null))
                .unwrap_err()
                .message,
            "Invalid JSON Patch"
        );
        assert_eq!(
            merge_patch(&json!({"a": 1}), &json!("x")).unwrap_err().code,
            400
        );
        assert_eq!(
            merge_patch(&json!({"a": 1}), &json!([1, null, {"x": null}])).unwrap(),
            json!([1, null, {}])
        );
        // An object value replaced by a non-object keeps the patch's nulls.
        assert_eq!(
            merge_patch(&json!({"a": {}}), &json!({"a": [{"x": null}]})).unwrap(),
            json!({"a": [{"x": null}]})
        );
    }

    #[test]
    fn key_order_is_kept() {
        let out = merge_patch(
            &json!({"a": 1, "b": 2, "c": 3}),
            &json!({"b": null, "a": 5, "d": 4}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"a":5,"c":3,"d":4}"#
        );
    }
}
