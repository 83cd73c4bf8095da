//! "Create from YAML": splits a manifest into its documents and reads each one's `apiVersion`,
//! `kind`, `metadata.name` and `metadata.namespace` (enough to address the server-side apply;
//! the apiserver parses the rest), and finds the line an error message points at.

/// One document of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The document's text, sent as it is.
    pub text: String,
    /// Its first line in the whole manifest (1-based).
    pub line: usize,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// Why a document cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub line: usize,
    /// `apiVersion`, `kind` or `metadata.name`: the field that is missing.
    pub missing: &'static str,
}

fn unquote(v: &str) -> String {
    let v = v.split(" #").next().unwrap_or("").trim();
    let v = v
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(v);
    v.to_string()
}

fn header(text: &str, line: usize) -> Result<Doc, DocError> {
    if text.trim_start().starts_with('{') {
        return json_header(text, line);
    }
    let mut doc = Doc {
        text: text.to_string(),
        line,
        api_version: String::new(),
        kind: String::new(),
        name: String::new(),
        namespace: String::new(),
    };
    let mut in_metadata = false;
    let mut meta_indent = None;
    for l in text.lines() {
        let body = l.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = l.len() - body.len();
        let Some((key, value)) = body.split_once(':') else {
            continue;
        };
        if indent == 0 {
            in_metadata = key == "metadata";
            meta_indent = None;
            match key {
                "apiVersion" => doc.api_version = unquote(value),
                "kind" => doc.kind = unquote(value),
                _ => {}
            }
        } else if in_metadata {
            // Only the first level under `metadata:` (not labels' `name:` keys).
            let first = *meta_indent.get_or_insert(indent);
            if indent == first {
                match key {
                    "name" => doc.name = unquote(value),
                    "namespace" => doc.namespace = unquote(value),
                    _ => {}
                }
            }
        }
    }
    check(doc)
}

fn json_header(text: &str, line: usize) -> Result<Doc, DocError> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let s = |p: &str| {
        v.pointer(p)
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string()
    };
    check(Doc {
        text: text.to_string(),
        line,
        api_version: s("/apiVersion"),
        kind: s("/kind"),
        name: s("/metadata/name"),
        namespace: s("/metadata/namespace"),
    })
}

fn check(doc: Doc) -> Result<Doc, DocError> {
    let missing = if doc.api_version.is_empty() {
        "apiVersion"
    } else if doc.kind.is_empty() {
        "kind"
    } else if doc.name.is_empty() {
        "metadata.name"
    } else {
        return Ok(doc);
    };
    Err(DocError {
        line: doc.line,
        missing,
    })
}

/// The documents of `manifest` (separated by `---` lines; empty ones skipped).
pub fn split(manifest: &str) -> Vec<Result<Doc, DocError>> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut flush = |current: &mut String, start: usize| {
        let has_content = current
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if has_content {
            docs.push(header(current, start));
        }
        current.clear();
    };
    for (i, line) in manifest.lines().enumerate() {
        if line.starts_with("---") {
            flush(&mut current, start);
            start = i + 2;
        } else {
            if current.is_empty() {
                start = i + 1;
            }
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut current, start);
    docs
}

/// The line of the manifest an error message points at (`... line 3 ...`), given the line the
/// document starts on.
pub fn error_line(message: &str, doc_line: usize) -> Option<usize> {
    let at = message.find("line ")?;
    let digits: String = message[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: usize = digits.parse().ok()?;
    Some(doc_line + n.max(1) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "\
# a web app
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    name: not-this
  name: web
  namespace: \"shop\"
spec:
  replicas: 2
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
";

    #[test]
    fn reads_the_headers_of_each_document() {
        let docs = split(TWO);
        assert_eq!(docs.len(), 2);
        let d = docs[0].clone().unwrap();
        assert_eq!(
            (
                d.api_version.as_str(),
                d.kind.as_str(),
                d.name.as_str(),
                d.namespace.as_str()
            ),
            ("apps/v1", "Deployment", "web", "shop")
        );
        assert_eq!(d.line, 1);
        assert!(d.text.contains("replicas: 2"));
        // Flow-style metadata is not read: the error names the field and the line.
        assert_eq!(
            docs[1],
            Err(DocError {
                line: 12,
                missing: "metadata.name"
            })
        );
    }

    #[test]
    fn json_documents_and_missing_fields() {
        let docs =
            split("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
        assert_eq!(docs[0].clone().unwrap().kind, "ConfigMap");
        assert_eq!(
            split("kind: Pod\nmetadata:\n  name: x\n")[0],
            Err(DocError {
                line: 1,
                missing: "apiVersion"
            })
        );
        assert!(split("---\n# nothing\n---\n").is_empty());
    }

    #[test]
    fn error_lines() {
        assert_eq!(
            error_line(
                "error converting YAML: line 3: mapping values are not allowed",
                12
            ),
            Some(14)
        );
        assert_eq!(
            error_line(
                "the request body cannot be read: did not find expected key at line 2 column 1",
                1
            ),
            Some(2)
        );
        assert_eq!(error_line("exceeded quota", 1), None);
    }
}
