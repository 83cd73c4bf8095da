//! Field selectors: the `FieldSelector` type with the parser and escaping rules of
//! `k8s.io/apimachinery/pkg/fields`, and matching. The per-kind field tables and their error
//! texts live in `field_kinds`.

use serde_json::Value;
use std::fmt;

use super::field_kinds::Kind;

#[derive(Debug, Clone, PartialEq)]
struct Term {
    field: String,
    value: String,
    negate: bool,
}

/// A parsed field selector: the AND of `field=value` / `field!=value` terms, already converted
/// to the internal field names of the resource it was parsed for.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSelector {
    terms: Vec<Term>,
    kind: Kind,
}

/// `fields.EscapeValue`.
pub fn escape_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

/// `fields.UnescapeValue`.
fn unescape_value(s: &str) -> Result<String, String> {
    if !s.contains(['\\', ',', '=']) {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            match c {
                '\\' | ',' | '=' => out.push(c),
                _ => {
                    return Err(format!(
                        "invalid field selector: invalid escape sequence: \\{c}"
                    ));
                }
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                ));
            }
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

/// `splitTerms`: split on commas not escaped by a backslash (escapes kept).
fn split_terms(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let (mut start, mut in_slash) = (0, false);
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

/// `splitTerm`: split at the first operator (`!=`, then `==`, then `=` at each position).
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], op, rhs));
            }
        }
    }
    None
}

impl FieldSelector {
    /// Parse a `fieldSelector` value for a resource (group "" for core, plural e.g. "pods"),
    /// validating the field names against the real apiserver's conversion functions, with the
    /// real error messages.
    pub fn parse(s: &str, group: &str, plural: &str) -> Result<FieldSelector, String> {
        Self::parse_kind(s, Kind::of(group, plural))
    }

    /// Parse for a custom resource whose CRD declares `selectableFields` (given as selector
    /// names without the leading dot, e.g. `spec.color`).
    pub fn parse_custom(s: &str, selectable_fields: &[String]) -> Result<FieldSelector, String> {
        Self::parse_kind(s, Kind::Custom(selectable_fields.to_vec()))
    }

    fn parse_kind(s: &str, kind: Kind) -> Result<FieldSelector, String> {
        let mut parts = split_terms(s);
        parts.sort();
        let mut raw = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            raw.push((lhs, unescape_value(rhs)?, op == "!="));
        }
        let mut terms = Vec::with_capacity(raw.len());
        for (lhs, value, negate) in raw {
            terms.push(Term {
                field: kind.convert(lhs)?,
                value,
                negate,
            });
        }
        Ok(FieldSelector { terms, kind })
    }

    /// True when the selector does not restrict anything.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the object (in its stored JSON form) satisfies every term.
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (self.kind.value(obj, &t.field) == t.value) != t.negate)
    }

    /// If the selector pins `metadata.name=X` (single-object watch/list), return X.
    pub fn exact_name(&self) -> Option<&str> {
        self.requires_exact_match("metadata.name")
    }

    /// `RequiresExactMatch` for any (internal) field name.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| !t.negate && t.field == field)
            .map(|t| t.value.as_str())
    }
}

impl fmt::Display for FieldSelector {
    /// `Selector.String()` (internal field names, escaped values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{}{}{}",
                    t.field,
                    if t.negate { "!=" } else { "=" },
                    escape_value(&t.value)
                )
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
#[path = "field_tests.rs"]
mod tests;
