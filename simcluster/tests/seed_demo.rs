//! `--seed demo` and `--seed empty`: every seeded object is created (through the API's create
//! pipeline, so defaulted and valid), the control plane's static pods run, services got their
//! addresses; the empty seed registers nodes and leases only.

mod common;

use std::time::{Duration, Instant};

use serde_json::Value;
use simcluster::{Seed, SimConfig};

async fn list(c: &kube::Client, path: &str) -> Vec<Value> {
    let req = http::Request::get(path).body(Vec::new()).unwrap();
    let v: Value = c
        .request(req)
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    v["items"].as_array().cloned().unwrap_or_default()
}

fn names(items: &[Value]) -> Vec<String> {
    let mut n: Vec<String> = items
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap_or("").to_string())
        .collect();
    n.sort();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seed_builds_a_small_real_cluster() {
    let tc = common::TestCluster::start_with(SimConfig {
        seed: Seed::Demo,
        metrics_api: true,
        kubelet_delay: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await;
    let c = tc.client().await;
    assert_eq!(
        names(&list(&c, "/api/v1/nodes").await),
        [
            "sim-control-plane",
            "sim-gpu-1",
            "sim-worker-1",
            "sim-worker-2"
        ]
    );
    assert_eq!(
        list(
            &c,
            "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"
        )
        .await
        .len(),
        4
    );
    let ns = names(&list(&c, "/api/v1/namespaces").await);
    for n in ["analytics", "ml", "shop"] {
        assert!(ns.contains(&n.to_string()), "{ns:?}");
    }
    assert_eq!(
        names(&list(&c, "/apis/apps/v1/namespaces/shop/deployments").await),
        ["cart", "catalog", "frontend", "recommendations"]
    );
    assert_eq!(
        names(&list(&c, "/apis/apps/v1/namespaces/shop/statefulsets").await),
        ["postgres"]
    );
    // A custom resource, served by its established CRD.
    assert_eq!(
        names(
            &list(
                &c,
                "/apis/ops.example.com/v1/namespaces/shop/backupschedules"
            )
            .await
        ),
        ["shop-db-nightly"]
    );
    assert_eq!(
        names(&list(&c, "/apis/apps/v1/namespaces/kube-system/deployments").await),
        ["coredns", "metrics-server"]
    );
    assert_eq!(
        names(&list(&c, "/apis/apps/v1/namespaces/kube-system/daemonsets").await),
        ["kube-proxy"]
    );
    assert_eq!(
        names(&list(&c, "/apis/batch/v1/namespaces/analytics/cronjobs").await),
        ["hourly-sync", "nightly-report"]
    );
    assert_eq!(
        names(&list(&c, "/apis/batch/v1/jobs").await),
        ["backfill-2026-11", "fine-tune-llama"]
    );
    // The StatefulSet's claim template gives postgres its own claim.
    assert_eq!(
        names(&list(&c, "/api/v1/namespaces/shop/persistentvolumeclaims").await),
        ["data-postgres-0", "uploads"]
    );
    assert_eq!(
        names(&list(&c, "/apis/scheduling.k8s.io/v1/priorityclasses").await),
        ["system-cluster-critical", "system-node-critical"]
    );
    let svcs = list(&c, "/api/v1/services").await;
    let svc = |ns: &str, n: &str| {
        svcs.iter()
            .find(|s| s["metadata"]["namespace"] == ns && s["metadata"]["name"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        svc("kube-system", "kube-dns")["spec"]["clusterIP"],
        "10.96.0.10"
    );
    assert_eq!(
        svc("shop", "frontend")["spec"]["ports"][0]["nodePort"],
        30080
    );
    assert_eq!(svc("shop", "postgres")["spec"]["clusterIP"], "None");
    assert!(
        svc("ml", "inference")["spec"]["clusterIP"]
            .as_str()
            .unwrap()
            .starts_with("10.")
    );
    let start = Instant::now();
    loop {
        let pods = list(
            &c,
            "/api/v1/namespaces/kube-system/pods?labelSelector=tier%3Dcontrol-plane",
        )
        .await;
        let running = pods
            .iter()
            .filter(|p| p["status"]["phase"] == "Running")
            .count();
        if running == 4 {
            assert!(
                pods.iter().all(|p| p["status"]["podIP"] == "172.18.0.2"),
                "static pods use the host network"
            );
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "control plane pods not running: {pods:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_seed_has_nodes_only() {
    let tc = common::TestCluster::start_with(SimConfig {
        seed: Seed::Empty,
        kubelet: false,
        ..SimConfig::default()
    })
    .await;
    let c = tc.client().await;
    let nodes = list(&c, "/api/v1/nodes").await;
    assert_eq!(nodes.len(), 4);
    let gpu = nodes
        .iter()
        .find(|n| n["metadata"]["name"] == "sim-gpu-1")
        .unwrap();
    assert_eq!(gpu["status"]["allocatable"]["nvidia.com/gpu"], "4");
    assert_eq!(gpu["spec"]["taints"][0]["key"], "nvidia.com/gpu");
    assert!(list(&c, "/api/v1/pods").await.is_empty());
    assert!(list(&c, "/apis/apps/v1/deployments").await.is_empty());
    tc.cluster.shutdown().await;
}
