//! Unit tests of the per-cycle sums.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use super::super::pods::{PodInfo, PodUsage};
use super::{Observed, Sample, build, number};

fn app_of(pod: &Value) -> String {
    PodInfo::of_value(pod).app
}

fn infos(pods: &[Value]) -> Vec<PodInfo> {
    pods.iter().map(PodInfo::of_value).collect()
}

fn pod(
    ns: &str,
    name: &str,
    node: &str,
    cpu: &str,
    labels: Value,
    owner: Option<(&str, &str)>,
) -> Value {
    let owners: Vec<Value> = owner
        .map(|(k, n)| json!({"kind": k, "name": n}))
        .into_iter()
        .collect();
    json!({"metadata": {"namespace": ns, "name": name, "labels": labels, "ownerReferences": owners},
        "spec": {"nodeName": node, "containers": [
            {"name": "a", "resources": {"requests": {"cpu": cpu, "memory": "64Mi"}, "limits": {"cpu": "1"}}},
            {"name": "b", "resources": {"requests": {"cpu": cpu}}}]},
        "status": {"phase": "Running"}})
}

fn pod_metrics(ns: &str, name: &str, cpu: &str, mem: &str) -> PodUsage {
    serde_json::from_value(json!({"metadata": {"namespace": ns, "name": name},
        "containers": [{"name": "a", "usage": {"cpu": cpu, "memory": mem}}]}))
    .expect("PodMetrics")
}

fn find<'a>(s: &'a [Sample], scope: &str, name: &str, metric: &str) -> &'a Sample {
    s.iter()
        .find(|x| x.scope == scope && x.name == name && x.metric == metric)
        .unwrap_or_else(|| panic!("no {scope}/{name}/{metric} in {s:#?}"))
}

#[test]
fn quantities_and_apps() {
    assert_eq!(number("250m"), 0.25);
    assert_eq!(number("1Ki"), 1024.0);
    assert_eq!(number("123456789n"), 0.123456789);
    assert_eq!(number("garbage"), 0.0);
    let p = pod(
        "a",
        "web-5d4f-x",
        "n1",
        "100m",
        json!({"pod-template-hash": "5d4f"}),
        Some(("ReplicaSet", "web-5d4f")),
    );
    assert_eq!(app_of(&p), "web");
    let p = pod(
        "a",
        "db-0",
        "n1",
        "100m",
        json!({}),
        Some(("StatefulSet", "db")),
    );
    assert_eq!(app_of(&p), "db");
    let p = pod(
        "a",
        "x",
        "n1",
        "1",
        json!({"app.kubernetes.io/name": "shop"}),
        Some(("ReplicaSet", "y")),
    );
    assert_eq!(app_of(&p), "shop");
    assert_eq!(
        app_of(&pod("a", "lonely", "", "1", json!({}), None)),
        "lonely"
    );
}

#[test]
fn sums_per_scope_match_the_parts() {
    let pods = vec![
        pod(
            "shop",
            "web-1",
            "n1",
            "100m",
            json!({"app.kubernetes.io/name": "web"}),
            None,
        ),
        pod(
            "shop",
            "web-2",
            "n2",
            "100m",
            json!({"app.kubernetes.io/name": "web"}),
            None,
        ),
        pod(
            "dev",
            "job-1",
            "n1",
            "500m",
            json!({}),
            Some(("Job", "job")),
        ),
        pod("kube-system", "dns", "n1", "50m", json!({}), None),
    ];
    let pm = vec![
        pod_metrics("shop", "web-1", "150m", "100Mi"),
        pod_metrics("shop", "web-2", "50m", "100Mi"),
        pod_metrics("dev", "job-1", "1", "1Gi"),
        pod_metrics("kube-system", "dns", "10m", "10Mi"),
    ];
    let nodes = vec![
        json!({"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi", "nvidia.com/gpu": "2"}, "allocatable": {"cpu": "3800m", "memory": "7Gi", "nvidia.com/gpu": "2"}}}),
        json!({"metadata": {"name": "n2"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi"}, "allocatable": {"cpu": "3800m", "memory": "7Gi"}}}),
    ];
    let nm = vec![
        json!({"metadata": {"name": "n1"}, "usage": {"cpu": "1500m", "memory": "2Gi"}}),
        json!({"metadata": {"name": "n2"}, "usage": {"cpu": "200m", "memory": "1Gi"}}),
    ];
    let svcs = vec![
        json!({"metadata": {"namespace": "shop", "name": "web-svc"}, "spec": {"selector": {"app.kubernetes.io/name": "web"}}}),
    ];
    let tenants: HashMap<String, String> = [
        ("shop".into(), "acme".into()),
        ("dev".into(), "acme".into()),
    ]
    .into();
    let quotas = BTreeMap::from([(
        "shop".to_string(),
        (
            BTreeMap::from([("requests.cpu".to_string(), "2".to_string())]),
            BTreeMap::from([("requests.cpu".to_string(), "400m".to_string())]),
        ),
    )]);
    let budgets = BTreeMap::from([(
        "acme".to_string(),
        BTreeMap::from([("requests.cpu".to_string(), "10".to_string())]),
    )]);
    let pods = infos(&pods);
    let pods: Vec<&PodInfo> = pods.iter().collect();
    let o = Observed {
        node_metrics: &nm,
        pod_metrics: &pm,
        nodes: &nodes,
        pods: &pods,
        services: &svcs,
        tenants: &tenants,
        quotas: &quotas,
        budgets: &budgets,
    };
    let (agg, per_pod) = build(&o);
    let v = |scope: &str, name: &str, metric: &str| find(&agg, scope, name, metric).value;
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        close(v("cluster", "", "cpu"), 1.7),
        "node usage sums to the cluster's"
    );
    assert!(close(v("cluster", "", "cpu.capacity"), 8.0));
    assert!(close(v("cluster", "", "gpu.capacity"), 2.0));
    assert!(
        close(v("cluster", "", "cpu.requests"), 1.5),
        "{}",
        v("cluster", "", "cpu.requests")
    );
    assert!(close(v("namespace", "shop", "cpu"), 0.2));
    assert!(close(v("tenant", "acme", "cpu"), 1.2), "shop + dev");
    assert!(close(
        v("tenant", "acme", "memory"),
        (200.0 + 1024.0) * 1048576.0
    ));
    assert!(close(v("app", "shop/web", "pods"), 2.0));
    assert!(close(v("app", "shop/web", "services"), 1.0));
    assert!(close(v("app", "dev/job", "running"), 1.0));
    assert!(close(v("node", "n1", "pods"), 3.0));
    assert!(close(v("tenant", "acme", "quota.used/requests.cpu"), 0.4));
    assert!(close(v("tenant", "acme", "budget/requests.cpu"), 10.0));
    let ns = find(&agg, "namespace", "shop", "cpu");
    assert_eq!(
        (ns.tenant.as_deref(), ns.request, ns.limit),
        (Some("acme"), Some(0.4), Some(2.0))
    );
    assert!(
        find(&agg, "namespace", "kube-system", "cpu")
            .tenant
            .is_none()
    );
    let node = find(&agg, "node", "n1", "cpu");
    assert!(
        close(node.limit.unwrap(), 3.8),
        "a node's limit is its allocatable"
    );
    // Pods: one usage series per resource, with the pod's requests and limits.
    assert_eq!(per_pod.len(), 8);
    let p = find(&per_pod, "pod", "dev/job-1", "cpu");
    assert_eq!(
        (p.value, p.request, p.limit, p.tenant.as_deref()),
        (1.0, Some(1.0), Some(1.0), Some("acme"))
    );
    let pod_sum: f64 = per_pod
        .iter()
        .filter(|s| s.metric == "cpu")
        .map(|s| s.value)
        .sum();
    assert!(
        close(pod_sum, 1.21),
        "pod usage sums to what the metrics API said"
    );
}

#[test]
fn without_a_metrics_api_requests_still_count() {
    let pods = vec![pod("shop", "web-1", "n1", "100m", json!({}), None)];
    let pods = infos(&pods);
    let pods: Vec<&PodInfo> = pods.iter().collect();
    let (tenants, quotas, budgets) = (HashMap::new(), BTreeMap::new(), BTreeMap::new());
    let o = Observed {
        node_metrics: &[],
        pod_metrics: &[],
        nodes: &[],
        pods: &pods,
        services: &[],
        tenants: &tenants,
        quotas: &quotas,
        budgets: &budgets,
    };
    let (agg, per_pod) = build(&o);
    assert!(per_pod.is_empty());
    assert_eq!(find(&agg, "namespace", "shop", "cpu.requests").value, 0.2);
    assert_eq!(find(&agg, "namespace", "shop", "cpu").value, 0.0);
}
