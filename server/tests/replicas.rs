//! `ku8portal serve` as real processes sharing one database: a change committed by a portal
//! killed before applying it converges after a restart, and of two replicas one runs the
//! reconciler at a time, the other taking over when it dies.

mod common;

use std::time::Duration;

use common::http::Api;
use common::portal::{ADMIN, ADMIN_PASSWORD, eventually};
use common::process::Replica;
use k8s_openapi::api::core::v1::ResourceQuota;
use kube::Api as KubeApi;
use serde_json::json;
use simcluster::{Seed, SimCluster, SimConfig};

fn serve(db: &str, kubeconfig: &std::path::Path, extra: &[&str]) -> Replica {
    let mut args = vec!["--resync-seconds", "2"];
    args.extend_from_slice(extra);
    common::process::serve(db, kubeconfig, &args)
}

async fn leader_pid(db: &sqlx::PgPool) -> Option<String> {
    let key = ku8portal::reconciler::leader::RECONCILER;
    sqlx::query_scalar(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ($1 >> 32) AND l.objid::bigint = ($1 & 4294967295)",
    )
    .bind(key)
    .fetch_optional(db)
    .await
    .unwrap()
}

async fn quota_of(kube: &kube::Client, ns: &str) -> Option<String> {
    let rq: KubeApi<ResourceQuota> = KubeApi::namespaced(kube.clone(), ns);
    let q = rq.get_opt("ku8portal-quota").await.ok()??;
    q.spec?.hard?.get("requests.cpu").map(|q| q.0.clone())
}

async fn setup() -> (SimCluster, tempfile::TempDir, String, kube::Client) {
    let sim = SimCluster::start(SimConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        seed: Seed::Empty,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    sim.write_kubeconfig(&dir.path().join("kubeconfig"))
        .unwrap();
    let db = common::db::fresh_database().await;
    let kube = ku8portal::kube_client::client_from_yaml(&sim.kubeconfig())
        .await
        .unwrap();
    (sim, dir, db, kube)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_committed_before_a_crash_converges_after_restart() {
    let (sim, dir, db, kube) = setup().await;
    let kc = dir.path().join("kubeconfig");
    let mut a = serve(&db, &kc, &["--no-reconciler"]);
    let mut api = Api::new(&a.url);
    api.login(ADMIN, ADMIN_PASSWORD).await;
    api.post(
        "/api/v1/tenants",
        &json!({"name": "acme", "budget": {"requests.cpu": "4"}}),
    )
    .await
    .expect(201);
    api.post(
        "/api/v1/tenants/acme/namespaces",
        &json!({"name": "acme-x", "quota": {"requests.cpu": "1"}}),
    )
    .await
    .expect(201);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        quota_of(&kube, "acme-x").await,
        None,
        "nothing applied without a reconciler"
    );
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    let b = serve(&db, &kc, &[]);
    let k = kube.clone();
    eventually(20, "the committed change applied after restart", || {
        let k = k.clone();
        async move { quota_of(&k, "acme-x").await.as_deref() == Some("1") }
    })
    .await;
    drop(b);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_reconciler_at_a_time_and_takeover_after_a_kill() {
    let (sim, dir, db, kube) = setup().await;
    let kc = dir.path().join("kubeconfig");
    let a = serve(&db, &kc, &[]);
    let b = serve(&db, &kc, &[]);
    let pool = ku8portal::db::connect(&db, 2).await.unwrap();
    let names = [
        format!("ku8portal-{}", a.child.id()),
        format!("ku8portal-{}", b.child.id()),
    ];
    let p = pool.clone();
    eventually(15, "a leader", || {
        let p = p.clone();
        async move { leader_pid(&p).await.is_some() }
    })
    .await;
    let first = leader_pid(&pool).await.unwrap();
    assert!(names.contains(&first), "{first} not one of {names:?}");
    // The reconciler's lock only (the metrics collector has its own).
    let key = ku8portal::reconciler::leader::RECONCILER;
    let holders: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND classid::bigint = ($1 >> 32) AND objid::bigint = ($1 & 4294967295)",
    )
    .bind(key)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(holders, 1, "exactly one replica holds the reconciler lock");
    let (mut leader, survivor) = if first == names[0] { (a, b) } else { (b, a) };
    let mut on_leader = Api::new(&leader.url);
    on_leader.login(ADMIN, ADMIN_PASSWORD).await;
    leader.child.kill().unwrap();
    leader.child.wait().unwrap();
    let p = pool.clone();
    let survivor_name = format!("ku8portal-{}", survivor.child.id());
    let want = survivor_name.clone();
    eventually(15, "the other replica to take over", || {
        let p = p.clone();
        let want = want.clone();
        async move { leader_pid(&p).await.as_deref() == Some(want.as_str()) }
    })
    .await;
    // Sessions live in the database: a login on one replica works on the other.
    let mut api = Api::new(&survivor.url);
    api.cookie = on_leader.cookie.clone();
    api.get("/api/v1/auth/me").await.expect(200);
    api.post(
        "/api/v1/tenants",
        &json!({"name": "acme", "budget": {"requests.cpu": "4"}}),
    )
    .await
    .expect(201);
    api.post(
        "/api/v1/tenants/acme/namespaces",
        &json!({"name": "acme-y", "quota": {"requests.cpu": "2"}}),
    )
    .await
    .expect(201);
    let k = kube.clone();
    eventually(15, "the new leader reconciling", || {
        let k = k.clone();
        async move { quota_of(&k, "acme-y").await.as_deref() == Some("2") }
    })
    .await;
    drop(survivor);
    drop(leader);
    sim.shutdown().await;
}
