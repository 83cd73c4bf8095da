//! What the cluster serves, from its discovery documents: for each group/version, its resources
//! with their kind and whether they are namespaced. Cached per group/version; a resource the
//! cache does not know makes it refetch (at most every `REFRESH`), so new custom resources
//! appear without a restart.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::error::{ProxyError, ProxyResult};
use crate::state::AppState;

const REFRESH: Duration = Duration::from_secs(10);

/// One resource of a group/version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    pub namespaced: bool,
    pub kind: String,
}

type Resources = Arc<HashMap<String, ResourceInfo>>;

#[derive(Default)]
pub struct DiscoveryCache {
    by_gv: RwLock<HashMap<String, (Instant, Resources)>>,
}

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    }
}

/// The resource `group/version/resource`, or `None` when the cluster does not serve it.
pub async fn lookup(
    state: &AppState,
    group: &str,
    version: &str,
    resource: &str,
) -> ProxyResult<Option<ResourceInfo>> {
    let path = gv_path(group, version);
    let cached = {
        let map = state
            .proxy
            .discovery
            .by_gv
            .read()
            .unwrap_or_else(|e| e.into_inner());
        map.get(&path).cloned()
    };
    if let Some((at, res)) = &cached {
        if let Some(info) = res.get(resource) {
            return Ok(Some(info.clone()));
        }
        if at.elapsed() < REFRESH {
            return Ok(None);
        }
    }
    let res = fetch(state, &path).await?;
    let found = res.get(resource).cloned();
    state
        .proxy
        .discovery
        .by_gv
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(path, (Instant::now(), res));
    Ok(found)
}

async fn fetch(state: &AppState, path: &str) -> ProxyResult<Resources> {
    let req = http::Request::get(path)
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(ProxyError::internal)?;
    let doc: Value = match state.kube.request(req).await {
        Ok(v) => v,
        Err(kube::Error::Api(e)) if e.code == 404 => return Ok(Arc::default()),
        Err(e) => {
            return Err(ProxyError::unavailable(format!(
                "the cluster cannot be reached: {e}"
            )));
        }
    };
    Ok(Arc::new(parse(&doc)))
}

/// The resources of an `APIResourceList`, subresources (`pods/log`) included.
fn parse(doc: &Value) -> HashMap<String, ResourceInfo> {
    doc.get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some((
                r.get("name")?.as_str()?.to_string(),
                ResourceInfo {
                    namespaced: r.get("namespaced")?.as_bool()?,
                    kind: r.get("kind")?.as_str()?.to_string(),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn parses_resource_lists() {
        let doc = json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": "pods", "namespaced": true, "kind": "Pod", "verbs": ["get"]},
            {"name": "pods/log", "namespaced": true, "kind": "Pod", "verbs": ["get"]},
            {"name": "nodes", "namespaced": false, "kind": "Node", "verbs": ["get"]},
            {"name": "broken"}
        ]});
        let r = super::parse(&doc);
        assert_eq!(r.len(), 3);
        assert!(r["pods/log"].namespaced);
        assert!(!r["nodes"].namespaced);
        assert_eq!(r["pods"].kind, "Pod");
    }
}
