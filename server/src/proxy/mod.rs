//! The tenant-isolating Kubernetes API proxy under `/k8s`: the standard Kubernetes REST API for
//! the browser (session cookie) and kubectl (API token), every request parsed once (`path`),
//! decided from the caller's tenants and roles (`authz`), then forwarded with the portal's own
//! credentials (`upstream`), fanned out over the caller's namespaces (`fanout`), filtered
//! (`own_ns`) or answered by the portal itself (`review`); writes are checked (`body`) and
//! audited, long streams end when access does (`stream`). `kubeconfig` hands out the way in.

pub mod authz;
mod body;
pub mod caller;
mod discovery;
pub mod error;
mod fanout;
mod handler;
use handler as proxy;
pub mod kubeconfig;
mod merge;
mod own_ns;
mod page;
pub mod path;
mod query;
mod review;
mod stream;
mod upstream;

pub use handler::{BODY_LIMIT, PREFIX};

use axum::Router;
use axum::routing::any;

use crate::state::AppState;

/// The proxy's caches, kept in `AppState`.
#[derive(Default)]
pub struct ProxyState {
    pub callers: caller::CallerCache,
    pub discovery: discovery::DiscoveryCache,
}

/// `/k8s` (`PREFIX`) and everything under it, any method. (The Kubernetes API is described by
/// the cluster's own OpenAPI documents, served through the proxy at `/k8s/openapi/v2` and `/v3`.)
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/k8s", any(proxy::handle))
        .route("/k8s/", any(proxy::handle))
        .route("/k8s/{*rest}", any(proxy::handle))
}
