//! Talking to the cluster on the caller's behalf: which request headers pass (an allow-list,
//! minus any header the client names in `Connection`; never `Authorization`, cookies or
//! `Impersonate-*`), the portal's own credentials (kube-rs adds them), and the answer passed
//! back unchanged apart from hop-by-hop headers — or a 503 saying why the cluster is unreachable.

use std::collections::HashSet;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use axum::response::Response;

use super::error::{ProxyError, ProxyResult};
use crate::state::AppState;

/// Request headers the apiserver gets from the client; everything else is dropped.
const PASSED: &[&str] = &[
    "accept",
    "content-type",
    "user-agent",
    "kubectl-command",
    "kubectl-session",
    "x-request-id",
];

/// Response headers that belong to one connection, not to the answer.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "set-cookie",
];

/// The headers of `incoming` that are passed on to the cluster.
pub fn forwarded_headers(incoming: &HeaderMap) -> HeaderMap {
    let in_connection: HashSet<String> = incoming
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let mut out = HeaderMap::new();
    for name in PASSED {
        if in_connection.contains(*name) {
            continue;
        }
        for v in incoming.get_all(*name) {
            out.append(HeaderName::from_static(name), v.clone());
        }
    }
    out
}

/// Sends one request to the cluster; any answer (errors included) comes back as it is.
pub async fn send(
    state: &AppState,
    method: Method,
    path_and_query: &str,
    headers: HeaderMap,
    body: Bytes,
) -> ProxyResult<http::Response<kube::client::Body>> {
    let mut req = http::Request::builder()
        .method(method)
        .uri(path_and_query)
        .body(kube::client::Body::from(body))
        .map_err(|e| ProxyError::bad_request(format!("the request cannot be forwarded: {e}")))?;
    *req.headers_mut() = headers;
    state
        .kube
        .send(req)
        .await
        .map_err(|e| ProxyError::unavailable(format!("the cluster cannot be reached: {e}")))
}

/// The cluster's answer as the portal's, minus hop-by-hop headers.
pub fn pass_through(resp: http::Response<kube::client::Body>) -> Response {
    let (mut parts, body) = resp.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    Response::from_parts(parts, Body::new(body))
}

pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

/// The request headers when the portal must read the answer itself: only `Accept`, limited to
/// the client's JSON choices (see `json_accept`).
pub fn json_request_headers(incoming: &HeaderMap) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(header::ACCEPT, json_accept(incoming));
    h
}

/// The whole body of an answer the portal reads itself.
pub async fn collect(resp: http::Response<kube::client::Body>) -> ProxyResult<Bytes> {
    resp.into_body()
        .collect_bytes()
        .await
        .map_err(|e| ProxyError::unavailable(format!("the cluster's answer broke off: {e}")))
}

/// A streamed answer (a merged or filtered watch) with the cluster's content type.
pub fn streamed(body: Body, content_type: Option<HeaderValue>) -> Response {
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        content_type.unwrap_or(HeaderValue::from_static("application/json")),
    );
    resp
}

/// The `Accept` to use when the portal must read the answer itself (merging, filtering): the
/// client's JSON choices (a Table, metadata only, or plain JSON), never protobuf.
pub fn json_accept(incoming: &HeaderMap) -> HeaderValue {
    let json: Vec<&str> = incoming
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|m| {
            let base = m.split(';').next().unwrap_or("").trim();
            base == "application/json"
        })
        .collect();
    if json.is_empty() {
        HeaderValue::from_static("application/json")
    } else {
        HeaderValue::from_str(&json.join(","))
            .unwrap_or_else(|_| HeaderValue::from_static("application/json"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_headers_pass() {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer x"));
        h.insert("impersonate-user", HeaderValue::from_static("admin"));
        h.insert(
            "impersonate-group",
            HeaderValue::from_static("system:masters"),
        );
        h.insert("impersonate-extra-scopes", HeaderValue::from_static("x"));
        h.insert("cookie", HeaderValue::from_static("id=1"));
        h.insert("accept", HeaderValue::from_static("application/json"));
        h.insert("user-agent", HeaderValue::from_static("kubectl"));
        h.insert(
            "connection",
            HeaderValue::from_static("Impersonate-User, User-Agent"),
        );
        let out = forwarded_headers(&h);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out["accept"], "application/json");
    }

    #[test]
    fn json_accept_drops_protobuf() {
        let mut h = HeaderMap::new();
        h.insert(
            "accept",
            HeaderValue::from_static(
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
            ),
        );
        assert_eq!(
            json_accept(&h),
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
        );
        assert_eq!(json_accept(&HeaderMap::new()), "application/json");
    }
}
