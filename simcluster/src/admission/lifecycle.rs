//! NamespaceLifecycle (the namespace must exist and not be terminating), the ServiceAccount check
//! of pods, and the protection finalizers added on create.

use serde_json::{Value, json};

use crate::api::Ctx;
use crate::status::{ApiError, details};
use crate::store::{Key, is_deleting};

pub fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// NamespaceLifecycle: the namespace must exist and not be terminating.
pub fn namespace_lifecycle(ctx: &Ctx, obj: &Value) -> Result<(), ApiError> {
    if !ctx.info.namespaced {
        return Ok(());
    }
    let ns = &ctx.path.namespace;
    let Some(nsobj) = ctx.sim.store.get(&Key::new("namespaces", "", ns)) else {
        return Err(ApiError::not_found("namespaces", "", ns));
    };
    if is_deleting(&nsobj) {
        let name = name_of(obj);
        let mut d = details(name, &ctx.info.group, &ctx.info.plural);
        d.insert(
            "causes".into(),
            json!([{"reason": "NamespaceTerminating", "message": format!("namespace {ns} is being terminated"), "field": "metadata.namespace"}]),
        );
        let q = crate::status::qualified(&ctx.info.plural, &ctx.info.group);
        let what = if name.is_empty() {
            q
        } else {
            format!("{q} {name:?}")
        };
        return Err(ApiError::new(
            403,
            "Forbidden",
            format!("{what} is forbidden: unable to create new content in namespace {ns} because it is being terminated"),
        )
        .with_details(d));
    }
    Ok(())
}

/// ServiceAccount admission: the pod's service account must exist.
pub fn service_account_exists(ctx: &Ctx, pod: &Value) -> Result<(), ApiError> {
    let sa = pod
        .pointer("/spec/serviceAccountName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    let ns = &ctx.path.namespace;
    if ctx
        .sim
        .store
        .get(&Key::new("serviceaccounts", ns, &sa))
        .is_none()
    {
        let why =
            format!("error looking up service account {ns}/{sa}: serviceaccount {sa:?} not found");
        return Err(ApiError::forbidden("pods", "", name_of(pod), &why));
    }
    Ok(())
}

pub fn add_finalizer(obj: &mut Value, f: &str) {
    let meta = obj["metadata"].as_object_mut().expect("metadata");
    let list = meta.entry("finalizers").or_insert_with(|| json!([]));
    if let Some(a) = list.as_array_mut()
        && !a.iter().any(|x| x == f)
    {
        a.push(json!(f));
    }
}
