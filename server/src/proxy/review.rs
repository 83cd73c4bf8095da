//! The "what may I do" questions kubectl asks (`auth can-i`, `auth can-i --list`, `auth
//! whoami`), answered by the portal from its own rules: the cluster would answer for the
//! portal's credentials, not the caller's.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::authz::{Decision, authorize};
use super::caller::ProxyUser;
use super::discovery;
use super::error::{ProxyError, ProxyResult};
use super::path::{ApiRequest, ResourceRequest, Verb};
use crate::state::AppState;

/// The review in the body: JSON, or protobuf as kubectl sends it.
fn read_review(body: &Bytes) -> ProxyResult<Value> {
    let unreadable = |e: String| ProxyError::bad_request(format!("the review cannot be read: {e}"));
    let v: Value = if body.starts_with(simcluster::protobuf::MAGIC) {
        simcluster::protobuf::decode(body).map_err(unreadable)?
    } else {
        serde_json::from_slice(body).map_err(|e| unreadable(e.to_string()))?
    };
    if !v.is_object() {
        return Err(ProxyError::bad_request("the review must be a JSON object"));
    }
    Ok(v)
}

fn created(mut review: Value, status: Value) -> Response {
    review["status"] = status;
    (StatusCode::CREATED, axum::Json(review)).into_response()
}

fn verb(s: &str) -> Option<Verb> {
    Some(match s {
        "get" => Verb::Get,
        "list" => Verb::List,
        "watch" => Verb::Watch,
        "create" => Verb::Create,
        "update" => Verb::Update,
        "patch" => Verb::Patch,
        "delete" => Verb::Delete,
        "deletecollection" => Verb::DeleteCollection,
        _ => return None,
    })
}

/// `SelfSubjectAccessReview`: may the caller do this?
pub async fn access(state: &AppState, user: &ProxyUser, body: &Bytes) -> ProxyResult<Response> {
    let review = read_review(body)?;
    let attr = |k: &str, v: &Value| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let spec = review.get("spec").cloned().unwrap_or(Value::Null);
    if let Some(nr) = spec.get("nonResourceAttributes") {
        let path = attr("path", nr);
        let read = attr("verb", nr) == "get";
        let public = [
            "/api", "/apis", "/version", "/openapi", "/healthz", "/readyz", "/livez",
        ]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
        let allowed = user.authz.platform_admin || (read && public);
        return Ok(created(review, json!({"allowed": allowed})));
    }
    let Some(ra) = spec.get("resourceAttributes") else {
        return Err(ProxyError::bad_request(
            "spec.resourceAttributes or spec.nonResourceAttributes is required",
        ));
    };
    let group = attr("group", ra);
    let resource = attr("resource", ra);
    let ns = attr("namespace", ra);
    let name = attr("name", ra);
    let sub = attr("subresource", ra);
    let Some(v) = verb(&attr("verb", ra)) else {
        let allowed = user.authz.platform_admin;
        let reason = (!allowed).then_some("the portal answers only for the standard verbs");
        return Ok(created(
            review,
            json!({"allowed": allowed, "reason": reason}),
        ));
    };
    let mut version = attr("version", ra);
    if version.is_empty() || version == "*" {
        version = preferred_version(state, &group).await?;
    }
    let info = discovery::lookup(state, &group, &version, &resource).await?;
    if info.is_none() && !user.authz.platform_admin {
        let reason = format!("the cluster serves no resource {resource:?} in group {group:?}");
        return Ok(created(review, json!({"allowed": false, "reason": reason})));
    }
    let namespaced = info.is_some_and(|i| i.namespaced);
    // kubectl sends its context's namespace even for cluster-scoped kinds.
    let req = ApiRequest::Resource(ResourceRequest {
        group,
        version,
        namespace: (!ns.is_empty() && namespaced).then_some(ns),
        resource,
        name: (!name.is_empty()).then_some(name),
        subresource: (!sub.is_empty()).then_some(sub),
        subpath: None,
        verb: v,
    });
    let status = match authorize(&user.authz, &req, namespaced) {
        Decision::Deny(why) => json!({"allowed": false, "denied": true, "reason": why}),
        _ => json!({"allowed": true}),
    };
    Ok(created(review, status))
}

/// The version discovery prefers for `group`.
async fn preferred_version(state: &AppState, group: &str) -> ProxyResult<String> {
    if group.is_empty() {
        return Ok("v1".into());
    }
    let req = http::Request::get(format!("/apis/{group}"))
        .body(Vec::new())
        .map_err(ProxyError::internal)?;
    let doc: Value = state.kube.request(req).await.unwrap_or(Value::Null);
    Ok(doc
        .pointer("/preferredVersion/version")
        .and_then(Value::as_str)
        .unwrap_or("v1")
        .to_string())
}

/// `SelfSubjectReview` (`kubectl auth whoami`).
pub fn whoami(user: &ProxyUser, body: &Bytes) -> ProxyResult<Response> {
    let review = read_review(body)?;
    // One group per tenant (namespaces are ordered by name, not by tenant).
    let mut groups: Vec<String> = user
        .namespaces
        .values()
        .map(|a| format!("ku8portal:tenant:{}:{}", a.tenant, a.role))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if user.authz.platform_admin {
        groups.push("ku8portal:platform-admin".into());
    }
    groups.push("system:authenticated".into());
    Ok(created(
        review,
        json!({"userInfo": {"username": user.username, "uid": user.user_id.to_string(), "groups": groups}}),
    ))
}

/// `SelfSubjectRulesReview` (`kubectl auth can-i --list`): the caller's rules in one namespace,
/// as far as RBAC rules can say them (the exceptions are named in `evaluationError`).
pub fn rules(user: &ProxyUser, body: &Bytes) -> ProxyResult<Response> {
    let review = read_review(body)?;
    let ns = review
        .pointer("/spec/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let read = ["get", "list", "watch"];
    let write = ["create", "update", "patch", "delete", "deletecollection"];
    let all = |verbs: &[&str]| json!({"verbs": verbs, "apiGroups": ["*"], "resources": ["*"]});
    let rules = if user.authz.platform_admin {
        vec![json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]})]
    } else {
        match user.authz.namespaces.get(ns) {
            None => vec![],
            Some(role) if *role >= api_types::portal::Role::TenantMember => {
                vec![all(&read), all(&write)]
            }
            Some(_) => vec![all(&read)],
        }
    };
    Ok(created(
        review,
        json!({"resourceRules": rules, "nonResourceRules": [
        {"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/version", "/openapi/*"]}],
        "incomplete": !user.authz.platform_admin,
        "evaluationError": if user.authz.platform_admin { "" } else {
            "the portal also refuses: writes to ResourceQuotas and LimitRanges, RBAC below tenant-admin, status/binding/token subresources, exec/attach/port-forward, privileged or host-access pods"
        }}),
    ))
}

#[cfg(test)]
mod tests {
    use api_types::portal::Role;
    use uuid::Uuid;

    use super::super::caller::{Credential, NsAccess, ProxyUser};

    #[test]
    fn whoami_names_each_tenant_once() {
        let ns = |t: &str| NsAccess {
            role: Role::TenantMember,
            tenant_id: Uuid::nil(),
            tenant: t.into(),
        };
        let user = ProxyUser {
            user_id: Uuid::nil(),
            username: "bob".into(),
            credential: Credential::Session(Uuid::nil()),
            namespaces: [
                ("a".into(), ns("acme")),
                ("b".into(), ns("globex")),
                ("c".into(), ns("acme")),
            ]
            .into(),
            authz: Default::default(),
        };
        let resp = super::whoami(&user, &axum::body::Bytes::from_static(b"{}")).unwrap();
        let body =
            futures::executor::block_on(axum::body::to_bytes(resp.into_body(), 1 << 20)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v["status"]["userInfo"]["groups"],
            serde_json::json!([
                "ku8portal:tenant:acme:tenant-member",
                "ku8portal:tenant:globex:tenant-member",
                "system:authenticated"
            ])
        );
    }
}
