//! The admission chain of the simulated apiserver. Mutating, on create: NamespaceLifecycle,
//! LimitRanger (container defaults), ServiceAccount and the pod defaulting plugins. Validating,
//! after validation and under `Sim::admission_lock`: LimitRanger (min/max) and ResourceQuota.
//!
//! Controllers that write pods straight to the store use [`default_pod_resources`] and
//! [`create_checked`] to get the same treatment.

pub mod evaluators;
mod lifecycle;
pub mod limitrange;
pub mod quota;
pub mod resource_list;
#[cfg(test)]
pub(crate) mod tests;
mod usage;

use std::sync::Arc;

use serde_json::Value;

use crate::api::Ctx;
use crate::cluster::Sim;
use crate::status::ApiError;
use crate::store::{Key, StoreError};
use evaluators::Op;
use lifecycle::name_of;

/// Mutating admission on create.
pub fn admit_create(ctx: &Ctx, obj: &mut Value) -> Result<(), ApiError> {
    lifecycle::namespace_lifecycle(ctx, obj)?;
    match (ctx.info.group.as_str(), ctx.info.plural.as_str()) {
        ("", "pods") => {
            limitrange::default_pod(&ctx.sim, &ctx.path.namespace, obj);
            lifecycle::service_account_exists(ctx, obj)?;
            crate::resources::admit_pod_create(obj);
        }
        ("", "persistentvolumes") => lifecycle::add_finalizer(obj, "kubernetes.io/pv-protection"),
        _ => {}
    }
    Ok(())
}

/// LimitRanger and ResourceQuota for one request; `Err` is the reason of the 403.
fn validate(sim: &Sim, req: &quota::Request) -> Result<(), String> {
    let limited = req.group.is_empty()
        && req.subresource.is_empty()
        && (req.plural == "persistentvolumeclaims" || (req.plural == "pods" && req.old.is_none()));
    if limited && !req.old.is_some_and(crate::store::is_deleting) {
        limitrange::validate(sim, req.namespace, req.plural, req.obj)?;
    }
    quota::admit(sim, req)
}

/// The request of an API call as the validating plugins see it.
fn request<'a>(ctx: &'a Ctx, obj: &'a Value, old: Option<&'a Value>) -> quota::Request<'a> {
    quota::Request {
        group: &ctx.info.group,
        plural: &ctx.info.plural,
        namespace: &ctx.path.namespace,
        subresource: &ctx.path.subresource,
        op: if old.is_some() {
            Op::Update
        } else {
            Op::Create
        },
        obj,
        old,
        dry_run: ctx.query.all("dryRun").iter().any(|v| v == "All"),
    }
}

fn forbidden(ctx: &Ctx, obj: &Value, why: &str) -> ApiError {
    ApiError::forbidden(&ctx.info.plural, &ctx.info.group, name_of(obj), why)
}

/// Validating admission on create.
pub fn validate_create(ctx: &Ctx, obj: &Value) -> Result<(), ApiError> {
    if !ctx.info.namespaced {
        return Ok(());
    }
    validate(&ctx.sim, &request(ctx, obj, None)).map_err(|why| forbidden(ctx, obj, &why))
}

/// Validating admission on update.
pub fn validate_update(ctx: &Ctx, obj: &Value, old: &Value) -> Result<(), ApiError> {
    if !ctx.info.namespaced {
        return Ok(());
    }
    validate(&ctx.sim, &request(ctx, obj, Some(old))).map_err(|why| forbidden(ctx, obj, &why))
}

/// For controllers that create pods themselves: apply the LimitRange defaults of the pod's
/// namespace to its containers (and the `kubernetes.io/limit-ranger` annotation), as the
/// mutating LimitRanger does for pods created through the API. Call before validating/storing.
pub fn default_pod_resources(sim: &Sim, namespace: &str, pod: &mut Value) {
    limitrange::default_pod(sim, namespace, pod);
}

/// For controllers: store a new namespaced object after the validating LimitRanger and the
/// ResourceQuota check, under the admission lock, like a create through the API (the quota's
/// `status.used` is charged). The error is the apiserver's 403, e.g. `pods "web-x" is forbidden:
/// exceeded quota: ...` (what a real controller reports in its `FailedCreate` event), or 409.
pub fn create_checked(
    sim: &Sim,
    group: &str,
    plural: &str,
    obj: Value,
) -> Result<Arc<Value>, ApiError> {
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let name = name_of(&obj).to_string();
    let _admission = sim.admission_lock.lock().unwrap_or_else(|e| e.into_inner());
    let req = quota::Request {
        group,
        plural,
        namespace: &ns,
        subresource: "",
        op: Op::Create,
        obj: &obj,
        old: None,
        dry_run: false,
    };
    validate(sim, &req).map_err(|why| ApiError::forbidden(plural, group, &name, &why))?;
    let key = Key::new(&crate::api::storage_resource(group, plural), &ns, &name);
    sim.store.create(key, obj).map_err(|e| match e {
        StoreError::AlreadyExists => ApiError::already_exists(plural, group, &name),
        _ => ApiError::internal(format!("storing {plural} {name:?} failed")),
    })
}
