//! `GET /api/v1/me/kubeconfig`: a kubeconfig for kubectl through the portal's proxy — the
//! portal's URL, the certificate to trust when the portal serves TLS itself, the caller's API
//! token, and one context per namespace of the caller's tenants. Called with a token, the
//! kubeconfig carries that token; called from a browser session, a new token named
//! "kubeconfig" (90 days) is created for it and audited.

use api_types::portal::CreateToken;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::PREFIX;
use super::caller::{Credential, resolve};
use crate::auth::Principal;
use crate::auth::principal::Via;
use crate::error::{ApiError, ApiResult};
use crate::request_id::RequestId;
use crate::state::AppState;

/// How long a kubeconfig minted for a browser session works.
const SESSION_TOKEN_DAYS: u32 = 90;

pub async fn kubeconfig(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let secret = match p.via {
        Via::Token => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string())
            .ok_or_else(|| ApiError::Unauthenticated("no token".into()))?,
        Via::Session => {
            let req = CreateToken {
                name: "kubeconfig".into(),
                expires_in_days: Some(SESSION_TOKEN_DAYS),
            };
            crate::auth::tokens::mint(&state, &p, &rid, &req)
                .await?
                .secret
        }
    };
    let user = resolve(&state, &Credential::Session(p.user_id))
        .await
        .map_err(|e| ApiError::Unavailable(e.message))?
        .ok_or_else(|| ApiError::Unauthenticated("the user is disabled".into()))?;
    let mut contexts: Vec<(String, Option<String>)> = user
        .namespaces
        .iter()
        .map(|(ns, a)| (format!("{}/{ns}", a.tenant), Some(ns.clone())))
        .collect();
    if p.platform_admin {
        contexts.insert(0, ("ku8portal".to_string(), None));
    }
    let server = format!("{}{PREFIX}", base_url(&state, &headers));
    let doc = document(
        &server,
        state.settings.tls_trust_pem.as_deref(),
        &p.username,
        &secret,
        &contexts,
    );
    let yaml = serde_yaml::to_string(&doc).map_err(ApiError::internal)?;
    let disposition = format!(
        "attachment; filename=\"ku8portal-{}.kubeconfig\"",
        p.username
    );
    let mut resp = yaml.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/yaml"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// The portal's URL as its users reach it: `--public-url`, else this request's host.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.settings.public_url {
        return u.as_str().trim_end_matches('/').to_string();
    }
    let scheme = if state.settings.tls_trust_pem.is_some() {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// The kubeconfig document.
fn document(
    server: &str,
    ca_pem: Option<&str>,
    username: &str,
    secret: &str,
    contexts: &[(String, Option<String>)],
) -> Value {
    let mut cluster = json!({"server": server});
    if let Some(pem) = ca_pem {
        cluster["certificate-authority-data"] =
            json!(base64::engine::general_purpose::STANDARD.encode(pem));
    }
    let user_entry = format!("{username}@ku8portal");
    let ctx: Vec<Value> = contexts
        .iter()
        .map(|(name, ns)| {
            let mut c = json!({"cluster": "ku8portal", "user": user_entry});
            if let Some(ns) = ns {
                c["namespace"] = json!(ns);
            }
            json!({"name": name, "context": c})
        })
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "ku8portal", "cluster": cluster}],
        "users": [{"name": user_entry, "user": {"token": secret}}],
        "contexts": ctx,
        "current-context": contexts.first().map(|c| c.0.clone()).unwrap_or_default(),
        "preferences": {},
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_context_per_namespace() {
        let d = super::document(
            "https://portal:8443/k8s",
            Some("PEM"),
            "alice",
            "ku8p_x",
            &[
                ("acme/shop".into(), Some("shop".into())),
                ("acme/dev".into(), Some("dev".into())),
            ],
        );
        assert_eq!(d["current-context"], "acme/shop");
        assert_eq!(d["contexts"][1]["context"]["namespace"], "dev");
        assert_eq!(d["users"][0]["user"]["token"], "ku8p_x");
        assert_eq!(
            d["clusters"][0]["cluster"]["certificate-authority-data"],
            "UEVN"
        );
    }
}
