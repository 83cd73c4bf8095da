//! `pods/{name}[:port]/proxy/...`, `services/{name}[:port]/proxy/...` and `nodes/{name}/proxy`:
//! a running pod answers any method on its declared container ports with a small built-in page
//! naming the pod, namespace, image and the request; otherwise the apiserver's errors (no
//! address, nothing listening, no endpoints). Nothing is ever forwarded anywhere.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Method, Response, StatusCode, Uri, header};
use serde_json::Value;

use super::Ctx;
use crate::resources::json::{arr_at, at, str_at};
use crate::status::ApiError;
use crate::store::Key;

/// `name`, `name:port` or `scheme:name:port` (`utilnet.SplitSchemeNamePort`).
fn split_id(id: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = id.split(':').collect();
    let (scheme, name, port) = match parts.as_slice() {
        [n] => ("", *n, ""),
        [n, p] => ("", *n, *p),
        [s, n, p] => (*s, *n, *p),
        _ => return None,
    };
    (!name.is_empty() && matches!(scheme, "" | "http" | "https")).then_some((name, port))
}

fn unavailable(msg: String) -> ApiError {
    ApiError::new(503, "ServiceUnavailable", msg)
}

fn refused(ip: &str, port: &str) -> ApiError {
    unavailable(format!(
        "error trying to reach service: dial tcp {ip}:{port}: connect: connection refused"
    ))
}

pub fn handle(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    _body: Bytes,
) -> Result<Response<Body>, ApiError> {
    let marker = format!("/{}/{}/proxy", ctx.path.resource, ctx.path.name);
    let path = uri
        .path()
        .split_once(&marker)
        .map(|(_, rest)| rest)
        .unwrap_or("");
    let path = if path.is_empty() { "/" } else { path };
    let req = Request {
        method: method.as_str(),
        path,
        query: uri.query().unwrap_or(""),
    };
    match ctx.path.resource.as_str() {
        "pods" => {
            let (name, port) = split_id(&ctx.path.name).ok_or_else(|| {
                ApiError::bad_request(format!("invalid pod request {:?}", ctx.path.name))
            })?;
            let pod = ctx
                .sim
                .store
                .get(&Key::new("pods", &ctx.path.namespace, name))
                .ok_or_else(|| ApiError::not_found("pods", "", name))?;
            let port = if port.is_empty() {
                first_port(&pod)
            } else {
                port.to_string()
            };
            serve(&pod, &port, &req, None)
        }
        "services" => service(ctx, &req),
        _ => {
            let (name, _) = split_id(&ctx.path.name).ok_or_else(|| {
                ApiError::bad_request(format!("invalid node request {:?}", ctx.path.name))
            })?;
            ctx.sim
                .store
                .get(&Key::new("nodes", "", name))
                .ok_or_else(|| ApiError::not_found("nodes", "", name))?;
            Ok(if path == "/healthz" {
                plain(StatusCode::OK, "ok")
            } else {
                plain(StatusCode::NOT_FOUND, "404 page not found\n")
            })
        }
    }
}

struct Request<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
}

/// The port the apiserver picks when none is given: the first declared container port.
fn first_port(pod: &Value) -> String {
    arr_at(pod, "spec/containers")
        .iter()
        .flat_map(|c| arr_at(c, "ports"))
        .find_map(|p| p.get("containerPort").and_then(Value::as_i64))
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// The running container listening on `port` (declared ports; port 80 when none are declared).
fn listener<'a>(pod: &'a Value, port: &str) -> Option<(&'a Value, i64)> {
    let running = |c: &Value| {
        arr_at(pod, "status/containerStatuses")
            .iter()
            .any(|s| s["name"] == c["name"] && at(s, "state/running").is_some())
    };
    let containers = arr_at(pod, "spec/containers");
    let declared = containers.iter().any(|c| !arr_at(c, "ports").is_empty());
    let number: Option<i64> = if port.is_empty() {
        Some(80)
    } else {
        port.parse().ok()
    };
    containers.iter().filter(|c| running(c)).find_map(|c| {
        if !declared {
            return (number == Some(80)).then_some((c, 80));
        }
        arr_at(c, "ports").iter().find_map(|p| {
            let n = p.get("containerPort").and_then(Value::as_i64)?;
            (Some(n) == number || str_at(p, "name") == port).then_some((c, n))
        })
    })
}

fn serve(
    pod: &Value,
    port: &str,
    req: &Request,
    via: Option<&str>,
) -> Result<Response<Body>, ApiError> {
    let ip = str_at(pod, "status/podIP");
    if ip.is_empty() {
        return Err(ApiError::bad_request("address not allowed"));
    }
    let shown_port = if port.is_empty() { "80" } else { port };
    let (container, number) = listener(pod, port).ok_or_else(|| refused(ip, shown_port))?;
    let html = page(pod, container, ip, number, req, via);
    let body = if req.method == "HEAD" {
        Body::empty()
    } else {
        Body::from(html)
    };
    let mut r = Response::new(body);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if str_at(container, "image").contains("nginx") {
        r.headers_mut()
            .insert(header::SERVER, HeaderValue::from_static("nginx/1.27.5"));
    }
    Ok(r)
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// ServiceREST.ResourceLocation: the service port by number or name, then a ready endpoint
/// that has it.
fn service(ctx: &Ctx, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = ctx.path.name.as_str();
    let (name, port) = split_id(id)
        .ok_or_else(|| ApiError::bad_request(format!("invalid service request {id:?}")))?;
    let ns = &ctx.path.namespace;
    let svc = ctx
        .sim
        .store
        .get(&Key::new("services", ns, name))
        .ok_or_else(|| ApiError::not_found("services", "", name))?;
    let mut port_name = port.to_string();
    if let Ok(n) = port.parse::<i64>() {
        let found = arr_at(&svc, "spec/ports")
            .iter()
            .find(|p| p.get("port").and_then(Value::as_i64) == Some(n));
        let Some(p) = found else {
            return Err(unavailable(format!(
                "no service port {n} found for service {name:?}"
            )));
        };
        port_name = str_at(p, "name").to_string();
    }
    let eps = ctx
        .sim
        .store
        .get(&Key::new("endpoints", ns, name))
        .ok_or_else(|| ApiError::not_found("endpoints", "", name))?;
    let subsets = arr_at(&eps, "subsets");
    if subsets.is_empty() {
        return Err(unavailable(format!(
            "no endpoints available for service {name:?}"
        )));
    }
    for ss in subsets {
        let Some(p) = arr_at(ss, "ports")
            .iter()
            .find(|p| str_at(p, "name") == port_name)
        else {
            continue;
        };
        let target = p
            .get("port")
            .and_then(Value::as_i64)
            .unwrap_or(80)
            .to_string();
        for addr in arr_at(ss, "addresses") {
            let pod_name = addr
                .pointer("/targetRef/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if let Some(pod) = ctx.sim.store.get(&Key::new("pods", ns, pod_name)) {
                return serve(&pod, &target, req, Some(name));
            }
        }
    }
    Err(unavailable(format!(
        "no endpoints available for service {id:?}"
    )))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(pod: &Value, c: &Value, ip: &str, port: i64, req: &Request, via: Option<&str>) -> String {
    let (ns, name, image) = (
        str_at(pod, "metadata/namespace"),
        str_at(pod, "metadata/name"),
        str_at(c, "image"),
    );
    let heading = if image.contains("nginx") {
        "Welcome to nginx!".to_string()
    } else {
        format!("Hello from {name}")
    };
    let mut rows = vec![
        ("Pod", name.to_string()),
        ("Namespace", ns.to_string()),
        ("Container", str_at(c, "name").to_string()),
        ("Image", image.to_string()),
        ("Node", str_at(pod, "spec/nodeName").to_string()),
        ("Address", format!("{ip}:{port}")),
        ("Method", req.method.to_string()),
        ("Path", req.path.to_string()),
        ("Query", req.query.to_string()),
    ];
    if let Some(s) = via {
        rows.insert(2, ("Service", s.to_string()));
    }
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><td>{k}</td><td>{}</td></tr>\n", esc(v)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:46rem;color:#1f2937}}td{{padding:.3rem .8rem;border-bottom:1px solid #e5e7eb}}td:first-child{{color:#6b7280}}</style>\n</head>\n<body>\n<h1>{h}</h1>\n<p>Served by container <code>{c}</code> of pod <code>{ns}/{name}</code>.</p>\n<table>\n{table}</table>\n</body>\n</html>\n",
        title = esc(&heading),
        h = esc(&heading),
        c = esc(str_at(c, "name")),
        ns = esc(ns),
        name = esc(name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_listeners() {
        assert_eq!(split_id("web"), Some(("web", "")));
        assert_eq!(split_id("web:8080"), Some(("web", "8080")));
        assert_eq!(split_id("https:web:443"), Some(("web", "443")));
        assert_eq!(split_id("ftp:web:21"), None);
        let pod = json!({
            "spec": {"containers": [{"name": "app", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}]},
            "status": {"podIP": "10.244.1.5", "containerStatuses": [{"name": "app", "state": {"running": {}}}]}
        });
        assert_eq!(listener(&pod, "8080").map(|(_, p)| p), Some(8080));
        assert_eq!(listener(&pod, "http").map(|(_, p)| p), Some(8080));
        assert!(listener(&pod, "81").is_none());
        let req = Request {
            method: "GET",
            path: "/x",
            query: "a=<b>",
        };
        let err = serve(&pod, "81", &req, None).unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                503,
                "error trying to reach service: dial tcp 10.244.1.5:81: connect: connection refused"
            )
        );
        let html = page(
            &pod,
            &pod["spec"]["containers"][0],
            "10.244.1.5",
            8080,
            &req,
            None,
        );
        assert!(html.contains("a=&lt;b&gt;") && html.contains("Welcome to nginx!"));
    }
}
