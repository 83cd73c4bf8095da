//! Lists and watches across namespaces for tenants (`/api/v1/pods`, `kubectl get pods -A`):
//! answered by asking each of the caller's namespaces and merging — a client's selectors only
//! ever run inside those namespaces. Lists merge items (or Table rows); `limit` pages across
//! namespaces with the portal's own continue token (namespace + the cluster's token, checked
//! against the caller's namespaces on every use); watches merge the per-namespace streams.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use futures::{StreamExt, stream};
use serde::{Deserialize, Serialize};

use super::caller::ProxyUser;
use super::error::{ProxyError, ProxyResult};
use super::page::{self, Page};
use super::path::ResourceRequest;
use super::query::Query;
use super::upstream;
use super::{merge, stream as streams};
use crate::state::AppState;

/// Namespaces asked at once.
const PARALLEL: usize = 8;

/// The list/watch path of `r` inside namespace `ns`.
pub fn namespaced_path(r: &ResourceRequest, ns: &str) -> String {
    let base = if r.group.is_empty() {
        format!("/api/{}", r.version)
    } else {
        format!("/apis/{}/{}", r.group, r.version)
    };
    format!("{base}/namespaces/{ns}/{}", r.resource)
}

/// Where a paged fan-out list goes on.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Position {
    ns: String,
    #[serde(rename = "c")]
    cont: String,
}

fn encode(p: &Position) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(p).unwrap_or_default())
}

fn decode(token: &str, namespaces: &[String]) -> ProxyResult<(usize, String)> {
    let bad = || ProxyError::bad_request("the continue token is not valid; list again without it");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad())?;
    let p: Position = serde_json::from_slice(&raw).map_err(|_| bad())?;
    let idx = namespaces.iter().position(|n| *n == p.ns).ok_or_else(bad)?;
    Ok((idx, p.cont))
}

/// A list across `namespaces`.
pub async fn list(
    state: &AppState,
    r: &ResourceRequest,
    kind: &str,
    namespaces: &[String],
    query: &Query,
    headers: &HeaderMap,
) -> ProxyResult<Response> {
    let fwd = upstream::json_request_headers(headers);
    let limit: usize = query.get("limit").and_then(|l| l.parse().ok()).unwrap_or(0);
    let base = query.without(&["limit", "continue", "watch"]);
    let (start, mut cont) = match query.get("continue").filter(|c| !c.is_empty()) {
        Some(t) => decode(t, namespaces)?,
        None => (0, String::new()),
    };
    let mut pages: Vec<Page> = Vec::new();
    let mut next = None;
    if limit == 0 {
        let urls: Vec<String> = namespaces
            .iter()
            .map(|ns| base.url(&namespaced_path(r, ns)))
            .collect();
        let results: Vec<ProxyResult<Result<Page, Response>>> = stream::iter(urls)
            .map(|u| fetch(state, u, &fwd))
            .buffered(PARALLEL)
            .collect()
            .await;
        for res in results {
            match res? {
                Ok(v) => pages.push(v),
                Err(resp) => return Ok(resp),
            }
        }
    } else {
        let mut left = limit;
        for (i, ns) in namespaces.iter().enumerate().skip(start) {
            let mut q = base.clone().with("limit", left.to_string());
            if !cont.is_empty() {
                q = q.with("continue", std::mem::take(&mut cont));
            }
            let mut page = match fetch(state, q.url(&namespaced_path(r, ns)), &fwd).await? {
                Ok(v) => v,
                Err(resp) => return Ok(resp),
            };
            let got = page.entries.len();
            let inner = std::mem::take(&mut page.cont);
            pages.push(page);
            left = left.saturating_sub(got);
            if !inner.is_empty() {
                next = Some(Position {
                    ns: ns.clone(),
                    cont: inner,
                });
                break;
            }
            if left == 0 {
                next = namespaces.get(i + 1).map(|n| Position {
                    ns: n.clone(),
                    cont: String::new(),
                });
                break;
            }
        }
    }
    if pages.is_empty() {
        let empty = merge::empty(r, kind, headers);
        return Ok((StatusCode::OK, axum::Json(empty)).into_response());
    }
    let body = page::merge(pages, next.as_ref().map(encode));
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// One namespace's list: its page, or the cluster's error answer as it is.
async fn fetch(
    state: &AppState,
    url: String,
    headers: &HeaderMap,
) -> ProxyResult<Result<Page, Response>> {
    let resp = upstream::send(state, Method::GET, &url, headers.clone(), Bytes::new()).await?;
    if !resp.status().is_success() {
        return Ok(Err(upstream::pass_through(resp)));
    }
    let body = upstream::collect(resp).await?;
    let page = Page::parse(&body)
        .map_err(|e| ProxyError::bad_gateway(format!("the cluster's answer is not JSON: {e}")))?;
    Ok(Ok(page))
}

/// A watch across `namespaces`: one watch per namespace, merged. Bookmarks are dropped (their
/// resourceVersion would be a promise about every namespace), except the end of the initial
/// events, passed once every namespace has sent its own.
pub async fn watch(
    state: &AppState,
    user: Arc<ProxyUser>,
    r: &ResourceRequest,
    namespaces: &[String],
    query: &Query,
    headers: &HeaderMap,
) -> ProxyResult<Response> {
    let fwd = upstream::json_request_headers(headers);
    let q = query.without(&["watch"]).with("watch", "true");
    let mut sources = Vec::new();
    let ends = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut content_type = None;
    for ns in namespaces {
        let resp = upstream::send(
            state,
            Method::GET,
            &q.url(&namespaced_path(r, ns)),
            fwd.clone(),
            Bytes::new(),
        )
        .await?;
        if !resp.status().is_success() {
            return Ok(upstream::pass_through(resp));
        }
        content_type = resp.headers().get(header::CONTENT_TYPE).cloned();
        let (ends, n) = (ends.clone(), namespaces.len());
        sources.push(streams::events(
            axum::body::Body::new(resp.into_body()),
            move |line| merge::watch_event(line, &ends, n),
        ));
    }
    if sources.is_empty() {
        // No namespace yet: an open watch that sees nothing (until the client ends it).
        sources.push(Box::pin(stream::pending()));
    }
    let body = streams::supervise(state.clone(), user, namespaces.to_vec(), sources);
    Ok(upstream::streamed(body, content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_only_name_own_namespaces() {
        let own = vec!["a".to_string(), "b".to_string()];
        let t = encode(&Position {
            ns: "b".into(),
            cont: "xyz".into(),
        });
        assert_eq!(decode(&t, &own).unwrap(), (1, "xyz".to_string()));
        let theirs = encode(&Position {
            ns: "other".into(),
            cont: String::new(),
        });
        assert!(decode(&theirs, &own).is_err());
        assert!(decode("%%%", &own).is_err());
        assert!(decode("eyJ4IjoxfQ", &own).is_err());
    }
}
