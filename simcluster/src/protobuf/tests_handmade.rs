//! Hand-built protobuf bodies: kinds kubectl does not send this way (DeleteOptions, Scale,
//! Lease, CRD, ControllerRevision), the special types, and malformed input.

use serde_json::{Value, json};

use super::super::decode;

/// A field value for the test encoder.
enum P<'a> {
    /// varint (ints, bools)
    V(u64),
    /// length-delimited string
    S(&'a str),
    /// length-delimited bytes / embedded message
    B(Vec<u8>),
    /// fixed64 (double)
    D(f64),
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn enc(fields: &[(u32, P<'_>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (tag, p) in fields {
        let tag = u64::from(*tag) << 3;
        match p {
            P::V(v) => {
                varint(tag, &mut out);
                varint(*v, &mut out);
            }
            P::S(s) => {
                varint(tag | 2, &mut out);
                varint(s.len() as u64, &mut out);
                out.extend_from_slice(s.as_bytes());
            }
            P::B(b) => {
                varint(tag | 2, &mut out);
                varint(b.len() as u64, &mut out);
                out.extend_from_slice(b);
            }
            P::D(d) => {
                varint(tag | 1, &mut out);
                out.extend_from_slice(&d.to_bits().to_le_bytes());
            }
        }
    }
    out
}

fn body(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
    let mut b = b"k8s\x00".to_vec();
    b.extend(enc(&[
        (1, P::B(enc(&[(1, P::S(api_version)), (2, P::S(kind))]))),
        (2, P::B(raw)),
    ]));
    b
}

fn meta(name: &str) -> P<'_> {
    P::B(enc(&[(1, P::S(name))]))
}

#[test]
fn delete_options_keep_pointer_zeros() {
    let raw = enc(&[
        (1, P::V(0)),
        (2, P::B(enc(&[(1, P::S("uid-1"))]))),
        (3, P::V(0)),
        (4, P::S("Foreground")),
        (5, P::S("All")),
    ]);
    assert_eq!(
        decode(&body("meta.k8s.io/v1", "DeleteOptions", raw.clone())).unwrap(),
        json!({"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1", "gracePeriodSeconds": 0,
            "preconditions": {"uid": "uid-1"}, "orphanDependents": false,
            "propagationPolicy": "Foreground", "dryRun": ["All"]})
    );
    // typed clients send it in the group version of the resource
    assert_eq!(
        decode(&body("apps/v1", "DeleteOptions", raw)).unwrap()["apiVersion"],
        json!("apps/v1")
    );
    let eviction = enc(&[(1, meta("p1")), (2, P::B(enc(&[(1, P::V(30))])))]);
    assert_eq!(
        decode(&body("policy/v1", "Eviction", eviction)).unwrap(),
        json!({"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p1"},
            "deleteOptions": {"gracePeriodSeconds": 30}})
    );
}

#[test]
fn scale_to_zero_and_empty_structs() {
    // a Go client writes spec {replicas: 0} and status {replicas: 0, selector: ""}
    let raw = enc(&[
        (1, meta("web")),
        (2, P::B(enc(&[(1, P::V(0))]))),
        (3, P::B(enc(&[(1, P::V(0)), (2, P::S(""))]))),
    ]);
    assert_eq!(
        decode(&body("autoscaling/v1", "Scale", raw)).unwrap(),
        json!({"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "web"}, "spec": {"replicas": 0}})
    );
}

#[test]
fn times_and_micro_times() {
    let t = |s: u64, n: u64| P::B(enc(&[(1, P::V(s)), (2, P::V(n))]));
    let md = enc(&[(1, P::S("l")), (8, t(1_767_323_045, 0)), (9, P::B(vec![]))]);
    let spec = enc(&[
        (1, P::S("")),
        (2, P::V(0)),
        (3, t(1_767_323_045, 123_456_789)),
        (5, P::V(u64::MAX)), // -1 as a sign-extended int32
    ]);
    let lease = decode(&body(
        "coordination.k8s.io/v1",
        "Lease",
        enc(&[(1, P::B(md)), (2, P::B(spec))]),
    ))
    .unwrap();
    assert_eq!(
        lease,
        json!({"kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
            "metadata": {"name": "l", "creationTimestamp": "2026-01-02T03:04:05Z"},
            "spec": {"holderIdentity": "", "leaseDurationSeconds": 0,
                "acquireTime": "2026-01-02T03:04:05.123456Z", "leaseTransitions": -1}})
    );
}

#[test]
fn crd_schema_unions_and_raw_json() {
    let props = |fields: &[(u32, P<'_>)]| P::B(enc(fields));
    let entry = |k: &str, v: Vec<u8>| P::B(enc(&[(1, P::S(k)), (2, P::B(v))]));
    let schema = enc(&[
        (5, P::S("object")),
        (8, P::B(enc(&[(1, P::S(r#"{"a":1}"#))]))), // default (JSON)
        (9, P::D(10.0)),                            // maximum
        (19, P::D(0.5)),                            // multipleOf
        (20, P::B(enc(&[(1, P::S("\"x\""))]))),     // enum
        (24, props(&[(1, P::B(enc(&[(5, P::S("string"))])))])), // items: one schema
        (29, entry("spec", enc(&[(38, P::V(1))]))), // properties.spec
        (29, entry("empty", vec![])),
        (30, props(&[(1, P::V(0))])), // additionalProperties: false
        (32, entry("dep", enc(&[(2, P::S("a")), (2, P::S("b"))]))), // dependencies: string list
        (33, props(&[(2, P::B(enc(&[(5, P::S("integer"))])))])), // additionalItems: schema
        (42, P::S("atomic")),
    ]);
    let version = enc(&[
        (1, P::S("v1")),
        (2, P::V(1)),
        (3, P::V(1)),
        (4, P::B(enc(&[(1, P::B(schema))]))),
        (5, P::B(enc(&[(1, P::B(vec![]))]))), // subresources.status: {}
    ]);
    let spec = enc(&[
        (1, P::S("example.com")),
        (4, P::S("Namespaced")),
        (7, P::B(version)),
        (10, P::V(0)),
    ]);
    let crd = decode(&body(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        enc(&[(1, meta("w")), (2, P::B(spec))]),
    ));
    assert_eq!(
        crd.unwrap()["spec"],
        json!({"group": "example.com", "scope": "Namespaced", "versions": [{
            "name": "v1", "served": true, "storage": true,
            "schema": {"openAPIV3Schema": {
                "type": "object", "default": {"a": 1}, "maximum": 10, "multipleOf": 0.5, "enum": ["x"],
                "items": {"type": "string"},
                "properties": {"spec": {"x-kubernetes-preserve-unknown-fields": true}, "empty": {}},
                "additionalProperties": false, "dependencies": {"dep": ["a", "b"]},
                "additionalItems": {"type": "integer"}, "x-kubernetes-list-type": "atomic"}},
            "subresources": {"status": {}}}]})
    );
}

#[test]
fn raw_extension_json_and_embedded_protobuf() {
    let json_raw = enc(&[
        (1, meta("r1")),
        (2, P::B(enc(&[(1, P::S(r#"{"spec":{"x":1}}"#))]))),
        (3, P::V(2)),
    ]);
    let got = decode(&body("apps/v1", "ControllerRevision", json_raw)).unwrap();
    assert_eq!(got["data"], json!({"spec": {"x": 1}}));
    assert_eq!(got["revision"], json!(2));
    let inner = body("v1", "ConfigMap", enc(&[(1, meta("c"))]));
    let pb_raw = enc(&[(1, meta("r2")), (2, P::B(enc(&[(1, P::B(inner))])))]);
    assert_eq!(
        decode(&body("apps/v1", "ControllerRevision", pb_raw)).unwrap()["data"],
        json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "c"}})
    );
}

#[test]
fn wire_details() {
    // unknown field numbers are skipped; repeated embedded messages merge; packed int32 lists
    let md = enc(&[
        (1, P::S("a")),
        (99, P::S("ignored")),
        (11, P::B(enc(&[(1, P::S("k")), (2, P::S("v"))]))),
    ]);
    let more = enc(&[(3, P::S("ns"))]);
    // exit codes: packed [1, 2] then one unpacked 150
    let codes = enc(&[(1, P::S("In")), (2, P::B(vec![1, 2])), (2, P::V(150))]);
    let rule = enc(&[(1, P::S("Restart")), (2, P::B(codes))]);
    let container = enc(&[(1, P::S("c")), (2, P::S("")), (25, P::B(rule))]);
    let spec = enc(&[(2, P::B(container))]);
    let pod = decode(&body(
        "v1",
        "Pod",
        enc(&[(1, P::B(md)), (2, P::B(spec)), (1, P::B(more))]),
    ))
    .unwrap();
    assert_eq!(
        pod["metadata"],
        json!({"name": "a", "namespace": "ns", "labels": {"k": "v"}})
    );
    assert_eq!(
        pod["spec"]["containers"],
        json!([{"name": "c", "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [1, 2, 150]}}]}])
    );
    // map keys come out sorted, like Go's encoder writes them
    let labels = enc(&[
        (11, P::B(enc(&[(1, P::S("z")), (2, P::S("1"))]))),
        (11, P::B(enc(&[(1, P::S("a")), (2, P::S("2"))]))),
    ]);
    let ns = decode(&body("v1", "Namespace", enc(&[(1, P::B(labels))]))).unwrap();
    assert_eq!(
        serde_json::to_string(&ns["metadata"]).unwrap(),
        r#"{"labels":{"a":"2","z":"1"}}"#
    );
}

#[test]
fn malformed_bodies_are_errors() {
    let err = |b: &[u8]| decode(b).unwrap_err();
    assert!(err(b"{\"kind\":\"Pod\"}").contains("expected prefix [107 56 115 0]"));
    assert_eq!(
        err(&body("v1", "Widget", vec![])),
        r#"no kind "Widget" is registered for version "v1""#
    );
    assert!(err(&body("", "", vec![])).contains("'Kind' is missing"));
    let mut truncated = body("v1", "Pod", enc(&[(1, meta("p"))]));
    truncated.pop();
    assert!(err(&truncated).starts_with("proto:"));
    // a string field sent as a varint
    assert_eq!(
        err(&body("v1", "Pod", enc(&[(1, P::B(enc(&[(1, P::V(5))])))]))),
        "proto: wrong wireType = 0 for field name"
    );
    let bad_json = enc(&[(1, meta("r")), (2, P::B(enc(&[(1, P::S("{"))])))]);
    assert!(err(&body("apps/v1", "ControllerRevision", bad_json)).contains("invalid JSON"));
    let gzip = [
        b"k8s\x00".to_vec(),
        enc(&[
            (1, P::B(enc(&[(1, P::S("v1")), (2, P::S("Pod"))]))),
            (3, P::S("gzip")),
        ]),
    ]
    .concat();
    assert!(err(&gzip).contains("content encoding"));
    // nothing panics on arbitrary input
    for n in 0..64u8 {
        let mut b = b"k8s\x00".to_vec();
        b.extend((0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)));
        let _: Result<Value, String> = decode(&b);
    }
}
