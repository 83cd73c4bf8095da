//! Label and field selectors (`labelSelector` / `fieldSelector` query parameters, controller
//! selectors) with the parsing, validation and error texts of kube-apiserver v1.36.
//!
//! * [`LabelSelector`] follows `k8s.io/apimachinery/pkg/labels` (`Parse`, `NewRequirement`,
//!   `LabelSelectorAsSelector`, `SelectorFromSet`).
//! * [`FieldSelector`] follows `k8s.io/apimachinery/pkg/fields` plus the per-kind field label
//!   conversion functions and `ToSelectableFields` sets registered in kube-apiserver.
//!
//! Callers should parse the label selector before the field selector: the apiserver decodes
//! `labelSelector` first, so with two bad selectors the label error wins.
//!
//! This file also holds the shared validation helpers (`content.IsLabelKey`, `IsLabelValue`,
//! `IsDNS1123Subdomain`) and Go's `%q` quoting, used by both selector kinds.

mod field;
mod field_kinds;
mod label;
mod label_parse;

pub use field::FieldSelector;
pub use label::{LabelSelector, Operator, Requirement};

const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// `content.RegexError`: the message, the examples and the regex.
fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{re}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{example}', "));
    }
    out.push_str(&format!("regex used for validation is '{re}')"));
    out
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` anchored.
fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` anchored.
fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => edge(f) && edge(l) && b.iter().all(|c| edge(c) || *c == b'-'),
        _ => false,
    }
}

/// `content.IsDNS1123Subdomain`.
pub(crate) fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !value.split('.').all(is_dns1123_label) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `content.IsLabelKey` (a qualified name with an optional DNS subdomain prefix).
pub(crate) fn label_key_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain_errors(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !is_label_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_ERR,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `validation.IsValidLabelValue`.
pub(crate) fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !is_label_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Whether Go's `unicode.IsPrint` would call a non-ASCII char printable (approximation:
/// controls, non-ASCII spaces and the common format characters are not).
fn go_is_print(c: char) -> bool {
    let n = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || (0x200b..=0x200f).contains(&n)
        || (0x2028..=0x202e).contains(&n)
        || (0x2060..=0x2064).contains(&n)
        || n == 0xfeff
        || (0xfff9..=0xfffb).contains(&n)
        || (0xe000..=0xf8ff).contains(&n))
}

/// Go's `strconv.Quote` / `%q`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// `field.Invalid(path, <string>, detail).Error()`.
pub(crate) fn invalid_string(path: &str, value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {}: {detail}", go_quote(value))
}

/// `utilerrors.NewAggregate(...).Error()` after `ErrorList.ToAggregate` (deduplicated).
pub(crate) fn aggregate(errs: Vec<String>) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    match seen.len() {
        0 => None,
        1 => seen.pop(),
        _ => Some(format!("[{}]", seen.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    //! Every selector step of the golden transcripts: the listed names for 200s, the exact
    //! message for 400s.
    use super::{FieldSelector, LabelSelector};
    use serde_json::Value;

    const GOLDEN: &str = "/work/shared/k8s-golden";

    fn load(name: &str) -> Value {
        let text = std::fs::read_to_string(format!("{GOLDEN}/{name}")).expect("golden file");
        serde_json::from_str(&text).expect("golden json")
    }

    /// (group, plural) of a request path such as `/api/v1/namespaces/x/pods`.
    fn resource_of(path: &str) -> (String, String) {
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (group, rest) = match segs.as_slice() {
            ["api", _v, rest @ ..] => ("", rest),
            ["apis", g, _v, rest @ ..] => (*g, rest),
            _ => panic!("odd path {path}"),
        };
        let plural = match rest {
            ["namespaces", _ns, plural, ..] => plural,
            [plural, ..] => plural,
            [] => panic!("no resource in {path}"),
        };
        (group.to_string(), plural.to_string())
    }

    /// Parse both selectors of a step the way the apiserver does (label first).
    fn parse_step(step: &Value) -> Result<(LabelSelector, FieldSelector), String> {
        let req = &step["request"];
        let (group, plural) = resource_of(req["path"].as_str().unwrap());
        let q = |k: &str| req["query"].get(k).and_then(Value::as_str).unwrap_or("");
        let label = LabelSelector::parse(q("labelSelector"))?;
        let field = FieldSelector::parse(q("fieldSelector"), &group, &plural)?;
        Ok((label, field))
    }

    fn selector_steps(doc: &Value) -> Vec<&Value> {
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                let q = &s["request"]["query"];
                q.get("labelSelector").is_some() || q.get("fieldSelector").is_some()
            })
            .collect()
    }

    #[test]
    fn selectors_golden_lists() {
        let doc = load("selectors.json");
        let steps = doc["steps"].as_array().unwrap();
        let pods: Vec<&Value> = steps
            .iter()
            .filter(|s| s["name"].as_str().unwrap().starts_with("create-p"))
            .map(|s| &s["response"]["body"])
            .collect();
        assert_eq!(pods.len(), 6);
        let mut checked = 0;
        for step in selector_steps(&doc) {
            let name = step["name"].as_str().unwrap();
            let resp = &step["response"];
            match parse_step(step) {
                Ok((label, field)) => {
                    assert_eq!(resp["status"], 200, "{name} should have failed");
                    let want: Vec<&str> = resp["body"]["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| i["metadata"]["name"].as_str().unwrap())
                        .collect();
                    let got: Vec<&str> = pods
                        .iter()
                        .filter(|p| label.matches_object(p) && field.matches(p))
                        .map(|p| p["metadata"]["name"].as_str().unwrap())
                        .collect();
                    assert_eq!(got, want, "{name}");
                }
                Err(msg) => {
                    assert_eq!(resp["status"], 400, "{name}: unexpected error {msg}");
                    assert_eq!(resp["body"]["message"].as_str().unwrap(), msg, "{name}");
                }
            }
            checked += 1;
        }
        assert_eq!(checked, 34);
    }

    #[test]
    fn every_golden_selector_parses_or_fails_alike() {
        let files = [
            "deployment-scale.json",
            "generate-name.json",
            "namespace-lifecycle.json",
            "pagination.json",
            "selectors.json",
            "watch-events.json",
            "workloads-misc.json",
        ];
        for file in files {
            let doc = load(file);
            for step in selector_steps(&doc) {
                let name = step["name"].as_str().unwrap();
                let resp = &step["response"];
                match parse_step(step) {
                    Ok(_) => assert_eq!(resp["status"], 200, "{file} {name}"),
                    Err(msg) => {
                        assert_eq!(resp["status"], 400, "{file} {name}: {msg}");
                        assert_eq!(
                            resp["body"]["message"].as_str().unwrap(),
                            msg,
                            "{file} {name}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn golden_event_field_selectors_match_their_items() {
        let doc = load("workloads-misc.json");
        for step in selector_steps(&doc) {
            let Ok((label, field)) = parse_step(step) else {
                panic!("parse")
            };
            for item in step["response"]["body"]["items"]
                .as_array()
                .into_iter()
                .flatten()
            {
                assert!(
                    label.matches_object(item) && field.matches(item),
                    "{}",
                    step["name"]
                );
            }
        }
    }

    #[test]
    fn single_object_watch_pins_the_name() {
        let f = FieldSelector::parse("metadata.name=existing", "", "pods").unwrap();
        assert_eq!(f.exact_name(), Some("existing"));
        let f = FieldSelector::parse("metadata.name!=existing", "", "pods").unwrap();
        assert_eq!(f.exact_name(), None);
    }
}
