//! Unit tests of `apis`.

use serde_json::json;

use super::*;

fn doc() -> Value {
    json!({"kind": "APIGroupDiscoveryList", "items": [
        {"metadata": {"name": "stable.example.com"}, "versions": [
            {"version": "v1", "resources": [
                {"resource": "crontabs", "responseKind": {"kind": "CronTab"}, "scope": "Namespaced",
                 "verbs": ["get", "list", "watch"]}]}]},
        {"metadata": {"name": "authorization.k8s.io"}, "versions": [
            {"version": "v1", "resources": [
                {"resource": "selfsubjectreviews", "responseKind": {"kind": "SelfSubjectReview"},
                 "scope": "Cluster", "verbs": ["create"]}]}]},
        {"metadata": {}, "versions": [{"version": "v1", "resources": [
            {"resource": "pods", "responseKind": {"kind": "Pod"}, "scope": "Namespaced", "verbs": ["list"]},
            {"resource": "nodes", "responseKind": {"kind": "Node"}, "scope": "Cluster", "verbs": ["list"]},
            {"resource": "namespaces", "responseKind": {"kind": "Namespace"}, "scope": "Cluster", "verbs": ["list"]}]}]},
        {"metadata": {"name": "storage.k8s.io"}, "versions": [
            {"version": "v1", "resources": [
                {"resource": "storageclasses", "responseKind": {"kind": "StorageClass"},
                 "scope": "Cluster", "verbs": ["list"]}]}]}
    ]})
}

#[test]
fn reads_listable_resources_and_filters_them() {
    let groups = parse(&doc());
    assert_eq!(
        groups.len(),
        3,
        "groups without listable resources are left out"
    );
    assert_eq!(groups[0].versions[0].resources[0].kind, "CronTab");
    let core = &groups[1];
    assert_eq!(label(&core.name), "core");
    assert!(!find(&groups, "", "v1", "nodes").unwrap().namespaced);
    assert_eq!(filter(&groups, "CRON").len(), 1);
    assert_eq!(
        filter(&groups, "core node")[0].versions[0].resources.len(),
        1
    );
    assert!(filter(&groups, "nothing").is_empty());
}

#[test]
fn builds_paths_and_links() {
    assert_eq!(
        proxy_path("", "v1", "pods", "a b", None),
        "/k8s/api/v1/namespaces/a%20b/pods"
    );
    assert_eq!(
        proxy_path("stable.example.com", "v1", "crontabs", "", Some("x")),
        "/k8s/apis/stable.example.com/v1/crontabs/x"
    );
    assert_eq!(
        href("", "v1", "pods", "dev", Some("web")),
        "/explorer/core/v1/pods/web?ns=dev"
    );
    assert_eq!(group_of("core"), "");
    let s = selection("/explorer/core/v1/pods/web%2Fx");
    assert_eq!(
        (s.group.as_str(), s.plural.as_str(), s.name.as_str()),
        ("", "pods", "web/x")
    );
    assert_eq!(selection("/explorer"), Sel::default());
    assert_eq!(selection("/explorer/apps/v1/deployments").group, "apps");
    let list = json!({"items": [
        {"metadata": {"name": "b", "namespace": "x", "creationTimestamp": "2026-01-01T00:00:00Z"}},
        {"metadata": {"name": "a", "namespace": "x"}}]});
    assert_eq!(items(&list)[0].name, "a");
    assert_eq!(listing(&list).head, ["Created At"]);
    let table = json!({"kind": "Table", "columnDefinitions": [
            {"name": "Name", "format": "name", "priority": 0},
            {"name": "Schedule", "format": "", "priority": 0},
            {"name": "Wide", "format": "", "priority": 1},
            {"name": "Replicas", "format": "", "priority": 0}],
        "rows": [
            {"cells": ["z", "@daily", "w", 2], "object": {"metadata": {"name": "z", "namespace": "b"}}},
            {"cells": ["y", null, "w", 1], "object": {"metadata": {"name": "y", "namespace": "a"}}}]});
    let l = listing(&table);
    assert_eq!(l.head, ["Schedule", "Replicas"]);
    assert_eq!(
        l.rows[0],
        (
            "y".to_string(),
            "a".to_string(),
            vec![String::new(), "1".to_string()]
        )
    );
}

#[test]
fn a_tenant_tree_leaves_out_what_only_platform_admins_may_list() {
    let groups = parse(&doc());
    let names = |gs: &[Group]| -> Vec<String> {
        gs.iter()
            .flat_map(|g| &g.versions)
            .flat_map(|v| &v.resources)
            .map(|r| r.plural.clone())
            .collect()
    };
    assert_eq!(
        names(&readable(&groups, false)),
        ["crontabs", "pods", "namespaces"],
        "namespaced resources and the namespaces; no nodes, no storage group"
    );
    assert_eq!(readable(&groups, false).len(), 2);
    assert_eq!(
        names(&readable(&groups, true)),
        ["crontabs", "pods", "nodes", "namespaces", "storageclasses"]
    );
}
