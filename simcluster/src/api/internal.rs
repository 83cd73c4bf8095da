//! Writes from inside the simulator (the seeded world) through the same create pipeline as an
//! API request of the cluster admin: schema check, defaults, admission, validation.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::HeaderMap;
use serde_json::Value;

use super::negotiate::Repr;
use super::options::{FieldValidation, write_options};
use super::path::ResourcePath;
use super::{Ctx, Identity, Query};
use crate::cluster::Sim;
use crate::status::ApiError;

/// Create `obj` of `plural` (`api_version` like `apps/v1`) in `namespace` as `manager`.
pub fn create_as_admin(
    sim: &Arc<Sim>,
    api_version: &str,
    plural: &str,
    namespace: &str,
    mut obj: Value,
    manager: &str,
) -> Result<Value, ApiError> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let info = sim
        .registry
        .current()
        .lookup(group, version, plural)
        .cloned()
        .ok_or_else(ApiError::resource_not_found)?;
    let av = info.api_version();
    super::decode::check_kind(&mut obj, &info.kind, &av, version, &sim.registry.current())?;
    super::decode::check_schema(&mut obj, &info.kind, &av, FieldValidation::Strict)?;
    let query = Query(HashMap::from([(
        "fieldManager".to_string(),
        vec![manager.to_string()],
    )]));
    let path = ResourcePath {
        group: group.into(),
        version: version.into(),
        namespace: namespace.into(),
        resource: plural.into(),
        ..Default::default()
    };
    let ctx = Ctx {
        sim: sim.clone(),
        info,
        path,
        query,
        headers: HeaderMap::new(),
        repr: Repr::Json,
        identity: Identity::Admin,
    };
    let opts = write_options(&ctx.query, "CreateOptions")?;
    super::write::create_object(&ctx, obj, &opts)
}
