//! Go `%v` / `%s` renderings of decoded JSON values (`map[string]interface{}` & co.), used to
//! reproduce the error messages of the Go patch libraries byte for byte.

use serde_json::{Number, Value};

/// `fmt.Sprintf("%v", v)` of a value decoded by `encoding/json` (maps sorted by key, slices space
/// separated, nil as `<nil>`).
pub fn v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", v(&m[k.as_str()])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// `%s` of an `interface{}` holding this value (`%!s(int64=1)` style for non-strings).
pub fn s(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "%!s(<nil>)".into(),
        Value::Bool(b) => format!("%!s(bool={b})"),
        Value::Number(n) => format!("%!s({}={})", type_name(value), number(n)),
        other => v(other),
    }
}

/// `reflect.TypeOf(v).String()` for a decoded JSON value (ints decoded as int64, as
/// `UnmarshalCaseSensitivePreserveInts` does).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "%!s(<nil>)",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Go's `%v` of a float64 / int64.
pub fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    float(f)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` as `%v` prints it (exponent when < 1e-4 or >= 1e21).
pub fn float(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    let abs = f.abs();
    if (1e-4..1e21).contains(&abs) {
        return format!("{f}");
    }
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((mant, exp)) => {
            let (sign, digits) = if let Some(d) = exp.strip_prefix('-') {
                ('-', d)
            } else {
                ('+', exp)
            };
            let digits = if digits.len() < 2 {
                format!("0{digits}")
            } else {
                digits.to_string()
            };
            format!("{mant}e{sign}{digits}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_like_go() {
        assert_eq!(
            v(&json!({"name": "a", "$patch": "merge", "n": 1})),
            "map[$patch:merge n:1 name:a]"
        );
        assert_eq!(v(&json!([["a", 1], []])), "[[a 1] []]");
        assert_eq!(v(&json!(1.5)), "1.5");
        assert_eq!(v(&json!(1e21)), "1e+21");
        assert_eq!(type_name(&json!([1])), "[]interface {}");
        assert_eq!(s(&json!(3)), "%!s(int64=3)");
    }
}
