//! Server-side apply and managedFields cases beyond the golden files.

use serde_json::{Value, json};

use super::*;

const T1: &str = "2026-01-02T03:04:05Z";
const T2: &str = "2026-01-02T03:05:00Z";

fn fields_of<'a>(obj: &'a Value, manager: &str, operation: &str) -> &'a Value {
    obj["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["manager"] == manager && e["operation"] == operation)
        .map(|e| &e["fieldsV1"])
        .unwrap_or_else(|| panic!("no {operation} entry for {manager}"))
}

fn with_uid(mut v: Value) -> Value {
    v["metadata"]["uid"] = json!("u-1");
    v
}

#[test]
fn create_tracks_fields_like_kubectl_create_deployment() {
    let mut d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "nginx", "namespace": "default", "creationTimestamp": null, "labels": {"app": "nginx"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {},
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}],
                    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                    "securityContext": {}, "schedulerName": "default-scheduler"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
        "status": {}});
    track_update(None, &mut d, "kubectl-create", "Update", "apps/v1", T1);
    let expected = json!({
        "f:metadata": {"f:labels": {"f:app": {}, ".": {}}},
        "f:spec": {"f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {}, "f:selector": {},
            "f:strategy": {"f:rollingUpdate": {"f:maxSurge": {}, "f:maxUnavailable": {}, ".": {}}, "f:type": {}},
            "f:template": {"f:metadata": {"f:labels": {"f:app": {}, ".": {}}},
                "f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {"f:image": {}, "f:imagePullPolicy": {}, "f:name": {},
                    "f:resources": {}, "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}, ".": {}}},
                    "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
                    "f:terminationGracePeriodSeconds": {}}}}});
    let mf = &d["metadata"]["managedFields"];
    assert_eq!(mf.as_array().unwrap().len(), 1);
    assert_eq!(
        serde_json::to_string(&mf[0]).unwrap(),
        serde_json::to_string(&json!({"manager": "kubectl-create", "operation": "Update", "apiVersion": "apps/v1", "time": T1,
            "fieldsType": "FieldsV1", "fieldsV1": expected})).unwrap()
    );
}

#[test]
fn updates_take_ownership_and_merge_into_the_managers_entry() {
    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
    track_update(None, &mut cm, "kubectl-create", "Update", "v1", T1);
    let cm = with_uid(cm);
    let applied = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "2", "b": "2"}});
    // Conflict with an Update manager names its apiVersion.
    let err =
        server_side_apply(Some(&cm), &applied, "golden", false, "v1", "ConfigMap", T2).unwrap_err();
    let status = err.into_api_error().to_status();
    assert_eq!(
        status["message"],
        "Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.a"
    );
    assert_eq!(
        status["details"]["causes"][0]["message"],
        "conflict with \"kubectl-create\" using v1"
    );

    let mut edited = cm.clone();
    edited["data"] = json!({"a": "1", "x": "9"});
    track_update(Some(&cm), &mut edited, "kubectl-edit", "Update", "v1", T2);
    assert_eq!(
        fields_of(&edited, "kubectl-edit", "Update"),
        &json!({"f:data": {"f:x": {}}})
    );
    assert_eq!(
        fields_of(&edited, "kubectl-create", "Update"),
        &json!({"f:data": {"f:a": {}, ".": {}}})
    );
    let edited = with_uid(edited);
    let mut again = edited.clone();
    again["data"] = json!({"a": "3", "x": "9"});
    track_update(
        Some(&edited),
        &mut again,
        "kubectl-edit",
        "Update",
        "v1",
        T2,
    );
    assert_eq!(
        fields_of(&again, "kubectl-edit", "Update"),
        &json!({"f:data": {"f:a": {}, "f:x": {}}})
    );
    // kubectl-create keeps only the map it created.
    assert_eq!(
        fields_of(&again, "kubectl-create", "Update"),
        &json!({"f:data": {}})
    );
    // Nothing changed: the entries stay as they are.
    let mut same = again.clone();
    track_update(Some(&again), &mut same, "other", "Update", "v1", T2);
    assert_eq!(
        same["metadata"]["managedFields"],
        again["metadata"]["managedFields"]
    );
}

#[test]
fn several_conflicts_are_grouped_by_manager() {
    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1", "b": "1"}});
    track_update(None, &mut cm, "kubectl-create", "Update", "v1", T1);
    let applied = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "2", "b": "2"}});
    let err = server_side_apply(
        Some(&with_uid(cm)),
        &applied,
        "golden",
        false,
        "v1",
        "ConfigMap",
        T2,
    )
    .unwrap_err();
    let status = err.into_api_error().to_status();
    assert_eq!(
        status["message"],
        "Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using v1:\n- .data.a\n- .data.b"
    );
    assert_eq!(status["details"]["causes"].as_array().unwrap().len(), 2);
    assert_eq!(status["code"], 409);
    assert_eq!(status["reason"], "Conflict");
}

#[test]
fn objects_without_managed_fields_are_not_tracked_on_update() {
    let old = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "uid": "u"}, "data": {"a": "1"}});
    let mut new = old.clone();
    new["data"]["a"] = json!("2");
    track_update(Some(&old), &mut new, "m", "Update", "v1", T1);
    assert!(new["metadata"].get("managedFields").is_none());
}

fn deployment(containers: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}}})
}

#[test]
fn apply_prunes_what_the_manager_stopped_applying() {
    let first = deployment(
        json!([{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1", "ports": [{"containerPort": 80}]}]),
    );
    let live =
        server_side_apply(None, &first, "kubectl", false, "apps/v1", "Deployment", T1).unwrap();
    let mf = fields_of(&live, "kubectl", "Apply");
    assert_eq!(mf["f:spec"]["f:selector"], json!({}));
    let b = &mf["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"b\"}"];
    assert_eq!(
        b["f:ports"]["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"],
        json!({".": {}, "f:containerPort": {}})
    );
    // The defaulted live object, as the server stores it.
    let mut stored = live.clone();
    stored["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = json!("IfNotPresent");
    stored["spec"]["template"]["spec"]["dnsPolicy"] = json!("ClusterFirst");
    let stored = with_uid(stored);

    let second = deployment(json!([{"name": "a", "image": "a:2"}]));
    let out = server_side_apply(
        Some(&stored),
        &second,
        "kubectl",
        false,
        "apps/v1",
        "Deployment",
        T2,
    )
    .unwrap();
    let containers = &out["spec"]["template"]["spec"]["containers"];
    // b is gone; a keeps the unowned defaulted field; unowned dnsPolicy stays.
    assert_eq!(
        containers,
        &json!([{"name": "a", "image": "a:2", "imagePullPolicy": "IfNotPresent"}])
    );
    assert_eq!(out["spec"]["template"]["spec"]["dnsPolicy"], "ClusterFirst");
    assert_eq!(out["metadata"]["managedFields"][0]["time"], T2);

    // A field another manager owns survives the prune.
    let mut scaled = stored.clone();
    scaled["spec"]["replicas"] = json!(5);
    track_update(Some(&stored), &mut scaled, "hpa", "Update", "apps/v1", T2);
    let scaled = with_uid(scaled);
    let mut third = deployment(json!([{"name": "a", "image": "a:1"}]));
    third["spec"]
        .as_object_mut()
        .unwrap()
        .shift_remove("replicas");
    let out = server_side_apply(
        Some(&scaled),
        &third,
        "kubectl",
        false,
        "apps/v1",
        "Deployment",
        T2,
    )
    .unwrap();
    assert_eq!(out["spec"]["replicas"], 5);
    let mut fourth = third.clone();
    fourth["spec"]["replicas"] = json!(3);
    let err = server_side_apply(
        Some(&scaled),
        &fourth,
        "kubectl",
        false,
        "apps/v1",
        "Deployment",
        T2,
    )
    .unwrap_err();
    assert_eq!(
        err.api_error().message,
        "Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas"
    );
}

#[test]
fn apply_merges_lists_by_key_and_keeps_live_order() {
    let live = server_side_apply(
        None,
        &deployment(json!([{"name": "a", "image": "a"}, {"name": "b", "image": "b"}])),
        "one",
        false,
        "apps/v1",
        "Deployment",
        T1,
    )
    .unwrap();
    let out = server_side_apply(
        Some(&with_uid(live)),
        &deployment(json!([{"name": "b", "image": "b"}, {"name": "c", "image": "c"}])),
        "two",
        false,
        "apps/v1",
        "Deployment",
        T2,
    )
    .unwrap();
    let names: Vec<&str> = out["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn apply_checks_the_object_type_and_keys() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
    let err = server_side_apply(None, &cm, "m", false, "apps/v1", "Deployment", T1).unwrap_err();
    assert_eq!(
        err.api_error().message,
        "invalid object type: /v1, Kind=ConfigMap"
    );
    assert_eq!(err.api_error().code, 400);
    let mut with_mf = cm.clone();
    with_mf["metadata"]["managedFields"] = json!([]);
    let err = server_side_apply(None, &with_mf, "m", false, "v1", "ConfigMap", T1).unwrap_err();
    assert_eq!(
        err.api_error().message,
        "metadata.managedFields must be nil"
    );
    let dup = deployment(json!([{"name": "a"}, {"name": "a"}]));
    let err = server_side_apply(None, &dup, "m", false, "apps/v1", "Deployment", T1).unwrap_err();
    assert_eq!(
        err.api_error().message,
        "failed to create typed patch object (/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name=\"a\"]"
    );
    assert_eq!(err.into_api_error().to_status()["code"], 500);
}

#[test]
fn apply_ignores_status_of_kinds_with_a_status_subresource() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                     "spec": {"containers": [{"name": "c", "image": "i"}]}, "status": {"phase": "Running"}});
    let out = server_side_apply(None, &pod, "m", false, "v1", "Pod", T1).unwrap();
    assert!(fields_of(&out, "m", "Apply").get("f:status").is_none());
}

#[test]
fn kubectl_applies_keep_the_last_applied_annotation_in_sync() {
    let ann = "kubectl.kubernetes.io/last-applied-configuration";
    let live = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "uid": "u", "annotations": {ann: "{}"}}, "data": {"a": "1"}});
    let applied = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "2"}});
    let out = server_side_apply(
        Some(&live),
        &applied,
        "kubectl",
        false,
        "v1",
        "ConfigMap",
        T1,
    )
    .unwrap();
    assert_eq!(
        out["metadata"]["annotations"][ann],
        "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}\n"
    );
}

#[test]
fn patch_options_and_manager_names() {
    assert!(validate_patch_options(true, Some("kubectl"), Some(true)).is_none());
    let e = validate_patch_options(false, Some("m"), Some(false)).unwrap();
    assert_eq!(
        e.message,
        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
    );
    assert_eq!(
        manager_or_user_agent(None, "kubectl/v1.37.0 (linux/amd64) kubernetes/abc"),
        "kubectl"
    );
    assert_eq!(manager_or_user_agent(Some("helm"), "x/y"), "helm");
}

#[test]
fn kubectl_upgrades_from_client_side_apply_without_conflicts() {
    let ann = "kubectl.kubernetes.io/last-applied-configuration";
    let last = "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"c\"}}\n";
    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "annotations": {ann: last}}, "data": {"a": "1"}});
    track_update(
        None,
        &mut cm,
        "kubectl-client-side-apply",
        "Update",
        "v1",
        T1,
    );
    let cm = with_uid(cm);
    let applied = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "2"}});
    let err = server_side_apply(Some(&cm), &applied, "someone", false, "v1", "ConfigMap", T2)
        .unwrap_err();
    assert!(
        err.api_error()
            .message
            .contains("conflict with \"kubectl-client-side-apply\" using v1: .data.a")
    );
    let out =
        server_side_apply(Some(&cm), &applied, "kubectl", false, "v1", "ConfigMap", T2).unwrap();
    assert_eq!(out["data"]["a"], "2");
    assert_eq!(
        fields_of(&out, "kubectl", "Apply"),
        &json!({"f:data": {"f:a": {}}})
    );
    assert_eq!(
        out["metadata"]["annotations"][ann],
        "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}\n"
    );
}
