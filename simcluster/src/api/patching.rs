//! PATCH: JSON patch, JSON merge patch, strategic merge patch and server-side apply applied to
//! the stored object, then the update (or, for apply, create) pipeline; retried on conflicts the
//! client did not ask for.

use serde_json::Value;

use super::Ctx;
use super::decode;
use super::options::WriteOptions;
use super::write::{create_object, now_rfc3339, update_object};
use crate::status::{ApiError, FieldError};
use crate::store::{Key, object_rv};

fn unsupported() -> ApiError {
    ApiError::new(415, "UnsupportedMediaType", "415: Unsupported Media Type")
        .with_details(serde_json::Map::new())
}

/// Custom resources have no patch strategies: a strategic merge patch is refused.
fn strategic_unsupported() -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    )
}

fn with_kind(obj: &Value, kind: &str, api_version: &str) -> Value {
    super::read::with_type(obj, kind, api_version)
}

pub fn patch_object(
    ctx: &Ctx,
    body: &[u8],
    opts: &WriteOptions,
    status_only: bool,
) -> Result<(Value, u16, Vec<String>), ApiError> {
    let media = decode::content_type(&ctx.headers);
    let (group, kind, av) = (
        ctx.info.group.clone(),
        ctx.info.kind.clone(),
        ctx.info.api_version(),
    );
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, &ctx.path.name);
    let is_apply = media == "application/apply-patch+yaml";
    if !is_apply
        && ![
            "application/merge-patch+json",
            "application/json-patch+json",
            "application/strategic-merge-patch+json",
        ]
        .contains(&media.as_str())
    {
        return Err(unsupported());
    }
    if ctx.info.custom.is_some() && media == "application/strategic-merge-patch+json" {
        return Err(strategic_unsupported());
    }
    if is_apply && opts.field_manager.is_none() {
        return Err(ApiError::invalid(
            "PatchOptions",
            "meta.k8s.io",
            "",
            &[FieldError::required(
                "fieldManager",
                "is required for apply patch",
            )],
        ));
    }
    let mut last_err = None;
    for _attempt in 0..8 {
        let old = ctx.sim.store.get(&key);
        if is_apply {
            let applied = decode::parse_body(body, "application/yaml", &kind)?;
            let mut applied = applied;
            decode::check_kind(
                &mut applied,
                &kind,
                &av,
                &ctx.info.version,
                &ctx.sim.registry.current(),
            )?;
            let warnings =
                decode::check_fields(&ctx.info, &mut applied, &kind, &av, opts.field_validation)?;
            let manager = opts.field_manager.clone().unwrap_or_default();
            let live = old.as_ref().map(|o| with_kind(o, &kind, &av));
            let merged = crate::patch::server_side_apply(
                live.as_ref(),
                &applied,
                &manager,
                opts.force,
                &av,
                &kind,
                &now_rfc3339(),
            )
            .map_err(apply_error)?;
            let mut opts = opts.clone();
            opts.managed_fields_done = true;
            let opts = &opts;
            return match old {
                None => {
                    let mut m = merged;
                    if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.remove("resourceVersion");
                    }
                    let created = create_object(ctx, m, opts)?;
                    Ok((created, 201, warnings))
                }
                Some(o) => {
                    match update_object(ctx, with_rv(merged, object_rv(&o)), opts, status_only) {
                        Err(e) if e.code == 409 && e.reason == "Conflict" => {
                            last_err = Some(e);
                            continue;
                        }
                        r => r.map(|v| (v, 200, warnings)),
                    }
                }
            };
        }
        let old =
            old.ok_or_else(|| ApiError::not_found(&ctx.info.plural, &group, &ctx.path.name))?;
        let patch: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
        let current = with_kind(&old, &kind, &av);
        let patched = match media.as_str() {
            "application/json-patch+json" => crate::patch::json_patch(&current, &patch),
            "application/merge-patch+json" => crate::patch::merge_patch(&current, &patch),
            _ => crate::patch::strategic_merge_patch(&current, &patch, &av, &kind),
        }
        .map_err(|e| e.to_api_error())?;
        if !patched.is_object() {
            return Err(ApiError::bad_request("patched object is not a JSON object"));
        }
        let explicit_rv = patched.pointer("/metadata/resourceVersion")
            != current.pointer("/metadata/resourceVersion");
        let mut patched = patched;
        decode::check_kind(
            &mut patched,
            &kind,
            &av,
            &ctx.info.version,
            &ctx.sim.registry.current(),
        )?;
        let warnings =
            decode::check_fields(&ctx.info, &mut patched, &kind, &av, opts.field_validation)?;
        let patched = if explicit_rv {
            patched
        } else {
            with_rv(patched, object_rv(&old))
        };
        match update_object(ctx, patched, opts, status_only) {
            Err(e) if e.code == 409 && e.reason == "Conflict" && !explicit_rv => {
                last_err = Some(e);
                continue;
            }
            r => return r.map(|v| (v, 200, warnings)),
        }
    }
    Err(last_err.unwrap_or_else(|| ApiError::internal("patch retries exhausted")))
}

fn with_rv(mut obj: Value, rv: u64) -> Value {
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    obj
}

fn apply_error(e: crate::patch::ApplyError) -> ApiError {
    e.into_api_error()
}
