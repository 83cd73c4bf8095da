//! Drift detection: a never-ending stream of the namespaces whose managed objects changed in
//! the cluster, from list+watch of managed Namespaces, ResourceQuotas and LimitRanges.

use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::stream::{self, BoxStream, Stream, StreamExt};
use k8s_openapi::api::core::v1::{LimitRange, Namespace, ResourceQuota};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;

use super::{LIMITS_NAME, MANAGED_BY, QUOTA_NAME};

/// Names of namespaces whose managed objects changed: created, modified or deleted (also when
/// someone removed the managed-by label, which a label-selected watch reports as a deletion).
///
/// Every (re)list reports all the namespaces it finds, plus those that were known before and
/// are gone now, so a consumer that reconciles each name it receives misses nothing across
/// apiserver outages. The portal's own writes come back here too (reconciling them again
/// finds nothing to do). Built on `kube::runtime::watcher` with the default backoff: the
/// stream never ends; an outage is logged once and retried.
pub fn drift_events(client: Client) -> impl Stream<Item = String> + Send + 'static {
    let outage = Arc::new(AtomicBool::new(false));
    stream::select_all([
        names::<Namespace>(client.clone(), "Namespace", &outage, |ns| {
            Some(ns.name_any())
        }),
        names::<ResourceQuota>(client.clone(), "ResourceQuota", &outage, |rq| {
            (rq.name_any() == QUOTA_NAME).then(|| rq.namespace())?
        }),
        names::<LimitRange>(client, "LimitRange", &outage, |lr| {
            (lr.name_any() == LIMITS_NAME).then(|| lr.namespace())?
        }),
    ])
}

/// One watcher of `K`s labelled managed-by, as namespace names (`key` picks the name, or
/// `None` to ignore an object).
fn names<K>(
    client: Client,
    kind: &'static str,
    outage: &Arc<AtomicBool>,
    key: fn(&K) -> Option<String>,
) -> BoxStream<'static, String>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let selector = format!("{}={}", MANAGED_BY.0, MANAGED_BY.1);
    let config = watcher::Config::default().labels(&selector);
    let mut tracker = Tracker::new(kind, outage.clone());
    watcher(Api::<K>::all(client), config)
        .default_backoff()
        .flat_map(move |event| stream::iter(tracker.on(event, key)))
        .boxed()
}

/// Turns watcher events into names, remembering what the last list saw (to report objects that
/// vanished while the watch was down) and whether an outage was already logged.
struct Tracker {
    kind: &'static str,
    /// Names seen since the last complete list.
    known: HashSet<String>,
    /// Names seen by the list in progress.
    relisting: HashSet<String>,
    /// Shared by the watchers of one stream: an outage is logged once, not once per watcher.
    outage: Arc<AtomicBool>,
}

impl Tracker {
    fn new(kind: &'static str, outage: Arc<AtomicBool>) -> Self {
        Tracker {
            kind,
            known: HashSet::new(),
            relisting: HashSet::new(),
            outage,
        }
    }

    fn on<K>(
        &mut self,
        event: Result<watcher::Event<K>, watcher::Error>,
        key: fn(&K) -> Option<String>,
    ) -> Vec<String> {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                if !self.outage.swap(true, Ordering::SeqCst) {
                    tracing::warn!(kind = self.kind, error = %super::error::chain(&e),
                        "drift watch failed; retrying with backoff until the apiserver answers");
                } else {
                    tracing::debug!(kind = self.kind, error = %e, "drift watch still failing");
                }
                return Vec::new();
            }
        };
        if self.outage.swap(false, Ordering::SeqCst) {
            tracing::info!(kind = self.kind, "drift watch recovered");
        }
        match event {
            watcher::Event::Apply(obj) => key(&obj)
                .inspect(|n| {
                    self.known.insert(n.clone());
                })
                .into_iter()
                .collect(),
            watcher::Event::Delete(obj) => key(&obj)
                .inspect(|n| {
                    self.known.remove(n);
                })
                .into_iter()
                .collect(),
            watcher::Event::Init => {
                self.relisting.clear();
                Vec::new()
            }
            watcher::Event::InitApply(obj) => key(&obj)
                .inspect(|n| {
                    self.relisting.insert(n.clone());
                })
                .into_iter()
                .collect(),
            watcher::Event::InitDone => {
                let listed = std::mem::take(&mut self.relisting);
                let gone: Vec<String> = self.known.difference(&listed).cloned().collect();
                self.known = listed;
                gone
            }
        }
    }
}
