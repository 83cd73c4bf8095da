//! ResourceQuota admission (`CheckRequest` of the apiserver's quota evaluator) and the usage
//! calculation the quota controller keeps `status.used` with (`quota.CalculateUsage`).
//!
//! Admission works like the real one: it reads `status.hard` / `status.used` of the quotas in
//! the namespace, refuses what would exceed them, and records the new usage in `status.used`
//! before the object is stored. Callers hold `Sim::admission_lock` around the check and the
//! store write, so concurrent requests are charged one after the other.

use std::sync::Arc;

use chrono::Utc;
use serde_json::Value;

use super::evaluators::{Evaluator, LEGACY_COUNTS, Op, count_name, scope_selectors};
use super::resource_list::{self as rl, ResourceList};
use crate::cluster::Sim;
use crate::store::{Key, object_rv};

/// One request as quota admission sees it.
pub struct Request<'a> {
    pub group: &'a str,
    pub plural: &'a str,
    pub namespace: &'a str,
    pub subresource: &'a str,
    pub op: Op,
    pub obj: &'a Value,
    pub old: Option<&'a Value>,
    pub dry_run: bool,
}

fn quotas(sim: &Sim, ns: &str) -> Vec<Arc<Value>> {
    sim.store.list("resourcequotas", Some(ns)).0
}

fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Check a create or update against every quota of the namespace. `Err` is the reason text of
/// the 403 (`exceeded quota: ...`, `failed quota: ...`); on success the quotas' `status.used`
/// includes the request (unless it is a dry run).
pub fn admit(sim: &Sim, req: &Request) -> Result<(), String> {
    if req.namespace.is_empty()
        || !(req.subresource.is_empty() || (req.plural == "pods" && req.subresource == "resize"))
    {
        return Ok(());
    }
    let Some(ev) = Evaluator::for_resource(req.group, req.plural) else {
        return Ok(());
    };
    if !ev.handles(req.op, req.subresource, req.obj, req.old) {
        return Ok(());
    }
    let quotas = quotas(sim, req.namespace);
    if quotas.is_empty() {
        return Ok(());
    }
    let mut interesting: Vec<usize> = Vec::new();
    for (i, q) in quotas.iter().enumerate() {
        if !ev.matches(q, req.obj) {
            continue;
        }
        let hard = rl::parse(q.pointer("/status/hard"));
        let hard_names: Vec<String> = hard.keys().cloned().collect();
        let restricted = ev.matching_resources(&hard_names);
        ev.constraints(&restricted, req.obj)
            .map_err(|e| format!("failed quota: {}: {e}", name_of(q)))?;
        let used = rl::parse(q.pointer("/status/used"));
        if restricted.iter().any(|r| !used.contains_key(r)) {
            let mut names = restricted.clone();
            names.sort();
            return Err(format!(
                "status unknown for quota: {}, resources: {}",
                name_of(q),
                names.join(",")
            ));
        }
        interesting.push(i);
    }
    if interesting.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let input = ev.usage(req.obj, now);
    let negative = rl::negative(&input);
    if !negative.is_empty() {
        return Err(format!(
            "quota usage is negative for resource(s): {}",
            negative.join(",")
        ));
    }
    let mut deltas: Vec<(usize, ResourceList)> =
        interesting.iter().map(|&i| (i, input.clone())).collect();
    if let (Op::Update, Some(old)) = (req.op, req.old)
        && object_rv(old) > 0
    {
        let delta = rl::subtract_non_negative(&input, &ev.usage(old, now));
        for (i, d) in &mut deltas {
            if ev.matches(&quotas[*i], old) {
                *d = delta.clone();
            }
        }
    }
    let deltas: Vec<(usize, ResourceList)> = deltas
        .into_iter()
        .map(|(i, d)| (i, rl::remove_zeros(&d)))
        .filter(|(_, d)| !d.is_empty())
        .collect();
    let mut updates: Vec<(usize, ResourceList)> = Vec::new();
    for (i, delta) in deltas {
        let q = &quotas[i];
        let hard = rl::parse(q.pointer("/status/hard"));
        let used = rl::parse(q.pointer("/status/used"));
        let requested = rl::mask(&delta, hard.keys());
        let new_usage = rl::add(&used, &requested);
        let over = rl::exceeded(&rl::mask(&new_usage, requested.keys()), &hard);
        if !over.is_empty() {
            return Err(format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                name_of(q),
                rl::pretty(&rl::mask(&requested, &over)),
                rl::pretty(&rl::mask(&used, &over)),
                rl::pretty(&rl::mask(&hard, &over))
            ));
        }
        if !rl::equals(&new_usage, &used) {
            updates.push((i, new_usage));
        }
    }
    if !req.dry_run {
        for (i, used) in updates {
            write_used(sim, &quotas[i], &used);
        }
    }
    Ok(())
}

/// Store a quota with a new `status.used` (the quota's own other fields unchanged).
fn write_used(sim: &Sim, quota: &Value, used: &ResourceList) {
    let key = Key::new(
        "resourcequotas",
        quota
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or(""),
        name_of(quota),
    );
    let mut next = quota.clone();
    next["status"]["used"] = rl::to_json(used);
    let _ = sim.store.update(&key, next, Some(object_rv(quota)));
}

/// The evaluators that can measure something of `hard` (`quota.CalculateUsage`'s registry):
/// the built-in ones plus an object counter per quotable resource named by a `count/...` entry.
fn evaluators_for(sim: &Sim, hard: &[String]) -> Vec<Evaluator> {
    let mut out = vec![
        Evaluator::Pods,
        Evaluator::Services,
        Evaluator::PersistentVolumeClaims,
    ];
    out.extend(LEGACY_COUNTS.iter().map(|p| Evaluator::Count {
        group: String::new(),
        plural: (*p).to_string(),
    }));
    for name in hard {
        let Some(rest) = name.strip_prefix("count/") else {
            continue;
        };
        let (plural, group) = rest.split_once('.').unwrap_or((rest, ""));
        if out
            .iter()
            .any(|e| !e.matching_resources(std::slice::from_ref(name)).is_empty())
        {
            continue;
        }
        let registry = sim.registry.current();
        let quotable = registry
            .versions(group)
            .iter()
            .filter_map(|v| registry.lookup(group, v, plural))
            .any(|r| {
                r.namespaced
                    && ["create", "list", "watch", "delete"]
                        .iter()
                        .all(|v| r.has_verb(v))
            });
        if let (true, Some(ev)) = (quotable, Evaluator::for_resource(group, plural))
            && count_name(group, plural) == *name
        {
            out.push(ev);
        }
    }
    out
}

/// The usage of everything `quota` tracks, measured from the objects of its namespace
/// (only the resources that can be measured appear).
pub fn calculate_usage(sim: &Sim, quota: &Value) -> ResourceList {
    let ns = quota
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let hard: Vec<String> = rl::parse(quota.pointer("/spec/hard")).into_keys().collect();
    let selectors = scope_selectors(quota);
    let now = Utc::now();
    let mut usage = ResourceList::new();
    let mut measured: Vec<String> = Vec::new();
    for ev in evaluators_for(sim, &hard) {
        let names = ev.matching_resources(&hard);
        if names.is_empty() {
            continue;
        }
        let mut stats: ResourceList = names
            .iter()
            .map(|n| (n.clone(), crate::resources::Quantity::zero()))
            .collect();
        for obj in sim.store.list(&ev.storage_resource(), Some(ns)).0 {
            if selectors.iter().all(|s| ev.matches_scope(s, &obj)) {
                stats = rl::add(&stats, &ev.usage(&obj, now));
            }
        }
        usage = rl::add(&usage, &stats);
        measured.extend(names);
    }
    rl::mask(&usage, &measured)
}
