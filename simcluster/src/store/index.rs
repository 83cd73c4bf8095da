//! Secondary indexes of the store, kept current on every write under the store's lock (the
//! informer indexers of the real controllers): objects by uid, dependents by owner uid and by
//! controller uid, pods by node and the unscheduled ones, objects marked for deletion and by finalizer, events by
//! the object they are about, and the last resourceVersion that touched a resource (per
//! namespace too), so controllers do O(affected objects) per pass instead of scanning the store.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::Key;

/// The indexed facts of one object version.
#[derive(Default, PartialEq)]
struct Facts<'a> {
    uid: &'a str,
    owners: Vec<&'a str>,
    controller: Option<&'a str>,
    /// `spec.nodeName` of a pod (`Some("")` for an unscheduled pod).
    node: Option<&'a str>,
    deleting: bool,
    /// `(namespace, involvedObject.uid)` of a core/v1 Event.
    involved: Option<&'a str>,
    finalizers: Vec<&'a str>,
}

fn str_ptr<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

impl<'a> Facts<'a> {
    fn of(key: &Key, obj: &'a Value) -> Facts<'a> {
        let refs = obj
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        Facts {
            uid: str_ptr(obj, "/metadata/uid"),
            owners: refs
                .iter()
                .filter_map(|r| r.get("uid").and_then(Value::as_str))
                .collect(),
            controller: refs
                .iter()
                .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
                .and_then(|r| r.get("uid").and_then(Value::as_str)),
            node: (key.resource == "pods").then(|| str_ptr(obj, "/spec/nodeName")),
            deleting: super::is_deleting(obj),
            involved: (key.resource == "events")
                .then(|| str_ptr(obj, "/involvedObject/uid"))
                .filter(|u| !u.is_empty()),
            finalizers: obj
                .pointer("/metadata/finalizers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
        }
    }
}

/// Put `key` into (or take it out of) the set of `map` under `k`.
fn edit(map: &mut HashMap<String, BTreeSet<Key>>, k: &str, key: &Key, on: bool) {
    match map.get_mut(k) {
        Some(set) if on => {
            set.insert(key.clone());
        }
        Some(set) => {
            set.remove(key);
            if set.is_empty() {
                map.remove(k);
            }
        }
        None if on => {
            map.insert(k.to_string(), BTreeSet::from([key.clone()]));
        }
        None => {}
    }
}

fn edit_set(set: &mut BTreeSet<Key>, key: &Key, on: bool) {
    if on {
        set.insert(key.clone());
    } else {
        set.remove(key);
    }
}

/// The indexes (see the module comment).
#[derive(Default)]
pub(super) struct Indexes {
    pub by_uid: HashMap<String, Key>,
    /// Owner uid → every object with an ownerReference to it.
    pub by_owner: HashMap<String, BTreeSet<Key>>,
    /// Controller uid → the objects it controls.
    pub by_controller: HashMap<String, BTreeSet<Key>>,
    pub pods_by_node: HashMap<String, BTreeSet<Key>>,
    pub unscheduled: BTreeSet<Key>,
    pub deleting: BTreeSet<Key>,
    /// `namespace/uid` of the involved object → its events.
    pub events_by_involved: HashMap<String, BTreeSet<Key>>,
    /// Finalizer → the objects that carry it.
    pub by_finalizer: HashMap<String, BTreeSet<Key>>,
    /// Resource → the last resourceVersion that changed one of its objects, overall and per
    /// namespace.
    pub changed: HashMap<String, (u64, HashMap<String, u64>)>,
    /// Namespace → the last resourceVersion that changed an object in it (any resource).
    pub ns_changed: HashMap<String, u64>,
}

impl Indexes {
    /// Account a write: `old` is replaced by `new` (either may be absent) at resourceVersion `rv`.
    pub fn update(&mut self, key: &Key, old: Option<&Value>, new: Option<&Value>, rv: u64) {
        let before = old.map(|o| Facts::of(key, o)).unwrap_or_default();
        let after = new.map(|o| Facts::of(key, o)).unwrap_or_default();
        self.touch(key, rv);
        if before == after && old.is_some() == new.is_some() {
            return;
        }
        if old.is_some() {
            self.account(key, &before, false);
        }
        if new.is_some() {
            self.account(key, &after, true);
        }
    }

    fn touch(&mut self, key: &Key, rv: u64) {
        let entry = match self.changed.get_mut(&key.resource) {
            Some(e) => e,
            None => self.changed.entry(key.resource.clone()).or_default(),
        };
        entry.0 = rv;
        match entry.1.get_mut(&key.namespace) {
            Some(n) => *n = rv,
            None => {
                entry.1.insert(key.namespace.clone(), rv);
            }
        }
        match self.ns_changed.get_mut(&key.namespace) {
            Some(n) => *n = rv,
            None => {
                self.ns_changed.insert(key.namespace.clone(), rv);
            }
        }
    }

    /// Enter (`on`) or remove the facts of one object version.
    fn account(&mut self, key: &Key, f: &Facts, on: bool) {
        if !f.uid.is_empty() {
            if on {
                self.by_uid.insert(f.uid.to_string(), key.clone());
            } else if self.by_uid.get(f.uid) == Some(key) {
                self.by_uid.remove(f.uid);
            }
        }
        for o in &f.owners {
            edit(&mut self.by_owner, o, key, on);
        }
        if let Some(c) = f.controller {
            edit(&mut self.by_controller, c, key, on);
        }
        match f.node {
            Some("") => edit_set(&mut self.unscheduled, key, on),
            Some(n) => edit(&mut self.pods_by_node, n, key, on),
            None => {}
        }
        if f.deleting {
            edit_set(&mut self.deleting, key, on);
        }
        for x in &f.finalizers {
            edit(&mut self.by_finalizer, x, key, on);
        }
        if let Some(u) = f.involved {
            let k = format!("{}/{u}", key.namespace);
            edit(&mut self.events_by_involved, &k, key, on);
        }
    }
}
