//! The budget rule against a real Postgres: namespace quotas carved out of a tenant budget,
//! refusals that name the resource, the value and what is left, and 100 concurrent increases
//! that never exceed the budget.

mod common;

use common::portal::{TestPortal, create_tenant, create_user};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn namespace_quotas_stay_within_the_budget_with_clear_refusals() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    let t = create_tenant(
        &mut admin,
        "acme",
        json!({"requests.cpu": "4", "requests.memory": "8Gi", "pods": "20"}),
    )
    .await;
    // Standard resources not given are in the budget at 0.
    assert_eq!(t["budget"]["requests.nvidia.com/gpu"], "0");
    create_user(&mut admin, "alice", Some(("acme", "tenant-admin"))).await;
    let mut alice = tp.login("alice").await;
    alice
        .post("/api/v1/tenants/acme/namespaces", &json!({"name": "acme-a", "quota": {"requests.cpu": "2500m", "requests.memory": "4Gi", "pods": "10"}}))
        .await
        .expect(201);
    let r = alice
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-b", "quota": {"requests.cpu": "2", "pods": "5"}}),
        )
        .await
        .expect(422);
    assert_eq!(
        r.message(),
        "namespace \"acme-b\" does not fit the budget of tenant \"acme\": requests.cpu: asked for 2, but only 1500m is left of the tenant budget 4"
    );
    assert_eq!(r.body["details"][0]["field"], "quota.requests.cpu");
    // A resource the budget gives nothing of.
    let r = alice
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-b", "quota": {"requests.nvidia.com/gpu": "1"}}),
        )
        .await
        .expect(422);
    assert!(
        r.message()
            .contains("requests.nvidia.com/gpu: asked for 1, but only 0 is left"),
        "{}",
        r.message()
    );
    // Nothing was stored by the refusals.
    let list = alice
        .get("/api/v1/tenants/acme/namespaces")
        .await
        .expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    // Exactly what is left fits.
    alice
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-b", "quota": {"requests.cpu": "1500m", "pods": "10"}}),
        )
        .await
        .expect(201);
    let t = alice.get("/api/v1/tenants/acme").await.expect(200).body;
    assert_eq!(t["allocated"]["requests.cpu"], "4");
    assert_eq!(t["allocated"]["pods"], "20");
    // The budget cannot shrink below what the namespaces hold...
    let r = admin
        .patch(
            "/api/v1/tenants/acme",
            &json!({"budget": {"requests.cpu": "3"}}),
        )
        .await
        .expect(422);
    assert!(
        r.message().contains(
            "requests.cpu: the namespaces would get 4 in total, but the tenant budget is 3"
        ),
        "{}",
        r.message()
    );
    // ...but can once a namespace gives some back.
    alice
        .patch(
            "/api/v1/tenants/acme/namespaces/acme-b",
            &json!({"quota": {"requests.cpu": "500m", "pods": "10"}}),
        )
        .await
        .expect(200);
    admin
        .patch(
            "/api/v1/tenants/acme",
            &json!({"budget": {"requests.cpu": "3"}}),
        )
        .await
        .expect(200);
    // Refusals and changes are audited.
    let audit = admin
        .get("/api/v1/audit?tenant=acme&action=namespace.")
        .await
        .expect(200)
        .body;
    let results: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"].as_str().unwrap())
        .collect();
    assert!(
        results
            .iter()
            .filter(|r| r.starts_with("refused: "))
            .count()
            >= 2,
        "{results:?}"
    );
    assert!(results.contains(&"ok"));
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_increases_never_exceed_the_budget() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    create_tenant(&mut admin, "race", json!({"requests.cpu": "10"})).await;
    for i in 0..10 {
        admin
            .post(
                "/api/v1/tenants/race/namespaces",
                &json!({"name": format!("race-{i}"), "quota": {"requests.cpu": "0"}}),
            )
            .await
            .expect(201);
    }
    // 100 requests, each raising one namespace to 2 cores (10 per namespace, 5 × 2 fit).
    let mut tasks = Vec::new();
    for i in 0..100 {
        let mut api = admin.clone();
        tasks.push(tokio::spawn(async move {
            let r = api
                .patch(
                    &format!("/api/v1/tenants/race/namespaces/race-{}", i % 10),
                    &json!({"quota": {"requests.cpu": "2"}}),
                )
                .await;
            r.status.as_u16()
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert!(codes.iter().all(|c| *c == 200 || *c == 422), "{codes:?}");
    let nss = admin
        .get("/api/v1/tenants/race/namespaces")
        .await
        .expect(200)
        .body;
    let total = total_cpu(&nss);
    assert_eq!(
        total, 10,
        "the budget is used exactly, never exceeded: {nss}"
    );
    let raised = nss
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["quota"]["requests.cpu"] == "2")
        .count();
    assert_eq!(raised, 5);
    // Concurrent budget decreases against concurrent increases: still never above.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let mut api = admin.clone();
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                api.patch(
                    "/api/v1/tenants/race",
                    &json!({"budget": {"requests.cpu": "10"}}),
                )
                .await
                .status
                .as_u16()
            } else {
                api.patch(
                    &format!("/api/v1/tenants/race/namespaces/race-{}", i % 10),
                    &json!({"quota": {"requests.cpu": "3"}}),
                )
                .await
                .status
                .as_u16()
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let nss = admin
        .get("/api/v1/tenants/race/namespaces")
        .await
        .expect(200)
        .body;
    let total = total_cpu(&nss);
    assert!(total <= 10, "{total}");
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_field_errors_and_stores_nothing() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    create_tenant(
        &mut admin,
        "acme",
        json!({"requests.cpu": "4", "requests.memory": "8Gi"}),
    )
    .await;
    for (quota, field, needle) in [
        (
            json!({"requests.cpu": "1.5.5"}),
            "quota.requests.cpu",
            "regular expression",
        ),
        (
            json!({"requests.cpu": "-1"}),
            "quota.requests.cpu",
            "greater than or equal to 0",
        ),
        (
            json!({"requests.memory": "10Zi"}),
            "quota.requests.memory",
            "invalid quantity",
        ),
        (json!({"cpus": "1"}), "quota.cpus", "unknown quota resource"),
        (json!({"pods": "2.5"}), "quota.pods", "integer"),
    ] {
        let r = admin
            .post(
                "/api/v1/tenants/acme/namespaces",
                &json!({"name": "ok-name", "quota": quota}),
            )
            .await
            .expect(400);
        assert_eq!(r.body["details"][0]["field"], field, "{}", r.text);
        assert!(
            r.body["details"][0]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{}",
            r.text
        );
    }
    for (name, needle) in [
        ("Bad_Name", "not a valid name"),
        ("kube-system", "reserved"),
        ("", "not a valid name"),
    ] {
        let r = admin
            .post(
                "/api/v1/tenants/acme/namespaces",
                &json!({"name": name, "quota": {}}),
            )
            .await
            .expect(400);
        assert!(r.message().contains(needle), "{}", r.text);
    }
    let r = admin
        .post(
            "/api/v1/tenants/nope/namespaces",
            &json!({"name": "x", "quota": {}}),
        )
        .await
        .expect(404);
    assert_eq!(r.message(), "tenant \"nope\" not found");
    let r = admin
        .raw(
            http::Method::POST,
            "/api/v1/tenants/acme/namespaces",
            Some("{\"name\": ".into()),
            Some("application/json"),
        )
        .await
        .expect(400);
    assert!(r.message().starts_with("malformed JSON body"), "{}", r.text);
    let big = format!(
        "{{\"name\": \"x\", \"quota\": {{}}, \"pad\": \"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let r = admin
        .raw(
            http::Method::POST,
            "/api/v1/tenants/acme/namespaces",
            Some(big.into()),
            Some("application/json"),
        )
        .await
        .expect(413);
    assert_eq!(r.body["code"], "too_large");
    let r = admin
        .post(
            "/api/v1/tenants",
            &json!({"name": "t2", "budget": {"limits.memory": "1.5.5"}, "pod_security": "lax"}),
        )
        .await
        .expect(400);
    assert_eq!(r.body["details"].as_array().unwrap().len(), 2, "{}", r.text);
    let r = admin
        .get("/api/v1/tenants/acme/namespaces")
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    let r = admin.get("/api/v1/tenants").await.expect(200);
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    tp.shutdown().await;
}

/// The sum of the namespaces' whole-core `requests.cpu` quotas.
fn total_cpu(nss: &serde_json::Value) -> i64 {
    nss.as_array()
        .unwrap()
        .iter()
        .map(|n| {
            n["quota"]["requests.cpu"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap()
        })
        .sum()
}
