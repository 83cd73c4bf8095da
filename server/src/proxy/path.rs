//! The proxy's request parser: a raw Kubernetes API path (after the proxy prefix), method and
//! query become (group, version, namespace, resource, name, subresource, verb) — or a refusal.
//! Percent-decoding happens once, here; encoded slashes, backslashes and NULs, malformed
//! escapes, empty / `.` / `..` segments, upper-case or non-ASCII look-alikes are refused, so
//! what is authorized is exactly what the apiserver will act on.

use http::Method;

/// What a request does, in the apiserver's authorization vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
}

impl Verb {
    /// The verb's name in Kubernetes authorization (`kubectl auth can-i <verb>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
        }
    }

    pub fn is_write(self) -> bool {
        !matches!(self, Verb::Get | Verb::List | Verb::Watch)
    }
}

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    /// Discovery and OpenAPI documents, `/version`: read-only, the same for everyone.
    Discovery,
    Resource(ResourceRequest),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRequest {
    /// `""` for the core group.
    pub group: String,
    pub version: String,
    /// The namespace in the path (`None`: cluster-scoped, or a list across namespaces).
    pub namespace: Option<String>,
    pub resource: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
    /// The rest of a `proxy` subresource path (`pods/x/proxy/<subpath>`).
    pub subpath: Option<String>,
    pub verb: Verb,
}

/// Why a path is refused (answered as 400 by the proxy).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PathError(pub String);

fn err(msg: impl Into<String>) -> PathError {
    PathError(msg.into())
}

/// Decodes `%XX` escapes once; refuses escapes of `/`, `\` and NUL and malformed ones.
fn decode_segment(seg: &str) -> Result<String, PathError> {
    let b = seg.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let digit = |k: usize| b.get(k).and_then(|c| (*c as char).to_digit(16));
            let (Some(hi), Some(lo)) = (digit(i + 1), digit(i + 2)) else {
                return Err(err(format!(
                    "malformed percent-escape in path segment {seg:?}"
                )));
            };
            let hex = (hi * 16 + lo) as u8;
            if matches!(hex, b'/' | b'\\' | 0) {
                return Err(err(format!(
                    "encoded '/', '\\' or NUL in path segment {seg:?}"
                )));
            }
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    let s =
        String::from_utf8(out).map_err(|_| err(format!("path segment {seg:?} is not UTF-8")))?;
    if s.is_empty() || s == "." || s == ".." {
        return Err(err("empty, '.' or '..' path segments are not allowed"));
    }
    if !s.is_ascii()
        || s.bytes()
            .any(|c| c.is_ascii_control() || c == b'\\' || c == b' ')
    {
        return Err(err(format!(
            "path segment {s:?} has characters Kubernetes names never have"
        )));
    }
    Ok(s)
}

/// Lower-case DNS-style tokens: namespaces, resources, groups, versions.
fn token(what: &str, s: &str) -> Result<(), PathError> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && !s.starts_with(['-', '.']);
    if ok {
        Ok(())
    } else {
        Err(err(format!("{what} {s:?} is not valid")))
    }
}

fn namespace_name(s: &str) -> Result<(), PathError> {
    let ok = s.len() <= 63
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok && !s.is_empty() {
        Ok(())
    } else {
        Err(err(format!(
            "namespace {s:?} is not a valid namespace name"
        )))
    }
}

fn wants_watch(query: Option<&str>) -> bool {
    query
        .unwrap_or_default()
        .split('&')
        .any(|kv| matches!(kv, "watch=true" | "watch=1" | "watch=True"))
}

/// Parses `path` (starting with `/`, no query) with its method and query string.
pub fn parse(method: &Method, path: &str, query: Option<&str>) -> Result<ApiRequest, PathError> {
    let raw = path
        .strip_prefix('/')
        .ok_or_else(|| err("the path must start with '/'"))?;
    // A pod or service proxy URL may end in '/' (`.../pods/web/proxy/`): the pod's path is "/".
    let proxy_slash = raw.ends_with("/proxy/") || (raw.contains("/proxy/") && raw.ends_with('/'));
    let raw = if proxy_slash {
        &raw[..raw.len() - 1]
    } else {
        raw
    };
    let segs: Vec<String> = if raw.is_empty() {
        Vec::new()
    } else {
        raw.split('/')
            .map(decode_segment)
            .collect::<Result<_, _>>()?
    };
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let (group, version, rest) = match s.as_slice() {
        ["version"] | ["api"] | ["apis"] | ["api", _] | ["apis", _] | ["apis", _, _] => {
            return discovery(method);
        }
        ["openapi", ..] => return discovery(method),
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => {
            token("API group", g)?;
            (*g, *v, rest)
        }
        _ => return Err(err(format!("{path} is not a Kubernetes API path"))),
    };
    token("API version", version)?;
    // The deprecated `/watch/` prefix.
    let (legacy_watch, rest) = match rest {
        ["watch", rest @ ..] => (true, rest),
        _ => (false, rest),
    };
    let (namespace, rest): (Option<&str>, &[&str]) = match rest {
        ["namespaces", ns, r, ..] if !matches!(*r, "status" | "finalize") => {
            namespace_name(ns)?;
            (Some(*ns), &rest[2..])
        }
        _ => (None, rest),
    };
    let (resource, name, subresource, subpath) = match rest {
        [r] => (*r, None, None, None),
        [r, n] => (*r, Some(*n), None, None),
        [r, n, sub] if !(proxy_slash && *sub == "proxy") => (*r, Some(*n), Some(*sub), None),
        [r, n, "proxy", tail @ ..] => {
            let slash = if proxy_slash && !tail.is_empty() {
                "/"
            } else {
                ""
            };
            (
                *r,
                Some(*n),
                Some("proxy"),
                Some(format!("{}{slash}", tail.join("/"))),
            )
        }
        _ => return Err(err(format!("{path} is not a Kubernetes API resource path"))),
    };
    token("resource", resource)?;
    if let Some(sub) = subresource {
        token("subresource", sub)?;
    }
    if resource == "namespaces"
        && let Some(n) = name
    {
        namespace_name(n)?;
    }
    let verb = verb_of(method, name.is_some(), legacy_watch || wants_watch(query))?;
    Ok(ApiRequest::Resource(ResourceRequest {
        group: group.to_string(),
        version: version.to_string(),
        namespace: namespace.map(str::to_string),
        resource: resource.to_string(),
        name: name.map(str::to_string),
        subresource: subresource.map(str::to_string),
        subpath,
        verb,
    }))
}

fn discovery(method: &Method) -> Result<ApiRequest, PathError> {
    if matches!(*method, Method::GET | Method::HEAD) {
        Ok(ApiRequest::Discovery)
    } else {
        Err(err("discovery documents are read-only"))
    }
}

fn verb_of(method: &Method, named: bool, watch: bool) -> Result<Verb, PathError> {
    Ok(match (method.clone(), named) {
        (Method::GET | Method::HEAD, _) if watch => Verb::Watch,
        (Method::GET | Method::HEAD, true) => Verb::Get,
        (Method::GET | Method::HEAD, false) => Verb::List,
        (Method::POST, _) => Verb::Create,
        (Method::PUT, _) => Verb::Update,
        (Method::PATCH, _) => Verb::Patch,
        (Method::DELETE, true) => Verb::Delete,
        (Method::DELETE, false) => Verb::DeleteCollection,
        (m, _) => return Err(err(format!("method {m} is not part of the Kubernetes API"))),
    })
}

#[cfg(test)]
mod tests;
