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
pub mod kubeconfig;
mod merge;
mod own_ns;
pub mod path;
mod query;
mod review;
mod stream;
mod upstream;

pub use handler::PREFIX;

use axum::Router;
use axum::routing::any;

use crate::state::AppState;

/// The proxy's caches, kept in `AppState`.
#[derive(Default)]
pub struct ProxyState {
    pub callers: caller::CallerCache,
    pub discovery: discovery::DiscoveryCache,
}

/// `/k8s` and everything under it, any method.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(PREFIX, any(handler::handle))
        .route(&format!("{PREFIX}/"), any(handler::handle))
        .route(&format!("{PREFIX}/{{*rest}}"), any(handler::handle))
}
