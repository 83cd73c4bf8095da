//! Renders a v1 pod spec (JSON) as Go's `json.MarshalIndent(core.PodSpec, "", " ")` would print
//! the internal struct: Go field names, every field (nulls included) in struct order, Go string
//! escaping. Also the semantic comparison of two such renderings.

use super::gotypes::SCHEMA;
use super::quantity::Quantity;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A Go value as encoding/json sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum GoVal {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<GoVal>),
    Obj(Vec<(String, GoVal)>),
}

struct Field {
    go: String,
    json: String,
    kind: String,
}

fn schema() -> &'static HashMap<String, Vec<Field>> {
    static S: OnceLock<HashMap<String, Vec<Field>>> = OnceLock::new();
    S.get_or_init(|| {
        let mut m = HashMap::new();
        for line in SCHEMA.lines().filter(|l| !l.trim().is_empty()) {
            let Some((ty, rest)) = line.split_once(':') else {
                continue;
            };
            let fields = rest
                .split_whitespace()
                .filter_map(|f| {
                    let (name, kind) = f.split_once(':')?;
                    let (go, json) = match name.split_once('=') {
                        Some((g, j)) => (g.to_string(), j.to_string()),
                        None => {
                            let mut c = name.chars();
                            let first = c.next()?.to_ascii_lowercase();
                            (name.to_string(), format!("{first}{}", c.as_str()))
                        }
                    };
                    Some(Field {
                        go,
                        json,
                        kind: kind.to_string(),
                    })
                })
                .collect();
            m.insert(ty.trim().to_string(), fields);
        }
        m
    })
}

fn get<'a>(o: Option<&'a Map<String, Value>>, k: &str) -> Option<&'a Value> {
    o.and_then(|o| o.get(k)).filter(|v| !v.is_null())
}

fn quantity(v: &Value) -> GoVal {
    match v {
        Value::String(s) => GoVal::Str(
            Quantity::parse(s)
                .map(|q| q.to_canonical_string())
                .unwrap_or_else(|_| s.clone()),
        ),
        Value::Number(n) => GoVal::Str(
            Quantity::parse(&n.to_string())
                .map(|q| q.to_canonical_string())
                .unwrap_or_default(),
        ),
        _ => GoVal::Str("0".into()),
    }
}

fn string_map(v: Option<&Value>, conv: fn(&Value) -> GoVal) -> GoVal {
    match v.and_then(Value::as_object) {
        None => GoVal::Null,
        Some(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            GoVal::Obj(keys.into_iter().map(|k| (k.clone(), conv(&m[k]))).collect())
        }
    }
}

fn plain(v: &Value) -> GoVal {
    match v {
        Value::Null => GoVal::Null,
        Value::Bool(b) => GoVal::Bool(*b),
        Value::Number(n) => GoVal::Int(n.as_i64().unwrap_or(0)),
        Value::String(s) => GoVal::Str(s.clone()),
        Value::Array(a) => GoVal::Arr(a.iter().map(plain).collect()),
        Value::Object(o) => GoVal::Obj(o.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
    }
}

fn label_selector(v: Option<&Value>) -> GoVal {
    let Some(o) = v.and_then(Value::as_object) else {
        return GoVal::Null;
    };
    let mut out = vec![];
    if o.get("matchLabels")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        out.push((
            "matchLabels".into(),
            string_map(o.get("matchLabels"), plain),
        ));
    }
    if let Some(exprs) = o
        .get("matchExpressions")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        let items = exprs
            .iter()
            .map(|e| {
                let mut r = vec![
                    (
                        "key".to_string(),
                        GoVal::Str(e.get("key").and_then(Value::as_str).unwrap_or("").into()),
                    ),
                    (
                        "operator".to_string(),
                        GoVal::Str(
                            e.get("operator")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .into(),
                        ),
                    ),
                ];
                if let Some(vs) = e
                    .get("values")
                    .and_then(Value::as_array)
                    .filter(|a| !a.is_empty())
                {
                    r.push(("values".into(), GoVal::Arr(vs.iter().map(plain).collect())));
                }
                GoVal::Obj(r)
            })
            .collect();
        out.push(("matchExpressions".into(), GoVal::Arr(items)));
    }
    GoVal::Obj(out)
}

fn render_value(kind: &str, v: Option<&Value>) -> GoVal {
    match kind {
        "s" => GoVal::Str(v.and_then(Value::as_str).unwrap_or("").into()),
        "b" => GoVal::Bool(v.and_then(Value::as_bool).unwrap_or(false)),
        "i" => GoVal::Int(v.and_then(Value::as_i64).unwrap_or(0)),
        "*s" | "*b" | "*i" => v.map_or(GoVal::Null, |x| render_value(&kind[1..], Some(x))),
        "m" => string_map(v, plain),
        "rl" => string_map(v, quantity),
        "q" => v.map_or(GoVal::Str("0".into()), quantity),
        "*q" => v.map_or(GoVal::Null, quantity),
        "ios" => match v {
            Some(Value::String(s)) => GoVal::Str(s.clone()),
            Some(x) => GoVal::Int(x.as_i64().unwrap_or(0)),
            None => GoVal::Int(0),
        },
        "*ls" => label_selector(v),
        k if k.starts_with('[') => match v.and_then(Value::as_array) {
            None => GoVal::Null,
            Some(a) => GoVal::Arr(a.iter().map(|x| render_value(&k[1..], Some(x))).collect()),
        },
        k if k.starts_with('*') => v.map_or(GoVal::Null, |x| render_struct(&k[1..], x.as_object())),
        k => render_struct(k, v.and_then(Value::as_object)),
    }
}

fn push_struct(ty: &str, o: Option<&Map<String, Value>>, out: &mut Vec<(String, GoVal)>) {
    let Some(fields) = schema().get(ty) else {
        // Unknown type: keep the JSON keys, capitalized.
        for (k, v) in o.into_iter().flatten() {
            let mut c = k.chars();
            let name = c
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default();
            out.push((name, plain(v)));
        }
        return;
    };
    for f in fields {
        if let Some(inner) = f.kind.strip_prefix('^') {
            push_struct(inner, o, out);
        } else if f.kind == "om" {
            if let Some(m) = get(o, &f.json).and_then(Value::as_object) {
                for k in [
                    "name",
                    "generateName",
                    "namespace",
                    "uid",
                    "resourceVersion",
                    "generation",
                    "labels",
                    "annotations",
                    "finalizers",
                ] {
                    if let Some(v) = m.get(k).filter(|v| !v.is_null()) {
                        out.push((k.to_string(), plain(v)));
                    }
                }
            }
        } else {
            out.push((f.go.clone(), render_value(&f.kind, get(o, &f.json))));
        }
    }
}

fn render_struct(ty: &str, o: Option<&Map<String, Value>>) -> GoVal {
    let mut out = vec![];
    push_struct(ty, o, &mut out);
    GoVal::Obj(out)
}

/// The internal struct `ty` (a type of the schema table) read from its v1 JSON.
pub fn render_type(ty: &str, v: &Value) -> GoVal {
    render_struct(ty, v.as_object())
}

/// The internal `core.PodSpec` of a v1 pod spec (applies the v1 conversion of the host namespace
/// fields into `SecurityContext` and of `serviceAccount` into `ServiceAccountName`).
pub fn pod_spec(spec: &Value) -> GoVal {
    let mut s = spec.as_object().cloned().unwrap_or_default();
    let mut sc = s
        .get("securityContext")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for k in [
        "hostNetwork",
        "hostPID",
        "hostIPC",
        "shareProcessNamespace",
        "hostUsers",
    ] {
        match s.get(k) {
            Some(v) if !v.is_null() => sc.insert(k.into(), v.clone()),
            _ => sc.remove(k),
        };
    }
    s.insert("securityContext".into(), Value::Object(sc));
    if s.get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
        && let Some(sa) = s.get("serviceAccount").cloned()
    {
        s.insert("serviceAccountName".into(), sa);
    }
    render_struct("PodSpec", Some(&s))
}

/// apimachinery's semantic equality: nil and empty slices/maps are equal.
pub fn semantic_eq(a: &GoVal, b: &GoVal) -> bool {
    let empty = |v: &GoVal| matches!(v, GoVal::Null) || matches!(v, GoVal::Arr(x) if x.is_empty());
    match (a, b) {
        (GoVal::Arr(x), GoVal::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| semantic_eq(p, q))
        }
        (GoVal::Obj(x), GoVal::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && semantic_eq(v1, v2))
                || (x.is_empty() && y.is_empty())
        }
        (GoVal::Null, GoVal::Obj(x)) | (GoVal::Obj(x), GoVal::Null) => x.is_empty(),
        _ => a == b || (empty(a) && empty(b)),
    }
}

/// Go's encoding/json string escaping (HTML-safe, `\b`/`\f` short forms since Go 1.22).
fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write(v: &GoVal, depth: usize, out: &mut String) {
    let pad = |d: usize, out: &mut String| {
        out.push('\n');
        out.push_str(&" ".repeat(d));
    };
    match v {
        GoVal::Null => out.push_str("null"),
        GoVal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        GoVal::Int(i) => out.push_str(&i.to_string()),
        GoVal::Str(s) => quote(s, out),
        GoVal::Arr(a) if a.is_empty() => out.push_str("[]"),
        GoVal::Obj(o) if o.is_empty() => out.push_str("{}"),
        GoVal::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                write(x, depth + 1, out);
            }
            pad(depth, out);
            out.push(']');
        }
        GoVal::Obj(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                quote(k, out);
                out.push_str(": ");
                write(x, depth + 1, out);
            }
            pad(depth, out);
            out.push('}');
        }
    }
}

/// `json.MarshalIndent(v, "", " ")`.
pub fn marshal_indent(v: &GoVal) -> String {
    let mut s = String::new();
    write(v, 0, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_go_field_names_in_struct_order() {
        let spec = json!({"containers": [{"name": "app", "image": "nginx", "resources": {"limits": {"cpu": "1000m"}}}], "restartPolicy": "Always"});
        let text = marshal_indent(&pod_spec(&spec));
        assert!(text.starts_with("{\n \"Volumes\": null,\n \"InitContainers\": null,\n \"Containers\": [\n  {\n   \"Name\": \"app\",\n"));
        assert!(text.contains("\"Limits\": {\n     \"cpu\": \"1\"\n    },"));
        assert!(text.contains(" \"SecurityContext\": {\n  \"HostNetwork\": false,"));
        assert!(text.ends_with(" \"SchedulingGroup\": null\n}"));
    }

    #[test]
    fn escapes_like_go() {
        let mut s = String::new();
        quote("a<b>&\"\u{1}", &mut s);
        assert_eq!(s, "\"a\\u003cb\\u003e\\u0026\\\"\\u0001\"");
    }
}
