//! Subresources: `status` (get/update/patch of the status only), `scale` (autoscaling/v1 Scale
//! of Deployments, ReplicaSets, StatefulSets, ReplicationControllers) and namespace `finalize`.

use axum::body::{Body, Bytes};
use axum::http::Response;
use serde_json::{Value, json};

use super::Ctx;
use super::decode;
use super::negotiate;
use super::options::write_options;
use super::read::render_object;
use super::write::{add_warnings, update_object};
use crate::status::{ApiError, FieldError};
use crate::store::{Key, object_rv};

pub async fn handle(ctx: &Ctx, verb: &str, body: Bytes) -> Result<Response<Body>, ApiError> {
    match (ctx.path.subresource.as_str(), verb) {
        ("status", "get") => super::read::get(ctx),
        ("status", "update") | ("finalize", "update") => {
            let opts = write_options(&ctx.query, "UpdateOptions")?;
            let (obj, warnings) = decode::decode_request(ctx, &body, opts.field_validation)?;
            let status_only = ctx.path.subresource == "status";
            let updated = if status_only {
                update_object(ctx, obj, &opts, true)?
            } else {
                finalize_namespace(ctx, obj)?
            };
            let mut resp = render_object(ctx, 200, &updated);
            add_warnings(&mut resp, &warnings);
            Ok(resp)
        }
        ("status", "patch") => {
            let opts = write_options(&ctx.query, "PatchOptions")?;
            let (obj, status, warnings) = super::write::patch_object(ctx, &body, &opts, true)?;
            let mut resp = render_object(ctx, status, &obj);
            add_warnings(&mut resp, &warnings);
            Ok(resp)
        }
        ("scale", "get") => Ok(negotiate::object(
            200,
            &scale_of(ctx, &stored(ctx)?),
            ctx.repr,
        )),
        ("scale", "update") => {
            let scale = decode::parse_body(&body, &decode::content_type(&ctx.headers), "Scale")?;
            let dry_run = write_options(&ctx.query, "UpdateOptions")?.dry_run;
            Ok(negotiate::object(
                200,
                &set_scale(ctx, &scale, dry_run)?,
                ctx.repr,
            ))
        }
        ("scale", "patch") => {
            let opts = write_options(&ctx.query, "PatchOptions")?;
            let current = scale_of(ctx, &stored(ctx)?);
            let patch: Value = serde_json::from_slice(&body)
                .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
            let media = decode::content_type(&ctx.headers);
            let patched = match media.as_str() {
                "application/json-patch+json" => crate::patch::json_patch(&current, &patch),
                "application/merge-patch+json" => crate::patch::merge_patch(&current, &patch),
                "application/strategic-merge-patch+json" => {
                    crate::patch::strategic_merge_patch(&current, &patch, "autoscaling/v1", "Scale")
                }
                _ => {
                    return Err(ApiError::new(
                        415,
                        "UnsupportedMediaType",
                        "415: Unsupported Media Type",
                    )
                    .with_details(serde_json::Map::new()));
                }
            }
            .map_err(|e| e.to_api_error())?;
            Ok(negotiate::object(
                200,
                &set_scale(ctx, &patched, opts.dry_run)?,
                ctx.repr,
            ))
        }
        ("log", "get") => super::pod_log::get(ctx).await,
        ("binding", "create") => super::pod_binding::binding(ctx, &body),
        ("eviction", "create") => super::pod_binding::eviction(ctx, &body),
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn stored(ctx: &Ctx) -> Result<Value, ApiError> {
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, &ctx.path.name);
    ctx.sim
        .store
        .get(&key)
        .map(|o| (*o).clone())
        .ok_or_else(|| ApiError::not_found(&ctx.info.plural, &ctx.info.group, &ctx.path.name))
}

/// The selector of a scalable object as a label selector string.
fn selector_string(obj: &Value) -> String {
    let sel = obj.pointer("/spec/selector");
    let Some(sel) = sel else { return String::new() };
    // ReplicationControllers use a plain map; apps use a LabelSelector.
    let (labels, exprs) = match sel.get("matchLabels").or(sel.get("matchExpressions")) {
        Some(_) => (sel.get("matchLabels"), sel.get("matchExpressions")),
        None => (Some(sel), None),
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = labels.and_then(Value::as_object) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            parts.push(format!("{k}={}", m[k].as_str().unwrap_or("")));
        }
    }
    for e in exprs.and_then(Value::as_array).into_iter().flatten() {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let vals: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => parts.push(format!("{key} in ({})", vals.join(","))),
            "NotIn" => parts.push(format!("{key} notin ({})", vals.join(","))),
            "Exists" => parts.push(key.to_string()),
            "DoesNotExist" => parts.push(format!("!{key}")),
            _ => {}
        }
    }
    parts.sort();
    parts.join(",")
}

/// The Scale of the addressed object: a custom resource's from its CRD's scale paths.
fn scale_of(ctx: &Ctx, obj: &Value) -> Value {
    let Some(paths) = ctx.info.custom.as_ref().and_then(|c| c.scale.as_ref()) else {
        return to_scale(obj);
    };
    let mut scale = to_scale(obj);
    let replicas = |p: &str| obj.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    scale["spec"]["replicas"] = json!(replicas(&paths.spec_replicas));
    let mut status = json!({"replicas": replicas(&paths.status_replicas)});
    if let Some(sel) = paths
        .label_selector
        .as_deref()
        .and_then(|p| obj.pointer(p))
        .and_then(Value::as_str)
    {
        status["selector"] = json!(sel);
    }
    scale["status"] = status;
    scale
}

/// Set the value at a JSON pointer, creating the objects on the way.
fn set_at(obj: &mut Value, pointer: &str, value: Value) {
    let mut cur = obj;
    let parts: Vec<&str> = pointer.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        if !cur.is_object() {
            *cur = json!({});
        }
        let m = cur.as_object_mut().expect("made an object");
        if i + 1 == parts.len() {
            m.insert((*part).to_string(), value);
            return;
        }
        cur = m.entry(part.to_string()).or_insert_with(|| json!({}));
    }
}

/// autoscaling/v1 Scale of an object.
pub fn to_scale(obj: &Value) -> Value {
    let m = &obj["metadata"];
    let mut meta = serde_json::Map::new();
    for k in [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ] {
        if let Some(v) = m.get(k) {
            meta.insert(k.into(), v.clone());
        }
    }
    let mut status =
        json!({"replicas": obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0)});
    let sel = selector_string(obj);
    if !sel.is_empty() {
        status["selector"] = json!(sel);
    }
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": meta,
        "spec": {"replicas": obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(0)},
        "status": status,
    })
}

fn set_scale(ctx: &Ctx, scale: &Value, dry_run: bool) -> Result<Value, ApiError> {
    let name = &ctx.path.name;
    let replicas = scale
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if replicas < 0 {
        return Err(ApiError::invalid(
            "Scale",
            "autoscaling",
            name,
            &[FieldError::invalid(
                "spec.replicas",
                replicas,
                "must be greater than or equal to 0",
            )],
        ));
    }
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, name);
    for _ in 0..8 {
        let current = stored(ctx)?;
        if let Some(rv) = scale
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            && rv != object_rv(&current).to_string()
        {
            return Err(ApiError::modified_conflict(
                &ctx.info.plural,
                &ctx.info.group,
                name,
            ));
        }
        let mut obj = current.clone();
        let spec_path = match ctx.info.custom.as_ref().and_then(|c| c.scale.as_ref()) {
            Some(p) => p.spec_replicas.as_str(),
            None => "/spec/replicas",
        };
        set_at(&mut obj, spec_path, json!(replicas));
        if obj == current {
            return Ok(scale_of(ctx, &current));
        }
        if (ctx.info.custom.is_some()
            || crate::resources::uses_generation(&ctx.info.group, &ctx.info.kind))
            && let Some(g) = obj.pointer("/metadata/generation").and_then(Value::as_i64)
        {
            obj["metadata"]["generation"] = json!(g + 1);
        }
        if dry_run {
            return Ok(scale_of(ctx, &obj));
        }
        match ctx.sim.store.update(&key, obj, Some(object_rv(&current))) {
            Ok(v) => return Ok(scale_of(ctx, &v)),
            Err(crate::store::StoreError::Conflict) => continue,
            Err(_) => return Err(ApiError::not_found(&ctx.info.plural, &ctx.info.group, name)),
        }
    }
    Err(ApiError::modified_conflict(
        &ctx.info.plural,
        &ctx.info.group,
        name,
    ))
}

/// PUT namespaces/{name}/finalize: replace spec.finalizers.
fn finalize_namespace(ctx: &Ctx, obj: Value) -> Result<Value, ApiError> {
    let key = Key::new("namespaces", "", &ctx.path.name);
    let current = stored(ctx)?;
    let mut next = current.clone();
    next["spec"]["finalizers"] = obj
        .pointer("/spec/finalizers")
        .cloned()
        .unwrap_or(json!([]));
    ctx.sim
        .store
        .update(&key, next, Some(object_rv(&current)))
        .map(|v| (*v).clone())
        .map_err(|_| ApiError::modified_conflict("namespaces", "", &ctx.path.name))
}
