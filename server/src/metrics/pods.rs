//! The pods the collector counts: a compact summary per pod (`PodInfo`: node, phase,
//! application, requests and limits), read through slim types that deserialize only those
//! fields (`SlimPod`, `PodUsage`), and kept current by a watch on the collecting replica
//! (`PodCache`), so a cycle at 30,000 pods reads no pod list.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use futures::StreamExt;
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::runtime::{WatchStreamExt, watcher};
use serde::Deserialize;

use super::sample::{GPU, STORAGE, number};

/// A Pod with only what the collector reads; everything else is skipped while parsing.
#[derive(Debug, Clone, Deserialize)]
pub struct SlimPod {
    #[serde(default)]
    metadata: ObjectMeta,
    #[serde(default)]
    spec: Option<SlimSpec>,
    #[serde(default)]
    status: Option<SlimStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SlimSpec {
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default)]
    containers: Option<Vec<SlimContainer>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct SlimContainer {
    #[serde(default)]
    resources: Option<SlimResources>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct SlimResources {
    #[serde(default)]
    requests: Option<BTreeMap<String, String>>,
    #[serde(default)]
    limits: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct SlimStatus {
    #[serde(default)]
    phase: Option<String>,
}

impl kube::Resource for SlimPod {
    type DynamicType = ();
    type Scope = NamespaceResourceScope;
    fn kind(_: &()) -> Cow<'_, str> {
        "Pod".into()
    }
    fn group(_: &()) -> Cow<'_, str> {
        "".into()
    }
    fn version(_: &()) -> Cow<'_, str> {
        "v1".into()
    }
    fn plural(_: &()) -> Cow<'_, str> {
        "pods".into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// Sum of one resource over the containers' `requests` or `limits`.
fn sum(containers: &[SlimContainer], limits: bool, resource: &str) -> f64 {
    containers
        .iter()
        .filter_map(|c| c.resources.as_ref())
        .filter_map(|r| if limits { &r.limits } else { &r.requests }.as_ref())
        .filter_map(|m| m.get(resource))
        .map(|q| number(q))
        .sum()
}

/// Requests and limits of one resource.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReqLim {
    pub request: f64,
    pub limit: f64,
}

/// What the collector needs of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    /// Empty while unscheduled.
    pub node: String,
    pub phase: String,
    /// `app.kubernetes.io/name`, else the owning workload, else the pod's name.
    pub app: String,
    pub cpu: ReqLim,
    pub memory: ReqLim,
    /// GPUs (requests default to, and must equal, limits) and ephemeral storage requests.
    pub gpu: f64,
    pub storage: f64,
}

impl PodInfo {
    pub fn of(pod: &SlimPod) -> PodInfo {
        let m = &pod.metadata;
        let spec = pod.spec.as_ref();
        let c = spec
            .and_then(|s| s.containers.as_deref())
            .unwrap_or_default();
        let rl = |r: &str| ReqLim {
            request: sum(c, false, r),
            limit: sum(c, true, r),
        };
        PodInfo {
            namespace: m.namespace.clone().unwrap_or_default(),
            name: m.name.clone().unwrap_or_default(),
            node: spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
            phase: pod
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default(),
            app: app_of(m),
            cpu: rl("cpu"),
            memory: rl("memory"),
            gpu: sum(c, false, GPU).max(sum(c, true, GPU)),
            storage: sum(c, false, STORAGE),
        }
    }

    /// From a pod as JSON (unit tests; anything not a pod gives an empty summary).
    #[cfg(test)]
    pub fn of_value(pod: &serde_json::Value) -> PodInfo {
        let slim: SlimPod = serde_json::from_value(pod.clone()).unwrap_or(SlimPod {
            metadata: ObjectMeta::default(),
            spec: None,
            status: None,
        });
        PodInfo::of(&slim)
    }
}

/// The application a pod belongs to.
pub fn app_of(m: &ObjectMeta) -> String {
    let label = |k: &str| m.labels.as_ref().and_then(|l| l.get(k)).map(String::as_str);
    if let Some(app) = label("app.kubernetes.io/name").filter(|a| !a.is_empty()) {
        return app.to_string();
    }
    match m.owner_references.as_ref().and_then(|o| o.first()) {
        Some(o) => {
            let hash = label("pod-template-hash").unwrap_or("");
            // A Deployment's pods are owned by `<deployment>-<pod-template-hash>`.
            match o.name.strip_suffix(&format!("-{hash}")) {
                Some(d) if o.kind == "ReplicaSet" && !hash.is_empty() => d.to_string(),
                _ => o.name.clone(),
            }
        }
        None => m.name.clone().unwrap_or_default(),
    }
}

/// One pod's usage from `metrics.k8s.io` (a `PodMetrics` item, parsed slim).
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "SlimPodMetrics")]
pub struct PodUsage {
    pub namespace: String,
    pub name: String,
    pub cpu: f64,
    pub memory: f64,
}

#[derive(Deserialize)]
struct SlimPodMetrics {
    #[serde(default)]
    metadata: ObjectMeta,
    #[serde(default)]
    containers: Option<Vec<SlimUsage>>,
}

#[derive(Deserialize)]
struct SlimUsage {
    #[serde(default)]
    usage: Option<BTreeMap<String, String>>,
}

impl From<SlimPodMetrics> for PodUsage {
    fn from(m: SlimPodMetrics) -> PodUsage {
        let total = |r: &str| -> f64 {
            m.containers
                .iter()
                .flatten()
                .filter_map(|c| c.usage.as_ref()?.get(r))
                .map(|q| number(q))
                .sum()
        };
        PodUsage {
            cpu: total("cpu"),
            memory: total("memory"),
            namespace: m.metadata.namespace.unwrap_or_default(),
            name: m.metadata.name.unwrap_or_default(),
        }
    }
}

type Key = (String, String);

/// A watch-fed map of every pod's `PodInfo`. Lives as long as the collector leads; dropping
/// it stops the watch. While it is not in sync (start-up, a failed watch) the collector
/// lists pods instead.
pub struct PodCache {
    pods: Arc<RwLock<HashMap<Key, PodInfo>>>,
    in_sync: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for PodCache {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn key(p: &PodInfo) -> Key {
    (p.namespace.clone(), p.name.clone())
}

impl PodCache {
    /// Starts watching every pod (on the current tokio runtime).
    pub fn start(client: kube::Client) -> PodCache {
        let pods: Arc<RwLock<HashMap<Key, PodInfo>>> = Arc::default();
        let in_sync = Arc::new(AtomicBool::new(false));
        let (map, flag) = (pods.clone(), in_sync.clone());
        let api: kube::Api<SlimPod> = kube::Api::all(client);
        let stream = watcher(api, watcher::Config::default()).default_backoff();
        let task = tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            // A relist gathers here and replaces the map when complete.
            let mut fresh: HashMap<Key, PodInfo> = HashMap::new();
            while let Some(event) = stream.next().await {
                match event {
                    Ok(watcher::Event::Init) => fresh.clear(),
                    Ok(watcher::Event::InitApply(p)) => {
                        let info = PodInfo::of(&p);
                        fresh.insert(key(&info), info);
                    }
                    Ok(watcher::Event::InitDone) => {
                        *map.write().unwrap_or_else(|e| e.into_inner()) =
                            std::mem::take(&mut fresh);
                        flag.store(true, Ordering::Relaxed);
                    }
                    Ok(watcher::Event::Apply(p)) => {
                        let info = PodInfo::of(&p);
                        let mut m = map.write().unwrap_or_else(|e| e.into_inner());
                        m.insert(key(&info), info);
                    }
                    Ok(watcher::Event::Delete(p)) => {
                        let info = PodInfo::of(&p);
                        let mut m = map.write().unwrap_or_else(|e| e.into_inner());
                        m.remove(&key(&info));
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "pod cache: watch failed; the collector lists pods");
                        flag.store(false, Ordering::Relaxed);
                    }
                }
            }
        });
        PodCache {
            pods,
            in_sync,
            task,
        }
    }

    /// The initial list is in and the watch has not failed since.
    pub fn in_sync(&self) -> bool {
        self.in_sync.load(Ordering::Relaxed)
    }

    /// Calls `f` with every pod when the cache is in sync; `None` otherwise.
    pub fn with_pods<R>(&self, f: impl FnOnce(&[&PodInfo]) -> R) -> Option<R> {
        if !self.in_sync() {
            return None;
        }
        let map = self.pods.read().unwrap_or_else(|e| e.into_inner());
        let all: Vec<&PodInfo> = map.values().collect();
        Some(f(&all))
    }
}
