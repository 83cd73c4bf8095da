//! Assembles the OpenAPI documents served by kube-apiserver: `/openapi/v2` (swagger 2.0, all
//! definitions and paths) and the per-group-version `/openapi/v3/<path>` documents with their
//! index, from the registry's definitions and the generated paths.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::patch_meta;
use super::paths::{self, Operation, PathItem};
use super::registry::Registry;

/// Version string in the documents' `info`.
const VERSION: &str = "v1.36.2";
const VERSION_INFO: &str = "io.k8s.apimachinery.pkg.version.Info";
const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

/// One `/openapi/v3/<path>` document: parsed, serialized, and the hash used in the index.
pub struct V3Doc {
    pub value: Value,
    pub json: String,
    pub hash: String,
}

/// All documents, built once.
pub(crate) struct Docs {
    pub v2: Value,
    pub v2_json: String,
    pub v3: BTreeMap<String, V3Doc>,
}

/// The group-version-kinds carried by each definition (`x-kubernetes-group-version-kind`).
fn gvk_map(reg: &Registry) -> HashMap<String, Vec<Value>> {
    let gvk = |g: &str, v: &str, k: &str| json!({"group": g, "kind": k, "version": v});
    let mut m: HashMap<String, Vec<Value>> = HashMap::new();
    let mut gvs: Vec<(&str, &str)> = Vec::new();
    for k in &reg.kinds {
        m.entry(k.def.clone())
            .or_default()
            .push(gvk(k.group, k.version, k.kind));
        if let Some(list) = k.list_kind {
            m.entry(super::registry::list_def_name(k, list))
                .or_default()
                .push(gvk(k.group, k.version, list));
        }
        if !gvs.contains(&(k.group, k.version)) {
            gvs.push((k.group, k.version));
        }
    }
    for e in &reg.extra {
        m.entry(e.def.clone())
            .or_default()
            .push(gvk(e.group, e.version, e.kind));
    }
    for kind in ["DeleteOptions", "WatchEvent"] {
        m.insert(
            format!("{META}{kind}"),
            gvs.iter().map(|(g, v)| gvk(g, v, kind)).collect(),
        );
    }
    for kind in ["APIGroup", "APIGroupList", "APIResourceList", "APIVersions"] {
        m.insert(format!("{META}{kind}"), vec![gvk("", "v1", kind)]);
    }
    m
}

/// Rewrites refs for OpenAPI 3 (`#/components/schemas/`, siblings of a ref moved next to an
/// `allOf`), as the real server does.
fn to_v3(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                out.insert(k.clone(), to_v3(val));
            }
            if let Some(Value::String(r)) = out.get("$ref").cloned() {
                let r = r.replace("#/definitions/", "#/components/schemas/");
                if out.len() == 1 {
                    out.insert("$ref".into(), r.into());
                } else {
                    out.remove("$ref");
                    let mut wrapped = Map::new();
                    wrapped.insert("allOf".into(), json!([{"$ref": r}]));
                    wrapped.extend(out);
                    out = wrapped;
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_v3).collect()),
        other => other.clone(),
    }
}

/// Property extensions per definition: the strategic-merge-patch metadata.
type Extensions = HashMap<&'static str, Vec<(&'static str, Map<String, Value>)>>;

fn patch_extensions() -> Extensions {
    let mut m: Extensions = HashMap::new();
    for (def, field, keys) in patch_meta::PATCH_META {
        let mut ext = Map::new();
        if keys.is_empty() {
            ext.insert("x-kubernetes-list-type".into(), "set".into());
            if patch_meta::MERGED_SETS.contains(&(*def, *field)) {
                ext.insert("x-kubernetes-patch-strategy".into(), "merge".into());
            }
        } else {
            let keys: Vec<&str> = keys.split(',').collect();
            ext.insert("x-kubernetes-list-map-keys".into(), json!(keys));
            ext.insert("x-kubernetes-list-type".into(), "map".into());
            ext.insert("x-kubernetes-patch-merge-key".into(), keys[0].into());
            ext.insert("x-kubernetes-patch-strategy".into(), "merge".into());
        }
        m.entry(*def).or_default().push((*field, ext));
    }
    for (def, field, strategy) in patch_meta::RETAIN_KEYS {
        let list = m.entry(*def).or_default();
        match list.iter_mut().find(|(f, _)| f == field) {
            Some((_, ext)) => {
                ext.insert("x-kubernetes-patch-strategy".into(), (*strategy).into());
            }
            None => list.push((
                *field,
                [(
                    "x-kubernetes-patch-strategy".to_string(),
                    Value::from(*strategy),
                )]
                .into_iter()
                .collect(),
            )),
        }
    }
    m
}

/// A definition as served: k8s-openapi marks `metadata` required (the API does not, except for
/// events), plus the group-version-kind and patch extensions.
fn served_def(
    name: &str,
    schema: &Value,
    gvks: &HashMap<String, Vec<Value>>,
    exts: &Extensions,
) -> Value {
    let mut s = schema.clone();
    if let Some(fields) = exts.get(name) {
        for (field, ext) in fields {
            if let Some(Value::Object(prop)) = s.pointer_mut(&format!("/properties/{field}")) {
                prop.extend(ext.clone());
            }
        }
    }
    let keep_meta = matches!(
        name,
        "io.k8s.api.core.v1.Event" | "io.k8s.api.events.v1.Event"
    );
    if let Some(obj) = s.as_object_mut() {
        if !keep_meta && let Some(Value::Array(req)) = obj.get_mut("required") {
            req.retain(|r| r != "metadata");
            if req.is_empty() {
                obj.remove("required");
            }
        }
        if let Some(list) = gvks.get(name) {
            obj.insert(
                "x-kubernetes-group-version-kind".into(),
                Value::Array(list.clone()),
            );
        }
    }
    s
}

fn collect_refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                if k == "$ref"
                    && let Some(name) = val.as_str().and_then(|r| r.rsplit('/').next())
                {
                    out.insert(name.to_string());
                }
                collect_refs(val, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn simple_get(path: &str, id: &str, desc: &str, response: Option<&str>, tag: &str) -> PathItem {
    PathItem {
        path: path.into(),
        params: vec![],
        ops: vec![Operation {
            method: "get",
            id: id.into(),
            desc: desc.into(),
            action: "",
            gvk: None,
            query: &[],
            body: None,
            patch: false,
            response: response.map(str::to_string),
            codes: &["200"],
            tag: tag.into(),
        }],
    }
}

/// The non-resource documents of the v3 index: `api`, `apis`, `apis/<group>`, `version`, OIDC.
fn meta_items(reg: &Registry) -> Vec<(String, Vec<PathItem>)> {
    let mut out = vec![
        (
            "api".to_string(),
            vec![simple_get(
                "/api/",
                "getCoreAPIVersions",
                "get available API versions",
                Some(&format!("{META}APIVersions")),
                "core",
            )],
        ),
        (
            "apis".to_string(),
            vec![simple_get(
                "/apis/",
                "getAPIVersions",
                "get available API versions",
                Some(&format!("{META}APIGroupList")),
                "apis",
            )],
        ),
        (
            "version".to_string(),
            vec![simple_get(
                "/version/",
                "getCodeVersion",
                "get the version information for this server",
                Some(VERSION_INFO),
                "version",
            )],
        ),
        (
            ".well-known/openid-configuration".to_string(),
            vec![simple_get(
                "/.well-known/openid-configuration/",
                "getServiceAccountIssuerOpenIDConfiguration",
                "get service account issuer OpenID configuration, also known as the 'OIDC discovery doc'",
                None,
                "WellKnown",
            )],
        ),
        (
            "openid/v1/jwks".to_string(),
            vec![simple_get(
                "/openid/v1/jwks/",
                "getServiceAccountIssuerOpenIDKeyset",
                "get service account issuer OpenID JSON Web Key Set (contains public token verification keys)",
                None,
                "openid",
            )],
        ),
    ];
    let groups: BTreeSet<&str> = reg
        .kinds
        .iter()
        .map(|k| k.group)
        .filter(|g| !g.is_empty())
        .collect();
    for g in groups {
        let id = format!("get{}APIGroup", paths::group_camel(g));
        let tag = paths::tag(g, "").trim_end_matches('_').to_string();
        let item = simple_get(
            &format!("/apis/{g}/"),
            &id,
            "get information of a group",
            Some(&format!("{META}APIGroup")),
            &tag,
        );
        out.push((format!("apis/{g}"), vec![item]));
    }
    out
}

fn version_info_def() -> Value {
    let s = |d: &str| json!({"type": "string", "default": "", "description": d});
    json!({
        "description": "Info contains versioning information. how we'll want to distribute that information.",
        "type": "object",
        "required": ["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"],
        "properties": {
            "buildDate": s(""), "compiler": s(""), "emulationMajor": s("EmulationMajor is the major version of the emulation version"),
            "emulationMinor": s("EmulationMinor is the minor version of the emulation version"), "gitCommit": s(""), "gitTreeState": s(""),
            "gitVersion": s(""), "goVersion": s(""), "major": s("Major is the major version of the binary version"),
            "minCompatibilityMajor": s("MinCompatibilityMajor is the major version of the minimum compatibility version"),
            "minCompatibilityMinor": s("MinCompatibilityMinor is the minor version of the minimum compatibility version"),
            "minor": s("Minor is the minor version of the binary version"), "platform": s(""),
        },
    })
}

fn security_scheme() -> Value {
    json!({"BearerToken": {"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}})
}

/// A v3 document: the rendered paths and the definitions they reach (`v3defs`: served v3 forms,
/// `refs`: the definitions each definition refers to).
fn v3_doc(
    items: &[PathItem],
    v3defs: &HashMap<String, Value>,
    refs: &HashMap<String, BTreeSet<String>>,
) -> Value {
    let mut path_map = Map::new();
    for item in items {
        let (p, v) = paths::render(item, true);
        path_map.insert(p, v);
    }
    let paths_value = Value::Object(path_map);
    let mut wanted = BTreeSet::new();
    collect_refs(&paths_value, &mut wanted);
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = wanted.iter().map(String::as_str).collect();
    while let Some(name) = todo.pop() {
        if done.insert(name) {
            todo.extend(
                refs.get(name)
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .filter(|r| !done.contains(r)),
            );
        }
    }
    let schemas: Map<String, Value> = done
        .iter()
        .filter_map(|n| v3defs.get(*n).map(|d| (n.to_string(), d.clone())))
        .collect();
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": VERSION},
        "paths": paths_value,
        "components": {"schemas": schemas, "securitySchemes": security_scheme()},
    })
}

pub(crate) fn build(reg: &Registry) -> Docs {
    let gvks = gvk_map(reg);
    let exts = patch_extensions();
    let mut defs = reg.defs.clone();
    defs.insert(VERSION_INFO.into(), version_info_def());

    let mut gvs: Vec<(&str, &str)> = Vec::new();
    for k in &reg.kinds {
        if !gvs.contains(&(k.group, k.version)) {
            gvs.push((k.group, k.version));
        }
    }
    let mut sections: Vec<(String, Vec<PathItem>)> = meta_items(reg);
    for (g, v) in &gvs {
        sections.push((super::registry::gv_path(g, v), paths::gv_paths(reg, g, v)));
    }

    let names: BTreeSet<&String> = defs.keys().collect();
    let definitions: Map<String, Value> = names
        .into_iter()
        .map(|n| (n.clone(), served_def(n, &defs[n.as_str()], &gvks, &exts)))
        .collect();
    let v3defs: HashMap<String, Value> = definitions
        .iter()
        .map(|(n, d)| (n.clone(), to_v3(d)))
        .collect();
    let refs: HashMap<String, BTreeSet<String>> = defs
        .iter()
        .map(|(n, d)| {
            let mut r = BTreeSet::new();
            collect_refs(d, &mut r);
            (n.clone(), r)
        })
        .collect();

    let mut v3 = BTreeMap::new();
    for (key, items) in &sections {
        let value = v3_doc(items, &v3defs, &refs);
        let json = value.to_string();
        let hash = hash_hex(json.as_bytes());
        v3.insert(key.clone(), V3Doc { value, json, hash });
    }

    let mut all_paths = BTreeMap::new();
    for (_, items) in &sections {
        for item in items {
            let (p, v) = paths::render(item, false);
            all_paths.insert(p, v);
        }
    }
    let v2 = json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": VERSION},
        "paths": all_paths.into_iter().collect::<Map<String, Value>>(),
        "definitions": definitions,
        "securityDefinitions": security_scheme(),
        "security": [{"BearerToken": []}],
    });
    let v2_json = v2.to_string();
    Docs { v2, v2_json, v3 }
}

#[cfg(test)]
pub(crate) fn collect_refs_for_test(v: &Value, out: &mut BTreeSet<String>) {
    collect_refs(v, out);
}
