//! Who is calling: password login with sessions in Postgres, personal API tokens, the
//! `Principal` extractor every handler uses, cross-site request protection and login rate limits.

pub mod csrf;
pub mod password;
pub mod principal;
pub mod ratelimit;
pub mod session;
pub mod tokens;

pub use principal::{Membership, Principal};

use axum::Router;
use axum::routing::{delete, get, post};

use crate::proxy::kubeconfig;
use crate::state::AppState;

/// `/api/v1/auth/...` and `/api/v1/me/...`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(session::login))
        .route("/api/v1/auth/logout", post(session::logout))
        .route("/api/v1/auth/me", get(session::me))
        .route("/api/v1/me/password", post(session::change_password))
        .route("/api/v1/me/tokens", get(tokens::list).post(tokens::create))
        .route("/api/v1/me/tokens/{id}", delete(tokens::revoke))
        .route("/api/v1/me/kubeconfig", get(kubeconfig::kubeconfig))
}
