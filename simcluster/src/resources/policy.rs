//! LimitRange (`SetDefaults_LimitRangeItem`, min/default/max consistency) and ResourceQuota
//! (quantity values) defaults and validation.

use super::json::{arr_at, as_obj, child, each_obj_mut, obj_at, str_at};
use super::meta::{NameRule, validate_object_meta};
use super::quantity::Quantity;
use crate::status::FieldError;
use serde_json::{Map, Value};

/// Container items: default ← max, defaultRequest ← default, defaultRequest ← min.
pub fn limit_range_defaults(obj: &mut Value) {
    let spec = child(as_obj(obj), "spec");
    for item in each_obj_mut(spec, "limits") {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let get = |item: &Map<String, Value>, k: &str| {
            item.get(k)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let mut default = get(item, "default");
        let mut request = get(item, "defaultRequest");
        for (k, v) in get(item, "max") {
            default.entry(k).or_insert(v);
        }
        for (k, v) in default.clone() {
            request.entry(k).or_insert(v);
        }
        for (k, v) in get(item, "min") {
            request.entry(k).or_insert(v);
        }
        for (k, m) in [("default", default), ("defaultRequest", request)] {
            if m.is_empty() {
                item.remove(k);
            } else {
                item.insert(k.into(), Value::Object(m));
            }
        }
    }
}

fn quantities(m: Option<&Map<String, Value>>) -> Vec<(String, Quantity)> {
    let mut v: Vec<(String, Quantity)> = m
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(v.as_str()?).ok()?)))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

pub fn validate_limit_range(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    for (i, item) in arr_at(obj, "spec/limits").iter().enumerate() {
        let p = format!("spec.limits[{i}]");
        match str_at(item, "type") {
            "Container" | "Pod" | "PersistentVolumeClaim" => {}
            "" => errs.push(FieldError::required(format!("{p}.type"), "")),
            _ => {}
        }
        let q = |k: &str| quantities(obj_at(item, k));
        let (min, max, def, req) = (q("min"), q("max"), q("default"), q("defaultRequest"));
        let find = |l: &[(String, Quantity)], k: &str| {
            l.iter().find(|(n, _)| n == k).map(|(_, q)| q.clone())
        };
        let mut keys: Vec<String> = [&min, &max, &def, &req]
            .iter()
            .flat_map(|l| l.iter().map(|(k, _)| k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (mn, mx, d, r) = (
                find(&min, &k),
                find(&max, &k),
                find(&def, &k),
                find(&req, &k),
            );
            let mut check = |field: &str, val: &Option<Quantity>, cond: bool, msg: String| {
                if cond {
                    let v = val
                        .as_ref()
                        .map(Quantity::to_canonical_string)
                        .unwrap_or_default();
                    errs.push(FieldError::invalid(format!("{p}.{field}[{k}]"), v, msg));
                }
            };
            if let (Some(a), Some(b)) = (&mn, &mx) {
                check(
                    "min",
                    &mn,
                    a > b,
                    format!("min value {a} is greater than max value {b}"),
                );
            }
            if let (Some(a), Some(b)) = (&mn, &r) {
                check(
                    "defaultRequest",
                    &r,
                    a > b,
                    format!("min value {a} is greater than default request value {b}"),
                );
            }
            if let (Some(a), Some(b)) = (&r, &mx) {
                check(
                    "defaultRequest",
                    &r,
                    a > b,
                    format!("default request value {a} is greater than max value {b}"),
                );
            }
            if let (Some(a), Some(b)) = (&r, &d) {
                check(
                    "defaultRequest",
                    &r,
                    a > b,
                    format!("default request value {a} is greater than default limit value {b}"),
                );
            }
            if let (Some(a), Some(b)) = (&mn, &d) {
                check(
                    "default",
                    &mn,
                    a > b,
                    format!("min value {a} is greater than default value {b}"),
                );
            }
            if let (Some(a), Some(b)) = (&d, &mx) {
                check(
                    "default",
                    &mx,
                    a > b,
                    format!("default value {a} is greater than max value {b}"),
                );
            }
        }
    }
    errs
}

pub fn validate_resource_quota(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    for (k, v) in quantities(obj_at(obj, "spec/hard")) {
        if v < Quantity::zero() {
            errs.push(FieldError::invalid(
                format!("spec.hard[{k}]"),
                v.to_canonical_string(),
                "must be greater than or equal to 0",
            ));
        }
    }
    for s in arr_at(obj, "spec/scopes") {
        let s = s.as_str().unwrap_or("");
        let ok = [
            "Terminating",
            "NotTerminating",
            "BestEffort",
            "NotBestEffort",
            "PriorityClass",
            "CrossNamespacePodAffinity",
            "VolumeAttributesClass",
        ];
        if !ok.contains(&s) {
            errs.push(FieldError::invalid("spec.scopes", s, "unsupported scope"));
        }
    }
    errs
}
