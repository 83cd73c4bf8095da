//! Tests of the schema module against the golden transcripts and kube-apiserver's known messages.

use serde_json::{Value, json};

use super::*;

fn golden_step(file: &str, step: &str) -> Value {
    let text = std::fs::read_to_string(format!("/work/shared/k8s-golden/{file}")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == step)
        .unwrap()
        .clone()
}

fn cm_check(body: &Value) -> FieldCheck {
    check("v1", "ConfigMap", body).unwrap()
}

#[test]
fn golden_wrong_type_field() {
    let step = golden_step("errors.json", "wrong-type-field");
    let msg = step["response"]["body"]["message"].as_str().unwrap();
    let expected = msg
        .split_once("cannot be handled as a ConfigMap: ")
        .unwrap()
        .1;
    let r = cm_check(&step["request"]["body"]);
    assert_eq!(r.type_error.as_deref(), Some(expected));
    assert!(r.unknown.is_empty());
}

#[test]
fn golden_unknown_fields() {
    let warn = golden_step("errors.json", "unknown-field-default-warn");
    let r = cm_check(&warn["request"]["body"]);
    let warnings: Vec<String> = r
        .unknown
        .iter()
        .map(|u| format!("299 - \"unknown field \\\"{u}\\\"\""))
        .collect();
    assert_eq!(json!(warnings), warn["response"]["warnings"]);
    assert_eq!(r.type_error, None);

    let strict = golden_step("errors.json", "unknown-field-strict");
    let r = cm_check(&strict["request"]["body"]);
    let joined: Vec<String> = r
        .unknown
        .iter()
        .map(|u| format!("unknown field \"{u}\""))
        .collect();
    let msg = format!(
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: {}",
        joined.join(", ")
    );
    assert_eq!(json!(msg), strict["response"]["body"]["message"]);
}

#[test]
fn golden_invalid_base64() {
    let step = golden_step("workloads-misc.json", "create-secret-invalid-base64");
    let msg = step["response"]["body"]["message"].as_str().unwrap();
    let expected = msg.split_once("cannot be handled as a Secret: ").unwrap().1;
    let r = check("v1", "Secret", &step["request"]["body"]).unwrap();
    assert_eq!(r.type_error.as_deref(), Some(expected));
}

#[test]
fn golden_request_bodies_of_known_kinds_are_clean() {
    // every body the recordings sent to create built-in objects decodes without complaint,
    // except the steps that are about unknown fields or wrong types
    for file in [
        "pod-crud.json",
        "deployment-scale.json",
        "workloads-misc.json",
        "limitrange-defaults.json",
        "resourcequota-admission.json",
    ] {
        let text = std::fs::read_to_string(format!("/work/shared/k8s-golden/{file}")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        for step in doc["steps"].as_array().unwrap() {
            let body = &step["request"]["body"];
            let (Some(av), Some(kind)) = (body["apiVersion"].as_str(), body["kind"].as_str())
            else {
                continue;
            };
            // bodies built with body_from are normalized copies (placeholders instead of timestamps)
            if step.get("body_from").is_some()
                || step["response"]["status"] == 400
                || !step["request"]["method"]
                    .as_str()
                    .is_some_and(|m| m == "POST" || m == "PUT")
            {
                continue;
            }
            if let Some(r) = check(av, kind, body) {
                assert_eq!(r, FieldCheck::default(), "{file} {}", step["name"]);
            }
        }
    }
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"}}, "spec": spec})
}

#[test]
fn pod_unknown_fields_and_quantities() {
    let body = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "labelz": {"a": "b"}},
        "spec": {"containers": [
            {"name": "a", "image": "nginx", "resources": {"limits": {"cpu": 1, "memory": "128Mi"}, "requests": {"cpu": 0.5}}},
            {"name": "b", "image": "nginx", "imagePullPolice": "Always", "ports": [{"containerPort": 80, "extra": 1}]},
        ]},
        "status": {"phase": "Pending"},
    });
    let r = check("v1", "Pod", &body).unwrap();
    assert_eq!(
        r.unknown,
        vec![
            "metadata.labelz",
            "spec.containers[1].imagePullPolice",
            "spec.containers[1].ports[0].extra"
        ]
    );
    assert_eq!(r.type_error, None);
}

#[test]
fn pod_type_errors() {
    let r = check(
        "v1",
        "Pod",
        &pod(json!({"containers": [{"name": "a", "ports": [{"containerPort": "80"}]}]})),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        )
    );
    let r = check(
        "v1",
        "Pod",
        &pod(json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "lots"}}}]})),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(goparse::QUANTITY_FORMAT_WRONG)
    );
    let r = check("v1", "Pod", &pod(json!({"containers": "nginx"}))).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"
        )
    );
    let r = check("v1", "Pod", &pod(json!({"restartPolicy": 1}))).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"
        )
    );
    let r = check("v1", "Pod", &json!({"metadata": {"labels": {"a": 5}}})).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
        )
    );
    let r = check(
        "v1",
        "Pod",
        &pod(json!({"terminationGracePeriodSeconds": 1.5})),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"
        )
    );
    let r = check(
        "v1",
        "Pod",
        &json!({"metadata": {"creationTimestamp": "yesterday"}}),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            r#"parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#
        )
    );
    // a custom decoder's error wins over an earlier plain type error
    let r = check(
        "v1",
        "Pod",
        &pod(json!({"hostname": 5, "containers": [{"resources": {"limits": {"cpu": true}}}]})),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(goparse::QUANTITY_FORMAT_WRONG)
    );
    // nulls mean unset
    let r = check("v1", "Pod", &pod(json!({"containers": [{"name": null, "ports": null, "resources": {"limits": {"cpu": null}}}]}))).unwrap();
    assert_eq!(r, FieldCheck::default());
}

#[test]
fn deployment_nested_template() {
    let body = json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {
            "replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx", "foo": 1}]}},
            "paused": "no",
        },
    });
    let r = check("apps/v1", "Deployment", &body).unwrap();
    assert_eq!(r.unknown, vec!["spec.template.spec.containers[0].foo"]);
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool"
        )
    );
}

#[test]
fn service_ports() {
    let svc = |ports: Value| json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": ports}});
    let r = check("v1", "Service", &svc(json!([{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081, "nodeport": 30000}]))).unwrap();
    assert_eq!(r.unknown, vec!["spec.ports[1].nodeport"]);
    assert_eq!(r.type_error, None);
    let r = check(
        "v1",
        "Service",
        &svc(json!([{"port": 80, "targetPort": true}])),
    )
    .unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32"
        )
    );
    let r = check("v1", "Service", &svc(json!({"port": 80}))).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some(
            "json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort"
        )
    );
}

#[test]
fn secrets_and_other_kinds() {
    let r = check("v1", "Secret", &json!({"metadata": {"name": "s"}, "data": {"p": "bm90IGJhc2U2NA", "q": "aGk="}, "stringData": {"x": "y"}})).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some("illegal base64 data at input byte 12")
    );
    let r = check("v1", "Secret", &json!({"data": {"p": 5}})).unwrap();
    assert_eq!(
        r.type_error.as_deref(),
        Some("json: cannot unmarshal number into Go struct field Secret.data of type []uint8")
    );
    assert!(check("example.com/v1", "Widget", &json!({})).is_none());
    assert!(check("v1", "Widget", &json!({})).is_none());
    let scale = json!({"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"}, "spec": {"replicas": 3, "x": 1}});
    assert_eq!(
        check("autoscaling/v1", "Scale", &scale).unwrap().unknown,
        vec!["spec.x"]
    );
    let del =
        json!({"propagationPolicy": "Foreground", "preconditions": {"uid": "x"}, "gracePeriod": 1});
    assert_eq!(
        check("v1", "DeleteOptions", &del).unwrap().unknown,
        vec!["gracePeriod"]
    );
    assert_eq!(
        check("meta.k8s.io/v1", "DeleteOptions", &del)
            .unwrap()
            .unknown,
        vec!["gracePeriod"]
    );
    let list = json!({"apiVersion": "v1", "kind": "ConfigMapList", "items": [{"metadata": {"name": "a"}, "dta": {}}]});
    assert_eq!(
        check("v1", "ConfigMapList", &list).unwrap().unknown,
        vec!["items[0].dta"]
    );
    // map keys are path segments
    let hpa = json!({"spec": {"metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}], "x": {}}});
    assert_eq!(
        check("autoscaling/v2", "HorizontalPodAutoscaler", &hpa)
            .unwrap()
            .unknown,
        vec!["spec.x"]
    );
}

#[test]
fn openapi_v3_documents() {
    let doc = openapi_v3("api/v1").unwrap();
    let pod = &doc["components"]["schemas"]["io.k8s.api.core.v1.Pod"];
    assert_eq!(
        pod["x-kubernetes-group-version-kind"],
        json!([{"group": "", "kind": "Pod", "version": "v1"}])
    );
    assert!(pod.get("required").is_none());
    assert_eq!(
        pod["properties"]["spec"]["allOf"][0]["$ref"],
        "#/components/schemas/io.k8s.api.core.v1.PodSpec"
    );
    let patch = &doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"];
    assert_eq!(
        patch["x-kubernetes-group-version-kind"],
        json!({"group": "", "kind": "Pod", "version": "v1"})
    );
    assert!(
        patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "fieldValidation" && p["in"] == "query")
    );
    assert!(
        doc["components"]["schemas"]
            .get("io.k8s.api.apps.v1.Deployment")
            .is_none()
    );
    let containers =
        &doc["components"]["schemas"]["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
    assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
    assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
    let volumes =
        &doc["components"]["schemas"]["io.k8s.api.core.v1.PodSpec"]["properties"]["volumes"];
    assert_eq!(volumes["x-kubernetes-patch-strategy"], "merge,retainKeys");
    let apps = openapi_v3("apis/apps/v1").unwrap();
    assert!(
        apps["paths"]
            .get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
            .is_some()
    );
    assert!(
        apps["components"]["schemas"]
            .get("io.k8s.api.autoscaling.v1.Scale")
            .is_some()
    );
    assert!(openapi_v3("apis/apps/v1beta1").is_none());
    // every $ref resolves inside the document
    for key in [
        "api/v1",
        "apis/apps/v1",
        "apis/apiextensions.k8s.io/v1",
        "apis",
    ] {
        let d = openapi_v3(key).unwrap();
        let mut refs = std::collections::BTreeSet::new();
        openapi::collect_refs_for_test(&d, &mut refs);
        for r in refs {
            assert!(d["components"]["schemas"].get(&r).is_some(), "{key}: {r}");
        }
    }
}

#[test]
fn openapi_v3_index_matches_golden_paths() {
    let step = golden_step("discovery.json", "openapi-v3-index");
    let golden: Vec<&String> = step["response"]["body"]["paths"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let index = openapi_v3_index();
    let ours: Vec<&String> = index["paths"].as_object().unwrap().keys().collect();
    assert_eq!(ours, golden);
    let url = index["paths"]["api/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap();
    let hash = url.strip_prefix("/openapi/v3/api/v1?hash=").unwrap();
    assert!(
        hash.len() >= 32
            && hash
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    );
}

#[test]
fn openapi_v2_document() {
    let v2 = openapi_v2();
    assert_eq!(v2["swagger"], "2.0");
    let dep = &v2["definitions"]["io.k8s.api.apps.v1.Deployment"];
    assert_eq!(
        dep["x-kubernetes-group-version-kind"],
        json!([{"group": "apps", "kind": "Deployment", "version": "v1"}])
    );
    assert_eq!(
        dep["properties"]["spec"]["$ref"],
        "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"
    );
    assert!(v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]["post"].is_object());
    assert!(openapi_v2_json().len() > 1_000_000);
}
