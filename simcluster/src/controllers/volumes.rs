//! A local-path-style dynamic provisioner: when a pod is scheduled, each Pending claim it uses
//! whose StorageClass has a provisioner gets a new PersistentVolume on that node and is bound to
//! it (the WaitForFirstConsumer flow); volumes whose claim is gone are deleted (`Delete` reclaim).

use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::resources::json::{arr_at, str_at};
use crate::store::{Key, object_rv};

const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

/// The StorageClass a claim uses: its own, or the default class.
fn storage_class(sim: &Sim, pvc: &Value) -> Option<Value> {
    let (classes, _) = sim.store.list("storage.k8s.io/storageclasses", None);
    let wanted = str_at(pvc, "spec/storageClassName");
    classes
        .iter()
        .find(|c| {
            if wanted.is_empty() {
                c.pointer("/metadata/annotations/storageclass.kubernetes.io~1is-default-class")
                    .and_then(Value::as_str)
                    == Some("true")
            } else {
                str_at(c, "metadata/name") == wanted
            }
        })
        .map(|c| (**c).clone())
}

/// Bind the pending claims of `pod`, just scheduled to `node`.
pub fn provision_for(sim: &Sim, pod: &Value, node: &str) {
    let ns = str_at(pod, "metadata/namespace");
    for v in arr_at(pod, "spec/volumes") {
        let claim = str_at(v, "persistentVolumeClaim/claimName");
        if claim.is_empty() {
            continue;
        }
        let key = Key::new("persistentvolumeclaims", ns, claim);
        let Some(pvc) = sim.store.get(&key) else {
            continue;
        };
        if str_at(&pvc, "status/phase") != "Pending" || !str_at(&pvc, "spec/volumeName").is_empty()
        {
            continue;
        }
        let Some(class) = storage_class(sim, &pvc) else {
            continue;
        };
        let provisioner = str_at(&class, "provisioner").to_string();
        let class_name = str_at(&class, "metadata/name").to_string();
        let uid = str_at(&pvc, "metadata/uid");
        let pv_name = format!("pvc-{uid}");
        let size = pvc
            .pointer("/spec/resources/requests/storage")
            .cloned()
            .unwrap_or(json!("1Gi"));
        let modes = pvc
            .pointer("/spec/accessModes")
            .cloned()
            .unwrap_or(json!(["ReadWriteOnce"]));
        let now = super::now();
        let pv = json!({
            "kind": "PersistentVolume",
            "apiVersion": "v1",
            "metadata": {
                "name": pv_name,
                "uid": uuid::Uuid::new_v4().to_string(),
                "creationTimestamp": now,
                "annotations": {PROVISIONED_BY: provisioner, "local.path.provisioner/selected-node": node},
                "finalizers": ["kubernetes.io/pv-protection"],
            },
            "spec": {
                "capacity": {"storage": size},
                "hostPath": {"path": format!("/opt/local-path-provisioner/{pv_name}_{ns}_{claim}"), "type": "DirectoryOrCreate"},
                "accessModes": modes,
                "claimRef": {"kind": "PersistentVolumeClaim", "namespace": ns, "name": claim, "uid": uid, "apiVersion": "v1", "resourceVersion": str_at(&pvc, "metadata/resourceVersion")},
                "persistentVolumeReclaimPolicy": class.get("reclaimPolicy").cloned().unwrap_or(json!("Delete")),
                "storageClassName": class_name,
                "volumeMode": pvc.pointer("/spec/volumeMode").cloned().unwrap_or(json!("Filesystem")),
                "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}},
            },
            "status": {"phase": "Bound", "lastPhaseTransitionTime": now},
        });
        if sim
            .store
            .create(Key::new("persistentvolumes", "", &pv_name), pv)
            .is_err()
        {
            continue;
        }
        let mut next = (*pvc).clone();
        let annotations = next["metadata"]
            .as_object_mut()
            .expect("metadata")
            .entry("annotations")
            .or_insert(json!({}));
        for (k, v) in [
            ("pv.kubernetes.io/bind-completed", "yes"),
            ("pv.kubernetes.io/bound-by-controller", "yes"),
            (
                "volume.beta.kubernetes.io/storage-provisioner",
                provisioner.as_str(),
            ),
            ("volume.kubernetes.io/selected-node", node),
            (
                "volume.kubernetes.io/storage-provisioner",
                provisioner.as_str(),
            ),
        ] {
            annotations[k] = json!(v);
        }
        next["spec"]["volumeName"] = json!(pv_name);
        if str_at(&next, "spec/storageClassName").is_empty() {
            next["spec"]["storageClassName"] = json!(class_name);
        }
        next["status"] =
            json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": size}});
        let _ = sim.store.update(&key, next, Some(object_rv(&pvc)));
    }
}

/// The nodes the pod's bound local volumes live on (`None` when no volume pins it).
pub fn pinned_nodes(sim: &Sim, pod: &Value) -> Option<Vec<String>> {
    let ns = str_at(pod, "metadata/namespace");
    let mut allowed: Option<Vec<String>> = None;
    for v in arr_at(pod, "spec/volumes") {
        let claim = str_at(v, "persistentVolumeClaim/claimName");
        if claim.is_empty() {
            continue;
        }
        let Some(pvc) = sim
            .store
            .get(&Key::new("persistentvolumeclaims", ns, claim))
        else {
            continue;
        };
        let Some(pv) = sim.store.get(&Key::new(
            "persistentvolumes",
            "",
            str_at(&pvc, "spec/volumeName"),
        )) else {
            continue;
        };
        for term in arr_at(&pv, "spec/nodeAffinity/required/nodeSelectorTerms") {
            for e in arr_at(term, "matchExpressions") {
                if str_at(e, "key") == "kubernetes.io/hostname" && str_at(e, "operator") == "In" {
                    let nodes: Vec<String> = arr_at(e, "values")
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect();
                    allowed = Some(match allowed {
                        None => nodes,
                        Some(prev) => prev.into_iter().filter(|n| nodes.contains(n)).collect(),
                    });
                }
            }
        }
    }
    allowed
}

/// Delete provisioned volumes whose claim no longer exists (reclaim policy `Delete`).
pub fn reclaim(sim: &Sim) {
    let (pvs, _) = sim.store.list("persistentvolumes", None);
    for pv in pvs {
        let ours = pv
            .pointer(&format!(
                "/metadata/annotations/{}",
                PROVISIONED_BY.replace('/', "~1")
            ))
            .is_some();
        if !ours || str_at(&pv, "spec/persistentVolumeReclaimPolicy") != "Delete" {
            continue;
        }
        let (ns, name) = (
            str_at(&pv, "spec/claimRef/namespace"),
            str_at(&pv, "spec/claimRef/name"),
        );
        let claim = sim.store.get(&Key::new("persistentvolumeclaims", ns, name));
        if claim.is_none_or(|c| str_at(&c, "metadata/uid") != str_at(&pv, "spec/claimRef/uid")) {
            let _ = sim.store.delete(
                &Key::new("persistentvolumes", "", str_at(&pv, "metadata/name")),
                None,
            );
        }
    }
}
