//! Resource quantities as the apiserver stores them: every quantity field of a body is rewritten
//! to `Quantity.String()` (e.g. cpu "1000m" -> "1", memory 1073741824 -> "1Gi" only when written
//! in that format, numbers -> strings). Unparseable values are left for `decode_error`.

use super::quantity::Quantity;
use serde_json::Value;

fn one(v: &mut Value) {
    let parsed = match v {
        Value::String(s) => Quantity::parse(s.trim()).ok(),
        Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
        _ => None,
    };
    if let Some(q) = parsed {
        *v = Value::String(q.to_canonical_string());
    }
}

fn list(v: Option<&mut Value>) {
    if let Some(m) = v.and_then(Value::as_object_mut) {
        m.values_mut().for_each(one);
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut cur = v;
    for k in path.split('/') {
        cur = cur.get_mut(k)?;
    }
    Some(cur)
}

fn each<'a>(v: &'a mut Value, key: &str) -> impl Iterator<Item = &'a mut Value> {
    v.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|a| a.iter_mut())
}

fn requirements(r: Option<&mut Value>) {
    if let Some(r) = r {
        list(r.get_mut("limits"));
        list(r.get_mut("requests"));
    }
}

fn divisor(item: &mut Value) {
    if let Some(d) = at_mut(item, "resourceFieldRef/divisor") {
        one(d);
    }
}

/// A pod spec (also of templates).
pub fn pod_spec(spec: &mut Value) {
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        for c in each(spec, key) {
            requirements(c.get_mut("resources"));
            for e in each(c, "env") {
                if let Some(vf) = e.get_mut("valueFrom") {
                    divisor(vf);
                }
            }
        }
    }
    list(spec.get_mut("overhead"));
    requirements(spec.get_mut("resources"));
    for vol in each(spec, "volumes") {
        if let Some(s) = at_mut(vol, "emptyDir/sizeLimit") {
            one(s);
        }
        if let Some(d) = vol.get_mut("downwardAPI") {
            each(d, "items").for_each(divisor);
        }
        if let Some(p) = vol.get_mut("projected") {
            for src in each(p, "sources") {
                if let Some(d) = src.get_mut("downwardAPI") {
                    each(d, "items").for_each(divisor);
                }
            }
        }
        if let Some(t) = at_mut(vol, "ephemeral/volumeClaimTemplate/spec") {
            requirements(t.get_mut("resources"));
        }
    }
}

/// All quantity fields of the kinds that have some.
pub fn quantities(group: &str, kind: &str, obj: &mut Value) {
    match (group, kind) {
        ("", "Pod") => {
            if let Some(s) = obj.get_mut("spec") {
                pod_spec(s);
            }
        }
        ("", "PodTemplate") => {
            if let Some(s) = at_mut(obj, "template/spec") {
                pod_spec(s);
            }
        }
        ("", "PersistentVolumeClaim") => {
            requirements(at_mut(obj, "spec/resources"));
            list(at_mut(obj, "status/capacity"));
            list(at_mut(obj, "status/allocatedResources"));
        }
        ("", "PersistentVolume") => list(at_mut(obj, "spec/capacity")),
        ("", "ResourceQuota") => {
            list(at_mut(obj, "spec/hard"));
            list(at_mut(obj, "status/hard"));
            list(at_mut(obj, "status/used"));
        }
        ("", "LimitRange") => {
            if let Some(spec) = obj.get_mut("spec") {
                for item in each(spec, "limits") {
                    for k in [
                        "max",
                        "min",
                        "default",
                        "defaultRequest",
                        "maxLimitRequestRatio",
                    ] {
                        list(item.get_mut(k));
                    }
                }
            }
        }
        ("", "Node") => {
            list(at_mut(obj, "status/capacity"));
            list(at_mut(obj, "status/allocatable"));
        }
        ("autoscaling", "HorizontalPodAutoscaler") => {
            if let Some(spec) = obj.get_mut("spec") {
                for m in each(spec, "metrics") {
                    if let Some(o) = m.as_object_mut() {
                        for src in o.values_mut().filter(|v| v.is_object()) {
                            for k in ["value", "averageValue"] {
                                if let Some(v) = at_mut(src, &format!("target/{k}")) {
                                    one(v);
                                }
                            }
                        }
                    }
                }
            }
        }
        ("batch", "CronJob") => {
            if let Some(s) = at_mut(obj, "spec/jobTemplate/spec/template/spec") {
                pod_spec(s);
            }
        }
        _ => {
            if let Some(s) = at_mut(obj, "spec/template/spec") {
                pod_spec(s);
            }
            if let Some(spec) = obj.get_mut("spec") {
                for t in each(spec, "volumeClaimTemplates") {
                    requirements(at_mut(t, "spec/resources"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn pod_quantities_are_canonical() {
        let mut pod = json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1000m", "memory": 1073741824}, "requests": {"cpu": "0.5"}}}]}});
        super::quantities("", "Pod", &mut pod);
        assert_eq!(
            pod["spec"]["containers"][0]["resources"],
            json!({"limits": {"cpu": "1", "memory": "1073741824"}, "requests": {"cpu": "500m"}})
        );
    }
}
