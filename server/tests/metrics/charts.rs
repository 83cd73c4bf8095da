//! The SVG charts and the pool/applications JSON: valid SVG with the series names and axis
//! labels in English and Chinese, ETag and 304, who may read which chart, empty and
//! no-metrics-API faces.

use super::*;

/// The texts of an SVG document (parsed: it must be well-formed), one per line.
fn svg_texts(r: &common::http::Resp) -> String {
    assert_eq!(
        r.headers["content-type"], "image/svg+xml; charset=utf-8",
        "{}",
        r.text
    );
    let doc = roxmltree::Document::parse(&r.text)
        .unwrap_or_else(|e| panic!("not well-formed SVG ({e}): {}", r.text));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn has(texts: &str, want: &[&str]) {
    for w in want {
        assert!(texts.contains(w), "no {w:?} in the chart's texts:\n{texts}");
    }
}

async fn collect(tp: &TestPortal, c: &mut Collector) {
    c.cycle(tp.state(), ku8portal::time::now(), Retention::default())
        .await
        .unwrap();
    c.flush(tp.state()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn charts_in_both_languages_cached_and_tenant_isolated() {
    let tp = portal(true).await;
    let mut admin = two_tenants(&tp).await;
    let mut c = Collector::default();
    let cluster_cpu =
        "/api/v1/metrics/charts/series.svg?scope=cluster&metric=cpu,cpu.requests&range=1h";
    // Before the first collection: a valid chart that says so.
    let none = admin.get(cluster_cpu).await.expect(200);
    has(&svg_texts(&none), &["No data yet", "cluster · last 1h"]);
    let none = admin
        .get(&format!("{cluster_cpu}&lang=zh"))
        .await
        .expect(200);
    has(&svg_texts(&none), &["暂无数据", "集群 · 最近1h"]);

    let kube = tp.kube().await;
    deploy(&kube, "acme-dev", 3).await;
    deploy(&kube, "globex-prod", 2).await;
    pods_measured(&kube, 5).await;
    collect(&tp, &mut c).await;

    let en = admin
        .get(&format!("{cluster_cpu}&tz=480"))
        .await
        .expect(200);
    has(
        &svg_texts(&en),
        &["CPU usage", "CPU requests", "time (UTC+08:00)", "CPU ("],
    );
    let zh = admin
        .get(&format!("{cluster_cpu}&lang=zh"))
        .await
        .expect(200);
    has(&svg_texts(&zh), &["CPU用量", "CPU请求", "时间 (UTC+00:00)"]);
    assert!(
        svg_texts(&zh).contains("CPU (核)") || svg_texts(&zh).contains("CPU (毫核)"),
        "{}",
        zh.text
    );

    // Cached: an ETag from the data and parameters, 304 when the browser has it.
    let etag = en.headers["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(en.headers["cache-control"], "private, max-age=5");
    assert_ne!(
        zh.headers["etag"], en.headers["etag"],
        "the language is a parameter"
    );
    admin.header("if-none-match", &etag);
    let again = admin
        .get(&format!("{cluster_cpu}&tz=480"))
        .await
        .expect(304);
    assert!(again.text.is_empty());
    assert_eq!(again.headers["etag"].to_str().unwrap(), etag);
    admin.get(&format!("{cluster_cpu}&tz=0")).await.expect(200);
    // New data (timestamps are to the second): a new ETag. Series whose tenant is missing in
    // the database (seen before their namespace's tenant was known) get it back from the next
    // leader's first cycle.
    sqlx::query("UPDATE metric_series SET tenant = NULL WHERE scope = 'app'")
        .execute(&tp.state().db)
        .await
        .unwrap();
    let mut c = Collector::default();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    collect(&tp, &mut c).await;
    admin
        .get(&format!("{cluster_cpu}&tz=480"))
        .await
        .expect(200);
    admin.headers.clear();

    // The pool (platform admins): JSON whose sums hold, and its charts.
    let pool = admin.get("/api/v1/metrics/pool").await.expect(200);
    let res = |subject: &Value, r: &str, field: &str| -> f64 {
        subject["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["resource"] == r)
            .unwrap()[field]
            .as_f64()
            .unwrap_or(0.0)
    };
    let nodes = pool.body["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty(), "{}", pool.text);
    for (r, field) in [
        ("cpu", "capacity"),
        ("memory", "allocatable"),
        ("cpu", "requested"),
    ] {
        let sum: f64 = nodes.iter().map(|n| res(n, r, field)).sum();
        assert!(
            (res(&pool.body["cluster"], r, field) - sum).abs() < 1e-6,
            "cluster {r} {field} is the nodes' sum: {}",
            pool.text
        );
    }
    assert!(res(&pool.body["cluster"], "cpu", "used") > 0.0);
    let svg = admin
        .get("/api/v1/metrics/charts/pool.svg")
        .await
        .expect(200);
    has(
        &svg_texts(&svg),
        &[
            "Resource pool · cluster",
            "allocatable",
            "requested",
            "used",
            "CPU",
            "memory",
            "% of capacity",
        ],
    );
    let node = nodes[0]["name"].as_str().unwrap();
    let svg = admin
        .get("/api/v1/metrics/charts/pool.svg?by=node&resource=memory&lang=zh")
        .await
        .expect(200);
    has(&svg_texts(&svg), &["资源池", "可分配", "已请求", node]);
    admin
        .get("/api/v1/metrics/charts/pool.svg?by=node&resource=disk")
        .await
        .expect(400);

    // A tenant member: own series, rankings and applications; nothing of globex or the cluster.
    let mut bob = tp.login("bob").await;
    let ns = bob
        .get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=memory,memory.requests&range=6h&band=true")
        .await
        .expect(200);
    has(
        &svg_texts(&ns),
        &[
            "namespace acme-dev · last 6h",
            "memory usage",
            "memory requests",
            "memory (",
        ],
    );
    let top = bob
        .get("/api/v1/metrics/charts/top.svg?scope=pod&metric=cpu&window=1h")
        .await
        .expect(200);
    let texts = svg_texts(&top);
    has(
        &texts,
        &[
            "Top CPU usage · pod · last 1h",
            "acme-dev/web-",
            "% of request",
        ],
    );
    assert!(!texts.contains("globex"), "{texts}");
    let apps = bob.get("/api/v1/metrics/apps").await.expect(200);
    let web = apps.body["apps"].as_array().unwrap();
    assert_eq!(web.len(), 1, "{}", apps.text);
    assert_eq!(
        (web[0]["name"].as_str(), web[0]["pods"].as_u64()),
        (Some("acme-dev/web"), Some(3))
    );
    let svg = bob
        .get("/api/v1/metrics/charts/apps.svg?lang=zh")
        .await
        .expect(200);
    let texts = svg_texts(&svg);
    has(
        &texts,
        &["应用", "服务数", "Pod 数", "运行中实例", "acme-dev/web"],
    );
    assert!(!texts.contains("globex"), "{texts}");
    let all = admin
        .get("/api/v1/metrics/charts/apps.svg")
        .await
        .expect(200);
    has(
        &svg_texts(&all),
        &["acme-dev/web", "globex-prod/web", "running instances"],
    );

    let mut heidi = tp.login("heidi").await;
    heidi
        .get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=cpu")
        .await
        .expect(404);
    heidi
        .get("/api/v1/metrics/charts/series.svg?scope=tenant&name=acme&metric=cpu&lang=zh")
        .await
        .expect(404);
    heidi
        .get("/api/v1/metrics/charts/apps.svg?tenant=acme")
        .await
        .expect(404);
    heidi
        .get("/api/v1/metrics/apps?tenant=acme")
        .await
        .expect(404);
    bob.get("/api/v1/metrics/charts/pool.svg").await.expect(403);
    bob.get("/api/v1/metrics/pool").await.expect(403);
    bob.get("/api/v1/metrics/charts/series.svg?scope=cluster&metric=cpu")
        .await
        .expect(404);
    bob.get("/api/v1/metrics/charts/top.svg?scope=node")
        .await
        .expect(403);
    // Bad parameters are explained.
    let mixed = bob
        .get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=cpu,pods")
        .await
        .expect(400);
    assert!(mixed.message().contains("share a unit"), "{}", mixed.text);
    bob.get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=cpu&lang=fr")
        .await
        .expect(400);
    bob.get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=cpu&tz=5000")
        .await
        .expect(400);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn charts_say_when_there_is_no_metrics_api() {
    let tp = portal(false).await;
    let mut admin = two_tenants(&tp).await;
    let mut c = Collector::default();
    let kube = tp.kube().await;
    deploy(&kube, "acme-dev", 1).await;
    pods_scheduled(&kube, "acme-dev", 1).await;
    collect(&tp, &mut c).await;
    let usage = admin
        .get("/api/v1/metrics/charts/series.svg?scope=cluster&metric=cpu&range=24h")
        .await
        .expect(200);
    has(
        &svg_texts(&usage),
        &["metrics API not available in this cluster"],
    );
    let top = admin
        .get("/api/v1/metrics/charts/top.svg?scope=namespace&metric=memory&lang=zh")
        .await
        .expect(200);
    has(&svg_texts(&top), &["集群未提供 metrics API"]);
    // Requests and quotas are still drawn, with the note.
    let requests = admin
        .get("/api/v1/metrics/charts/series.svg?scope=namespace&name=acme-dev&metric=quota.used/requests.cpu,quota.hard/requests.cpu")
        .await
        .expect(200);
    let texts = svg_texts(&requests);
    has(&texts, &["quota used: requests.cpu", "quota: requests.cpu"]);
    assert!(!texts.contains("No data yet"), "{texts}");
    let pool = admin.get("/api/v1/metrics/pool").await.expect(200);
    assert_eq!(pool.body["metrics_api"], false);
    assert!(
        pool.body["cluster"]["resources"][0]["used"].is_null(),
        "{}",
        pool.text
    );
    assert!(pool.body["cluster"]["resources"][0]["requested"].as_f64() > Some(0.0));
    has(
        &svg_texts(
            &admin
                .get("/api/v1/metrics/charts/pool.svg")
                .await
                .expect(200),
        ),
        &[
            "metrics API not available in this cluster: usage is not measured",
            "requested",
        ],
    );
    tp.shutdown().await;
}
