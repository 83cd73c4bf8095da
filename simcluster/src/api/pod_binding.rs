//! `POST pods/{name}/binding` (assign a pod to a node, as the scheduler does) and
//! `POST pods/{name}/eviction` (a graceful delete, as `kubectl drain` asks for it).

use axum::body::{Body, Bytes};
use axum::http::Response;
use serde_json::{Value, json};

use super::Ctx;
use super::decode;
use super::delete::{Deleted, delete_one};
use super::negotiate::{self, Repr};
use super::options::{DeleteOptions, write_options};
use crate::controllers::scheduler::{BindError, bind};
use crate::resources::json::str_at;
use crate::status::{ApiError, FieldError};

fn success(code: u16) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": code})
}

fn answer(ctx: &Ctx, code: u16) -> Response<Body> {
    negotiate::object(
        code,
        &success(code),
        if ctx.repr == Repr::Yaml {
            Repr::Yaml
        } else {
            Repr::Json
        },
    )
}

pub fn binding(ctx: &Ctx, body: &Bytes) -> Result<Response<Body>, ApiError> {
    let opts = write_options(&ctx.query, "CreateOptions")?;
    let b = decode::parse_body(body, &decode::content_type(&ctx.headers), "Binding")?;
    let name = &ctx.path.name;
    let body_name = str_at(&b, "metadata/name");
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Binding object",
        ));
    }
    let target_kind = str_at(&b, "target/kind");
    let node = str_at(&b, "target/name");
    let mut errs = Vec::new();
    if !target_kind.is_empty() && target_kind != "Node" {
        errs.push(FieldError::not_supported(
            "target.kind",
            target_kind,
            &["Node", "<empty>"],
        ));
    }
    if node.is_empty() {
        errs.push(FieldError::required("target.name", ""));
    }
    if !errs.is_empty() {
        return Err(ApiError::invalid("Binding", "", name, &errs));
    }
    if opts.dry_run {
        ctx.sim
            .store
            .get(&crate::store::Key::new("pods", &ctx.path.namespace, name))
            .ok_or_else(|| ApiError::not_found("pods", "", name))?;
        return Ok(answer(ctx, 201));
    }
    match bind(&ctx.sim, &ctx.path.namespace, name, node) {
        Ok(_) => Ok(answer(ctx, 201)),
        Err(BindError::NotFound) => Err(ApiError::not_found("pods", "", name)),
        Err(BindError::Refused(why)) => Err(ApiError::conflict("pods/binding", "", name, &why)),
    }
}

pub fn eviction(ctx: &Ctx, body: &Bytes) -> Result<Response<Body>, ApiError> {
    let ev = if body.is_empty() {
        json!({})
    } else {
        decode::parse_body(body, &decode::content_type(&ctx.headers), "Eviction")?
    };
    let name = &ctx.path.name;
    let body_name = str_at(&ev, "metadata/name");
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let mut opts = DeleteOptions::default();
    if let Some(g) = ev
        .pointer("/deleteOptions/gracePeriodSeconds")
        .and_then(Value::as_i64)
    {
        opts.grace_period_seconds = Some(g);
    }
    if opts.grace_period_seconds.is_none() {
        let pod = ctx
            .sim
            .store
            .get(&crate::store::Key::new("pods", &ctx.path.namespace, name))
            .ok_or_else(|| ApiError::not_found("pods", "", name))?;
        opts.grace_period_seconds = pod
            .pointer("/spec/terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            .or(Some(30));
    }
    opts.dry_run = ev
        .pointer("/deleteOptions/dryRun")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    match delete_one(ctx, &ctx.path.namespace, name, &opts)? {
        Deleted::Gone(_) | Deleted::Marked(_) => Ok(answer(ctx, 201)),
    }
}
