//! RFC 6902 JSON patch with the quirks of gopkg.in/evanphx/json-patch.v4 as kube-apiserver uses it:
//! `replace` of a missing object key adds it, negative indices count from the end, the first path
//! segment before the leading `/` is ignored, `copy` from a missing key copies `null`, and every
//! failing operation becomes the generic 422.

use serde_json::{Map, Value};

use super::PatchError;

/// `maxJSONPatchOperations` of the apiserver.
const MAX_OPERATIONS: usize = 10000;

pub fn apply(doc: &Value, ops: &Value) -> Result<Value, PatchError> {
    let ops: Vec<Option<&Map<String, Value>>> = match ops {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .map(|op| match op {
                Value::Object(m) => Ok(Some(m)),
                Value::Null => Ok(None),
                other => Err(PatchError::bad_request(format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                    json_kind(other)
                ))),
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(PatchError::bad_request(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                json_kind(other)
            )));
        }
    };
    if ops.len() > MAX_OPERATIONS {
        return Err(PatchError {
            message: format!(
                "Request entity too large: The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {}",
                ops.len()
            ),
            code: 413,
            detail: "too many operations".into(),
        });
    }
    if !doc.is_object() && !doc.is_array() {
        return Err(PatchError::internal(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.partialDoc",
            json_kind(doc)
        )));
    }
    let mut doc = doc.clone();
    for op in ops {
        apply_op(&mut doc, op).map_err(PatchError::unprocessable)?;
    }
    Ok(doc)
}

/// The JSON type word `encoding/json` uses in `UnmarshalTypeError`.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

fn str_field(op: Option<&Map<String, Value>>, name: &str) -> Result<String, String> {
    match op.and_then(|m| m.get(name)) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Null) | None => Err(format!("operation missing {name} field")),
        Some(_) => Err(format!("operation has a non-string {name} field")),
    }
}

/// `op.value()`: `None` when the key is absent, `Some(Null)` for an explicit null.
fn value_field(op: Option<&Map<String, Value>>) -> Option<Value> {
    op.and_then(|m| m.get("value")).cloned()
}

fn apply_op(doc: &mut Value, op: Option<&Map<String, Value>>) -> Result<(), String> {
    let kind = match op.and_then(|m| m.get("op")) {
        Some(Value::String(s)) => s.clone(),
        _ => "unknown".to_string(),
    };
    match kind.as_str() {
        "add" => {
            let path = str_field(op, "path")
                .map_err(|_| "add operation failed to decode path".to_string())?;
            let (con, key) = find_object(doc, &path).ok_or(format!(
                "add operation does not apply: doc is missing path: \"{path}\""
            ))?;
            add(con, &key, value_field(op).unwrap_or(Value::Null))
                .map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = str_field(op, "path")
                .map_err(|_| "remove operation failed to decode path".to_string())?;
            let (con, key) = find_object(doc, &path).ok_or(format!(
                "remove operation does not apply: doc is missing path: \"{path}\""
            ))?;
            remove(con, &key)
                .map(|_| ())
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = str_field(op, "path")
                .map_err(|_| "replace operation failed to decode path".to_string())?;
            if path.is_empty() {
                // The whole document; a scalar value is silently ignored (a v4 quirk).
                if let Some(v @ (Value::Object(_) | Value::Array(_))) = value_field(op) {
                    *doc = v;
                }
                return Ok(());
            }
            let (con, key) = find_object(doc, &path).ok_or(format!(
                "replace operation does not apply: doc is missing path: {path}"
            ))?;
            get(con, &key).map_err(|_| {
                format!("replace operation does not apply: doc is missing key: {path}")
            })?;
            set(con, &key, value_field(op).unwrap_or(Value::Null))
                .map_err(|e| format!("error in replace for path: '{path}': {e}"))
        }
        "move" => {
            let from = str_field(op, "from")
                .map_err(|_| "move operation failed to decode from".to_string())?;
            let (con, key) = find_object(doc, &from).ok_or(format!(
                "move operation does not apply: doc is missing from path: {from}"
            ))?;
            let val =
                get(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            remove(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let path = str_field(op, "path")
                .map_err(|_| "move operation failed to decode path".to_string())?;
            let (con, key) = find_object(doc, &path).ok_or(format!(
                "move operation does not apply: doc is missing destination path: {path}"
            ))?;
            add(con, &key, val.unwrap_or(Value::Null))
                .map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "copy" => {
            let from = str_field(op, "from")
                .map_err(|_| "copy operation failed to decode from".to_string())?;
            let (con, key) = find_object(doc, &from).ok_or(format!(
                "copy operation does not apply: doc is missing from path: {from}"
            ))?;
            let val =
                get(con, &key).map_err(|e| format!("error in copy for path: '{from}': {e}"))?;
            let path = str_field(op, "path")
                .map_err(|_| "copy operation failed to decode path".to_string())?;
            let (con, key) = find_object(doc, &path).ok_or(format!(
                "copy operation does not apply: doc is missing destination path: {path}"
            ))?;
            add(con, &key, val.unwrap_or(Value::Null))
                .map_err(|e| format!("error in copy for path: '{path}': {e}"))
        }
        "test" => test(doc, op),
        other => Err(format!("Unexpected kind: {other}")),
    }
}

fn test(doc: &mut Value, op: Option<&Map<String, Value>>) -> Result<(), String> {
    let path =
        str_field(op, "path").map_err(|_| "test operation failed to decode path".to_string())?;
    let expected = value_field(op);
    if path.is_empty() {
        return if expected.as_ref() == Some(&*doc) {
            Ok(())
        } else {
            Err(format!("testing value {path} failed"))
        };
    }
    let (con, key) = find_object(doc, &path).ok_or(format!(
        "test operation does not apply: is missing path: {path}"
    ))?;
    let actual = get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
    match (actual.filter(|v| !v.is_null()), expected) {
        // A missing (or null) member only equals an explicit null.
        (None, Some(Value::Null)) => Ok(()),
        (Some(a), Some(e)) if a == e => Ok(()),
        _ => Err(format!("testing value {path} failed")),
    }
}

/// `~1` -> `/`, then `~0` -> `~`.
fn decode_key(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// The container holding the last segment of `path`, and that segment (decoded). The first
/// segment (before the leading `/`) is skipped whatever it is.
fn find_object<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let key = decode_key(split[split.len() - 1]);
    let mut cur = doc;
    for part in &split[1..split.len() - 1] {
        let k = decode_key(part);
        let next = match cur {
            Value::Object(m) => m.get_mut(&k)?,
            Value::Array(a) => {
                let idx = index(&k, a.len(), false).ok()?;
                &mut a[idx]
            }
            _ => return None,
        };
        if !next.is_object() && !next.is_array() {
            return None;
        }
        cur = next;
    }
    Some((cur, key))
}

/// An array index as `strconv.Atoi` reads it, negative counting from the end; `insert` allows
/// `len` (one past the end).
fn index(key: &str, len: usize, insert: bool) -> Result<usize, String> {
    let idx: i64 = key
        .parse()
        .map_err(|_| format!("strconv.Atoi: parsing \"{key}\": invalid syntax"))?;
    let size = len as i64 + i64::from(insert);
    if idx >= size || idx < -size {
        return Err(format!("Unable to access invalid index: {idx}"));
    }
    Ok(if idx < 0 {
        (idx + size) as usize
    } else {
        idx as usize
    })
}

fn get(con: &Value, key: &str) -> Result<Option<Value>, String> {
    match con {
        Value::Object(m) => Ok(m.get(key).cloned()),
        Value::Array(a) => Ok(Some(a[index(key, a.len(), false)?].clone())),
        _ => Err("not a container".into()),
    }
}

fn add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(val);
                return Ok(());
            }
            let idx = index(key, a.len(), true)
                .map_err(|e| format!("value was not a proper array index: '{key}': {e}"))?;
            a.insert(idx, val);
            Ok(())
        }
        _ => Err("not a container".into()),
    }
}

fn set(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            let idx = index(key, a.len(), false)?;
            a[idx] = val;
            Ok(())
        }
        _ => Err("not a container".into()),
    }
}

fn remove(con: &mut Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Object(m) => m.shift_remove(key).ok_or(format!(
            "Unable to remove nonexistent key: {key}: missing value"
        )),
        Value::Array(a) => {
            let idx = index(key, a.len(), false)?;
            Ok(a.remove(idx))
        }
        _ => Err("not a container".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::GENERIC_422;
    use serde_json::json;

    fn run(doc: Value, ops: Value) -> Result<Value, PatchError> {
        apply(&doc, &ops)
    }

    #[test]
    fn add_remove_replace_move_copy() {
        let doc = json!({"a": {"b": [1, 2, 3]}, "c": "x"});
        let out = run(
            doc,
            json!([
                {"op": "add", "path": "/a/b/1", "value": 9},
                {"op": "add", "path": "/a/b/-", "value": 10},
                {"op": "remove", "path": "/a/b/0"},
                {"op": "replace", "path": "/c", "value": "y"},
                {"op": "move", "from": "/c", "path": "/d"},
                {"op": "copy", "from": "/a/b", "path": "/e"},
                {"op": "add", "path": "/a/b/-1", "value": 0},
                {"op": "add", "path": "/a~1b", "value": true},
            ]),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": {"b": [9, 2, 3, 10, 0]}, "d": "y", "e": [9, 2, 3, 10], "a/b": true})
        );
    }

    #[test]
    fn replace_missing_key_adds_it_but_remove_missing_fails() {
        let out = run(
            json!({"m": {}}),
            json!([{"op": "replace", "path": "/m/k", "value": "v"}]),
        )
        .unwrap();
        assert_eq!(out, json!({"m": {"k": "v"}}));
        let err = run(json!({"m": {}}), json!([{"op": "remove", "path": "/m/k"}])).unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (422, GENERIC_422));
        let err = run(
            json!({"m": {}}),
            json!([{"op": "add", "path": "/x/y", "value": 1}]),
        )
        .unwrap_err();
        assert_eq!(err.code, 422);
        let err = run(
            json!({"l": [1]}),
            json!([{"op": "replace", "path": "/l/1", "value": 1}]),
        )
        .unwrap_err();
        assert_eq!(err.code, 422);
    }

    #[test]
    fn test_op() {
        let doc = json!({"a": 1, "n": null, "o": {"x": [1, {"y": 2}]}});
        assert!(
            run(
                doc.clone(),
                json!([{"op": "test", "path": "/o", "value": {"x": [1, {"y": 2}]}}])
            )
            .is_ok()
        );
        assert!(
            run(
                doc.clone(),
                json!([{"op": "test", "path": "/missing", "value": null}])
            )
            .is_ok()
        );
        assert!(
            run(
                doc.clone(),
                json!([{"op": "test", "path": "/n", "value": null}])
            )
            .is_ok()
        );
        assert!(
            run(
                doc.clone(),
                json!([{"op": "test", "path": "/a", "value": 1.0}])
            )
            .is_err()
        );
        let err = run(doc, json!([{"op": "test", "path": "/a", "value": 2}])).unwrap_err();
        assert_eq!(err.to_api_error().to_status()["details"], json!({}));
    }

    #[test]
    fn bad_documents() {
        let err = run(json!({}), json!({"op": "add"})).unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                400,
                "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
            )
        );
        let err = run(json!({}), json!(["x"])).unwrap_err();
        assert_eq!(
            err.message,
            "json: cannot unmarshal string into Go value of type jsonpatch.Operation"
        );
        let err = run(json!({}), json!([{"op": "frob", "path": "/a"}])).unwrap_err();
        assert_eq!(
            (err.code, err.detail.as_str()),
            (422, "Unexpected kind: frob")
        );
        assert_eq!(run(json!({"a": 1}), json!(null)).unwrap(), json!({"a": 1}));
    }
}
