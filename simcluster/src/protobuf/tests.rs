//! Tests of the protobuf decoder: bodies captured from kubectl 1.37 (testdata/*.pb, see
//! testdata/README.md), compared with kubectl's own JSON of the same object
//! (`--dry-run=client -o json`, testdata/*.kubectl.json) or the object kubectl was given, plus
//! hand-built bodies for kinds and special types kubectl does not send.

use serde_json::{Value, json};

use super::{decode, knows};

fn dec(body: &[u8]) -> Value {
    decode(body).unwrap_or_else(|e| panic!("decode failed: {e}"))
}

/// Drops nulls and empty objects (not list elements): what the decoder leaves out of Go's JSON.
fn norm(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), norm(v)))
                .filter(|(_, v)| !v.is_null() && v.as_object().is_none_or(|o| !o.is_empty()))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        other => other.clone(),
    }
}

fn same_as_kubectl(pb: &[u8], kubectl_json: &str) {
    let kubectl: Value = serde_json::from_str(kubectl_json).unwrap();
    assert_eq!(norm(&dec(pb)), norm(&kubectl));
}

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("testdata/", $name, ".pb"))
    };
}
macro_rules! kubectl_json {
    ($name:literal) => {
        include_str!(concat!("testdata/", $name, ".kubectl.json"))
    };
}

#[test]
fn captured_bodies_match_kubectl_json() {
    same_as_kubectl(fixture!("namespace"), kubectl_json!("namespace"));
    same_as_kubectl(fixture!("deployment"), kubectl_json!("deployment"));
    same_as_kubectl(fixture!("configmap"), kubectl_json!("configmap"));
    same_as_kubectl(
        fixture!("configmap-binary"),
        kubectl_json!("configmap-binary"),
    );
    same_as_kubectl(fixture!("secret"), kubectl_json!("secret"));
    same_as_kubectl(fixture!("job"), kubectl_json!("job"));
    same_as_kubectl(fixture!("cronjob"), kubectl_json!("cronjob"));
    same_as_kubectl(
        fixture!("service-nodeport"),
        kubectl_json!("service-nodeport"),
    );
    same_as_kubectl(fixture!("ingress"), kubectl_json!("ingress"));
    same_as_kubectl(fixture!("role"), kubectl_json!("role"));
    same_as_kubectl(fixture!("rolebinding"), kubectl_json!("rolebinding"));
    // every field of JobSpec and the pod template set: JSON names, types, order
    same_as_kubectl(fixture!("job-all-fields"), kubectl_json!("job-all-fields"));
}

#[test]
fn exact_json_of_simple_creates() {
    let ns = dec(fixture!("namespace"));
    assert_eq!(
        ns,
        json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "foo"}})
    );
    assert_eq!(
        serde_json::to_string(&ns).unwrap(),
        r#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo"}}"#
    );
    assert_eq!(
        dec(fixture!("deployment")),
        json!({"kind": "Deployment", "apiVersion": "apps/v1",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx",
                        "ports": [{"containerPort": 80}], "resources": {}}]}}}})
    );
    assert_eq!(
        dec(fixture!("configmap"))["data"],
        json!({"a": "b", "empty": ""})
    );
    assert_eq!(
        dec(fixture!("configmap-binary"))["binaryData"],
        json!({"blob": "AAEC/v9iaW5hcnk="})
    );
    assert_eq!(dec(fixture!("secret"))["data"], json!({"k": "dg=="}));
    assert_eq!(
        dec(fixture!("service-nodeport"))["spec"],
        json!({"ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30000}],
            "selector": {"app": "np"}, "type": "NodePort"})
    );
}

#[test]
fn pointer_zeros_are_kept_and_plain_zeros_dropped() {
    // --max-unavailable=0: a *IntOrString set to 0; status (all plain zeros) disappears
    let pdb = dec(fixture!("pdb-zero"));
    assert_eq!(
        pdb["spec"],
        json!({"selector": {"matchLabels": {"a": "b"}}, "maxUnavailable": 0})
    );
    assert!(pdb.get("status").is_none());
    assert_eq!(
        dec(fixture!("pdb-percent"))["spec"]["minAvailable"],
        json!("50%")
    );
    // value is a plain int32 (kubectl's JSON has "value": 0, the decoder leaves it out)
    assert_eq!(
        dec(fixture!("priorityclass")),
        json!({"kind": "PriorityClass", "apiVersion": "scheduling.k8s.io/v1", "metadata": {"name": "pc"},
            "globalDefault": true, "preemptionPolicy": "Never"})
    );
}

#[test]
fn subresource_and_review_bodies() {
    assert_eq!(
        dec(fixture!("tokenrequest")),
        json!({"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "spec": {"audiences": ["a"], "expirationSeconds": 3600,
                "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p"}}})
    );
    assert_eq!(
        dec(fixture!("selfsubjectaccessreview")),
        json!({"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
            "spec": {"resourceAttributes": {"namespace": "default", "verb": "get", "resource": "pods"}}})
    );
}

#[test]
fn pod_copied_by_kubectl_debug() {
    let source: Value =
        serde_json::from_str(include_str!("testdata/pod-debug-copy.source.json")).unwrap();
    let mut want = source.clone();
    // kubectl debug --copy-to renames the pod and sets shareProcessNamespace
    want["metadata"]["name"] = json!("real2");
    want["spec"]["shareProcessNamespace"] = json!(false);
    // plain (non-pointer) zero values are not kept
    let c = &mut want["spec"]["containers"][0];
    c["env"][0].as_object_mut().unwrap().remove("value");
    c["livenessProbe"]
        .as_object_mut()
        .unwrap()
        .remove("initialDelaySeconds");
    c["volumeMounts"][0]
        .as_object_mut()
        .unwrap()
        .remove("readOnly");
    want["spec"].as_object_mut().unwrap().remove("hostNetwork");
    let got = dec(fixture!("pod-debug-copy"));
    assert_eq!(got, want);
    // pointer fields: zero values and empty objects survive
    assert_eq!(
        got["spec"]["volumes"][0],
        json!({"name": "scratch", "emptyDir": {}})
    );
    assert_eq!(got["spec"]["securityContext"], json!({}));
    assert_eq!(got["spec"]["terminationGracePeriodSeconds"], json!(0));
    assert_eq!(got["spec"]["automountServiceAccountToken"], json!(false));
    assert_eq!(
        got["spec"]["containers"][0]["securityContext"]["runAsUser"],
        json!(0)
    );
    assert_eq!(got["spec"]["tolerations"][0]["tolerationSeconds"], json!(0));
    // a non-pointer quantity keeps its "0", like the real server shows it
    let divisor = &got["spec"]["volumes"][2]["projected"]["sources"][1]["downwardAPI"]["items"][0];
    assert_eq!(divisor["resourceFieldRef"]["divisor"], json!("0"));
}

#[test]
fn certificate_request_with_every_field() {
    // kubectl certificate approve sends the object back with an Approved condition appended
    let source: Value =
        serde_json::from_str(include_str!("testdata/csr-all-fields.source.json")).unwrap();
    let mut got = dec(fixture!("csr-all-fields"));
    let conditions = got["status"]["conditions"].as_array_mut().unwrap();
    assert_eq!(conditions.len(), 2);
    let approved = conditions.pop().unwrap();
    assert_eq!(
        (&approved["type"], &approved["status"]),
        (&json!("Approved"), &json!("True"))
    );
    assert_eq!(got, source);
    let md = &got["metadata"];
    assert_eq!(md["creationTimestamp"], json!("2026-01-02T03:04:05Z"));
    assert_eq!(md["managedFields"][0]["fieldsV1"], json!({"f:a": {}}));
    assert_eq!(got["spec"]["extra"], json!({"k": ["e1"]}));
}

#[test]
fn knows_served_kinds() {
    assert!(knows("v1", "Pod"));
    assert!(knows("v1", "PodList"));
    assert!(knows("apps/v1", "Deployment"));
    assert!(knows("autoscaling/v1", "Scale"));
    assert!(knows("autoscaling/v2", "HorizontalPodAutoscaler"));
    assert!(knows("policy/v1", "Eviction"));
    assert!(knows("meta.k8s.io/v1", "DeleteOptions"));
    assert!(knows("apps/v1", "DeleteOptions"));
    assert!(knows(
        "admissionregistration.k8s.io/v1",
        "MutatingAdmissionPolicy"
    ));
    assert!(knows("apiextensions.k8s.io/v1", "CustomResourceDefinition"));
    assert!(knows("apiregistration.k8s.io/v1", "APIService"));
    assert!(knows("resource.k8s.io/v1", "ResourceClaim"));
    assert!(!knows("apps/v1beta1", "Deployment"));
    assert!(!knows("example.com/v1", "Widget"));
}

#[path = "tests_handmade.rs"]
mod handmade;
