//! Unit tests of `field` and `field_kinds`: syntax and escaping, per-kind error texts and
//! field values.

use super::*;
use serde_json::json;

fn err(s: &str, group: &str, plural: &str) -> String {
    FieldSelector::parse(s, group, plural).unwrap_err()
}

fn sel(s: &str, group: &str, plural: &str) -> FieldSelector {
    FieldSelector::parse(s, group, plural).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn syntax_and_escaping() {
    let f = sel(r"metadata.name=a\,b\=c\\d", "", "configmaps");
    assert!(f.matches(&json!({"metadata": {"name": "a,b=c\\d"}})));
    assert_eq!(f.to_string(), r"metadata.name=a\,b\=c\\d");
    assert!(sel("", "", "pods").is_empty());
    assert!(sel(",,", "", "pods").is_empty());
    assert_eq!(
        err("metadata.name=a=b", "", "pods"),
        "invalid field selector: unescaped character in value: 61"
    );
    assert_eq!(
        err(r"metadata.name=a\q", "", "pods"),
        r"invalid field selector: invalid escape sequence: \q"
    );
    assert_eq!(
        err(r"metadata.name=a\", "", "pods"),
        r"invalid field selector: invalid escape sequence: \"
    );
    assert_eq!(
        err("metadata.name=a,b", "", "pods"),
        "invalid selector: 'metadata.name=a,b'; can't understand 'b'"
    );
    // Terms are sorted before any check, syntax errors come before field-name errors.
    assert_eq!(
        err("zzz=1,metadata.name=a=b", "", "pods"),
        "invalid field selector: unescaped character in value: 61"
    );
    assert_eq!(
        err("zzz=1,yyy", "", "pods"),
        "invalid selector: 'zzz=1,yyy'; can't understand 'yyy'"
    );
    assert_eq!(
        err("zzz=1,aaa=2", "", "pods"),
        "field label not supported: aaa"
    );
    assert_eq!(
        err("metadata.name =x", "", "pods"),
        "field label not supported: metadata.name "
    );
    let f = sel("metadata.name==x,status.phase!=Running", "", "pods");
    assert_eq!(f.exact_name(), Some("x"));
}

#[test]
fn error_texts_per_kind() {
    let default = "\"data.key\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";
    assert_eq!(err("data.key=value", "", "configmaps"), default);
    assert_eq!(
        err("status.replicas=1", "apps", "replicasets"),
        "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    );
    assert_eq!(
        err("spec.containers.image=nginx", "", "pods"),
        "field label not supported: spec.containers.image"
    );
    assert_eq!(
        err("metadata.namespace=x", "", "nodes"),
        "field label not supported: metadata.namespace"
    );
    assert_eq!(
        err("metadata.namespace=x", "", "namespaces"),
        "field label not supported: metadata.namespace"
    );
    assert_eq!(
        err("status.active=1", "batch", "jobs"),
        "field label \"status.active\" not supported for batchv1.Job"
    );
    assert_eq!(
        err("deprecatedSource=x", "events.k8s.io", "events"),
        "field label not supported: deprecatedSource"
    );
    assert_eq!(
        err("involvedObject.kind=x", "events.k8s.io", "events"),
        "field label not supported: involvedObject.kind"
    );
    assert_eq!(
        err("regarding.kind=x", "", "events"),
        "field label not supported: regarding.kind"
    );
    assert_eq!(
        err("spec.pool=x", "resource.k8s.io", "resourceslices"),
        "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool"
    );
    assert_eq!(
        err(
            "spec.username=x",
            "certificates.k8s.io",
            "certificatesigningrequests"
        ),
        "field label not supported: spec.username"
    );
    assert_eq!(
        err("spec.color=red", "example.com", "widgets"),
        "\"spec.color\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    );
    let f = FieldSelector::parse_custom("spec.color=red", &["spec.color".to_string()]).unwrap();
    assert!(f.matches(&json!({"spec": {"color": "red"}})));
}

#[test]
fn pod_fields() {
    let pod = json!({
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {"restartPolicy": "Always", "schedulerName": "default-scheduler", "serviceAccountName": "default"},
        "status": {"phase": "Pending"}
    });
    for yes in [
        "spec.nodeName=",
        "spec.host=",
        "spec.hostNetwork=false",
        "status.podIP=",
        "status.podIPs=",
        "spec.serviceAccountName=default,spec.schedulerName=default-scheduler",
        "metadata.namespace=ns,metadata.name=p",
        "status.nominatedNodeName=",
    ] {
        assert!(sel(yes, "", "pods").matches(&pod), "{yes}");
    }
    for no in [
        "spec.nodeName!=",
        "spec.hostNetwork=true",
        "status.phase=Running",
        "metadata.name!=p",
    ] {
        assert!(!sel(no, "", "pods").matches(&pod), "{no}");
    }
    let running = json!({"spec": {"nodeName": "n1", "hostNetwork": true}, "status": {"podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}]}});
    assert!(
        sel(
            "spec.host=n1,spec.hostNetwork=true,status.podIP=10.0.0.1",
            "",
            "pods"
        )
        .matches(&running)
    );
    assert!(!sel("status.podIPs=10.0.0.1", "", "pods").matches(&running));
}

#[test]
fn other_kinds_fields() {
    let node = json!({"metadata": {"name": "n1"}, "spec": {}});
    assert!(sel("spec.unschedulable=false,metadata.name=n1", "", "nodes").matches(&node));
    let job = json!({"metadata": {"name": "j"}, "status": {}});
    assert!(sel("status.successful=0", "batch", "jobs").matches(&job));
    assert!(
        sel("status.successful=2", "batch", "jobs").matches(&json!({"status": {"succeeded": 2}}))
    );
    assert!(sel("status.replicas=0", "", "replicationcontrollers").matches(&json!({})));
    assert!(sel("type=Opaque", "", "secrets").matches(&json!({"type": "Opaque"})));
    assert!(
        sel(
            "spec.type=ClusterIP,spec.clusterIP=10.0.0.1",
            "",
            "services"
        )
        .matches(&json!({"spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1"}}))
    );
    assert!(
        sel("status.phase=Active", "", "namespaces")
            .matches(&json!({"status": {"phase": "Active"}}))
    );
    assert!(
        sel(
            "spec.signerName=x/y",
            "certificates.k8s.io",
            "certificatesigningrequests"
        )
        .matches(&json!({"spec": {"signerName": "x/y"}}))
    );
    let core_event = json!({
        "involvedObject": {"kind": "Job", "name": "j"},
        "source": {}, "reportingComponent": "job-controller", "type": "Normal", "reason": "Created"
    });
    assert!(sel("involvedObject.kind=Job,source=job-controller,reportingComponent=job-controller,type=Normal,reason=Created", "", "events").matches(&core_event));
    let new_event = json!({"regarding": {"kind": "Job", "name": "j"}, "reportingController": "c", "deprecatedSource": {"component": "old"}});
    assert!(
        sel(
            "regarding.kind=Job,regarding.name=j,reportingController=c,source=old",
            "events.k8s.io",
            "events"
        )
        .matches(&new_event)
    );
    assert!(sel("regarding.fieldPath=", "events.k8s.io", "events").matches(&new_event));
}
