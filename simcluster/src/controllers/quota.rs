//! ResourceQuota controller: keeps every quota's `status.hard` (= `spec.hard`) and `status.used`
//! (measured from the objects of its namespace) current, writing only when something changed.
//! It works under `Sim::admission_lock`, so it never overwrites a charge that quota admission
//! made for an object that is about to be stored.

use serde_json::{Value, json};

use crate::admission::quota::calculate_usage;
use crate::admission::resource_list::{self as rl};
use crate::cluster::Sim;
use crate::store::{Key, is_deleting, object_rv};

/// How often every quota is measured again even without a change in its namespace (usage can
/// depend on the clock: a deleted pod stops counting when its grace period is over).
const FULL_PASS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// What the controller remembers between passes.
#[derive(Default)]
pub struct Progress {
    /// The store's resourceVersion at the last pass.
    seen: Option<u64>,
    /// When every quota was last measured.
    full_at: Option<std::time::Instant>,
}

/// A pass over the quotas of the namespaces where something changed since the last pass, and
/// over all of them once a second.
pub fn reconcile_changed(
    sim: &Sim,
    st: &mut Progress,
    _: super::ticker::Changes,
) -> Option<std::time::Duration> {
    let start = sim.store.current_rv();
    let full = st.full_at.is_none_or(|t| t.elapsed() >= FULL_PASS_EVERY);
    let since = st.seen.filter(|_| !full);
    st.seen = Some(start);
    if full {
        st.full_at = Some(std::time::Instant::now());
    }
    sync_quotas(sim, |ns| {
        since.is_none_or(|rv| sim.store.last_change_in(ns) > rv)
    });
    Some(FULL_PASS_EVERY)
}

/// A pass over every quota.
#[cfg(test)]
pub fn reconcile(sim: &Sim) {
    sync_quotas(sim, |_| true);
}

fn sync_quotas(sim: &Sim, changed: impl Fn(&str) -> bool) {
    let (quotas, _) = sim.store.list("resourcequotas", None);
    for q in quotas {
        if is_deleting(&q) {
            continue;
        }
        let ns = q
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if !changed(&ns) {
            continue;
        }
        let name = q
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let key = Key::new("resourcequotas", &ns, &name);
        let _admission = sim.admission_lock.lock().unwrap_or_else(|e| e.into_inner());
        // Read again under the lock: admission may have charged it meanwhile.
        let Some(current) = sim.store.get(&key) else {
            continue;
        };
        if let Some(status) = sync_status(sim, &current) {
            let mut next = (*current).clone();
            next["status"] = status;
            let _ = sim.store.update(&key, next, Some(object_rv(&current)));
        }
    }
}

/// The new status of a quota, or `None` when the stored one is current (`syncResourceQuota`).
fn sync_status(sim: &Sim, quota: &Value) -> Option<Value> {
    let spec_hard = rl::parse(quota.pointer("/spec/hard"));
    let status_hard = quota.pointer("/status/hard");
    let status_used = quota.pointer("/status/used");
    let old_used = rl::parse(status_used);
    let mut dirty = status_hard.is_none()
        || status_used.is_none()
        || !rl::equals(&spec_hard, &rl::parse(status_hard));
    let mut used = old_used.clone();
    used.extend(calculate_usage(sim, quota));
    let used = rl::mask(&used, spec_hard.keys());
    dirty |= !rl::equals(&used, &old_used);
    dirty.then(|| {
        let hard = quota
            .pointer("/spec/hard")
            .cloned()
            .unwrap_or_else(|| json!({}));
        json!({"hard": hard, "used": rl::to_json(&used)})
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Sim;

    fn put(sim: &Sim, resource: &str, name: &str, obj: Value) {
        let mut obj = obj;
        obj["metadata"] = json!({"name": name, "namespace": "q"});
        sim.store
            .create(Key::new(resource, "q", name), obj)
            .expect("create");
    }

    #[test]
    fn status_follows_the_namespace_content() {
        let sim = crate::admission::tests::test_sim();
        put(
            &sim,
            "resourcequotas",
            "compute",
            json!({"spec": {"hard": {"pods": "2", "requests.cpu": "1", "count/configmaps": "3", "count/deployments.apps": "1"}}}),
        );
        put(&sim, "configmaps", "kube-root-ca.crt", json!({}));
        put(
            &sim,
            "pods",
            "a",
            json!({"spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}]}}),
        );
        put(
            &sim,
            "pods",
            "done",
            json!({"spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}]}, "status": {"phase": "Failed"}}),
        );
        reconcile(&sim);
        let q = sim
            .store
            .get(&Key::new("resourcequotas", "q", "compute"))
            .expect("quota");
        assert_eq!(
            q["status"]["used"],
            json!({"pods": "1", "requests.cpu": "500m", "count/configmaps": "1", "count/deployments.apps": "0"})
        );
        assert_eq!(q["status"]["hard"], q["spec"]["hard"]);
        let rv = object_rv(&q);
        reconcile(&sim);
        assert_eq!(
            object_rv(
                &sim.store
                    .get(&Key::new("resourcequotas", "q", "compute"))
                    .expect("quota")
            ),
            rv,
            "no write without a change"
        );
    }
}
