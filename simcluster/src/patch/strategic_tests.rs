//! Strategic merge patch cases beyond the golden files: the directives kubectl sends and the
//! error messages of the apimachinery implementation.

use serde_json::{Value, json};

use super::*;

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {"a": "1"},
                     "finalizers": ["a", "b", "c"],
                     "ownerReferences": [{"uid": "1", "name": "x"}, {"uid": "2", "name": "y"}]},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "a", "image": "a:1",
                         "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}],
                         "ports": [{"containerPort": 80, "protocol": "TCP"}],
                         "volumeMounts": [{"name": "v", "mountPath": "/v"}]},
                        {"name": "b", "image": "b:1"}
                    ],
                    "volumes": [{"name": "v", "configMap": {"name": "c"}}],
                    "tolerations": [{"key": "k", "operator": "Exists"}]
                }
            }
        }
    })
}

fn smp(doc: &Value, patch: Value) -> Result<Value, PatchError> {
    strategic_merge_patch(doc, &patch, "apps/v1", "Deployment")
}

#[test]
fn kubectl_apply_style_patch() {
    let patch = json!({"spec": {
        "strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null},
        "template": {"spec": {
            "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}, {"name": "c"}],
            "containers": [
                {"name": "a", "$setElementOrder/env": [{"name": "Y"}, {"name": "Z"}],
                 "env": [{"name": "Z", "value": "3"}, {"name": "X", "$patch": "delete"}]},
                {"name": "c", "image": "c:1"}
            ],
            "tolerations": [{"key": "t", "operator": "Equal", "value": "v"}]
        }}
    }});
    let out = smp(&deployment(), patch).unwrap();
    assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
    let spec = &out["spec"]["template"]["spec"];
    let names: Vec<&str> = spec["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["b", "a", "c"]);
    assert_eq!(
        spec["containers"][1]["env"],
        json!([{"name": "Y", "value": "2"}, {"name": "Z", "value": "3"}])
    );
    assert_eq!(
        spec["containers"][1]["ports"],
        json!([{"containerPort": 80, "protocol": "TCP"}])
    );
    assert_eq!(spec["containers"][2], json!({"name": "c", "image": "c:1"}));
    assert_eq!(
        spec["tolerations"],
        json!([{"key": "t", "operator": "Equal", "value": "v"}])
    );
}

#[test]
fn primitive_lists_merge_and_delete() {
    let patch = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"], "finalizers": ["d", "a"]}});
    let out = smp(&deployment(), patch).unwrap();
    assert_eq!(out["metadata"]["finalizers"], json!(["d", "a", "c"]));
    let patch = json!({"metadata": {"$setElementOrder/finalizers": ["c", "a", "b"]}});
    assert_eq!(
        smp(&deployment(), patch).unwrap()["metadata"]["finalizers"],
        json!(["c", "a", "b"])
    );
}

#[test]
fn lists_merge_by_their_keys() {
    let patch = json!({"metadata": {"ownerReferences": [{"uid": "2", "name": "z"}, {"uid": "3", "name": "w"}]},
                       "spec": {"template": {"spec": {"containers": [{"name": "a",
                           "ports": [{"containerPort": 443, "protocol": "TCP"}],
                           "volumeMounts": [{"mountPath": "/v", "readOnly": true}]}]}}}});
    let out = smp(&deployment(), patch).unwrap();
    assert_eq!(
        out["metadata"]["ownerReferences"],
        json!([{"uid": "1", "name": "x"}, {"uid": "2", "name": "z"}, {"uid": "3", "name": "w"}])
    );
    let a = &out["spec"]["template"]["spec"]["containers"][0];
    // Patch items the live list does not order come first.
    assert_eq!(
        a["ports"],
        json!([{"containerPort": 443, "protocol": "TCP"}, {"containerPort": 80, "protocol": "TCP"}])
    );
    assert_eq!(
        a["volumeMounts"],
        json!([{"name": "v", "mountPath": "/v", "readOnly": true}])
    );

    let svc = json!({"spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]}});
    let out = strategic_merge_patch(
        &svc,
        &json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443}]}}),
        "v1",
        "Service",
    )
    .unwrap();
    assert_eq!(
        out["spec"]["ports"],
        json!([{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 9090}, {"port": 443}])
    );
}

#[test]
fn patch_directives_replace_and_delete() {
    let patch = json!({"spec": {"template": {
        "metadata": {"labels": {"$patch": "replace", "new": "1"}},
        "spec": {"containers": [{"$patch": "replace"}, {"name": "only", "image": "x"}],
                 "volumes": [{"name": "v", "$patch": "delete"}]}}},
        "metadata": {"annotations": {"$patch": "delete"}, "labels": {"nope": null}}});
    let out = smp(&deployment(), patch).unwrap();
    assert_eq!(
        out["spec"]["template"]["metadata"]["labels"],
        json!({"new": "1"})
    );
    assert_eq!(
        out["spec"]["template"]["spec"]["containers"],
        json!([{"name": "only", "image": "x"}])
    );
    assert_eq!(out["spec"]["template"]["spec"]["volumes"], json!([]));
    assert_eq!(out["metadata"]["annotations"], json!({}));
    assert_eq!(out["metadata"]["labels"], json!({"app": "web"}));
}

#[test]
fn retain_keys_inside_list_items() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/volumes": [{"name": "v"}],
        "volumes": [{"$retainKeys": ["name", "secret"], "name": "v", "secret": {"secretName": "s"}}]}}}});
    let out = smp(&deployment(), patch).unwrap();
    assert_eq!(
        out["spec"]["template"]["spec"]["volumes"],
        json!([{"name": "v", "secret": {"secretName": "s"}}])
    );
}

#[test]
fn errors_match_apimachinery() {
    let d = deployment();
    let e = smp(
        &d,
        json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            500,
            "map: map[image:x] does not contain declared merge key: name"
        )
    );
    let status = e.to_api_error().to_status();
    assert_eq!(status["code"], 500);
    let e = smp(
        &d,
        json!({"spec": {"template": {"spec": {"containers": [{"$patch": "merge"}]}}}}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "merging lists cannot yet be specified in the patch"
    );
    let e = smp(
        &d,
        json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "invalid patch format of retainKeys")
    );
    let e = smp(&d, json!({"metadata": {"$patch": "frob"}})).unwrap_err();
    assert_eq!(
        e.message,
        "unknown patch type: frob in map: map[$patch:frob]"
    );
    let e = smp(&d, json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "b"}], "containers": [{"name": "a"}, {"name": "b"}]}}}}))
    .unwrap_err();
    assert_eq!(
        e.message,
        "The order in patch list:\n[map[name:a] map[name:b]]\n doesn't match $setElementOrder list:\n[map[name:b]]\n"
    );
    let e = smp(
        &d,
        json!({"metadata": {"$deleteFromPrimitiveListX/finalizers": ["a"]}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "invalid patch format of primitive list")
    );
    let e = smp(&d, json!([1])).unwrap_err();
    assert_eq!(
        e.message,
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    let e = smp(&d, json!({"metadata": {"finalizers": [["x"]]}})).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (500, "list element types are not identical: [[a b c] [[x]]]")
    );
    let e = smp(
        &json!({"metadata": {"finalizers": []}}),
        json!({"metadata": {"finalizers": [["x"]]}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str(), e.detail.as_str()),
        (422, GENERIC_422, "lists of lists are not supported")
    );
}

#[test]
fn custom_resources_fall_back_to_merge_patch() {
    let doc = json!({"spec": {"items": [{"name": "a", "v": 1}], "keep": true}});
    let patch = json!({"spec": {"items": [{"name": "b"}], "keep": null}});
    assert!(!strategic_merge_supported("example.com/v1", "Widget"));
    assert!(strategic_merge_supported("apps/v1", "Deployment"));
    let out = strategic_merge_patch(&doc, &patch, "example.com/v1", "Widget").unwrap();
    assert_eq!(out, json!({"spec": {"items": [{"name": "b"}]}}));
}

#[test]
fn new_subtrees_lose_directives_and_nulls() {
    let doc = json!({"metadata": {"name": "p"}, "spec": {}});
    let patch =
        json!({"spec": {"affinity": {"nodeAffinity": {"$retainKeys": ["x"], "x": null, "y": 1}}}});
    let out = strategic_merge_patch(&doc, &patch, "v1", "Pod").unwrap();
    assert_eq!(out["spec"]["affinity"], json!({"nodeAffinity": {"y": 1}}));
}
