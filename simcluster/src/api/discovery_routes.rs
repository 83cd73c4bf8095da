//! Non-resource endpoints: `/version`, health checks, discovery documents and OpenAPI.

use axum::body::Body;
use axum::http::{Method, Response};
use serde_json::json;

use super::Query;
use super::negotiate::{self, Repr};
use super::path::Target;
use crate::cluster::Sim;
use crate::status::ApiError;

/// The Kubernetes version the simulator follows.
pub const GIT_VERSION: &str = "v1.36.2-simcluster";

fn version_doc(sim: &Sim) -> serde_json::Value {
    json!({
        "major": "1",
        "minor": "36",
        "emulationMajor": "1",
        "emulationMinor": "36",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "35",
        "gitVersion": GIT_VERSION,
        "gitCommit": env!("CARGO_PKG_VERSION"),
        "gitTreeState": "clean",
        "buildDate": sim.started.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "goVersion": "simcluster (Rust)",
        "compiler": "gc",
        "platform": format!("{}/{}", std::env::consts::OS, if std::env::consts::ARCH == "x86_64" { "amd64" } else { std::env::consts::ARCH }),
    })
}

/// A pre-serialized JSON document.
fn raw_json(text: &str, content_type: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_string()));
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(content_type),
    );
    r
}

fn get_only(method: &Method) -> Result<(), ApiError> {
    if method == Method::GET || method == Method::HEAD {
        Ok(())
    } else {
        Err(ApiError::method_not_allowed())
    }
}

/// `/version`, `/healthz`..., `/openapi/...`; everything else is the mux's plain 404.
pub fn other(
    sim: &Sim,
    method: &Method,
    path: &str,
    repr: Option<Repr>,
    _q: &Query,
) -> Result<Response<Body>, ApiError> {
    match path {
        "/version" => {
            get_only(method)?;
            Ok(negotiate::object(200, &version_doc(sim), Repr::Json))
        }
        "/healthz" | "/readyz" | "/livez" => {
            get_only(method)?;
            Ok(negotiate::text(200, "ok"))
        }
        "/openapi/v2" => {
            get_only(method)?;
            let _ = repr;
            Ok(raw_json(
                crate::schema::openapi_v2_json(),
                "application/json",
            ))
        }
        "/openapi/v3" => {
            get_only(method)?;
            let mut index = crate::schema::openapi_v3_index();
            for (path, doc) in custom_v3_docs(sim) {
                let url = format!(
                    "/openapi/v3/{path}?hash={}",
                    crate::crd::openapi::hash(&doc)
                );
                index["paths"][path] = json!({ "serverRelativeURL": url });
            }
            Ok(negotiate::json_with_type(
                200,
                &index,
                "text/plain; charset=utf-8",
            ))
        }
        p if p.starts_with("/openapi/v3/") => {
            get_only(method)?;
            let gv = &p["/openapi/v3/".len()..];
            if let Some(doc) = crate::schema::openapi_v3_doc(gv) {
                return Ok(raw_json(&doc.json, "application/json"));
            }
            match custom_v3_docs(sim).into_iter().find(|(path, _)| path == gv) {
                Some((_, doc)) => Ok(negotiate::json_with_type(200, &doc, "application/json")),
                None => Err(ApiError::page_not_found()),
            }
        }
        p if p.starts_with("/healthz/")
            || p.starts_with("/readyz/")
            || p.starts_with("/livez/") =>
        {
            get_only(method)?;
            Ok(negotiate::text(200, "ok"))
        }
        _ => Err(ApiError::page_not_found()),
    }
}

/// The v3 documents of the custom resource group versions (`apis/<group>/<version>`).
fn custom_v3_docs(sim: &Sim) -> Vec<(String, serde_json::Value)> {
    let registry = sim.registry.current();
    let mut gvs: Vec<(String, String)> = registry
        .resources()
        .filter(|r| r.custom.is_some())
        .map(|r| (r.group.clone(), r.version.clone()))
        .collect();
    gvs.dedup();
    gvs.into_iter()
        .map(|(g, v)| {
            let resources = registry.resources_of(&g, &v);
            (
                format!("apis/{g}/{v}"),
                crate::crd::openapi::v3_doc(&resources),
            )
        })
        .collect()
}

/// `/api`, `/apis`, `/apis/{group}`, `/api/v1`, `/apis/{group}/{version}`.
pub fn discovery(
    sim: &Sim,
    method: &Method,
    target: &Target,
    repr: Option<Repr>,
) -> Result<Response<Body>, ApiError> {
    get_only(method)?;
    let aggregated = matches!(repr, Some(Repr::AggregatedDiscovery(_)));
    let aggregated_type = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    match target {
        Target::CoreVersions if aggregated => Ok(negotiate::json_with_type(
            200,
            &sim.registry.current().aggregated_core(),
            aggregated_type,
        )),
        Target::Groups if aggregated => Ok(negotiate::json_with_type(
            200,
            &sim.registry.current().aggregated_apis(),
            aggregated_type,
        )),
        Target::CoreVersions => Ok(negotiate::object(
            200,
            &sim.registry.current().api_versions(&sim.server_address),
            Repr::Json,
        )),
        Target::Groups => Ok(negotiate::object(
            200,
            &sim.registry.current().group_list(),
            Repr::Json,
        )),
        Target::Group(g) => sim
            .registry
            .current()
            .group(g)
            .map(|d| negotiate::object(200, &d, Repr::Json))
            .ok_or_else(ApiError::page_not_found),
        Target::ResourceList { group, version } => {
            match sim.registry.current().resource_list(group, version) {
                Some(d) => Ok(negotiate::object(200, &d, Repr::Json)),
                None if group.is_empty() => Err(ApiError::resource_not_found()),
                None => Err(ApiError::page_not_found()),
            }
        }
        _ => Err(ApiError::page_not_found()),
    }
}
