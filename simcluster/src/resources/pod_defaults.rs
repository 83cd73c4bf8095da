//! Pod scheme defaulting (`SetDefaults_Pod`, `SetDefaults_PodSpec`, containers, volumes, probes),
//! the pod admission mutations (ServiceAccount, DefaultTolerationSeconds, Priority).

use super::json::{as_obj, child, default, default_str, each_obj_mut, empty_str, missing};
use rand::Rng;
use serde_json::{Map, Value, json};

pub const SA_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `utilrand.String(n)` with the apiserver's alphabet (used for generated names).
pub fn random_suffix(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| NAME_ALPHABET[rng.random_range(0..NAME_ALPHABET.len())] as char)
        .collect()
}

/// The tag of an image reference as `parsers.ParseImageName` sees it: "latest" when there is
/// neither tag nor digest, "" when the reference does not parse.
fn image_tag(image: &str) -> String {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    // The first component is a registry host when it has a '.' or ':' or is localhost.
    let path = match repo.split_once('/') {
        Some((host, p)) if host.contains('.') || host.contains(':') || host == "localhost" => p,
        _ => repo,
    };
    let path_ok = !path.is_empty()
        && path.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.as_bytes()[0].is_ascii_alphanumeric()
        });
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    });
    if !path_ok || !tag_ok || digest.is_some_and(|d| !d.contains(':')) {
        return String::new();
    }
    match (tag, digest) {
        (Some(t), _) => t.to_string(),
        (None, Some(_)) => String::new(),
        (None, None) => "latest".into(),
    }
}

fn probe_defaults(p: &mut Map<String, Value>) {
    default(p, "timeoutSeconds", json!(1));
    default(p, "periodSeconds", json!(10));
    default(p, "successThreshold", json!(1));
    default(p, "failureThreshold", json!(3));
    handler_defaults(p);
}

fn handler_defaults(h: &mut Map<String, Value>) {
    if let Some(g) = h.get_mut("httpGet").and_then(Value::as_object_mut) {
        default_str(g, "path", "/");
        default_str(g, "scheme", "HTTP");
    }
}

fn field_ref_defaults(v: &mut Map<String, Value>) {
    if let Some(f) = v.get_mut("fieldRef").and_then(Value::as_object_mut) {
        default_str(f, "apiVersion", "v1");
    }
}

/// `SetDefaults_Container` plus the defaults of its nested types.
pub fn container_defaults(c: &mut Map<String, Value>) {
    if empty_str(c, "imagePullPolicy") {
        let img = c.get("image").and_then(Value::as_str).unwrap_or("");
        let pol = if image_tag(img) == "latest" {
            "Always"
        } else {
            "IfNotPresent"
        };
        c.insert("imagePullPolicy".into(), json!(pol));
    }
    default_str(c, "terminationMessagePath", "/dev/termination-log");
    default_str(c, "terminationMessagePolicy", "File");
    default(c, "resources", json!({}));
    for p in each_obj_mut(c, "ports") {
        default_str(p, "protocol", "TCP");
    }
    for e in each_obj_mut(c, "env") {
        if let Some(vf) = e.get_mut("valueFrom").and_then(Value::as_object_mut) {
            field_ref_defaults(vf);
        }
    }
    for k in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(k).and_then(Value::as_object_mut) {
            probe_defaults(p);
        }
    }
    if let Some(l) = c.get_mut("lifecycle").and_then(Value::as_object_mut) {
        for k in ["postStart", "preStop"] {
            if let Some(h) = l.get_mut(k).and_then(Value::as_object_mut) {
                handler_defaults(h);
            }
        }
    }
}

/// `SetDefaults_Volume` and the volume source defaults (modes 0644, token expiry, field refs).
pub fn volume_defaults(v: &mut Map<String, Value>) {
    let has_source = v.iter().any(|(k, val)| k != "name" && !val.is_null());
    if !has_source {
        v.insert("emptyDir".into(), json!({}));
    }
    for k in ["secret", "configMap", "downwardAPI", "projected"] {
        if let Some(s) = v.get_mut(k).and_then(Value::as_object_mut) {
            default(s, "defaultMode", json!(420));
        }
    }
    if let Some(h) = v.get_mut("hostPath").and_then(Value::as_object_mut) {
        default(h, "type", json!(""));
    }
    if let Some(d) = v.get_mut("downwardAPI").and_then(Value::as_object_mut) {
        each_obj_mut(d, "items").for_each(field_ref_defaults);
    }
    if let Some(p) = v.get_mut("projected").and_then(Value::as_object_mut) {
        for s in each_obj_mut(p, "sources") {
            if let Some(t) = s
                .get_mut("serviceAccountToken")
                .and_then(Value::as_object_mut)
            {
                default(t, "expirationSeconds", json!(3600));
            }
            if let Some(d) = s.get_mut("downwardAPI").and_then(Value::as_object_mut) {
                each_obj_mut(d, "items").for_each(field_ref_defaults);
            }
        }
    }
    for k in ["iscsi", "rbd", "azureDisk", "scaleIO"] {
        if let Some(s) = v.get_mut(k).and_then(Value::as_object_mut) {
            match k {
                "iscsi" => default_str(s, "iscsiInterface", "default"),
                "rbd" => {
                    default_str(s, "pool", "rbd");
                    default_str(s, "user", "admin");
                    default_str(s, "keyring", "/etc/ceph/keyring");
                }
                "azureDisk" => {
                    default(s, "cachingMode", json!("ReadWrite"));
                    default(s, "fsType", json!("ext4"));
                    default(s, "readOnly", json!(false));
                    default(s, "kind", json!("Shared"));
                }
                _ => {
                    default_str(s, "storageMode", "ThinProvisioned");
                    default_str(s, "fsType", "xfs");
                }
            }
        }
    }
}

/// `SetDefaults_PodSpec` (also used for pod templates) with the container and volume defaults.
/// `is_pod` adds the pod-only defaults of `SetDefaults_Pod`.
pub fn pod_spec_defaults(spec: &mut Map<String, Value>, is_pod: bool) {
    default_str(spec, "dnsPolicy", "ClusterFirst");
    default_str(spec, "restartPolicy", "Always");
    default(spec, "securityContext", json!({}));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default_str(spec, "schedulerName", "default-scheduler");
    // v1 conversion: serviceAccount is a deprecated alias of serviceAccountName.
    if empty_str(spec, "serviceAccountName") && !empty_str(spec, "serviceAccount") {
        let sa = spec["serviceAccount"].clone();
        spec.insert("serviceAccountName".into(), sa);
    }
    if !empty_str(spec, "serviceAccountName") {
        let sa = spec["serviceAccountName"].clone();
        spec.insert("serviceAccount".into(), sa);
    }
    let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
    for key in ["initContainers", "containers", "ephemeralContainers"] {
        for c in each_obj_mut(spec, key) {
            container_defaults(c);
            if is_pod && key != "ephemeralContainers" {
                requests_from_limits(c);
            }
            if is_pod && host_network {
                for p in each_obj_mut(c, "ports") {
                    if missing(p, "hostPort") || p["hostPort"] == json!(0) {
                        let cp = p.get("containerPort").cloned().unwrap_or(json!(0));
                        p.insert("hostPort".into(), cp);
                    }
                }
            }
        }
    }
    each_obj_mut(spec, "volumes").for_each(volume_defaults);
    if is_pod {
        default(spec, "enableServiceLinks", json!(true));
    }
}

/// Pods only: requests default to limits for every resource that has a limit.
fn requests_from_limits(c: &mut Map<String, Value>) {
    let res = child(c, "resources");
    let Some(limits) = res.get("limits").and_then(Value::as_object).cloned() else {
        return;
    };
    let req = child(res, "requests");
    for (k, v) in limits {
        req.entry(k).or_insert(v);
    }
}

/// Pod admission on create: ServiceAccount (name, token volume and mounts), DefaultTolerationSeconds
/// and Priority.
pub fn admit_pod_create(pod: &mut Value) {
    let spec = child(as_obj(pod), "spec");
    if empty_str(spec, "serviceAccountName") {
        spec.insert("serviceAccountName".into(), json!("default"));
    }
    let sa = spec["serviceAccountName"].clone();
    spec.insert("serviceAccount".into(), sa);
    if spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        mount_service_account_token(spec);
    }
    add_default_tolerations(spec);
    match spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
    {
        "system-node-critical" => default(spec, "priority", json!(2000001000)),
        "system-cluster-critical" => default(spec, "priority", json!(2000000000)),
        _ => default(spec, "priority", json!(0)),
    }
    default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
}

fn mount_service_account_token(spec: &mut Map<String, Value>) {
    let name = format!("kube-api-access-{}", random_suffix(5));
    let mut needed = false;
    for key in ["initContainers", "containers"] {
        for c in each_obj_mut(spec, key) {
            let has = c
                .get("volumeMounts")
                .and_then(Value::as_array)
                .is_some_and(|m| {
                    m.iter()
                        .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(SA_MOUNT_PATH))
                });
            if !has {
                needed = true;
                let mounts = c.entry("volumeMounts").or_insert(json!([]));
                if !mounts.is_array() {
                    *mounts = json!([]);
                }
                if let Some(a) = mounts.as_array_mut() {
                    a.push(json!({"name": name, "readOnly": true, "mountPath": SA_MOUNT_PATH}));
                }
            }
        }
    }
    if needed {
        let vols = spec.entry("volumes").or_insert(json!([]));
        if !vols.is_array() {
            *vols = json!([]);
        }
        if let Some(a) = vols.as_array_mut() {
            a.push(json!({"name": name, "projected": {"sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
            ], "defaultMode": 420}}));
        }
    }
}

fn add_default_tolerations(spec: &mut Map<String, Value>) {
    let tols = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let tolerates = |key: &str| {
        tols.iter().any(|t| {
            let k = t.get("key").and_then(Value::as_str).unwrap_or("");
            let e = t.get("effect").and_then(Value::as_str).unwrap_or("");
            (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
        })
    };
    let mut add = vec![];
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerates(key) {
            add.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}));
        }
    }
    if !add.is_empty() {
        let mut all = tols;
        all.extend(add);
        spec.insert("tolerations".into(), Value::Array(all));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_from_tag() {
        assert_eq!(image_tag("nginx:1.27"), "1.27");
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("nginx:latest"), "latest");
        assert_eq!(image_tag("registry.k8s.io/pause:3.10"), "3.10");
        assert_eq!(image_tag("localhost:5000/app"), "latest");
        assert_eq!(image_tag("busybox@sha256:abc"), "");
        assert_eq!(image_tag("Nginx"), "");
        assert_eq!(image_tag(""), "");
    }
}
