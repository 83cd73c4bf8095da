//! Printers of networking objects: services, endpoints, endpointslices, ingresses,
//! ingressclasses, networkpolicies.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::docs as d;
use super::util::{
    Col, Ctx, Row, age, age_col, arr, col, format_label_selector, format_labels, i, list_with_more,
    name, name_col, s, wide,
};

pub(crate) fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, super::RowFn)> {
    let p: (Vec<Col>, super::RowFn) = match (group, plural) {
        ("", "services") => (service_cols(), service),
        ("", "endpoints") => (
            vec![
                name_col(),
                col("Endpoints", "string", d::ENDPOINTS_SUBSETS),
                age_col(),
            ],
            endpoints,
        ),
        ("discovery.k8s.io", "endpointslices") => (
            vec![
                name_col(),
                col("AddressType", "string", d::EPS_ADDRESS_TYPE),
                col("Ports", "string", d::EPS_PORTS),
                col("Endpoints", "string", d::EPS_ENDPOINTS),
                age_col(),
            ],
            endpoint_slice,
        ),
        ("networking.k8s.io", "ingresses") => (ingress_cols(), ingress),
        ("networking.k8s.io", "ingressclasses") => (
            vec![
                name_col(),
                col(
                    "Controller",
                    "string",
                    "Controller that is responsible for handling this class",
                ),
                col(
                    "Parameters",
                    "string",
                    "A reference to a resource with additional parameters",
                ),
                age_col(),
            ],
            ingress_class,
        ),
        ("networking.k8s.io", "networkpolicies") => (
            vec![
                name_col(),
                col("Pod-Selector", "string", d::NETPOL_POD_SELECTOR),
                age_col(),
            ],
            network_policy,
        ),
        _ => return None,
    };
    Some(p)
}

fn service_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Type", "string", d::SVC_TYPE),
        col("Cluster-IP", "string", d::SVC_CLUSTER_IP),
        col("External-IP", "string", d::SVC_EXTERNAL_IPS),
        col("Port(s)", "string", d::SVC_PORTS),
        age_col(),
        wide("Selector", "string", d::SVC_SELECTOR),
    ]
}

/// `loadBalancerStatusStringer` with wide output: the sorted, de-duplicated IPs or hostnames.
fn load_balancer_ingress(o: &Value, ptr: &str) -> String {
    let mut set = BTreeSet::new();
    for ing in arr(o, ptr) {
        let ip = s(ing, "/ip");
        let host = s(ing, "/hostname");
        if !ip.is_empty() {
            set.insert(ip.to_string());
        } else if !host.is_empty() {
            set.insert(host.to_string());
        }
    }
    set.into_iter().collect::<Vec<_>>().join(",")
}

fn external_ip(o: &Value) -> String {
    let external: Vec<String> = arr(o, "/spec/externalIPs")
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect();
    match s(o, "/spec/type") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".to_string()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ingress(o, "/status/loadBalancer/ingress");
            if !external.is_empty() {
                let mut results: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(',').map(str::to_string));
                }
                results.extend(external);
                return results.join(",");
            }
            if lb.is_empty() {
                "<pending>".to_string()
            } else {
                lb
            }
        }
        "ExternalName" => s(o, "/spec/externalName").to_string(),
        _ => "<unknown>".to_string(),
    }
}

fn service(o: &Value, ctx: &Ctx) -> Row {
    let cluster_ip = arr(o, "/spec/clusterIPs")
        .first()
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let ports: Vec<String> = arr(o, "/spec/ports")
        .iter()
        .map(|p| {
            let port = i(p, "/port");
            let proto = s(p, "/protocol");
            let node_port = i(p, "/nodePort");
            if node_port > 0 {
                format!("{port}:{node_port}/{proto}")
            } else {
                format!("{port}/{proto}")
            }
        })
        .collect();
    let ports = if ports.is_empty() {
        "<none>".to_string()
    } else {
        ports.join(",")
    };
    Row::new(vec![
        name(o),
        json!(s(o, "/spec/type")),
        json!(cluster_ip),
        json!(external_ip(o)),
        json!(ports),
        age(o, ctx),
        json!(format_labels(o.pointer("/spec/selector"))),
    ])
}

/// `formatEndpoints(endpoints, nil)`: up to three `ip:port` (or bare IPs for port-less subsets).
fn format_endpoints(o: &Value) -> String {
    let subsets = arr(o, "/subsets");
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for ss in subsets {
        let addresses = arr(ss, "/addresses");
        let ports = arr(ss, "/ports");
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(s(a, "/ip").to_string());
            }
            continue;
        }
        for p in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                let ip = s(a, "/ip");
                let port = i(p, "/port");
                list.push(if ip.contains(':') {
                    format!("[{ip}]:{port}")
                } else {
                    format!("{ip}:{port}")
                });
            }
        }
    }
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count - max);
    }
    ret
}

fn endpoints(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![name(o), json!(format_endpoints(o)), age(o, ctx)])
}

fn endpoint_slice(o: &Value, ctx: &Ctx) -> Row {
    let ports: Vec<String> = arr(o, "/ports")
        .iter()
        .map(|p| {
            match (
                p.get("port").and_then(Value::as_i64),
                p.get("name").and_then(Value::as_str),
            ) {
                (Some(n), _) => n.to_string(),
                (None, Some(name)) => name.to_string(),
                _ => "*".to_string(),
            }
        })
        .collect();
    let addresses: Vec<String> = arr(o, "/endpoints")
        .iter()
        .flat_map(|e| {
            arr(e, "/addresses")
                .iter()
                .map(|a| a.as_str().unwrap_or("").to_string())
        })
        .collect();
    Row::new(vec![
        name(o),
        json!(s(o, "/addressType")),
        json!(list_with_more(&ports, 3, "<unset>")),
        json!(list_with_more(&addresses, 3, "<unset>")),
        age(o, ctx),
    ])
}

fn ingress_cols() -> Vec<Col> {
    vec![
        name_col(),
        col(
            "Class",
            "string",
            "The name of the IngressClass resource that should be used for additional configuration",
        ),
        col(
            "Hosts",
            "string",
            "Hosts that incoming requests are matched against before the ingress rule",
        ),
        col(
            "Address",
            "string",
            "Address is a list containing ingress points for the load-balancer",
        ),
        col("Ports", "string", "Ports of TLS configurations that open"),
        age_col(),
    ]
}

fn ingress(o: &Value, ctx: &Ctx) -> Row {
    let class = o
        .pointer("/spec/ingressClassName")
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    // formatHosts: up to three non-empty hosts, "+ N more..." counted over all rules.
    let rules = arr(o, "/spec/rules");
    let max = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for r in rules {
        if list.len() == max {
            more = true;
        }
        let host = s(r, "/host");
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    let hosts = if list.is_empty() {
        "*".to_string()
    } else if more {
        format!("{} + {} more...", list.join(","), rules.len() - max)
    } else {
        list.join(",")
    };
    let ports = if arr(o, "/spec/tls").is_empty() {
        "80"
    } else {
        "80, 443"
    };
    Row::new(vec![
        name(o),
        json!(class),
        json!(hosts),
        json!(load_balancer_ingress(o, "/status/loadBalancer/ingress")),
        json!(ports),
        age(o, ctx),
    ])
}

fn ingress_class(o: &Value, ctx: &Ctx) -> Row {
    let parameters = match o.pointer("/spec/parameters").filter(|v| !v.is_null()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut out = s(p, "/kind").to_string();
            if let Some(g) = p.get("apiGroup").and_then(Value::as_str) {
                out = format!("{out}.{g}");
            }
            format!("{out}/{}", s(p, "/name"))
        }
    };
    Row::new(vec![
        name(o),
        json!(s(o, "/spec/controller")),
        json!(parameters),
        age(o, ctx),
    ])
}

fn network_policy(o: &Value, ctx: &Ctx) -> Row {
    // The pod selector is a value, not a pointer: an absent one is the empty selector.
    let empty = json!({});
    let sel = o
        .pointer("/spec/podSelector")
        .filter(|v| !v.is_null())
        .unwrap_or(&empty);
    Row::new(vec![
        name(o),
        json!(format_label_selector(Some(sel))),
        age(o, ctx),
    ])
}
