//! The browser side of the portal: the Leptos web app built into `frontend/dist` and embedded
//! in the binary at compile time (`build.rs`), served at `/` and for every non-API path (the
//! app routes in the browser). Hashed files under `/static/` are cached for a year; `index.html`
//! is revalidated every time. Brotli or gzip versions made at build time are sent to browsers
//! that accept them.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

/// One embedded file of the built web app.
pub struct Asset {
    /// Path inside `frontend/dist`, e.g. `index.html` or `static/ku8portal-0123abcd.wasm`.
    pub path: &'static str,
    pub body: &'static [u8],
    pub br: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>ku8portal</title>\
<h1>ku8portal</h1><p>This binary was built without the web app. Build it with \
<code>scripts/build-frontend.sh</code> and then rebuild the server (<code>cargo build -p ku8portal</code>); \
<code>scripts/test.sh</code> does both.</p><p>The portal API is at <code>/api/v1</code> \
(see <a href=\"/api/v1/openapi.json\">its OpenAPI description</a>).</p>";

/// `Content-Security-Policy` of the app's pages: only the portal's own scripts, styles and API.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Environment variable naming a folder to serve the web app from instead of the embedded copy
/// (for working on the web app without rebuilding the server).
pub const DIR_ENV: &str = "KU8PORTAL_WEB_DIR";

fn find(path: &str) -> Option<&'static Asset> {
    if let Some(dir) = std::env::var_os(DIR_ENV) {
        return from_dir(std::path::Path::new(&dir), path);
    }
    FILES.iter().find(|a| a.path == path)
}

/// A file of `dir` (read on each request and leaked: a development aid, never for production).
fn from_dir(dir: &std::path::Path, path: &str) -> Option<&'static Asset> {
    if path.split('/').any(|s| s == ".." || s.is_empty()) {
        return None;
    }
    let file = dir.join(path);
    let read = |ext: &str| {
        let mut p = file.clone().into_os_string();
        p.push(ext);
        std::fs::read(p).ok().map(|b| &*Vec::leak(b))
    };
    let body = read("")?;
    let path = String::leak(path.to_string());
    Some(Box::leak(Box::new(Asset {
        path,
        body,
        br: read(".br"),
        gzip: read(".gz"),
    })))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether the request's `Accept-Encoding` lists `coding` (with a non-zero q).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';');
            let name = it.next().unwrap_or("").trim();
            let q_zero = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (name.eq_ignore_ascii_case(coding) || name == "*") && !q_zero
        })
}

fn respond(asset: &'static Asset, headers: &HeaderMap, cache: &'static str) -> Response {
    let (body, encoding) = match (asset.br, asset.gzip) {
        (Some(br), _) if accepts(headers, "br") => (br, Some("br")),
        (_, Some(gz)) if accepts(headers, "gzip") => (gz, Some("gzip")),
        _ => (asset.body, None),
    };
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(asset.path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if asset.br.is_some() || asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    if asset.path.ends_with(".html") {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    resp
}

/// The app's page (`index.html`): every browser route starts here.
pub async fn index(headers: HeaderMap) -> Response {
    match find("index.html") {
        Some(asset) => respond(asset, &headers, "no-cache"),
        None => Html(NOT_BUILT).into_response(),
    }
}

/// Any non-API path: an embedded file, or the app's page for the routes of the app.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served here\n",
        )
            .into_response();
    }
    let path = uri.path().trim_start_matches('/');
    if let Some(asset) = find(path).filter(|a| a.path != "index.html") {
        let cache = if path.starts_with("static/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return respond(asset, &headers, cache);
    }
    if path.starts_with("static/") || path.contains('.') && !path.contains('/') {
        // A missing file (an old hashed name, a typo): not the app's page.
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    }
    index(headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn accept_encoding() {
        assert!(accepts(&h("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&h("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts(&h("gzip, br;q=0"), "br"));
        assert!(accepts(&h("*"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    async fn get(path: &str, method: Method, enc: &str) -> Response {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route("/", axum::routing::get(crate::web::index))
            .fallback(serve);
        let req = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT_ENCODING, enc)
            .body(axum::body::Body::empty())
            .unwrap();
        app.oneshot(req).await.unwrap()
    }

    #[tokio::test]
    async fn app_routes_static_files_and_misses() {
        for path in ["/", "/tenants/acme/namespaces/shop", "/login?next=%2F"] {
            let r = get(path, Method::GET, "gzip").await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert!(
                r.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
        }
        assert_eq!(
            get("/static/ku8portal-0000.js", Method::GET, "")
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get("/robots.txt", Method::GET, "").await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get("/x", Method::POST, "").await.status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
        // With the web app built in: hashed files are immutable and sent compressed.
        for asset in FILES.iter().filter(|a| a.path.starts_with("static/")) {
            let r = get(&format!("/{}", asset.path), Method::GET, "gzip, br").await;
            assert_eq!(r.status(), StatusCode::OK);
            assert!(
                r.headers()[header::CACHE_CONTROL]
                    .to_str()
                    .unwrap()
                    .contains("immutable")
            );
            if asset.br.is_some() {
                assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
            }
            let plain = get(&format!("/{}", asset.path), Method::GET, "identity").await;
            assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        }
        if find("index.html").is_some() {
            let r = get("/", Method::GET, "").await;
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
            assert!(r.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("static/a-1.wasm"), "application/wasm");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
    }
}
