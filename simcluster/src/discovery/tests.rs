//! Tests of the discovery registry against the golden recordings of a real kube-apiserver
//! v1.36.2 (`/work/shared/k8s-golden/discovery.json`).

use serde_json::{Value, json};

use super::*;

fn golden_steps() -> Vec<Value> {
    let text = std::fs::read_to_string("/work/shared/k8s-golden/discovery.json")
        .expect("golden discovery.json");
    let v: Value = serde_json::from_str(&text).unwrap();
    v["steps"].as_array().unwrap().clone()
}

fn step(name: &str) -> Value {
    golden_steps()
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no golden step {name}"))
}

/// `hash=` followed by 32+ uppercase hex digits -> `hash=<hash>` (README rule 8).
fn normalize_hash(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find("hash=") {
        out.push_str(&rest[..pos + 5]);
        rest = &rest[pos + 5..];
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
            .count();
        if n >= 32 {
            out.push_str("<hash>");
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
    out
}

/// The README normalization as far as discovery needs it: `serverAddress` and `hash=`.
fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if k == "serverAddress" && x.is_string() {
                        json!("<address>")
                    } else {
                        normalize(x)
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::String(s) => Value::String(normalize_hash(s)),
        other => other.clone(),
    }
}

/// Compare with a readable first difference; also checks the order of object keys.
fn assert_same(name: &str, ours: &Value, golden: &Value) {
    let ours = normalize(ours);
    if &ours != golden {
        let a = serde_json::to_string_pretty(&ours).unwrap();
        let b = serde_json::to_string_pretty(golden).unwrap();
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        panic!("{name}: differs from golden at line {line:?}\nours:\n{a}\ngolden:\n{b}");
    }
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(golden).unwrap(),
        "{name}: same content, different field order"
    );
}

/// Our answer for one recorded GET (None = 404).
fn answer(reg: &Registry, path: &str, aggregated: bool) -> Option<Value> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api"] if aggregated => Some(reg.aggregated_core()),
        ["api"] => Some(reg.api_versions("10.0.0.1:6443")),
        ["api", v] => reg.resource_list("", v),
        ["apis"] if aggregated => Some(reg.aggregated_apis()),
        ["apis"] => Some(reg.group_list()),
        ["apis", g] => reg.group(g),
        ["apis", g, v] => reg.resource_list(g, v),
        ["apis", g, v, r] => reg.lookup(g, v, r).map(|_| Value::Null),
        ["openapi", "v3"] => Some(reg.openapi_v3_index()),
        _ => None,
    }
}

#[test]
fn every_golden_discovery_step_matches() {
    let reg = Registry::new(false);
    let mut checked = 0;
    for s in golden_steps() {
        let path = s["request"]["path"].as_str().unwrap();
        if !(path.starts_with("/api") || path == "/openapi/v3") {
            continue;
        }
        let accept = s["request"]["headers"]["Accept"].as_str().unwrap_or("");
        let aggregated = accept.contains("as=APIGroupDiscoveryList");
        let ours = answer(&reg, path, aggregated);
        let name = s["name"].as_str().unwrap();
        if s["response"]["status"] == 404 {
            assert!(ours.is_none(), "{name}: expected 404");
        } else {
            assert_eq!(s["response"]["status"], 200);
            let ours = ours.unwrap_or_else(|| panic!("{name}: we answer 404"));
            assert_same(name, &ours, &s["response"]["body"]);
        }
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn aggregated_content_type_is_the_recorded_one() {
    let s = step("aggregated-discovery-apis");
    assert_eq!(
        s["response"]["content_type"],
        AGGREGATED_DISCOVERY_CONTENT_TYPE
    );
}

#[test]
fn storage_version_hash_rule_matches_every_recorded_hash() {
    let reg = Registry::new(false);
    let mut n = 0;
    for r in reg.resources() {
        let Some(h) = &r.storage_version_hash else {
            continue;
        };
        // events.k8s.io events are stored as core v1 Event; HPA as autoscaling/v2; CRDs as
        // apiextensions v1beta1; MutatingAdmissionPolicy(Binding) as v1beta1 (until 1.37).
        let (g, v) = match (r.group.as_str(), r.plural.as_str()) {
            ("events.k8s.io", "events") => ("", "v1"),
            ("autoscaling", _) => ("autoscaling", "v2"),
            ("apiextensions.k8s.io", _) => ("apiextensions.k8s.io", "v1beta1"),
            ("admissionregistration.k8s.io", p) if p.starts_with("mutatingadmissionpolic") => {
                ("admissionregistration.k8s.io", "v1beta1")
            }
            (g, _) => (g, r.version.as_str()),
        };
        assert_eq!(
            h,
            &storage_version_hash(g, v, &r.kind),
            "{}/{}",
            r.api_version(),
            r.plural
        );
        n += 1;
    }
    assert_eq!(n, 60);
    assert_eq!(
        storage_version_hash("apps", "v1", "Deployment"),
        "8aSe+NMegvE="
    );
    assert_eq!(storage_version_hash("", "v1", "Pod"), "xPOwRZ+Yhw8=");
    // not stored: no hash
    for (g, p) in [
        ("", "bindings"),
        ("", "componentstatuses"),
        ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ] {
        assert!(
            reg.lookup(g, "v1", p)
                .unwrap()
                .storage_version_hash
                .is_none(),
            "{p}"
        );
    }
}

#[test]
fn unrecorded_groups_have_resource_lists() {
    let reg = Registry::new(false);
    let l = reg.resource_list("apiextensions.k8s.io", "v1").unwrap();
    assert_eq!(l["apiVersion"], "v1");
    assert_eq!(l["resources"][0]["name"], "customresourcedefinitions");
    assert_eq!(l["resources"][0]["storageVersionHash"], "jfWCUB31mvA=");
    assert_eq!(
        l["resources"][1]["name"],
        "customresourcedefinitions/status"
    );
    assert_eq!(l["resources"][1]["singularName"], "");
    let hpa1 = reg
        .lookup("autoscaling", "v1", "horizontalpodautoscalers")
        .unwrap();
    let hpa2 = reg
        .lookup("autoscaling", "v2", "horizontalpodautoscalers")
        .unwrap();
    assert_eq!(hpa1.storage_version_hash, hpa2.storage_version_hash);
    let apisvc = reg
        .lookup("apiregistration.k8s.io", "v1", "apiservices")
        .unwrap();
    assert_eq!(apisvc.storage_version_hash.as_deref(), Some("InPBPD7+PqM="));
    assert!(reg.resource_list("apps", "v1beta1").is_none());
    assert!(reg.resource_list("nope.example.com", "v1").is_none());
    // the core list has no apiVersion, like the real /api/v1
    assert!(
        reg.resource_list("", "v1")
            .unwrap()
            .get("apiVersion")
            .is_none()
    );
}

#[test]
fn lookups() {
    let reg = Registry::new(false);
    let pods = reg.lookup("", "v1", "pods").unwrap();
    assert_eq!(pods.api_version(), "v1");
    assert_eq!(
        (pods.singular.as_str(), pods.kind.as_str(), pods.namespaced),
        ("pod", "Pod", true)
    );
    assert!(pods.has_verb("deletecollection") && !pods.has_verb("proxy"));
    let ev = pods.subresource("eviction").unwrap();
    assert_eq!(
        (ev.group.as_deref(), ev.version.as_deref(), ev.kind.as_str()),
        (Some("policy"), Some("v1"), "Eviction")
    );
    assert!(pods.subresource("status").unwrap().group.is_none());
    let dep = reg.by_kind("apps", "v1", "Deployment").unwrap();
    assert_eq!(dep.api_version(), "apps/v1");
    assert_eq!(dep.subresource("scale").unwrap().kind, "Scale");
    assert_eq!(dep.short_names, vec!["deploy"]);
    assert_eq!(dep.categories, vec!["all"]);
    let ns = reg.lookup("", "v1", "namespaces").unwrap();
    assert!(!ns.namespaced && !ns.has_verb("deletecollection"));
    assert!(reg.lookup("", "v1", "pods/status").is_none());
    assert!(reg.by_kind("events.k8s.io", "v1", "Event").is_some());
    assert_eq!(reg.resolve("", "po").unwrap().plural, "pods");
    assert_eq!(
        reg.resolve("apps", "Deployment").unwrap().plural,
        "deployments"
    );
    assert!(reg.has_group("") && reg.has_group("apps") && !reg.has_group("extensions"));
    assert!(
        reg.has_group_version("autoscaling", "v1") && !reg.has_group_version("batch", "v1beta1")
    );
    assert_eq!(reg.versions("autoscaling"), vec!["v2", "v1"]);
    assert_eq!(reg.preferred_version("autoscaling"), Some("v2"));
    assert!(reg.group("").is_none());
    assert!(reg.resources().any(|r| r.group == "resource.k8s.io"));
}

#[test]
fn metrics_group_is_optional() {
    let off = Registry::new(false);
    assert!(
        !off.has_group(METRICS_GROUP)
            && off.lookup(METRICS_GROUP, METRICS_VERSION, "pods").is_none()
    );
    assert!(off.group(METRICS_GROUP).is_none());

    let on = Registry::new(true);
    assert!(on.with_metrics() && on.has_group_version(METRICS_GROUP, METRICS_VERSION));
    let pods = on.lookup(METRICS_GROUP, METRICS_VERSION, "pods").unwrap();
    assert_eq!((pods.kind.as_str(), pods.namespaced), ("PodMetrics", true));
    assert_eq!(pods.verbs, vec!["get", "list"]);
    let nodes = on
        .by_kind(METRICS_GROUP, METRICS_VERSION, "NodeMetrics")
        .unwrap();
    assert!(!nodes.namespaced && nodes.storage_version_hash.is_none());

    // metrics comes after every built-in group; the rest is unchanged
    let groups = on.group_list()["groups"].as_array().unwrap().clone();
    assert_eq!(groups.last().unwrap()["name"], METRICS_GROUP);
    assert_eq!(
        &groups[..groups.len() - 1],
        off.group_list()["groups"].as_array().unwrap().as_slice()
    );
    assert_eq!(
        on.group(METRICS_GROUP).unwrap(),
        json!({"kind": "APIGroup", "apiVersion": "v1", "name": "metrics.k8s.io",
               "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
               "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}})
    );
    assert_eq!(
        on.resource_list(METRICS_GROUP, METRICS_VERSION).unwrap(),
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "metrics.k8s.io/v1beta1",
               "resources": [
                 {"name": "nodes", "singularName": "node", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]},
                 {"name": "pods", "singularName": "pod", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]}]})
    );
    let agg = on.aggregated_apis();
    let last = agg["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["metadata"]["name"], METRICS_GROUP);
    assert_eq!(last["versions"][0]["resources"][1]["scope"], "Namespaced");
    assert_eq!(on.aggregated_core(), off.aggregated_core());
    assert!(
        on.openapi_v3_index()["paths"]
            .get("apis/metrics.k8s.io/v1beta1")
            .is_some()
    );
    assert!(
        off.openapi_v3_index()["paths"]
            .get("apis/metrics.k8s.io/v1beta1")
            .is_none()
    );
}

#[test]
fn openapi_hashes_are_content_hashes() {
    let reg = Registry::new(false);
    let paths = reg.openapi_v3_paths();
    for (p, h) in &paths {
        assert_eq!(h.len(), 128, "{p}");
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        );
    }
    // stable across registries, different per document
    assert_eq!(paths, Registry::new(false).openapi_v3_paths());
    assert_ne!(
        reg.openapi_v3_hash("apis/apps/v1"),
        reg.openapi_v3_hash("apis/batch/v1")
    );
    let url = reg.openapi_v3_index()["paths"]["apis/apps/v1"]["serverRelativeURL"].clone();
    assert_eq!(
        url,
        json!(format!(
            "/openapi/v3/apis/apps/v1?hash={}",
            reg.openapi_v3_hash("apis/apps/v1").unwrap()
        ))
    );
    // the golden index's hashes have the same shape: 32+ uppercase hex digits
    assert_eq!(
        normalize_hash(url.as_str().unwrap()),
        "/openapi/v3/apis/apps/v1?hash=<hash>"
    );
}
