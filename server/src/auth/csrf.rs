//! Cross-site request protection for cookie-authenticated writes: a mutating request must come
//! from the portal's own origin (`Sec-Fetch-Site` / `Origin`), in addition to SameSite cookies.
//! Requests with a bearer token carry no ambient credentials and are not checked.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

fn refused(why: &str) -> Response {
    ApiError::Forbidden(format!("cross-site request refused: {why}")).into_response()
}

/// The host (and port) of an origin such as `https://portal.example:8443`.
fn origin_host(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer = req.headers().contains_key(header::AUTHORIZATION);
    if safe || bearer {
        return next.run(req).await;
    }
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return refused(&format!("Sec-Fetch-Site is {site}"));
    }
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let expected = match &state.settings.public_url {
            Some(u) => origin_host(u.as_str()),
            None => h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        };
        let got = origin_host(origin);
        if got.is_none() || got != expected {
            return refused(&format!("Origin {origin} is not this portal"));
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_host_keeps_the_port() {
        assert_eq!(
            super::origin_host("http://127.0.0.1:8080").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(
            super::origin_host("https://portal.example").as_deref(),
            Some("portal.example")
        );
        assert_eq!(super::origin_host("null"), None);
    }
}
