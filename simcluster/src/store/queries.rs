//! Indexed reads of the store for the controllers: what an owner controls, dependents of an
//! owner, pods by node, unscheduled pods, objects being deleted, events about an object and
//! the last change of a resource — each in key order, costing O(answer), not O(store).

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use super::{Inner, Key, Store};

fn resolve<'a>(
    inner: &'a Inner,
    keys: impl IntoIterator<Item = &'a Key>,
) -> impl Iterator<Item = (&'a Key, Arc<Value>)> {
    keys.into_iter()
        .filter_map(|k| inner.objects.get(k).map(|v| (k, v.load())))
}

fn objects_of(inner: &Inner, set: Option<&BTreeSet<Key>>, resource: &str) -> Vec<Arc<Value>> {
    resolve(inner, set.into_iter().flatten())
        .filter(|(k, _)| k.resource == resource)
        .map(|(_, v)| v)
        .collect()
}

impl Store {
    /// Objects of `resource` whose controlling ownerReference has this uid.
    pub fn controlled_by(&self, resource: &str, owner_uid: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        objects_of(&inner, inner.indexes.by_controller.get(owner_uid), resource)
    }

    /// Objects of `resource` in a namespace without a controlling ownerReference.
    pub fn uncontrolled(&self, resource: &str, namespace: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        let start = Key::new(resource, namespace, "");
        inner
            .objects
            .range(start..)
            .take_while(|(k, _)| k.resource == resource && k.namespace == namespace)
            .map(|(_, v)| v.load())
            .filter(|v| crate::controllers::workloads::controller_uid(v).is_none())
            .collect()
    }

    /// Every object (any resource) with an ownerReference to this uid.
    pub fn dependents_of(&self, owner_uid: &str) -> Vec<(Key, Arc<Value>)> {
        let inner = self.lock();
        resolve(
            &inner,
            inner.indexes.by_owner.get(owner_uid).into_iter().flatten(),
        )
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
    }

    /// Whether some object references this uid as an owner.
    pub fn has_dependents(&self, owner_uid: &str) -> bool {
        self.lock().indexes.by_owner.contains_key(owner_uid)
    }

    /// Whether an object with this uid exists.
    pub fn uid_exists(&self, uid: &str) -> bool {
        self.lock().indexes.by_uid.contains_key(uid)
    }

    /// The owner uids that dependents reference but no stored object has (the dependents of
    /// deleted owners), with those dependents.
    pub fn dependents_of_missing_owners(&self) -> BTreeSet<Key> {
        let inner = self.lock();
        let idx = &inner.indexes;
        idx.by_owner
            .iter()
            .filter(|(uid, _)| !idx.by_uid.contains_key(uid.as_str()))
            .flat_map(|(_, keys)| keys.iter().cloned())
            .collect()
    }

    /// Keys of the objects marked for deletion (`metadata.deletionTimestamp` set).
    pub fn deleting_keys(&self) -> BTreeSet<Key> {
        self.lock().indexes.deleting.clone()
    }

    /// Objects of `resource` that carry this finalizer, in key order.
    pub fn with_finalizer(&self, resource: &str, finalizer: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        objects_of(&inner, inner.indexes.by_finalizer.get(finalizer), resource)
    }

    /// Pods bound to a node (any phase).
    pub fn pods_on_node(&self, node: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        objects_of(&inner, inner.indexes.pods_by_node.get(node), "pods")
    }

    /// Pods bound to any node (any phase), in key order.
    pub fn bound_pods(&self) -> Vec<Arc<Value>> {
        let inner = self.lock();
        let keys: BTreeSet<&Key> = inner.indexes.pods_by_node.values().flatten().collect();
        resolve(&inner, keys).map(|(_, v)| v).collect()
    }

    /// Pods without `spec.nodeName`, in key order.
    pub fn unscheduled_pods(&self) -> Vec<Arc<Value>> {
        let inner = self.lock();
        resolve(&inner, &inner.indexes.unscheduled)
            .map(|(_, v)| v)
            .collect()
    }

    /// The core/v1 events in `namespace` whose involvedObject has this uid, in key order.
    pub fn events_about(&self, namespace: &str, involved_uid: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        let set = inner
            .indexes
            .events_by_involved
            .get(&format!("{namespace}/{involved_uid}"));
        objects_of(&inner, set, "events")
    }

    /// The resourceVersion of the last write to any object in `namespace`; 0 when none.
    pub fn last_change_in(&self, namespace: &str) -> u64 {
        let inner = self.lock();
        inner
            .indexes
            .ns_changed
            .get(namespace)
            .copied()
            .unwrap_or(0)
    }

    /// Keys of every object in a namespace (any resource), in key order.
    pub fn keys_in_namespace(&self, namespace: &str) -> Vec<Key> {
        let inner = self.lock();
        let mut resources: Vec<&String> = inner.indexes.changed.keys().collect();
        resources.sort();
        let mut out = Vec::new();
        for r in resources {
            let start = Key::new(r, namespace, "");
            out.extend(
                inner
                    .objects
                    .range(start..)
                    .take_while(|(k, _)| &k.resource == r && k.namespace == namespace)
                    .map(|(k, _)| k.clone()),
            );
        }
        out
    }

    /// Every resource written since the start, sorted.
    pub fn resources(&self) -> Vec<String> {
        let mut r: Vec<String> = self.lock().indexes.changed.keys().cloned().collect();
        r.sort();
        r
    }

    /// How many objects of `resource` are stored and about how many heap bytes they take as
    /// kept (decoded values estimated, JSON text exactly; for measurements).
    pub fn kept_bytes(&self, resource: &str) -> (usize, usize) {
        let kept: Vec<super::stored::Stored> = {
            let inner = self.lock();
            let start = Key::new(resource, "", "");
            inner
                .objects
                .range(start..)
                .take_while(|(k, _)| k.resource == resource)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let bytes = kept.iter().map(super::stored::Stored::heap_size).sum();
        (kept.len(), bytes)
    }

    /// How many events the watch history holds and the heap bytes only it keeps alive (an
    /// estimate, for measurements).
    pub fn history_stats(&self) -> (usize, usize) {
        let inner = self.lock();
        let bytes = inner.history.iter().map(|(_, held)| held).sum();
        (inner.history.len(), bytes)
    }

    /// The resourceVersion of the last write to an object of `resource` (in one namespace, or
    /// anywhere); 0 when none since the start.
    pub fn last_change(&self, resource: &str, namespace: Option<&str>) -> u64 {
        let inner = self.lock();
        let Some((all, by_ns)) = inner.indexes.changed.get(resource) else {
            return 0;
        };
        match namespace {
            None => *all,
            Some(ns) => by_ns.get(ns).copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, node: &str, owner: Option<&str>) -> Value {
        let mut p = json!({"metadata": {"name": name, "namespace": "ns", "uid": format!("u-{name}")},
            "spec": {"nodeName": node}});
        if let Some(o) = owner {
            p["metadata"]["ownerReferences"] = json!([{"uid": o, "controller": true}]);
        }
        p
    }

    fn names(v: &[Arc<Value>]) -> Vec<&str> {
        v.iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap_or(""))
            .collect()
    }

    #[test]
    fn indexes_follow_creates_updates_and_deletes() {
        let s = Store::new();
        let k = |n: &str| Key::new("pods", "ns", n);
        s.create(k("b"), pod("b", "", Some("rs"))).unwrap();
        s.create(k("a"), pod("a", "n1", Some("rs"))).unwrap();
        s.create(k("c"), pod("c", "n1", None)).unwrap();
        assert_eq!(names(&s.controlled_by("pods", "rs")), ["a", "b"]);
        assert_eq!(names(&s.uncontrolled("pods", "ns")), ["c"]);
        assert_eq!(names(&s.unscheduled_pods()), ["b"]);
        assert_eq!(names(&s.pods_on_node("n1")), ["a", "c"]);
        assert!(s.uid_exists("u-a") && !s.uid_exists("rs"));
        assert_eq!(s.dependents_of_missing_owners().len(), 2);
        let before = s.last_change("pods", Some("ns"));
        // Bound, released by its owner, marked for deletion with a finalizer.
        let mut b = pod("b", "n2", None);
        b["metadata"]["deletionTimestamp"] = json!("t");
        b["metadata"]["finalizers"] = json!(["f"]);
        s.update(&k("b"), b, None).unwrap();
        assert!(s.unscheduled_pods().is_empty());
        assert_eq!(names(&s.pods_on_node("n2")), ["b"]);
        assert_eq!(names(&s.controlled_by("pods", "rs")), ["a"]);
        assert_eq!(s.deleting_keys().into_iter().collect::<Vec<_>>(), [k("b")]);
        assert_eq!(names(&s.with_finalizer("pods", "f")), ["b"]);
        assert!(s.last_change("pods", Some("ns")) > before);
        assert_eq!(s.last_change_in("ns"), s.current_rv());
        s.delete(&k("a"), None).unwrap();
        assert!(!s.uid_exists("u-a"));
        assert_eq!(names(&s.pods_on_node("n1")), ["c"]);
        assert!(s.controlled_by("pods", "rs").is_empty());
        assert_eq!(
            s.keys_in_namespace("ns"),
            [k("b"), k("c")],
            "every resource's keys in the namespace, in key order"
        );
    }

    #[test]
    fn events_are_found_by_the_object_they_are_about() {
        let s = Store::new();
        for (name, uid) in [("e1", "p1"), ("e2", "p2"), ("e3", "p1")] {
            s.create(
                Key::new("events", "ns", name),
                json!({"metadata": {"name": name}, "involvedObject": {"uid": uid}}),
            )
            .unwrap();
        }
        assert_eq!(names(&s.events_about("ns", "p1")), ["e1", "e3"]);
        assert!(s.events_about("other", "p1").is_empty());
    }
}
