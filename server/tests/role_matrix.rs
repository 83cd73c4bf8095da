//! Every portal endpoint with every role — platform admin, tenant admin, member, viewer, a user
//! of another tenant, and nobody — gets the right answer (2xx, 403, 404 or 401).

mod common;

use common::http::Api;
use common::portal::{TestPortal, create_tenant, create_user};
use http::Method;
use serde_json::{Value, json};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Platform,
    Admin,
    Member,
    Viewer,
    Outsider,
    Anonymous,
}
use Who::*;

const ALL: [Who; 6] = [Platform, Admin, Member, Viewer, Outsider, Anonymous];

/// Expected status per caller, in the order of `ALL`.
struct Case {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    expect: [u16; 6],
}

fn case(method: Method, path: &'static str, body: Option<Value>, expect: [u16; 6]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_endpoint_with_each_role() {
    let tp = TestPortal::start().await;
    let mut platform = tp.admin().await;
    create_tenant(
        &mut platform,
        "acme",
        json!({"requests.cpu": "100", "pods": "1000"}),
    )
    .await;
    create_tenant(&mut platform, "other", json!({"requests.cpu": "1"})).await;
    create_user(&mut platform, "ta", Some(("acme", "tenant-admin"))).await;
    create_user(&mut platform, "tm", Some(("acme", "tenant-member"))).await;
    create_user(&mut platform, "tv", Some(("acme", "tenant-viewer"))).await;
    create_user(&mut platform, "ox", Some(("other", "tenant-admin"))).await;
    create_user(&mut platform, "spare", None).await;
    platform
        .post(
            "/api/v1/tenants/acme/namespaces",
            &json!({"name": "acme-base", "quota": {"requests.cpu": "1"}}),
        )
        .await
        .expect(201);
    let req = platform
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"reason": "more", "requested": {"requests.cpu": "2"}}),
        )
        .await
        .expect(201)
        .body;
    let _ = req;
    let mut clients = [
        platform.clone(),
        tp.login("ta").await,
        tp.login("tm").await,
        tp.login("tv").await,
        tp.login("ox").await,
        tp.api(),
    ];
    // Reads first, then writes whose success does not disturb later rows.
    let cases = vec![
        case(
            Method::GET,
            "/api/v1/auth/me",
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants",
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants/acme",
            None,
            [200, 200, 200, 200, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants/acme/members",
            None,
            [200, 200, 200, 200, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants/acme/namespaces",
            None,
            [200, 200, 200, 200, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants/acme/namespaces/acme-base",
            None,
            [200, 200, 200, 200, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/namespaces",
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/tenants/acme/usage",
            None,
            [200, 200, 200, 200, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/cluster/capacity",
            None,
            [200, 403, 403, 403, 403, 401],
        ),
        case(
            Method::GET,
            "/api/v1/quota-requests",
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/audit",
            None,
            [200, 200, 403, 403, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/users",
            None,
            [200, 200, 403, 403, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/users/spare",
            None,
            [200, 403, 403, 403, 403, 401],
        ),
        case(
            Method::GET,
            "/api/v1/me/tokens",
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::POST,
            "/api/v1/tenants",
            Some(json!({"name": "t-{who}"})),
            [201, 403, 403, 403, 403, 401],
        ),
        case(
            Method::PATCH,
            "/api/v1/tenants/acme",
            Some(json!({"description": "x"})),
            [200, 403, 403, 403, 403, 401],
        ),
        case(
            Method::POST,
            "/api/v1/tenants/acme/namespaces",
            Some(json!({"name": "ns-{who}", "quota": {"requests.cpu": "1"}})),
            [201, 201, 403, 403, 404, 401],
        ),
        case(
            Method::PATCH,
            "/api/v1/tenants/acme/namespaces/acme-base",
            Some(json!({"quota": {"requests.cpu": "1"}})),
            [200, 200, 403, 403, 404, 401],
        ),
        case(
            Method::PUT,
            "/api/v1/tenants/acme/members/spare",
            Some(json!({"role": "tenant-viewer"})),
            [200, 200, 403, 403, 404, 401],
        ),
        case(
            Method::POST,
            "/api/v1/tenants/acme/quota-requests",
            Some(json!({"reason": "r", "requested": {"pods": "5"}})),
            [201, 201, 403, 403, 404, 401],
        ),
        case(
            Method::POST,
            "/api/v1/users",
            Some(json!({"username": "u-{who}", "password": "long-enough-1"})),
            [201, 403, 403, 403, 403, 401],
        ),
        case(
            Method::PATCH,
            "/api/v1/users/spare",
            Some(json!({"display_name": "Spare"})),
            [200, 403, 403, 403, 403, 401],
        ),
        case(
            Method::POST,
            "/api/v1/tenants/acme/adopt",
            Some(json!({"name": "nothing-here"})),
            [404, 403, 403, 403, 403, 401],
        ),
        case(
            Method::DELETE,
            "/api/v1/tenants/acme/members/spare",
            None,
            [204, 404, 403, 403, 404, 401],
        ),
        case(
            Method::DELETE,
            "/api/v1/tenants/other",
            None,
            [204, 403, 403, 403, 403, 401],
        ),
    ];
    let mut failures = Vec::new();
    for c in &cases {
        for (i, who) in ALL.iter().enumerate() {
            let tag = format!("{who:?}").to_lowercase();
            let body = c.body.as_ref().map(|b| {
                serde_json::from_str::<Value>(&b.to_string().replace("{who}", &tag)).unwrap()
            });
            let api: &mut Api = &mut clients[i];
            let r = api.call(c.method.clone(), c.path, body.as_ref()).await;
            if r.status.as_u16() != c.expect[i] {
                failures.push(format!(
                    "{} {} as {who:?}: got {} want {} ({})",
                    c.method,
                    c.path,
                    r.status.as_u16(),
                    c.expect[i],
                    r.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Quota request decisions: platform admins only; cancel by the requester's tenant admins.
    let id = clients[1]
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"reason": "more pods", "requested": {"pods": "50"}}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 1..5 {
        let r = clients[i]
            .post(&format!("/api/v1/quota-requests/{id}/approve"), &json!({}))
            .await;
        assert_eq!(r.status.as_u16(), 403, "{:?}: {}", ALL[i], r.text);
    }
    clients[4]
        .get(&format!("/api/v1/quota-requests/{id}"))
        .await
        .expect(404);
    clients[3]
        .post(&format!("/api/v1/quota-requests/{id}/cancel"), &json!({}))
        .await
        .expect(403);
    clients[0]
        .post(
            &format!("/api/v1/quota-requests/{id}/approve"),
            &json!({"reason": "ok"}),
        )
        .await
        .expect(200);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_requests_flow_through_the_same_budget_rule() {
    let tp = TestPortal::start().await;
    let mut platform = tp.admin().await;
    create_tenant(&mut platform, "acme", json!({"requests.cpu": "4"})).await;
    create_user(&mut platform, "ta", Some(("acme", "tenant-admin"))).await;
    let mut ta = tp.login("ta").await;
    ta.post(
        "/api/v1/tenants/acme/namespaces",
        &json!({"name": "acme-a", "quota": {"requests.cpu": "3"}}),
    )
    .await
    .expect(201);
    let r = ta
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"reason": "", "requested": {}}),
        )
        .await
        .expect(400);
    assert_eq!(r.body["details"].as_array().unwrap().len(), 2, "{}", r.text);
    // Asking for a namespace beyond the budget: approval is refused until the budget grows.
    let ns_req = ta
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"namespace": "acme-a", "reason": "launch", "requested": {"requests.cpu": "6"}}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(ns_req["status"], "pending");
    let id = ns_req["id"].as_str().unwrap();
    let r = platform
        .post(&format!("/api/v1/quota-requests/{id}/approve"), &json!({}))
        .await
        .expect(422);
    assert!(
        r.message()
            .contains("asked for 6, but only 4 is left of the tenant budget 4"),
        "{}",
        r.text
    );
    let b_req = ta
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"reason": "launch", "requested": {"requests.cpu": "10"}}),
        )
        .await
        .expect(201)
        .body;
    let bid = b_req["id"].as_str().unwrap();
    // Approved with an edit: 8 instead of 10.
    let r = platform
        .post(
            &format!("/api/v1/quota-requests/{bid}/approve"),
            &json!({"approved": {"requests.cpu": "8"}, "reason": "8 is what we have"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"], "approved");
    assert_eq!(r.body["approved"]["requests.cpu"], "8");
    assert_eq!(
        ta.get("/api/v1/tenants/acme").await.body["budget"]["requests.cpu"],
        "8"
    );
    let r = platform
        .post(&format!("/api/v1/quota-requests/{id}/approve"), &json!({}))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "approved");
    assert_eq!(
        ta.get("/api/v1/tenants/acme/namespaces/acme-a").await.body["quota"]["requests.cpu"],
        "6"
    );
    platform
        .post(&format!("/api/v1/quota-requests/{id}/approve"), &json!({}))
        .await
        .expect(409);
    // Rejection needs a reason; the requester sees the outcome.
    let rid = ta
        .post(
            "/api/v1/tenants/acme/quota-requests",
            &json!({"reason": "more", "requested": {"requests.cpu": "100"}}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    platform
        .post(&format!("/api/v1/quota-requests/{rid}/reject"), &json!({}))
        .await
        .expect(400);
    platform
        .post(
            &format!("/api/v1/quota-requests/{rid}/reject"),
            &json!({"reason": "no capacity"}),
        )
        .await
        .expect(200);
    let mine = ta
        .get("/api/v1/quota-requests?tenant=acme&status=rejected")
        .await
        .expect(200)
        .body;
    assert_eq!(mine[0]["decision_reason"], "no capacity");
    assert_eq!(mine[0]["decider"], "admin");
    let audit = ta
        .get("/api/v1/audit?action=quota-request.")
        .await
        .expect(200)
        .body;
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "quota-request.create",
        "quota-request.approve",
        "quota-request.reject",
    ] {
        assert!(actions.contains(&a), "{actions:?}");
    }
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_is_paged_and_tenant_admins_see_only_their_tenants() {
    let tp = TestPortal::start().await;
    let mut platform = tp.admin().await;
    create_tenant(&mut platform, "acme", json!({"pods": "100"})).await;
    create_tenant(&mut platform, "other", json!({"pods": "100"})).await;
    create_user(&mut platform, "ta", Some(("acme", "tenant-admin"))).await;
    for i in 0..7 {
        platform
            .post(
                "/api/v1/tenants/acme/namespaces",
                &json!({"name": format!("a-{i}"), "quota": {"pods": "1"}}),
            )
            .await
            .expect(201);
        platform
            .post(
                "/api/v1/tenants/other/namespaces",
                &json!({"name": format!("o-{i}"), "quota": {"pods": "1"}}),
            )
            .await
            .expect(201);
    }
    let mut ta = tp.login("ta").await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/audit?action=namespace.create&limit=3".to_string();
    loop {
        let page = ta.get(&path).await.expect(200).body;
        let events = page["events"].as_array().unwrap();
        assert!(events.len() <= 3);
        for e in events {
            assert_eq!(e["tenant"], "acme", "{e}");
            seen.push(e["target"].as_str().unwrap().to_string());
        }
        match page["next"].as_i64() {
            Some(next) => {
                path = format!("/api/v1/audit?action=namespace.create&limit=3&before={next}")
            }
            None => break,
        }
    }
    seen.sort();
    let want: Vec<String> = (0..7).map(|i| format!("namespace/a-{i}")).collect();
    assert_eq!(seen, want);
    // Asking for another tenant's events gives nothing, not an error that confirms it exists.
    let r = ta.get("/api/v1/audit?tenant=other").await.expect(200).body;
    assert_eq!(r["events"], json!([]));
    let all = platform
        .get("/api/v1/audit?action=namespace.create&limit=500")
        .await
        .expect(200)
        .body;
    assert_eq!(all["events"].as_array().unwrap().len(), 14);
    let r = platform.get("/api/v1/audit?limit=0").await.expect(400);
    assert_eq!(r.body["details"][0]["field"], "limit");
    tp.shutdown().await;
}
