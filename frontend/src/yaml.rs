//! A small JSON → YAML printer for the object pages (kubectl's layout: lists under a key are not
//! indented), so the web app needs no YAML library; strings that plain YAML would misread are
//! written as JSON strings (valid YAML double-quoted scalars), multi-line text as literal blocks.

use serde_json::Value;

/// `value` as a YAML document (ending in a newline).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => list(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        // The first key of a map inside a list item follows the `- ` on the same line.
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        out.push_str(&string(k, indent));
        out.push(':');
        value_after_key(out, v, indent);
    }
}

fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            list(out, a, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn list(out: &mut String, a: &[Value], indent: usize) {
    for v in a {
        pad(out, indent);
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => map(out, m, indent + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.pop();
                out.push('\n');
                list(out, inner, indent + 2);
            }
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, indent),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// A string as a plain scalar when YAML reads it back unchanged, as a literal block when it is
/// multi-line text, else JSON-quoted.
fn string(s: &str, indent: usize) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    if let Some(block) = literal_block(s, indent) {
        return block;
    }
    quoted(s)
}

/// A JSON string literal (also a YAML double-quoted scalar).
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal_block(s: &str, indent: usize) -> Option<String> {
    let body = s.strip_suffix('\n');
    let (head, text) = match body {
        Some(b) if !b.ends_with('\n') => ("|", b),
        None => ("|-", s),
        Some(_) => return None,
    };
    let ok = text.contains('\n')
        && !text.starts_with(' ')
        && !text
            .lines()
            .any(|l| l.ends_with(' ') || l.starts_with('\t'))
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !ok {
        return None;
    }
    let mut out = String::from(head);
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    Some(out)
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`~ \t".contains(first) && !(first == '-' && plain_dash(s)) {
        return false;
    }
    if s.ends_with([' ', ':', '\t'])
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c.is_control())
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", ".nan",
    ];
    !(reserved.contains(&lower.as_str()) || looks_numeric(s))
}

/// `-foo` is plain; `-`, `- x` and `-1` are not.
fn plain_dash(s: &str) -> bool {
    s.len() > 1 && !s.starts_with("- ") && !looks_numeric(s)
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    s.parse::<f64>().is_ok()
        || t.starts_with("0x")
        || t.starts_with("0o")
        || t.starts_with("0b")
        || (t.starts_with('.') && t[1..].chars().all(|c| c.is_ascii_digit()) && t.len() > 1)
        || (!t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '_' || c == ':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_layout() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web-1", "labels": {"app": "web"}, "annotations": {}},
            "spec": {"containers": [
                {"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 80}], "args": ["-v", "a b"]}
            ]},
            "status": {"conditions": [], "ready": true}
        });
        // Keys keep the object's order (serde_json's preserve_order, as the server sent them).
        let want = "\
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
  annotations: {}
spec:
  containers:
  - name: c
    image: nginx:1.27
    ports:
    - containerPort: 80
    args:
    - -v
    - a b
status:
  conditions: []
  ready: true
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn strings_that_would_change_meaning_are_quoted() {
        for s in [
            "",
            "true",
            "No",
            "null",
            "~",
            "1",
            "1.5",
            "0x1F",
            "1e3",
            "-1",
            "08",
            "12:30",
            "a: b",
            "x #y",
            " lead",
            "trail ",
            "*star",
            "&a",
            "!tag",
            "{a}",
            "[1]",
            "'q'",
            "\"q\"",
            "- x",
            "-",
            "%x",
            "@x",
            "`x",
            "end:",
            ".5",
            "tab\tx\u{1}",
        ] {
            let y = string(s, 0);
            assert!(y.starts_with('"'), "{s:?} printed as {y}");
            let back: String = serde_json::from_str(&y).unwrap();
            assert_eq!(back, s);
        }
        for s in [
            "nginx:1.27",
            "a b",
            "-foo",
            "100m",
            "1Gi",
            "http://x/y",
            "web-1",
            "a:b",
        ] {
            assert_eq!(string(s, 0), s);
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let v = json!({"data": {"a.conf": "x = 1\ny = 2\n", "b": "one\ntwo", "c": "sp \nx"}});
        let want = "\
data:
  a.conf: |
    x = 1
    y = 2
  b: |-
    one
    two
  c: \"sp \\nx\"
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn nested_lists_and_scalars() {
        assert_eq!(
            to_yaml(&json!([[1, 2], {"a": null}])),
            "-\n  - 1\n  - 2\n- a: null\n"
        );
        assert_eq!(to_yaml(&json!("x")), "x\n");
        assert_eq!(to_yaml(&json!({})), "{}\n");
    }
}
