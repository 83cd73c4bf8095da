//! The node side through the API (kube-rs and raw HTTP): scheduling and FailedScheduling, the
//! kubelet's pod lifecycle (Running, image pull failures, crash loops, Jobs, graceful deletion),
//! services with cluster IPs, node ports and endpoints, proxies, logs, metrics, bindings.

#[path = "../common/mod.rs"]
mod common;

mod kubelet;
mod logs;
mod scheduling;
mod services;

use std::time::{Duration, Instant};

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, LogParams};
use serde_json::{Value, json};
use simcluster::{Seed, SimConfig};

fn config() -> SimConfig {
    SimConfig {
        seed: Seed::Empty,
        metrics_api: true,
        kubelet_delay: Duration::from_millis(200),
        job_run_time: Duration::from_secs(1),
        ..SimConfig::default()
    }
}

/// A kube-rs client that does not retry 503s (the proxy errors are what we want to see).
async fn client(tc: &common::TestCluster) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(&tc.kubeconfig).expect("read kubeconfig");
    let mut cfg =
        kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .expect("config");
    cfg.default_retry = false;
    kube::Client::try_from(cfg).expect("client")
}

fn req(method: &str, path: &str, body: Option<Value>) -> http::Request<Vec<u8>> {
    let builder = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    builder
        .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
        .unwrap()
}

async fn get(c: &kube::Client, path: &str) -> Value {
    c.request::<Value>(req("GET", path, None))
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

async fn post(c: &kube::Client, path: &str, body: Value) -> Value {
    c.request::<Value>(req("POST", path, Some(body)))
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// The Status of a failing request: (code, message).
async fn fails(c: &kube::Client, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    match c.request_text(req(method, path, body)).await {
        Err(kube::Error::Api(s)) => (s.code, s.message.clone()),
        other => panic!("{method} {path}: expected an API error, got {other:?}"),
    }
}

async fn namespace(c: &kube::Client, ns: &str) {
    post(c, "/api/v1/namespaces", json!({"metadata": {"name": ns}})).await;
    for _ in 0..100 {
        if c.request::<Value>(req(
            "GET",
            &format!("/api/v1/namespaces/{ns}/serviceaccounts/default"),
            None,
        ))
        .await
        .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no default ServiceAccount in {ns}");
}

async fn pod(c: &kube::Client, ns: &str, spec: Value) -> Value {
    post(c, &format!("/api/v1/namespaces/{ns}/pods"), spec).await
}

/// Poll `path` until `ok` holds (10 s at most); returns the last object.
async fn until(c: &kube::Client, path: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let v = get(c, path).await;
        if ok(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}: {v:#}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn condition<'a>(pod: &'a Value, kind: &str) -> &'a Value {
    pod["status"]["conditions"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["type"] == kind))
        .unwrap_or(&Value::Null)
}

async fn event_reasons(c: &kube::Client, ns: &str, name: &str) -> Vec<(String, String)> {
    let evs = get(
        c,
        &format!("/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3D{name}"),
    )
    .await;
    evs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["reason"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn nginx(name: &str) -> Value {
    json!({"metadata": {"name": name, "labels": {"app": name}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"name": "http", "containerPort": 80}]}]}})
}
