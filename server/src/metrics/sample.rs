//! One collection cycle's numbers, from what the cluster answered: usage from `metrics.k8s.io`
//! (nodes, pods), requests and limits from the pods, capacity from the nodes, quota use from
//! the managed ResourceQuotas — summed per cluster, node, tenant, namespace and application
//! (`app.kubernetes.io/name`, else the owning workload), plus each pod's own. Pure: no I/O.

use std::collections::{BTreeMap, HashMap};

use api_types::quantity::Quantity;
use serde_json::Value;

use super::pods::{PodInfo, PodUsage};

/// One number of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub scope: &'static str,
    pub name: String,
    pub metric: String,
    pub tenant: Option<String>,
    pub value: f64,
    /// The subject's requests and limits of this resource (usage series of pods, namespaces and
    /// nodes — for a node, its allocatable as the limit).
    pub request: Option<f64>,
    pub limit: Option<f64>,
}

/// Managed namespace → (hard, used) of its quota.
pub type QuotaLists = BTreeMap<String, (BTreeMap<String, String>, BTreeMap<String, String>)>;

/// (scope, name, metric) → (tenant, value, request, limit).
type SumMap = BTreeMap<(&'static str, String, String), (Option<String>, f64, f64, f64)>;

/// What the cluster answered this cycle.
pub struct Observed<'a> {
    /// `NodeMetricsList` / `PodMetricsList` items (empty without a metrics API).
    pub node_metrics: &'a [Value],
    pub pod_metrics: &'a [PodUsage],
    pub nodes: &'a [Value],
    pub pods: &'a [&'a PodInfo],
    pub services: &'a [Value],
    /// Namespace → owning tenant.
    pub tenants: &'a HashMap<String, String>,
    pub quotas: &'a QuotaLists,
    /// Tenant → budget.
    pub budgets: &'a BTreeMap<String, BTreeMap<String, String>>,
}

/// A quantity as a number: CPU in cores, memory in bytes, counts as counts.
pub fn number(q: &str) -> f64 {
    Quantity::parse(q).map_or(0.0, |q| q.nano_value() as f64 / 1e9)
}

fn str_at<'v>(v: &'v Value, ptr: &str) -> &'v str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

/// The application a Service serves: its label, else its selector's.
fn app_of_service(svc: &Value) -> String {
    for p in [
        "/metadata/labels/app.kubernetes.io~1name",
        "/spec/selector/app.kubernetes.io~1name",
        "/spec/selector/app",
    ] {
        let v = str_at(svc, p);
        if !v.is_empty() {
            return v.to_string();
        }
    }
    str_at(svc, "/metadata/name").to_string()
}

/// Accumulates sums per (scope, name, metric).
#[derive(Default)]
struct Sums {
    map: SumMap,
}

impl Sums {
    fn add(
        &mut self,
        scope: &'static str,
        name: &str,
        tenant: Option<&String>,
        metric: &str,
        v: f64,
    ) {
        self.add_with(scope, name, tenant, metric, v, 0.0, 0.0);
    }

    #[allow(clippy::too_many_arguments)]
    fn add_with(
        &mut self,
        scope: &'static str,
        name: &str,
        tenant: Option<&String>,
        metric: &str,
        v: f64,
        req: f64,
        lim: f64,
    ) {
        let e = self
            .map
            .entry((scope, name.to_string(), metric.to_string()))
            .or_insert((tenant.cloned(), 0.0, 0.0, 0.0));
        e.1 += v;
        e.2 += req;
        e.3 += lim;
    }

    fn into_samples(self) -> Vec<Sample> {
        self.map
            .into_iter()
            .map(|((scope, name, metric), (tenant, value, req, lim))| {
                let usage = (metric == "cpu" || metric == "memory") && scope != "cluster";
                Sample {
                    scope,
                    name,
                    metric,
                    tenant,
                    value,
                    request: usage.then_some(req),
                    limit: usage.then_some(lim),
                }
            })
            .collect()
    }
}

const RESOURCES: [&str; 2] = ["cpu", "memory"];
pub(super) const GPU: &str = "nvidia.com/gpu";
pub(super) const STORAGE: &str = "ephemeral-storage";
/// The resource pool: node resource → the short name of its series (`gpu.capacity`, ...).
const POOL: [(&str, &str); 4] = [
    ("cpu", "cpu"),
    ("memory", "memory"),
    (GPU, "gpu"),
    (STORAGE, "storage"),
];

/// The cycle's samples: (aggregates, pods).
pub fn build(o: &Observed) -> (Vec<Sample>, Vec<Sample>) {
    let mut sums = Sums::default();
    let mut pods_out = Sums::default();
    let usage: HashMap<(&str, &str), (f64, f64)> = o
        .pod_metrics
        .iter()
        .map(|m| ((m.namespace.as_str(), m.name.as_str()), (m.cpu, m.memory)))
        .collect();
    for node in o.nodes {
        let name = str_at(node, "/metadata/name");
        for (r, short) in POOL {
            let key = r.replace('/', "~1");
            let alloc = number(str_at(node, &format!("/status/allocatable/{key}")));
            let cap = number(str_at(node, &format!("/status/capacity/{key}")));
            for (scope, subject) in [("cluster", ""), ("node", name)] {
                sums.add(scope, subject, None, &format!("{short}.capacity"), cap);
                sums.add(scope, subject, None, &format!("{short}.allocatable"), alloc);
            }
        }
    }
    let nodes: HashMap<&str, &Value> = o
        .nodes
        .iter()
        .map(|n| (str_at(n, "/metadata/name"), n))
        .collect();
    for m in o.node_metrics {
        let name = str_at(m, "/metadata/name");
        let alloc = |r: &str| {
            nodes.get(name).map_or(0.0, |n| {
                number(str_at(n, &format!("/status/allocatable/{r}")))
            })
        };
        for r in RESOURCES {
            let v = number(str_at(m, &format!("/usage/{r}")));
            sums.add("cluster", "", None, r, v);
            sums.add_with("node", name, None, r, v, 0.0, alloc(r));
        }
    }
    for pod in o.pods {
        let phase = pod.phase.as_str();
        if matches!(phase, "Succeeded" | "Failed") {
            continue;
        }
        let (ns, name, node) = (pod.namespace.as_str(), pod.name.as_str(), pod.node.as_str());
        let tenant = o.tenants.get(ns);
        let app = format!("{ns}/{}", pod.app);
        let (ucpu, umem) = usage.get(&(ns, name)).copied().unwrap_or((0.0, 0.0));
        let pod_key = format!("{ns}/{name}");
        for (r, u, rl) in [("cpu", ucpu, pod.cpu), ("memory", umem, pod.memory)] {
            let (req, lim) = (rl.request, rl.limit);
            sums.add("cluster", "", None, &format!("{r}.requests"), req);
            sums.add_with("namespace", ns, tenant, r, u, req, lim);
            sums.add("namespace", ns, tenant, &format!("{r}.requests"), req);
            sums.add("namespace", ns, tenant, &format!("{r}.limits"), lim);
            sums.add_with("app", &app, tenant, r, u, req, lim);
            if let Some(t) = tenant {
                sums.add_with("tenant", t, Some(t), r, u, req, lim);
                sums.add("tenant", t, Some(t), &format!("{r}.requests"), req);
            }
            if !node.is_empty() {
                sums.add("node", node, None, &format!("{r}.requests"), req);
            }
            if o.pod_metrics.is_empty() {
                continue;
            }
            pods_out.add_with("pod", &pod_key, tenant, r, u, req, lim);
        }
        for (metric, v) in [("gpu.requests", pod.gpu), ("storage.requests", pod.storage)] {
            sums.add("cluster", "", None, metric, v);
            if !node.is_empty() {
                sums.add("node", node, None, metric, v);
            }
        }
        sums.add("cluster", "", None, "pods", 1.0);
        sums.add("namespace", ns, tenant, "pods", 1.0);
        sums.add("app", &app, tenant, "pods", 1.0);
        sums.add(
            "app",
            &app,
            tenant,
            "running",
            f64::from(u8::from(phase == "Running")),
        );
        if let Some(t) = tenant {
            sums.add("tenant", t, Some(t), "pods", 1.0);
        }
        if !node.is_empty() {
            sums.add("node", node, None, "pods", 1.0);
        }
    }
    for svc in o.services {
        let ns = str_at(svc, "/metadata/namespace");
        let app = format!("{ns}/{}", app_of_service(svc));
        sums.add("app", &app, o.tenants.get(ns), "services", 1.0);
    }
    for (ns, (hard, used)) in o.quotas {
        let tenant = o.tenants.get(ns);
        for (kind, list) in [("hard", hard), ("used", used)] {
            for (res, q) in list {
                let metric = format!("quota.{kind}/{res}");
                sums.add("namespace", ns, tenant, &metric, number(q));
                if let Some(t) = tenant {
                    sums.add("tenant", t, Some(t), &metric, number(q));
                }
            }
        }
    }
    for (tenant, budget) in o.budgets {
        for (res, q) in budget {
            sums.add(
                "tenant",
                tenant,
                Some(tenant),
                &format!("budget/{res}"),
                number(q),
            );
        }
    }
    (sums.into_samples(), pods_out.into_samples())
}

#[cfg(test)]
mod tests;
