//! The proxy as an attacker sees it: every trick to reach another tenant's data through
//! selectors, query parameters, path encodings, headers, tokens, continue tokens, bodies and
//! watches is refused or neutralised, and nothing of tenant `globex` reaches `bob` of `acme`.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::http::{Api, Resp};
use common::portal::TestPortal;
use common::tenancy::{GLOBEX_NS, token, two_tenants};
use http::Method;
use http_body_util::BodyExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api as KubeApi, PostParams};
use serde_json::{Value, json};

/// The marker of globex's private data.
const SECRET: &str = "globex-secret-plans";

async fn configmap(kube: &kube::Client, ns: &str, name: &str) {
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": name,
        "labels": {"app": "plans"}}, "data": {"k": "v"}}))
    .unwrap();
    KubeApi::<ConfigMap>::namespaced(kube.clone(), ns)
        .create(&PostParams::default(), &cm)
        .await
        .unwrap();
}

/// A world with globex's secret in the cluster and bob's token.
async fn setup() -> (TestPortal, Api, Api, String) {
    let tp = TestPortal::start().await;
    let admin = two_tenants(&tp).await;
    let kube = tp.kube().await;
    configmap(&kube, GLOBEX_NS, SECRET).await;
    configmap(&kube, "acme-dev", "acme-config").await;
    let mut bob = tp.login("bob").await;
    let secret = token(&mut bob).await;
    (tp, admin, bob.with_token(&secret), secret)
}

#[track_caller]
fn no_leak(r: &Resp, what: &str) {
    assert!(
        !r.text.contains(SECRET),
        "{what} leaked globex data: {}",
        r.text
    );
    assert!(
        !r.text.contains("\"namespace\":\"globex-prod\""),
        "{what} leaked a globex object: {}",
        r.text
    );
}

fn namespaces_of(r: &Resp) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|i| {
            i["metadata"]["namespace"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn selectors_parameters_and_paths_cannot_cross_tenants() {
    let (tp, _admin, mut bob, _) = setup().await;
    // Selectors on the cluster-wide path only ever run inside bob's namespaces.
    for q in [
        "fieldSelector=metadata.namespace%3Dglobex-prod",
        "fieldSelector=metadata.name%3Dglobex-secret-plans",
        "labelSelector=app%3Dplans",
        "labelSelector=app%20in%20(plans%2Cother)",
        "labelSelector=!nothing",
        "fieldSelector=metadata.namespace!%3Dacme-dev",
    ] {
        let r = bob.get(&format!("/k8s/api/v1/configmaps?{q}")).await;
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        no_leak(&r, q);
        assert!(
            namespaces_of(&r).iter().all(|n| n.starts_with("acme-")),
            "{q}: {:?}",
            namespaces_of(&r)
        );
    }
    let all = bob.get("/k8s/api/v1/configmaps").await.expect(200);
    assert!(all.text.contains("acme-config"), "{}", all.text);
    // Duplicated parameters: refused, whichever value a server would read.
    for q in [
        "watch=false&watch=true",
        "fieldSelector=a%3Db&fieldSelector=c%3Dd",
        "limit=1&limit=500",
    ] {
        let r = bob.get(&format!("/k8s/api/v1/configmaps?{q}")).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text);
    }
    // Tricks in the namespace segment.
    for ns in [
        "acme-dev/../globex-prod",
        "%2e%2e",
        "acme-dev%2F..%2Fglobex-prod",
        "globex-prod%252F",
        "globex%2Dprod%ZZ",
        "globex-prod;acme-dev",
        "globex-prod.",
        "Globex-Prod",
        "%EF%BD%87lobex-prod",
        "globex-prod%00",
        ".",
        "",
    ] {
        let r = bob
            .get(&format!("/k8s/api/v1/namespaces/{ns}/configmaps"))
            .await;
        assert!(
            matches!(r.status.as_u16(), 400 | 403 | 404),
            "{ns}: {} {}",
            r.status,
            r.text
        );
        no_leak(&r, ns);
    }
    // The legacy /watch/ prefix and the plain path to another tenant.
    for p in [
        "/k8s/api/v1/namespaces/globex-prod/configmaps",
        "/k8s/api/v1/namespaces/globex-prod/configmaps/globex-secret-plans",
        "/k8s/api/v1/watch/namespaces/globex-prod/configmaps",
        "/k8s/api/v1/namespaces/globex-prod/configmaps?watch=true",
        "/k8s/api/v1/namespaces/globex-prod",
    ] {
        let r = bob.get(p).await;
        assert_eq!(r.status, 403, "{p}: {}", r.text);
        assert_eq!(r.body["kind"], "Status", "{p}");
        if !p.contains(SECRET) {
            no_leak(&r, p);
        }
    }
    // Cluster-scoped kinds through namespaced URLs: the apiserver's 404.
    for p in [
        "/k8s/api/v1/namespaces/acme-dev/nodes",
        "/k8s/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/clusterroles",
        "/k8s/api/v1/namespaces/acme-dev/namespaces",
    ] {
        let r = bob.get(p).await;
        assert_eq!(r.status, 404, "{p}: {}", r.text);
    }
    // Only bob's namespaces are listed, even when asked for by name.
    let ns = bob.get("/k8s/api/v1/namespaces").await.expect(200);
    let names: Vec<&str> = ns.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme-dev", "acme-prod"]);
    let r = bob
        .get("/k8s/api/v1/namespaces?fieldSelector=metadata.name%3Dglobex-prod")
        .await
        .expect(200);
    assert_eq!(r.body["items"], json!([]));
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn headers_tokens_continue_tokens_and_bodies() {
    let (tp, _admin, mut bob, secret) = setup().await;
    // Client impersonation headers are dropped: bob stays bob.
    let mut sneaky = bob.clone();
    sneaky.header("impersonate-user", "admin");
    sneaky.header("impersonate-group", "system:masters");
    sneaky.header("impersonate-extra-scopes", "all");
    sneaky.header("connection", "Impersonate-User");
    let r = sneaky
        .get("/k8s/api/v1/namespaces/globex-prod/configmaps")
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    sneaky.header("impersonate-user", "system:anonymous");
    sneaky
        .get("/k8s/api/v1/namespaces/acme-dev/configmaps")
        .await
        .expect(200);
    assert_eq!(sneaky.get("/k8s/api/v1/nodes").await.status, 403);

    // Tokens: empty, blank, unknown, revoked-looking and the wrong scheme are all 401.
    let api = tp.api();
    for auth in [
        "Bearer ",
        "Bearer    ",
        "Bearer ku8p_unknown",
        "Basic Ym9iOmRlbW8=",
        "bearer x",
        &format!("Bearer {secret}x"),
    ] {
        let mut a = api.clone();
        a.header("authorization", auth);
        let r = a.get("/k8s/api/v1/namespaces/acme-dev/configmaps").await;
        assert_eq!(r.status, 401, "{auth:?}: {}", r.text);
        assert_eq!(r.body["reason"], "Unauthorized");
    }
    assert_eq!(api.clone().get("/k8s/api/v1/pods").await.status, 401);

    // Continue tokens: globex's cannot be replayed by bob, nor can the cluster's own.
    let mut heidi = tp.login("heidi").await;
    let heidi_token = token(&mut heidi).await;
    let mut heidi = heidi.with_token(&heidi_token);
    let page = heidi
        .get("/k8s/api/v1/configmaps?limit=1")
        .await
        .expect(200);
    let cont = page.body["metadata"]["continue"]
        .as_str()
        .unwrap()
        .to_string();
    let r = bob
        .get(&format!("/k8s/api/v1/configmaps?limit=1&continue={cont}"))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    no_leak(&r, "a replayed continue token");
    let direct: Value = tp
        .kube()
        .await
        .request(
            http::Request::get("/api/v1/configmaps?limit=1")
                .body(vec![])
                .unwrap(),
        )
        .await
        .unwrap();
    let cluster_cont = direct["metadata"]["continue"].as_str().unwrap();
    let r = bob
        .get(&format!(
            "/k8s/api/v1/configmaps?limit=1&continue={cluster_cont}"
        ))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    // bob's own paging walks only his namespaces.
    let mut seen = Vec::new();
    let mut next = String::new();
    loop {
        let q = if next.is_empty() {
            String::new()
        } else {
            format!("&continue={next}")
        };
        let p = bob
            .get(&format!("/k8s/api/v1/configmaps?limit=1{q}"))
            .await
            .expect(200);
        no_leak(&p, "paging");
        seen.extend(namespaces_of(&p));
        match p.body["metadata"]["continue"].as_str() {
            Some(c) if !c.is_empty() => next = c.to_string(),
            _ => break,
        }
    }
    assert!(
        seen.len() >= 3 && seen.iter().all(|n| n.starts_with("acme-")),
        "{seen:?}"
    );

    // Bodies.
    let post = |b: Value| Bytes::from(serde_json::to_vec(&b).unwrap());
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "moved", "namespace": GLOBEX_NS}});
    let r = bob
        .raw(
            Method::POST,
            "/k8s/api/v1/namespaces/acme-dev/configmaps",
            Some(post(cm)),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("does not match the namespace")
    );
    for (spec, why) in [
        (
            json!({"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": true}}]}),
            "privileged",
        ),
        (
            json!({"containers": [{"name": "c", "image": "x"}], "volumes": [{"name": "h", "hostPath": {"path": "/etc"}}]}),
            "hostPath",
        ),
        (
            json!({"containers": [{"name": "c", "image": "x"}], "hostNetwork": true}),
            "host namespaces",
        ),
    ] {
        let pod =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "evil"}, "spec": spec});
        let r = bob
            .raw(
                Method::POST,
                "/k8s/api/v1/namespaces/acme-dev/pods",
                Some(post(pod)),
                Some("application/json"),
            )
            .await;
        assert_eq!(r.status, 403, "{why}: {}", r.text);
        assert!(
            r.body["message"].as_str().unwrap().contains(why),
            "{}",
            r.text
        );
    }
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "evil"},
        "spec": {"ports": [{"port": 80}], "externalIPs": ["10.0.0.1"]}});
    let r = bob
        .raw(
            Method::POST,
            "/k8s/api/v1/namespaces/acme-dev/services",
            Some(post(svc)),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.text.contains("externalIPs"), "{}", r.text);
    let big = Bytes::from(vec![b' '; 3 * 1024 * 1024 + 10]);
    let r = bob
        .raw(
            Method::POST,
            "/k8s/api/v1/namespaces/acme-dev/configmaps",
            Some(big),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.text);
    // Pod proxy and exec into another tenant: refused before the cluster is asked.
    let r = bob
        .get("/k8s/api/v1/namespaces/globex-prod/pods/web/proxy/")
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = bob
        .get("/k8s/api/v1/namespaces/globex-prod/services/web:80/proxy/admin")
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = bob
        .raw(
            Method::POST,
            "/k8s/api/v1/namespaces/acme-dev/pods/web/exec?command=sh",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.text.contains("exec is not available"), "{}", r.text);
    let kube = tp.kube().await;
    let cms = KubeApi::<ConfigMap>::namespaced(kube, "acme-dev");
    assert!(
        cms.get_opt("moved").await.unwrap().is_none(),
        "nothing half-stored"
    );
    tp.shutdown().await;
}

/// Reads a streaming answer until it ends or `within` passes; returns (text, ended).
async fn read_stream(
    resp: hyper::Response<hyper::body::Incoming>,
    within: Duration,
) -> (String, bool) {
    let mut body = resp.into_body();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return (text, false),
            Ok(None) | Ok(Some(Err(_))) => return (text, true),
            Ok(Some(Ok(f))) => {
                if let Some(d) = f.data_ref() {
                    text.push_str(&String::from_utf8_lossy(d));
                }
            }
        }
    }
}

async fn open_watch(url: &str, token: &str) -> hyper::Response<hyper::body::Incoming> {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<Bytes>>();
    let req = http::Request::get(url)
        .header("authorization", format!("Bearer {token}"))
        .body(http_body_util::Full::new(Bytes::new()))
        .unwrap();
    client.request(req).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watches_merge_own_namespaces_and_end_with_membership() {
    let (tp, mut admin, _bob, secret) = setup().await;
    let kube = tp.kube().await;
    // A cross-namespace watch sees acme's namespaces, never globex's.
    let all = open_watch(
        &format!("{}/k8s/api/v1/configmaps?watch=true", tp.url),
        &secret,
    )
    .await;
    assert_eq!(all.status(), 200);
    let one = open_watch(
        &format!(
            "{}/k8s/api/v1/namespaces/acme-dev/configmaps?watch=true&resourceVersion=0",
            tp.url
        ),
        &secret,
    )
    .await;
    assert_eq!(one.status(), 200);
    configmap(&kube, "acme-prod", "later-acme").await;
    configmap(&kube, GLOBEX_NS, "later-globex-secret-plans").await;
    let (text, ended) = read_stream(all, Duration::from_secs(2)).await;
    assert!(!ended, "the watch stays open");
    assert!(
        text.contains("later-acme") && text.contains("acme-config"),
        "{text}"
    );
    assert!(!text.contains("globex"), "{text}");
    // Removing bob from acme ends his open watch within seconds.
    admin
        .delete("/api/v1/tenants/acme/members/bob")
        .await
        .expect(204);
    let (_, ended) = read_stream(one, Duration::from_secs(10)).await;
    assert!(ended, "the watch outlived the membership");
    let r = open_watch(
        &format!(
            "{}/k8s/api/v1/namespaces/acme-dev/configmaps?watch=true",
            tp.url
        ),
        &secret,
    )
    .await;
    assert_eq!(r.status(), 403);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn proxy_writes_are_audited() {
    let (tp, mut admin, mut bob, _) = setup().await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "audited"}});
    bob.raw(
        Method::POST,
        "/k8s/api/v1/namespaces/acme-dev/configmaps",
        Some(Bytes::from(serde_json::to_vec(&cm).unwrap())),
        Some("application/json"),
    )
    .await
    .expect(201);
    bob.delete("/k8s/api/v1/namespaces/globex-prod/configmaps/globex-secret-plans")
        .await
        .expect(403);
    let events = admin.get("/api/v1/audit?action=k8s.").await.expect(200);
    let items = events.body["events"]
        .as_array()
        .expect("audit events")
        .clone();
    let find = |action: &str| {
        items
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in {items:?}"))
            .clone()
    };
    let created = find("k8s.create");
    assert_eq!(created["actor"], "bob");
    assert_eq!(created["tenant"], "acme");
    assert_eq!(created["result"], "ok");
    assert_eq!(
        created["target"],
        "/k8s/api/v1/namespaces/acme-dev/configmaps"
    );
    let denied = find("k8s.delete");
    assert_eq!(denied["result"], "denied");
    assert_eq!(denied["tenant"], "globex");
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn own_pod_proxy_works_and_an_unreachable_cluster_is_a_503() {
    let (mut tp, _admin, mut bob, _) = setup().await;
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "lab"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
            "ports": [{"containerPort": 80}]}]}});
    bob.raw(
        Method::POST,
        "/k8s/api/v1/namespaces/acme-dev/pods",
        Some(Bytes::from(serde_json::to_vec(&pod).unwrap())),
        Some("application/json"),
    )
    .await
    .expect(201);
    let b = bob.clone();
    common::portal::eventually(20, "the lab pod running", || {
        let mut b = b.clone();
        async move {
            let r = b.get("/k8s/api/v1/namespaces/acme-dev/pods/lab").await;
            r.body["status"]["phase"] == "Running"
        }
    })
    .await;
    let page = bob
        .get("/k8s/api/v1/namespaces/acme-dev/pods/lab/proxy/hello?x=1")
        .await
        .expect(200);
    assert!(
        page.text.contains("lab") && page.text.contains("/hello"),
        "{}",
        page.text
    );
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("sandbox"), "{csp}");

    tp.sim.pause().await;
    // An open connection may still answer one last request while it winds down.
    let mut r = bob.get("/k8s/api/v1/namespaces/acme-dev/pods").await;
    for _ in 0..50 {
        if r.status == 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        r = bob.get("/k8s/api/v1/namespaces/acme-dev/pods").await;
    }
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.body["reason"], "ServiceUnavailable");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("cannot be reached"),
        "{}",
        r.text
    );
    tp.sim.resume().await.unwrap();
    bob.get("/k8s/api/v1/namespaces/acme-dev/pods")
        .await
        .expect(200);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_browser_session_reaches_the_proxy_until_logout() {
    let (tp, _admin, _bob, _) = setup().await;
    let mut browser = tp.login("bob").await;
    let own = "/k8s/api/v1/namespaces/acme-dev/configmaps";
    // Twice: the second answer comes from the cached caller.
    for _ in 0..2 {
        let r = browser.get(own).await.expect(200);
        assert!(r.text.contains("acme-config"), "{}", r.text);
        let r = browser
            .get("/k8s/api/v1/namespaces/globex-prod/configmaps")
            .await
            .expect(403);
        no_leak(&r, "a session's list of globex configmaps");
    }
    // Another cookie value is not the cached session.
    let mut forged = browser.clone();
    forged.cookie = Some(format!(
        "{}=x{}",
        ku8portal::app::SESSION_COOKIE,
        "y".repeat(20)
    ));
    forged.get(own).await.expect(401);
    // After logout the old cookie stops working within the cache time.
    let stale = browser.clone();
    browser
        .post("/api/v1/auth/logout", &json!({}))
        .await
        .expect(204);
    common::portal::eventually(5, "the logged-out cookie refused by the proxy", || {
        let mut s = stale.clone();
        async move { s.get(own).await.status == 401 }
    })
    .await;
    tp.shutdown().await;
}
