//! `GET /api/v1/namespaces` for tenants (`kubectl get ns`, and its watch): the cluster's answer
//! filtered down to the caller's namespaces. Paging is not passed on (a filtered page would be
//! short and its continue token would lead into other tenants' names); a Table keeps its row
//! objects so rows can be told apart.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::caller::ProxyUser;
use super::error::{ProxyError, ProxyResult};
use super::query::Query;
use super::upstream;
use super::{merge, stream as streams};
use crate::state::AppState;

const PATH: &str = "/api/v1/namespaces";

pub async fn list(
    state: &AppState,
    own: &[String],
    query: &Query,
    headers: &HeaderMap,
) -> ProxyResult<Response> {
    let fwd = upstream::json_request_headers(headers);
    let q = query.without(&["limit", "continue", "watch", "includeObject"]);
    let resp = upstream::send(state, Method::GET, &q.url(PATH), fwd, Bytes::new()).await?;
    if !resp.status().is_success() {
        return Ok(upstream::pass_through(resp));
    }
    let body = upstream::collect(resp).await?;
    let mut v: Value = serde_json::from_slice(&body)
        .map_err(|e| ProxyError::bad_gateway(format!("the cluster's answer is not JSON: {e}")))?;
    let own: BTreeSet<&str> = own.iter().map(String::as_str).collect();
    merge::retain_named(&mut v, |n| own.contains(n));
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("remainingItemCount");
        meta.remove("continue");
    }
    Ok((StatusCode::OK, axum::Json(v)).into_response())
}

pub async fn watch(
    state: &AppState,
    user: Arc<ProxyUser>,
    own: &[String],
    query: &Query,
    headers: &HeaderMap,
) -> ProxyResult<Response> {
    let fwd = upstream::json_request_headers(headers);
    let q = query
        .without(&["watch", "includeObject"])
        .with("watch", "true");
    let resp = upstream::send(state, Method::GET, &q.url(PATH), fwd, Bytes::new()).await?;
    if !resp.status().is_success() {
        return Ok(upstream::pass_through(resp));
    }
    let content_type = resp.headers().get(header::CONTENT_TYPE).cloned();
    let keep: BTreeSet<String> = own.iter().cloned().collect();
    let source = streams::events(axum::body::Body::new(resp.into_body()), move |line| {
        let v: Value = serde_json::from_slice(line).ok()?;
        let passes = match merge::event_object_name(&v) {
            Some(name) => keep.contains(name),
            // ERROR events and bookmarks name no namespace.
            None => matches!(
                v.get("type").and_then(Value::as_str),
                Some("ERROR" | "BOOKMARK")
            ),
        };
        passes.then(|| Bytes::copy_from_slice(line))
    });
    // Losing any of these namespaces ends the watch (the filter would be out of date).
    let body = streams::supervise(state.clone(), user, own.to_vec(), vec![source]);
    Ok(upstream::streamed(body, content_type))
}
