//! Bad input gets the real server's status codes and messages: oversized bodies, malformed YAML,
//! wrong kinds, namespace mismatches, unknown resources and paths.

mod common;

use http::Request;

/// Send a raw request; returns (status code, body text).
async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", content_type)
        .body(body)
        .unwrap();
    match client.request_text(req).await {
        Ok(text) => (200, text),
        Err(kube::Error::Api(s)) => (s.code, s.message),
        Err(other) => panic!("{method} {path}: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_real_errors() {
    let tc = common::TestCluster::start().await;
    let c = tc.client().await;
    let (code, _) = send(
        &c,
        "POST",
        "/api/v1/namespaces",
        "application/json",
        br#"{"metadata":{"name":"bad"}}"#.to_vec(),
    )
    .await;
    assert_eq!(code, 200);

    // Oversized body: 413 before anything is parsed.
    let big = format!(
        r#"{{"metadata":{{"name":"big"}},"data":{{"k":"{}"}}}}"#,
        "x".repeat(4 * 1024 * 1024)
    );
    let (code, msg) = send(
        &c,
        "POST",
        "/api/v1/namespaces/bad/configmaps",
        "application/json",
        big.into_bytes(),
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (413, "Request entity too large: limit is 3145728")
    );

    // Malformed YAML.
    let (code, msg) = send(
        &c,
        "POST",
        "/api/v1/namespaces/bad/configmaps",
        "application/yaml",
        b"metadata: [unclosed\n".to_vec(),
    )
    .await;
    assert_eq!(code, 400);
    assert!(msg.starts_with("error converting YAML to JSON"), "{msg}");

    // YAML that is fine is accepted.
    let (code, _) = send(
        &c,
        "POST",
        "/api/v1/namespaces/bad/configmaps",
        "application/yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  a: b\n".to_vec(),
    )
    .await;
    assert_eq!(code, 200);

    // Wrong kind for the endpoint.
    let (code, msg) = send(
        &c,
        "POST",
        "/api/v1/namespaces/bad/configmaps",
        "application/json",
        br#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}"#.to_vec(),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(
        msg,
        "Secret in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion"
    );

    // Namespace in the body differs from the URL.
    let (code, msg) = send(
        &c,
        "POST",
        "/api/v1/namespaces/bad/configmaps",
        "application/json",
        br#"{"metadata":{"name":"m","namespace":"other"}}"#.to_vec(),
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    );

    // Unknown resource in a known group version, unknown group.
    let (code, msg) = send(
        &c,
        "GET",
        "/api/v1/namespaces/bad/widgets",
        "application/json",
        vec![],
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (404, "the server could not find the requested resource")
    );
    let (code, _) = send(
        &c,
        "GET",
        "/apis/nosuch.example.com/v1/widgets",
        "application/json",
        vec![],
    )
    .await;
    assert_eq!(code, 404);

    // Nothing half-stored: the refused objects do not exist.
    for name in ["big", "s", "m"] {
        let (code, _) = send(
            &c,
            "GET",
            &format!("/api/v1/namespaces/bad/configmaps/{name}"),
            "application/json",
            vec![],
        )
        .await;
        assert_eq!(code, 404, "{name} was stored");
    }
    tc.cluster.shutdown().await;
}
