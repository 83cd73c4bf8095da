//! Service strategy: `SetDefaults_Service` (type, sessionAffinity, port protocol/targetPort,
//! traffic policies), IP family defaults on create, allocated values kept on update, validation.

use super::json::{
    arr_at, as_obj, at, child, default, default_str, each_obj_mut, i64_at, obj_at, str_at,
};
use super::meta::{NameRule, validate_labels, validate_object_meta};
use super::validation::{
    immutable, invalids, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_port_name, is_valid_port_num,
};
use crate::status::FieldError;
use serde_json::{Value, json};
use std::collections::HashSet;

pub fn defaults(obj: &mut Value) {
    let spec = child(as_obj(obj), "spec");
    default_str(spec, "sessionAffinity", "None");
    match spec.get("sessionAffinity").and_then(Value::as_str) {
        Some("None") => {
            spec.remove("sessionAffinityConfig");
        }
        Some("ClientIP") => {
            let cfg = child(child(spec, "sessionAffinityConfig"), "clientIP");
            default(cfg, "timeoutSeconds", json!(10800));
        }
        _ => {}
    }
    default_str(spec, "type", "ClusterIP");
    for p in each_obj_mut(spec, "ports") {
        default_str(p, "protocol", "TCP");
        let tp = p.get("targetPort");
        if tp.is_none_or(|t| t.is_null() || *t == json!(0) || *t == json!("")) {
            let port = p.get("port").cloned().unwrap_or(json!(0));
            p.insert("targetPort".into(), port);
        }
    }
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let external_ips = spec
        .get("externalIPs")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if ty == "LoadBalancer" || ty == "NodePort" || (ty == "ClusterIP" && external_ips) {
        default_str(spec, "externalTrafficPolicy", "Cluster");
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        default(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
}

/// Create-time values of the Service REST storage (single-stack IPv4 cluster): status and IP
/// families. Cluster IPs and node ports are allocated by the core.
pub fn prepare_create(obj: &mut Value) {
    let m = as_obj(obj);
    m.insert("status".into(), json!({"loadBalancer": {}}));
    let spec = child(m, "spec");
    if spec.get("type").and_then(Value::as_str) == Some("ExternalName") {
        return;
    }
    let headless = spec.get("clusterIP").and_then(Value::as_str) == Some("None");
    let selectorless = spec
        .get("selector")
        .and_then(Value::as_object)
        .is_none_or(|s| s.is_empty());
    let policy = if headless && selectorless {
        "RequireDualStack"
    } else {
        "SingleStack"
    };
    default(spec, "ipFamilyPolicy", json!(policy));
    default(spec, "ipFamilies", json!(["IPv4"]));
}

/// Keeps the allocated cluster IPs, node ports and IP families when an update leaves them empty.
pub fn prepare_update(new: &mut Value, old: &Value) {
    drop_type_dependent_fields(new, old);
    let same_kind =
        str_at(new, "spec/type") != "ExternalName" && str_at(old, "spec/type") != "ExternalName";
    if let Some(st) = old.get("status") {
        as_obj(new).insert("status".into(), st.clone());
    }
    if !same_kind {
        return;
    }
    let spec = child(as_obj(new), "spec");
    for k in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
        if let Some(v) = at(old, &format!("spec/{k}")) {
            default(spec, k, v.clone());
            if k == "clusterIP" && spec.get(k).and_then(Value::as_str) == Some("") {
                spec.insert(k.into(), v.clone());
            }
        }
    }
    let old_ports = arr_at(old, "spec/ports").to_vec();
    // Node ports are kept only while the Service still needs them (patchAllocatedValues).
    let needs = |ty: &str| matches!(ty, "NodePort" | "LoadBalancer");
    let new_type = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !needs(&new_type) || !needs(str_at(old, "spec/type")) {
        return;
    }
    for p in each_obj_mut(spec, "ports") {
        if p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) == 0 {
            let same = old_ports
                .iter()
                .find(|o| o.get("port") == p.get("port") && o.get("protocol") == p.get("protocol"));
            if let Some(np) = same
                .and_then(|o| o.get("nodePort"))
                .filter(|v| !v.is_null())
            {
                p.insert("nodePort".into(), np.clone());
            }
        }
    }
}

/// `dropTypeDependentFields`: when the type no longer needs node ports, the unchanged ones of
/// the old Service (and its health check node port) are dropped instead of failing validation.
fn drop_type_dependent_fields(new: &mut Value, old: &Value) {
    let needs = |v: &Value| matches!(str_at(v, "spec/type"), "NodePort" | "LoadBalancer");
    if !needs(old) || needs(new) {
        return;
    }
    let ports = |v: &Value| {
        arr_at(v, "spec/ports")
            .iter()
            .map(|p| p.get("nodePort").cloned())
            .collect::<Vec<_>>()
    };
    let unchanged = ports(new) == ports(old);
    let spec = child(as_obj(new), "spec");
    if unchanged {
        for p in each_obj_mut(spec, "ports") {
            p.remove("nodePort");
        }
    }
    if spec.get("healthCheckNodePort") == old.pointer("/spec/healthCheckNodePort") {
        spec.remove("healthCheckNodePort");
    }
}

pub fn validate(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Dns1035);
    let ty = str_at(obj, "spec/type");
    let headless = str_at(obj, "spec/clusterIP") == "None";
    let ports = arr_at(obj, "spec/ports");
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    match ty {
        "LoadBalancer" | "NodePort" if headless => {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                "None",
                format!("may not be set to 'None' for {ty} services"),
            ));
        }
        "ExternalName" => {
            if !arr_at(obj, "spec/clusterIPs").is_empty() {
                errs.push(FieldError::forbidden(
                    "spec.clusterIPs",
                    "may not be set for ExternalName services",
                ));
            }
            let cname = str_at(obj, "spec/externalName").trim_end_matches('.');
            if cname.is_empty() {
                errs.push(FieldError::required("spec.externalName", ""));
            } else {
                errs.extend(invalids(
                    "spec.externalName",
                    &json!(cname),
                    is_dns1123_subdomain(cname),
                ));
            }
        }
        _ => {}
    }
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        let name = str_at(p, "name");
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(format!("{pp}.name"), ""));
        } else if !name.is_empty() {
            errs.extend(invalids(
                &format!("{pp}.name"),
                &json!(name),
                is_dns1123_label(name),
            ));
            if !names.insert(name) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), name));
            }
        }
        let port = i64_at(p, "port").unwrap_or(0);
        errs.extend(invalids(
            &format!("{pp}.port"),
            &json!(port),
            is_valid_port_num(port),
        ));
        match str_at(p, "protocol") {
            "" => errs.push(FieldError::required(format!("{pp}.protocol"), "")),
            "TCP" | "UDP" | "SCTP" => {}
            o => errs.push(FieldError::not_supported(
                format!("{pp}.protocol"),
                o,
                &["SCTP", "TCP", "UDP"],
            )),
        }
        match at(p, "targetPort") {
            Some(Value::String(s)) => errs.extend(invalids(
                &format!("{pp}.targetPort"),
                &json!(s),
                is_valid_port_name(s),
            )),
            Some(v) => {
                let n = v.as_i64().unwrap_or(0);
                errs.extend(invalids(
                    &format!("{pp}.targetPort"),
                    &json!(n),
                    is_valid_port_num(n),
                ));
            }
            None => {}
        }
        if let Some(ap) = at(p, "appProtocol").and_then(Value::as_str) {
            errs.extend(invalids(
                &format!("{pp}.appProtocol"),
                &json!(ap),
                is_qualified_name(ap),
            ));
        }
    }
    errs.extend(validate_labels(
        obj_at(obj, "spec/selector"),
        "spec.selector",
    ));
    match str_at(obj, "spec/sessionAffinity") {
        "" => errs.push(FieldError::required("spec.sessionAffinity", "")),
        "ClientIP" | "None" => {}
        o => errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            o,
            &["ClientIP", "None"],
        )),
    }
    match ty {
        "" => errs.push(FieldError::required("spec.type", "")),
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        o => errs.push(FieldError::not_supported(
            "spec.type",
            o,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if i64_at(p, "nodePort").unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    errs
}

pub fn validate_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = vec![];
    let external =
        str_at(new, "spec/type") == "ExternalName" || str_at(old, "spec/type") == "ExternalName";
    let old_ip = str_at(old, "spec/clusterIP");
    if !external && !old_ip.is_empty() {
        let new_ip = str_at(new, "spec/clusterIP");
        if new_ip != old_ip {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                new_ip,
                "may not change once set",
            ));
        }
    }
    errs.extend(
        immutable(
            "spec.loadBalancerClass",
            at(new, "spec/loadBalancerClass"),
            at(old, "spec/loadBalancerClass"),
        )
        .into_iter()
        .filter(|_| at(old, "spec/loadBalancerClass").is_some()),
    );
    errs.extend(validate(new));
    errs
}
