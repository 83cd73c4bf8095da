//! Unit tests of the CRD helpers: defaults, validation, served versions, pruning, generation.

use serde_json::json;

use super::*;

fn crd() -> Value {
    json!({
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
            "scope": "Namespaced",
            "versions": [
                {"name": "v1", "served": true, "storage": true,
                 "subresources": {"status": {}},
                 "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                     "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                     "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}},
                {"name": "v1beta1", "served": false, "storage": false,
                 "schema": {"openAPIV3Schema": {"type": "object"}}}
            ]
        }
    })
}

#[test]
fn defaults_and_validation() {
    let mut c = crd();
    defaults(&mut c);
    assert_eq!(c["spec"]["names"]["singular"], "widget");
    assert_eq!(c["spec"]["names"]["listKind"], "WidgetList");
    assert_eq!(c["spec"]["conversion"]["strategy"], "None");
    assert!(validate(&c).is_empty(), "{:?}", validate(&c));
    c["metadata"]["name"] = json!("gadgets.example.com");
    c["spec"]["scope"] = json!("Global");
    let fields: Vec<String> = validate(&c).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["metadata.name", "spec.scope"]);
}

#[test]
fn served_versions_and_pruning() {
    let mut c = crd();
    defaults(&mut c);
    let infos = served(&c);
    assert_eq!(infos.len(), 1);
    let w = &infos[0];
    assert_eq!(
        (w.plural.as_str(), w.kind.as_str(), w.namespaced),
        ("widgets", "Widget", true)
    );
    assert_eq!(w.short_names, ["wd"]);
    assert_eq!(w.subresources[0].name, "status");
    let custom = w.custom.as_ref().unwrap();
    assert_eq!(custom.columns[0].name, "Age");
    let mut obj = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "a"},
        "spec": {"size": 1, "colour": "red"}, "status": {"anything": 1}, "extra": true});
    let mut unknown = prune(&mut obj, &custom.schema);
    unknown.sort();
    assert_eq!(unknown, ["extra", "spec.colour"]);
    assert_eq!(obj["spec"], json!({"size": 1}));
    assert_eq!(obj["status"], json!({"anything": 1}));
}

#[test]
fn generation_follows_content_not_status() {
    let info = CustomInfo {
        status_subresource: true,
        columns: vec![],
        schema: Value::Null,
        selectable_fields: vec![],
        scale: None,
    };
    let mut new = json!({"metadata": {"name": "a"}, "spec": {"size": 1}, "status": {"x": 1}});
    prepare_create(&info, &mut new);
    assert_eq!(new["metadata"]["generation"], 1);
    assert!(new.get("status").is_none());
    let old = new.clone();
    let mut same = json!({"metadata": {"name": "a", "generation": 1, "labels": {"a": "b"}}, "spec": {"size": 1}, "status": {"y": 2}});
    prepare_update(&info, &mut same, &old);
    assert_eq!(same["metadata"]["generation"], 1);
    assert!(same.get("status").is_none());
    let mut changed = json!({"metadata": {"name": "a", "generation": 1}, "spec": {"size": 2}});
    prepare_update(&info, &mut changed, &old);
    assert_eq!(changed["metadata"]["generation"], 2);
}
