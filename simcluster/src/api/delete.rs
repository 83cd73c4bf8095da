//! DELETE and DELETECOLLECTION: preconditions, graceful deletion, finalizers and propagation
//! policies (orphan / foreground finalizers), namespace termination, the different answers.

use axum::body::{Body, Bytes};
use axum::http::Response;
use serde_json::{Value, json};

use super::Ctx;
use super::negotiate;
use super::options::{DeleteOptions, delete_options, list_options};
use super::read::{Selectors, render_object, select, with_type};
use super::write::add_warnings;
use crate::status::{ApiError, details};
use crate::store::{Key, StoreError, is_deleting, object_rv};

const JOB_ORPHAN_WARNING: &str = "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

/// What a delete did: removed now (Status answer), or marked for deletion (object answer).
pub enum Deleted {
    Gone(Value),
    Marked(Value),
}

pub fn delete(ctx: &Ctx, body: Bytes) -> Result<Response<Body>, ApiError> {
    let opts = delete_options(&ctx.query, &body)?;
    let mut warnings = Vec::new();
    if ctx.info.group == "batch" && ctx.info.plural == "jobs" && opts.propagation_policy.is_none() {
        warnings.push(JOB_ORPHAN_WARNING.to_string());
    }
    let result = delete_one(ctx, &ctx.path.namespace, &ctx.path.name, &opts)?;
    let mut resp = match result {
        Deleted::Marked(obj) => render_object(ctx, 200, &obj),
        Deleted::Gone(obj) => {
            let mut d = details(&ctx.path.name, &ctx.info.group, &ctx.info.plural);
            if let Some(uid) = obj.pointer("/metadata/uid") {
                d.insert("uid".into(), uid.clone());
            }
            let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d});
            negotiate::object(
                200,
                &status,
                if ctx.repr == negotiate::Repr::Yaml {
                    ctx.repr
                } else {
                    negotiate::Repr::Json
                },
            )
        }
    };
    add_warnings(&mut resp, &warnings);
    Ok(resp)
}

/// The propagation policy a resource defaults to when the client gives none.
fn default_policy(group: &str, plural: &str) -> &'static str {
    match (group, plural) {
        ("batch", "jobs") => "Orphan",
        _ => "Background",
    }
}

fn precondition_conflict(kind: &str, name: &str, what: String) -> ApiError {
    ApiError::new(
        409,
        "Conflict",
        format!("Operation cannot be fulfilled on {kind} {name:?}: {what}"),
    )
    .with_details(details(name, "", kind))
}

/// The grace period of a pod deletion (pod strategy `CheckGracefulDelete`): the one asked for,
/// else the pod's `terminationGracePeriodSeconds`; 0 for pods that never ran on a node or ended.
fn pod_grace(pod: &Value, asked: Option<i64>) -> i64 {
    let unscheduled = pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    let ended = matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    );
    if unscheduled || ended {
        return 0;
    }
    asked
        .unwrap_or_else(|| {
            pod.pointer("/spec/terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(30)
        })
        .max(0)
}

/// Delete one object with the given options.
pub fn delete_one(
    ctx: &Ctx,
    namespace: &str,
    name: &str,
    opts: &DeleteOptions,
) -> Result<Deleted, ApiError> {
    let (group, plural, kind) = (&ctx.info.group, &ctx.info.plural, &ctx.info.kind);
    let key = Key::new(&ctx.storage_resource(), namespace, name);
    for _ in 0..8 {
        let old = ctx
            .sim
            .store
            .get(&key)
            .ok_or_else(|| ApiError::not_found(plural, group, name))?;
        if let Some(uid) = &opts.precondition_uid {
            let have = old
                .pointer("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("");
            if uid != have {
                return Err(precondition_conflict(
                    kind,
                    name,
                    format!(
                        "the UID in the precondition ({uid}) does not match the UID in record ({have}). The object might have been deleted and then recreated"
                    ),
                ));
            }
        }
        if let Some(rv) = &opts.precondition_rv {
            let have = object_rv(&old).to_string();
            if *rv != have {
                return Err(precondition_conflict(
                    kind,
                    name,
                    format!(
                        "the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({have}). The object might have been modified"
                    ),
                ));
            }
        }
        let policy = opts
            .propagation_policy
            .clone()
            .unwrap_or_else(|| default_policy(group, plural).to_string());
        let mut obj = (*old).clone();
        let mut finalizers: Vec<Value> = obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let add = match policy.as_str() {
            "Orphan" => Some("orphan"),
            "Foreground" => Some("foregroundDeletion"),
            _ => None,
        };
        let is_namespace = group.is_empty() && plural == "namespaces";
        let graceful_pod = group.is_empty() && plural == "pods";
        if let Some(f) = add
            && !is_namespace
            && !finalizers.iter().any(|x| x == f)
        {
            finalizers.push(json!(f));
        }
        // A CRD keeps its cleanup finalizer until its objects are gone (crd::controller).
        let is_crd = group == crate::crd::GROUP && plural == "customresourcedefinitions";
        if is_crd
            && !finalizers
                .iter()
                .any(|x| x == crate::crd::CLEANUP_FINALIZER)
        {
            finalizers.push(json!(crate::crd::CLEANUP_FINALIZER));
        }
        let needs_mark = is_namespace || !finalizers.is_empty() || graceful_pod;
        if !needs_mark {
            if opts.dry_run {
                return Ok(Deleted::Gone((*old).clone()));
            }
            match ctx.sim.store.delete(&key, Some(object_rv(&old))) {
                Ok(last) => return Ok(Deleted::Gone((*last).clone())),
                Err(StoreError::Conflict) => continue,
                Err(_) => return Err(ApiError::not_found(plural, group, name)),
            }
        }
        if is_deleting(&obj) && !graceful_pod {
            // Already terminating: nothing changes but the finalizers asked for.
            if finalizers.len()
                == obj
                    .pointer("/metadata/finalizers")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            {
                return Ok(Deleted::Marked(with_type(
                    &obj,
                    kind,
                    &ctx.info.api_version(),
                )));
            }
        }
        {
            let m = obj["metadata"]
                .as_object_mut()
                .expect("stored objects have metadata");
            if !m.contains_key("deletionTimestamp") {
                let grace = if graceful_pod {
                    pod_grace(&old, opts.grace_period_seconds)
                } else {
                    opts.grace_period_seconds.unwrap_or(0).max(0)
                };
                let at = chrono::Utc::now() + chrono::Duration::seconds(grace);
                m.insert(
                    "deletionTimestamp".into(),
                    json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                );
                if !is_namespace {
                    m.insert("deletionGracePeriodSeconds".into(), json!(grace));
                }
                if crate::resources::uses_generation(group, kind)
                    && let Some(g) = m.get("generation").and_then(Value::as_i64)
                {
                    m.insert("generation".into(), json!(g + 1));
                }
            }
            if !finalizers.is_empty() {
                m.insert("finalizers".into(), Value::Array(finalizers.clone()));
            }
        }
        if is_namespace {
            obj["status"]["phase"] = json!("Terminating");
        }
        if is_crd {
            crate::crd::controller::mark_terminating(&mut obj);
        }
        if opts.dry_run {
            return Ok(Deleted::Marked(with_type(
                &obj,
                kind,
                &ctx.info.api_version(),
            )));
        }
        // A pod that never ran (or a grace period of 0) goes away at once after the
        // MODIFIED event; finalizers keep objects until controllers remove them.
        let marked = match ctx.sim.store.update_keep(&key, obj, Some(object_rv(&old))) {
            Ok(v) => v,
            Err(StoreError::Conflict) => continue,
            Err(_) => return Err(ApiError::not_found(plural, group, name)),
        };
        if graceful_pod && finalizers.is_empty() && crate::controllers::pod_can_go_now(&marked) {
            let _ = ctx.sim.store.delete(&key, None);
        }
        return Ok(Deleted::Marked(with_type(
            &marked,
            kind,
            &ctx.info.api_version(),
        )));
    }
    Err(ApiError::modified_conflict(plural, group, name))
}

pub fn delete_collection(ctx: &Ctx, body: Bytes) -> Result<Response<Body>, ApiError> {
    let opts = delete_options(&ctx.query, &body)?;
    let lopts = list_options(&ctx.query)?;
    let sel = Selectors::parse(ctx, &lopts.label_selector, &lopts.field_selector)?;
    let (items, rv, _, _) = select(ctx, &sel, 0, "")?;
    let mut deleted = Vec::new();
    for item in items {
        let ns = item
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = item
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match delete_one(ctx, &ns, &name, &opts) {
            Ok(Deleted::Gone(o) | Deleted::Marked(o)) => {
                let mut o = o;
                if let Some(m) = o.as_object_mut() {
                    m.remove("kind");
                    m.remove("apiVersion");
                }
                deleted.push(o);
            }
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    let list = json!({
        "kind": format!("{}List", ctx.info.kind),
        "apiVersion": ctx.info.api_version(),
        "metadata": {"resourceVersion": rv.to_string()},
        "items": deleted,
    });
    Ok(negotiate::object(200, &list, ctx.repr))
}
