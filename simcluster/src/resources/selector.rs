//! `metav1.LabelSelector` helpers: validation (`ValidateLabelSelector`) and matching of a label set.

use super::json::{arr_at, obj_at, str_at};
use super::meta::validate_labels;
use super::validation::{invalids, is_qualified_name, is_valid_label_value};
use crate::status::FieldError;
use serde_json::{Map, Value};

pub fn validate(sel: Option<&Value>, f: &str) -> Vec<FieldError> {
    let Some(sel) = sel.filter(|s| !s.is_null()) else {
        return vec![];
    };
    let mut errs = validate_labels(obj_at(sel, "matchLabels"), &format!("{f}.matchLabels"));
    for (i, e) in arr_at(sel, "matchExpressions").iter().enumerate() {
        let p = format!("{f}.matchExpressions[{i}]");
        let values = arr_at(e, "values");
        match str_at(e, "operator") {
            "In" | "NotIn" if values.is_empty() => errs.push(FieldError::required(
                format!("{p}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(FieldError::forbidden(
                format!("{p}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            o => errs.push(FieldError::invalid(
                format!("{p}.operator"),
                o,
                "not a valid selector operator",
            )),
        }
        let key = str_at(e, "key");
        errs.extend(invalids(
            &format!("{p}.key"),
            &Value::String(key.into()),
            is_qualified_name(key),
        ));
        for (j, v) in values.iter().enumerate() {
            let s = v.as_str().unwrap_or("");
            errs.extend(invalids(
                &format!("{p}.values[{j}]"),
                v,
                is_valid_label_value(s),
            ));
        }
    }
    errs
}

/// True when the selector has neither matchLabels nor matchExpressions.
pub fn is_empty(sel: Option<&Value>) -> bool {
    sel.is_none_or(|s| {
        obj_at(s, "matchLabels").is_none_or(Map::is_empty)
            && arr_at(s, "matchExpressions").is_empty()
    })
}

/// Whether `labels` satisfy the selector (an empty selector matches everything).
pub fn matches(sel: Option<&Value>, labels: Option<&Map<String, Value>>) -> bool {
    let Some(sel) = sel else { return true };
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    for (k, v) in obj_at(sel, "matchLabels").into_iter().flatten() {
        if get(k) != v.as_str() {
            return false;
        }
    }
    for e in arr_at(sel, "matchExpressions") {
        let key = str_at(e, "key");
        let vals: Vec<&str> = arr_at(e, "values")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let ok = match str_at(e, "operator") {
            "In" => get(key).is_some_and(|v| vals.contains(&v)),
            "NotIn" => get(key).is_none_or(|v| !vals.contains(&v)),
            "Exists" => get(key).is_some(),
            "DoesNotExist" => get(key).is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}
