//! Golden-transcript tests: create bodies through defaulting/admission/PrepareForCreate compared
//! with the recorded responses, and every validation error body of the goldens.

use super::*;
use crate::status::ApiError;
use serde_json::{Map, Value, json};

const GOLDEN: &str = "/work/shared/k8s-golden";

fn steps(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{GOLDEN}/{file}")).expect("golden file");
    let v: Value = serde_json::from_str(&text).expect("json");
    v["steps"].as_array().cloned().unwrap_or_default()
}

fn step(file: &str, name: &str) -> Value {
    steps(file)
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("step {name}"))
}

/// Replaces `kube-api-access-xxxxx` and diff hunk headers like the golden normalizer.
fn norm_str(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("kube-api-access-") {
        out.push_str(&rest[..i + 16]);
        let tail = &rest[i + 16..];
        if tail.len() >= 5
            && tail.as_bytes()[..5]
                .iter()
                .all(|c| c.is_ascii_alphanumeric())
        {
            out.push_str("<suffix>");
            rest = &tail[5..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    let mut res = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("@@ -") {
        res.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail[3..].find(" @@") {
            Some(j)
                if tail[3..3 + j]
                    .chars()
                    .all(|c| c.is_ascii_digit() || " ,-+".contains(c)) =>
            {
                res.push_str("@@ <hunk> @@");
                rest = &tail[3 + j + 3..];
            }
            _ => {
                res.push_str("@@ -");
                rest = &tail[4..];
            }
        }
    }
    res.push_str(rest);
    res
}

const UID: &str = "9c1a8f1e-0000-4000-8000-000000000001";

fn norm(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(norm_str(
            &s.replace(UID, "<uid>").replace("-x2b4z", "-<suffix>"),
        )),
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        other => other.clone(),
    }
}

/// Golden placeholders back to valid values (test inputs).
fn denorm(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(
            s.replace("<uid>", UID)
                .replace("<suffix>", "x2b4z")
                .replace("<time>", "2026-01-02T03:04:05Z"),
        ),
        Value::Array(a) => Value::Array(a.iter().map(denorm).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), denorm(v))).collect()),
        other => other.clone(),
    }
}

fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

fn group_kind(body: &Value) -> (String, String) {
    let av = body["apiVersion"].as_str().unwrap_or("v1");
    let group = av
        .rsplit_once('/')
        .map(|(g, _)| g.to_string())
        .unwrap_or_default();
    (group, body["kind"].as_str().unwrap_or("Pod").to_string())
}

/// Defaulting, admission and PrepareForCreate of a create body, with the system fields the core
/// would fill in.
fn create(body: &Value) -> (String, String, Value) {
    let (g, k) = group_kind(body);
    let mut obj = denorm(body);
    apply_defaults(&g, &k, &mut obj);
    if (g.as_str(), k.as_str()) == ("", "Pod") {
        admit_pod_create(&mut obj);
    }
    let meta = json::child(json::as_obj(&mut obj), "metadata");
    meta.insert("uid".into(), json!(UID));
    if meta.get("name").is_none()
        && let Some(p) = meta.get("generateName").and_then(Value::as_str)
    {
        let name = format!("{p}x2b4z");
        meta.insert("name".into(), json!(name));
    }
    prepare_create(&g, &k, &mut obj);
    canonicalize(&g, &k, &mut obj);
    (g, k, obj)
}

#[test]
fn golden_create_bodies_are_defaulted_like_the_apiserver() {
    let mut checked = 0;
    for file in [
        "pod-crud.json",
        "generate-name.json",
        "namespace-lifecycle.json",
        "workloads-misc.json",
        "deployment-scale.json",
        "errors.json",
        "selectors.json",
        "pagination.json",
        "watch-events.json",
        "resourcequota-admission.json",
        "limitrange-defaults.json",
    ] {
        for s in steps(file) {
            let req = &s["request"];
            if file.starts_with("limitrange") && req["body"]["kind"] == "Pod" {
                continue; // LimitRanger admission mutates these
            }
            let unknown_fields = s["name"]
                .as_str()
                .is_some_and(|n| n.contains("unknown-field"));
            if req["method"] != "POST"
                || s["response"]["status"] != 201
                || !req["body"].is_object()
                || unknown_fields
            {
                continue;
            }
            let (_, _, mut got) = create(&req["body"]);
            let mut want = s["response"]["body"].clone();
            for m in [&mut got, &mut want] {
                if let Some(o) = m.as_object_mut() {
                    o.remove("kind");
                    o.remove("apiVersion");
                }
                if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                    for k in [
                        "uid",
                        "resourceVersion",
                        "creationTimestamp",
                        "namespace",
                        "name",
                        "managedFields",
                    ] {
                        meta.remove(k);
                    }
                }
            }
            assert_eq!(norm(&got), norm(&want), "{file} / {}", s["name"]);
            checked += 1;
        }
    }
    println!("{checked} create steps checked");
    assert!(checked >= 20, "only {checked} create steps");
}

fn invalid_body(kind: &str, group: &str, name: &str, errs: &[crate::status::FieldError]) -> Value {
    ApiError::invalid(kind, group, name, errs).to_status()
}

#[test]
fn golden_create_validation_errors() {
    let mut checked = 0;
    for file in [
        "pod-crud.json",
        "generate-name.json",
        "namespace-lifecycle.json",
        "workloads-misc.json",
    ] {
        for s in steps(file) {
            let req = &s["request"];
            let resp = &s["response"]["body"];
            if req["method"] != "POST" || s["response"]["status"] != 422 || !req["body"].is_object()
            {
                continue;
            }
            let (g, k, obj) = create(&req["body"]);
            let errs = validate_create(&g, &k, &obj);
            let name = obj["metadata"]["name"].as_str().unwrap_or("");
            let got = invalid_body(&k, &g, name, &errs);
            assert_eq!(norm(&got), norm(resp), "{file} / {}", s["name"]);
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} error steps");
}

fn response(file: &str, name: &str) -> Value {
    step(file, name)["response"]["body"].clone()
}

fn old_object(file: &str, name: &str) -> Value {
    denorm(&response(file, name))
}

fn update(old: &Value, new: Value) -> Vec<crate::status::FieldError> {
    let (g, k) = group_kind(old);
    let mut new = new;
    apply_defaults(&g, &k, &mut new);
    prepare_update(&g, &k, &mut new, old);
    validate_update(&g, &k, &new, old)
}

#[test]
fn golden_pod_update_forbidden_spec_change_message() {
    let old = old_object("pod-crud.json", "update-pod-without-resourceversion");
    let mut new = old.clone();
    merge_patch(&mut new, &json!({"spec": {"restartPolicy": "Never"}}));
    let errs = update(&old, new);
    let want = response("pod-crud.json", "update-pod-forbidden-spec-change");
    assert_eq!(norm(&invalid_body("Pod", "", "web", &errs)), want);
}

#[test]
fn golden_pod_update_container_rules() {
    let old = old_object("pod-crud.json", "strategic-merge-patch-image");
    let mut new = old.clone();
    let mut c0 = old["spec"]["containers"][0].clone();
    c0["image"] = json!("nginx:1.29");
    new["spec"]["containers"] = json!([c0, {"name": "sidecar", "image": "busybox:1.36"}]);
    let errs = update(&old, new);
    assert_eq!(
        norm(&invalid_body("Pod", "", "web", &errs)),
        response("pod-crud.json", "strategic-merge-patch-add-container")
    );

    let mut new = old.clone();
    merge_patch(
        &mut new,
        &json!({"spec": {"containers": [{"name": "app", "image": "nginx:1.29"}]}}),
    );
    let errs = update(&old, new);
    assert_eq!(
        norm(&invalid_body("Pod", "", "web", &errs)),
        response("pod-crud.json", "merge-patch-containers-list")
    );
}

#[test]
fn golden_pod_updates_that_succeed() {
    let old = old_object("pod-crud.json", "get-pod");
    let mut new = old.clone();
    merge_patch(
        &mut new,
        &json!({"metadata": {"labels": {"app": "web", "updated": "yes"}}}),
    );
    assert!(update(&old, new.clone()).is_empty());
    let mut prepared = new;
    prepare_update("", "Pod", &mut prepared, &old);
    assert_eq!(prepared["metadata"]["generation"], 1);
    let old = old_object("pod-crud.json", "json-patch-missing-path");
    let mut new = old.clone();
    new["spec"]["containers"][0]["image"] = json!("nginx:1.28");
    assert!(update(&old, new.clone()).is_empty());
    prepare_update("", "Pod", &mut new, &old);
    assert_eq!(new["metadata"]["generation"], 2);
}

#[test]
fn golden_configmap_immutable() {
    let old = old_object(
        "workloads-misc.json",
        "create-configmap-binary-and-immutable",
    );
    let mut new = old.clone();
    merge_patch(&mut new, &json!({"data": {"a": "2"}}));
    let errs = update(&old, new);
    assert_eq!(
        invalid_body("ConfigMap", "", "frozen", &errs),
        response("workloads-misc.json", "update-immutable-configmap")
    );
}

#[test]
fn golden_scale_and_decode_errors() {
    let body = step("deployment-scale.json", "put-scale-negative")["request"]["body"].clone();
    let errs = validate_scale(&body);
    assert_eq!(
        invalid_body("Scale", "autoscaling", "web", &errs),
        response("deployment-scale.json", "put-scale-negative")
    );
    let bad =
        step("workloads-misc.json", "create-secret-invalid-base64")["request"]["body"].clone();
    let msg = decode_error("", "Secret", &bad).expect("decode error");
    assert_eq!(
        format!("Secret in version \"v1\" cannot be handled as a Secret: {msg}"),
        response("workloads-misc.json", "create-secret-invalid-base64")["message"]
    );
}

#[test]
fn limit_range_request_above_limit_message() {
    // The LimitRanger default limit (500m) is applied by admission; validation then rejects 800m.
    let mut pod = step(
        "limitrange-defaults.json",
        "create-pod-request-above-default-limit",
    )["request"]["body"]
        .clone();
    pod["spec"]["containers"][0]["resources"]["limits"] = json!({"cpu": "500m", "memory": "256Mi"});
    pod["spec"]["containers"][0]["resources"]["requests"]["memory"] = json!("128Mi");
    let (g, k, obj) = create(&pod);
    let errs = validate_create(&g, &k, &obj);
    assert_eq!(
        invalid_body("Pod", "", "req-above-default", &errs),
        response(
            "limitrange-defaults.json",
            "create-pod-request-above-default-limit"
        )
    );
}

#[test]
fn deployment_generation_bumps_on_scale() {
    let old = old_object("deployment-scale.json", "get-deployment-settled");
    let mut new = old.clone();
    new["spec"]["replicas"] = json!(3);
    prepare_update("apps", "Deployment", &mut new, &old);
    assert_eq!(new["metadata"]["generation"], 2);
    assert_eq!(new["status"], old["status"]);
}
