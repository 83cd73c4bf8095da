//! ControllerRevisions of StatefulSets and DaemonSets (what `kubectl rollout history|undo`
//! reads for them): `<owner>-<hash>` holding the template patch, numbered by revision.

use serde_json::{Value, json};

use super::{controller_ref, controller_uid, name, namespace, uid};
use crate::cluster::Sim;
use crate::resources::json::{i64_at, obj_at};
use crate::store::Key;

const RESOURCE: &str = "apps/controllerrevisions";

/// The revision data of a template: `{"spec": {"template": {..., "$patch": "replace"}}}`.
pub fn data_of(owner: &Value) -> Value {
    let mut t = owner
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    t["$patch"] = json!("replace");
    json!({"spec": {"template": t}})
}

/// Make sure the owner's current template has a revision (reusing an equal one, renumbered as
/// the newest like a rollback does); returns its name.
pub fn ensure(sim: &Sim, owner: &Value, kind: &str) -> String {
    let data = data_of(owner);
    let hash = super::hash::compute_hash(
        &data,
        Some(i64_at(owner, "status/collisionCount").unwrap_or(0)),
    );
    let rev_name = format!("{}-{hash}", name(owner));
    let ns = namespace(owner);
    let mine: Vec<_> = sim
        .store
        .list(RESOURCE, Some(ns))
        .0
        .into_iter()
        .filter(|r| controller_uid(r) == Some(uid(owner)))
        .collect();
    let max = mine
        .iter()
        .filter_map(|r| i64_at(r, "revision"))
        .max()
        .unwrap_or(0);
    if let Some(existing) = mine.iter().find(|r| name(r) == rev_name) {
        let rev = i64_at(existing, "revision").unwrap_or(0);
        if rev < max {
            let mut next = (**existing).clone();
            next["revision"] = json!(max + 1);
            let _ = sim
                .store
                .update(&Key::new(RESOURCE, ns, &rev_name), next, None);
        }
        return rev_name;
    }
    let mut labels = obj_at(owner, "spec/template/metadata/labels")
        .cloned()
        .unwrap_or_default();
    labels.insert("controller.kubernetes.io/hash".into(), json!(hash));
    let rev = json!({
        "kind": "ControllerRevision", "apiVersion": "apps/v1",
        "metadata": {"name": rev_name, "namespace": ns, "uid": uuid::Uuid::new_v4().to_string(), "resourceVersion": "",
            "creationTimestamp": super::super::now(), "labels": labels,
            "ownerReferences": [controller_ref(kind, "apps/v1", owner)]},
        "data": data,
        "revision": max + 1,
    });
    let _ = sim.store.create(Key::new(RESOURCE, ns, &rev_name), rev);
    rev_name
}

/// Keep at most `limit` revisions that are not in use (oldest go first).
pub fn trim(sim: &Sim, owner: &Value, in_use: &[&str], limit: i64) {
    let ns = namespace(owner);
    let mut old: Vec<_> = sim
        .store
        .list(RESOURCE, Some(ns))
        .0
        .into_iter()
        .filter(|r| controller_uid(r) == Some(uid(owner)) && !in_use.contains(&name(r)))
        .collect();
    old.sort_by_key(|r| i64_at(r, "revision").unwrap_or(0));
    let excess = old.len() as i64 - limit.max(0);
    for r in old.iter().take(excess.max(0) as usize) {
        let _ = sim.store.delete(&Key::new(RESOURCE, ns, name(r)), None);
    }
}
