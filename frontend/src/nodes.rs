//! The nodes page's arithmetic: per node its capacity, allocatable, the requests and limits of
//! the pods placed on it (finished pods do not count), and its usage from the metrics API.

use std::collections::BTreeMap;

use api_types::quantity::Quantity;
use serde_json::Value;

/// CPU in millicores and memory in bytes of one node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Amounts {
    pub cpu_m: i64,
    pub mem: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeSummary {
    pub name: String,
    pub ready: bool,
    pub capacity: Amounts,
    pub allocatable: Amounts,
    pub requests: Amounts,
    pub limits: Amounts,
    pub usage: Option<Amounts>,
    pub pods: usize,
    pub pod_capacity: i64,
    pub taints: Vec<String>,
}

fn q(v: &Value) -> Quantity {
    v.as_str()
        .and_then(|s| Quantity::parse(s).ok())
        .unwrap_or_else(Quantity::zero)
}

fn amounts(list: &Value) -> Amounts {
    Amounts {
        cpu_m: q(&list["cpu"]).milli_value(),
        mem: q(&list["memory"]).value(),
    }
}

/// A pod's requests and limits (the sum over its containers).
pub fn pod_resources(pod: &Value) -> (Amounts, Amounts) {
    let mut req = Amounts::default();
    let mut lim = Amounts::default();
    for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
        let r = amounts(&c["resources"]["requests"]);
        let l = amounts(&c["resources"]["limits"]);
        req.cpu_m += r.cpu_m;
        req.mem += r.mem;
        lim.cpu_m += l.cpu_m;
        lim.mem += l.mem;
    }
    (req, lim)
}

/// Whether a pod still holds its node's resources.
pub fn holds_resources(pod: &Value) -> bool {
    !matches!(
        pod["status"]["phase"].as_str(),
        Some("Succeeded" | "Failed")
    )
}

/// One summary per node (in the nodes' order) from the node list, the pod list and the node
/// metrics list (`None` without a metrics API).
pub fn summarize(nodes: &Value, pods: &Value, metrics: Option<&Value>) -> Vec<NodeSummary> {
    let mut by_node: BTreeMap<&str, (usize, Amounts, Amounts)> = BTreeMap::new();
    for p in pods["items"].as_array().into_iter().flatten() {
        let Some(node) = p["spec"]["nodeName"].as_str() else {
            continue;
        };
        if !holds_resources(p) {
            continue;
        }
        let (r, l) = pod_resources(p);
        let e = by_node.entry(node).or_default();
        e.0 += 1;
        e.1.cpu_m += r.cpu_m;
        e.1.mem += r.mem;
        e.2.cpu_m += l.cpu_m;
        e.2.mem += l.mem;
    }
    let usage = |name: &str| {
        metrics?["items"]
            .as_array()?
            .iter()
            .find(|m| m["metadata"]["name"] == name)
            .map(|m| amounts(&m["usage"]))
    };
    nodes["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            let name = n["metadata"]["name"].as_str().unwrap_or("").to_string();
            let (pods, requests, limits) = by_node.get(name.as_str()).cloned().unwrap_or_default();
            NodeSummary {
                ready: n["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True"),
                capacity: amounts(&n["status"]["capacity"]),
                allocatable: amounts(&n["status"]["allocatable"]),
                requests,
                limits,
                usage: usage(&name),
                pods,
                pod_capacity: q(&n["status"]["allocatable"]["pods"]).value(),
                taints: n["spec"]["taints"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| {
                        let v = t["value"]
                            .as_str()
                            .map(|v| format!("={v}"))
                            .unwrap_or_default();
                        format!(
                            "{}{v}:{}",
                            t["key"].as_str().unwrap_or(""),
                            t["effect"].as_str().unwrap_or("")
                        )
                    })
                    .collect(),
                name,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sums_the_pods_on_each_node() {
        let nodes = json!({"items": [
            {"metadata": {"name": "n1"}, "spec": {"taints": [{"key": "gpu", "value": "true", "effect": "NoSchedule"}]},
             "status": {"capacity": {"cpu": "8", "memory": "16Gi"}, "allocatable": {"cpu": "7800m", "memory": "15Gi", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True"}]}},
            {"metadata": {"name": "n2"}, "status": {"capacity": {"cpu": "4"}, "conditions": [{"type": "Ready", "status": "False"}]}}
        ]});
        let c = |cpu: &str, mem: &str| json!({"resources": {"requests": {"cpu": cpu, "memory": mem}, "limits": {"cpu": "1"}}});
        let pods = json!({"items": [
            {"spec": {"nodeName": "n1", "containers": [c("250m", "64Mi"), c("250m", "64Mi")]}, "status": {"phase": "Running"}},
            {"spec": {"nodeName": "n1", "containers": [c("1", "1Gi")]}, "status": {"phase": "Succeeded"}},
            {"spec": {"containers": [c("1", "1Gi")]}, "status": {"phase": "Pending"}}
        ]});
        let metrics = json!({"items": [{"metadata": {"name": "n1"}, "usage": {"cpu": "1200m", "memory": "2Gi"}}]});
        let s = summarize(&nodes, &pods, Some(&metrics));
        assert_eq!(s.len(), 2);
        let n1 = &s[0];
        assert!(n1.ready && !s[1].ready);
        assert_eq!(
            n1.capacity,
            Amounts {
                cpu_m: 8000,
                mem: 16 << 30
            }
        );
        assert_eq!(n1.allocatable.cpu_m, 7800);
        assert_eq!(
            n1.requests,
            Amounts {
                cpu_m: 500,
                mem: 128 << 20
            }
        );
        assert_eq!(n1.limits.cpu_m, 2000);
        assert_eq!((n1.pods, n1.pod_capacity), (1, 110));
        assert_eq!(
            n1.usage,
            Some(Amounts {
                cpu_m: 1200,
                mem: 2 << 30
            })
        );
        assert_eq!(n1.taints, ["gpu=true:NoSchedule"]);
        assert_eq!(s[1].usage, None);
        assert_eq!(summarize(&nodes, &pods, None)[0].usage, None);
    }
}
