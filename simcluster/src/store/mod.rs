//! In-memory object storage keyed like the real registry (`resource/namespace/name`), with one
//! global resourceVersion counter, optimistic concurrency and a bounded event history for watches.

mod compact;
mod index;
mod queries;
mod stored;
mod watch;

pub use compact::heap_size;
pub use watch::{EventType, WatchEvent, WatchStart, Watcher};

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::broadcast;

use stored::Stored;

/// How many past events are kept for watches that start at an older resourceVersion.
pub const DEFAULT_HISTORY_LEN: usize = 20_000;
/// At most about this many heap bytes of object versions are kept alive only by the history
/// (the versions that changes replaced, and the last states of deleted objects); the oldest
/// events go first when more would be held.
pub const HISTORY_BYTES: usize = 64 << 20;

/// Storage key of one object. `resource` is `plural` for the core group, `group/plural` otherwise;
/// `namespace` is empty for cluster-scoped objects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub resource: String,
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(resource: &str, namespace: &str, name: &str) -> Self {
        Self {
            resource: resource.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

/// Errors of the storage layer, mapped to `Status` objects by the API layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    NotFound,
    AlreadyExists,
    /// The resourceVersion precondition did not hold.
    Conflict,
}

struct Inner {
    rv: u64,
    objects: BTreeMap<Key, Stored>,
    /// Past events with the bytes each keeps alive that the store does not.
    history: VecDeque<(WatchEvent, usize)>,
    /// The sum of those bytes.
    history_bytes: usize,
    /// Events at or below this resourceVersion are no longer in `history`.
    compacted: u64,
    /// How many events `history` keeps.
    history_len: usize,
    indexes: index::Indexes,
}

/// The object store. Every write gets the next resourceVersion and produces one watch event.
pub struct Store {
    inner: Mutex<Inner>,
    events: broadcast::Sender<WatchEvent>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

fn set_rv(obj: &mut Value, rv: u64) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
}

/// The resourceVersion of an object as a number (0 when absent or not numeric).
pub fn object_rv(obj: &Value) -> u64 {
    obj.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

impl Store {
    pub fn new() -> Self {
        Self::with_history_len(DEFAULT_HISTORY_LEN)
    }

    /// A store that keeps the last `history_len` events for watches (older ones get 410 Gone).
    pub fn with_history_len(history_len: usize) -> Self {
        let (events, _) = broadcast::channel(65_536);
        Self {
            inner: Mutex::new(Inner {
                rv: 1,
                objects: BTreeMap::new(),
                history: VecDeque::new(),
                history_bytes: 0,
                compacted: 1,
                history_len: history_len.max(1),
                indexes: index::Indexes::default(),
            }),
            events,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current (latest) resourceVersion.
    pub fn current_rv(&self) -> u64 {
        self.lock().rv
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Value>> {
        let found = self.lock().objects.get(key).cloned();
        found.map(|s| s.load())
    }

    /// All objects of a resource, in one namespace or (namespace `None`) everywhere, in key order,
    /// with the resourceVersion the list is consistent with.
    pub fn list(&self, resource: &str, namespace: Option<&str>) -> (Vec<Arc<Value>>, u64) {
        let (items, rv) = {
            let inner = self.lock();
            (Self::items(&inner, resource, namespace), inner.rv)
        };
        (items.iter().map(Stored::load).collect(), rv)
    }

    /// The objects of a resource (in one namespace or everywhere), in key order.
    fn items(inner: &Inner, resource: &str, namespace: Option<&str>) -> Vec<Stored> {
        let start = Key::new(resource, namespace.unwrap_or(""), "");
        inner
            .objects
            .range(start..)
            .take_while(|(k, _)| {
                k.resource == resource && namespace.is_none_or(|ns| k.namespace == ns)
            })
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Number of objects of a resource in a namespace (quota, namespace deletion).
    pub fn count(&self, resource: &str, namespace: &str) -> usize {
        self.list(resource, Some(namespace)).0.len()
    }

    fn emit(inner: &mut Inner, sender: &broadcast::Sender<WatchEvent>, ev: WatchEvent) {
        // What only the history keeps: the replaced version, and a deleted object's last state.
        // Objects kept as text are not shared with the store at all.
        let held = ev.prev.as_deref().map_or(0, compact::heap_size)
            + if ev.kind == EventType::Deleted || stored::as_text(&ev.key.resource) {
                compact::heap_size(&ev.object)
            } else {
                0
            };
        inner.history_bytes += held;
        inner.history.push_back((ev.clone(), held));
        while inner.history.len() > inner.history_len
            || (inner.history_bytes > HISTORY_BYTES && inner.history.len() > 1)
        {
            if let Some((old, bytes)) = inner.history.pop_front() {
                inner.compacted = old.rv;
                inner.history_bytes -= bytes;
            }
        }
        let _ = sender.send(ev);
    }

    /// The stored object under `key`, if `expected_rv` (when given) is its resourceVersion.
    fn current(
        inner: &Inner,
        key: &Key,
        expected_rv: Option<u64>,
    ) -> Result<Arc<Value>, StoreError> {
        let old = inner
            .objects
            .get(key)
            .map(Stored::load)
            .ok_or(StoreError::NotFound)?;
        match expected_rv {
            Some(exp) if exp != object_rv(&old) => Err(StoreError::Conflict),
            _ => Ok(old),
        }
    }

    /// Store a new object; sets its resourceVersion.
    pub fn create(&self, key: Key, obj: Value) -> Result<Arc<Value>, StoreError> {
        let mut obj = compact::compact(obj);
        let mut inner = self.lock();
        if inner.objects.contains_key(&key) {
            return Err(StoreError::AlreadyExists);
        }
        inner.rv += 1;
        let rv = inner.rv;
        set_rv(&mut obj, rv);
        let obj = Arc::new(obj);
        inner.indexes.update(&key, None, Some(&obj), rv);
        inner.objects.insert(key.clone(), Stored::keep(&key, &obj));
        let ev = WatchEvent {
            rv,
            kind: EventType::Added,
            key,
            object: obj.clone(),
            prev: None,
        };
        Self::emit(&mut inner, &self.events, ev);
        Ok(obj)
    }

    /// Replace an object. `expected_rv` (when given) must equal the stored one.
    /// An object marked for deletion whose finalizers are now empty is removed instead
    /// (the returned value is the final state, as the real apiserver answers).
    pub fn update(
        &self,
        key: &Key,
        obj: Value,
        expected_rv: Option<u64>,
    ) -> Result<Arc<Value>, StoreError> {
        self.write(key, obj, expected_rv, true)
    }

    /// Replace an object without the finalizer check of [`Store::update`]: used to mark an
    /// object for deletion (watchers see MODIFIED; the caller deletes it afterwards if due).
    pub fn update_keep(
        &self,
        key: &Key,
        obj: Value,
        expected_rv: Option<u64>,
    ) -> Result<Arc<Value>, StoreError> {
        self.write(key, obj, expected_rv, false)
    }

    fn write(
        &self,
        key: &Key,
        obj: Value,
        expected_rv: Option<u64>,
        may_finish: bool,
    ) -> Result<Arc<Value>, StoreError> {
        let mut obj = compact::compact(obj);
        let mut inner = self.lock();
        let old = Self::current(&inner, key, expected_rv)?;
        inner.rv += 1;
        let rv = inner.rv;
        set_rv(&mut obj, rv);
        let obj = Arc::new(obj);
        let finished = may_finish
            && is_deleting(&obj)
            && finalizers_empty(&obj)
            && namespace_finalizers_empty(key, &obj);
        if finished {
            inner.indexes.update(key, Some(&old), None, rv);
            inner.objects.remove(key);
            let ev = WatchEvent {
                rv,
                kind: EventType::Deleted,
                key: key.clone(),
                object: obj.clone(),
                prev: Some(old),
            };
            Self::emit(&mut inner, &self.events, ev);
        } else {
            inner.indexes.update(key, Some(&old), Some(&obj), rv);
            inner.objects.insert(key.clone(), Stored::keep(key, &obj));
            let ev = WatchEvent {
                rv,
                kind: EventType::Modified,
                key: key.clone(),
                object: obj.clone(),
                prev: Some(old),
            };
            Self::emit(&mut inner, &self.events, ev);
        }
        Ok(obj)
    }

    /// Remove an object now (final deletion). `expected_rv` as for update.
    pub fn delete(&self, key: &Key, expected_rv: Option<u64>) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let old = Self::current(&inner, key, expected_rv)?;
        inner.objects.remove(key);
        inner.rv += 1;
        let rv = inner.rv;
        inner.indexes.update(key, Some(&old), None, rv);
        // The DELETED event carries the last state with the deletion's resourceVersion.
        let mut last = (*old).clone();
        set_rv(&mut last, rv);
        let last = Arc::new(last);
        let ev = WatchEvent {
            rv,
            kind: EventType::Deleted,
            key: key.clone(),
            object: last.clone(),
            prev: Some(old),
        };
        Self::emit(&mut inner, &self.events, ev);
        Ok(last)
    }

    /// Start watching `resource` (optionally one namespace) after resourceVersion `from`.
    /// `from == None` means "from now" (the caller sends the initial ADDED events itself from
    /// the returned snapshot). Errors with the oldest available resourceVersion when `from` is
    /// older than the kept history (the API layer answers 410 Gone).
    pub fn watch(
        &self,
        resource: &str,
        namespace: Option<&str>,
        from: Option<u64>,
    ) -> Result<WatchStart, u64> {
        let inner = self.lock();
        let receiver = self.events.subscribe();
        let filter = watch::Filter {
            resource: resource.into(),
            namespace: namespace.map(str::to_string),
        };
        match from {
            Some(rv) if rv > 0 => {
                if rv < inner.compacted {
                    return Err(inner.compacted);
                }
                let backlog: Vec<WatchEvent> = inner
                    .history
                    .iter()
                    .map(|(e, _)| e)
                    .filter(|e| e.rv > rv && filter.accepts(e))
                    .cloned()
                    .collect();
                Ok(WatchStart {
                    snapshot: Vec::new(),
                    backlog,
                    watcher: Watcher::new(receiver, filter, inner.rv),
                    rv: inner.rv,
                })
            }
            _ => {
                // Decoded after the lock is released: Events may be kept as text.
                let snapshot = Self::items(&inner, resource, namespace);
                let rv = inner.rv;
                drop(inner);
                Ok(WatchStart {
                    snapshot: snapshot.iter().map(Stored::load).collect(),
                    backlog: Vec::new(),
                    watcher: Watcher::new(receiver, filter, rv),
                    rv,
                })
            }
        }
    }

    /// A raw subscription to every event (controllers).
    pub fn subscribe_all(&self) -> broadcast::Receiver<WatchEvent> {
        self.events.subscribe()
    }
}

/// Whether `metadata.deletionTimestamp` is set.
pub fn is_deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}

/// Namespaces are kept by `spec.finalizers` until the namespace controller is done.
fn namespace_finalizers_empty(key: &Key, obj: &Value) -> bool {
    key.resource != "namespaces"
        || obj
            .pointer("/spec/finalizers")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty())
}

/// Whether `metadata.finalizers` is absent or empty.
pub fn finalizers_empty(obj: &Value) -> bool {
    obj.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_grow_and_conflicts_are_detected() {
        let s = Store::new();
        let k = Key::new("pods", "ns", "a");
        let a = s
            .create(k.clone(), json!({"metadata": {"name": "a"}}))
            .unwrap();
        let rv = object_rv(&a);
        assert!(rv > 1);
        assert_eq!(
            s.create(k.clone(), json!({"metadata": {}})),
            Err(StoreError::AlreadyExists)
        );
        let b = s
            .update(
                &k,
                json!({"metadata": {"name": "a", "labels": {"x": "y"}}}),
                Some(rv),
            )
            .unwrap();
        assert_eq!(object_rv(&b), rv + 1);
        assert_eq!(
            s.update(&k, json!({"metadata": {}}), Some(rv)),
            Err(StoreError::Conflict)
        );
        assert_eq!(s.list("pods", Some("ns")).0.len(), 1);
        assert_eq!(s.list("pods", Some("other")).0.len(), 0);
        s.delete(&k, None).unwrap();
        assert!(s.get(&k).is_none());
    }

    #[test]
    fn watch_from_a_compacted_version_is_refused() {
        let s = Store::with_history_len(3);
        for i in 0..6 {
            s.create(
                Key::new("configmaps", "ns", &format!("c{i}")),
                json!({"metadata": {"name": format!("c{i}")}}),
            )
            .unwrap();
        }
        assert!(
            s.watch("configmaps", Some("ns"), Some(2)).is_err(),
            "rv 2 was compacted away"
        );
        let recent = s.current_rv() - 2;
        let start = s
            .watch("configmaps", Some("ns"), Some(recent))
            .expect("recent rv is watchable");
        assert_eq!(start.backlog.len(), 2);
    }

    #[test]
    fn removing_last_finalizer_of_deleting_object_deletes_it() {
        let s = Store::new();
        let k = Key::new("configmaps", "ns", "held");
        s.create(
            k.clone(),
            json!({"metadata": {"name": "held", "finalizers": ["x"]}}),
        )
        .unwrap();
        s.update(
            &k,
            json!({"metadata": {"name": "held", "deletionTimestamp": "t", "finalizers": ["x"]}}),
            None,
        )
        .unwrap();
        assert!(s.get(&k).is_some());
        s.update(
            &k,
            json!({"metadata": {"name": "held", "deletionTimestamp": "t"}}),
            None,
        )
        .unwrap();
        assert!(s.get(&k).is_none());
    }
}
