//! `metrics.k8s.io/v1beta1` as metrics-server serves it (when `SimConfig::metrics_api` is on):
//! NodeMetrics and PodMetrics get and list, label (and `metadata.name`) selectors, namespaced
//! and cluster-wide pod lists, the Table form; usage from the model in `sim_metrics`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::Response;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::negotiate::{self, Repr};
use super::options::list_options;
use super::read::Selectors;
use crate::resources::json::{obj_at, str_at};
use crate::sim_metrics::{Usage, format_cpu, format_memory, node_usage, pod_usage, sample_time};
use crate::status::{ApiError, details};
use crate::store::Key;

const API_VERSION: &str = "metrics.k8s.io/v1beta1";
const WINDOW: &str = "20.051s";

fn meta(obj: &Value, now: &str) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(str_at(obj, "metadata/name")));
    if let Some(ns) = obj.pointer("/metadata/namespace") {
        m.insert("namespace".into(), ns.clone());
    }
    m.insert("creationTimestamp".into(), json!(now));
    if let Some(l) = obj_at(obj, "metadata/labels") {
        m.insert("labels".into(), Value::Object(l.clone()));
    }
    Value::Object(m)
}

fn usage(u: &Usage) -> Value {
    json!({"cpu": format_cpu(u.cpu_nanos), "memory": format_memory(u.memory_bytes)})
}

fn not_found(resource: &str, name: &str) -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        format!("{resource}.metrics.k8s.io {name:?} not found"),
    )
    .with_details(details(name, "metrics.k8s.io", resource))
}

pub fn handle(ctx: &Ctx, verb: &str) -> Result<Response<Body>, ApiError> {
    let now = Utc::now();
    let at = sample_time(now);
    let stamp = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let timestamp = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let seed = ctx.sim.config.random_seed;
    let nodes_view = ctx.path.resource == "nodes";
    let one = (verb == "get").then_some(ctx.path.name.as_str());
    let ns = (!ctx.path.namespace.is_empty()).then_some(ctx.path.namespace.as_str());
    let items: Vec<Value> = if nodes_view {
        // Only the nodes asked for, each with the pods bound to it (the store's node index).
        let nodes: Vec<Arc<Value>> = match one {
            Some(n) => ctx
                .sim
                .store
                .get(&Key::new("nodes", "", n))
                .into_iter()
                .collect(),
            None => ctx.sim.store.list("nodes", None).0,
        };
        nodes
            .iter()
            .filter(|n| crate::controllers::kubelet::node::simulated(n) && ctx.sim.config.kubelet)
            .map(|n| {
                let pods = ctx.sim.store.pods_on_node(str_at(n, "metadata/name"));
                let pods: Vec<&Value> = pods.iter().map(|p| &**p).collect();
                let u = node_usage(seed, n, &pods, at);
                json!({"metadata": meta(n, &stamp), "timestamp": timestamp, "window": WINDOW, "usage": usage(&u)})
            })
            .collect()
    } else {
        let pods: Vec<Arc<Value>> = match (one, ns) {
            (Some(n), Some(ns)) => ctx
                .sim
                .store
                .get(&Key::new("pods", ns, n))
                .into_iter()
                .collect(),
            _ => ctx.sim.store.list("pods", ns).0,
        };
        pods.iter()
            .filter_map(|p| {
                let containers = pod_usage(seed, p, at);
                if containers.is_empty() {
                    return None;
                }
                let cs: Vec<Value> = containers.iter().map(|(name, u)| json!({"name": name, "usage": usage(u)})).collect();
                Some(json!({"metadata": meta(p, &stamp), "timestamp": timestamp, "window": WINDOW, "containers": cs}))
            })
            .collect()
    };
    let kind = if nodes_view {
        "NodeMetrics"
    } else {
        "PodMetrics"
    };
    if verb == "get" {
        let name = &ctx.path.name;
        let found = items
            .into_iter()
            .find(|i| str_at(i, "metadata/name") == name.as_str());
        let Some(mut item) = found else {
            let shown = if nodes_view {
                name.clone()
            } else {
                format!("{}/{name}", ctx.path.namespace)
            };
            return Err(not_found(
                if nodes_view {
                    "nodemetrics"
                } else {
                    "podmetrics"
                },
                &shown,
            ));
        };
        if let Repr::Table(_) = ctx.repr {
            return Ok(negotiate::object(
                200,
                &table(&[item], nodes_view, ctx),
                ctx.repr,
            ));
        }
        let m = item.as_object_mut().expect("object");
        m.insert("kind".into(), json!(kind));
        m.insert("apiVersion".into(), json!(API_VERSION));
        let ordered = super::write::order_object(item);
        return Ok(negotiate::object(200, &ordered, ctx.repr));
    }
    let opts = list_options(&ctx.query)?;
    let sel = Selectors::parse(ctx, &opts.label_selector, &opts.field_selector)?;
    let items: Vec<Value> = items.into_iter().filter(|i| sel.matches(i)).collect();
    if let Repr::Table(_) = ctx.repr {
        return Ok(negotiate::object(
            200,
            &table(&items, nodes_view, ctx),
            ctx.repr,
        ));
    }
    let list = json!({"kind": format!("{kind}List"), "apiVersion": API_VERSION, "metadata": {}, "items": items});
    Ok(negotiate::object(200, &list, ctx.repr))
}

/// metrics-server's table: Name, one column per resource, Window.
fn table(items: &[Value], nodes_view: bool, ctx: &Ctx) -> Value {
    let col = |name: &str, format: &str| json!({"name": name, "type": "string", "format": format, "description": "", "priority": 0});
    let mut cols = vec![
        json!({"name": "Name", "type": "string", "format": "name", "description": "Name of the resource", "priority": 0}),
    ];
    cols.push(col("cpu", "quantity"));
    cols.push(col("memory", "quantity"));
    cols.push(col("Window", "duration"));
    let rows: Vec<Value> = items
        .iter()
        .map(|i| {
            let (cpu, mem) = if nodes_view {
                (str_at(i, "usage/cpu").to_string(), str_at(i, "usage/memory").to_string())
            } else {
                let mut total = Usage::default();
                for c in i["containers"].as_array().into_iter().flatten() {
                    total.cpu_nanos += str_at(c, "usage/cpu").trim_end_matches('n').parse::<i64>().unwrap_or(0);
                    total.memory_bytes += str_at(c, "usage/memory").trim_end_matches("Ki").parse::<i64>().unwrap_or(0) * 1024;
                }
                (format_cpu(total.cpu_nanos), format_memory(total.memory_bytes))
            };
            let object = match ctx.query.get("includeObject").unwrap_or("Metadata") {
                "None" => Value::Null,
                "Object" => i.clone(),
                _ => json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": i["metadata"]}),
            };
            json!({"cells": [str_at(i, "metadata/name"), cpu, mem, WINDOW], "object": object})
        })
        .collect();
    let version = if let Repr::Table(v) = ctx.repr {
        v
    } else {
        "v1"
    };
    json!({"kind": "Table", "apiVersion": format!("meta.k8s.io/{version}"), "metadata": {}, "columnDefinitions": cols, "rows": rows})
}
