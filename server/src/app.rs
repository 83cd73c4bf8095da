//! `app(state) -> Router`: every feature's router, the session layer, cross-site protection,
//! body limits, request ids and security headers. Tests build the same router.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use crate::error::ApiError;
use crate::request_id;
use crate::state::AppState;
use crate::{audit, auth, health, namespaces, quota_requests, tenants, usage, users};

/// Largest request body the portal API accepts.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ku8portal_session";

/// The whole portal.
pub fn app(state: AppState) -> Router {
    let store = PostgresStore::new(state.db.clone());
    let idle = CookieDuration::seconds(state.settings.session_idle.as_secs() as i64);
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));
    let request_id = HeaderName::from_static(request_id::HEADER);
    let api = Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(tenants::router())
        .merge(namespaces::router())
        .merge(quota_requests::router())
        .merge(usage::router())
        .merge(crate::metrics::router())
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/openapi.json", get(crate::openapi::document))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::guard,
        ))
        .layer(sessions.clone())
        // `no-store` unless the answer says otherwise (charts are cached privately).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    // The cluster's answers keep their own headers (no `no-store` override).
    let k8s = crate::proxy::router()
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::guard,
        ))
        .layer(sessions);
    Router::new()
        .merge(api)
        .merge(k8s)
        .fallback(fallback)
        .method_not_allowed_fallback(
            |method: axum::http::Method, uri: axum::http::Uri| async move {
                ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
            },
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/", get(crate::web::index))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(refuse_oversized))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::from_fn(request_id::scope))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Bodies a client announces as larger than the limit are refused before any handler runs —
/// after reading them (up to `DRAIN_LIMIT`), so the client, still writing, gets the 413 instead
/// of a connection closed under it. (The Kubernetes proxy has its own, larger limit.)
async fn refuse_oversized(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (limit, proxied) = if req.uri().path().starts_with(crate::proxy::PREFIX) {
        (crate::proxy::BODY_LIMIT, true)
    } else {
        (BODY_LIMIT, false)
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match announced {
        Some(n) if n > limit => {
            if n <= DRAIN_LIMIT {
                let _ = axum::body::to_bytes(req.into_body(), DRAIN_LIMIT).await;
            }
            if proxied {
                crate::proxy::error::ProxyError::too_large().into_response()
            } else {
                ApiError::PayloadTooLarge("the request body is too large (limit 1 MiB)".into())
                    .into_response()
            }
        }
        _ => next.run(req).await,
    }
}

/// Oversized bodies up to this size are read (and dropped) before the 413 is sent.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Unknown paths: a JSON 404 under `/api`, the web app (its files, or its page) elsewhere.
async fn fallback(
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        ApiError::NotFound(format!("no API endpoint {}", uri.path())).into_response()
    } else {
        crate::web::serve(method, uri, headers).await
    }
}
