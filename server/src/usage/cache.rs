//! A watch-fed cache of the managed ResourceQuotas (`ku8portal-quota` in every managed
//! namespace), so usage summaries need no apiserver request per namespace. Every replica keeps
//! one; while its watch is not in sync (start-up, outage) readers fall back to the apiserver.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use k8s_openapi::api::core::v1::ResourceQuota;
use kube::runtime::reflector::{self, ObjectRef, Store};
use kube::runtime::{WatchStreamExt, watcher};

use crate::reconciler::cluster::{MANAGED_BY, QUOTA_NAME, QuotaStatus};

#[derive(Clone)]
pub struct QuotaCache {
    store: Store<ResourceQuota>,
    /// The initial list is done and the watch has not failed since.
    in_sync: Arc<AtomicBool>,
}

impl QuotaCache {
    /// Starts watching (on the current tokio runtime).
    pub fn start(client: kube::Client) -> QuotaCache {
        let (store, writer) = reflector::store();
        let in_sync = Arc::new(AtomicBool::new(false));
        let flag = in_sync.clone();
        let api: kube::Api<ResourceQuota> = kube::Api::all(client);
        let config =
            watcher::Config::default().labels(&format!("{}={}", MANAGED_BY.0, MANAGED_BY.1));
        let stream = watcher(api, config).default_backoff().reflect(writer);
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Some(event) = stream.next().await {
                match event {
                    Ok(watcher::Event::Init) => flag.store(false, Ordering::Relaxed),
                    Ok(watcher::Event::InitDone) => flag.store(true, Ordering::Relaxed),
                    Ok(_) => {}
                    Err(e) => {
                        tracing::debug!(error = %e, "quota cache: watch failed; readers ask the apiserver");
                        flag.store(false, Ordering::Relaxed);
                    }
                }
            }
        });
        QuotaCache { store, in_sync }
    }

    /// The cached quota of a namespace: `None` when the cache is not in sync (ask the
    /// apiserver), `Some(None)` when the namespace has no managed quota.
    pub fn get(&self, namespace: &str) -> Option<Option<QuotaStatus>> {
        if !self.in_sync.load(Ordering::Relaxed) {
            return None;
        }
        let key = ObjectRef::new(QUOTA_NAME).within(namespace);
        Some(self.store.get(&key).map(|rq| QuotaStatus::of(&rq)))
    }
}
