//! Benchmark of the metrics collector and its storage, against an in-process simcluster (metrics
//! API on) and an embedded PostgreSQL: PODS pods as Deployments of 100 replicas spread over
//! namespaces of 1,000 pods, owned by 10 tenants; then CYCLES collection cycles (timed), the
//! rows and bytes they wrote (`pg_total_relation_size`), the database size per day that
//! follows, and the time of a 30-day series query of one tenant after filling 30 days of
//! five-minute roll-ups for every tenant and namespace series.
//!
//! `cargo run --release -p ku8portal --example metrics_bench -- [PODS=30000] [CYCLES=8]`

use std::time::{Duration, Instant};

use futures::StreamExt;
use ku8portal::auth::principal::Via;
use ku8portal::auth::{Membership, Principal};
use ku8portal::metrics::collector::Collector;
use ku8portal::metrics::query::{SeriesQuery, load_series};
use ku8portal::metrics::store::{self, Retention};
use ku8portal::state::{AppState, Settings};
use serde_json::{Value, json};
use simcluster::{Seed, SimCluster, SimConfig};
use sqlx::PgPool;

const TENANTS: usize = 10;
const PER_NS: usize = 1000;
const REPLICAS: usize = 100;

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn scalar(db: &PgPool, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await?)
}

async fn size(db: &PgPool, table: &str) -> anyhow::Result<i64> {
    scalar(db, &format!("SELECT pg_total_relation_size('{table}')")).await
}

async fn post(kube: &kube::Client, path: &str, body: Value) -> anyhow::Result<()> {
    let req = http::Request::post(path)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body)?)?;
    kube.request::<Value>(req).await?;
    Ok(())
}

async fn count(kube: &kube::Client, path: &str) -> usize {
    let req = http::Request::get(path).body(Vec::new()).expect("request");
    kube.request::<Value>(req)
        .await
        .ok()
        .and_then(|v| v["items"].as_array().map(Vec::len))
        .unwrap_or(0)
}

/// Tenants and namespaces in the database, Namespaces and Deployments in the cluster.
async fn seed(db: &PgPool, kube: &kube::Client, pods: usize) -> anyhow::Result<()> {
    let namespaces = pods.div_ceil(PER_NS);
    for t in 0..TENANTS {
        sqlx::query("INSERT INTO tenants (name, budget) VALUES ($1, $2)")
            .bind(format!("t{t}"))
            .bind(json!({"requests.cpu": "1000", "requests.memory": "4Ti", "pods": "20000"}))
            .execute(db)
            .await?;
    }
    let jobs = (0..namespaces).map(|n| async move {
        let ns = format!("bench-{n}");
        sqlx::query(
            "INSERT INTO namespaces (tenant_id, name, sync_state) SELECT id, $2, 'in-sync' FROM tenants WHERE name = $1",
        )
        .bind(format!("t{}", n % TENANTS))
        .bind(&ns)
        .execute(db)
        .await?;
        post(kube, "/api/v1/namespaces", json!({"metadata": {"name": ns}})).await?;
        for d in 0..PER_NS.min(pods - n * PER_NS) / REPLICAS {
            post(kube, &format!("/apis/apps/v1/namespaces/{ns}/deployments"), json!({
                "metadata": {"name": format!("app-{d}")},
                "spec": {"replicas": REPLICAS, "selector": {"matchLabels": {"app": format!("app-{d}")}},
                    "template": {"metadata": {"labels": {"app": format!("app-{d}")}},
                        "spec": {"containers": [{"name": "c", "image": "nginx",
                            "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}}})).await?;
        }
        anyhow::Ok(())
    });
    let results: Vec<_> = futures::stream::iter(jobs)
        .buffer_unordered(4)
        .collect()
        .await;
    results.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (pods, cycles) = (arg(1, 30_000), arg(2, 8));
    println!("{pods} pods, {cycles} cycles");
    let dir = tempfile::tempdir()?;
    let pg = ku8portal::db::embedded::EmbeddedPostgres::start_ephemeral(dir.path()).await?;
    pg.ensure_database("bench").await?;
    let db = ku8portal::db::connect(&pg.url("bench"), 8).await?;
    ku8portal::db::migrate(&db).await?;
    let sim = SimCluster::start(SimConfig {
        listen: "127.0.0.1:0".parse()?,
        metrics_api: true,
        seed: Seed::Empty,
        extra_nodes: (pods / 80).saturating_sub(4),
        ..Default::default()
    })
    .await?;
    let kube = ku8portal::kube_client::client_from_yaml(&sim.kubeconfig()).await?;
    let t = Instant::now();
    seed(&db, &kube, pods).await?;
    println!("created in {:.0} s", t.elapsed().as_secs_f64());
    let (mut measured, mut last, mut still) = (0, 0, 0);
    // Until every pod is measured, or 30 s without progress.
    while measured < pods && still < 15 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        measured = count(&kube, "/apis/metrics.k8s.io/v1beta1/pods").await;
        still = if measured == last { still + 1 } else { 0 };
        last = measured;
    }
    println!(
        "seeded: {measured} of {pods} pods measured after {:.0} s",
        t.elapsed().as_secs_f64()
    );

    // What the cluster's side of a cycle costs: the two big LISTs alone.
    for path in [
        "/api/v1/pods",
        "/apis/metrics.k8s.io/v1beta1/pods",
        "/apis/metrics.k8s.io/v1beta1/nodes",
        "/api/v1/nodes",
    ] {
        let t = Instant::now();
        let n = count(&kube, path).await;
        println!(
            "LIST {path}: {n} items in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let state = AppState::new(db.clone(), kube.clone(), Settings::default());
    // As the collector runs when it leads: pods from a watch-fed cache (its initial list timed).
    let t = Instant::now();
    let mut c = Collector::default().watching_pods(kube.clone());
    while !c.pods_cached() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "pod cache: initial list and watch in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let start = ku8portal::time::now();
    let mut times = Vec::new();
    let (rows0, bytes0) = (0i64, size(&db, "metric_samples").await?);
    for i in 0..cycles {
        let now = start + time::Duration::seconds(15 * i as i64);
        let t = Instant::now();
        c.cycle(&state, now, Retention::default()).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        println!("  cycle {i}: {:?}", c.last_times);
    }
    let first = times[0];
    let steady = median(times[1..].to_vec());
    let rows = scalar(&db, "SELECT count(*) FROM metric_samples").await? - rows0;
    let per_cycle = rows / cycles as i64;
    let sample_bytes = (size(&db, "metric_samples").await? - bytes0) as f64 / rows as f64;
    c.flush(&state).await?;
    store::roll_up(&db, start + time::Duration::minutes(10)).await?;
    let rollups = scalar(&db, "SELECT count(*) FROM metric_rollups").await?;
    let rollup_bytes = size(&db, "metric_rollups").await? as f64 / rollups as f64;
    let pod_series = scalar(
        &db,
        "SELECT count(*) FROM metric_series WHERE scope = 'pod'",
    )
    .await?;
    let agg_series = scalar(
        &db,
        "SELECT count(*) FROM metric_series WHERE scope <> 'pod'",
    )
    .await?;
    println!(
        "collector: first cycle {first:.0} ms (creates the series), then median {steady:.0} ms over {} cycles",
        cycles - 1
    );
    println!(
        "series: {agg_series} aggregate (raw + roll-ups), {pod_series} of pods (roll-ups only)"
    );
    println!("raw samples: {per_cycle} rows/cycle, {sample_bytes:.0} bytes/row with indexes");
    println!("roll-ups: {rollups} rows, {rollup_bytes:.0} bytes/row with indexes");
    let raw_day = per_cycle as f64 * 5760.0 * sample_bytes;
    let rollup_day = (agg_series + pod_series) as f64 * 288.0 * rollup_bytes;
    let steady_state = raw_day
        + pod_series as f64 * 288.0 * rollup_bytes
        + agg_series as f64 * 288.0 * 30.0 * rollup_bytes;
    println!(
        "per day at 15 s: raw {:.0} MiB, roll-ups {:.0} MiB; kept (raw 1 day, pods' roll-ups 1 day, others 30 days): {:.0} MiB",
        raw_day / 1048576.0,
        rollup_day / 1048576.0,
        steady_state / 1048576.0
    );

    // 30 days of roll-ups for every tenant and namespace series, then one tenant's query.
    let t = Instant::now();
    let filled = sqlx::query(
        r#"INSERT INTO metric_rollups (series_id, bucket, min, avg, max, samples)
           SELECT s.id, b, 1, 1.5 + random(), 3, 20
           FROM metric_series s,
                generate_series(date_trunc('hour', now()) - interval '30 days', now() - interval '10 minutes', interval '5 minutes') AS b
           WHERE s.scope IN ('tenant', 'namespace')
           ON CONFLICT DO NOTHING"#,
    )
    .execute(&db)
    .await?
    .rows_affected();
    sqlx::query("ANALYZE").execute(&db).await?;
    println!(
        "filled {filled} roll-up rows (30 days of tenant and namespace series) in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    let tenant_id = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM tenants WHERE name = 't0'")
        .fetch_one(&db)
        .await?;
    let p = Principal {
        user_id: uuid::Uuid::new_v4(),
        username: "bench".into(),
        display_name: "bench".into(),
        platform_admin: false,
        memberships: vec![Membership {
            tenant_id,
            tenant: "t0".into(),
            role: api_types::portal::Role::TenantMember,
        }],
        via: Via::Token,
        session_epoch: 0,
    };
    for (label, metric) in [
        ("1 metric", "cpu"),
        (
            "3 metrics",
            "quota.used/requests.cpu,quota.hard/requests.cpu,budget/requests.cpu",
        ),
    ] {
        let mut times = Vec::new();
        let mut points = 0;
        for _ in 0..21 {
            let q = SeriesQuery {
                scope: "tenant".into(),
                name: "t0".into(),
                metric: metric.into(),
                range: "30d".into(),
            };
            let t = Instant::now();
            let set = load_series(&state, &p, q)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            points = set.series.iter().map(|s| s.points.len()).sum();
        }
        println!(
            "30-day series of tenant t0, {label}: median {:.1} ms ({points} points)",
            median(times)
        );
    }
    // For comparison: the same cycle listing every pod instead of reading the cache.
    let mut listing = Collector::default();
    let mut times = Vec::new();
    for i in 0..3 {
        let now = start + time::Duration::seconds(15 * (cycles + i) as i64);
        let t = Instant::now();
        listing.cycle(&state, now, Retention::default()).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "for comparison, listing pods each cycle: median {:.0} ms of 3 cycles",
        median(times)
    );
    let total = scalar(&db, "SELECT pg_database_size('bench')").await?;
    println!(
        "database size at the end: {:.0} MiB",
        total as f64 / 1048576.0
    );
    sim.shutdown().await;
    pg.stop().await?;
    Ok(())
}
