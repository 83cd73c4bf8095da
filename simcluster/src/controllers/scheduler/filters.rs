//! The scheduler's view of nodes and its filters with kube-scheduler v1.36's reasons:
//! NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required node affinity),
//! NodeResourcesFit (pods, CPU, memory, ephemeral storage, extended resources such as GPUs);
//! the FitError message of a pod that fits nowhere; a LeastAllocated score with spreading.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use crate::resources::Quantity;
use crate::resources::json::{arr_at, at, obj_at, str_at};

/// Requested (or allocatable) resources: CPU in millicores, the rest in units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    pub cpu: i64,
    pub memory: i64,
    pub ephemeral: i64,
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    /// Parse a ResourceList (`{"cpu": "500m", "nvidia.com/gpu": "1"}`).
    pub fn from_list(list: Option<&Map<String, Value>>) -> Resources {
        let mut r = Resources::default();
        for (name, v) in list.into_iter().flatten() {
            let Some(q) = v.as_str().and_then(|s| Quantity::parse(s).ok()) else {
                continue;
            };
            match name.as_str() {
                "cpu" => r.cpu += q.milli_value(),
                "memory" => r.memory += q.value(),
                "ephemeral-storage" => r.ephemeral += q.value(),
                "pods" => {}
                other if other.contains('/') || other.starts_with("hugepages-") => {
                    *r.scalar.entry(other.to_string()).or_default() += q.value()
                }
                _ => {}
            }
        }
        r
    }
    pub fn add(&mut self, o: &Resources) {
        self.cpu += o.cpu;
        self.memory += o.memory;
        self.ephemeral += o.ephemeral;
        for (k, v) in &o.scalar {
            *self.scalar.entry(k.clone()).or_default() += v;
        }
    }
    fn sub(&mut self, o: &Resources) {
        self.cpu -= o.cpu;
        self.memory -= o.memory;
        self.ephemeral -= o.ephemeral;
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e -= v;
            if *e == 0 {
                self.scalar.remove(k);
            }
        }
    }
    fn max(&mut self, o: &Resources) {
        self.cpu = self.cpu.max(o.cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral = self.ephemeral.max(o.ephemeral);
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e = (*e).max(*v);
        }
    }
}

/// What a pod requests: its containers (and sidecars) together, or its largest init container,
/// plus the pod overhead.
pub fn pod_requests(pod: &Value) -> Resources {
    let mut sum = Resources::default();
    for c in arr_at(pod, "spec/containers") {
        sum.add(&Resources::from_list(obj_at(c, "resources/requests")));
    }
    let mut init_max = Resources::default();
    for c in arr_at(pod, "spec/initContainers") {
        let r = Resources::from_list(obj_at(c, "resources/requests"));
        if str_at(c, "restartPolicy") == "Always" {
            sum.add(&r);
        } else {
            init_max.max(&r);
        }
    }
    sum.max(&init_max);
    sum.add(&Resources::from_list(obj_at(pod, "spec/overhead")));
    sum
}

/// A node with what is already running on it.
pub struct NodeInfo {
    pub name: String,
    node: std::sync::Arc<Value>,
    /// `(key, value, effect)` of the node's taints, `not-ready` included when it is not Ready.
    taints: Vec<(String, String, String)>,
    allocatable: Resources,
    max_pods: i64,
    pub requested: Resources,
    pods: i64,
    /// Pods per controlling owner uid (spreading replicas).
    owners: HashMap<String, i64>,
}

fn controller_uid(pod: &Value) -> Option<&str> {
    arr_at(pod, "metadata/ownerReferences")
        .iter()
        .find(|r| r["controller"] == true)
        .and_then(|r| r["uid"].as_str())
}

impl NodeInfo {
    pub fn new(node: &Value) -> NodeInfo {
        Self::of(std::sync::Arc::new(node.clone()))
    }
    /// The node as stored, with nothing on it yet.
    pub fn of(node: std::sync::Arc<Value>) -> NodeInfo {
        let alloc = obj_at(&node, "status/allocatable");
        let max_pods = alloc
            .and_then(|a| a.get("pods"))
            .and_then(Value::as_str)
            .and_then(|s| Quantity::parse(s).ok())
            .map_or(0, |q| q.value());
        let mut info = NodeInfo {
            name: str_at(&node, "metadata/name").to_string(),
            taints: Vec::new(),
            allocatable: Resources::from_list(alloc),
            max_pods,
            node,
            requested: Resources::default(),
            pods: 0,
            owners: HashMap::new(),
        };
        info.taints = arr_at(&info.node, "spec/taints")
            .iter()
            .map(|t| {
                (
                    str_at(t, "key").to_string(),
                    str_at(t, "value").to_string(),
                    str_at(t, "effect").to_string(),
                )
            })
            .collect();
        if !info.ready() {
            info.taints.push((
                "node.kubernetes.io/not-ready".into(),
                String::new(),
                "NoSchedule".into(),
            ));
        }
        info
    }
    /// The same node with a new stored version (what runs on it is kept).
    pub fn renew(&mut self, node: std::sync::Arc<Value>) {
        let fresh = NodeInfo::of(node);
        self.node = fresh.node;
        self.taints = fresh.taints;
        self.allocatable = fresh.allocatable;
        self.max_pods = fresh.max_pods;
    }
    /// Account a pod running (or about to run) on the node.
    pub fn add_pod(&mut self, pod: &Value) {
        self.add(&Placed::of(pod));
    }
    /// Account what a pod placed on the node uses.
    pub fn add(&mut self, p: &Placed) {
        self.requested.add(&p.requests);
        self.pods += 1;
        if let Some(u) = &p.owner {
            *self.owners.entry(u.clone()).or_default() += 1;
        }
    }
    /// Take back what [`NodeInfo::add`] accounted.
    pub fn remove(&mut self, p: &Placed) {
        self.requested.sub(&p.requests);
        self.pods -= 1;
        if let Some(u) = &p.owner
            && let Some(n) = self.owners.get_mut(u)
        {
            *n -= 1;
            if *n <= 0 {
                self.owners.remove(u);
            }
        }
    }
    fn ready(&self) -> bool {
        arr_at(&self.node, "status/conditions")
            .iter()
            .any(|c| str_at(c, "type") == "Ready" && str_at(c, "status") == "True")
    }
}

/// What one pod placed on a node counts for: its requests and its controller.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub requests: Resources,
    pub owner: Option<String>,
}

impl Placed {
    pub fn of(pod: &Value) -> Placed {
        Placed {
            requests: pod_requests(pod),
            owner: controller_uid(pod).map(str::to_string),
        }
    }
}

/// Why a node does not fit: the reasons, and whether preemption could not help.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub reasons: Vec<String>,
    pub unresolvable: bool,
}

fn unresolvable(reason: &str) -> Failure {
    Failure {
        reasons: vec![reason.to_string()],
        unresolvable: true,
    }
}

fn tolerates(tol: &Value, key: &str, value: &str, effect: &str) -> bool {
    let te = str_at(tol, "effect");
    if !te.is_empty() && te != effect {
        return false;
    }
    match str_at(tol, "operator") {
        "Exists" => str_at(tol, "key").is_empty() || str_at(tol, "key") == key,
        _ => str_at(tol, "key") == key && str_at(tol, "value") == value,
    }
}

fn term_matches(term: &Value, node: &NodeInfo) -> bool {
    let labels = obj_at(&node.node, "metadata/labels");
    let exprs = arr_at(term, "matchExpressions");
    let fields = arr_at(term, "matchFields");
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let check = |e: &Value, actual: Option<&str>| {
        let values: Vec<&str> = arr_at(e, "values")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let num = |s: &str| s.parse::<i64>().ok();
        match str_at(e, "operator") {
            "In" => actual.is_some_and(|a| values.contains(&a)),
            "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
            "Exists" => actual.is_some(),
            "DoesNotExist" => actual.is_none(),
            "Gt" => {
                matches!((actual.and_then(num), values.first().and_then(|v| num(v))), (Some(a), Some(b)) if a > b)
            }
            "Lt" => {
                matches!((actual.and_then(num), values.first().and_then(|v| num(v))), (Some(a), Some(b)) if a < b)
            }
            _ => false,
        }
    };
    exprs.iter().all(|e| {
        check(
            e,
            labels
                .and_then(|l| l.get(str_at(e, "key")))
                .and_then(Value::as_str),
        )
    }) && fields.iter().all(|e| {
        check(
            e,
            (str_at(e, "key") == "metadata.name").then_some(node.name.as_str()),
        )
    })
}

/// Run the filters of the default profile for `pod` on `node`, in the scheduler's order.
/// `pinned`: the nodes the pod's bound volumes allow (`None`: no such constraint).
pub fn filter(pod: &Value, node: &NodeInfo, pinned: Option<&[String]>) -> Result<(), Failure> {
    filter_req(pod, &pod_requests(pod), node, pinned)
}

/// [`filter`] with the pod's requests computed once by the caller.
pub fn filter_req(
    pod: &Value,
    req: &Resources,
    node: &NodeInfo,
    pinned: Option<&[String]>,
) -> Result<(), Failure> {
    let tolerations = arr_at(pod, "spec/tolerations");
    if at(&node.node, "spec/unschedulable") == Some(&json!(true))
        && !tolerations
            .iter()
            .any(|t| tolerates(t, "node.kubernetes.io/unschedulable", "", "NoSchedule"))
    {
        return Err(unresolvable("node(s) were unschedulable"));
    }
    let taints = &node.taints;
    let untolerated = taints
        .iter()
        .filter(|(_, _, e)| e == "NoSchedule" || e == "NoExecute")
        .any(|(k, v, e)| !tolerations.iter().any(|t| tolerates(t, k, v, e)));
    if untolerated {
        return Err(unresolvable("node(s) had untolerated taint(s)"));
    }
    let labels = obj_at(&node.node, "metadata/labels");
    let selector_ok = obj_at(pod, "spec/nodeSelector").is_none_or(|sel| {
        sel.iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
    });
    let terms = arr_at(
        pod,
        "spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
    );
    let affinity_ok = terms.is_empty() || terms.iter().any(|t| term_matches(t, node));
    if !selector_ok || !affinity_ok {
        return Err(unresolvable(
            "node(s) didn't match Pod's node affinity/selector",
        ));
    }
    fits(req, node)?;
    if pinned.is_some_and(|p| !p.contains(&node.name)) {
        return Err(unresolvable(
            "node(s) didn't match PersistentVolume's node affinity",
        ));
    }
    Ok(())
}

/// NodeResourcesFit: every insufficient resource is a reason; asking for more than the node has
/// at all cannot be solved by preemption.
fn fits(req: &Resources, node: &NodeInfo) -> Result<(), Failure> {
    let mut f = Failure {
        reasons: Vec::new(),
        unresolvable: false,
    };
    if node.pods + 1 > node.max_pods {
        f.reasons.push("Too many pods".into());
    }
    let mut check = |name: &str, want: i64, alloc: i64, used: i64| {
        if want > 0 && want > alloc - used {
            f.reasons.push(format!("Insufficient {name}"));
            f.unresolvable |= want > alloc;
        }
    };
    check("cpu", req.cpu, node.allocatable.cpu, node.requested.cpu);
    check(
        "memory",
        req.memory,
        node.allocatable.memory,
        node.requested.memory,
    );
    check(
        "ephemeral-storage",
        req.ephemeral,
        node.allocatable.ephemeral,
        node.requested.ephemeral,
    );
    for (name, want) in &req.scalar {
        let alloc = node.allocatable.scalar.get(name).copied().unwrap_or(0);
        let used = node.requested.scalar.get(name).copied().unwrap_or(0);
        check(name, *want, alloc, used);
    }
    if f.reasons.is_empty() { Ok(()) } else { Err(f) }
}

/// Higher is better: free CPU and memory after placing the pod (requests of 0 count as the
/// scheduler's defaults, 100m and 200Mi), minus a penalty for replicas of the same owner.
pub fn score(pod: &Value, node: &NodeInfo) -> i64 {
    score_req(pod, &pod_requests(pod), node)
}

/// [`score`] with the pod's requests computed once by the caller.
pub fn score_req(pod: &Value, req: &Resources, node: &NodeInfo) -> i64 {
    let cpu = if req.cpu == 0 { 100 } else { req.cpu };
    let mem = if req.memory == 0 {
        200 << 20
    } else {
        req.memory
    };
    let free = |alloc: i64, used: i64, want: i64| {
        if alloc <= 0 {
            0
        } else {
            ((alloc - used - want).max(0) * 100) / alloc
        }
    };
    let least = (free(node.allocatable.cpu, node.requested.cpu, cpu)
        + free(node.allocatable.memory, node.requested.memory, mem))
        / 2;
    let same = controller_uid(pod)
        .and_then(|u| node.owners.get(u))
        .copied()
        .unwrap_or(0);
    least - 20 * same
}

fn histogram(counts: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// The FitError message (condition and FailedScheduling event) for a pod that fits on none of
/// `nodes` nodes, with the PostFilter messages of DynamicResources and DefaultPreemption.
pub fn fit_error(nodes: usize, failures: &[Failure], preempt_never: bool) -> String {
    if nodes == 0 {
        return "no nodes available to schedule pods".into();
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut preemption: BTreeMap<String, usize> = BTreeMap::new();
    for f in failures {
        for r in &f.reasons {
            *reasons.entry(r.clone()).or_default() += 1;
        }
        let p = if f.unresolvable {
            "Preemption is not helpful for scheduling"
        } else {
            "No preemption victims found for incoming pod"
        };
        *preemption.entry(p.into()).or_default() += 1;
    }
    let post = if preempt_never {
        "preemption: not eligible due to preemptionPolicy=Never.".to_string()
    } else {
        format!(
            "preemption: 0/{nodes} nodes are available: {}.",
            histogram(&preemption)
        )
    };
    format!(
        "0/{nodes} nodes are available: {}. no new claims to deallocate, {post}",
        histogram(&reasons)
    )
}

#[cfg(test)]
#[path = "filters_tests.rs"]
mod tests;
