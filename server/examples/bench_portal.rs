//! Portal core benchmark: login latency, quota-change-to-cluster latency (p50/p99) and
//! requests/s of tenant usage summaries with 50 tenants × 20 namespaces. Everything in one
//! process: an ephemeral embedded PostgreSQL, simcluster over HTTPS, the portal on a free port.
//!
//! `cargo run --release -p ku8portal --example bench_portal` (prints Markdown).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use k8s_openapi::api::core::v1::ResourceQuota;
use ku8portal::db::embedded::EmbeddedPostgres;
use ku8portal::runtime::{Cluster, Database, PortalConfig};
use serde_json::{Value, json};

const TENANTS: usize = 50;
const NAMESPACES: usize = 20;

type Http = Client<HttpConnector, Full<Bytes>>;

async fn call(
    c: &Http,
    url: &str,
    method: Method,
    path: &str,
    cookie: &str,
    body: Option<Value>,
) -> (u16, Value, Option<String>) {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("{url}{path}"));
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    let bytes = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Bytes::from(b.to_string())
        }
        None => Bytes::new(),
    };
    let resp = c
        .request(req.body(Full::new(bytes)).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let set = resp
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
        set,
    )
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let pg = EmbeddedPostgres::start_ephemeral(dir.path()).await?;
    pg.ensure_database("bench").await?;
    let sim = simcluster::SimCluster::start(simcluster::SimConfig {
        listen: "127.0.0.1:0".parse()?,
        seed: simcluster::Seed::Empty,
        ..Default::default()
    })
    .await?;
    let portal = ku8portal::runtime::start(PortalConfig {
        listen: "127.0.0.1:0".parse()?,
        database: Database::Url(pg.url("bench")),
        cluster: Cluster::KubeconfigYaml(sim.kubeconfig()),
        settings: ku8portal::state::Settings {
            resync_interval: Duration::from_secs(600),
            ..Default::default()
        },
        tls: None,
        plain_http_too: false,
        bootstrap_admin: Some(("admin".into(), "admin-password-1".into())),
        reconciler: true,
    })
    .await?;
    let url = portal.url.clone();
    let c: Http = Client::builder(TokioExecutor::new()).build_http();
    let kube = ku8portal::kube_client::client_from_yaml(&sim.kubeconfig()).await?;

    // Login latency (Argon2id verification dominates).
    let mut logins = Vec::new();
    let mut cookie = String::new();
    for _ in 0..30 {
        let t = Instant::now();
        let (s, _, set) = call(
            &c,
            &url,
            Method::POST,
            "/api/v1/auth/login",
            "",
            Some(json!({"username": "admin", "password": "admin-password-1"})),
        )
        .await;
        logins.push(t.elapsed());
        assert_eq!(s, 200);
        cookie = set.unwrap();
    }
    // 50 tenants × 20 namespaces.
    let t = Instant::now();
    for i in 0..TENANTS {
        let (s, b, _) = call(&c, &url, Method::POST, "/api/v1/tenants", &cookie, Some(json!({"name": format!("t{i:02}"), "budget": {"requests.cpu": "1000", "pods": "10000"}}))).await;
        assert_eq!(s, 201, "{b}");
        for j in 0..NAMESPACES {
            let (s, b, _) = call(&c, &url, Method::POST, &format!("/api/v1/tenants/t{i:02}/namespaces"), &cookie, Some(json!({"name": format!("t{i:02}-n{j:02}"), "quota": {"requests.cpu": "10", "pods": "100"}}))).await;
            assert_eq!(s, 201, "{b}");
        }
    }
    let created = t.elapsed();
    // Wait until every namespace is in sync.
    let t = Instant::now();
    loop {
        let (_, b, _) = call(&c, &url, Method::GET, "/api/v1/namespaces", &cookie, None).await;
        let synced = b
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["sync_state"] == "in-sync")
            .count();
        if synced == TENANTS * NAMESPACES {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let converged = t.elapsed();

    // Quota change → visible in the cluster.
    let mut lat = Vec::new();
    for k in 0..200 {
        let (i, j) = (k % TENANTS, k % NAMESPACES);
        let ns = format!("t{i:02}-n{j:02}");
        let cpu = format!("{}", 11 + k);
        let rq: kube::Api<ResourceQuota> = kube::Api::namespaced(kube.clone(), &ns);
        let t = Instant::now();
        let (s, b, _) = call(
            &c,
            &url,
            Method::PATCH,
            &format!("/api/v1/tenants/t{i:02}/namespaces/{ns}"),
            &cookie,
            Some(json!({"quota": {"requests.cpu": cpu, "pods": "100"}})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        loop {
            let q = rq.get("ku8portal-quota").await?;
            if q.spec
                .and_then(|s| s.hard)
                .and_then(|h| h.get("requests.cpu").cloned())
                .map(|q| q.0)
                == Some(cpu.clone())
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        lat.push(t.elapsed());
    }

    // Usage summaries: 8 concurrent clients for 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut tasks = Vec::new();
    for w in 0..8 {
        let (c, url, cookie) = (c.clone(), url.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let (s, _, _) = call(
                    &c,
                    &url,
                    Method::GET,
                    &format!("/api/v1/tenants/t{:02}/usage", (w * 7 + n) % TENANTS),
                    &cookie,
                    None,
                )
                .await;
                assert_eq!(s, 200);
                lat.push(t.elapsed());
                n += 1;
            }
            lat
        }));
    }
    let mut usage = Vec::new();
    for t in tasks {
        usage.extend(t.await?);
    }
    let rps = usage.len() as f64 / 10.0;

    println!("| measurement | result |");
    println!("|---|---|");
    println!(
        "| login (30 sequential), p50 / p99 | {} / {} |",
        ms(pct(&mut logins, 0.5)),
        ms(pct(&mut logins, 0.99))
    );
    println!(
        "| create 50 tenants + 1,000 namespaces through the API | {:.1} s ({:.0} namespaces/s) |",
        created.as_secs_f64(),
        1000.0 / created.as_secs_f64()
    );
    println!(
        "| … then all 1,000 namespaces in sync in the cluster | {:.1} s later |",
        converged.as_secs_f64()
    );
    println!(
        "| quota change → ResourceQuota updated in the cluster (200 changes), p50 / p99 | {} / {} |",
        ms(pct(&mut lat, 0.5)),
        ms(pct(&mut lat, 0.99))
    );
    println!(
        "| tenant usage summary (20 namespaces each), 8 clients, 10 s | {rps:.0} requests/s, p50 {} / p99 {} |",
        ms(pct(&mut usage, 0.5)),
        ms(pct(&mut usage, 0.99))
    );
    portal.shutdown().await;
    sim.shutdown().await;
    pg.stop().await?;
    Ok(())
}
