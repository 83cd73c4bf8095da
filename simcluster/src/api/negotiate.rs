//! Content negotiation: which representation the client accepts (JSON, YAML, Table,
//! PartialObjectMetadata, aggregated discovery) and building responses in it.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use serde_json::Value;

use crate::status::ApiError;

/// The representation a response is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    Json,
    Yaml,
    /// meta.k8s.io Table (`v` is "v1" or "v1beta1")
    Table(&'static str),
    /// PartialObjectMetadata / PartialObjectMetadataList
    Metadata,
    /// apidiscovery.k8s.io/v2 aggregated discovery
    AggregatedDiscovery(&'static str),
}

/// Media type and its parameters.
fn params(mt: &str) -> (String, Vec<(String, String)>) {
    let mut it = mt.split(';');
    let base = it.next().unwrap_or("").trim().to_ascii_lowercase();
    let ps = it
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    (base, ps)
}

fn param<'a>(ps: &'a [(String, String)], k: &str) -> Option<&'a str> {
    ps.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.as_str())
}

/// The first acceptable representation for an `Accept` header, `None` when nothing fits (406).
pub fn choose(accept: Option<&str>) -> Option<Repr> {
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Some(Repr::Json);
    };
    for mt in accept.split(',') {
        let (base, ps) = params(mt);
        match base.as_str() {
            "application/json" | "application/*" | "*/*" => {
                let repr = match (param(&ps, "as"), param(&ps, "g"), param(&ps, "v")) {
                    (None, _, _) => Some(Repr::Json),
                    (Some("Table"), Some("meta.k8s.io"), Some("v1")) => Some(Repr::Table("v1")),
                    (Some("Table"), Some("meta.k8s.io"), Some("v1beta1")) => {
                        Some(Repr::Table("v1beta1"))
                    }
                    (
                        Some("PartialObjectMetadata" | "PartialObjectMetadataList"),
                        Some("meta.k8s.io"),
                        Some("v1"),
                    ) => Some(Repr::Metadata),
                    (Some("APIGroupDiscoveryList"), Some("apidiscovery.k8s.io"), Some("v2")) => {
                        Some(Repr::AggregatedDiscovery("v2"))
                    }
                    (
                        Some("APIGroupDiscoveryList"),
                        Some("apidiscovery.k8s.io"),
                        Some("v2beta1"),
                    ) => Some(Repr::AggregatedDiscovery("v2beta1")),
                    _ => None,
                };
                if repr.is_some() {
                    return repr;
                }
            }
            "application/yaml" => return Some(Repr::Yaml),
            _ => {}
        }
    }
    None
}

/// The 406 answer.
pub fn not_acceptable() -> ApiError {
    ApiError::new(
        406,
        "NotAcceptable",
        "406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch",
    )
    .with_details(serde_json::Map::new())
}

/// A JSON response with the exact `Content-Type` given.
pub fn json_with_type(status: u16, body: &Value, content_type: &str) -> Response<Body> {
    let mut bytes = serde_json::to_vec(body).unwrap_or_default();
    bytes.push(b'\n');
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    );
    r
}

/// Render an object in the chosen representation (JSON or YAML; Table and metadata
/// conversions happen before).
pub fn object(status: u16, body: &Value, repr: Repr) -> Response<Body> {
    match repr {
        Repr::Yaml => {
            let text = serde_yaml::to_string(body).unwrap_or_default();
            let mut r = Response::new(Body::from(text));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/yaml"),
            );
            r
        }
        Repr::Table(v) => json_with_type(
            status,
            body,
            &format!("application/json;as=Table;v={v};g=meta.k8s.io"),
        ),
        _ => json_with_type(status, body, "application/json"),
    }
}

/// Render any serializable body as JSON or YAML (lists serialized without building a Value).
pub fn serialized<T: serde::Serialize>(status: u16, body: &T, repr: Repr) -> Response<Body> {
    let (bytes, ct) = match repr {
        Repr::Yaml => (
            serde_yaml::to_string(body).unwrap_or_default().into_bytes(),
            "application/yaml",
        ),
        _ => {
            let mut b = serde_json::to_vec(body).unwrap_or_default();
            b.push(b'\n');
            (b, "application/json")
        }
    };
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    r
}

/// Render an error as a `Status` (or the plain-text 404 of the Go mux).
pub fn error(e: &ApiError) -> Response<Body> {
    if e.plain_text {
        let mut r = Response::new(Body::from(e.message.clone()));
        *r.status_mut() = StatusCode::from_u16(e.code).unwrap_or(StatusCode::NOT_FOUND);
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        r.headers_mut().insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        return r;
    }
    json_with_type(e.code, &e.to_status(), "application/json")
}

/// A plain-text answer (`/healthz` and friends).
pub fn text(status: u16, body: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_table_then_falls_back() {
        assert_eq!(
            choose(Some(
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
            )),
            Some(Repr::Table("v1"))
        );
        assert_eq!(
            choose(Some("application/vnd.kubernetes.protobuf, */*")),
            Some(Repr::Json)
        );
        assert_eq!(choose(Some("text/html")), None);
        assert_eq!(choose(None), Some(Repr::Json));
        assert_eq!(choose(Some("application/yaml")), Some(Repr::Yaml));
    }
}
