//! Services: cluster IP and node port allocation at create and update (called from the API's
//! write path), the `kubernetes` Service of the API server, and the endpoints controllers.

pub mod allocator;
pub mod endpoints;

use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::status::ApiError;
use crate::store::Key;

/// Allocate the cluster IP and node ports of a Service being created (other objects pass).
pub fn allocate_create(sim: &Sim, group: &str, kind: &str, obj: Value) -> Result<Value, ApiError> {
    if group.is_empty() && kind == "Service" {
        allocator::allocate(sim, obj, None)
    } else {
        Ok(obj)
    }
}

/// Keep or allocate the cluster IP and node ports of a Service being updated.
pub fn allocate_update(
    sim: &Sim,
    group: &str,
    kind: &str,
    obj: Value,
    old: &Value,
) -> Result<Value, ApiError> {
    if group.is_empty() && kind == "Service" {
        allocator::allocate(sim, obj, Some(old))
    } else {
        Ok(obj)
    }
}

/// The `kubernetes` Service in `default` (10.96.0.1:443 → the API server), its Endpoints and
/// EndpointSlice, as kube-apiserver maintains them.
pub fn bootstrap(sim: &Sim) {
    let (host, port) = sim
        .server_address
        .rsplit_once(':')
        .unwrap_or(("127.0.0.1", "443"));
    let port: i64 = port.parse().unwrap_or(443);
    let now = super::now();
    let meta = |labels: Value| json!({"name": "kubernetes", "namespace": "default", "uid": uuid::Uuid::new_v4().to_string(), "creationTimestamp": now, "labels": labels});
    let svc = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": meta(json!({"component": "apiserver", "provider": "kubernetes"})),
        "spec": {
            "ports": [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": port}],
            "clusterIP": "10.96.0.1",
            "clusterIPs": ["10.96.0.1"],
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "internalTrafficPolicy": "Cluster",
        },
        "status": {"loadBalancer": {}},
    });
    let _ = sim
        .store
        .create(Key::new("services", "default", "kubernetes"), svc);
    let ep = json!({
        "kind": "Endpoints",
        "apiVersion": "v1",
        "metadata": meta(json!({"endpointslice.kubernetes.io/skip-mirror": "true"})),
        "subsets": [{"addresses": [{"ip": host}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
    });
    let _ = sim
        .store
        .create(Key::new("endpoints", "default", "kubernetes"), ep);
    let mut slice_meta = meta(json!({"kubernetes.io/service-name": "kubernetes"}));
    slice_meta["generation"] = json!(1);
    let slice = json!({
        "kind": "EndpointSlice",
        "apiVersion": "discovery.k8s.io/v1",
        "metadata": slice_meta,
        "addressType": "IPv4",
        "endpoints": [{"addresses": [host], "conditions": {"ready": true}}],
        "ports": [{"name": "https", "protocol": "TCP", "port": port}],
    });
    let _ = sim.store.create(
        Key::new("discovery.k8s.io/endpointslices", "default", "kubernetes"),
        slice,
    );
}
