//! The `/openapi/v3/apis/<group>/<version>` document of a custom resource group version, as
//! apiextensions-apiserver publishes it: the resources' paths (PATCH without strategic merge,
//! with `fieldValidation`, which kubectl looks for) and each kind's schema.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::discovery::ResourceInfo;

/// `com.example.stable.v1.CronTab` for group `stable.example.com`.
fn schema_name(r: &ResourceInfo) -> String {
    let mut parts: Vec<&str> = r.group.split('.').collect();
    parts.reverse();
    format!("{}.{}.{}", parts.join("."), r.version, r.kind)
}

fn query(name: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": true}})
}

fn operations(r: &ResourceInfo, item: bool) -> Map<String, Value> {
    let gvk = json!({"group": r.group, "version": r.version, "kind": r.kind});
    let reference = json!({"$ref": format!("#/components/schemas/{}", schema_name(r))});
    let body = |types: &[&str]| {
        let content: Map<String, Value> = types
            .iter()
            .map(|t| (t.to_string(), json!({"schema": reference})))
            .collect();
        json!({"content": content, "required": true})
    };
    let op = |action: &str, params: Vec<Value>, request: Option<Value>| {
        let mut o = json!({
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": gvk,
            "parameters": params,
            "responses": {"200": {"description": "OK",
                "content": {"application/json": {"schema": reference}}}},
        });
        if let Some(b) = request {
            o["requestBody"] = b;
        }
        o
    };
    let write_params = || {
        ["dryRun", "fieldManager", "fieldValidation"]
            .map(query)
            .to_vec()
    };
    let mut ops = Map::new();
    if item {
        ops.insert("get".into(), op("get", vec![], None));
        ops.insert(
            "put".into(),
            op("put", write_params(), Some(body(&["application/json"]))),
        );
        let mut patch_params = write_params();
        patch_params.push(query("force"));
        ops.insert(
            "patch".into(),
            op(
                "patch",
                patch_params,
                Some(body(&[
                    "application/json-patch+json",
                    "application/merge-patch+json",
                    "application/apply-patch+yaml",
                ])),
            ),
        );
        ops.insert("delete".into(), op("delete", vec![], None));
    } else {
        ops.insert("get".into(), op("list", vec![], None));
        ops.insert(
            "post".into(),
            op("post", write_params(), Some(body(&["application/json"]))),
        );
    }
    ops
}

/// The v3 document of one custom group version (`resources`: its custom resources).
pub fn v3_doc(resources: &[&ResourceInfo]) -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for r in resources {
        let Some(custom) = &r.custom else { continue };
        let base = if r.namespaced {
            format!(
                "/apis/{}/{}/namespaces/{{namespace}}/{}",
                r.group, r.version, r.plural
            )
        } else {
            format!("/apis/{}/{}/{}", r.group, r.version, r.plural)
        };
        paths.insert(base.clone(), Value::Object(operations(r, false)));
        paths.insert(
            format!("{base}/{{name}}"),
            Value::Object(operations(r, true)),
        );
        let mut schema = custom.schema.clone();
        if let Some(m) = schema.as_object_mut() {
            m.insert(
                "x-kubernetes-group-version-kind".into(),
                json!([{"group": r.group, "version": r.version, "kind": r.kind}]),
            );
        }
        schemas.insert(schema_name(r), schema);
    }
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The hash the `/openapi/v3` index gives a document (uppercase hex SHA-256 of its JSON).
pub fn hash(doc: &Value) -> String {
    Sha256::digest(doc.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}
