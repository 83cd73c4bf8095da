//! Golden-transcript tests: the patch steps of pod-crud.json and workloads-misc.json whose
//! outcome is decided by the patch alone, replayed against the module.

use serde_json::{Value, json};

use super::*;

fn step(file: &str, name: &str) -> Value {
    let text = std::fs::read_to_string(format!("/work/shared/k8s-golden/{file}.json"))
        .expect("golden file");
    let doc: Value = serde_json::from_str(&text).expect("golden json");
    doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no step {name}"))
}

fn body(file: &str, name: &str) -> Value {
    step(file, name)["response"]["body"].clone()
}

fn request(file: &str, name: &str) -> Value {
    step(file, name)["request"]["body"].clone()
}

fn with_generation(mut v: Value, generation: i64) -> Value {
    v["metadata"]["generation"] = json!(generation);
    v
}

#[test]
fn pod_crud_merge_patch_labels() {
    let before = body("pod-crud", "update-pod-without-resourceversion");
    let out = merge_patch(&before, &request("pod-crud", "merge-patch-labels")).unwrap();
    assert_eq!(out, body("pod-crud", "merge-patch-labels"));
}

#[test]
fn pod_crud_json_patch() {
    let before = body("pod-crud", "merge-patch-labels");
    let out = json_patch(&before, &request("pod-crud", "json-patch")).unwrap();
    assert_eq!(out, body("pod-crud", "json-patch"));
}

#[test]
fn pod_crud_json_patch_test_fails() {
    let before = body("pod-crud", "json-patch");
    let err = json_patch(&before, &request("pod-crud", "json-patch-test-fails")).unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(
        err.to_api_error().to_status(),
        body("pod-crud", "json-patch-test-fails")
    );
}

#[test]
fn pod_crud_json_patch_replace_missing_key() {
    let before = body("pod-crud", "json-patch");
    let out = json_patch(&before, &request("pod-crud", "json-patch-missing-path")).unwrap();
    assert_eq!(out, body("pod-crud", "json-patch-missing-path"));
}

#[test]
fn pod_crud_strategic_merge_patch_image() {
    let before = body("pod-crud", "json-patch-missing-path");
    let out = strategic_merge_patch(
        &before,
        &request("pod-crud", "strategic-merge-patch-image"),
        "v1",
        "Pod",
    )
    .unwrap();
    // The server bumps generation for the spec change; everything else comes from the patch.
    assert_eq!(
        with_generation(out, 2),
        body("pod-crud", "strategic-merge-patch-image")
    );
}

#[test]
fn pod_crud_strategic_merge_patch_adds_container() {
    let before = body("pod-crud", "strategic-merge-patch-image");
    let out = strategic_merge_patch(
        &before,
        &request("pod-crud", "strategic-merge-patch-add-container"),
        "v1",
        "Pod",
    )
    .unwrap();
    let containers = out["spec"]["containers"].as_array().unwrap();
    // Both containers end up in the object (validation then refuses the new one).
    assert_eq!(containers.len(), 2);
    assert_eq!(containers[0]["image"], "nginx:1.29");
    assert_eq!(
        containers[0]["terminationMessagePath"],
        "/dev/termination-log"
    );
    assert_eq!(
        containers[1],
        json!({"name": "sidecar", "image": "busybox:1.36"})
    );
}

#[test]
fn pod_crud_merge_patch_replaces_container_list() {
    let before = body("pod-crud", "strategic-merge-patch-image");
    let out = merge_patch(&before, &request("pod-crud", "merge-patch-containers-list")).unwrap();
    // The defaulted fields and the volume mount are gone (the 422 diff shows VolumeMounts: nil).
    assert_eq!(
        out["spec"]["containers"],
        json!([{"name": "app", "image": "nginx:1.29"}])
    );
}

#[test]
fn namespace_lifecycle_remove_finalizer() {
    let before = body("namespace-lifecycle", "get-held-configmap");
    let out = merge_patch(&before, &request("namespace-lifecycle", "remove-finalizer")).unwrap();
    assert_eq!(out, body("namespace-lifecycle", "remove-finalizer"));
}

/// The apply bodies of workloads-misc.json, as the YAML decodes.
fn applied(owner: &str, extra: bool) -> Value {
    let mut data = json!({"owner": owner});
    if extra {
        data["extra"] = json!("added");
    }
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied", "labels": {"group": "applied"}}, "data": data})
}

fn strip_server_fields(mut v: Value) -> Value {
    let meta = v["metadata"].as_object_mut().unwrap();
    for k in [
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "managedFields",
    ] {
        meta.shift_remove(k);
    }
    v
}

/// What the store would hold after the apply: the server fields of the golden answer plus the
/// managed fields computed here.
fn stored(golden: &Value, ours: &Value) -> Value {
    let mut v = golden.clone();
    v["metadata"]["managedFields"] = ours["metadata"]["managedFields"].clone();
    v
}

#[test]
fn workloads_misc_server_side_apply_sequence() {
    let t = "2026-01-02T03:04:05Z";
    // Create.
    let yaml = step("workloads-misc", "server-side-apply-create")["request"]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(yaml.contains("owner: golden") && !yaml.contains("extra"));
    let created = server_side_apply(
        None,
        &applied("golden", false),
        "golden",
        false,
        "v1",
        "ConfigMap",
        t,
    )
    .unwrap();
    let golden_created = body("workloads-misc", "server-side-apply-create");
    assert_eq!(
        strip_server_fields(created.clone()),
        strip_server_fields(golden_created.clone())
    );
    assert_eq!(
        created["metadata"]["managedFields"],
        json!([{"manager": "golden", "operation": "Apply", "apiVersion": "v1", "time": t, "fieldsType": "FieldsV1",
                "fieldsV1": {"f:data": {"f:owner": {}}, "f:metadata": {"f:labels": {"f:group": {}}}}}])
    );
    let live = stored(&golden_created, &created);

    // Update by the same manager.
    let updated = server_side_apply(
        Some(&live),
        &applied("golden", true),
        "golden",
        false,
        "v1",
        "ConfigMap",
        t,
    )
    .unwrap();
    let golden_updated = body("workloads-misc", "server-side-apply-update");
    assert_eq!(
        strip_server_fields(updated.clone()),
        strip_server_fields(golden_updated.clone())
    );
    let live = stored(&golden_updated, &updated);

    // Another manager changing an owned field: 409.
    let err = server_side_apply(
        Some(&live),
        &applied("intruder", false),
        "intruder",
        false,
        "v1",
        "ConfigMap",
        t,
    )
    .unwrap_err();
    assert!(matches!(err, ApplyError::Conflict(_)));
    assert_eq!(
        err.into_api_error().to_status(),
        body("workloads-misc", "server-side-apply-conflict")
    );

    // Forced: the intruder takes .data.owner, golden keeps .data.extra; both share the label.
    let forced = server_side_apply(
        Some(&live),
        &applied("intruder", false),
        "intruder",
        true,
        "v1",
        "ConfigMap",
        t,
    )
    .unwrap();
    assert_eq!(
        strip_server_fields(forced.clone()),
        strip_server_fields(body("workloads-misc", "server-side-apply-force"))
    );
    let mf = forced["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(mf.len(), 2);
    assert_eq!(mf[0]["manager"], "golden");
    assert_eq!(
        mf[0]["fieldsV1"],
        json!({"f:data": {"f:extra": {}}, "f:metadata": {"f:labels": {"f:group": {}}}})
    );
    assert_eq!(mf[1]["manager"], "intruder");
    assert_eq!(
        mf[1]["fieldsV1"],
        json!({"f:data": {"f:owner": {}}, "f:metadata": {"f:labels": {"f:group": {}}}})
    );

    // No field manager: the PatchOptions 422.
    let err = validate_patch_options(true, None, None).unwrap();
    assert_eq!(
        err.to_status(),
        body("workloads-misc", "server-side-apply-without-fieldmanager")
    );
}
