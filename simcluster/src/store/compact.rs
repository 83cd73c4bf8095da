//! The memory side of stored objects: rebuilding a JSON value with exact capacities before it
//! is stored (maps, arrays and strings built by inserting keep up to half their room unused),
//! and an estimate of the heap bytes a value holds, which bounds the watch history.

use serde_json::{Map, Value};

/// The same value with every map, array and string holding exactly its contents.
pub fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (mut k, v) in m {
                k.shrink_to_fit();
                out.insert(k, compact(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(compact).collect()),
        Value::String(mut s) => {
            s.shrink_to_fit();
            Value::String(s)
        }
        other => other,
    }
}

/// Heap bytes of a string as the allocator hands them out (at least 16, in steps of 16).
fn string_bytes(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        len.div_ceil(16).max(1) * 16 + 16
    }
}

/// About how many heap bytes `v` holds: map entries (hash, key, value: 64 bytes) and their
/// hash index, array slots (32 bytes), strings.
pub fn heap_size(v: &Value) -> usize {
    match v {
        Value::Object(m) => {
            m.len() * (64 + 16)
                + m.iter()
                    .map(|(k, v)| string_bytes(k.len()) + heap_size(v))
                    .sum::<usize>()
        }
        Value::Array(a) => a.len() * 32 + a.iter().map(heap_size).sum::<usize>(),
        Value::String(s) => string_bytes(s.len()),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compacting_keeps_the_value_and_its_order() {
        let mut m = Map::new();
        for k in ["z", "a", "m"] {
            m.insert(k.into(), json!({"list": [1, "two", {"x": null}]}));
        }
        let v = Value::Object(m);
        let c = compact(v.clone());
        assert_eq!(c, v);
        let keys: Vec<&String> = c.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert!(heap_size(&c) > 3 * 80);
    }
}
