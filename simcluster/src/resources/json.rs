//! Small helpers to read and default fields of `serde_json::Value` objects.

use serde_json::{Map, Value};

/// The value at a `/`-separated path (`"spec/template/spec"`), if present and not null.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for k in path.split('/').filter(|k| !k.is_empty()) {
        cur = cur.get(k)?;
    }
    if cur.is_null() { None } else { Some(cur) }
}

pub fn str_at<'a>(v: &'a Value, path: &str) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

pub fn i64_at(v: &Value, path: &str) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

pub fn bool_at(v: &Value, path: &str) -> Option<bool> {
    at(v, path).and_then(Value::as_bool)
}

/// Elements of the array at `path` (empty when absent).
pub fn arr_at<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The object at `path` (None when absent or not an object).
pub fn obj_at<'a>(v: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
    at(v, path).and_then(Value::as_object)
}

/// Makes `v` an object (replacing null/other) and returns its map.
pub fn as_obj(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// The child object `key` of `m`, created (or replacing null) when missing.
pub fn child<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let e = m.entry(key.to_string()).or_insert(Value::Null);
    as_obj(e)
}

/// The object at a `/`-separated path below `v`, creating the objects on the way.
pub fn obj_path<'a>(v: &'a mut Value, path: &str) -> &'a mut Map<String, Value> {
    let mut cur = as_obj(v);
    for k in path.split('/').filter(|k| !k.is_empty()) {
        cur = child(cur, k);
    }
    cur
}

/// True when the key is missing or null.
pub fn missing(m: &Map<String, Value>, key: &str) -> bool {
    m.get(key).is_none_or(Value::is_null)
}

/// True when the key is missing, null or an empty string.
pub fn empty_str(m: &Map<String, Value>, key: &str) -> bool {
    m.get(key).and_then(Value::as_str).is_none_or(str::is_empty)
}

/// Sets `key` to `val` when it is missing or null.
pub fn default(m: &mut Map<String, Value>, key: &str, val: Value) {
    if missing(m, key) {
        m.insert(key.to_string(), val);
    }
}

/// Sets a string field when it is missing, null or empty (Go's `if x == "" { x = ... }`).
pub fn default_str(m: &mut Map<String, Value>, key: &str, val: &str) {
    if empty_str(m, key) {
        m.insert(key.to_string(), Value::String(val.to_string()));
    }
}

/// Mutable access to each object element of the array `key` (if it is an array).
pub fn each_obj_mut<'a>(
    m: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    m.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|a| a.iter_mut())
        .filter_map(Value::as_object_mut)
}

/// True when two values are equal, treating absent, null, empty arrays and empty objects alike
/// (apimachinery's semantic equality for nil vs empty slices and maps).
pub fn semantic_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    fn empty(v: Option<&Value>) -> bool {
        match v {
            None | Some(Value::Null) => true,
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            _ => false,
        }
    }
    if empty(a) && empty(b) {
        return true;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            x.iter().all(|(k, v)| semantic_eq(Some(v), y.get(k)))
                && y.iter()
                    .all(|(k, v)| x.contains_key(k) || semantic_eq(None, Some(v)))
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| semantic_eq(Some(p), Some(q)))
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}
