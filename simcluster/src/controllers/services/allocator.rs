//! Service IP and node port allocation as the Service REST storage does it: cluster IPs from the
//! service CIDR 10.96.0.0/12, node ports from 30000-32767, kept on update, free again once the
//! Service is gone; explicit values are checked against the range and for conflicts with the
//! real messages. Called under the admission lock, so the store is the allocation table.

use std::collections::HashSet;
use std::net::Ipv4Addr;

use rand::Rng;
use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::resources::json::{arr_at, str_at};
use crate::status::{ApiError, FieldError};

/// The service CIDR.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const NET: u32 = 0x0a60_0000; // 10.96.0.0
const NET_SIZE: u32 = 1 << 20;
/// The node port range.
pub const NODE_PORTS: (i64, i64) = (30000, 32767);

fn in_range(ip: Ipv4Addr) -> bool {
    let v = u32::from(ip);
    v > NET && v < NET + NET_SIZE - 1
}

/// Cluster IPs and node ports in use by Services other than `skip` (`namespace/name`).
fn in_use(sim: &Sim, skip: &str) -> (HashSet<String>, HashSet<i64>) {
    let (svcs, _) = sim.store.list("services", None);
    let mut ips = HashSet::new();
    let mut ports = HashSet::new();
    for s in svcs {
        if format!(
            "{}/{}",
            str_at(&s, "metadata/namespace"),
            str_at(&s, "metadata/name")
        ) == skip
        {
            continue;
        }
        for ip in arr_at(&s, "spec/clusterIPs")
            .iter()
            .filter_map(Value::as_str)
        {
            ips.insert(ip.to_string());
        }
        for p in arr_at(&s, "spec/ports") {
            if let Some(n) = p.get("nodePort").and_then(Value::as_i64) {
                ports.insert(n);
            }
        }
        if let Some(n) = s
            .pointer("/spec/healthCheckNodePort")
            .and_then(Value::as_i64)
        {
            ports.insert(n);
        }
    }
    (ips, ports)
}

fn needs_node_ports(svc: &Value) -> bool {
    match str_at(svc, "spec/type") {
        "NodePort" => true,
        "LoadBalancer" => svc.pointer("/spec/allocateLoadBalancerNodePorts") != Some(&json!(false)),
        _ => false,
    }
}

fn invalid(name: &str, errs: Vec<FieldError>) -> ApiError {
    ApiError::invalid("Service", "", name, &errs)
}

/// Fill in the cluster IP and node ports of a Service being created (or updated from `old`).
pub fn allocate(sim: &Sim, mut svc: Value, old: Option<&Value>) -> Result<Value, ApiError> {
    let ns = str_at(&svc, "metadata/namespace").to_string();
    let name = str_at(&svc, "metadata/name").to_string();
    let (ips, mut ports) = in_use(sim, &format!("{ns}/{name}"));
    let ty = str_at(&svc, "spec/type").to_string();
    let mut errs = Vec::new();
    if ty != "ExternalName" {
        let given = svc
            .pointer("/spec/clusterIP")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or_else(|| svc.pointer("/spec/clusterIPs/0").and_then(Value::as_str))
            .unwrap_or("")
            .to_string();
        let kept = old.is_some_and(|o| str_at(o, "spec/clusterIP") == given && !given.is_empty());
        let ip = if given == "None" || kept {
            Some(given.clone())
        } else if given.is_empty() {
            let mut rng = rand::rng();
            // Dynamic allocations avoid the lowest 256 addresses (reserved for static ones).
            (0..64)
                .map(|_| Ipv4Addr::from(NET + rng.random_range(256..NET_SIZE - 1)).to_string())
                .find(|ip| !ips.contains(ip))
        } else {
            match given.parse::<Ipv4Addr>() {
                Ok(ip) if !in_range(ip) => {
                    errs.push(FieldError::invalid("spec.clusterIPs", json!([given]), format!(
                        "failed to allocate IP {given}: the provided IP ({given}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
                    )));
                    None
                }
                Ok(_) if ips.contains(&given) => {
                    errs.push(FieldError::invalid(
                        "spec.clusterIPs",
                        json!([given]),
                        format!("failed to allocate IP {given}: provided IP is already allocated"),
                    ));
                    None
                }
                _ => Some(given.clone()),
            }
        };
        if let Some(ip) = ip {
            svc["spec"]["clusterIP"] = json!(ip);
            svc["spec"]["clusterIPs"] = json!([ip]);
        }
    }
    if needs_node_ports(&svc) {
        let mut rng = rand::rng();
        if let Some(list) = svc.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
            for (i, p) in list.iter_mut().enumerate() {
                let given = p.get("nodePort").and_then(Value::as_i64).unwrap_or(0);
                let was = old.is_some_and(|o| {
                    arr_at(o, "spec/ports")
                        .iter()
                        .any(|op| op.get("nodePort").and_then(Value::as_i64) == Some(given))
                });
                if given == 0 {
                    let free = (0..256)
                        .map(|_| rng.random_range(NODE_PORTS.0 + 128..=NODE_PORTS.1))
                        .find(|n| !ports.contains(n));
                    let free =
                        free.or_else(|| (NODE_PORTS.0..=NODE_PORTS.1).find(|n| !ports.contains(n)));
                    if let Some(n) = free {
                        p["nodePort"] = json!(n);
                        ports.insert(n);
                    }
                } else if !was && !(NODE_PORTS.0..=NODE_PORTS.1).contains(&given) {
                    errs.push(FieldError::invalid(format!("spec.ports[{i}].nodePort"), given, format!(
                        "provided port is not in the valid range. The range of valid ports is {}-{}",
                        NODE_PORTS.0, NODE_PORTS.1
                    )));
                } else if !was && !ports.insert(given) {
                    errs.push(FieldError::invalid(
                        format!("spec.ports[{i}].nodePort"),
                        given,
                        "provided port is already allocated",
                    ));
                }
            }
        }
    }
    let local_lb = ty == "LoadBalancer" && str_at(&svc, "spec/externalTrafficPolicy") == "Local";
    if local_lb
        && svc
            .pointer("/spec/healthCheckNodePort")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            == 0
    {
        let kept = old
            .and_then(|o| o.pointer("/spec/healthCheckNodePort"))
            .and_then(Value::as_i64);
        let mut rng = rand::rng();
        let free = kept.or_else(|| {
            (0..256)
                .map(|_| rng.random_range(NODE_PORTS.0 + 128..=NODE_PORTS.1))
                .find(|n| !ports.contains(n))
        });
        if let Some(n) = free {
            svc["spec"]["healthCheckNodePort"] = json!(n);
        }
    }
    if errs.is_empty() {
        Ok(svc)
    } else {
        Err(invalid(&name, errs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_range() {
        assert!(in_range("10.96.0.1".parse().unwrap()));
        assert!(in_range("10.111.255.254".parse().unwrap()));
        assert!(!in_range("10.112.0.1".parse().unwrap()));
        assert!(!in_range("10.96.0.0".parse().unwrap()));
        assert!(!in_range("10.0.0.1".parse().unwrap()));
    }
}
