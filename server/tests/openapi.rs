//! `docs/openapi.json` matches the routes the server registers: every `.route(...)` in `src/`
//! is described with its methods, nothing stale is described, every `$ref` resolves, and every
//! operation documents its client errors with `ErrorBody`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Operations that have no client-error path at all (probes and this document).
const NO_CLIENT_ERRORS: [(&str, &str); 3] = [
    ("/healthz", "get"),
    ("/readyz", "get"),
    ("/api/v1/openapi.json", "get"),
];

fn document() -> Value {
    serde_json::from_str(ku8portal::openapi::DOCUMENT).expect("docs/openapi.json is JSON")
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Index just past the parenthesis closing the one opened before `start` (string literals skipped).
fn matching_paren(s: &[u8], start: usize) -> usize {
    let (mut depth, mut i, mut in_str) = (1, start, false);
    while i < s.len() {
        match (in_str, s[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_str = false,
            (false, b'"') => in_str = true,
            (false, b'(') => depth += 1,
            (false, b')') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced parentheses in a .route( call");
}

/// Method names called in a handler expression: `get(h)`, `.post(h)` (not `handlers::get`).
fn methods_in(expr: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for m in METHODS {
        for (at, _) in expr.match_indices(&format!("{m}(")) {
            let before = expr[..at].chars().next_back().unwrap_or(' ');
            if !(before.is_alphanumeric() || before == '_' || before == ':') {
                found.insert(m.to_string());
            }
        }
    }
    found
}

/// `(path, method)` of every `.route("PATH", ...)` under `src/`, except the browser app's
/// routes (handlers in `crate::web`), which serve HTML, and the Kubernetes proxy's (handlers in
/// `proxy::`), which serve the Kubernetes API.
fn source_routes() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source file");
        for (at, _) in text.match_indices(".route(") {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..at].trim_start().starts_with("//") {
                continue; // a comment
            }
            let open = at + ".route(".len();
            let close = matching_paren(text.as_bytes(), open);
            let call = &text[open..close - 1];
            let rest = call.trim_start().strip_prefix('"').unwrap_or_else(|| {
                panic!("{}: .route( without a path literal: {call}", file.display())
            });
            let end = rest.find('"').expect("closing quote of the path");
            let (path, handler) = (&rest[..end], &rest[end + 1..]);
            // The web app's pages and the Kubernetes API proxy are not the portal's JSON API.
            if handler.contains("web::") || handler.contains("proxy::") {
                continue;
            }
            let methods = methods_in(handler);
            assert!(
                !methods.is_empty(),
                "{}: no method in route {path}",
                file.display()
            );
            routes.entry(path.to_string()).or_default().extend(methods);
        }
    }
    routes // (a scan that found nothing fails the stale-docs check)
}

/// Every `(path, method, operation)` of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let paths = doc["paths"].as_object().expect("paths is an object");
    let mut ops = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item is an object") {
            if METHODS.contains(&method.as_str()) {
                ops.push((path.clone(), method.clone(), op.clone()));
            }
        }
    }
    ops
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn is_openapi_3_1() {
    let doc = document();
    let version = doc["openapi"].as_str().expect("openapi is a string");
    assert!(version.starts_with("3.1"), "openapi is {version}");
}

#[test]
fn every_route_is_documented_and_nothing_else() {
    let doc = document();
    let source = source_routes();
    let missing: Vec<String> = source
        .iter()
        .flat_map(|(p, ms)| ms.iter().map(move |m| (p, m)))
        .filter(|(p, m)| doc["paths"][p.as_str()][m.as_str()].is_null())
        .map(|(p, m)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from docs/openapi.json: {missing:#?}"
    );
    let stale: Vec<String> = operations(&doc)
        .into_iter()
        .filter(|(p, m, _)| !source.get(p).is_some_and(|ms| ms.contains(m)))
        .map(|(p, m, _)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/openapi.json describes routes the server lacks: {stale:#?}"
    );
}

#[test]
fn every_ref_resolves() {
    let doc = document();
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    let broken: Vec<&String> = refs
        .iter()
        .filter(|r| !r.starts_with("#/") || doc.pointer(&r[1..]).is_none())
        .collect();
    assert!(broken.is_empty(), "unresolved $refs: {broken:?}");
}

#[test]
fn operations_are_described_and_document_their_errors() {
    let doc = document();
    let error_body = "#/components/schemas/ErrorBody";
    let mut ids = BTreeSet::new();
    for (path, method, op) in operations(&doc) {
        let what = format!("{} {path}", method.to_uppercase());
        for key in ["operationId", "summary", "description"] {
            assert!(
                op[key].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: no {key}"
            );
        }
        assert!(
            ids.insert(op["operationId"].to_string()),
            "{what}: operationId used twice"
        );
        assert!(op["tags"][0].is_string(), "{what}: no tags");
        let responses = op["responses"].as_object().expect("responses");
        if NO_CLIENT_ERRORS.contains(&(path.as_str(), method.as_str())) {
            continue;
        }
        let documented = responses.iter().any(|(code, r)| {
            let r = r
                .get("$ref")
                .and_then(|p| doc.pointer(p.as_str()?.get(1..)?))
                .unwrap_or(r);
            code.starts_with('4')
                && r["content"]["application/json"]["schema"]["$ref"] == error_body
        });
        assert!(
            documented,
            "{what}: no 4xx response with the ErrorBody schema"
        );
    }
}
