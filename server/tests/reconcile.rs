//! The reconciler against a simulated cluster over HTTPS: committed changes reach the cluster,
//! drift is repaired, an apiserver outage is ridden out, deletion and adoption work, and usage
//! comes from the cluster's ResourceQuota status.

mod common;

use std::time::Instant;

use common::portal::{TestPortal, create_tenant, eventually};
use k8s_openapi::api::core::v1::{LimitRange, Namespace, Pod, ResourceQuota};
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use serde_json::json;

async fn hard(kube: &kube::Client, ns: &str) -> Option<serde_json::Value> {
    let rq: Api<ResourceQuota> = Api::namespaced(kube.clone(), ns);
    let q = rq.get_opt("ku8portal-quota").await.ok()??;
    Some(serde_json::to_value(q.spec?.hard?).unwrap())
}

async fn state_of(admin: &mut common::http::Api, tenant: &str, ns: &str) -> serde_json::Value {
    admin
        .get(&format!("/api/v1/tenants/{tenant}/namespaces/{ns}"))
        .await
        .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_reach_the_cluster_and_drift_is_repaired() {
    let tp = TestPortal::start().await;
    let kube = tp.kube().await;
    let mut admin = tp.admin().await;
    create_tenant(
        &mut admin,
        "acme",
        json!({"requests.cpu": "4", "pods": "20"}),
    )
    .await;
    let start = Instant::now();
    admin
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-web", "quota": {"requests.cpu": "2", "pods": "10"}}),
        )
        .await
        .expect(201);
    let k = kube.clone();
    eventually(10, "the quota in the cluster", || {
        let k = k.clone();
        async move {
            hard(&k, "acme-web")
                .await
                .is_some_and(|h| h["requests.cpu"] == "2" && h["pods"] == "10")
        }
    })
    .await;
    println!(
        "namespace + quota in the cluster after {:?}",
        start.elapsed()
    );
    // Every budget resource is limited in the namespace (0 when not given).
    let h = hard(&kube, "acme-web").await.unwrap();
    assert_eq!(h["requests.nvidia.com/gpu"], "0", "{h}");
    let ns: Api<Namespace> = Api::all(kube.clone());
    let labels = ns.get("acme-web").await.unwrap().metadata.labels.unwrap();
    assert_eq!(labels["ku8portal.io/tenant"], "acme");
    assert_eq!(labels["pod-security.kubernetes.io/enforce"], "baseline");
    let lr: Api<LimitRange> = Api::namespaced(kube.clone(), "acme-web");
    let lr1 = lr.clone();
    eventually(10, "the LimitRange", || {
        let lr = lr1.clone();
        async move {
            lr.get_opt("ku8portal-limits")
                .await
                .ok()
                .flatten()
                .is_some()
        }
    })
    .await;
    let mut a = admin.clone();
    eventually(10, "in-sync", || {
        let mut a = a.clone();
        async move { state_of(&mut a, "acme", "acme-web").await["sync_state"] == "in-sync" }
    })
    .await;
    let s = state_of(&mut a, "acme", "acme-web").await;
    assert_eq!(s["synced_generation"], s["generation"]);

    // An edit → the cluster follows.
    admin
        .patch(
            "/api/v1/tenants/acme/namespaces/acme-web",
            &json!({"quota": {"requests.cpu": "3", "pods": "10"}}),
        )
        .await
        .expect(200);
    let k = kube.clone();
    eventually(10, "the edit in the cluster", || {
        let k = k.clone();
        async move {
            hard(&k, "acme-web")
                .await
                .is_some_and(|h| h["requests.cpu"] == "3")
        }
    })
    .await;

    // Drift: someone raises the quota and adds a key with kubectl; deletes the LimitRange.
    let rq: Api<ResourceQuota> = Api::namespaced(kube.clone(), "acme-web");
    rq.patch(
        "ku8portal-quota",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"hard": {"pods": "1000", "secrets": "99", "count/widgets.example.com": "5"}}})),
    )
    .await
    .unwrap();
    lr.delete("ku8portal-limits", &DeleteParams::default())
        .await
        .unwrap();
    let k = kube.clone();
    eventually(10, "the quota put back", || {
        let k = k.clone();
        async move {
            hard(&k, "acme-web").await.is_some_and(|h| {
                h["pods"] == "10"
                    && h["secrets"] == "0"
                    && h.get("count/widgets.example.com").is_none()
            })
        }
    })
    .await;
    let lr2 = lr.clone();
    eventually(10, "the LimitRange recreated", || {
        let lr = lr2.clone();
        async move {
            lr.get_opt("ku8portal-limits")
                .await
                .ok()
                .flatten()
                .is_some()
        }
    })
    .await;
    let audit = admin
        .get("/api/v1/audit?action=namespace.repair")
        .await
        .expect(200)
        .body;
    assert!(!audit["events"].as_array().unwrap().is_empty(), "{audit}");
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_made_during_an_apiserver_outage_converge_when_it_is_back() {
    let mut tp = TestPortal::start().await;
    let kube = tp.kube().await;
    let mut admin = tp.admin().await;
    create_tenant(&mut admin, "acme", json!({"requests.cpu": "4"})).await;
    admin
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-a", "quota": {"requests.cpu": "1"}}),
        )
        .await
        .expect(201);
    let k = kube.clone();
    eventually(10, "first sync", || {
        let k = k.clone();
        async move { hard(&k, "acme-a").await.is_some() }
    })
    .await;
    tp.sim.pause().await;
    admin
        .patch(
            "/api/v1/tenants/acme/namespaces/acme-a",
            &json!({"quota": {"requests.cpu": "2"}}),
        )
        .await
        .expect(200);
    admin
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-b", "quota": {"requests.cpu": "1"}}),
        )
        .await
        .expect(201);
    let a = admin.clone();
    eventually(10, "the outage to show", || {
        let mut a = a.clone();
        async move {
            let s = state_of(&mut a, "acme", "acme-b").await;
            s["sync_state"] == "pending"
                && !s["sync_message"].as_str().unwrap_or_default().is_empty()
        }
    })
    .await;
    let ready = tp.api().get("/readyz").await;
    assert_eq!(ready.status.as_u16(), 503, "{}", ready.text);
    assert!(
        ready.body["cluster"]
            .as_str()
            .unwrap()
            .starts_with("the cluster is unreachable"),
        "{}",
        ready.text
    );
    tp.sim.resume().await.unwrap();
    let k = kube.clone();
    eventually(40, "convergence after the outage", || {
        let k = k.clone();
        async move {
            hard(&k, "acme-a")
                .await
                .is_some_and(|h| h["requests.cpu"] == "2")
                && hard(&k, "acme-b").await.is_some()
        }
    })
    .await;
    tp.api().get("/readyz").await.expect(200);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delete_adopt_and_usage() {
    let tp = TestPortal::start().await;
    let kube = tp.kube().await;
    let mut admin = tp.admin().await;
    create_tenant(&mut admin, "acme", json!({"requests.cpu": "4", "pods": "20", "limits.cpu": "8", "requests.memory": "8Gi", "limits.memory": "8Gi"})).await;
    // A namespace someone made with kubectl, with a quota of its own.
    let nss: Api<Namespace> = Api::all(kube.clone());
    nss.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "legacy"}})).unwrap(),
    )
    .await
    .unwrap();
    let rq: Api<ResourceQuota> = Api::namespaced(kube.clone(), "legacy");
    let mut made = false;
    for _ in 0..50 {
        if rq.create(&PostParams::default(), &serde_json::from_value(json!({"metadata": {"name": "old"}, "spec": {"hard": {"pods": "5", "requests.cpu": "1"}}})).unwrap()).await.is_ok() {
            made = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(made);
    // Tenants cannot take it by creating a namespace of that name.
    let r = admin
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "legacy", "quota": {}}),
        )
        .await
        .expect(409);
    assert!(
        r.message().contains("already exists in the cluster"),
        "{}",
        r.text
    );
    let r = admin
        .post("/api/v1/tenants/acme/adopt", &json!({"name": "legacy"}))
        .await
        .expect(201);
    assert_eq!(r.body["quota"], json!({"pods": "5", "requests.cpu": "1"}));
    let k = kube.clone();
    eventually(10, "the adopted namespace managed", || {
        let k = k.clone();
        async move { hard(&k, "legacy").await.is_some() }
    })
    .await;
    // Every budget resource is limited in a managed namespace (at 0 when not set), so pods need
    // a quota for limits and memory too before they fit.
    admin
        .patch("/api/v1/tenants/acme/namespaces/legacy", &json!({"quota": {"pods": "5", "requests.cpu": "1", "limits.cpu": "2", "requests.memory": "1Gi", "limits.memory": "1Gi"}}))
        .await
        .expect(200);
    let k = kube.clone();
    eventually(10, "the edited quota in the cluster", || {
        let k = k.clone();
        async move {
            hard(&k, "legacy")
                .await
                .is_some_and(|h| h["limits.cpu"] == "2")
        }
    })
    .await;
    // Usage: a pod in the namespace shows in the quota status.
    let pods: Api<Pod> = Api::namespaced(kube.clone(), "legacy");
    pods.create(&PostParams::default(), &serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "64Mi"}}}]}})).unwrap()).await.unwrap();
    let mut a = admin.clone();
    eventually(10, "usage from the quota status", || {
        let mut a = a.clone();
        async move {
            let u = a.get("/api/v1/tenants/acme/usage").await.body;
            u["used"]["pods"] == "1" && u["used"]["requests.cpu"] == "250m"
        }
    })
    .await;
    // The summary came from the watch-fed cache, not from a GET per namespace.
    let cache = tp
        .state()
        .quota_cache
        .get()
        .expect("the portal keeps a quota cache");
    let cached = cache
        .get("legacy")
        .expect("cache in sync")
        .expect("quota cached");
    assert_eq!(cached.used["pods"], "1");
    let u = a.get("/api/v1/tenants/acme/usage").await.body;
    assert_eq!(u["allocated"]["pods"], "5");
    assert_eq!(u["allocated"]["limits.memory"], "1Gi");
    assert_eq!(u["namespaces"][0]["namespace"], "legacy");
    assert_eq!(u["namespaces"][0]["hard"]["pods"], "5");
    let cap = a.get("/api/v1/cluster/capacity").await.expect(200).body;
    assert!(cap["allocatable"]["cpu"].is_string(), "{cap}");
    assert!(!cap["nodes"].as_array().unwrap().is_empty());
    // Delete needs the name repeated; then the cluster deletes it and the name is free again.
    let r = admin
        .delete("/api/v1/tenants/acme/namespaces/legacy")
        .await
        .expect(400);
    assert!(r.message().contains("?confirm=legacy"), "{}", r.text);
    admin
        .delete("/api/v1/tenants/acme/namespaces/legacy?confirm=legacy")
        .await
        .expect(202);
    let k = kube.clone();
    eventually(30, "the namespace gone from the cluster", || {
        let k = k.clone();
        async move {
            Api::<Namespace>::all(k)
                .get_opt("legacy")
                .await
                .ok()
                .flatten()
                .is_none()
        }
    })
    .await;
    eventually(10, "removed", || {
        let mut a = a.clone();
        async move { a.get("/api/v1/tenants/acme/namespaces").await.body == json!([]) }
    })
    .await;
    let t = a.get("/api/v1/tenants/acme").await.body;
    assert_eq!(t["allocated"], json!({}));
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_security_level_and_new_budget_resources_reach_every_namespace() {
    let tp = TestPortal::start().await;
    let kube = tp.kube().await;
    let mut admin = tp.admin().await;
    create_tenant(&mut admin, "acme", json!({"requests.cpu": "4"})).await;
    for n in ["acme-1", "acme-2"] {
        admin
            .post(
                "/api/v1/tenants/acme/namespaces",
                &json!({"name": n, "quota": {"requests.cpu": "1"}}),
            )
            .await
            .expect(201);
    }
    admin
        .patch(
            "/api/v1/tenants/acme",
            &json!({"pod_security": "restricted", "budget": {"count/widgets.example.com": "3"}}),
        )
        .await
        .expect(200);
    for n in ["acme-1", "acme-2"] {
        let k = kube.clone();
        eventually(10, "the new level and resource in the cluster", || {
            let k = k.clone();
            async move {
                let ns = Api::<Namespace>::all(k.clone()).get(n).await.unwrap();
                let restricted = ns.metadata.labels.unwrap()["pod-security.kubernetes.io/enforce"]
                    == "restricted";
                restricted
                    && hard(&k, n)
                        .await
                        .is_some_and(|h| h["count/widgets.example.com"] == "0")
            }
        })
        .await;
    }
    tp.shutdown().await;
}
