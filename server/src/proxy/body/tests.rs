//! Unit tests of the tenant write-body checks.

use axum::body::Bytes;
use http::Method;
use serde_json::json;

use super::check;
use crate::proxy::path::{ApiRequest, ResourceRequest, parse};

fn req(method: Method, path: &str) -> ResourceRequest {
    match parse(&method, path, None).unwrap() {
        ApiRequest::Resource(r) => r,
        ApiRequest::Discovery => panic!("not a resource"),
    }
}

fn pods() -> ResourceRequest {
    req(Method::POST, "/api/v1/namespaces/acme-dev/pods")
}

fn json_body(v: serde_json::Value) -> Bytes {
    Bytes::from(serde_json::to_vec(&v).unwrap())
}

fn pod(spec: serde_json::Value) -> Bytes {
    json_body(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "acme-dev"}, "spec": spec}))
}

fn message(r: &ResourceRequest, ct: &str, body: Bytes) -> String {
    match check(r, Some(ct), body) {
        Ok(_) => "ok".into(),
        Err(e) => format!("{} {}", e.status.as_u16(), e.message),
    }
}

#[test]
fn plain_pods_pass() {
    let b = pod(json!({"containers": [{"name": "c", "image": "nginx",
        "securityContext": {"privileged": false}}]}));
    assert_eq!(message(&pods(), "application/json", b), "ok");
    assert_eq!(message(&pods(), "application/json", Bytes::new()), "ok");
}

#[test]
fn host_access_is_refused_with_the_field() {
    let cases = [
        (
            json!({"containers": [{"name": "c", "securityContext": {"privileged": true}}]}),
            "a privileged container (spec.containers[0].securityContext.privileged)",
        ),
        (
            json!({"volumes": [{"name": "h", "hostPath": {"path": "/"}}], "containers": []}),
            "a hostPath volume (spec.volumes[0].hostPath)",
        ),
        (
            json!({"hostNetwork": true}),
            "host namespaces (spec.hostNetwork)",
        ),
        (json!({"hostPID": true}), "host namespaces (spec.hostPID)"),
        (json!({"hostIPC": true}), "host namespaces (spec.hostIPC)"),
    ];
    for (spec, why) in cases {
        let m = message(&pods(), "application/json", pod(spec));
        assert!(m.starts_with("403 pods is forbidden: "), "{m}");
        assert!(m.contains(why), "{m} should name {why}");
    }
    // Deep in a Deployment's template, and as apply YAML.
    let d = req(
        Method::PATCH,
        "/apis/apps/v1/namespaces/acme-dev/deployments/web",
    );
    let yaml = "spec:\n  template:\n    spec:\n      hostNetwork: true\n";
    let m = message(&d, "application/apply-patch+yaml", Bytes::from(yaml));
    assert!(m.contains("spec.template.spec.hostNetwork"), "{m}");
    let svc = req(Method::POST, "/api/v1/namespaces/acme-dev/services");
    let m = message(
        &svc,
        "application/json",
        json_body(json!({"spec": {"externalIPs": ["1.2.3.4"]}})),
    );
    assert!(m.contains("externalIPs"), "{m}");
    assert_eq!(
        message(
            &svc,
            "application/json",
            json_body(json!({"spec": {"externalIPs": []}}))
        ),
        "ok"
    );
}

#[test]
fn user_data_is_not_searched() {
    let cm = req(Method::POST, "/api/v1/namespaces/acme-dev/configmaps");
    let b = json_body(json!({"data": {"hostPath": "/x", "privileged": "true"},
        "metadata": {"labels": {"hostNetwork": "true"}}}));
    assert_eq!(message(&cm, "application/json", b), "ok");
}

#[test]
fn json_patches_are_checked_by_path() {
    let p = req(
        Method::PATCH,
        "/apis/apps/v1/namespaces/acme-dev/deployments/web",
    );
    let ct = "application/json-patch+json";
    let m = message(
        &p,
        ct,
        json_body(json!([{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true}])),
    );
    assert!(m.starts_with("403"), "{m}");
    let m = message(
        &p,
        ct,
        json_body(
            json!([{"op": "add", "path": "/spec/template/spec/volumes/0/hostPath", "value": {"path": "/"}}]),
        ),
    );
    assert!(m.starts_with("403"), "{m}");
    let m = message(
        &p,
        ct,
        json_body(
            json!([{"op": "add", "path": "/spec/template/spec/containers/0/securityContext", "value": {"privileged": true}}]),
        ),
    );
    assert!(m.starts_with("403"), "{m}");
    let m = message(
        &p,
        ct,
        json_body(json!([{"op": "replace", "path": "/metadata/namespace", "value": "globex"}])),
    );
    assert!(m.starts_with("400"), "{m}");
    let m = message(
        &p,
        ct,
        json_body(json!([{"op": "replace", "path": "/spec/replicas", "value": 3}])),
    );
    assert_eq!(m, "ok");
}

#[test]
fn namespace_mismatch_and_bad_bodies() {
    let b = json_body(json!({"metadata": {"name": "p", "namespace": "globex-prod"}}));
    assert_eq!(
        message(&pods(), "application/json", b),
        "400 the namespace of the provided object does not match the namespace sent on the request"
    );
    let m = message(&pods(), "application/json", Bytes::from_static(b"{nope"));
    assert!(m.starts_with("400 the request body cannot be read"), "{m}");
    let m = message(&pods(), "text/plain", Bytes::from_static(b"x"));
    assert!(m.starts_with("415"), "{m}");
    let m = message(
        &pods(),
        "application/vnd.kubernetes.protobuf",
        Bytes::from_static(b"nope"),
    );
    assert!(m.starts_with("400"), "{m}");
}
