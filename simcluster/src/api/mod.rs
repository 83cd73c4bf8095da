//! The HTTP face of the simulated apiserver: one dispatcher that authenticates, parses the path
//! like kube-apiserver, authorizes, negotiates the representation and calls the verb handlers.

mod auth;
mod decode;
mod delete;
mod discovery_routes;
pub mod events_v1;
mod internal;
mod metrics;
pub mod negotiate;
mod options;
mod patching;
pub mod path;
mod pod_binding;
mod pod_log;
mod proxy;
mod read;
mod subresource;
mod watch;
mod write;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, Response};

use crate::cluster::Sim;
use crate::discovery::ResourceInfo;
use crate::status::ApiError;
pub use auth::Identity;
pub use internal::create_as_admin;
use negotiate::Repr;
use path::{ResourcePath, Target};

/// Largest request body accepted (the real apiserver's 3 MiB limit).
pub const MAX_BODY: usize = 3 * 1024 * 1024;
/// How much of an oversized body is still read (and dropped) before answering 413.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// The router serving the whole Kubernetes API of `sim`.
pub fn router(sim: Arc<Sim>) -> Router {
    Router::new().fallback(dispatch).with_state(sim)
}

/// Query parameters, multi-valued like Go's url.Values.
#[derive(Debug, Default, Clone)]
pub struct Query(pub HashMap<String, Vec<String>>);

impl Query {
    fn parse(q: Option<&str>) -> Self {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(q) = q {
            for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
                m.entry(k.into_owned()).or_default().push(v.into_owned());
            }
        }
        Query(m)
    }
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).and_then(|v| v.first()).map(String::as_str)
    }
    pub fn all(&self, k: &str) -> &[String] {
        self.0.get(k).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Everything a verb handler needs about one resource request.
pub struct Ctx {
    pub sim: Arc<Sim>,
    pub info: ResourceInfo,
    pub path: ResourcePath,
    pub query: Query,
    pub headers: HeaderMap,
    pub repr: Repr,
    pub identity: Identity,
}

impl Ctx {
    /// Storage key prefix of the resource (`pods`, `apps/deployments`).
    pub fn storage_resource(&self) -> String {
        storage_resource(&self.info.group, &self.info.plural)
    }
}

/// Storage resource name for a group and plural.
pub fn storage_resource(group: &str, plural: &str) -> String {
    if let Some(shared) = events_v1::storage_alias(group, plural) {
        return shared.to_string();
    }
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{group}/{plural}")
    }
}

async fn dispatch(State(sim): State<Arc<Sim>>, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    match handle(sim, parts.method, parts.uri, parts.headers, body).await {
        Ok(r) => r,
        Err(e) => negotiate::error(&e),
    }
}

async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt as _;
    let mut body = body;
    let mut buf = bytes::BytesMut::new();
    let mut seen: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| ApiError::bad_request(format!("error reading request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen <= MAX_BODY {
                buf.extend_from_slice(&data);
            } else if seen > DRAIN_LIMIT {
                break;
            }
        }
    }
    // Oversized bodies are read to the end (up to a bound) so that the client sees the 413
    // instead of a connection reset while it is still sending.
    if seen > MAX_BODY {
        return Err(ApiError::too_large());
    }
    Ok(buf.freeze())
}

async fn handle(
    sim: Arc<Sim>,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response<Body>, ApiError> {
    let identity = auth::authenticate(&sim, &headers)?;
    let query = Query::parse(uri.query());
    let target = path::parse(uri.path());
    let repr = negotiate::choose(headers.get("accept").and_then(|v| v.to_str().ok()));
    match target {
        Target::Other(p) => {
            auth::authorize_path(&identity, &p, &method)?;
            discovery_routes::other(&sim, &method, &p, repr, &query)
        }
        Target::CoreVersions | Target::Groups | Target::Group(_) | Target::ResourceList { .. } => {
            auth::authorize_path(&identity, uri.path(), &method)?;
            discovery_routes::discovery(&sim, &method, &target, repr)
        }
        Target::Resource(rp) => {
            let info = resolve(&sim, &rp)?;
            if rp.subresource == "proxy" {
                let verb = if matches!(method, Method::GET | Method::HEAD) {
                    "get"
                } else {
                    "create"
                };
                auth::authorize_resource(&identity, verb, &rp)?;
                let ctx = Ctx {
                    sim,
                    info,
                    path: rp,
                    query,
                    headers,
                    repr: Repr::Json,
                    identity,
                };
                return proxy::handle(&ctx, &method, &uri, read_body(body).await?);
            }
            let verb = verb_for(&method, &rp, &query)?;
            if !info.has_verb(verb) && rp.subresource.is_empty() {
                return Err(ApiError::method_not_allowed());
            }
            auth::authorize_resource(&identity, verb, &rp)?;
            // Logs are text/plain whatever the client accepts.
            let repr = repr
                .or((rp.subresource == "log").then_some(Repr::Json))
                .ok_or_else(negotiate::not_acceptable)?;
            let ctx = Ctx {
                sim,
                info,
                path: rp,
                query,
                headers,
                repr,
                identity,
            };
            if ctx.info.group == crate::discovery::METRICS_GROUP {
                return metrics::handle(&ctx, verb);
            }
            if !ctx.path.subresource.is_empty() {
                let bytes = read_body(body).await?;
                return subresource::handle(&ctx, verb, bytes).await;
            }
            match verb {
                "get" => read::get(&ctx),
                "list" => read::list(&ctx),
                "watch" => watch::watch(ctx).await,
                "create" => write::create(&ctx, read_body(body).await?),
                "update" => write::update(&ctx, read_body(body).await?),
                "patch" => write::patch(&ctx, read_body(body).await?),
                "delete" => delete::delete(&ctx, read_body(body).await?),
                "deletecollection" => delete::delete_collection(&ctx, read_body(body).await?),
                _ => Err(ApiError::method_not_allowed()),
            }
        }
    }
}

/// Find the resource in discovery; unknown groups get the mux's plain 404, unknown resources
/// in a known group version the JSON "could not find the requested resource".
fn resolve(sim: &Sim, rp: &ResourcePath) -> Result<ResourceInfo, ApiError> {
    let registry = sim.registry.current();
    if !rp.group.is_empty() && !registry.has_group_version(&rp.group, &rp.version) {
        return Err(ApiError::page_not_found());
    }
    if rp.resource.is_empty() {
        return Err(ApiError::resource_not_found());
    }
    let info = registry
        .lookup(&rp.group, &rp.version, &rp.resource)
        .ok_or_else(ApiError::resource_not_found)?;
    if !info.namespaced && !rp.namespace.is_empty() {
        return Err(ApiError::resource_not_found());
    }
    if !rp.subresource.is_empty() && info.subresource(&rp.subresource).is_none() {
        return Err(ApiError::resource_not_found());
    }
    Ok(info.clone())
}

/// The Kubernetes verb of a request (`list` vs `get`, `watch`, `deletecollection`).
fn verb_for(method: &Method, rp: &ResourcePath, q: &Query) -> Result<&'static str, ApiError> {
    let named = !rp.name.is_empty();
    let watch = matches!(q.get("watch"), Some("1" | "true"));
    Ok(match (method.as_str(), named) {
        ("GET" | "HEAD", false) if watch => "watch",
        ("GET" | "HEAD", true) if watch && rp.subresource.is_empty() => "watch",
        ("GET" | "HEAD", false) => "list",
        ("GET" | "HEAD", true) => "get",
        ("POST", false) => "create",
        ("POST", true) if !rp.subresource.is_empty() => "create",
        ("PUT", true) => "update",
        ("PATCH", true) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => return Err(ApiError::method_not_allowed()),
    })
}
