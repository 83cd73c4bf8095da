//! Pod spec validation of volumes and containers (`ValidateVolumes`, `validateContainers`: names,
//! images, ports, env, volume mounts, pull policy, resources, termination message policy).

use super::json::{arr_at, at, i64_at, obj_at, str_at};
use super::quantity::Quantity;
use super::validation::{
    invalids, is_dns1123_label, is_env_var_name, is_qualified_name, is_valid_port_name,
    is_valid_port_num,
};
use crate::status::FieldError;
use serde_json::Value;
use std::collections::HashSet;

const VOLUME_TYPES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "quobyte",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

pub(super) fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

pub(super) fn validate_volumes(
    spec: &Value,
    f: &str,
    errs: &mut Vec<FieldError>,
) -> HashSet<String> {
    let mut names = HashSet::new();
    for (i, vol) in arr_at(spec, "volumes").iter().enumerate() {
        let p = format!("{f}[{i}]");
        let mut el = vec![];
        let kinds: Vec<&&str> = VOLUME_TYPES
            .iter()
            .filter(|k| at(vol, k).is_some())
            .collect();
        if kinds.is_empty() {
            el.push(FieldError::required(&p, "must specify a volume type"));
        }
        for k in kinds.iter().skip(1) {
            el.push(FieldError::forbidden(
                format!("{p}.{k}"),
                "may not specify more than 1 volume type",
            ));
        }
        for (k, req) in [
            ("configMap", "name"),
            ("secret", "secretName"),
            ("persistentVolumeClaim", "claimName"),
            ("hostPath", "path"),
            ("nfs", "server"),
            ("nfs", "path"),
            ("csi", "driver"),
            ("gitRepo", "repository"),
        ] {
            if at(vol, k).is_some() && str_at(vol, &format!("{k}/{req}")).is_empty() {
                el.push(FieldError::required(format!("{p}.{k}.{req}"), ""));
            }
        }
        for k in ["configMap", "secret", "downwardAPI", "projected"] {
            if let Some(m) =
                i64_at(vol, &format!("{k}/defaultMode")).filter(|m| !(0..=0o777).contains(m))
            {
                el.push(FieldError::invalid(
                    format!("{p}.{k}.defaultMode"),
                    m,
                    "must be a number between 0 and 0777 (octal), both inclusive",
                ));
            }
        }
        let name = str_at(vol, "name");
        if name.is_empty() {
            el.push(FieldError::required(format!("{p}.name"), ""));
        } else {
            el.extend(invalids(
                &format!("{p}.name"),
                &s(name),
                is_dns1123_label(name),
            ));
        }
        if names.contains(name) {
            el.push(FieldError::duplicate(format!("{p}.name"), name));
        }
        if el.is_empty() {
            names.insert(name.to_string());
        }
        errs.extend(el);
    }
    names
}

fn validate_ports(c: &Value, p: &str, errs: &mut Vec<FieldError>) {
    let mut names = HashSet::new();
    for (i, port) in arr_at(c, "ports").iter().enumerate() {
        let ip = format!("{p}.ports[{i}]");
        let name = str_at(port, "name");
        if !name.is_empty() {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                errs.extend(invalids(&format!("{ip}.name"), &s(name), msgs));
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(format!("{ip}.name"), name));
            }
        }
        match i64_at(port, "containerPort").unwrap_or(0) {
            0 => errs.push(FieldError::required(format!("{ip}.containerPort"), "")),
            n => errs.extend(invalids(
                &format!("{ip}.containerPort"),
                &Value::from(n),
                is_valid_port_num(n),
            )),
        }
        if let Some(h) = i64_at(port, "hostPort").filter(|h| *h != 0) {
            errs.extend(invalids(
                &format!("{ip}.hostPort"),
                &Value::from(h),
                is_valid_port_num(h),
            ));
        }
        match str_at(port, "protocol") {
            "" => errs.push(FieldError::required(format!("{ip}.protocol"), "")),
            "TCP" | "UDP" | "SCTP" => {}
            other => errs.push(FieldError::not_supported(
                format!("{ip}.protocol"),
                other,
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
}

fn validate_env(c: &Value, p: &str, errs: &mut Vec<FieldError>) {
    for (i, e) in arr_at(c, "env").iter().enumerate() {
        let ip = format!("{p}.env[{i}]");
        let name = str_at(e, "name");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{ip}.name"), ""));
        }
        errs.extend(invalids(
            &format!("{ip}.name"),
            &s(name),
            is_env_var_name(name),
        ));
        if let Some(vf) = at(e, "valueFrom") {
            let n = [
                "fieldRef",
                "resourceFieldRef",
                "configMapKeyRef",
                "secretKeyRef",
                "fileKeyRef",
            ]
            .iter()
            .filter(|k| at(vf, k).is_some())
            .count();
            if !str_at(e, "value").is_empty() && n > 0 {
                errs.push(FieldError::invalid(
                    format!("{ip}.valueFrom"),
                    "",
                    "may not be specified when `value` is not empty",
                ));
            } else if n == 0 {
                errs.push(FieldError::invalid(format!("{ip}.valueFrom"), "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`"));
            } else if n > 1 {
                errs.push(FieldError::invalid(
                    format!("{ip}.valueFrom"),
                    "",
                    "may not have more than one field specified at a time",
                ));
            }
        }
    }
}

fn validate_resources(c: &Value, p: &str, errs: &mut Vec<FieldError>) {
    let rp = format!("{p}.resources");
    let std_name = |n: &str| {
        matches!(n, "cpu" | "memory" | "ephemeral-storage") || n.starts_with("hugepages-")
    };
    let parse = |v: &Value| v.as_str().and_then(|s| Quantity::parse(s).ok());
    let limits = obj_at(c, "resources/limits");
    for kind in ["limits", "requests"] {
        let Some(list) = obj_at(c, &format!("resources/{kind}")) else {
            continue;
        };
        let mut keys: Vec<&String> = list.keys().collect();
        keys.sort();
        for name in keys {
            let kp = format!("{rp}.{kind}[{name}]");
            if !name.contains('/') && !std_name(name) {
                errs.push(FieldError::invalid(
                    &kp,
                    s(name),
                    "must be a standard resource for containers",
                ));
            } else if name.contains('/') {
                errs.extend(invalids(&kp, &s(name), is_qualified_name(name)));
            }
            let Some(q) = parse(&list[name]) else {
                continue;
            };
            if q < Quantity::zero() {
                errs.push(FieldError::invalid(
                    &kp,
                    q.to_canonical_string(),
                    "must be greater than or equal to 0",
                ));
            }
            if kind == "requests" {
                let overcommit = std_name(name) && !name.starts_with("hugepages-");
                match limits.and_then(|l| l.get(name)).and_then(parse) {
                    Some(l) if q != l && !overcommit => errs.push(FieldError::invalid(
                        format!("{rp}.requests"),
                        q.to_canonical_string(),
                        format!("must be equal to {name} limit of {l}"),
                    )),
                    Some(l) if q > l => errs.push(FieldError::invalid(
                        format!("{rp}.requests"),
                        q.to_canonical_string(),
                        format!("must be less than or equal to {name} limit of {l}"),
                    )),
                    None if !overcommit => errs.push(FieldError::required(
                        format!("{rp}.limits"),
                        "Limit must be set for non overcommitable resources",
                    )),
                    _ => {}
                }
            }
        }
    }
}

fn validate_container_common(
    c: &Value,
    p: &str,
    vols: &HashSet<String>,
    errs: &mut Vec<FieldError>,
) {
    let name = str_at(c, "name");
    if name.is_empty() {
        errs.push(FieldError::required(format!("{p}.name"), ""));
    } else {
        errs.extend(invalids(
            &format!("{p}.name"),
            &s(name),
            is_dns1123_label(name),
        ));
    }
    validate_ports(c, p, errs);
    validate_env(c, p, errs);
    let mut mount_paths = HashSet::new();
    for (i, m) in arr_at(c, "volumeMounts").iter().enumerate() {
        let mp = format!("{p}.volumeMounts[{i}]");
        let mname = str_at(m, "name");
        if mname.is_empty() {
            errs.push(FieldError::required(format!("{mp}.name"), ""));
        }
        if !vols.contains(mname) {
            errs.push(FieldError::not_found(format!("{mp}.name"), mname));
        }
        let path = str_at(m, "mountPath");
        if path.is_empty() {
            errs.push(FieldError::required(format!("{mp}.mountPath"), ""));
        }
        if !mount_paths.insert(path) {
            errs.push(FieldError::invalid(
                format!("{mp}.mountPath"),
                path,
                "must be unique",
            ));
        }
    }
    match str_at(c, "imagePullPolicy") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(format!("{p}.imagePullPolicy"), "")),
        o => errs.push(FieldError::not_supported(
            format!("{p}.imagePullPolicy"),
            o,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    validate_resources(c, p, errs);
}

pub(super) fn validate_container_list(
    spec: &Value,
    key: &str,
    f: &str,
    vols: &HashSet<String>,
    seen: &mut HashSet<String>,
    errs: &mut Vec<FieldError>,
) {
    for (i, c) in arr_at(spec, key).iter().enumerate() {
        let p = format!("{f}.{key}[{i}]");
        validate_container_common(c, &p, vols, errs);
        let name = str_at(c, "name");
        if !seen.insert(name.to_string()) {
            errs.push(FieldError::duplicate(format!("{p}.name"), name));
        }
        if str_at(c, "image").is_empty() {
            errs.push(FieldError::required(format!("{p}.image"), ""));
        }
        match str_at(c, "terminationMessagePolicy") {
            "File" | "FallbackToLogsOnError" => {}
            "" => errs.push(FieldError::required(
                format!("{p}.terminationMessagePolicy"),
                "must be 'File' or 'FallbackToLogsOnError'",
            )),
            o => errs.push(FieldError::not_supported(
                format!("{p}.terminationMessagePolicy"),
                o,
                &["File", "FallbackToLogsOnError"],
            )),
        }
        if key == "containers"
            && at(c, "restartPolicy").is_some()
            && at(c, "restartPolicyRules").is_none()
        {
            errs.push(FieldError::forbidden(
                format!("{p}.restartPolicy"),
                "may not be set for non-init containers without restartPolicyRules",
            ));
        }
        if key == "containers"
            && i64_at(c, "livenessProbe/successThreshold").is_some_and(|n| n != 1)
        {
            errs.push(FieldError::invalid(
                format!("{p}.livenessProbe.successThreshold"),
                i64_at(c, "livenessProbe/successThreshold").unwrap_or(0),
                "must be 1",
            ));
        }
    }
}
