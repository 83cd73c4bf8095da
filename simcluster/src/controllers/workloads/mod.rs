//! The workload controllers of kube-controller-manager: Deployments, ReplicaSets and
//! ReplicationControllers, StatefulSets, DaemonSets, Jobs, CronJobs and the HPA. They read and
//! write the store directly (as the real ones do through informers and the API), and share the
//! helpers here: owner references and adoption, creating pods from templates the way the API
//! would store them, deleting pods, status writes.

pub mod cronjob;
mod cronsched;
pub mod daemonset;
pub mod deployment;
mod deployment_scale;
mod hash;
pub mod hpa;
pub mod job;
pub mod replicaset;
mod revisions;
mod rollout;
pub mod statefulset;
mod tz;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::events;
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};
use crate::store::{Key, is_deleting, object_rv};

/// One reconcile pass of a controller.
pub type Reconcile = fn(&Sim);

/// The controllers of this module, for the controller manager's spawn list.
pub const CONTROLLERS: &[(&str, Reconcile)] = &[
    ("deployment", deployment::reconcile),
    ("replicaset", replicaset::reconcile),
    ("statefulset", statefulset::reconcile),
    ("daemonset", daemonset::reconcile),
    ("job", job::reconcile),
    ("cronjob", cronjob::reconcile),
    ("horizontal-pod-autoscaler", hpa::reconcile),
];

pub(crate) fn name(obj: &Value) -> &str {
    str_at(obj, "metadata/name")
}

pub(crate) fn namespace(obj: &Value) -> &str {
    str_at(obj, "metadata/namespace")
}

pub(crate) fn uid(obj: &Value) -> &str {
    str_at(obj, "metadata/uid")
}

/// `metav1.NewControllerRef`.
pub(crate) fn controller_ref(kind: &str, api_version: &str, owner: &Value) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "name": name(owner), "uid": uid(owner), "controller": true, "blockOwnerDeletion": true})
}

/// The uid of the controlling owner, if any.
pub(crate) fn controller_uid(obj: &Value) -> Option<&str> {
    arr_at(obj, "metadata/ownerReferences")
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .and_then(|r| r.get("uid").and_then(Value::as_str))
}

pub(crate) fn labels(obj: &Value) -> Option<&Map<String, Value>> {
    obj_at(obj, "metadata/labels")
}

/// Whether a LabelSelector (`matchLabels`/`matchExpressions`) selects these labels.
pub(crate) fn selects(selector: Option<&Value>, labels: Option<&Map<String, Value>>) -> bool {
    crate::resources::selector::matches(selector, labels)
}

/// Whether a ReplicationController-style selector (a plain map) selects these labels.
pub(crate) fn map_selects(
    selector: Option<&Map<String, Value>>,
    labels: Option<&Map<String, Value>>,
) -> bool {
    selector.is_some_and(|s| {
        !s.is_empty()
            && s.iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
    })
}

pub(crate) fn replicas(obj: &Value) -> i64 {
    i64_at(obj, "spec/replicas").unwrap_or(1)
}

pub(crate) fn generation(obj: &Value) -> i64 {
    i64_at(obj, "metadata/generation").unwrap_or(0)
}

/// Parse an RFC 3339 timestamp.
pub(crate) fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Objects of one resource as the claiming code reads them, from the store's indexes: by the
/// uid of their controller, and the orphans (no controller) by namespace. Each read costs
/// O(answer), not a scan of the resource.
pub(crate) struct Index<'s> {
    sim: &'s Sim,
    resource: &'s str,
}

impl<'s> Index<'s> {
    pub(crate) fn of(sim: &'s Sim, resource: &'s str) -> Index<'s> {
        Index { sim, resource }
    }

    /// What the object with this uid controls.
    pub(crate) fn owned(&self, owner_uid: &str) -> Vec<Arc<Value>> {
        self.sim.store.controlled_by(self.resource, owner_uid)
    }

    /// Objects without a controller in a namespace.
    pub(crate) fn orphans(&self, ns: &str) -> Vec<Arc<Value>> {
        self.sim.store.uncontrolled(self.resource, ns)
    }
}

/// Pod phase helpers as the controllers read them.
pub(crate) fn phase(pod: &Value) -> &str {
    str_at(pod, "status/phase")
}

/// `controller.IsPodActive`: not finished and not being deleted.
pub(crate) fn pod_active(pod: &Value) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && !is_deleting(pod)
}

/// `controller.IsPodTerminating`: being deleted but not finished.
pub(crate) fn pod_terminating(pod: &Value) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && is_deleting(pod)
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    arr_at(pod, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == "Ready")
}

/// `podutil.IsPodReady`.
pub(crate) fn pod_ready(pod: &Value) -> bool {
    ready_condition(pod).is_some_and(|c| str_at(c, "status") == "True")
}

/// `podutil.IsPodAvailable`: ready for at least `min_ready` seconds.
pub(crate) fn pod_available(
    pod: &Value,
    min_ready: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    if !pod_ready(pod) {
        return false;
    }
    if min_ready <= 0 {
        return true;
    }
    let since = ready_condition(pod)
        .map(|c| str_at(c, "lastTransitionTime"))
        .and_then(parse_time);
    since.is_some_and(|t| t + chrono::Duration::seconds(min_ready) <= now)
}

/// Whether objects may be created in a namespace (it exists and is not terminating).
pub(crate) fn namespace_open(sim: &Sim, ns: &str) -> bool {
    sim.store
        .get(&Key::new("namespaces", "", ns))
        .is_some_and(|n| !is_deleting(&n))
}

/// Why a pod could not be created (the text after `Error creating: `).
pub(crate) type CreateError = String;

/// Create a pod from a template like `controller.GetPodFromTemplate` plus the API's create path:
/// scheme defaults, ServiceAccount/toleration/priority admission, PrepareForCreate, uid and
/// timestamps. `name` is the exact name, or `None` for `generate_name` plus 5 random characters.
pub(crate) fn create_pod(
    sim: &Sim,
    ns: &str,
    template: &Value,
    name: Option<&str>,
    generate_name: &str,
    owner: Value,
    extra: impl FnOnce(&mut Map<String, Value>),
) -> Result<Value, CreateError> {
    let shown = name.unwrap_or(generate_name).to_string();
    let forbidden = |why: String| format!("pods {shown:?} is forbidden: {why}");
    match sim.store.get(&Key::new("namespaces", "", ns)) {
        None => return Err(format!("namespaces {ns:?} not found")),
        Some(n) if is_deleting(&n) => {
            return Err(forbidden(format!(
                "unable to create new content in namespace {ns} because it is being terminated"
            )));
        }
        _ => {}
    }
    let spec = at(template, "spec").cloned().unwrap_or(json!({}));
    let sa = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    if sim
        .store
        .get(&Key::new("serviceaccounts", ns, &sa))
        .is_none()
    {
        return Err(forbidden(format!(
            "error looking up service account {ns}/{sa}: serviceaccount {sa:?} not found"
        )));
    }
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name.unwrap_or("")));
    if name.is_none() {
        meta.insert("generateName".into(), json!(generate_name));
    }
    meta.insert("namespace".into(), json!(ns));
    meta.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
    meta.insert("resourceVersion".into(), json!(""));
    meta.insert("generation".into(), json!(1));
    meta.insert("creationTimestamp".into(), json!(super::now()));
    for k in ["labels", "annotations"] {
        if let Some(m) = obj_at(template, &format!("metadata/{k}")).filter(|m| !m.is_empty()) {
            meta.insert(k.into(), Value::Object(m.clone()));
        }
    }
    meta.insert("ownerReferences".into(), json!([owner]));
    if let Some(f) =
        at(template, "metadata/finalizers").filter(|f| f.as_array().is_some_and(|a| !a.is_empty()))
    {
        meta.insert("finalizers".into(), f.clone());
    }
    extra(&mut meta);
    let mut pod = json!({"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec});
    crate::resources::apply_defaults("", "Pod", &mut pod);
    // LimitRange defaults, as for pods created through the API.
    crate::admission::default_pod_resources(sim, ns, &mut pod);
    crate::resources::admit_pod_create(&mut pod);
    crate::resources::prepare_create("", "Pod", &mut pod);
    let now = super::now();
    crate::patch::track_update(
        None,
        &mut pod,
        "kube-controller-manager",
        "Update",
        "v1",
        &now,
    );
    // Stored through the validating LimitRanger and ResourceQuota checks; a refusal is what the
    // FailedCreate event reports.
    for _ in 0..5 {
        let pod_name = match name {
            Some(n) => n.to_string(),
            None => format!("{generate_name}{}", crate::resources::random_suffix(5)),
        };
        pod["metadata"]["name"] = json!(pod_name);
        match crate::admission::create_checked(sim, "", "pods", pod.clone()) {
            Ok(p) => return Ok((*p).clone()),
            Err(e) if e.reason == "AlreadyExists" && name.is_none() => continue,
            Err(e) => return Err(e.message),
        }
    }
    Err(format!(
        "pods {shown:?} already exists, the server was not able to generate a unique name for the object"
    ))
}

/// Delete a pod as a controller's DELETE with default options does: a pod that never ran goes
/// at once, others get a deletionTimestamp and their grace period (the kubelet finishes them);
/// finalizers keep the object until they are removed.
pub(crate) fn delete_pod(sim: &Sim, pod: &Value) {
    if is_deleting(pod) {
        return;
    }
    let key = Key::new("pods", namespace(pod), name(pod));
    let scheduled = !str_at(pod, "spec/nodeName").is_empty();
    let grace = if scheduled {
        i64_at(pod, "spec/terminationGracePeriodSeconds").unwrap_or(30)
    } else {
        0
    };
    let no_finalizers = arr_at(pod, "metadata/finalizers").is_empty();
    if no_finalizers && (grace == 0 || !scheduled) {
        let _ = sim.store.delete(&key, None);
        return;
    }
    let mut next = pod.clone();
    next["metadata"]["deletionTimestamp"] = json!(super::now());
    next["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
    next["metadata"]["generation"] = json!(generation(pod) + 1);
    let _ = sim.store.update_keep(&key, next, Some(object_rv(pod)));
}

/// Report a controller's pod create as `controller.PodControl` does: `SuccessfulCreate`
/// (`Created pod: NAME`) or `FailedCreate` (`Error creating: ...`). Returns the result.
pub(crate) fn report_create(
    sim: &Sim,
    who: &Reporter,
    owner: &Value,
    created: Result<Value, CreateError>,
) -> Result<Value, CreateError> {
    match &created {
        Ok(p) => event(
            sim,
            who,
            owner,
            "Normal",
            "SuccessfulCreate",
            &format!("Created pod: {}", name(p)),
        ),
        Err(e) => event(
            sim,
            who,
            owner,
            "Warning",
            "FailedCreate",
            &format!("Error creating: {e}"),
        ),
    }
    created
}

/// Delete a pod for its controller and report it (`SuccessfulDelete`, `Deleted pod: NAME`).
pub(crate) fn delete_reported(sim: &Sim, who: &Reporter, owner: &Value, pod: &Value) {
    delete_pod(sim, pod);
    event(
        sim,
        who,
        owner,
        "Normal",
        "SuccessfulDelete",
        &format!("Deleted pod: {}", name(pod)),
    );
}

/// Replace `status` of a stored object when it changed (a status update; no generation bump).
pub(crate) fn write_status(sim: &Sim, resource: &str, obj: &Value, status: Value) -> Option<Value> {
    if obj.get("status") == Some(&status) {
        return None;
    }
    let mut next = obj.clone();
    next["status"] = status;
    let key = Key::new(resource, namespace(obj), name(obj));
    sim.store
        .update(&key, next, Some(object_rv(obj)))
        .ok()
        .map(|v| (*v).clone())
}

/// Write a changed object back (spec or metadata changes by a controller), bumping the
/// generation when the spec changed, as the API's update strategy would.
pub(crate) fn write_object(
    sim: &Sim,
    resource: &str,
    old: &Value,
    mut next: Value,
) -> Option<Value> {
    if &next == old {
        return Some(old.clone());
    }
    if next.get("spec") != old.get("spec") && old.pointer("/metadata/generation").is_some() {
        next["metadata"]["generation"] = json!(generation(old) + 1);
    }
    let key = Key::new(resource, namespace(old), name(old));
    sim.store
        .update(&key, next, Some(object_rv(old)))
        .ok()
        .map(|v| (*v).clone())
}

/// Adopt an orphan (add the controller reference) or release a dependent (remove it): the
/// ControllerRefManager's patches.
pub(crate) fn set_controller(
    sim: &Sim,
    resource: &str,
    obj: &Value,
    owner_ref: Option<Value>,
) -> Option<Value> {
    let mut next = obj.clone();
    let mut refs: Vec<Value> = arr_at(obj, "metadata/ownerReferences").to_vec();
    match &owner_ref {
        Some(r) => refs.push(r.clone()),
        None => refs.retain(|r| r.get("controller").and_then(Value::as_bool) != Some(true)),
    }
    let m = next["metadata"].as_object_mut()?;
    if refs.is_empty() {
        m.remove("ownerReferences");
    } else {
        m.insert("ownerReferences".into(), Value::Array(refs));
    }
    let key = Key::new(resource, namespace(obj), name(obj));
    sim.store
        .update(&key, next, Some(object_rv(obj)))
        .ok()
        .map(|v| (*v).clone())
}

/// Claim objects for an owner like `ClaimObjects`: owned ones that still match stay, owned ones
/// that no longer match are released, matching orphans are adopted (unless the owner is being
/// deleted). `keep` filters both lists first (e.g. only active pods). Returns what the owner
/// now controls.
pub(crate) fn claim(
    sim: &Sim,
    resource: &str,
    owner: &Value,
    owner_ref: &Value,
    idx: &Index,
    keep: impl Fn(&Value) -> bool,
    matches: impl Fn(&Value) -> bool,
) -> Vec<Arc<Value>> {
    let mut out = Vec::new();
    for c in idx.owned(uid(owner)).iter().filter(|c| keep(c)) {
        if matches(c) {
            out.push(c.clone());
        } else if !is_deleting(c) {
            set_controller(sim, resource, c, None);
        }
    }
    if is_deleting(owner) {
        return out;
    }
    for c in idx.orphans(namespace(owner)).iter().filter(|c| keep(c)) {
        if matches(c)
            && !is_deleting(c)
            && let Some(adopted) = set_controller(sim, resource, c, Some(owner_ref.clone()))
        {
            out.push(Arc::new(adopted));
        }
    }
    out
}

/// Sort by creation time, then name (`ByCreationTimestamp`).
pub(crate) fn by_creation(a: &Value, b: &Value) -> std::cmp::Ordering {
    let ka = (str_at(a, "metadata/creationTimestamp"), name(a));
    let kb = (str_at(b, "metadata/creationTimestamp"), name(b));
    ka.cmp(&kb)
}

pub(crate) use events::{Reporter, record_for as event};

/// A Sim without a server, for unit tests of the controllers.
#[cfg(test)]
pub(crate) fn test_sim(kubelet: bool) -> std::sync::Arc<Sim> {
    let config = crate::SimConfig {
        kubelet,
        ..Default::default()
    };
    std::sync::Arc::new(Sim {
        store: crate::store::Store::new(),
        registry: crate::discovery::Registry::new(false).into(),
        admin_token: "t".into(),
        ca_pem: String::new(),
        started: chrono::Utc::now(),
        server_address: "127.0.0.1:0".into(),
        config,
        admission_lock: std::sync::Mutex::new(()),
    })
}
