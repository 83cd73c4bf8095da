//! Namespace controllers: every active namespace gets its `default` ServiceAccount and the
//! `kube-root-ca.crt` ConfigMap; a terminating namespace has its content deleted, reports what
//! remains in its conditions, and disappears once empty.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::now;
use crate::cluster::Sim;
use crate::store::{Key, finalizers_empty, is_deleting, object_rv};

const ROOT_CA_DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

fn meta(ns: &str, name: &str) -> Value {
    json!({"name": name, "namespace": ns, "uid": uuid::Uuid::new_v4().to_string(), "creationTimestamp": now()})
}

/// Create the ServiceAccount and CA ConfigMap of a namespace when missing.
pub fn populate(sim: &Sim, ns: &str) {
    let sa_key = Key::new("serviceaccounts", ns, "default");
    if sim.store.get(&sa_key).is_none() {
        let _ = sim
            .store
            .create(sa_key, json!({"metadata": meta(ns, "default")}));
    }
    let cm_key = Key::new("configmaps", ns, "kube-root-ca.crt");
    if sim.store.get(&cm_key).is_none() {
        let mut m = meta(ns, "kube-root-ca.crt");
        m["annotations"] = json!({"kubernetes.io/description": ROOT_CA_DESCRIPTION});
        let _ = sim.store.create(
            cm_key,
            json!({"metadata": m, "data": {"ca.crt": sim.ca_pem}}),
        );
    }
}

pub fn reconcile(sim: &Sim) {
    let (namespaces, _) = sim.store.list("namespaces", None);
    for ns in namespaces {
        let name = ns
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if is_deleting(&ns) {
            terminate(sim, &name, &ns);
        } else {
            populate(sim, &name);
        }
    }
}

fn condition(t: &str, status: &str, reason: &str, message: &str, at: &str) -> Value {
    json!({"type": t, "status": status, "lastTransitionTime": at, "reason": reason, "message": message})
}

/// Delete everything in a terminating namespace; finish it when nothing is left.
fn terminate(sim: &Sim, ns: &str, nsobj: &Value) {
    let keys = sim.store.keys_in_namespace(ns);
    // resource -> count, finalizer -> count of what remains after this pass
    let mut remaining: BTreeMap<String, usize> = BTreeMap::new();
    let mut finalizers: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys {
        let Some(obj) = sim.store.get(&key) else {
            continue;
        };
        if finalizers_empty(&obj) {
            let _ = sim.store.delete(&key, None);
            continue;
        }
        if !is_deleting(&obj) {
            let mut marked = (*obj).clone();
            marked["metadata"]["deletionTimestamp"] = json!(now());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            let _ = sim.store.update(&key, marked, Some(object_rv(&obj)));
        }
        let (group, plural) = match key.resource.split_once('/') {
            Some((g, p)) => (g.to_string(), p.to_string()),
            None => (String::new(), key.resource.clone()),
        };
        *remaining.entry(format!("{plural}.{group}")).or_default() += 1;
        for f in obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(f) = f.as_str() {
                *finalizers.entry(f.to_string()).or_default() += 1;
            }
        }
    }
    let key = Key::new("namespaces", "", ns);
    if remaining.is_empty() {
        let mut done = nsobj.clone();
        done["spec"]["finalizers"] = json!([]);
        if let Some(m) = done["spec"].as_object_mut() {
            m.remove("finalizers");
        }
        // With the `kubernetes` finalizer gone the store removes the namespace.
        let _ = sim.store.delete(&key, None);
        return;
    }
    let at = nsobj
        .pointer("/status/conditions/0/lastTransitionTime")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(now);
    let resources: Vec<String> = remaining
        .iter()
        .map(|(r, n)| format!("{r} has {n} resource instances"))
        .collect();
    let fins: Vec<String> = finalizers
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect();
    let mut conditions = vec![
        condition(
            "NamespaceDeletionDiscoveryFailure",
            "False",
            "ResourcesDiscovered",
            "All resources successfully discovered",
            &at,
        ),
        condition(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed",
            &at,
        ),
        condition(
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization",
            &at,
        ),
        condition(
            "NamespaceContentRemaining",
            "True",
            "SomeResourcesRemain",
            &format!("Some resources are remaining: {}", resources.join(", ")),
            &at,
        ),
    ];
    if fins.is_empty() {
        conditions.push(condition(
            "NamespaceFinalizersRemaining",
            "False",
            "ContentHasNoFinalizers",
            "All content-preserving finalizers finished",
            &at,
        ));
    } else {
        conditions.push(condition(
            "NamespaceFinalizersRemaining",
            "True",
            "SomeFinalizersRemain",
            &format!(
                "Some content in the namespace has finalizers remaining: {}",
                fins.join(", ")
            ),
            &at,
        ));
    }
    if nsobj.pointer("/status/conditions") != Some(&Value::Array(conditions.clone())) {
        let mut next = nsobj.clone();
        next["status"]["conditions"] = Value::Array(conditions);
        let _ = sim.store.update_keep(&key, next, Some(object_rv(nsobj)));
    }
}
