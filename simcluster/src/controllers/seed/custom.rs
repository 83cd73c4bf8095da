//! The custom resources of `--seed demo`: a `BackupSchedule` CRD (namespaced, with printer
//! columns) and the shop's nightly database backup, so the API explorer has something custom
//! to show.

use serde_json::json;

use super::demo::Obj;

/// The CRD first (it is established before the next object is created), then its object.
pub fn objects() -> Vec<Obj> {
    let schema = json!({"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
            "schedule": {"type": "string"},
            "target": {"type": "string"},
            "retainDays": {"type": "integer"}}},
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}});
    vec![
        (
            "apiextensions.k8s.io/v1",
            "customresourcedefinitions",
            "",
            json!({
                "metadata": {"name": "backupschedules.ops.example.com"},
                "spec": {
                    "group": "ops.example.com",
                    "scope": "Namespaced",
                    "names": {"plural": "backupschedules", "singular": "backupschedule",
                        "kind": "BackupSchedule", "shortNames": ["bks"]},
                    "versions": [{
                        "name": "v1", "served": true, "storage": true,
                        "subresources": {"status": {}},
                        "additionalPrinterColumns": [
                            {"name": "Schedule", "type": "string", "jsonPath": ".spec.schedule"},
                            {"name": "Target", "type": "string", "jsonPath": ".spec.target"},
                            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}],
                        "schema": {"openAPIV3Schema": schema}}]
                }
            }),
        ),
        (
            "ops.example.com/v1",
            "backupschedules",
            "shop",
            json!({
                "metadata": {"name": "shop-db-nightly", "labels": {"app": "postgres"}},
                "spec": {"schedule": "0 3 * * *", "target": "statefulset/postgres", "retainDays": 7}
            }),
        ),
    ]
}
