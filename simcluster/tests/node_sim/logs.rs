//! Pod logs (follow, tail, since, previous, limits) and the metrics API.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_and_metrics() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    let mut web = nginx("web");
    web["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": "200m", "memory": "64Mi"}, "limits": {"cpu": "300m", "memory": "128Mi"}});
    pod(&c, "sim", web).await;
    pod(&c, "sim", json!({"metadata": {"name": "ticker"}, "spec": {"containers": [{"name": "tick", "image": "busybox:1.36", "command": ["sh", "-c", "while true; do echo tick; sleep 1; done"]}, {"name": "side", "image": "nginx:1.27"}]}})).await;
    until(&c, "/api/v1/namespaces/sim/pods/web", "web running", |p| {
        p["status"]["phase"] == "Running"
    })
    .await;
    until(
        &c,
        "/api/v1/namespaces/sim/pods/ticker",
        "ticker running",
        |p| p["status"]["phase"] == "Running",
    )
    .await;
    let log = c
        .request_text(req("GET", "/api/v1/namespaces/sim/pods/web/log", None))
        .await
        .unwrap();
    assert!(
        log.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty"),
        "{log}"
    );
    let tail = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web/log?tailLines=2&timestamps=true",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(tail.lines().count(), 2, "{tail}");
    assert!(
        tail.lines()
            .all(|l| l.len() > 31 && &l[10..11] == "T" && &l[29..31] == "Z "),
        "{tail}"
    );
    let limited = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web/log?limitBytes=10",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(limited.len(), 10);
    let (code, msg) = fails(&c, "GET", "/api/v1/namespaces/sim/pods/ticker/log", None).await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "a container name must be specified for pod ticker, choose one of: [tick side]"
        )
    );
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/pods/web/log?tailLines=-1",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            422,
            "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"
        )
    );
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/pods/web/log?previous=true",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "previous terminated container \"app\" in pod \"web\" not found"
        )
    );

    // follow: new lines arrive while the container runs.
    let pods: Api<Pod> = Api::namespaced(c.clone(), "sim");
    let params = LogParams {
        container: Some("tick".into()),
        follow: true,
        tail_lines: Some(1),
        ..LogParams::default()
    };
    let mut lines = pods.log_stream("ticker", &params).await.unwrap().lines();
    let first_two = tokio::time::timeout(Duration::from_secs(6), async {
        let a = lines.next().await.unwrap().unwrap();
        let b = lines.next().await.unwrap().unwrap();
        (a, b)
    })
    .await
    .expect("two lines within 6 s");
    assert_eq!(first_two, ("tick".to_string(), "tick".to_string()));

    // metrics.k8s.io: nodes and pods, stable within a scrape window, below limits.
    let nodes = get(&c, "/apis/metrics.k8s.io/v1beta1/nodes").await;
    assert_eq!(nodes["kind"], "NodeMetricsList");
    let items = nodes["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert!(
        items
            .iter()
            .all(|n| n["usage"]["cpu"].as_str().unwrap().ends_with('n')
                && n["usage"]["memory"].as_str().unwrap().ends_with("Ki"))
    );
    let one = get(&c, "/apis/metrics.k8s.io/v1beta1/namespaces/sim/pods/web").await;
    assert_eq!(
        (one["kind"].as_str(), one["containers"][0]["name"].as_str()),
        (Some("PodMetrics"), Some("app"))
    );
    let cpu: i64 = one["containers"][0]["usage"]["cpu"]
        .as_str()
        .unwrap()
        .trim_end_matches('n')
        .parse()
        .unwrap();
    assert!(cpu > 0 && cpu <= 300_000_000, "{cpu}");
    let selected = get(
        &c,
        "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb",
    )
    .await;
    assert_eq!(selected["items"].as_array().unwrap().len(), 1);
    let (code, msg) = fails(
        &c,
        "GET",
        "/apis/metrics.k8s.io/v1beta1/namespaces/sim/pods/nope",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (404, "podmetrics.metrics.k8s.io \"sim/nope\" not found")
    );
    tc.cluster.shutdown().await;

    let off = common::TestCluster::start_with(SimConfig {
        metrics_api: false,
        ..config()
    })
    .await;
    let c = client(&off).await;
    match c
        .request_text(req("GET", "/apis/metrics.k8s.io/v1beta1/nodes", None))
        .await
    {
        Err(kube::Error::Api(s)) => assert_eq!(s.code, 404),
        other => panic!("metrics without the API: {other:?}"),
    }
    off.cluster.shutdown().await;
}
