//! Event expiry, as kube-apiserver's `--event-ttl` (1 hour by default) does through etcd leases:
//! a core/v1 Event (and so its events.k8s.io/v1 view) is deleted once it has gone unwritten for
//! the TTL; every write starts the time again. Watchers see the DELETED event.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::ticker::Changes;
use crate::cluster::Sim;
use crate::store::{EventType, Key, object_rv};

/// The writes of Events, oldest first: when, which, at which resourceVersion.
#[derive(Default)]
pub struct Expiry {
    written: VecDeque<(Instant, Key, u64)>,
}

/// Note new Event writes, delete the Events whose last write is older than the TTL.
pub fn reconcile(sim: &Sim, st: &mut Expiry, changes: Changes) -> Option<Duration> {
    let now = Instant::now();
    if changes.resync {
        // Missed writes: count every Event as written now (it lives at least the TTL more).
        st.written = sim
            .store
            .list("events", None)
            .0
            .iter()
            .map(|e| {
                let key = Key::new(
                    "events",
                    crate::resources::json::str_at(e, "metadata/namespace"),
                    crate::resources::json::str_at(e, "metadata/name"),
                );
                (now, key, object_rv(e))
            })
            .collect();
    }
    for ev in changes.events {
        if ev.key.resource == "events" && ev.kind != EventType::Deleted {
            st.written.push_back((now, ev.key, ev.rv));
        }
    }
    let ttl = sim.config.event_ttl;
    while let Some((at, _, _)) = st.written.front()
        && now.duration_since(*at) >= ttl
    {
        let (_, key, rv) = st.written.pop_front().expect("front exists");
        // Only when this write was the last one: a later write keeps the Event.
        if sim.store.get(&key).is_some_and(|e| object_rv(&e) == rv) {
            let _ = sim.store.delete(&key, Some(rv));
        }
    }
    st.written
        .front()
        .map(|(at, _, _)| ttl.saturating_sub(now.duration_since(*at)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_expire_after_their_last_write() {
        let mut sim = crate::controllers::workloads::test_sim(false);
        std::sync::Arc::get_mut(&mut sim)
            .expect("not shared yet")
            .config
            .event_ttl = Duration::from_millis(50);
        let key = |n: &str| Key::new("events", "default", n);
        let mut st = Expiry::default();
        let mut rx = sim.store.subscribe_all();
        let mut pass = |sim: &Sim, st: &mut Expiry| {
            let mut events = Vec::new();
            while let Ok(ev) = rx.try_recv() {
                events.push(ev);
            }
            reconcile(
                sim,
                st,
                Changes {
                    events,
                    resync: false,
                },
            );
        };
        for n in ["old", "kept"] {
            sim.store
                .create(
                    key(n),
                    json!({"metadata": {"name": n, "namespace": "default"}, "count": 1}),
                )
                .unwrap();
        }
        pass(&sim, &mut st);
        std::thread::sleep(Duration::from_millis(30));
        sim.store
            .update(
                &key("kept"),
                json!({"metadata": {"name": "kept", "namespace": "default"}, "count": 2}),
                None,
            )
            .unwrap();
        pass(&sim, &mut st);
        std::thread::sleep(Duration::from_millis(30));
        pass(&sim, &mut st);
        assert!(
            sim.store.get(&key("old")).is_none(),
            "unwritten for the TTL"
        );
        assert!(sim.store.get(&key("kept")).is_some(), "written again since");
        std::thread::sleep(Duration::from_millis(30));
        pass(&sim, &mut st);
        assert!(sim.store.get(&key("kept")).is_none());
    }
}
