//! Create, update and patch: decoding, metadata handling, defaulting, admission, validation,
//! optimistic concurrency and dry run, in the order the real apiserver runs them.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response};
use serde_json::{Value, json};

use super::Ctx;
use super::decode;
use super::options::{WriteOptions, write_options};
use super::read::{render_object, with_type};
use crate::admission;
use crate::status::{ApiError, FieldError};
use crate::store::{Key, StoreError, object_rv};

/// RFC 3339 timestamp with second precision, as Kubernetes writes them.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn meta_mut(obj: &mut Value) -> &mut serde_json::Map<String, Value> {
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    obj["metadata"].as_object_mut().expect("metadata object")
}

fn meta_str<'a>(obj: &'a Value, k: &str) -> &'a str {
    obj.get("metadata")
        .and_then(|m| m.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Add `Warning` headers (`299 - "text"`).
pub fn add_warnings(resp: &mut Response<Body>, warnings: &[String]) {
    for w in warnings {
        let text = format!("299 - {}", serde_json::to_string(w).unwrap_or_default());
        if let Ok(v) = HeaderValue::from_str(&text) {
            resp.headers_mut().append("warning", v);
        }
    }
}

/// The field manager of a request: `fieldManager` or the user agent's program name.
pub fn manager(ctx: &Ctx, opts: &WriteOptions) -> String {
    if let Some(m) = &opts.field_manager {
        return m.clone();
    }
    let ua = ctx
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown");
    ua.split('/').next().unwrap_or("unknown").to_string()
}

/// Check the URL namespace against the body and fill it in.
fn set_namespace(ctx: &Ctx, obj: &mut Value) -> Result<(), ApiError> {
    let body_ns = meta_str(obj, "namespace").to_string();
    if ctx.info.namespaced {
        if !body_ns.is_empty() && body_ns != ctx.path.namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        meta_mut(obj).insert("namespace".into(), json!(ctx.path.namespace));
    } else if !body_ns.is_empty() {
        meta_mut(obj).remove("namespace");
    }
    Ok(())
}

pub fn create(ctx: &Ctx, body: Bytes) -> Result<Response<Body>, ApiError> {
    let opts = write_options(&ctx.query, "CreateOptions")?;
    let (obj, warnings) = decode::decode_request(ctx, &body, opts.field_validation)?;
    let created = create_object(ctx, obj, &opts)?;
    let mut resp = render_object(ctx, 201, &created);
    add_warnings(&mut resp, &warnings);
    Ok(resp)
}

/// The create pipeline for an already decoded object (also used by apply-creates).
pub fn create_object(ctx: &Ctx, mut obj: Value, opts: &WriteOptions) -> Result<Value, ApiError> {
    set_namespace(ctx, &mut obj)?;
    let (group, kind) = (ctx.info.group.as_str(), ctx.info.kind.as_str());
    if !meta_str(&obj, "resourceVersion").is_empty() {
        return Err(ApiError::bad_request(
            "resourceVersion should not be set on objects to be created",
        ));
    }
    {
        let m = meta_mut(&mut obj);
        for k in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "selfLink",
        ] {
            m.remove(k);
        }
    }
    crate::resources::apply_defaults(group, kind, &mut obj);
    let now = now_rfc3339();
    if !opts.managed_fields_done {
        let m = manager(ctx, opts);
        crate::patch::track_update(None, &mut obj, &m, "Update", &ctx.info.api_version(), &now);
    }
    let mut obj = super::events_v1::incoming(obj, kind, &ctx.info.api_version(), true)?;
    admission::admit_create(ctx, &mut obj)?;
    {
        let m = meta_mut(&mut obj);
        m.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
        m.insert("creationTimestamp".into(), json!(now));
    }
    // Generate the name before validation, as the real BeforeCreate does.
    let generate = meta_str(&obj, "name").is_empty() && !meta_str(&obj, "generateName").is_empty();
    if generate {
        let name = format!(
            "{}{}",
            meta_str(&obj, "generateName"),
            crate::resources::random_suffix(5)
        );
        meta_mut(&mut obj).insert("name".into(), json!(name));
    }
    crate::resources::prepare_create(group, kind, &mut obj);
    if let Some(custom) = &ctx.info.custom {
        crate::crd::prepare_create(custom, &mut obj);
    }
    let errs: Vec<FieldError> = crate::resources::validate_create(group, kind, &obj);
    let name = meta_str(&obj, "name").to_string();
    if !errs.is_empty() {
        return Err(ApiError::invalid(kind, group, &name, &errs));
    }
    crate::resources::canonicalize(group, kind, &mut obj);
    let obj = order_object(obj);
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, &name);
    // Validating admission (quota) and the write happen under one lock, so that concurrent
    // creates cannot both pass a quota that has room for one.
    let _admission = ctx
        .sim
        .admission_lock
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    admission::validate_create(ctx, &obj)?;
    let obj = crate::controllers::services::allocate_create(&ctx.sim, group, kind, obj)?;
    if opts.dry_run {
        if ctx.sim.store.get(&key).is_some() {
            return Err(ApiError::already_exists(&ctx.info.plural, group, &name));
        }
        return Ok(with_type(&obj, kind, &ctx.info.api_version()));
    }
    match ctx.sim.store.create(key, obj) {
        Ok(stored) => Ok((*stored).clone()),
        Err(StoreError::AlreadyExists) if generate => Err(ApiError::new(
            409,
            "AlreadyExists",
            format!(
                "{} {name:?} already exists, the server was not able to generate a unique name for the object",
                crate::status::qualified(&ctx.info.plural, group)
            ),
        )),
        Err(_) => Err(ApiError::already_exists(&ctx.info.plural, group, &name)),
    }
}

/// Put `kind`, `apiVersion`, `metadata` first and `spec` before `status`, like Go structs.
pub fn order_object(obj: Value) -> Value {
    let Value::Object(m) = obj else { return obj };
    let mut out = serde_json::Map::new();
    for k in ["kind", "apiVersion", "metadata"] {
        if let Some(v) = m.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    for (k, v) in &m {
        if !["kind", "apiVersion", "metadata", "status"].contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    if let Some(v) = m.get("status") {
        out.insert("status".into(), v.clone());
    }
    Value::Object(out)
}

pub fn update(ctx: &Ctx, body: Bytes) -> Result<Response<Body>, ApiError> {
    let opts = write_options(&ctx.query, "UpdateOptions")?;
    let (obj, warnings) = decode::decode_request(ctx, &body, opts.field_validation)?;
    let body_name = meta_str(&obj, "name");
    if !body_name.is_empty() && body_name != ctx.path.name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({})",
            ctx.path.name
        )));
    }
    let updated = update_object(ctx, obj, &opts, false)?;
    let mut resp = render_object(ctx, 200, &updated);
    add_warnings(&mut resp, &warnings);
    Ok(resp)
}

/// Compare two objects ignoring resourceVersion and managedFields (no-op detection).
fn same_content(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
            m.remove("managedFields");
        }
        if let Some(m) = v.as_object_mut() {
            m.remove("kind");
            m.remove("apiVersion");
        }
        v
    };
    strip(a) == strip(b)
}

/// The update pipeline for a decoded full object. `status_only` for the /status subresource.
pub fn update_object(
    ctx: &Ctx,
    mut obj: Value,
    opts: &WriteOptions,
    status_only: bool,
) -> Result<Value, ApiError> {
    let (group, kind) = (ctx.info.group.as_str(), ctx.info.kind.as_str());
    let name = ctx.path.name.clone();
    meta_mut(&mut obj).insert("name".into(), json!(name));
    set_namespace(ctx, &mut obj)?;
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, &name);
    let old = ctx
        .sim
        .store
        .get(&key)
        .ok_or_else(|| ApiError::not_found(&ctx.info.plural, group, &name))?;
    let expected = match meta_str(&obj, "resourceVersion") {
        "" => None,
        rv => Some(
            rv.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {rv}")))?,
        ),
    };
    if expected.is_some_and(|rv| rv != object_rv(&old)) {
        return Err(ApiError::modified_conflict(&ctx.info.plural, group, &name));
    }
    crate::resources::apply_defaults(group, kind, &mut obj);
    if !opts.managed_fields_done {
        let m = manager(ctx, opts);
        let old_typed = with_type(&old, kind, &ctx.info.api_version());
        let mut typed = with_type(&obj, kind, &ctx.info.api_version());
        if status_only {
            crate::patch::track_update_subresource(
                Some(&old_typed),
                &mut typed,
                &m,
                "Update",
                &ctx.info.api_version(),
                "status",
                &now_rfc3339(),
            );
        } else {
            crate::patch::track_update(
                Some(&old_typed),
                &mut typed,
                &m,
                "Update",
                &ctx.info.api_version(),
                &now_rfc3339(),
            );
        }
        obj = typed;
    }
    let mut obj = super::events_v1::incoming(obj, kind, &ctx.info.api_version(), false)?;
    {
        let m = meta_mut(&mut obj);
        for k in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
        ] {
            match old.get("metadata").and_then(|om| om.get(k)) {
                Some(v) => m.insert(k.into(), v.clone()),
                None => m.remove(k),
            };
        }
    }
    let errs = if status_only {
        crate::resources::prepare_status_update(group, kind, &mut obj, &old);
        crate::resources::validate_status_update(group, kind, &obj, &old)
    } else {
        crate::resources::prepare_update(group, kind, &mut obj, &old);
        if let Some(custom) = &ctx.info.custom {
            crate::crd::prepare_update(custom, &mut obj, &old);
        }
        crate::resources::validate_update(group, kind, &obj, &old)
    };
    if !errs.is_empty() {
        return Err(ApiError::invalid(kind, group, &name, &errs));
    }
    if same_content(&obj, &old) {
        return Ok((*old).clone());
    }
    let obj = order_object(obj);
    let _admission = ctx
        .sim
        .admission_lock
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    admission::validate_update(ctx, &obj, &old)?;
    let obj = crate::controllers::services::allocate_update(&ctx.sim, group, kind, obj, &old)?;
    if opts.dry_run {
        return Ok(obj);
    }
    match ctx.sim.store.update(&key, obj, Some(object_rv(&old))) {
        Ok(v) => Ok((*v).clone()),
        Err(StoreError::NotFound) => Err(ApiError::not_found(&ctx.info.plural, group, &name)),
        Err(_) => Err(ApiError::modified_conflict(&ctx.info.plural, group, &name)),
    }
}

pub fn patch(ctx: &Ctx, body: Bytes) -> Result<Response<Body>, ApiError> {
    let opts = write_options(&ctx.query, "PatchOptions")?;
    let (result, status, warnings) = patch_object(ctx, &body, &opts, false)?;
    let mut resp = render_object(ctx, status, &result);
    add_warnings(&mut resp, &warnings);
    Ok(resp)
}

/// Apply a PATCH body to the stored object and run the update pipeline. Returns the result,
/// the HTTP status (201 when server-side apply created the object) and warnings.
pub fn patch_object(
    ctx: &Ctx,
    body: &[u8],
    opts: &WriteOptions,
    status_only: bool,
) -> Result<(Value, u16, Vec<String>), ApiError> {
    super::patching::patch_object(ctx, body, opts, status_only)
}
