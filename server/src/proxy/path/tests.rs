//! The proxy path parser against the tricks an attacker would try.

use http::Method;

use super::*;

fn res(method: Method, path: &str, query: Option<&str>) -> ResourceRequest {
    match parse(&method, path, query) {
        Ok(ApiRequest::Resource(r)) => r,
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn namespaced_cluster_scoped_and_subresources() {
    let r = res(Method::GET, "/api/v1/namespaces/acme/pods", None);
    assert_eq!((r.group.as_str(), r.version.as_str()), ("", "v1"));
    assert_eq!(r.namespace.as_deref(), Some("acme"));
    assert_eq!(
        (r.resource.as_str(), r.name.as_deref(), r.verb),
        ("pods", None, Verb::List)
    );
    let r = res(
        Method::GET,
        "/apis/apps/v1/namespaces/acme/deployments/web/scale",
        None,
    );
    assert_eq!(
        (r.group.as_str(), r.subresource.as_deref(), r.verb),
        ("apps", Some("scale"), Verb::Get)
    );
    let r = res(
        Method::GET,
        "/api/v1/pods",
        Some("watch=true&labelSelector=a"),
    );
    assert_eq!((r.namespace, r.verb), (None, Verb::Watch));
    let r = res(Method::GET, "/api/v1/watch/namespaces/acme/pods", None);
    assert_eq!(
        (r.namespace.as_deref(), r.verb),
        (Some("acme"), Verb::Watch)
    );
    let r = res(Method::GET, "/api/v1/namespaces/acme", None);
    assert_eq!(
        (r.namespace, r.resource.as_str(), r.name.as_deref()),
        (None, "namespaces", Some("acme"))
    );
    let r = res(Method::PUT, "/api/v1/namespaces/acme/finalize", None);
    assert_eq!(
        (r.resource.as_str(), r.subresource.as_deref(), r.verb),
        ("namespaces", Some("finalize"), Verb::Update)
    );
    let r = res(
        Method::GET,
        "/api/v1/namespaces/acme/pods/web-1/proxy/a/b",
        Some("x=1"),
    );
    assert_eq!(
        (r.subresource.as_deref(), r.subpath.as_deref()),
        (Some("proxy"), Some("a/b"))
    );
    // A trailing slash is the pod's "/", nothing more.
    for (p, sub) in [
        ("/api/v1/namespaces/acme/pods/web-1/proxy/", ""),
        ("/api/v1/namespaces/acme/services/web:80/proxy/a/", "a/"),
    ] {
        let r = res(Method::GET, p, None);
        assert_eq!(
            (r.subresource.as_deref(), r.subpath.as_deref()),
            (Some("proxy"), Some(sub))
        );
    }
    assert!(parse(&Method::GET, "/api/v1/namespaces/acme/pods/web-1/", None).is_err());
    assert!(
        parse(
            &Method::GET,
            "/api/v1/namespaces/acme/pods/web-1/proxy//x",
            None
        )
        .is_err()
    );
    let r = res(
        Method::GET,
        "/api/v1/namespaces/acme/pods/web-1/log",
        Some("follow=true"),
    );
    assert_eq!((r.subresource.as_deref(), r.verb), (Some("log"), Verb::Get));
    assert_eq!(
        res(Method::DELETE, "/api/v1/namespaces/acme/pods", None).verb,
        Verb::DeleteCollection
    );
    assert_eq!(
        res(Method::DELETE, "/api/v1/namespaces/acme/pods/p", None).verb,
        Verb::Delete
    );
    assert_eq!(
        res(Method::PATCH, "/api/v1/namespaces/acme/pods/p", None).verb,
        Verb::Patch
    );
    assert_eq!(
        res(Method::POST, "/api/v1/namespaces/acme/pods", None).verb,
        Verb::Create
    );
    let r = res(
        Method::GET,
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:aggregate-to-admin",
        None,
    );
    assert_eq!(r.name.as_deref(), Some("system:aggregate-to-admin"));
    // A name escaped once is decoded once.
    let r = res(
        Method::GET,
        "/api/v1/namespaces/acme/configmaps/a%3Ab",
        None,
    );
    assert_eq!(r.name.as_deref(), Some("a:b"));
}

#[test]
fn discovery_is_read_only() {
    for p in [
        "/api",
        "/api/v1",
        "/apis",
        "/apis/apps",
        "/apis/apps/v1",
        "/version",
        "/openapi/v2",
        "/openapi/v3/apis/apps/v1",
    ] {
        assert_eq!(
            parse(&Method::GET, p, None),
            Ok(ApiRequest::Discovery),
            "{p}"
        );
    }
    assert!(parse(&Method::POST, "/api/v1", None).is_err());
}

#[test]
fn tricks_are_refused() {
    for p in [
        "/api/v1/namespaces/acme/../other/pods",
        "/api/v1/namespaces/acme/%2e%2e/other/pods",
        "/api/v1/namespaces/acme%2Fpods",
        "/api/v1/namespaces/acme%2fpods/x",
        "/api/v1/namespaces/acme/pods/a%5Cb",
        "/api/v1/namespaces/acme/pods/a%00",
        "/api/v1/namespaces/acme/pods/%zz",
        "/api/v1/namespaces/acme/pods/%4",
        "/api/v1/namespaces//pods",
        "/api/v1/namespaces/./pods",
        "/api/v1/namespaces/Acme/pods",
        "/api/v1/namespaces/acme/Pods",
        "/api/v1/namespaces/%61cme%E2%80%8B/pods",
        "/api/v1/namespaces/аcme/pods",
        "/api/v1/namespaces/acme/pods/a b",
        "/api/v1/namespaces/acme/pods/p/exec/x",
        "/apis/APPS/v1/deployments",
        "/apis/apps/V1/deployments",
        "/metrics",
        "/api/v1/namespaces/-bad/pods",
        "api/v1/pods",
        "/api/v1/pods/",
    ] {
        assert!(
            parse(&Method::GET, p, None).is_err(),
            "{p} was accepted: {:?}",
            parse(&Method::GET, p, None)
        );
    }
    assert!(parse(&Method::from_bytes(b"TRACE").unwrap(), "/api/v1/pods", None).is_err());
    // Escaped letters are fine (decoded once): %61 is 'a'.
    assert_eq!(
        res(Method::GET, "/api/v1/namespaces/%61cme/pods", None)
            .namespace
            .as_deref(),
        Some("acme")
    );
}
