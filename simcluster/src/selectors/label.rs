//! Label selector types and matching: `Operator`, `Requirement` (with the validation of
//! `labels.NewRequirement`), `LabelSelector` and its `metav1.LabelSelector` and map-selector
//! constructors used by controllers. The `labels.Parse` lexer/parser lives in `label_parse`.

use serde_json::{Map, Value};
use std::fmt;

use super::label_parse;
use super::{aggregate, go_quote, invalid_string, label_key_errors, label_value_errors};

/// `selection.Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One `key <op> values` term; values are sorted and deduplicated for `in`/`notin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    pub values: Vec<String>,
}

/// A parsed label selector: the AND of its requirements (sorted by key). `nothing` is
/// `labels.Nothing()` (a nil `metav1.LabelSelector`), which matches no object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    reqs: Vec<Requirement>,
    nothing: bool,
}

/// `[]string` rendered with Go's `%#v` (as in `field.Invalid(path, vals, ...)`).
fn go_string_slice(vals: &[String]) -> String {
    if vals.is_empty() {
        return "[]string(nil)".to_string();
    }
    let inner: Vec<String> = vals.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

impl Requirement {
    /// `labels.NewRequirement` with a nil path: the aggregated error text on invalid input.
    pub fn new(key: &str, op: Operator, values: Vec<String>) -> Result<Requirement, String> {
        let mut errs = Vec::new();
        let key_errs = label_key_errors(key);
        if !key_errs.is_empty() {
            errs.push(invalid_string("key", key, &key_errs.join("; ")));
        }
        let slice = || go_string_slice(&values);
        match op {
            Operator::In | Operator::NotIn if values.is_empty() => errs.push(format!(
                "values: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
                slice()
            )),
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => errs.push(format!(
                "values: Invalid value: {}: exact-match compatibility requires one single value",
                slice()
            )),
            Operator::Exists | Operator::DoesNotExist if !values.is_empty() => errs.push(format!(
                "values: Invalid value: {}: values set must be empty for exists and does not exist",
                slice()
            )),
            Operator::GreaterThan | Operator::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                        slice()
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(invalid_string(
                            &format!("values[{i}]"),
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        ));
                    }
                }
            }
            _ => {}
        }
        for (i, v) in values.iter().enumerate() {
            let v_errs = label_value_errors(v);
            if !v_errs.is_empty() {
                errs.push(invalid_string(
                    &format!("values[{i}][{key}]"),
                    v,
                    &v_errs.join("; "),
                ));
            }
        }
        match aggregate(errs) {
            Some(msg) => Err(msg),
            None => Ok(Requirement {
                key: key.to_string(),
                op,
                values,
            }),
        }
    }

    /// `Requirement.Matches`.
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        let value: Option<String> = labels.and_then(|m| m.get(&self.key)).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| has(&v))
            }
            Operator::NotIn | Operator::NotEquals => value.is_none_or(|v| !has(&v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(v), [want]) = (value, self.values.as_slice()) else {
                    return false;
                };
                match (v.parse::<i64>(), want.parse::<i64>()) {
                    (Ok(have), Ok(want)) => {
                        if self.op == Operator::GreaterThan {
                            have > want
                        } else {
                            have < want
                        }
                    }
                    _ => false,
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    /// `Requirement.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Operator::In | Operator::NotIn);
        let mut vals = self.values.clone();
        vals.sort();
        if set {
            f.write_str("(")?;
        }
        f.write_str(&vals.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for LabelSelector {
    /// `Selector.String()`: the requirements joined by `,` (empty for everything/nothing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.reqs.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

impl LabelSelector {
    /// `labels.Everything()`.
    pub fn everything() -> LabelSelector {
        LabelSelector::default()
    }

    /// `labels.Nothing()`.
    pub fn nothing() -> LabelSelector {
        LabelSelector {
            reqs: Vec::new(),
            nothing: true,
        }
    }

    fn from_requirements(mut reqs: Vec<Requirement>) -> LabelSelector {
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector {
            reqs,
            nothing: false,
        }
    }

    /// Parse a `labelSelector` query value exactly as `labels.Parse` does; the error is the
    /// apiserver's message for the 400 BadRequest Status.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        label_parse::parse(s).map(LabelSelector::from_requirements)
    }

    /// True when the selector does not restrict anything (`Selector.Empty()`).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.reqs.is_empty()
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.reqs
    }

    /// `labels` = the object's `metadata.labels` (None when absent).
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        !self.nothing && self.reqs.iter().all(|r| r.matches(labels))
    }

    /// Convenience: match an object by its `metadata.labels`.
    pub fn matches_object(&self, obj: &Value) -> bool {
        self.matches(obj.pointer("/metadata/labels").and_then(Value::as_object))
    }

    /// `RequiresExactMatch`: the single value a `=`, `==` or one-value `in` term pins.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let r = self.reqs.iter().find(|r| r.key == key)?;
        match (r.op, r.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [v]) => Some(v),
            _ => None,
        }
    }

    /// `metav1.LabelSelectorAsSelector` on a `{matchLabels, matchExpressions}` JSON value.
    /// `null` gives [`LabelSelector::nothing`], `{}` gives everything.
    pub fn from_label_selector_json(v: &Value) -> Result<LabelSelector, String> {
        let obj = match v {
            Value::Null => return Ok(LabelSelector::nothing()),
            Value::Object(o) => o,
            other => return Err(format!("invalid label selector: {other}")),
        };
        let mut reqs = Vec::new();
        if let Some(ml) = obj.get("matchLabels").and_then(Value::as_object) {
            let mut keys: Vec<&String> = ml.keys().collect();
            keys.sort();
            for k in keys {
                let val = ml[k.as_str()].as_str().unwrap_or_default().to_string();
                reqs.push(Requirement::new(k, Operator::Equals, vec![val])?);
            }
        }
        if let Some(exprs) = obj.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                let op_str = e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let op = match op_str {
                    "In" => Operator::In,
                    "NotIn" => Operator::NotIn,
                    "Exists" => Operator::Exists,
                    "DoesNotExist" => Operator::DoesNotExist,
                    other => {
                        return Err(format!(
                            "{} is not a valid label selector operator",
                            go_quote(other)
                        ));
                    }
                };
                let values: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                reqs.push(Requirement::new(key, op, values)?);
            }
        }
        Ok(LabelSelector::from_requirements(reqs))
    }

    /// `labels.SelectorFromSet`: an unvalidated equality selector (Service/RC selectors).
    /// An empty map gives everything.
    pub fn from_map(m: &Map<String, Value>) -> LabelSelector {
        let reqs = m
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                op: Operator::Equals,
                values: vec![
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                ],
            })
            .collect();
        LabelSelector::from_requirements(reqs)
    }
}

#[cfg(test)]
#[path = "label_tests.rs"]
mod tests;
