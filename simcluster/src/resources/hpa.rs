//! HorizontalPodAutoscaler (autoscaling/v2) defaults and validation, and the `Scale` subresource
//! validation.

use super::json::{arr_at, as_obj, at, child, default, i64_at, str_at};
use super::meta::{NameRule, validate_name, validate_object_meta};
use super::validation::invalids;
use crate::status::FieldError;
use serde_json::{Map, Value, json};

fn rules_defaults(r: &mut Map<String, Value>, up: bool) {
    default(
        r,
        "stabilizationWindowSeconds",
        json!(if up { 0 } else { 300 }),
    );
    default(r, "selectPolicy", json!("Max"));
    let policies = if up {
        json!([{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}])
    } else {
        json!([{"type": "Percent", "value": 100, "periodSeconds": 15}])
    };
    if r.get("policies")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        r.insert("policies".into(), policies);
    }
}

/// `SetDefaults_HorizontalPodAutoscaler` (v2): minReplicas 1, a CPU 80% metric, behavior rules.
pub fn defaults(obj: &mut Value) {
    let spec = child(as_obj(obj), "spec");
    default(spec, "minReplicas", json!(1));
    if spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    if let Some(b) = spec.get_mut("behavior").and_then(Value::as_object_mut) {
        rules_defaults(child(b, "scaleUp"), true);
        rules_defaults(child(b, "scaleDown"), false);
    }
}

pub const INITIAL_STATUS: &str = r#"{"desiredReplicas": 0, "currentMetrics": null}"#;

fn target(t: Option<&Value>, f: &str, errs: &mut Vec<FieldError>) {
    let Some(t) = t else {
        errs.push(FieldError::required(f, ""));
        return;
    };
    match str_at(t, "type") {
        "Utilization" | "Value" | "AverageValue" => {}
        "" => errs.push(FieldError::required(
            format!("{f}.type"),
            "must specify a metric target type",
        )),
        o => errs.push(FieldError::invalid(
            format!("{f}.type"),
            o,
            "must be either Utilization, Value, or AverageValue",
        )),
    }
    if let Some(u) = i64_at(t, "averageUtilization").filter(|u| *u < 1) {
        errs.push(FieldError::invalid(
            format!("{f}.averageUtilization"),
            u,
            "must be greater than 0",
        ));
    }
}

fn metrics(spec: &Value, errs: &mut Vec<FieldError>) {
    for (i, m) in arr_at(spec, "metrics").iter().enumerate() {
        let p = format!("spec.metrics[{i}]");
        let ty = str_at(m, "type");
        let key = match ty {
            "Object" => "object",
            "Pods" => "pods",
            "Resource" => "resource",
            "External" => "external",
            "ContainerResource" => "containerResource",
            "" => {
                errs.push(FieldError::required(
                    format!("{p}.type"),
                    "must specify a metric source type",
                ));
                continue;
            }
            o => {
                errs.push(FieldError::not_supported(
                    format!("{p}.type"),
                    o,
                    &[
                        "ContainerResource",
                        "External",
                        "Object",
                        "Pods",
                        "Resource",
                    ],
                ));
                continue;
            }
        };
        let Some(src) = at(m, key) else {
            errs.push(FieldError::required(format!("{p}.{key}"), format!("must populate information for the given metric source (only allowed when type is {ty})")));
            continue;
        };
        if matches!(key, "resource" | "containerResource") && str_at(src, "name").is_empty() {
            errs.push(FieldError::required(
                format!("{p}.{key}.name"),
                "must specify a resource name",
            ));
        }
        target(at(src, "target"), &format!("{p}.{key}.target"), errs);
    }
}

pub fn validate(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    let min = i64_at(obj, "spec/minReplicas");
    let max = i64_at(obj, "spec/maxReplicas").unwrap_or(0);
    if let Some(m) = min.filter(|m| *m < 1) {
        errs.push(FieldError::invalid(
            "spec.minReplicas",
            m,
            "must be greater than or equal to 1",
        ));
    }
    if max < 1 {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            max,
            "must be greater than 0",
        ));
    }
    if min.is_some_and(|m| max < m) {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            max,
            "must be greater than or equal to `minReplicas`",
        ));
    }
    let r = "spec.scaleTargetRef";
    let kind = str_at(obj, "spec/scaleTargetRef/kind");
    if kind.is_empty() {
        errs.push(FieldError::required(format!("{r}.kind"), ""));
    } else {
        errs.extend(invalids(
            &format!("{r}.kind"),
            &json!(kind),
            validate_name(NameRule::PathSegment, kind, false),
        ));
    }
    let name = str_at(obj, "spec/scaleTargetRef/name");
    if name.is_empty() {
        errs.push(FieldError::required(format!("{r}.name"), ""));
    } else {
        errs.extend(invalids(
            &format!("{r}.name"),
            &json!(name),
            validate_name(NameRule::PathSegment, name, false),
        ));
    }
    let av = str_at(obj, "spec/scaleTargetRef/apiVersion");
    let parts: Vec<&str> = av.split('/').collect();
    if parts.len() > 2 || (parts.len() == 2 && (parts[0].is_empty() || parts[1].is_empty())) {
        errs.push(FieldError::invalid(
            format!("{r}.apiVersion"),
            av,
            format!("unexpected GroupVersion string: {av}"),
        ));
    } else if parts.len() != 2 {
        errs.push(FieldError::invalid(
            format!("{r}.apiVersion"),
            av,
            "apiVersion must specify API group",
        ));
    }
    let empty = json!({});
    metrics(at(obj, "spec").unwrap_or(&empty), &mut errs);
    errs
}

/// `ValidateScale` of the `/scale` subresource.
pub fn validate_scale(scale: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(scale, NameRule::Subdomain);
    if let Some(r) = i64_at(scale, "spec/replicas").filter(|r| *r < 0) {
        errs.push(FieldError::invalid(
            "spec.replicas",
            r,
            "must be greater than or equal to 0",
        ));
    }
    errs
}
