//! Authentication (bearer token, anonymous, impersonation) and the simulator's authorization:
//! the admin may do everything, everybody else only reads the public health and version paths.

use axum::http::{HeaderMap, Method};

use super::path::ResourcePath;
use crate::cluster::Sim;
use crate::status::ApiError;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Holder of the admin token (member of system:masters).
    Admin,
    /// A named user without rights (anonymous, or impersonated).
    User { name: String, groups: Vec<String> },
}

impl Identity {
    fn name(&self) -> &str {
        match self {
            Identity::Admin => "simcluster-admin",
            Identity::User { name, .. } => name,
        }
    }
}

/// Paths the real apiserver opens to everyone (system:public-info-viewer).
const PUBLIC_PATHS: &[&str] = &["/version", "/version/", "/healthz", "/livez", "/readyz"];

/// Identify the caller. A wrong bearer token is 401; no token is `system:anonymous`.
pub fn authenticate(sim: &Sim, headers: &HeaderMap) -> Result<Identity, ApiError> {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    let base = match auth {
        None => Identity::User {
            name: "system:anonymous".into(),
            groups: vec!["system:unauthenticated".into()],
        },
        Some(v) => {
            let token = v
                .strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .map(str::trim);
            match token {
                Some(t) if constant_time_eq(t.as_bytes(), sim.admin_token.as_bytes()) => {
                    Identity::Admin
                }
                _ => return Err(ApiError::unauthorized()),
            }
        }
    };
    let imp_user = headers
        .get("impersonate-user")
        .and_then(|v| v.to_str().ok());
    let imp_groups: Vec<String> = headers
        .get_all("impersonate-group")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    match (imp_user, &base) {
        (None, _) if imp_groups.is_empty() => Ok(base),
        (Some(user), Identity::Admin) => {
            if imp_groups.iter().any(|g| g == "system:masters") {
                Ok(Identity::Admin)
            } else {
                Ok(Identity::User {
                    name: user.to_string(),
                    groups: imp_groups,
                })
            }
        }
        (None, Identity::Admin) => Err(ApiError::new(
            500,
            "InternalError",
            "Internal error occurred: requested [{Group  golden-group   authentication.k8s.io/v1  }] without impersonating a user",
        )),
        _ => Err(ApiError::forbidden(
            "users",
            "",
            imp_user.unwrap_or(""),
            &format!(
                "User {:?} cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                base.name()
            ),
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Non-resource paths: public ones for everybody, the rest for the admin.
pub fn authorize_path(id: &Identity, path: &str, method: &Method) -> Result<(), ApiError> {
    if *id == Identity::Admin || PUBLIC_PATHS.contains(&path) {
        return Ok(());
    }
    let verb = method.as_str().to_ascii_lowercase();
    Err(ApiError::new(
        403,
        "Forbidden",
        format!(
            "forbidden: User {:?} cannot {verb} path {path:?}",
            id.name()
        ),
    )
    .with_details(serde_json::Map::new()))
}

/// Resource requests: only the admin is authorized.
pub fn authorize_resource(id: &Identity, verb: &str, rp: &ResourcePath) -> Result<(), ApiError> {
    if *id == Identity::Admin {
        return Ok(());
    }
    let resource = if rp.subresource.is_empty() {
        rp.resource.clone()
    } else {
        format!("{}/{}", rp.resource, rp.subresource)
    };
    let scope = if rp.namespace.is_empty() {
        "at the cluster scope".to_string()
    } else {
        format!("in the namespace {:?}", rp.namespace)
    };
    let why = format!(
        "User {:?} cannot {verb} resource {resource:?} in API group {:?} {scope}",
        id.name(),
        rp.group
    );
    Err(ApiError::forbidden(&rp.resource, &rp.group, &rp.name, &why))
}
