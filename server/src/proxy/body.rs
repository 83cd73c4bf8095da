//! What a tenant may send in a write: the body's namespace must be the URL's, and no pod may
//! ask for host access (privileged containers, hostPath volumes, hostNetwork/hostPID/hostIPC) and
//! no Service for `externalIPs` — refused with a 403 that names the field, in addition to the
//! Pod Security labels the reconciler puts on every namespace. Bodies are read in every
//! encoding kubectl uses (JSON, merge / strategic / JSON patches, apply YAML, protobuf — which
//! is passed on as JSON once read).

use axum::body::Bytes;
use serde_json::Value;

use super::error::{ProxyError, ProxyResult};
use super::path::ResourceRequest;

mod rbac;

/// A body that passed, and its content type if it was re-encoded.
pub struct Checked {
    pub body: Bytes,
    pub content_type: Option<&'static str>,
}

/// Keys whose values are user data (never pod specs): not searched.
const DATA_KEYS: &[&str] = &["data", "stringData", "binaryData", "annotations", "labels"];

/// Checks a tenant's write body for `r`.
pub fn check(r: &ResourceRequest, content_type: Option<&str>, body: Bytes) -> ProxyResult<Checked> {
    if body.is_empty() {
        return Ok(Checked {
            body,
            content_type: None,
        });
    }
    let media = content_type
        .unwrap_or("application/json")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let unreadable =
        |e: String| ProxyError::bad_request(format!("the request body cannot be read: {e}"));
    let (value, reencoded): (Value, bool) = match media.as_str() {
        "application/json"
        | "application/merge-patch+json"
        | "application/strategic-merge-patch+json"
        | "application/json-patch+json" => (
            serde_json::from_slice(&body).map_err(|e| unreadable(e.to_string()))?,
            false,
        ),
        "application/apply-patch+yaml" | "application/yaml" => (
            serde_yaml::from_slice(&body).map_err(|e| unreadable(e.to_string()))?,
            false,
        ),
        "application/vnd.kubernetes.protobuf" => (
            simcluster::protobuf::decode(&body).map_err(unreadable)?,
            true,
        ),
        other => {
            return Err(ProxyError::new(
                http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                format!("the portal does not accept request bodies of type {other:?}"),
            ));
        }
    };
    if media == "application/json-patch+json" {
        check_json_patch(r, &value)?;
    } else {
        check_namespace(r, &value)?;
        if let Some(why) = forbidden_field(&value, "") {
            return Err(refusal(r, &why));
        }
        if r.group == RBAC
            && let Some(why) = rbac::refusal(&r.resource, &value)
        {
            return Err(forbidden(r, &why));
        }
    }
    if reencoded {
        let json = serde_json::to_vec(&value).map_err(ProxyError::internal)?;
        return Ok(Checked {
            body: Bytes::from(json),
            content_type: Some("application/json"),
        });
    }
    Ok(Checked {
        body,
        content_type: None,
    })
}

const RBAC: &str = "rbac.authorization.k8s.io";

/// `<resource> "<name>" is forbidden: <why>`.
fn forbidden(r: &ResourceRequest, why: &str) -> ProxyError {
    let what = match &r.name {
        Some(n) => format!("{} {n:?}", r.resource),
        None => r.resource.clone(),
    };
    ProxyError::forbidden(format!("{what} is forbidden: {why}"))
}

fn refusal(r: &ResourceRequest, why: &str) -> ProxyError {
    forbidden(
        r,
        &format!(
            "{why} is not allowed for tenant workloads (the portal keeps them off the nodes' host)"
        ),
    )
}

/// The apiserver's own check, made before anything is forwarded.
fn check_namespace(r: &ResourceRequest, v: &Value) -> ProxyResult<()> {
    let body_ns = v.pointer("/metadata/namespace").and_then(Value::as_str);
    match (body_ns, r.namespace.as_deref()) {
        (Some(b), Some(u)) if !b.is_empty() && b != u => Err(ProxyError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => Ok(()),
    }
}

/// JSON patch operations: the value of each, and the field each path ends in.
fn check_json_patch(r: &ResourceRequest, ops: &Value) -> ProxyResult<()> {
    let Some(ops) = ops.as_array() else {
        return Err(ProxyError::bad_request(
            "a JSON patch must be an array of operations",
        ));
    };
    for op in ops {
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        if path == "/metadata/namespace" || path.starts_with("/metadata/namespace/") {
            return Err(ProxyError::bad_request(
                "the namespace of an object cannot be changed",
            ));
        }
        if r.group == RBAC
            && let Some(why) = rbac::json_patch_refusal(&r.resource, path)
        {
            return Err(forbidden(r, &why));
        }
        let Some(value) = op.get("value") else {
            continue;
        };
        // The patched field, as if the value sat under its key.
        let key = path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .replace("~1", "/")
            .replace("~0", "~");
        let mut wrapped = serde_json::Map::new();
        wrapped.insert(key, value.clone());
        if let Some(why) = forbidden_field(&Value::Object(wrapped), "") {
            return Err(refusal(r, &format!("{why} patched at {path}")));
        }
        if path.split('/').any(|seg| seg == "hostPath") {
            return Err(refusal(r, &format!("a hostPath volume ({path})")));
        }
    }
    Ok(())
}

/// The first field of `v` that asks for host access, described for the refusal.
fn forbidden_field(v: &Value, at: &str) -> Option<String> {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let here = format!("{at}.{k}");
                let bad = match k.as_str() {
                    "privileged" => x.as_bool() == Some(true),
                    "hostNetwork" | "hostPID" | "hostIPC" => x.as_bool() == Some(true),
                    "hostPath" => !x.is_null(),
                    "externalIPs" => x.as_array().is_some_and(|a| !a.is_empty()),
                    _ => false,
                };
                if bad {
                    let what = match k.as_str() {
                        "privileged" => "a privileged container",
                        "hostPath" => "a hostPath volume",
                        "externalIPs" => "a Service with externalIPs",
                        _ => "host namespaces",
                    };
                    return Some(format!("{what} ({})", here.trim_start_matches('.')));
                }
                if !DATA_KEYS.contains(&k.as_str())
                    && let Some(why) = forbidden_field(x, &here)
                {
                    return Some(why);
                }
            }
            None
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| forbidden_field(x, &format!("{at}[{i}]"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
