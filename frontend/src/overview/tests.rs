//! Unit tests of `overview`.

use super::*;
use serde_json::json;

fn ns(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn counts_workloads_by_state_in_the_tenants_namespaces() {
    let pods = json!({"items": [
        {"metadata": {"namespace": "a"}, "status": {"phase": "Running"}},
        {"metadata": {"namespace": "a"}, "status": {"phase": "Running"}},
        {"metadata": {"namespace": "b"}, "status": {"phase": "Pending"}},
        {"metadata": {"namespace": "b"}, "status": {}},
        {"metadata": {"namespace": "a"}, "status": {"phase": "Failed"}},
        {"metadata": {"namespace": "a"}, "status": {"phase": "Succeeded"}},
        {"metadata": {"namespace": "other"}, "status": {"phase": "Running"}},
    ]});
    let deployments = json!({"items": [
        {"metadata": {"namespace": "a"}, "status": {"conditions": [{"type": "Available", "status": "True"}]}},
        {"metadata": {"namespace": "a"}, "status": {"conditions": [{"type": "Available", "status": "False"}]}},
        // No conditions yet: available replicas against the wanted ones.
        {"metadata": {"namespace": "b"}, "spec": {"replicas": 2}, "status": {"availableReplicas": 1}},
        {"metadata": {"namespace": "b"}, "spec": {"replicas": 0}, "status": {}},
    ]});
    let jobs = json!({"items": [
        {"metadata": {"namespace": "a"}, "status": {"conditions": [{"type": "Complete", "status": "True"}]}},
        {"metadata": {"namespace": "a"}, "status": {"conditions": [{"type": "Failed", "status": "True"}]}},
        {"metadata": {"namespace": "b"}, "status": {"active": 1}},
        {"metadata": {"namespace": "other"}, "status": {"active": 1}},
    ]});
    let c = count(&pods, &deployments, &jobs, &ns(&["a", "b"]));
    assert_eq!(
        c,
        WorkloadCounts {
            pods_running: 2,
            pods_pending: 2,
            pods_failed: 1,
            pods_succeeded: 1,
            deployments_available: 2,
            deployments_unavailable: 2,
            jobs_active: 1,
            jobs_complete: 1,
            jobs_failed: 1,
        }
    );
    // No namespaces: everything in the lists.
    assert_eq!(count(&pods, &json!({}), &jobs, &[]).pods_running, 3);
    assert_eq!(
        count(&json!({}), &json!({}), &json!({}), &[]),
        WorkloadCounts::default()
    );
}

fn event(ns: &str, name: &str, kind: &str, api: &str, t: &str, warning: bool) -> Value {
    json!({
        "metadata": {"namespace": ns, "name": name},
        "involvedObject": {"kind": kind, "apiVersion": api, "name": format!("{name}-obj"), "namespace": ns},
        "reason": if warning { "BackOff" } else { "Started" },
        "message": format!("about {name}"),
        "type": if warning { "Warning" } else { "Normal" },
        "lastTimestamp": t,
        "count": 3,
    })
}

#[test]
fn recent_events_newest_first_with_links() {
    let list = json!({"items": [
        event("a", "old", "Pod", "v1", "2026-01-01T10:00:00Z", true),
        event("a", "new", "Deployment", "apps/v1", "2026-01-01T12:00:00Z", false),
        event("b", "mid", "Job", "batch/v1", "2026-01-01T11:00:00Z", true),
        event("other", "x", "Pod", "v1", "2026-01-01T13:00:00Z", true),
        {"metadata": {"namespace": "a", "name": "node"}, "type": "Warning",
         "involvedObject": {"kind": "Node", "name": "worker-1"}, "eventTime": "2026-01-01T09:00:00.000000Z"},
    ]});
    let rows = recent_events(&list, &ns(&["a", "b"]), false, 10);
    let names: Vec<&str> = rows.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(names, ["about new", "about mid", "about old", ""]);
    assert_eq!(rows[0].object, "deployment/new-obj");
    assert_eq!(rows[0].link.as_deref(), Some("/ns/a/deployments/new-obj"));
    assert!(!rows[0].warning && rows[1].warning);
    assert_eq!(rows[1].link.as_deref(), Some("/ns/b/jobs/mid-obj"));
    assert_eq!((rows[1].reason.as_str(), rows[1].count), ("BackOff", 3));
    assert_eq!(rows[3].link.as_deref(), Some("/nodes/worker-1"));
    assert_eq!(rows[3].count, 1);

    let warnings = recent_events(&list, &[], true, 2);
    let names: Vec<&str> = warnings.iter().map(|r| r.namespace.as_str()).collect();
    assert_eq!(names, ["other", "b"]);
}

#[test]
fn links_only_for_pages_the_app_has() {
    let custom = json!({"metadata": {"namespace": "a"},
        "involvedObject": {"kind": "Widget", "apiVersion": "example.com/v1", "name": "w"}});
    assert_eq!(object_link(&custom), None);
    // The object's namespace falls back to the event's; names are encoded.
    let pod = json!({"metadata": {"namespace": "a b"},
        "involvedObject": {"kind": "Pod", "apiVersion": "v1", "name": "p"}});
    assert_eq!(object_link(&pod).as_deref(), Some("/ns/a%20b/pods/p"));
    assert_eq!(object_link(&json!({})), None);
}

#[test]
fn html_escapes_and_marks_warnings() {
    let rows = vec![EventRow {
        namespace: "a".into(),
        object: "pod/<x>".into(),
        link: Some("/ns/a/pods/x".into()),
        reason: "BackOff".into(),
        message: "restart <failed>".into(),
        time: "2026-01-01T12:00:00Z".into(),
        warning: true,
        count: 4,
    }];
    let now = epoch("2026-01-01T12:05:00Z").unwrap();
    let h = events_html(&rows, now, Lang::En, "overview.events.none");
    assert!(
        h.contains("<tr class=\"warning\" data-type=\"Warning\">"),
        "{h}"
    );
    assert!(
        h.contains("<a href=\"/ns/a/pods/x\">pod/&lt;x&gt;</a>"),
        "{h}"
    );
    assert!(h.contains("<a href=\"/ns/a/events\">a</a>"), "{h}");
    assert!(
        h.contains(">5m<") && h.contains("(×4)") && h.contains("restart &lt;failed&gt;"),
        "{h}"
    );
    assert!(
        h.contains("<span class=\"badge warn\">BackOff</span>"),
        "{h}"
    );
    assert!(h.contains("<th>Last seen</th>"), "{h}");
    assert!(events_html(&[], now, Lang::Zh, "overview.events.none").contains("最近没有事件"));

    let c = WorkloadCounts {
        pods_running: 2,
        jobs_failed: 1,
        ..WorkloadCounts::default()
    };
    let h = states_html(&c, Lang::En);
    assert!(h.contains("data-state=\"running\"><span class=\"badge ok\">Running</span><span class=\"n\">2</span>"), "{h}");
    assert!(
        h.contains(
            "data-state=\"pending\"><span class=\"badge \">Pending</span><span class=\"n\">0</span>"
        ),
        "{h}"
    );
    assert!(
        h.contains("<span class=\"badge bad\">Failed</span><span class=\"n\">1</span>"),
        "{h}"
    );
    assert!(states_html(&WorkloadCounts::default(), Lang::En).contains("class=\"empty\""));
}

/// Every label is a translation (a missing key would show as itself: `overview.wl.running`).
#[test]
fn html_labels_exist_in_both_languages() {
    let rows = vec![EventRow {
        namespace: "a".into(),
        object: "pod/x".into(),
        link: None,
        reason: "Started".into(),
        message: "m".into(),
        time: String::new(),
        warning: false,
        count: 1,
    }];
    let all = WorkloadCounts {
        pods_running: 1,
        ..WorkloadCounts::default()
    };
    for lang in Lang::ALL {
        for h in [
            events_html(&rows, 0, lang, "overview.events.none"),
            events_html(&[], 0, lang, "overview.warnings.none"),
            events_html(&[], 0, lang, "overview.events.none"),
            states_html(&all, lang),
            states_html(&WorkloadCounts::default(), lang),
        ] {
            assert!(!h.contains("overview.") && !h.contains("wl."), "{h}");
        }
    }
}
