//! Pruning of a custom resource by its structural schema, as apiextensions-apiserver does:
//! fields the `openAPIV3Schema` does not declare are dropped (kept under
//! `x-kubernetes-preserve-unknown-fields: true`), and reported for `fieldValidation`.

use serde_json::Value;

/// Drop the fields of `obj` that `schema` does not declare; returns their paths
/// (`spec.extra`, `spec.items[0].x`). `apiVersion`, `kind` and `metadata` are never pruned.
pub fn prune(obj: &mut Value, schema: &Value) -> Vec<String> {
    let mut unknown = Vec::new();
    if schema.is_null() {
        return unknown;
    }
    let Some(m) = obj.as_object_mut() else {
        return unknown;
    };
    let props = schema.get("properties").and_then(Value::as_object);
    let preserve = preserves(schema);
    let keys: Vec<String> = m.keys().cloned().collect();
    for k in keys {
        if matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        match props.and_then(|p| p.get(&k)) {
            Some(s) => walk(m.get_mut(&k).expect("key present"), s, &k, &mut unknown),
            None if preserve => {}
            None => {
                m.remove(&k);
                unknown.push(k);
            }
        }
    }
    unknown
}

fn preserves(schema: &Value) -> bool {
    schema
        .get("x-kubernetes-preserve-unknown-fields")
        .and_then(Value::as_bool)
        == Some(true)
}

fn walk(v: &mut Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if schema
                .get("x-kubernetes-embedded-resource")
                .and_then(Value::as_bool)
                == Some(true)
                && preserves(schema)
            {
                return;
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            let preserve = preserves(schema);
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let child_path = format!("{path}.{k}");
                let sub = props.and_then(|p| p.get(&k)).or(match additional {
                    Some(Value::Object(_)) => additional,
                    _ => None,
                });
                match sub {
                    Some(s) => walk(m.get_mut(&k).expect("key present"), s, &child_path, out),
                    None if preserve || additional == Some(&Value::Bool(true)) => {}
                    None => {
                        m.remove(&k);
                        out.push(child_path);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, item) in items.iter_mut().enumerate() {
                    walk(item, s, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}
