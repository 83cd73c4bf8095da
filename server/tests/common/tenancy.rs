//! A two-tenant world for proxy tests: tenant `acme` (namespaces `acme-dev`, `acme-prod`) with
//! bob (member), carol (viewer) and alice (tenant admin), tenant `globex` (namespace
//! `globex-prod`) with heidi (member) — every namespace reconciled into the cluster.

use serde_json::{Value, json};

use super::http::Api;
use super::portal::{TestPortal, create_tenant, create_user, eventually};

pub const ACME_NS: [&str; 2] = ["acme-dev", "acme-prod"];
pub const GLOBEX_NS: &str = "globex-prod";

fn budget() -> Value {
    json!({"requests.cpu": "8", "limits.cpu": "16", "requests.memory": "16Gi",
        "limits.memory": "32Gi", "pods": "50", "services": "10", "count/deployments.apps": "10",
        "configmaps": "20", "secrets": "20"})
}

fn namespace(name: &str) -> Value {
    json!({"name": name,
        "quota": {"requests.cpu": "4", "limits.cpu": "8", "requests.memory": "8Gi",
            "limits.memory": "16Gi", "pods": "20", "services": "5",
            "count/deployments.apps": "5", "configmaps": "10", "secrets": "10"},
        "limits": {"default": {"cpu": "200m", "memory": "128Mi"},
            "default_request": {"cpu": "100m", "memory": "64Mi"}}})
}

/// Sets the world up through the portal API as the platform admin; returns the admin client.
pub async fn two_tenants(tp: &TestPortal) -> Api {
    let mut admin = tp.admin().await;
    create_tenant(&mut admin, "acme", budget()).await;
    create_tenant(&mut admin, "globex", budget()).await;
    for (tenant, ns) in [
        ("acme", ACME_NS[0]),
        ("acme", ACME_NS[1]),
        ("globex", GLOBEX_NS),
    ] {
        admin
            .post(
                &format!("/api/v1/tenants/{tenant}/namespaces"),
                &namespace(ns),
            )
            .await
            .expect(201);
    }
    create_user(&mut admin, "alice", Some(("acme", "tenant-admin"))).await;
    create_user(&mut admin, "bob", Some(("acme", "tenant-member"))).await;
    create_user(&mut admin, "carol", Some(("acme", "tenant-viewer"))).await;
    create_user(&mut admin, "heidi", Some(("globex", "tenant-member"))).await;
    let a = admin.clone();
    eventually(20, "every namespace in sync", || {
        let mut a = a.clone();
        async move {
            let r = a.get("/api/v1/namespaces").await;
            r.body
                .as_array()
                .is_some_and(|v| v.len() == 3 && v.iter().all(|n| n["sync_state"] == "in-sync"))
        }
    })
    .await;
    admin
}

/// An API token of a logged-in client.
pub async fn token(api: &mut Api) -> String {
    api.post("/api/v1/me/tokens", &json!({"name": "test"}))
        .await
        .expect(201)
        .body["secret"]
        .as_str()
        .unwrap()
        .to_string()
}
