//! The metrics collector against simcluster's metrics API and real PostgreSQL: sums that match
//! the metrics API, roll-ups at bucket boundaries, retention, who may read which series, and a
//! cluster without a metrics API.

mod common;

use std::time::Duration;

use common::portal::{TestPortal, settings};
use common::tenancy::two_tenants;
use ku8portal::metrics::collector::Collector;
use ku8portal::metrics::pods::PodCache;
use ku8portal::metrics::sample::number;
use ku8portal::metrics::store::{self, Retention};
use serde_json::{Value, json};
use simcluster::SimConfig;
use time::macros::datetime;

async fn portal(metrics_api: bool) -> TestPortal {
    let s = ku8portal::state::Settings {
        metrics_interval: Duration::ZERO,
        ..settings()
    };
    TestPortal::start_on(
        s,
        SimConfig {
            metrics_api,
            kubelet_delay: Duration::from_millis(100),
            ..Default::default()
        },
    )
    .await
}

async fn get(kube: &kube::Client, path: &str) -> Value {
    kube.request(http::Request::get(path).body(vec![]).unwrap())
        .await
        .unwrap()
}

/// Sum of the containers' CPU of the PodMetrics in `namespaces`.
fn pod_cpu(list: &Value, namespaces: &[&str]) -> f64 {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| namespaces.contains(&m["metadata"]["namespace"].as_str().unwrap()))
        .flat_map(|m| m["containers"].as_array().unwrap().clone())
        .map(|c| number(c["usage"]["cpu"].as_str().unwrap()))
        .sum()
}

async fn deploy(kube: &kube::Client, ns: &str, replicas: i32) {
    let d: k8s_openapi::api::apps::v1::Deployment = serde_json::from_value(json!({
        "metadata": {"name": "web"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx",
                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}}}))
    .unwrap();
    kube::Api::namespaced(kube.clone(), ns)
        .create(&Default::default(), &d)
        .await
        .unwrap();
}

/// Waits until the metrics API measures at least `n` pods.
async fn pods_measured(kube: &kube::Client, n: usize) {
    common::portal::eventually(20, "pods measured", || {
        let kube = kube.clone();
        async move {
            let l = get(&kube, "/apis/metrics.k8s.io/v1beta1/pods").await;
            l["items"].as_array().unwrap().len() >= n
        }
    })
    .await;
}

/// Waits until `n` pods of `ns` are on nodes.
async fn pods_scheduled(kube: &kube::Client, ns: &str, n: usize) {
    common::portal::eventually(20, "pods scheduled", || {
        let (kube, path) = (kube.clone(), format!("/api/v1/namespaces/{ns}/pods"));
        async move {
            let pods = get(&kube, &path).await;
            let items = pods["items"].as_array().unwrap();
            items.len() == n && items.iter().all(|p| p["spec"]["nodeName"].is_string())
        }
    })
    .await;
}

fn latest(set: &Value, metric: &str) -> f64 {
    let s = set["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["metric"] == metric)
        .unwrap();
    s["points"]
        .as_array()
        .unwrap()
        .last()
        .unwrap_or_else(|| panic!("no points: {set}"))["avg"]
        .as_f64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn collected_sums_match_the_metrics_api_and_tenants_see_only_theirs() {
    let tp = portal(true).await;
    let mut admin = two_tenants(&tp).await;
    let kube = tp.kube().await;
    deploy(&kube, "acme-dev", 3).await;
    deploy(&kube, "acme-prod", 1).await;
    deploy(&kube, "globex-prod", 2).await;
    pods_measured(&kube, 6).await;
    let state = tp.state().clone();
    // As the collector runs when it leads: pods from a watch-fed cache.
    let mut c = Collector::default().watching_pods(kube.clone());
    common::portal::eventually(20, "pod cache in sync", || {
        let synced = c.pods_cached();
        async move { synced }
    })
    .await;
    // Usage moves with time: read the metrics API around the cycle until both reads agree.
    let (pods, nodes) = loop {
        let before = get(&kube, "/apis/metrics.k8s.io/v1beta1/pods").await;
        c.cycle(&state, ku8portal::time::now(), Retention::default())
            .await
            .unwrap();
        let after = get(&kube, "/apis/metrics.k8s.io/v1beta1/pods").await;
        let nodes = get(&kube, "/apis/metrics.k8s.io/v1beta1/nodes").await;
        if pod_cpu(&before, &["acme-dev"]) == pod_cpu(&after, &["acme-dev"]) {
            break (after, nodes);
        }
    };
    // The first cycle wrote the pods' numbers already: rankings need not wait for a bucket.
    let mut bob = tp.login("bob").await;
    let early = bob
        .get("/api/v1/metrics/top?scope=pod&metric=cpu&window=1h")
        .await
        .expect(200);
    assert_eq!(early.body.as_array().unwrap().len(), 4, "{}", early.text);
    c.flush(&state).await.unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;

    let ns = bob
        .get("/api/v1/metrics/series?scope=namespace&name=acme-dev&metric=cpu,cpu.requests,pods&range=1h")
        .await
        .expect(200);
    assert!(
        close(latest(&ns.body, "cpu"), pod_cpu(&pods, &["acme-dev"])),
        "{}",
        ns.text
    );
    assert!(close(latest(&ns.body, "cpu.requests"), 0.3), "{}", ns.text);
    assert_eq!(latest(&ns.body, "pods"), 3.0);
    let t = bob
        .get("/api/v1/metrics/series?scope=tenant&name=acme&metric=cpu&range=1h")
        .await
        .expect(200);
    assert!(
        close(
            latest(&t.body, "cpu"),
            pod_cpu(&pods, &["acme-dev", "acme-prod"])
        ),
        "{}",
        t.text
    );
    let cluster = admin
        .get("/api/v1/metrics/series?scope=cluster&metric=cpu,cpu.capacity&range=24h")
        .await
        .expect(200);
    let node_sum: f64 = nodes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| number(n["usage"]["cpu"].as_str().unwrap()))
        .sum();
    assert!(
        close(latest(&cluster.body, "cpu"), node_sum),
        "{}",
        cluster.text
    );
    let app = bob
        .get("/api/v1/metrics/series?scope=app&name=acme-dev%2Fweb&metric=pods,running&range=1h")
        .await
        .expect(200);
    assert_eq!(latest(&app.body, "pods"), 3.0, "{}", app.text);

    // Rankings: bob sees acme's pods only, by usage, with % of request.
    let top = bob
        .get("/api/v1/metrics/top?scope=pod&metric=cpu&window=1h")
        .await
        .expect(200);
    let rows = top.body.as_array().unwrap();
    assert_eq!(rows.len(), 4, "{}", top.text);
    assert!(rows.iter().all(|r| r["tenant"] == "acme"), "{}", top.text);
    assert!(rows[0]["avg"].as_f64() >= rows[3]["avg"].as_f64());
    assert!(rows[0]["pct_of_request"].as_f64().is_some());
    let all = admin
        .get("/api/v1/metrics/top?scope=pod&window=1h&limit=100")
        .await
        .expect(200);
    assert_eq!(all.body.as_array().unwrap().len(), 6, "{}", all.text);

    // Another tenant's series, the cluster and nodes: not bob's to read.
    let mut heidi = tp.login("heidi").await;
    heidi
        .get("/api/v1/metrics/series?scope=namespace&name=acme-dev&metric=cpu")
        .await
        .expect(404);
    heidi
        .get("/api/v1/metrics/series?scope=tenant&name=acme&metric=cpu")
        .await
        .expect(404);
    bob.get("/api/v1/metrics/series?scope=cluster&metric=cpu")
        .await
        .expect(404);
    bob.get("/api/v1/metrics/top?scope=node").await.expect(403);
    let theirs = heidi
        .get("/api/v1/metrics/top?scope=namespace&window=1h")
        .await
        .expect(200);
    assert!(!theirs.text.contains("acme"), "{}", theirs.text);
    bob.get("/api/v1/metrics/series?scope=galaxy&metric=cpu")
        .await
        .expect(400);
    bob.get("/api/v1/metrics/series?scope=tenant&name=acme&metric=cpu&range=2y")
        .await
        .expect(400);
    let status = bob.get("/api/v1/metrics/status").await.expect(200);
    assert_eq!(status.body["metrics_api"], true);
    tp.shutdown().await;
}

/// The pods of `ns` in the cache: (name, node, cpu request) sorted.
fn cached(cache: &PodCache, ns: &str) -> Option<Vec<(String, String, f64)>> {
    cache.with_pods(|pods| {
        let mut v: Vec<_> = pods
            .iter()
            .filter(|p| p.namespace == ns)
            .map(|p| (p.name.clone(), p.node.clone(), p.cpu.request))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_pod_cache_follows_creates_scheduling_and_deletes() {
    let tp = portal(true).await;
    let _admin = two_tenants(&tp).await;
    let kube = tp.kube().await;
    let cache = PodCache::start(kube.clone());
    common::portal::eventually(20, "pod cache in sync", || {
        let synced = cached(&cache, "acme-dev").is_some();
        async move { synced }
    })
    .await;
    assert_eq!(cached(&cache, "acme-dev"), Some(vec![]));
    deploy(&kube, "acme-dev", 2).await;
    common::portal::eventually(20, "two scheduled pods in the cache", || {
        let pods = cached(&cache, "acme-dev").unwrap_or_default();
        let ok = pods.len() == 2
            && pods
                .iter()
                .all(|(_, node, cpu)| !node.is_empty() && (cpu - 0.1).abs() < 1e-9);
        async move { ok }
    })
    .await;
    let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
        kube::Api::namespaced(kube.clone(), "acme-dev");
    api.delete("web", &kube::api::DeleteParams::foreground())
        .await
        .unwrap();
    common::portal::eventually(20, "deleted pods leave the cache", || {
        let gone = cached(&cache, "acme-dev") == Some(vec![]);
        async move { gone }
    })
    .await;
    drop(cache);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rollups_at_bucket_boundaries_and_retention() {
    let tp = portal(false).await;
    let db = tp.state().db.clone();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO metric_series (scope, name, metric) VALUES ('node', 'n1', 'cpu') RETURNING id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    for (at, v) in [
        (datetime!(2026-11-01 10:00:00 UTC), 1.0),
        (datetime!(2026-11-01 10:04:59 UTC), 3.0),
        (datetime!(2026-11-01 10:05:00 UTC), 10.0),
        (datetime!(2026-11-01 10:09:59 UTC), 20.0),
        (datetime!(2026-11-01 10:10:00 UTC), 99.0),
    ] {
        sqlx::query("INSERT INTO metric_samples (series_id, at, value) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(at)
            .bind(v)
            .execute(&db)
            .await
            .unwrap();
    }
    // At 10:12 the 10:10 bucket is still open: two buckets are rolled up, twice is the same.
    for _ in 0..2 {
        store::roll_up(&db, datetime!(2026-11-01 10:12:00 UTC))
            .await
            .unwrap();
    }
    let rows: Vec<(time::OffsetDateTime, f64, f64, f64, i32)> = sqlx::query_as(
        "SELECT bucket, min, avg, max, samples FROM metric_rollups WHERE series_id = $1 ORDER BY bucket",
    )
    .bind(id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (datetime!(2026-11-01 10:00:00 UTC), 1.0, 2.0, 3.0, 2),
            (datetime!(2026-11-01 10:05:00 UTC), 10.0, 15.0, 20.0, 2),
        ]
    );
    store::roll_up(&db, datetime!(2026-11-01 10:15:00 UTC))
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM metric_rollups")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(n, 3, "the 10:10 bucket once it closed");

    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    // A day later the raw samples go, the roll-ups stay; after 30 days everything goes.
    store::expire(
        &db,
        datetime!(2026-11-02 10:07:00 UTC),
        Retention::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        (count("metric_samples").await, count("metric_rollups").await),
        (2, 3)
    );
    store::expire(
        &db,
        datetime!(2026-12-01 10:07:00 UTC),
        Retention::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        count("metric_rollups").await,
        1,
        "only the 10:10 bucket is younger than 30 days"
    );
    store::expire(
        &db,
        datetime!(2026-12-02 10:00:00 UTC),
        Retention::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        (count("metric_rollups").await, count("metric_series").await),
        (0, 0),
        "a series without data is gone"
    );
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_a_metrics_api_requests_are_still_collected() {
    let tp = portal(false).await;
    let mut admin = two_tenants(&tp).await;
    let kube = tp.kube().await;
    deploy(&kube, "acme-dev", 2).await;
    let state = tp.state().clone();
    let mut c = Collector::default();
    pods_scheduled(&kube, "acme-dev", 2).await;
    c.cycle(&state, ku8portal::time::now(), Retention::default())
        .await
        .unwrap();
    let status = admin.get("/api/v1/metrics/status").await.expect(200);
    assert_eq!(status.body["metrics_api"], false);
    assert!(
        status.body["message"]
            .as_str()
            .unwrap()
            .contains("metrics API not available")
    );
    let ns = admin
        .get("/api/v1/metrics/series?scope=namespace&name=acme-dev&metric=cpu.requests,quota.hard/requests.cpu")
        .await
        .expect(200);
    assert!(
        (latest(&ns.body, "cpu.requests") - 0.2).abs() < 1e-9,
        "{}",
        ns.text
    );
    assert_eq!(latest(&ns.body, "quota.hard/requests.cpu"), 4.0);
    tp.shutdown().await;
}

#[path = "metrics/charts.rs"]
mod charts;
