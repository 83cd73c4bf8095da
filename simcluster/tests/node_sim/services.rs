//! Services: cluster IPs, node ports, Endpoints / EndpointSlices, and the pod and service proxies.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_endpoints_and_proxies() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    let k8s = get(&c, "/api/v1/namespaces/default/services/kubernetes").await;
    assert_eq!(k8s["spec"]["clusterIP"], "10.96.0.1");
    pod(&c, "sim", nginx("web")).await;
    let svc = post(&c, "/api/v1/namespaces/sim/services", json!({"metadata": {"name": "web"}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}})).await;
    let ip: std::net::Ipv4Addr = svc["spec"]["clusterIP"].as_str().unwrap().parse().unwrap();
    assert_eq!(ip.octets()[0..2], [10, ip.octets()[1]]);
    assert!((96..112).contains(&ip.octets()[1]), "{ip}");
    assert_eq!(svc["spec"]["clusterIPs"], json!([ip.to_string()]));
    let node_port = svc["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&node_port));
    let clash = json!({"metadata": {"name": "clash"}, "spec": {"type": "NodePort", "selector": {"app": "x"}, "ports": [{"port": 80, "nodePort": node_port}]}});
    let (code, msg) = fails(&c, "POST", "/api/v1/namespaces/sim/services", Some(clash)).await;
    assert_eq!(
        (code, msg),
        (
            422,
            format!(
                "Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: {node_port}: provided port is already allocated"
            )
        )
    );
    // Updates keep the allocated values.
    let mut again = get(&c, "/api/v1/namespaces/sim/services/web").await;
    again["metadata"]["labels"] = json!({"tier": "web"});
    let updated = c
        .request::<Value>(req(
            "PUT",
            "/api/v1/namespaces/sim/services/web",
            Some(again),
        ))
        .await
        .unwrap();
    assert_eq!(
        (
            updated["spec"]["clusterIP"].as_str(),
            updated["spec"]["ports"][0]["nodePort"].as_i64()
        ),
        (Some(ip.to_string().as_str()), Some(node_port))
    );

    // Back to ClusterIP: the node port goes, the cluster IP stays.
    let patch = http::Request::patch("/api/v1/namespaces/sim/services/web")
        .header("content-type", "application/merge-patch+json")
        .body(br#"{"spec":{"type":"ClusterIP"}}"#.to_vec())
        .unwrap();
    let plain = c.request::<Value>(patch).await.unwrap();
    assert_eq!(
        (
            plain["spec"]["ports"][0].get("nodePort"),
            plain["spec"]["clusterIP"].as_str()
        ),
        (None, Some(ip.to_string().as_str()))
    );
    let web = until(&c, "/api/v1/namespaces/sim/pods/web", "web ready", |p| {
        condition(p, "Ready")["status"] == "True"
    })
    .await;
    let pod_ip = web["status"]["podIP"].as_str().unwrap().to_string();
    let eps = until(
        &c,
        "/api/v1/namespaces/sim/endpoints/web",
        "endpoints",
        |e| e["subsets"].is_array(),
    )
    .await;
    assert_eq!(eps["subsets"][0]["addresses"][0]["ip"], pod_ip.as_str());
    assert_eq!(
        eps["subsets"][0]["addresses"][0]["targetRef"]["name"],
        "web"
    );
    assert_eq!(
        eps["subsets"][0]["ports"],
        json!([{"name": "http", "port": 80, "protocol": "TCP"}])
    );
    let slices = get(&c, "/apis/discovery.k8s.io/v1/namespaces/sim/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb").await;
    let slice = &slices["items"][0];
    assert_eq!(slice["endpoints"][0]["addresses"], json!([pod_ip]));
    assert_eq!(
        slice["endpoints"][0]["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(
        slice["ports"],
        json!([{"name": "http", "protocol": "TCP", "port": 80}])
    );
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");

    let page = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web:80/proxy/hello?a=b",
            None,
        ))
        .await
        .unwrap();
    assert!(
        page.contains("<td>Path</td><td>/hello</td>")
            && page.contains("<td>Query</td><td>a=b</td>")
            && page.contains("nginx:1.27"),
        "{page}"
    );
    let via = c
        .request_text(req(
            "POST",
            "/api/v1/namespaces/sim/services/web:80/proxy/submit",
            Some(json!({"x": 1})),
        ))
        .await
        .unwrap();
    assert!(
        via.contains("<td>Service</td><td>web</td>")
            && via.contains("<td>Method</td><td>POST</td>"),
        "{via}"
    );
    let (code, msg) = fails(&c, "GET", "/api/v1/namespaces/sim/pods/web:81/proxy/", None).await;
    assert_eq!(
        (code, msg),
        (
            503,
            format!(
                "error trying to reach service: dial tcp {pod_ip}:81: connect: connection refused"
            )
        )
    );
    post(&c, "/api/v1/namespaces/sim/services", json!({"metadata": {"name": "empty"}, "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}})).await;
    let start = Instant::now();
    while c
        .request_text(req("GET", "/api/v1/namespaces/sim/endpoints/empty", None))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no endpoints object for a service without pods"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/services/empty/proxy/",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (503, "no endpoints available for service \"empty\"")
    );

    c.request_text(req("DELETE", "/api/v1/namespaces/sim/services/web", None))
        .await
        .unwrap();
    let start = Instant::now();
    while c
        .request_text(req("GET", "/api/v1/namespaces/sim/endpoints/web", None))
        .await
        .is_ok()
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "endpoints of a deleted service remain"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tc.cluster.shutdown().await;
}
