//! One proxied request, start to end: authenticate, parse the path once, look up what the
//! resource is, decide, then forward / fan out / filter / answer a review — and audit every
//! write (allowed or not) with its outcome.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::authz::{Decision, authorize};
use super::caller::{self, ProxyUser};
use super::error::{ProxyError, ProxyResult};
use super::path::{self, ApiRequest, ResourceRequest, Verb};
use super::query::Query;
use super::{body, discovery, fanout, own_ns, review, stream, upstream};
use crate::audit::{self, Audit};
use crate::request_id::RequestId;
use crate::state::AppState;

/// Where the Kubernetes API is served in the portal.
pub const PREFIX: &str = "/k8s";

/// The apiserver's own request body limit.
pub const BODY_LIMIT: usize = 3 * 1024 * 1024;

pub async fn handle(State(state): State<AppState>, rid: RequestId, req: Request) -> Response {
    serve(&state, &rid, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn serve(state: &AppState, rid: &RequestId, req: Request) -> ProxyResult<Response> {
    let (mut parts, body) = req.into_parts();
    let user = caller::authenticate(state, &mut parts).await?;
    let raw_path = match parts.uri.path().strip_prefix(PREFIX) {
        Some("") | None => "/",
        Some(p) => p,
    };
    let query = Query::parse(parts.uri.query())?;
    let parsed = path::parse(&parts.method, raw_path, parts.uri.query())
        .map_err(|e| ProxyError::bad_request(e.0))?;
    let body = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| ProxyError::too_large())?;
    let r = match &parsed {
        ApiRequest::Discovery => {
            let headers = upstream::forwarded_headers(&parts.headers);
            let url = query.url(raw_path);
            let resp = upstream::send(state, parts.method, &url, headers, Bytes::new()).await?;
            return Ok(upstream::pass_through(resp));
        }
        ApiRequest::Resource(r) => r,
    };
    if r.verb == Verb::Create && r.namespace.is_none() {
        match (r.group.as_str(), r.resource.as_str()) {
            ("authorization.k8s.io", "selfsubjectaccessreviews") => {
                return review::access(state, &user, &body).await;
            }
            ("authorization.k8s.io", "selfsubjectrulesreviews") => {
                return review::rules(&user, &body);
            }
            ("authentication.k8s.io", "selfsubjectreviews") => return review::whoami(&user, &body),
            _ => {}
        }
    }
    let call = Call {
        state,
        user: &user,
        parts: &parts,
        query: &query,
        raw_path,
    };
    let result = decide_and_run(&call, &parsed, r, body).await;
    if r.verb.is_write() {
        let status = match &result {
            Ok(resp) => resp.status(),
            Err(e) => e.status,
        };
        record(state, rid, &user, r, raw_path, status).await;
    }
    result
}

/// One request as the handler understood it: who calls, the request's head, its parsed query
/// and its path below the prefix.
struct Call<'a> {
    state: &'a AppState,
    user: &'a Arc<ProxyUser>,
    parts: &'a http::request::Parts,
    query: &'a Query,
    raw_path: &'a str,
}

async fn decide_and_run(
    call: &Call<'_>,
    parsed: &ApiRequest,
    r: &ResourceRequest,
    body: Bytes,
) -> ProxyResult<Response> {
    let Call {
        state,
        user,
        parts,
        query,
        ..
    } = *call;
    let info = discovery::lookup(state, &r.group, &r.version, &r.resource).await?;
    if !user.authz.platform_admin {
        match &info {
            None => return Err(ProxyError::no_such_resource()),
            // A cluster-scoped kind under a namespace: the apiserver's 404, without asking it.
            Some(i) if r.namespace.is_some() && !i.namespaced => {
                return Err(ProxyError::no_such_resource());
            }
            _ => {}
        }
    }
    let namespaced = info.as_ref().is_some_and(|i| i.namespaced);
    let kind = info.map(|i| i.kind).unwrap_or_default();
    match authorize(&user.authz, parsed, namespaced) {
        Decision::Deny(why) => Err(ProxyError::forbidden(forbidden_message(user, r, &why))
            .with_details(json!({"name": r.name, "kind": r.resource}))),
        Decision::FanOut(nss) if r.verb == Verb::Watch => {
            fanout::watch(state, user.clone(), r, &nss, query, &parts.headers).await
        }
        Decision::FanOut(nss) => fanout::list(state, r, &kind, &nss, query, &parts.headers).await,
        Decision::OwnNamespaces(nss) if r.verb == Verb::Watch => {
            own_ns::watch(state, user.clone(), &nss, query, &parts.headers).await
        }
        Decision::OwnNamespaces(nss) => own_ns::list(state, &nss, query, &parts.headers).await,
        Decision::Forward => forward(call, r, body).await,
    }
}

/// The apiserver's wording, with the portal's reason after it.
fn forbidden_message(user: &ProxyUser, r: &ResourceRequest, why: &str) -> String {
    let resource = match &r.subresource {
        Some(s) => format!("{}/{s}", r.resource),
        None => r.resource.clone(),
    };
    let what = match &r.name {
        Some(n) => format!("{} \"{n}\"", r.resource),
        None => r.resource.clone(),
    };
    let scope = match &r.namespace {
        Some(ns) => format!(" in the namespace \"{ns}\""),
        None => " at the cluster scope".to_string(),
    };
    format!(
        "{what} is forbidden: User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\"{scope}: {why}",
        user.username,
        r.verb.as_str(),
        r.group
    )
}

fn truthy(v: Option<&str>) -> bool {
    matches!(v, Some("true" | "1" | "True" | "TRUE" | "t" | "T"))
}

async fn forward(call: &Call<'_>, r: &ResourceRequest, mut body: Bytes) -> ProxyResult<Response> {
    let Call {
        state,
        user,
        parts,
        query,
        raw_path,
    } = *call;
    let mut headers = upstream::forwarded_headers(&parts.headers);
    let pod_proxy = r.subresource.as_deref() == Some("proxy");
    let checked_write = matches!(r.verb, Verb::Create | Verb::Update | Verb::Patch);
    if !user.authz.platform_admin && checked_write && !pod_proxy {
        let ct = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let checked = body::check(r, ct, body)?;
        body = checked.body;
        if let Some(ct) = checked.content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
    }
    // What decides the answer's shape is what was authorized: `watch` and `follow` are sent
    // exactly as the proxy understood them.
    let follow = r.subresource.as_deref() == Some("log") && truthy(query.get("follow"));
    let mut q = query.without(&["watch"]);
    if r.verb == Verb::Watch {
        q = q.with("watch", "true");
    }
    if r.subresource.as_deref() == Some("log") {
        q = q.without(&["follow"]);
        if follow {
            q = q.with("follow", "true");
        }
    }
    let url = if pod_proxy {
        // The pod's own query string is not the apiserver's business: passed as it came.
        match parts.uri.query() {
            Some(raw) => format!("{raw_path}?{raw}"),
            None => raw_path.to_string(),
        }
    } else {
        q.url(raw_path)
    };
    let resp = upstream::send(state, parts.method.clone(), &url, headers, body).await?;
    if pod_proxy {
        return pod_proxy_answer(resp);
    }
    let long = r.verb == Verb::Watch || follow;
    if !long || !resp.status().is_success() {
        return Ok(upstream::pass_through(resp));
    }
    let (mut head, b) = resp.into_parts();
    upstream::strip_hop_by_hop(&mut head.headers);
    head.headers.remove(header::CONTENT_LENGTH);
    let nss: Vec<String> = r.namespace.iter().cloned().collect();
    let sources = vec![stream::chunks(Body::new(b))];
    let guarded = stream::supervise(state.clone(), user.clone(), nss, sources);
    Ok(Response::from_parts(head, guarded))
}

/// A pod's or service's own web answer: never a redirect (the portal follows none and passes
/// none on), without cookies, and sandboxed so its scripts cannot act as the portal's origin.
fn pod_proxy_answer(resp: http::Response<kube::client::Body>) -> ProxyResult<Response> {
    if resp.status().is_redirection() {
        let to = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("elsewhere")
            .to_string();
        return Err(ProxyError::bad_gateway(format!(
            "the pod answered with a redirect to {to:?}; the portal does not follow or pass on redirects"
        )));
    }
    let mut resp = upstream::pass_through(resp);
    let h = resp.headers_mut();
    h.remove(header::LOCATION);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox allow-scripts allow-forms allow-popups"),
    );
    Ok(resp)
}

/// Audits a write through the proxy (user, tenant, verb, path, status).
async fn record(
    state: &AppState,
    rid: &RequestId,
    user: &ProxyUser,
    r: &ResourceRequest,
    raw_path: &str,
    status: StatusCode,
) {
    let tenant = match r.namespace.as_deref() {
        Some(ns) => match user.namespaces.get(ns) {
            Some(a) => Some((a.tenant_id, a.tenant.clone())),
            None => tenant_of(state, ns).await,
        },
        None => None,
    };
    let result = if status.is_success() {
        "ok".to_string()
    } else if status == StatusCode::FORBIDDEN {
        "denied".to_string()
    } else {
        format!("failed: {}", status.as_u16())
    };
    let mut a = Audit::anonymous(
        &user.username,
        &format!("k8s.{}", r.verb.as_str()),
        format!("{PREFIX}{raw_path}"),
        rid,
    )
    .actor(user.user_id)
    .detail(json!({"status": status.as_u16(), "resource": r.resource,
        "subresource": r.subresource, "namespace": r.namespace, "name": r.name}))
    .result(result);
    if let Some((id, name)) = tenant {
        a = a.tenant(id, &name);
    }
    audit::record_standalone(&state.db, a).await;
}

/// The tenant owning a namespace (for platform admins' writes, which name no membership).
async fn tenant_of(state: &AppState, ns: &str) -> Option<(uuid::Uuid, String)> {
    sqlx::query!(
        r#"SELECT t.id, t.name FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
           WHERE n.name = $1 AND n.sync_state <> 'removed'"#,
        ns
    )
    .fetch_optional(&state.db)
    .await
    .ok()
    .flatten()
    .map(|r| (r.id, r.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)]) -> http::Response<kube::client::Body> {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(kube::client::Body::empty()).unwrap()
    }

    #[test]
    fn pod_answers_are_sandboxed_and_never_redirect() {
        let e =
            pod_proxy_answer(answer(302, &[("location", "https://evil.example/")])).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_GATEWAY);
        assert!(e.message.contains("evil.example"), "{}", e.message);
        let ok = pod_proxy_answer(answer(
            200,
            &[
                ("set-cookie", "portal=stolen"),
                ("content-type", "text/html"),
            ],
        ))
        .unwrap();
        assert!(ok.headers().get(header::SET_COOKIE).is_none());
        assert!(
            ok.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .starts_with("sandbox")
        );
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "text/html");
    }

    #[test]
    fn forbidden_messages_read_like_the_apiservers() {
        let user = ProxyUser {
            user_id: uuid::Uuid::nil(),
            username: "bob".into(),
            credential: caller::Credential::Session(uuid::Uuid::nil()),
            namespaces: Default::default(),
            authz: Default::default(),
        };
        let ApiRequest::Resource(r) =
            path::parse(&http::Method::GET, "/api/v1/namespaces/x/pods/p/log", None).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            forbidden_message(&user, &r, "why"),
            "pods \"p\" is forbidden: User \"bob\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"x\": why"
        );
    }
}
