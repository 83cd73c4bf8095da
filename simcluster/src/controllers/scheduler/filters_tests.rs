//! Tests of the scheduler's filters, scores and FitError messages.
use super::*;

fn node(name: &str, cpu: &str, taint: Option<&str>) -> NodeInfo {
    let mut n = json!({
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "status": {"allocatable": {"cpu": cpu, "memory": "8Gi", "pods": "110", "nvidia.com/gpu": "0"},
                   "conditions": [{"type": "Ready", "status": "True"}]}
    });
    if let Some(k) = taint {
        n["spec"] = json!({"taints": [{"key": k, "effect": "NoSchedule"}]});
    }
    NodeInfo::new(&n)
}

fn pod(cpu: &str) -> Value {
    json!({"spec": {"containers": [{"resources": {"requests": {"cpu": cpu}}}], "tolerations": []}})
}

#[test]
fn the_real_fit_error_wording() {
    let mut busy = node("w1", "4", None);
    busy.add_pod(&pod("3"));
    let nodes = [
        node("cp", "4", Some("node-role.kubernetes.io/control-plane")),
        busy,
        node("w2", "8", None),
    ];
    let p = pod("2");
    let fails: Vec<Failure> = nodes[..2]
        .iter()
        .filter_map(|n| filter(&p, n, None).err())
        .collect();
    assert_eq!(
        fit_error(2, &fails, false),
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
    );
    assert!(filter(&p, &nodes[2], None).is_ok());
    let huge = pod("100");
    let fails: Vec<Failure> = nodes
        .iter()
        .filter_map(|n| filter(&huge, n, None).err())
        .collect();
    assert!(fit_error(3, &fails, true).ends_with("1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never."));
}

#[test]
fn tolerations_selectors_and_gpus() {
    let gpu = node("g", "16", Some("nvidia.com/gpu"));
    let mut p = json!({"spec": {"containers": [{"resources": {"requests": {"nvidia.com/gpu": "1"}}}],
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]}});
    assert_eq!(
        filter(&p, &gpu, None).unwrap_err().reasons,
        ["Insufficient nvidia.com/gpu"]
    );
    p["spec"]["nodeSelector"] = json!({"kubernetes.io/hostname": "other"});
    assert_eq!(
        filter(&p, &gpu, None).unwrap_err().reasons,
        ["node(s) didn't match Pod's node affinity/selector"]
    );
    assert_eq!(
        fit_error(0, &[], false),
        "no nodes available to schedule pods"
    );
    let mut full = node("f", "1", None);
    full.max_pods = 0;
    assert_eq!(
        filter(&pod("0"), &full, None).unwrap_err(),
        Failure {
            reasons: vec!["Too many pods".into()],
            unresolvable: false
        }
    );
}

#[test]
fn init_containers_and_overhead() {
    let p = json!({"spec": {
        "initContainers": [{"resources": {"requests": {"cpu": "2"}}}],
        "containers": [{"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}, {"resources": {"requests": {"cpu": "500m"}}}],
        "overhead": {"cpu": "100m"}}});
    let r = pod_requests(&p);
    assert_eq!((r.cpu, r.memory), (2100, 1 << 30));
}
