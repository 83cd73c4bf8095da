//! Pod QoS class (`ComputePodQOS`): BestEffort, Burstable or Guaranteed from cpu/memory requests
//! and limits of the containers (or of the pod-level resources).

use super::json::obj_at;
use super::quantity::Quantity;
use serde_json::{Map, Value};

/// `ComputePodQOS`: BestEffort, Burstable or Guaranteed from cpu/memory requests and limits.
pub fn qos_class(pod: &Value) -> &'static str {
    let empty = Map::new();
    let spec = obj_at(pod, "spec").unwrap_or(&empty);
    let mut requests: Vec<(String, Quantity)> = vec![];
    let mut limits: Vec<(String, Quantity)> = vec![];
    let mut guaranteed = true;
    let zero = Quantity::zero();
    let add = |list: &mut Vec<(String, Quantity)>, name: &str, q: Quantity| {
        if let Some(e) = list.iter_mut().find(|(n, _)| n == name) {
            e.1 = e.1.clone() + q;
        } else {
            list.push((name.to_string(), q));
        }
    };
    let pod_level = spec.get("resources").and_then(Value::as_object);
    let sources: Vec<&Map<String, Value>> = match pod_level {
        Some(r) => vec![r],
        None => ["containers", "initContainers"]
            .iter()
            .flat_map(|k| spec.get(*k).and_then(Value::as_array).into_iter().flatten())
            .filter_map(|c| c.get("resources").and_then(Value::as_object))
            .collect(),
    };
    let count = ["containers", "initContainers"]
        .iter()
        .map(|k| spec.get(*k).and_then(Value::as_array).map_or(0, Vec::len))
        .sum::<usize>();
    for res in &sources {
        for (kind, list) in [("requests", &mut requests), ("limits", &mut limits)] {
            let mut found = vec![];
            for (name, v) in res
                .get(kind)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if name != "cpu" && name != "memory" {
                    continue;
                }
                let Some(q) = v.as_str().and_then(|s| Quantity::parse(s).ok()) else {
                    continue;
                };
                if q > zero {
                    found.push(name.clone());
                    add(list, name, q);
                }
            }
            if kind == "limits"
                && !(found.iter().any(|n| n == "cpu") && found.iter().any(|n| n == "memory"))
            {
                guaranteed = false;
            }
        }
    }
    if pod_level.is_none() && sources.len() < count {
        guaranteed = false;
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        for (n, r) in &requests {
            if !limits.iter().any(|(ln, l)| ln == n && l == r) {
                guaranteed = false;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn qos() {
        let p = json!({"spec": {"containers": [{"resources": {}}]}});
        assert_eq!(qos_class(&p), "BestEffort");
        let p = json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}}]}});
        assert_eq!(qos_class(&p), "Guaranteed");
        let p = json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "100m"}}}]}});
        assert_eq!(qos_class(&p), "Burstable");
    }
}
