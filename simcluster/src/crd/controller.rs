//! The apiextensions controllers of the simulator: the naming and establishing controllers
//! (accepted names, `NamesAccepted` and `Established` conditions, `storedVersions`), serving
//! the established CRDs' resources through the registry, and the cleanup of the objects of a
//! deleted CRD.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::STORAGE;
use crate::cluster::Sim;
use crate::discovery::ResourceInfo;
use crate::resources::json::{arr_at, str_at};
use crate::store::{Key, object_rv};

/// One pass: status of new or changed CRDs, the served resources, orphaned objects removed.
pub fn reconcile(sim: &Sim) {
    let (crds, _) = sim.store.list(STORAGE, None);
    let mut served = Vec::new();
    let mut owned: BTreeSet<String> = BTreeSet::new();
    for crd in &crds {
        let group = str_at(crd, "spec/group");
        owned.insert(format!("{group}/{}", str_at(crd, "spec/names/plural")));
        if crd.pointer("/metadata/deletionTimestamp").is_some() {
            finalize(sim, crd);
            continue;
        }
        let crd = match establish(sim, crd) {
            Some(updated) => updated,
            None => (**crd).clone(),
        };
        if super::established(&crd) {
            served.extend(super::served(&crd));
        }
    }
    let current = sim.registry.current();
    let key = |r: &ResourceInfo| {
        (
            r.group.clone(),
            r.version.clone(),
            r.plural.clone(),
            r.namespaced,
        )
    };
    let mut now: Vec<_> = current
        .resources()
        .filter(|r| r.custom.is_some())
        .map(key)
        .collect();
    let mut next: Vec<_> = served.iter().map(key).collect();
    now.sort();
    next.sort();
    let infos_changed = now != next
        || served.iter().any(|r| {
            current
                .lookup(&r.group, &r.version, &r.plural)
                .is_none_or(|c| c.custom != r.custom || c.short_names != r.short_names)
        });
    if infos_changed {
        sim.registry.set_custom(served);
    }
    remove_orphans(sim, &owned);
}

/// The status the naming and establishing controllers give a CRD; the updated CRD when it
/// changed.
fn establish(sim: &Sim, crd: &Value) -> Option<Value> {
    if crd.pointer("/metadata/deletionTimestamp").is_some() {
        return None;
    }
    let names = crd.pointer("/spec/names").cloned().unwrap_or(json!({}));
    let accepted_ok = crd.pointer("/status/acceptedNames") == Some(&names);
    if accepted_ok && super::established(crd) {
        return None;
    }
    let now = crate::controllers::now();
    let mut stored: Vec<Value> = arr_at(crd, "status/storedVersions").to_vec();
    if let Some(v) = arr_at(crd, "spec/versions")
        .iter()
        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .map(|v| v["name"].clone())
        && !stored.contains(&v)
    {
        stored.push(v);
    }
    let mut next = crd.clone();
    next["status"] = json!({
        "acceptedNames": names,
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "lastTransitionTime": now,
             "reason": "NoConflicts", "message": "no conflicts found"},
            {"type": "Established", "status": "True", "lastTransitionTime": now,
             "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"},
        ],
        "storedVersions": stored,
    });
    let key = Key::new(STORAGE, "", str_at(crd, "metadata/name"));
    sim.store
        .update(&key, next, Some(object_rv(crd)))
        .ok()
        .map(|v| (*v).clone())
}

/// The `Terminating` condition of a CRD marked for deletion (set by the delete itself).
pub fn mark_terminating(crd: &mut Value) {
    let cond = json!({"type": "Terminating", "status": "True",
        "lastTransitionTime": crate::controllers::now(), "reason": "InstanceDeletionPending",
        "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon"});
    if !crd["status"]["conditions"].is_array() {
        crd["status"]["conditions"] = json!([]);
    }
    if let Some(conds) = crd["status"]["conditions"].as_array_mut() {
        conds.retain(|c| c["type"] != "Terminating");
        conds.push(cond);
    }
}

/// The CRD finalizer: a deleted CRD's objects are removed, then the CRD itself.
fn finalize(sim: &Sim, crd: &Value) {
    let resource = format!(
        "{}/{}",
        str_at(crd, "spec/group"),
        str_at(crd, "spec/names/plural")
    );
    delete_all(sim, &resource);
    let key = Key::new(STORAGE, "", str_at(crd, "metadata/name"));
    let finalizers: Vec<Value> = arr_at(crd, "metadata/finalizers")
        .iter()
        .filter(|f| f.as_str() != Some(super::CLEANUP_FINALIZER))
        .cloned()
        .collect();
    if finalizers.is_empty() {
        let _ = sim.store.delete(&key, Some(object_rv(crd)));
    } else if finalizers.len() != arr_at(crd, "metadata/finalizers").len() {
        let mut next = crd.clone();
        next["metadata"]["finalizers"] = Value::Array(finalizers);
        let _ = sim.store.update(&key, next, Some(object_rv(crd)));
    }
}

/// Remove every object of a storage resource.
fn delete_all(sim: &Sim, resource: &str) {
    let (objs, _) = sim.store.list(resource, None);
    for o in objs {
        let key = Key::new(
            resource,
            str_at(&o, "metadata/namespace"),
            str_at(&o, "metadata/name"),
        );
        let _ = sim.store.delete(&key, None);
    }
}

/// Objects stored under a resource of a group no built-in serves and no CRD defines any more
/// (its CRD was deleted): removed, as the CRD finalizer's cleanup does.
fn remove_orphans(sim: &Sim, owned: &BTreeSet<String>) {
    let base = sim.registry.base();
    for resource in sim.store.resources() {
        let Some((group, _plural)) = resource.split_once('/') else {
            continue;
        };
        if !group.contains('.') || base.has_group(group) || owned.contains(&resource) {
            continue;
        }
        delete_all(sim, &resource);
    }
}
