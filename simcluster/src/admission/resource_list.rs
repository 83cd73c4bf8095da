//! Resource lists (`corev1.ResourceList`) with the arithmetic of the quota helpers
//! (`quota.Add`, `SubtractWithNonNegativeResult`, `Mask`, `LessThanOrEqual`, ...) and the pod
//! request/limit aggregation of `resourcehelper.PodRequests` / `PodLimits`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::resources::Quantity;

/// Resource name → quantity, sorted by name (the order of the quota messages).
pub type ResourceList = BTreeMap<String, Quantity>;

/// Parse a JSON object of quantity strings; unparsable entries are skipped (validation has
/// already rejected them for stored objects).
pub fn parse(v: Option<&Value>) -> ResourceList {
    v.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(v.as_str()?).ok()?)))
        .collect()
}

/// The list as a JSON object of canonical quantity strings.
pub fn to_json(l: &ResourceList) -> Value {
    Value::Object(
        l.iter()
            .map(|(k, q)| (k.clone(), Value::String(q.to_canonical_string())))
            .collect::<Map<_, _>>(),
    )
}

/// `quota.Add`: keys of both, summed where both have them.
pub fn add(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut out = a.clone();
    for (k, v) in b {
        match out.get_mut(k) {
            Some(q) => *q = q.clone() + v.clone(),
            None => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// `quota.SubtractWithNonNegativeResult`: a - b per key of a (and b), never below zero.
pub fn subtract_non_negative(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let zero = Quantity::zero();
    let mut out = ResourceList::new();
    for (k, v) in a {
        let mut q = v.clone();
        if let Some(o) = b.get(k) {
            q = q - o.clone();
        }
        out.insert(k.clone(), if q < zero { Quantity::zero() } else { q });
    }
    for k in b.keys() {
        out.entry(k.clone()).or_insert_with(Quantity::zero);
    }
    out
}

/// `quota.Mask`: only the given names.
pub fn mask<'a>(a: &ResourceList, names: impl IntoIterator<Item = &'a String>) -> ResourceList {
    names
        .into_iter()
        .filter_map(|n| a.get(n).map(|q| (n.clone(), q.clone())))
        .collect()
}

/// `quota.RemoveZeros`.
pub fn remove_zeros(a: &ResourceList) -> ResourceList {
    a.iter()
        .filter(|(_, q)| !q.is_zero())
        .map(|(k, q)| (k.clone(), q.clone()))
        .collect()
}

/// `quota.IsNegative`: the names with a negative value.
pub fn negative(a: &ResourceList) -> Vec<String> {
    let zero = Quantity::zero();
    a.iter()
        .filter(|(_, q)| **q < zero)
        .map(|(k, _)| k.clone())
        .collect()
}

/// `quota.LessThanOrEqual`: the names of `b` for which `a` is larger (empty when allowed).
pub fn exceeded(a: &ResourceList, b: &ResourceList) -> Vec<String> {
    b.iter()
        .filter(|(k, limit)| a.get(*k).is_some_and(|v| v > *limit))
        .map(|(k, _)| k.clone())
        .collect()
}

/// `quota.Equals`: same names with equal values.
pub fn equals(a: &ResourceList, b: &ResourceList) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|o| o == v))
}

/// `prettyPrint`: `name=value` sorted by name, comma-separated.
pub fn pretty(a: &ResourceList) -> String {
    a.iter()
        .map(|(k, q)| format!("{k}={q}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `addResourceList`: add every entry of `b` into `a`.
pub fn add_into(a: &mut ResourceList, b: &ResourceList) {
    *a = add(a, b);
}

/// `maxResourceList`: for every entry of `b`, keep the larger of `a` and `b`.
pub fn max_into(a: &mut ResourceList, b: &ResourceList) {
    for (k, v) in b {
        if a.get(k).is_none_or(|cur| v > cur) {
            a.insert(k.clone(), v.clone());
        }
    }
}

/// Per-key maximum of two lists (ties keep `b`), as the in-place resize helpers compute it.
fn max_of(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut out = a.clone();
    for (k, v) in b {
        if out.get(k).is_none_or(|cur| cur <= v) {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// Which half of `resources` to aggregate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Requests,
    Limits,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Requests => "requests",
            Kind::Limits => "limits",
        }
    }
}

/// Resources of a pod-level `spec.resources` that are supported (`IsSupportedPodLevelResource`).
fn pod_level_supported(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

/// The supported pod-level requests or limits (empty when none are set).
pub fn pod_level(pod: &Value, kind: Kind) -> ResourceList {
    parse(pod.pointer(&format!("/spec/resources/{}", kind.key())))
        .into_iter()
        .filter(|(k, _)| pod_level_supported(k))
        .collect()
}

/// `IsPodLevelResourcesSet`.
pub fn pod_level_set(pod: &Value) -> bool {
    !pod_level(pod, Kind::Requests).is_empty() || !pod_level(pod, Kind::Limits).is_empty()
}

/// A container's requests or limits.
pub fn container(c: &Value, kind: Kind) -> ResourceList {
    parse(c.pointer(&format!("/resources/{}", kind.key())))
}

/// Aggregated container requests/limits of a pod: sum of the containers (and sidecars), at least
/// the largest init container's need. `use_status`: take the larger of spec and the resources
/// the kubelet reports (in-place resize).
pub fn aggregate_containers(pod: &Value, kind: Kind, use_status: bool) -> ResourceList {
    let statuses: BTreeMap<&str, &Value> = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| Some((s.get("name")?.as_str()?, s)))
        .collect();
    let mut total = ResourceList::new();
    for c in pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut list = container(c, kind);
        if use_status {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(reported) = statuses.get(name).and_then(|s| s.get("resources")) {
                list = max_of(&list, &parse(reported.get(kind.key())));
            }
        }
        add_into(&mut total, &list);
    }
    let mut sidecars = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let list = container(c, kind);
        let need = if c.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            add_into(&mut total, &list);
            add_into(&mut sidecars, &list);
            sidecars.clone()
        } else {
            add(&list, &sidecars)
        };
        max_into(&mut init_max, &need);
    }
    max_into(&mut total, &init_max);
    total
}

/// `resourcehelper.PodRequests` / `PodLimits` with pod-level resources and overhead.
pub fn pod_resources(pod: &Value, kind: Kind) -> ResourceList {
    let mut list = aggregate_containers(pod, kind, true);
    for (k, v) in pod_level(pod, kind) {
        list.insert(k, v);
    }
    for (k, v) in parse(pod.pointer("/spec/overhead")) {
        match kind {
            Kind::Requests => add_into(&mut list, &ResourceList::from([(k, v)])),
            Kind::Limits => {
                if let Some(cur) = list.get_mut(&k).filter(|q| !q.is_zero()) {
                    *cur = cur.clone() + v;
                }
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn l(pairs: &[(&str, &str)]) -> ResourceList {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap()))
            .collect()
    }

    #[test]
    fn arithmetic_like_the_quota_helpers() {
        let used = l(&[("requests.cpu", "500m"), ("pods", "1")]);
        let delta = l(&[("requests.cpu", "600m"), ("pods", "1"), ("count/pods", "1")]);
        let sum = add(&used, &delta);
        assert_eq!(pretty(&sum), "count/pods=1,pods=2,requests.cpu=1100m");
        let hard = l(&[("requests.cpu", "1"), ("pods", "2")]);
        assert_eq!(exceeded(&sum, &hard), vec!["requests.cpu".to_string()]);
        let d = subtract_non_negative(&l(&[("a", "1")]), &l(&[("a", "2"), ("b", "1")]));
        assert_eq!(pretty(&d), "a=0,b=0");
        assert!(remove_zeros(&d).is_empty());
        assert!(equals(&l(&[("a", "1")]), &l(&[("a", "1000m")])));
        assert_eq!(to_json(&l(&[("m", "1Gi")])), json!({"m": "1Gi"}));
    }

    #[test]
    fn pod_requests_with_init_containers_sidecars_and_overhead() {
        let pod = json!({"spec": {
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "200m"}}},
                {"name": "b", "resources": {"requests": {"cpu": "300m"}}}
            ],
            "initContainers": [
                {"name": "i", "resources": {"requests": {"cpu": "1", "memory": "32Mi"}}},
                {"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}}
            ],
            "overhead": {"cpu": "10m"}
        }});
        assert_eq!(
            pretty(&pod_resources(&pod, Kind::Requests)),
            "cpu=1010m,memory=64Mi"
        );
        assert_eq!(pretty(&pod_resources(&pod, Kind::Limits)), "cpu=210m");
        let pod_level = json!({"spec": {"resources": {"requests": {"cpu": "2"}}, "containers": [{"name": "a"}]}});
        assert_eq!(pretty(&pod_resources(&pod_level, Kind::Requests)), "cpu=2");
        assert!(pod_level_set(&pod_level));
    }
}
