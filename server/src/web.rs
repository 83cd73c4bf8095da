//! The portal's HTTP application. For now a placeholder page and a health check; the portal
//! API, the proxy and the web app arrive with their issues.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

/// The portal's router (tests build the same one).
pub fn app() -> Router {
    Router::new()
        .route("/", get(|| async { Html("<!doctype html><title>ku8portal</title><h1>ku8portal</h1><p>The portal is under construction. Try <code>ku8portal simcluster</code>.</p>") }))
        .route("/healthz", get(|| async { "ok" }))
}

/// Serve the portal until Ctrl-C / SIGTERM.
pub async fn serve(listen: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    tracing::info!(%listen, "ku8portal listening");
    axum::serve(listener, app())
        .with_graceful_shutdown(crate::cli::shutdown_signal())
        .await?;
    Ok(())
}
