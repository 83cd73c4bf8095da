//! Deployment controller: ReplicaSets named `<deployment>-<pod-template-hash>`, revisions,
//! scaling (proportional during a rollout), RollingUpdate within maxSurge/maxUnavailable and
//! Recreate, pause/resume, revision history cleanup, status with the Available/Progressing
//! conditions and ScalingReplicaSet events — following `pkg/controller/deployment`.

use serde_json::{Map, Value, json};

use super::deployment_scale::new_rs_new_replicas;
use super::rollout::{
    HASH_LABEL, REVISION, annotation, calculate_status, complete, condition, equal_ignore_hash,
    has_progress_deadline, max_surge, new_condition, progressing, remove_condition, revision,
    set_condition, set_deployment_revision, set_new_rs_annotations, set_replicas_annotations,
    spec_replicas, status_i, timed_out,
};
use super::{
    Index, Reporter, by_creation, claim, controller_ref, event, labels, name, namespace, selects,
    write_object,
};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::store::{Key, is_deleting};

const WHO: Reporter = Reporter {
    component: "deployment-controller",
    kind: "Deployment",
    api_version: "apps/v1",
};
const RS_RESOURCE: &str = "apps/replicasets";

pub fn reconcile(sim: &Sim) {
    let rss = Index::of(sim, RS_RESOURCE);
    for d in sim.store.list("apps/deployments", None).0 {
        sync(sim, &d, &rss);
    }
}

/// One sync pass over a deployment; `d` is the working copy whose annotations and status are
/// written back at the end.
pub(super) struct Pass<'a> {
    pub(super) sim: &'a Sim,
    pub(super) d: Value,
}

fn sync(sim: &Sim, stored: &Value, idx: &Index) {
    let mut p = Pass {
        sim,
        d: stored.clone(),
    };
    let selector = at(stored, "spec/selector").cloned();
    if crate::resources::selector::is_empty(selector.as_ref()) {
        event(
            sim,
            &WHO,
            stored,
            "Warning",
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.",
        );
        let g = i64_at(stored, "metadata/generation").unwrap_or(0);
        if status_i(stored, "observedGeneration") < g {
            p.d["status"]["observedGeneration"] = json!(g);
            p.flush(stored);
        }
        return;
    }
    let owner = controller_ref("Deployment", "apps/v1", stored);
    let rss: Vec<Value> = claim(
        sim,
        RS_RESOURCE,
        stored,
        &owner,
        idx,
        |_| true,
        |rs| selects(selector.as_ref(), labels(rs)),
    )
    .iter()
    .map(|r| (**r).clone())
    .collect();
    if is_deleting(stored) {
        let (new_rs, old) = p.all_rss(&rss, false);
        p.sync_status(new_rs.as_ref(), &old);
    } else {
        p.check_paused_conditions();
        if p.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true)
            || p.is_scaling_event(&rss)
        {
            p.sync_scale(&rss);
        } else if str_at(stored, "spec/strategy/type") == "Recreate" {
            p.rollout_recreate(&rss);
        } else {
            p.rollout_rolling(&rss);
        }
    }
    p.flush(stored);
}

impl Pass<'_> {
    fn flush(&self, stored: &Value) {
        write_object(self.sim, "apps/deployments", stored, self.d.clone());
    }

    fn d_name(&self) -> &str {
        name(&self.d)
    }

    /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked) and the old ones.
    fn all_rss(&mut self, rss: &[Value], create: bool) -> (Option<Value>, Vec<Value>) {
        let mut sorted = rss.to_vec();
        sorted.sort_by(by_creation);
        let template = at(&self.d, "spec/template").cloned();
        let idx = sorted
            .iter()
            .position(|rs| equal_ignore_hash(at(rs, "spec/template"), template.as_ref()));
        let existing = idx.map(|i| sorted.remove(i));
        let old = sorted;
        let new_revision = old.iter().map(revision).max().unwrap_or(0) + 1;
        if let Some(rs) = existing {
            let mut copy = rs.clone();
            let changed = set_new_rs_annotations(&self.d, &mut copy, new_revision, true);
            let min_ready = at(&self.d, "spec/minReadySeconds").cloned();
            if at(&copy, "spec/minReadySeconds") != min_ready.as_ref() {
                match min_ready {
                    Some(v) => copy["spec"]["minReadySeconds"] = v,
                    None => {
                        copy["spec"]
                            .as_object_mut()
                            .map(|m| m.remove("minReadySeconds"));
                    }
                }
            }
            if copy != rs {
                let updated =
                    write_object(self.sim, RS_RESOURCE, &rs, copy.clone()).unwrap_or(copy);
                return (Some(updated), old);
            }
            let _ = changed;
            let rev = annotation(&copy, REVISION).unwrap_or("").to_string();
            set_deployment_revision(&mut self.d, &rev);
            if has_progress_deadline(&self.d)
                && condition(&self.d["status"], "Progressing").is_none()
            {
                let msg = format!("Found new replica set {:?}", name(&copy));
                set_condition(
                    &mut self.d["status"],
                    new_condition("Progressing", "True", "FoundNewReplicaSet", &msg),
                );
            }
            return (Some(copy), old);
        }
        if !create {
            return (None, old);
        }
        (self.create_new_rs(&old, new_revision), old)
    }

    fn create_new_rs(&mut self, old: &[Value], new_revision: i64) -> Option<Value> {
        if !super::namespace_open(self.sim, namespace(&self.d)) {
            return None;
        }
        let d = &self.d;
        let collision = i64_at(d, "status/collisionCount");
        let mut template = at(d, "spec/template").cloned().unwrap_or(json!({}));
        let hash = super::hash::compute_hash(&template, collision);
        let mut tlabels = super::labels(
            &json!({"metadata": template.get("metadata").cloned().unwrap_or(json!({}))}),
        )
        .cloned()
        .unwrap_or_default();
        tlabels.insert(HASH_LABEL.into(), json!(hash));
        template["metadata"]["labels"] = Value::Object(tlabels.clone());
        let mut selector = at(d, "spec/selector").cloned().unwrap_or(json!({}));
        selector["matchLabels"][HASH_LABEL] = json!(hash);
        let rs_name = format!("{}-{hash}", self.d_name());
        let mut spec = Map::new();
        spec.insert("replicas".into(), json!(0));
        if let Some(m) = at(d, "spec/minReadySeconds").filter(|v| v.as_i64() != Some(0)) {
            spec.insert("minReadySeconds".into(), m.clone());
        }
        spec.insert("selector".into(), selector);
        spec.insert("template".into(), template);
        let mut rs = json!({
            "kind": "ReplicaSet", "apiVersion": "apps/v1",
            "metadata": {"name": rs_name, "namespace": namespace(d), "uid": uuid::Uuid::new_v4().to_string(), "resourceVersion": "",
                "generation": 1, "creationTimestamp": super::super::now(), "labels": tlabels,
                "ownerReferences": [controller_ref("Deployment", "apps/v1", d)]},
            "spec": spec,
            "status": {"replicas": 0},
        });
        let mut all: Vec<&Value> = old.iter().collect();
        all.push(&rs);
        let replicas = new_rs_new_replicas(d, &all, &rs);
        rs["spec"]["replicas"] = json!(replicas);
        set_new_rs_annotations(d, &mut rs, new_revision, false);
        crate::patch::track_update(
            None,
            &mut rs,
            "kube-controller-manager",
            "Update",
            "apps/v1",
            &super::super::now(),
        );
        let key = Key::new(RS_RESOURCE, namespace(d), &rs_name);
        let created = match self.sim.store.create(key.clone(), rs) {
            Ok(c) => (*c).clone(),
            Err(_) => {
                let existing = self.sim.store.get(&key)?;
                if super::controller_uid(&existing) == Some(super::uid(&self.d))
                    && equal_ignore_hash(
                        at(&existing, "spec/template"),
                        at(&self.d, "spec/template"),
                    )
                {
                    return Some((*existing).clone());
                }
                // A hash collision: count it, the next pass computes another name.
                let c = collision.unwrap_or(0) + 1;
                self.d["status"]["collisionCount"] = json!(c);
                return None;
            }
        };
        if replicas > 0 {
            let msg = format!("Scaled up replica set {rs_name} from 0 to {replicas}");
            event(self.sim, &WHO, &self.d, "Normal", "ScalingReplicaSet", &msg);
        }
        set_deployment_revision(&mut self.d, &new_revision.to_string());
        if has_progress_deadline(&self.d) {
            let msg = format!("Created new replica set {rs_name:?}");
            set_condition(
                &mut self.d["status"],
                new_condition("Progressing", "True", "NewReplicaSetCreated", &msg),
            );
        }
        Some(created)
    }

    /// `scaleReplicaSet`: new size and replica annotations; an event when the size changes.
    pub(super) fn scale_rs(&self, rs: &Value, size: i64, op: Option<&str>) -> Value {
        let d = &self.d;
        let mut copy = rs.clone();
        let old = spec_replicas(rs);
        let annotations_changed =
            set_replicas_annotations(&mut copy, spec_replicas(d), spec_replicas(d) + max_surge(d));
        if old == size && !annotations_changed {
            return rs.clone();
        }
        copy["spec"]["replicas"] = json!(size);
        let Some(updated) = write_object(self.sim, RS_RESOURCE, rs, copy) else {
            return rs.clone();
        };
        if old != size {
            let op = op.unwrap_or(if old < size { "up" } else { "down" });
            let msg = format!("Scaled {op} replica set {} from {old} to {size}", name(rs));
            event(self.sim, &WHO, d, "Normal", "ScalingReplicaSet", &msg);
        }
        updated
    }

    fn check_paused_conditions(&mut self) {
        if !has_progress_deadline(&self.d) {
            return;
        }
        let cond = condition(&self.d["status"], "Progressing");
        if cond.is_some_and(|c| str_at(c, "reason") == "ProgressDeadlineExceeded") {
            return;
        }
        let paused_cond = cond.is_some_and(|c| str_at(c, "reason") == "DeploymentPaused");
        let paused = self.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
        if paused && !paused_cond {
            set_condition(
                &mut self.d["status"],
                new_condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentPaused",
                    "Deployment is paused",
                ),
            );
        } else if !paused && paused_cond {
            set_condition(
                &mut self.d["status"],
                new_condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentResumed",
                    "Deployment is resumed",
                ),
            );
        }
    }

    fn is_scaling_event(&mut self, rss: &[Value]) -> bool {
        let (new_rs, old) = self.all_rss(rss, false);
        let want = spec_replicas(&self.d).to_string();
        new_rs
            .iter()
            .chain(old.iter())
            .filter(|r| spec_replicas(r) > 0)
            .any(|r| annotation(r, super::rollout::DESIRED_REPLICAS).is_some_and(|a| a != want))
    }

    /// `sync`: scale, clean up when paused, status.
    fn sync_scale(&mut self, rss: &[Value]) {
        let (new_rs, old) = self.all_rss(rss, false);
        let (new_rs, old) = self.scale(new_rs, old);
        if self.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
            self.cleanup(&old);
        }
        self.sync_status(new_rs.as_ref(), &old);
    }

    fn rollout_rolling(&mut self, rss: &[Value]) {
        let (new_rs, old) = self.all_rss(rss, true);
        let Some(mut new_rs) = new_rs else {
            self.sync_rollout_status(None, &old);
            return;
        };
        // Scale up, if we can.
        let want = spec_replicas(&self.d);
        let cur = spec_replicas(&new_rs);
        if cur != want {
            let mut all: Vec<&Value> = old.iter().collect();
            all.push(&new_rs);
            let size = if cur > want {
                want
            } else {
                new_rs_new_replicas(&self.d, &all, &new_rs)
            };
            if size != cur {
                new_rs = self.scale_rs(&new_rs, size, None);
                self.sync_rollout_status(Some(&new_rs), &old);
                return;
            }
        }
        // Scale down old sets, if we can.
        let (old, scaled_down) = self.reconcile_old(&new_rs, old);
        if scaled_down {
            self.sync_rollout_status(Some(&new_rs), &old);
            return;
        }
        if complete(&self.d, &self.d["status"]) {
            self.cleanup(&old);
        }
        self.sync_rollout_status(Some(&new_rs), &old);
    }

    fn rollout_recreate(&mut self, rss: &[Value]) {
        let (new_rs, mut old) = self.all_rss(rss, false);
        let mut scaled = false;
        for o in old.iter_mut().filter(|o| spec_replicas(o) > 0) {
            *o = self.scale_rs(o, 0, None);
            scaled = true;
        }
        let old_running = old
            .iter()
            .any(|o| status_i(o, "replicas") > 0 || status_i(o, "terminatingReplicas") > 0);
        if scaled || old_running {
            self.sync_rollout_status(new_rs.as_ref(), &old);
            return;
        }
        let new_rs = match new_rs {
            Some(n) => Some(n),
            None => self.all_rss(rss, true).0,
        };
        let new_rs = new_rs.map(|n| {
            if spec_replicas(&n) != spec_replicas(&self.d) {
                self.scale_rs(&n, spec_replicas(&self.d), None)
            } else {
                n
            }
        });
        if complete(&self.d, &self.d["status"]) {
            self.cleanup(&old);
        }
        self.sync_rollout_status(new_rs.as_ref(), &old);
    }

    fn sync_status(&mut self, new_rs: Option<&Value>, old: &[Value]) {
        let mut all: Vec<&Value> = old.iter().collect();
        all.extend(new_rs);
        self.d["status"] = calculate_status(&self.d, &all, new_rs);
    }

    /// `syncRolloutStatus`: status plus the Progressing condition.
    fn sync_rollout_status(&mut self, new_rs: Option<&Value>, old: &[Value]) {
        let mut all: Vec<&Value> = old.iter().collect();
        all.extend(new_rs);
        let mut status = calculate_status(&self.d, &all, new_rs);
        let d = &self.d;
        if !has_progress_deadline(d) {
            remove_condition(&mut status, "Progressing");
        }
        let current = condition(&d["status"], "Progressing").cloned();
        let done = i64_at(&status, "replicas") == i64_at(&status, "updatedReplicas")
            && current
                .as_ref()
                .is_some_and(|c| str_at(c, "reason") == "NewReplicaSetAvailable");
        if has_progress_deadline(d) && !done {
            let what = match new_rs {
                Some(rs) => format!("ReplicaSet {:?}", name(rs)),
                None => format!("Deployment {:?}", name(d)),
            };
            if complete(d, &status) {
                set_condition(
                    &mut status,
                    new_condition(
                        "Progressing",
                        "True",
                        "NewReplicaSetAvailable",
                        &format!("{what} has successfully progressed."),
                    ),
                );
            } else if progressing(d, &status) {
                let mut c = new_condition(
                    "Progressing",
                    "True",
                    "ReplicaSetUpdated",
                    &format!("{what} is progressing."),
                );
                if let Some(cur) = &current {
                    if str_at(cur, "status") == "True" {
                        c["lastTransitionTime"] = cur["lastTransitionTime"].clone();
                    }
                    remove_condition(&mut status, "Progressing");
                }
                set_condition(&mut status, c);
            } else if timed_out(d, &status) {
                set_condition(
                    &mut status,
                    new_condition(
                        "Progressing",
                        "False",
                        "ProgressDeadlineExceeded",
                        &format!("{what} has timed out progressing."),
                    ),
                );
            }
        }
        // Pod creation failures of the ReplicaSets (the new one's first) show on the deployment.
        let failure = new_rs
            .into_iter()
            .chain(old.iter())
            .flat_map(|r| arr_at(r, "status/conditions"))
            .find(|c| str_at(c, "type") == "ReplicaFailure");
        match failure {
            Some(c) => {
                let at_time = c.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
                let cond = json!({"type": "ReplicaFailure", "status": c["status"], "lastUpdateTime": at_time, "lastTransitionTime": at_time,
                    "reason": c["reason"], "message": c["message"]});
                set_condition(&mut status, cond);
            }
            None => remove_condition(&mut status, "ReplicaFailure"),
        }
        self.d["status"] = status;
    }
}
