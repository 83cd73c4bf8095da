//! Watch events of the store and the per-watch receiver that filters them by resource and namespace.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

use super::Key;

/// The type of a watch event as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change in the store.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub rv: u64,
    pub kind: EventType,
    pub key: Key,
    /// The object after the change (for DELETED: its last state).
    pub object: Arc<Value>,
    /// The object before the change (MODIFIED / DELETED).
    pub prev: Option<Arc<Value>>,
}

#[derive(Debug, Clone)]
pub(super) struct Filter {
    pub resource: String,
    pub namespace: Option<String>,
}

impl Filter {
    pub fn accepts(&self, e: &WatchEvent) -> bool {
        e.key.resource == self.resource
            && self
                .namespace
                .as_ref()
                .is_none_or(|ns| &e.key.namespace == ns)
    }
}

/// What a new watch starts with: either a snapshot (no resourceVersion given) or a backlog of
/// events after the given resourceVersion; then live events from `watcher`.
pub struct WatchStart {
    pub snapshot: Vec<Arc<Value>>,
    pub backlog: Vec<WatchEvent>,
    pub watcher: Watcher,
    /// The store's resourceVersion when the watch started.
    pub rv: u64,
}

/// Live events for one watch.
pub struct Watcher {
    receiver: broadcast::Receiver<WatchEvent>,
    filter: Filter,
    /// Events up to this resourceVersion were already delivered (snapshot/backlog).
    pub after_rv: u64,
}

impl Watcher {
    pub(super) fn new(
        receiver: broadcast::Receiver<WatchEvent>,
        filter: Filter,
        after_rv: u64,
    ) -> Self {
        Self {
            receiver,
            filter,
            after_rv,
        }
    }

    /// The next matching event; `None` when the watch fell too far behind (the client re-lists)
    /// or the store is gone.
    pub async fn next(&mut self) -> Option<WatchEvent> {
        loop {
            match self.receiver.recv().await {
                Ok(ev) if ev.rv > self.after_rv && self.filter.accepts(&ev) => return Some(ev),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}
