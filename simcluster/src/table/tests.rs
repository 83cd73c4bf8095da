//! Unit tests of the Table printers: the Table envelope, and per resource family a realistic
//! object and the cells kube-apiserver prints for it.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{column_definitions, object_table, to_table};

mod more;
mod objects;

pub(super) fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The cells of the single row printed for `obj`.
pub(super) fn cells(group: &str, plural: &str, obj: &Value) -> Vec<Value> {
    let t = object_table(group, plural, obj, "None", now());
    t["rows"][0]["cells"].as_array().unwrap().clone()
}

/// The column names of a resource with their priorities.
pub(super) fn columns(group: &str, plural: &str) -> Vec<(String, i64)> {
    column_definitions(group, plural)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["priority"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn pod(status: Value) -> Value {
    json!({
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "42",
                     "creationTimestamp": "2026-03-01T11:55:00Z", "uid": "u1"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}, {"name": "side", "image": "busybox"}]},
        "status": status,
    })
}

#[test]
fn table_envelope_for_a_list() {
    let items = vec![pod(json!({"phase": "Pending", "qosClass": "BestEffort"}))];
    let lm = json!({"resourceVersion": "100", "continue": "tok", "remainingItemCount": 3});
    let t = to_table("", "pods", &items, &lm, "Metadata", now());
    assert_eq!(t["kind"], "Table");
    assert_eq!(t["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(
        t["metadata"],
        json!({"resourceVersion": "100", "continue": "tok", "remainingItemCount": 3})
    );
    let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "kind",
            "apiVersion",
            "metadata",
            "columnDefinitions",
            "rows"
        ]
    );
    assert_eq!(
        t["columnDefinitions"][0],
        json!({"name": "Name", "type": "string", "format": "name",
        "description": super::docs::META_NAME, "priority": 0})
    );
    assert_eq!(
        t["columnDefinitions"][4]["description"],
        super::docs::META_CREATION
    );
    let row = &t["rows"][0];
    assert_eq!(
        row["cells"],
        json!([
            "web", "0/2", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"
        ])
    );
    assert_eq!(
        row["object"],
        json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
        "metadata": items[0]["metadata"]})
    );
    assert!(row.get("conditions").is_none());

    let t = to_table(
        "",
        "pods",
        &items,
        &json!({"resourceVersion": "7"}),
        "Object",
        now(),
    );
    assert_eq!(t["metadata"], json!({"resourceVersion": "7"}));
    assert_eq!(t["rows"][0]["object"], items[0]);
    let t = to_table("", "pods", &items, &json!({}), "None", now());
    assert_eq!(t["metadata"], json!({}));
    assert_eq!(t["rows"][0]["object"], Value::Null);
    let t = to_table(
        "",
        "pods",
        &[],
        &json!({"resourceVersion": "9"}),
        "Metadata",
        now(),
    );
    assert_eq!(t["rows"], json!([]));
}

#[test]
fn single_object_table_uses_object_resource_version() {
    let t = object_table(
        "",
        "pods",
        &pod(json!({"phase": "Pending"})),
        "Metadata",
        now(),
    );
    assert_eq!(t["metadata"], json!({"resourceVersion": "42"}));
    assert_eq!(t["rows"].as_array().unwrap().len(), 1);
}

#[test]
fn default_table_for_other_resources() {
    let role = json!({"kind": "Role", "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": {"name": "reader", "namespace": "ns", "creationTimestamp": "2026-02-03T04:05:06Z",
                     "resourceVersion": "5"}});
    let t = object_table(
        "rbac.authorization.k8s.io",
        "roles",
        &role,
        "Metadata",
        now(),
    );
    assert_eq!(
        t["columnDefinitions"],
        json!([
            {"name": "Name", "type": "string", "format": "name", "description": super::docs::META_NAME, "priority": 0},
            {"name": "Created At", "type": "date", "format": "", "description": super::docs::META_CREATION, "priority": 0},
        ])
    );
    assert_eq!(
        t["rows"][0]["cells"],
        json!(["reader", "2026-02-03T04:05:06Z"])
    );
    let lr =
        json!({"metadata": {"name": "limits", "creationTimestamp": "2026-02-03T04:05:06.5+01:00"}});
    assert_eq!(
        cells("", "limitranges", &lr),
        vec![json!("limits"), json!("2026-02-03T03:05:06Z")]
    );
    let t = to_table(
        "",
        "limitranges",
        &[],
        &json!({"resourceVersion": "3"}),
        "Metadata",
        now(),
    );
    assert_eq!(t["rows"], Value::Null);
    assert!(!super::has_printer("", "limitranges"));
    assert!(super::has_printer("", "pods"));
}

#[test]
fn pod_columns_and_priorities() {
    assert_eq!(
        columns("", "pods"),
        vec![
            ("Name".into(), 0),
            ("Ready".into(), 0),
            ("Status".into(), 0),
            ("Restarts".into(), 0),
            ("Age".into(), 0),
            ("IP".into(), 1),
            ("Node".into(), 1),
            ("Nominated Node".into(), 1),
            ("Readiness Gates".into(), 1),
        ]
    );
    let defs = column_definitions("", "pods");
    assert_eq!(defs[3]["type"], "string");
    assert_eq!(
        defs[3]["description"],
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."
    );
}

#[test]
fn pod_running_with_restarts_and_wide_cells() {
    let mut p = pod(json!({
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}, {"type": "gate/x", "status": "True"}],
        "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}],
        "containerStatuses": [
            {"name": "app", "ready": true, "restartCount": 2, "state": {"running": {"startedAt": "2026-03-01T11:58:00Z"}},
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-03-01T11:57:00Z"}}},
            {"name": "side", "ready": true, "restartCount": 1, "state": {"running": {}},
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-03-01T11:59:30Z"}}}
        ]
    }));
    p["spec"]["nodeName"] = json!("node-1");
    p["spec"]["readinessGates"] = json!([{"conditionType": "gate/x"}, {"conditionType": "gate/y"}]);
    assert_eq!(
        cells("", "pods", &p),
        vec![
            json!("web"),
            json!("2/2"),
            json!("Running"),
            json!("3 (30s ago)"),
            json!("5m"),
            json!("10.0.0.5"),
            json!("node-1"),
            json!("<none>"),
            json!("1/2"),
        ]
    );
}

#[test]
fn pod_status_reasons() {
    let waiting = |reason: &str| {
        json!({"name": "app", "ready": false, "restartCount": 0,
        "state": {"waiting": {"reason": reason}}})
    };
    let p = pod(
        json!({"phase": "Pending", "containerStatuses": [waiting("ContainerCreating"), waiting("ContainerCreating")]}),
    );
    assert_eq!(cells("", "pods", &p)[2], "ContainerCreating");
    let p = pod(json!({"phase": "Running", "containerStatuses": [
        {"name": "app", "ready": false, "restartCount": 5, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-03-01T11:00:00Z"}}},
        {"name": "side", "ready": true, "restartCount": 0, "state": {"running": {}}}]}));
    let c = cells("", "pods", &p);
    assert_eq!(
        (c[1].clone(), c[2].clone(), c[3].clone()),
        (
            json!("1/2"),
            json!("CrashLoopBackOff"),
            json!("5 (60m ago)")
        )
    );
    // Completed pod: row condition Completed/Succeeded.
    let done = json!({"name": "app", "ready": false, "restartCount": 0,
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}});
    let p = pod(json!({"phase": "Succeeded", "containerStatuses": [done.clone(), done]}));
    let t = object_table("", "pods", &p, "None", now());
    assert_eq!(t["rows"][0]["cells"][1], "0/2");
    assert_eq!(t["rows"][0]["cells"][2], "Completed");
    assert_eq!(
        t["rows"][0]["conditions"],
        json!([{"type": "Completed", "status": "True", "reason": "Succeeded",
        "message": "The pod has completed successfully."}])
    );
    let keys: Vec<&String> = t["rows"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["cells", "conditions", "object"]);
    // Error without reason: ExitCode / Signal.
    let p = pod(json!({"phase": "Failed", "containerStatuses": [
        {"name": "app", "state": {"terminated": {"exitCode": 3}}},
        {"name": "side", "state": {"terminated": {"exitCode": 0, "signal": 9}}}]}));
    assert_eq!(cells("", "pods", &p)[2], "ExitCode:3");
    // Terminating.
    let mut p = pod(json!({"phase": "Running"}));
    p["metadata"]["deletionTimestamp"] = json!("2026-03-01T11:59:00Z");
    assert_eq!(cells("", "pods", &p)[2], "Terminating");
    // Completed but a container still running and the pod not ready: NotReady.
    let p = pod(json!({"phase": "Running", "containerStatuses": [
        {"name": "app", "ready": false, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
        {"name": "side", "ready": true, "state": {"running": {}}}]}));
    assert_eq!(cells("", "pods", &p)[2], "NotReady");
    // Scheduling gated.
    let p = pod(
        json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
    );
    assert_eq!(cells("", "pods", &p)[2], "SchedulingGated");
}

#[test]
fn pod_init_containers() {
    let mut p = pod(json!({"phase": "Pending",
        "initContainerStatuses": [
            {"name": "init-a", "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "init-b", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}],
        "containerStatuses": [{"name": "app", "state": {"waiting": {"reason": "PodInitializing"}}}]}));
    p["spec"]["initContainers"] =
        json!([{"name": "init-a", "image": "busybox"}, {"name": "init-b", "image": "busybox"}]);
    assert_eq!(cells("", "pods", &p)[2], "Init:1/2");
    p["status"]["initContainerStatuses"][1]["state"] =
        json!({"waiting": {"reason": "CrashLoopBackOff"}});
    p["status"]["initContainerStatuses"][1]["restartCount"] = json!(4);
    let c = cells("", "pods", &p);
    assert_eq!(
        (c[2].clone(), c[3].clone()),
        (json!("Init:CrashLoopBackOff"), json!("4"))
    );
    p["status"]["initContainerStatuses"][1]["state"] = json!({"terminated": {"exitCode": 2}});
    assert_eq!(cells("", "pods", &p)[2], "Init:ExitCode:2");
    // A sidecar (restartable init container) counts in READY.
    let mut p = pod(
        json!({"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
        "initContainerStatuses": [{"name": "proxy", "started": true, "ready": true, "restartCount": 1,
            "state": {"running": {}}}],
        "containerStatuses": [{"name": "app", "ready": true, "state": {"running": {}}},
                              {"name": "side", "ready": true, "state": {"running": {}}}]}),
    );
    p["spec"]["initContainers"] =
        json!([{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}]);
    let c = cells("", "pods", &p);
    assert_eq!(
        (c[1].clone(), c[2].clone(), c[3].clone()),
        (json!("3/3"), json!("Running"), json!("1"))
    );
}
