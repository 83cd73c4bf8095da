//! Quota evaluators (`k8s.io/kubernetes/pkg/quota/v1/evaluator/core` and the generic object
//! counter): which quota resources an object kind consumes, how much one object uses, which
//! scopes it matches, and the "must specify" constraints of pods.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::resource_list::{self as rl, Kind, ResourceList};
use super::usage::{
    STORAGE_CLASS_SUFFIX, compute_usage, is_terminating, pod_matches_scope, pod_usage, pvc_usage,
    service_usage, volume_attributes_classes,
};
use crate::resources::Quantity;

/// Resources never charged to a quota (`install.DefaultIgnoredResources`).
const IGNORED: &[(&str, &str)] = &[
    ("", "bindings"),
    ("", "componentstatuses"),
    ("", "events"),
    ("authentication.k8s.io", "tokenreviews"),
    ("authorization.k8s.io", "subjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ("authorization.k8s.io", "localsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectrulesreviews"),
];

/// Core resources whose object count also has a legacy name (`configmaps` = `count/configmaps`).
pub const LEGACY_COUNTS: &[&str] = &[
    "configmaps",
    "resourcequotas",
    "replicationcontrollers",
    "secrets",
];

const POD_RESOURCES: &[&str] = &[
    "count/pods",
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];
/// Quota names that require every container to state the matching request or limit.
const POD_VALIDATION_SET: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];
const SERVICE_RESOURCES: &[&str] = &[
    "count/services",
    "services",
    "services.loadbalancers",
    "services.nodeports",
];
const PVC_RESOURCES: &[&str] = &["persistentvolumeclaims", "requests.storage"];

/// The admission operation being checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    Create,
    Update,
}

/// One scope requirement of a quota (`spec.scopes` entries become `Exists`).
#[derive(Clone, Debug)]
pub struct ScopeSelector {
    pub scope: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// `getScopeSelectorsFromQuota`.
pub fn scope_selectors(quota: &Value) -> Vec<ScopeSelector> {
    let mut out: Vec<ScopeSelector> = quota
        .pointer("/spec/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| ScopeSelector {
            scope: s.to_string(),
            operator: "Exists".into(),
            values: vec![],
        })
        .collect();
    for e in quota
        .pointer("/spec/scopeSelector/matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let values = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        out.push(ScopeSelector {
            scope: s("scopeName"),
            operator: s("operator"),
            values,
        });
    }
    out
}

/// A label-selector requirement on the one-entry set `{scope: value}` (or the empty set).
pub(super) fn selector_matches(sel: &ScopeSelector, value: Option<&str>) -> bool {
    match sel.operator.as_str() {
        "In" => value.is_some_and(|v| sel.values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !sel.values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        _ => false,
    }
}

/// An evaluator: what a kind of object consumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evaluator {
    Pods,
    Services,
    PersistentVolumeClaims,
    /// Object count of any other resource (`count/<plural>[.<group>]`, plus the legacy alias).
    Count {
        group: String,
        plural: String,
    },
}

/// `count/<plural>` for the core group, `count/<plural>.<group>` otherwise.
pub fn count_name(group: &str, plural: &str) -> String {
    if group.is_empty() {
        format!("count/{plural}")
    } else {
        format!("count/{plural}.{group}")
    }
}

/// `IsNativeResource`: no domain, or a `kubernetes.io/` one.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName` (as used by the pod evaluator).
pub(super) fn is_extended(name: &str) -> bool {
    !is_native(name) && !name.starts_with("requests.")
}

impl Evaluator {
    /// The evaluator of a resource, `None` for resources quota ignores.
    pub fn for_resource(group: &str, plural: &str) -> Option<Evaluator> {
        if IGNORED.contains(&(group, plural)) {
            return None;
        }
        Some(match (group, plural) {
            ("", "pods") => Evaluator::Pods,
            ("", "services") => Evaluator::Services,
            ("", "persistentvolumeclaims") => Evaluator::PersistentVolumeClaims,
            _ => Evaluator::Count {
                group: group.into(),
                plural: plural.into(),
            },
        })
    }

    /// Storage key prefix of the objects this evaluator measures.
    pub fn storage_resource(&self) -> String {
        match self {
            Evaluator::Pods => "pods".into(),
            Evaluator::Services => "services".into(),
            Evaluator::PersistentVolumeClaims => "persistentvolumeclaims".into(),
            Evaluator::Count { group, plural } => crate::api::storage_resource(group, plural),
        }
    }

    /// `MatchingResources`: the names among `input` this evaluator tracks.
    pub fn matching_resources(&self, input: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in input {
            let n = name.as_str();
            let hit = match self {
                Evaluator::Pods => {
                    POD_RESOURCES.contains(&n)
                        || n.starts_with("hugepages-")
                        || n.starts_with("requests.hugepages-")
                        || (!is_native(n) && n.starts_with("requests."))
                }
                Evaluator::Services => SERVICE_RESOURCES.contains(&n),
                Evaluator::PersistentVolumeClaims => {
                    n == "count/persistentvolumeclaims"
                        || PVC_RESOURCES.contains(&n)
                        || PVC_RESOURCES
                            .iter()
                            .any(|r| n.ends_with(&format!("{STORAGE_CLASS_SUFFIX}{r}")))
                }
                Evaluator::Count { group, plural } => {
                    n == count_name(group, plural)
                        || (group.is_empty()
                            && LEGACY_COUNTS.contains(&plural.as_str())
                            && n == plural)
                }
            };
            if hit && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }

    /// Whether an object of this kind matches one scope requirement.
    pub fn matches_scope(&self, sel: &ScopeSelector, obj: &Value) -> bool {
        match self {
            Evaluator::Pods => pod_matches_scope(sel, obj),
            Evaluator::PersistentVolumeClaims if sel.scope == "VolumeAttributesClass" => {
                let classes = volume_attributes_classes(obj);
                if sel.operator == "Exists" {
                    return !classes.is_empty();
                }
                if classes.is_empty() {
                    return selector_matches(sel, None);
                }
                classes.iter().any(|c| selector_matches(sel, Some(c)))
            }
            _ => false,
        }
    }

    /// `generic.Matches`: the quota tracks something of this kind (by `status.hard`) and every
    /// scope matches.
    pub fn matches(&self, quota: &Value, obj: &Value) -> bool {
        let hard: Vec<String> = rl::parse(quota.pointer("/status/hard"))
            .into_keys()
            .collect();
        !self.matching_resources(&hard).is_empty()
            && scope_selectors(quota)
                .iter()
                .all(|s| self.matches_scope(s, obj))
    }

    /// `Handles`: whether this operation can change usage.
    pub fn handles(&self, op: Op, subresource: &str, obj: &Value, old: Option<&Value>) -> bool {
        match self {
            Evaluator::Pods => match (subresource, op) {
                ("", Op::Create) => true,
                ("", Op::Update) => old.is_some_and(|o| is_terminating(o) != is_terminating(obj)),
                ("resize", Op::Update) => true,
                _ => false,
            },
            _ if !subresource.is_empty() => false,
            Evaluator::Services | Evaluator::PersistentVolumeClaims => true,
            Evaluator::Count { .. } => op == Op::Create,
        }
    }

    /// `Usage`: what one object consumes (`now` decides whether a deleted pod still counts).
    pub fn usage(&self, obj: &Value, now: DateTime<Utc>) -> ResourceList {
        let one = || Quantity::from_units(1, crate::resources::quantity::Format::DecimalSI);
        match self {
            Evaluator::Pods => pod_usage(obj, now),
            Evaluator::Services => service_usage(obj),
            Evaluator::PersistentVolumeClaims => pvc_usage(obj),
            Evaluator::Count { group, plural } => {
                let mut out = ResourceList::from([(count_name(group, plural), one())]);
                if group.is_empty() && LEGACY_COUNTS.contains(&plural.as_str()) {
                    out.insert(plural.clone(), one());
                }
                out
            }
        }
    }

    /// `Constraints`: pods must state every quota-tracked cpu/memory request and limit.
    pub fn constraints(&self, required: &[String], obj: &Value) -> Result<(), String> {
        if *self != Evaluator::Pods || rl::pod_level_set(obj) {
            return Ok(());
        }
        let required: BTreeSet<&str> = required
            .iter()
            .map(String::as_str)
            .filter(|n| POD_VALIDATION_SET.contains(n))
            .collect();
        let mut missing: std::collections::BTreeMap<&str, BTreeSet<String>> = Default::default();
        for list in ["containers", "initContainers"] {
            for c in obj
                .pointer(&format!("/spec/{list}"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let usage = compute_usage(
                    &rl::container(c, Kind::Requests),
                    &rl::container(c, Kind::Limits),
                );
                let name = c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                for r in &required {
                    if !usage.contains_key(*r) {
                        missing.entry(r).or_default().insert(name.clone());
                    }
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let parts: Vec<String> = missing
            .iter()
            .map(|(r, names)| {
                format!(
                    "{r} for: {}",
                    names.iter().cloned().collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        Err(format!("must specify {}", parts.join("; ")))
    }
}
