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

fn role(rules: serde_json::Value) -> Bytes {
    json_body(
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "r", "namespace": "acme-dev"}, "rules": rules}),
    )
}

#[test]
fn roles_may_not_grant_what_the_portal_owns_or_escalate() {
    let roles = req(
        Method::POST,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/roles",
    );
    let ok = [
        json!([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "update"]}]),
        json!([{"apiGroups": [""], "resources": ["resourcequotas", "limitranges"], "verbs": ["get", "list", "watch"]}]),
        json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list"]}]),
    ];
    for rules in ok {
        assert_eq!(
            message(&roles, "application/json", role(rules.clone())),
            "ok",
            "{rules}"
        );
    }
    let refused = [
        (
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}]),
            "grants the verb \"*\"",
        ),
        (
            json!([{"resources": ["roles"], "verbs": ["escalate"]}]),
            "grants the verb \"escalate\"",
        ),
        (
            json!([{"resources": ["users"], "verbs": ["impersonate"]}]),
            "\"impersonate\"",
        ),
        (
            json!([{"resources": ["*"], "verbs": ["delete"]}]),
            "grants delete on every resource",
        ),
        (
            json!([{"apiGroups": [""], "resources": ["resourcequotas"], "verbs": ["update", "patch"]}]),
            "rules[0] grants update, patch on resourcequotas, which the portal owns",
        ),
        (
            json!([{"resources": ["pods"], "verbs": ["get"]}, {"resources": ["limitranges"], "verbs": ["delete"]}]),
            "rules[1] grants delete on limitranges",
        ),
        (
            json!([{"resources": ["resourcequotas/status"], "verbs": ["update"]}]),
            "resourcequotas/status",
        ),
        (
            json!([{"resources": ["namespaces"], "verbs": ["delete"]}]),
            "on namespaces",
        ),
    ];
    for (rules, want) in refused {
        let got = message(&roles, "application/json", role(rules.clone()));
        assert!(
            got.starts_with("403 roles is forbidden: "),
            "{rules}: {got}"
        );
        assert!(got.contains(want), "{rules}: {got}");
    }
    // The same in every encoding that carries the rules.
    let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: ['']\n  resources: [resourcequotas]\n  verbs: [update]\n";
    let apply = req(
        Method::PATCH,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/roles/r",
    );
    assert!(
        message(&apply, "application/apply-patch+yaml", Bytes::from(yaml))
            .starts_with("403 roles \"r\" is forbidden")
    );
    let merge = json_body(json!({"rules": [{"resources": ["*"], "verbs": ["create"]}]}));
    assert!(message(&apply, "application/merge-patch+json", merge).starts_with("403"));
    let ops = json_body(json!([{"op": "add", "path": "/rules/0/verbs/-", "value": "update"}]));
    let got = message(&apply, "application/json-patch+json", ops);
    assert!(
        got.contains("/rules cannot be changed with a JSON patch"),
        "{got}"
    );
    let label = json_body(json!([{"op": "add", "path": "/metadata/labels", "value": {"a": "b"}}]));
    assert_eq!(message(&apply, "application/json-patch+json", label), "ok");
}

#[test]
fn role_bindings_may_refer_to_own_roles_and_three_cluster_roles() {
    let bindings = req(
        Method::POST,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/rolebindings",
    );
    let binding = |kind: &str, name: &str| {
        json_body(
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "b", "namespace": "acme-dev"},
            "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "acme-dev"}],
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name}}),
        )
    };
    for (kind, name) in [
        ("Role", "anything"),
        ("ClusterRole", "view"),
        ("ClusterRole", "edit"),
        ("ClusterRole", "admin"),
    ] {
        assert_eq!(
            message(&bindings, "application/json", binding(kind, name)),
            "ok",
            "{kind} {name}"
        );
    }
    let got = message(
        &bindings,
        "application/json",
        binding("ClusterRole", "cluster-admin"),
    );
    assert_eq!(
        got,
        "403 rolebindings is forbidden: roleRef names the ClusterRole \"cluster-admin\"; tenants may bind a Role of the namespace or the ClusterRoles view, edit, admin"
    );
    assert!(
        message(&bindings, "application/json", binding("Group", "x"))
            .contains("roleRef.kind \"Group\"")
    );
    let patch = req(
        Method::PATCH,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/acme-dev/rolebindings/b",
    );
    let ops =
        json_body(json!([{"op": "replace", "path": "/roleRef/name", "value": "cluster-admin"}]));
    assert!(
        message(&patch, "application/json-patch+json", ops).contains("/roleRef cannot be changed")
    );
}
