//! Cells of the configuration, node, event, autoscaling, RBAC and cluster-object printers.

use serde_json::json;

use super::more::{meta, names};
use super::{cells, columns};

#[test]
fn config_objects() {
    let cm =
        json!({"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}});
    assert_eq!(
        cells("", "configmaps", &cm),
        [json!("cfg"), json!(3), json!("2d")]
    );
    let sec = json!({"metadata": meta("creds"), "type": "Opaque", "data": {"user": "YQ==", "pass": "Yg=="}});
    assert_eq!(
        names(&columns("", "secrets")),
        ["Name", "Type", "Data", "Age"]
    );
    assert_eq!(
        cells("", "secrets", &sec),
        [json!("creds"), json!("Opaque"), json!(2), json!("2d")]
    );
    let sa = json!({"metadata": meta("default")});
    assert_eq!(
        cells("", "serviceaccounts", &sa),
        [json!("default"), json!(0), json!("2d")]
    );
    let ns = json!({"metadata": {"name": "golden", "creationTimestamp": "2026-03-01T11:59:58Z"}, "status": {"phase": "Active"}});
    assert_eq!(
        cells("", "namespaces", &ns),
        [json!("golden"), json!("Active"), json!("2s")]
    );
    let quota = json!({"metadata": meta("compute"), "status": {
        "hard": {"requests.cpu": "1", "limits.cpu": "2", "pods": "4", "requests.memory": "1Gi", "count/configmaps": "3"},
        "used": {"requests.cpu": "500m", "limits.cpu": "0", "pods": "1", "requests.memory": "0", "count/configmaps": "1"}}});
    assert_eq!(
        names(&columns("", "resourcequotas")),
        ["Name", "Request", "Limit", "Age"]
    );
    assert_eq!(
        cells("", "resourcequotas", &quota),
        [
            json!("compute"),
            json!("count/configmaps: 1/3, pods: 1/4, requests.cpu: 500m/1, requests.memory: 0/1Gi"),
            json!("limits.cpu: 0/2"),
            json!("2d")
        ]
    );
    let pvc = json!({"metadata": meta("data"), "spec": {"accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"}, "status": {"phase": "Pending"}});
    assert_eq!(
        names(&columns("", "persistentvolumeclaims")),
        [
            "Name",
            "Status",
            "Volume",
            "Capacity",
            "Access Modes",
            "StorageClass",
            "VolumeAttributesClass",
            "Age",
            "VolumeMode"
        ]
    );
    assert_eq!(
        cells("", "persistentvolumeclaims", &pvc),
        [
            json!("data"),
            json!("Pending"),
            json!(""),
            json!(""),
            json!(""),
            json!(""),
            json!("<unset>"),
            json!("2d"),
            json!("Filesystem")
        ]
    );
    let pv = json!({"metadata": meta("pv1"), "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
        "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "standard", "claimRef": {"namespace": "ns", "name": "data"}},
        "status": {"phase": "Bound"}});
    assert_eq!(
        cells("", "persistentvolumes", &pv),
        [
            json!("pv1"),
            json!("5Gi"),
            json!("RWO,ROX"),
            json!("Retain"),
            json!("Bound"),
            json!("ns/data"),
            json!("standard"),
            json!("<unset>"),
            json!(""),
            json!("2d"),
            json!("<unset>")
        ]
    );
}

#[test]
fn nodes_and_events() {
    let node = json!({"metadata": {"name": "n1", "creationTimestamp": "2026-02-27T12:00:00Z",
        "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "worker"}},
        "spec": {"unschedulable": true},
        "status": {"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "False"}],
            "addresses": [{"type": "InternalIP", "address": "192.168.0.2"}, {"type": "Hostname", "address": "n1"}],
            "nodeInfo": {"kubeletVersion": "v1.36.2", "osImage": "Debian GNU/Linux 13"}}});
    assert_eq!(
        cells("", "nodes", &node),
        [
            json!("n1"),
            json!("NotReady,SchedulingDisabled"),
            json!("control-plane,worker"),
            json!("2d"),
            json!("v1.36.2"),
            json!("192.168.0.2"),
            json!("<none>"),
            json!("Debian GNU/Linux 13"),
            json!("<unknown>"),
            json!("<unknown>")
        ]
    );
    let bare = json!({"metadata": {"name": "n2"}});
    assert_eq!(
        cells("", "nodes", &bare)[1..5],
        [
            json!("Unknown"),
            json!("<none>"),
            json!("<unknown>"),
            json!("")
        ]
    );

    assert_eq!(
        columns("", "events"),
        vec![
            ("Last Seen".into(), 0),
            ("Type".into(), 0),
            ("Reason".into(), 0),
            ("Object".into(), 0),
            ("Subobject".into(), 1),
            ("Source".into(), 1),
            ("Message".into(), 0),
            ("First Seen".into(), 1),
            ("Count".into(), 1),
            ("Name".into(), 1)
        ]
    );
    // The job-controller event of the workloads-misc golden scenario, in both API versions.
    let ev = json!({"metadata": {"name": "golden-job.18a2b3c4d5e6f7a8", "namespace": "ns", "creationTimestamp": "2026-03-01T11:59:00Z"},
        "involvedObject": {"kind": "Job", "namespace": "ns", "name": "golden-job", "apiVersion": "batch/v1"},
        "reason": "SuccessfulCreate", "message": "Created pod: golden-job-x7k2p", "source": {"component": "job-controller"},
        "firstTimestamp": "2026-03-01T11:50:00Z", "lastTimestamp": "2026-03-01T11:59:00Z", "count": 2, "type": "Normal",
        "eventTime": null, "reportingComponent": "job-controller", "reportingInstance": ""});
    let expected = [
        json!("60s"),
        json!("Normal"),
        json!("SuccessfulCreate"),
        json!("job/golden-job"),
        json!(""),
        json!("job-controller"),
        json!("Created pod: golden-job-x7k2p"),
        json!("10m"),
        json!(2),
        json!("golden-job.18a2b3c4d5e6f7a8"),
    ];
    assert_eq!(cells("", "events", &ev), expected);
    let ev1 = json!({"metadata": ev["metadata"], "eventTime": null, "reportingController": "job-controller",
        "reason": "SuccessfulCreate", "regarding": ev["involvedObject"], "note": "Created pod: golden-job-x7k2p", "type": "Normal",
        "deprecatedSource": {"component": "job-controller"}, "deprecatedFirstTimestamp": "2026-03-01T11:50:00Z",
        "deprecatedLastTimestamp": "2026-03-01T11:59:00Z", "deprecatedCount": 2});
    assert_eq!(cells("events.k8s.io", "events", &ev1), expected);
    // A new-style event: eventTime, series, reporting controller/instance (ages truncate).
    let ev2 = json!({"metadata": {"name": "e2"}, "eventTime": "2026-03-01T11:00:00.123456Z", "reportingController": "kubelet",
        "reportingInstance": "n1", "reason": "Pulled", "regarding": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{app}"},
        "note": "  pulled  ", "type": "Normal", "series": {"count": 4, "lastObservedTime": "2026-03-01T11:58:00.000001Z"}});
    assert_eq!(
        cells("events.k8s.io", "events", &ev2),
        [
            json!("119s"),
            json!("Normal"),
            json!("Pulled"),
            json!("pod/web"),
            json!("spec.containers{app}"),
            json!("kubelet, n1"),
            json!("pulled"),
            json!("59m"),
            json!(4),
            json!("e2")
        ]
    );
}

#[test]
fn hpa_rbac_and_cluster_objects() {
    // The HPA of the workloads-misc golden scenario (no metrics API: currentMetrics [{"type": ""}]).
    let hpa = json!({"metadata": meta("hpa"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "hpa-target", "apiVersion": "apps/v1"},
        "minReplicas": 1, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu",
        "target": {"type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"currentReplicas": 1, "desiredReplicas": 0, "currentMetrics": [{"type": ""}]}});
    assert_eq!(
        names(&columns("autoscaling", "horizontalpodautoscalers")),
        [
            "Name",
            "Reference",
            "Targets",
            "MinPods",
            "MaxPods",
            "Replicas",
            "Age"
        ]
    );
    assert_eq!(
        cells("autoscaling", "horizontalpodautoscalers", &hpa),
        [
            json!("hpa"),
            json!("Deployment/hpa-target"),
            json!("cpu: <unknown>/50%"),
            json!("1"),
            json!(5),
            json!(1),
            json!("2d")
        ]
    );
    let many = json!({"metadata": meta("m"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "d"}, "maxReplicas": 3,
        "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                    {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
                    {"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "Value", "value": "30"}}}]},
        "status": {"currentReplicas": 2, "currentMetrics": [{"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "50Mi"}}}]}});
    assert_eq!(
        cells("autoscaling", "horizontalpodautoscalers", &many)[2..4],
        [
            json!("memory: 50Mi/100Mi, <unknown>/1k + 1 more..."),
            json!("<unset>")
        ]
    );

    let rb = json!({"metadata": meta("rb"), "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [{"kind": "User", "name": "alice"}, {"kind": "ServiceAccount", "name": "default", "namespace": "ns"},
                     {"kind": "Group", "name": "devs"}, {"kind": "User", "name": "bob"}]});
    assert_eq!(
        names(&columns("rbac.authorization.k8s.io", "rolebindings")),
        ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"]
    );
    assert_eq!(
        cells("rbac.authorization.k8s.io", "rolebindings", &rb),
        [
            json!("rb"),
            json!("Role/reader"),
            json!("2d"),
            json!("alice, bob"),
            json!("devs"),
            json!("ns/default")
        ]
    );
    assert!(!super::super::has_printer(
        "rbac.authorization.k8s.io",
        "clusterroles"
    ));

    let sc = json!({"metadata": {"name": "standard", "creationTimestamp": "2026-02-27T12:00:00Z",
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "rancher.io/local-path",
        "volumeBindingMode": "WaitForFirstConsumer"});
    assert_eq!(
        cells("storage.k8s.io", "storageclasses", &sc),
        [
            json!("standard (default)"),
            json!("rancher.io/local-path"),
            json!("Delete"),
            json!("WaitForFirstConsumer"),
            json!(false),
            json!("2d")
        ]
    );
    let pc = json!({"metadata": meta("high"), "value": 1000, "preemptionPolicy": "PreemptLowerPriority"});
    assert_eq!(
        cells("scheduling.k8s.io", "priorityclasses", &pc),
        [
            json!("high"),
            json!(1000),
            json!(false),
            json!("2d"),
            json!("PreemptLowerPriority")
        ]
    );
    let lease = json!({"metadata": meta("kube-scheduler"), "spec": {"holderIdentity": "cp_1234"}});
    assert_eq!(
        cells("coordination.k8s.io", "leases", &lease),
        [json!("kube-scheduler"), json!("cp_1234"), json!("2d")]
    );
    let pdb = json!({"metadata": meta("pdb"), "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}});
    assert_eq!(
        cells("policy", "poddisruptionbudgets", &pdb),
        [
            json!("pdb"),
            json!("50%"),
            json!("N/A"),
            json!(1),
            json!("2d")
        ]
    );
    let cr = json!({"metadata": {"name": "fluentd-6f7c", "creationTimestamp": "2026-02-27T12:00:00Z",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd", "controller": true}]}, "revision": 2});
    assert_eq!(
        cells("apps", "controllerrevisions", &cr),
        [
            json!("fluentd-6f7c"),
            json!("daemonset.apps/fluentd"),
            json!(2),
            json!("2d")
        ]
    );
}
