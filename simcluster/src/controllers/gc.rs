//! Garbage collector: dependents of deleted owners are deleted (background), kept with their
//! owner reference removed (`orphan` finalizer), or deleted first (`foregroundDeletion`).

use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::store::{Key, is_deleting, object_rv};

fn uid(obj: &Value) -> &str {
    obj.pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn owner_uids(obj: &Value) -> Vec<String> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("uid").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn has_finalizer(obj: &Value, f: &str) -> bool {
    obj.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == f))
}

fn remove_finalizer(sim: &Sim, key: &Key, obj: &Value, f: &str) {
    let mut next = obj.clone();
    if let Some(a) = next
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        a.retain(|x| x != f);
        if a.is_empty() {
            next["metadata"]
                .as_object_mut()
                .map(|m| m.remove("finalizers"));
        }
    }
    let _ = sim.store.update(key, next, Some(object_rv(obj)));
}

/// Mark an object deleted the way a background-propagated delete does.
fn delete_dependent(sim: &Sim, key: &Key, obj: &Value) {
    if is_deleting(obj) {
        return;
    }
    let no_finalizers = obj
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty);
    let unscheduled_pod = key.resource == "pods" && super::pod_can_go_now(obj);
    if no_finalizers && (key.resource != "pods" || unscheduled_pod) {
        let _ = sim.store.delete(key, None);
        return;
    }
    let mut next = obj.clone();
    next["metadata"]["deletionTimestamp"] = json!(super::now());
    next["metadata"]["deletionGracePeriodSeconds"] =
        json!(if key.resource == "pods" { 30 } else { 0 });
    let _ = sim.store.update(key, next, Some(object_rv(obj)));
}

/// Events after which the collector has work: a deletion (dependents may be orphaned now), an
/// object marked for deletion with a GC finalizer, or a new dependent whose owner may be gone.
pub fn interesting(ev: &crate::store::WatchEvent) -> bool {
    use crate::store::EventType;
    let o = &ev.object;
    match ev.kind {
        EventType::Deleted => true,
        EventType::Added => o.pointer("/metadata/ownerReferences").is_some(),
        EventType::Modified => {
            is_deleting(o)
                && [
                    "orphan",
                    "foregroundDeletion",
                    PVC_PROTECTION,
                    PV_PROTECTION,
                ]
                .iter()
                .any(|f| has_finalizer(o, f))
        }
    }
}

const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// Whether a pod that has not finished uses the claim.
fn claim_in_use(sim: &Sim, namespace: &str, claim: &str) -> bool {
    let (pods, _) = sim.store.list("pods", Some(namespace));
    pods.iter().any(|p| {
        let finished = matches!(
            p.pointer("/status/phase").and_then(Value::as_str),
            Some("Succeeded" | "Failed")
        );
        !finished
            && p.pointer("/spec/volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|v| {
                    v.pointer("/persistentVolumeClaim/claimName")
                        .and_then(Value::as_str)
                        == Some(claim)
                })
    })
}

/// The storage-object-in-use protection controllers: a deleted claim goes once no pod uses it,
/// a deleted volume once no claim is bound to it.
fn release_protection(sim: &Sim, key: &Key, obj: &Value) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if has_finalizer(obj, PVC_PROTECTION) && !claim_in_use(sim, &key.namespace, name) {
        remove_finalizer(sim, key, obj, PVC_PROTECTION);
    } else if has_finalizer(obj, PV_PROTECTION) {
        let (claims, _) = sim.store.list("persistentvolumeclaims", None);
        if !claims
            .iter()
            .any(|c| c.pointer("/spec/volumeName").and_then(Value::as_str) == Some(name))
        {
            remove_finalizer(sim, key, obj, PV_PROTECTION);
        }
    }
}

/// One pass over the objects the collector may act on — the dependents of owners that are gone
/// and the objects marked for deletion — in key order, found through the store's indexes.
pub fn reconcile(sim: &Sim) {
    let mut candidates = sim.store.dependents_of_missing_owners();
    candidates.extend(sim.store.deleting_keys());
    for key in &candidates {
        let Some(obj) = sim.store.get(key) else {
            continue;
        };
        let owners = owner_uids(&obj);
        // Background: every owner is gone.
        if !owners.is_empty() && owners.iter().all(|u| !sim.store.uid_exists(u)) {
            delete_dependent(sim, key, &obj);
            continue;
        }
        if !is_deleting(&obj) {
            continue;
        }
        if key.resource == "persistentvolumeclaims" || key.resource == "persistentvolumes" {
            release_protection(sim, key, &obj);
            continue;
        }
        let my_uid = uid(&obj);
        let dependents: Vec<(Key, std::sync::Arc<Value>)> = sim
            .store
            .dependents_of(my_uid)
            .into_iter()
            .filter(|(k, _)| k.namespace == key.namespace)
            .collect();
        if has_finalizer(&obj, "orphan") {
            // Every dependent must lose its owner reference before the owner goes; a write
            // that races with another (a kubelet status update) is retried on the fresh object,
            // and the finalizer stays until all succeeded (else the next pass would collect
            // the dependents as if their owner had been deleted in the background).
            let all_orphaned = dependents
                .iter()
                .all(|(dk, _)| orphan_dependent(sim, dk, my_uid));
            if all_orphaned && let Some(fresh) = sim.store.get(key) {
                remove_finalizer(sim, key, &fresh, "orphan");
            }
        } else if has_finalizer(&obj, "foregroundDeletion") {
            if dependents.is_empty() {
                remove_finalizer(sim, key, &obj, "foregroundDeletion");
            } else {
                for (dk, d) in &dependents {
                    if !is_deleting(d) {
                        // Dependents that own others are deleted in the foreground as well.
                        if sim.store.has_dependents(uid(d)) {
                            let mut next = (**d).clone();
                            let meta = next["metadata"]
                                .as_object_mut()
                                .expect("stored objects have metadata");
                            let fins = meta.entry("finalizers").or_insert_with(|| json!([]));
                            if let Some(a) = fins.as_array_mut() {
                                a.push(json!("foregroundDeletion"));
                            }
                            next["metadata"]["deletionTimestamp"] = json!(super::now());
                            next["metadata"]["deletionGracePeriodSeconds"] = json!(0);
                            let _ = sim.store.update(dk, next, Some(object_rv(d)));
                        } else {
                            delete_dependent(sim, dk, d);
                        }
                    }
                }
            }
        }
    }
}

/// Removes the owner reference to `owner_uid` from a dependent, retrying on conflicts;
/// true when it is gone (or the dependent is).
fn orphan_dependent(sim: &Sim, key: &Key, owner_uid: &str) -> bool {
    for _ in 0..5 {
        let Some(current) = sim.store.get(key) else {
            return true;
        };
        let mut next = (*current).clone();
        if let Some(refs) = next
            .pointer_mut("/metadata/ownerReferences")
            .and_then(Value::as_array_mut)
        {
            refs.retain(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid));
            if refs.is_empty() {
                next["metadata"]
                    .as_object_mut()
                    .map(|m| m.remove("ownerReferences"));
            }
        }
        if sim
            .store
            .update(key, next, Some(object_rv(&current)))
            .is_ok()
        {
            return true;
        }
    }
    false
}
