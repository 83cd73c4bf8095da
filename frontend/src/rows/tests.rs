//! Rows read from objects shaped like the apiserver's, sorting, filtering, ages, windows.

use serde_json::json;

use super::*;
use crate::kinds::by_plural;

fn pod(name: &str, waiting: Option<&str>, restarts: i64) -> Value {
    let state = match waiting {
        Some(r) => json!({"waiting": {"reason": r}}),
        None => json!({"running": {"startedAt": "2025-01-01T00:00:00Z"}}),
    };
    json!({
        "metadata": {"name": name, "creationTimestamp": "2025-01-01T00:00:00Z"},
        "spec": {"nodeName": "node-1", "containers": [{"name": "a"}, {"name": "b"}]},
        "status": {"phase": "Running", "podIP": "10.0.0.7", "containerStatuses": [
            {"name": "a", "ready": waiting.is_none(), "restartCount": restarts, "state": state},
            {"name": "b", "ready": true, "restartCount": 1, "state": {"running": {}}}
        ]}
    })
}

#[test]
fn pod_rows_read_like_kubectl() {
    let k = by_plural("pods").unwrap();
    let r = row(k, &pod("web-1", None, 2));
    assert_eq!(r.name, "web-1");
    assert_eq!(
        r.cells,
        [
            "web-1",
            "2/2",
            "Running",
            "3",
            "node-1",
            "10.0.0.7",
            "2025-01-01T00:00:00Z"
        ]
    );
    assert_eq!(r.tone, "ok");
    let r = row(k, &pod("web-2", Some("CrashLoopBackOff"), 7));
    assert_eq!(
        (r.cells[1].as_str(), r.cells[2].as_str(), r.tone),
        ("1/2", "CrashLoopBackOff", "bad")
    );
    let mut p = pod("web-3", None, 0);
    p["metadata"]["deletionTimestamp"] = json!("2025-01-01T00:01:00Z");
    assert_eq!(row(k, &p).cells[2], "Terminating");
}

#[test]
fn other_kinds() {
    let dep = json!({"metadata": {"name": "web"}, "spec": {"replicas": 3},
        "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}});
    assert_eq!(
        row(by_plural("deployments").unwrap(), &dep).cells[..4],
        ["web", "2/3", "3", "2"]
    );
    let svc = json!({"metadata": {"name": "web"}, "spec": {"type": "ClusterIP",
        "clusterIP": "10.96.0.5", "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}});
    let r = row(by_plural("services").unwrap(), &svc);
    assert_eq!(r.cells[1..4], ["ClusterIP", "10.96.0.5", "80/TCP,443/TCP"]);
    assert_eq!(r.tone, "");
    let sec =
        json!({"metadata": {"name": "db"}, "type": "Opaque", "data": {"a": "eA==", "b": "eQ=="}});
    assert_eq!(
        row(by_plural("secrets").unwrap(), &sec).cells[1..3],
        ["Opaque", "2"]
    );
    let job = json!({"metadata": {"name": "j"}, "spec": {"completions": 2},
        "status": {"succeeded": 2, "conditions": [{"type": "Complete", "status": "True"}]}});
    assert_eq!(
        row(by_plural("jobs").unwrap(), &job).cells[1..3],
        ["2/2", "Complete"]
    );
    let ev = json!({"metadata": {"name": "e.1"}, "type": "Warning", "reason": "BackOff",
        "involvedObject": {"kind": "Pod", "name": "web-1"}, "message": "m", "lastTimestamp": "2025-01-01T00:00:09Z"});
    assert_eq!(
        row(by_plural("events").unwrap(), &ev).cells,
        [
            "2025-01-01T00:00:09Z",
            "Warning",
            "BackOff",
            "pod/web-1",
            "m",
            "1"
        ]
    );
}

#[test]
fn sorting_and_filtering() {
    let k = by_plural("pods").unwrap();
    let mut rows = [
        row(k, &pod("b", None, 10)),
        row(k, &pod("a", None, 9)),
        row(k, &pod("c", Some("Error"), 1)),
    ];
    rows.sort_by(|a, b| compare(a, b, 3));
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["c", "a", "b"],
        "restarts sort as numbers (2 < 10 < 11)"
    );
    rows.sort_by(|a, b| compare(a, b, 0));
    assert_eq!(rows[0].name, "a");
    assert!(matches(&rows[2], "ERR c"));
    assert!(!matches(&rows[0], "error"));
    assert!(matches(&rows[0], ""));
}

#[test]
fn ages() {
    let t = epoch("2025-01-02T03:04:05Z").unwrap();
    assert_eq!(t, 1_735_787_045);
    assert_eq!(epoch("2000-03-01T00:00:00.123Z"), Some(951_868_800));
    assert_eq!(age("2025-01-02T03:04:05Z", t + 59), "59s");
    assert_eq!(age("2025-01-02T03:04:05Z", t + 600), "10m");
    assert_eq!(age("2025-01-02T03:04:05Z", t + 3 * 3600), "3h");
    assert_eq!(age("2025-01-02T03:04:05Z", t + 5 * 86_400), "5d");
    assert_eq!(age("", t), "—");
}

#[test]
fn windows() {
    assert_eq!(window(0.0, 400.0, 40.0, 3000, 5), (0, 16));
    assert_eq!(window(40_000.0, 400.0, 40.0, 3000, 5), (995, 1016));
    assert_eq!(window(200_000.0, 400.0, 40.0, 3000, 5), (3000, 3000));
    assert_eq!(window(0.0, 400.0, 40.0, 3, 5), (0, 3));
}
