//! Deployment sizing (`deployment/sync.go`, `rolling.go`): proportional scaling of all active
//! ReplicaSets, how far a new set may grow and old ones may shrink within maxSurge and
//! maxUnavailable, and the revision history cleanup.

use serde_json::Value;

use super::deployment::Pass;
use super::rollout::{annotation, max_surge, max_unavailable, revision, spec_replicas, status_i};
use super::{by_creation, name, namespace};
use crate::resources::json::{i64_at, str_at};
use crate::store::{Key, is_deleting};

const RS_RESOURCE: &str = "apps/replicasets";

impl Pass<'_> {
    /// `scale`: the only active set takes the full count; a saturated new set scales the old ones
    /// down; otherwise the extra replicas are spread proportionally.
    pub(super) fn scale(
        &self,
        new_rs: Option<Value>,
        mut old: Vec<Value>,
    ) -> (Option<Value>, Vec<Value>) {
        let d = &self.d;
        let want = spec_replicas(d);
        let mut all: Vec<Value> = old.clone();
        all.extend(new_rs.iter().cloned());
        let active: Vec<usize> = (0..all.len())
            .filter(|i| spec_replicas(&all[*i]) > 0)
            .collect();
        let target = match active.len() {
            0 => new_rs.clone().or_else(|| {
                let mut o = old.clone();
                o.sort_by(by_creation);
                o.pop()
            }),
            1 => Some(all[active[0]].clone()),
            _ => None,
        };
        let replace = |rs: Value, new_rs: &mut Option<Value>, old: &mut Vec<Value>| {
            if new_rs.as_ref().is_some_and(|n| name(n) == name(&rs)) {
                *new_rs = Some(rs);
            } else if let Some(o) = old.iter_mut().find(|o| name(o) == name(&rs)) {
                *o = rs;
            }
        };
        let mut new_rs = new_rs;
        if let Some(t) = target {
            if spec_replicas(&t) != want {
                let scaled = self.scale_rs(&t, want, None);
                replace(scaled, &mut new_rs, &mut old);
            }
            return (new_rs, old);
        }
        let saturated = new_rs.as_ref().is_some_and(|n| {
            spec_replicas(n) == want
                && annotation(n, super::rollout::DESIRED_REPLICAS) == Some(&want.to_string())
                && status_i(n, "availableReplicas") == want
        });
        if saturated {
            for o in old.iter_mut().filter(|o| spec_replicas(o) > 0) {
                *o = self.scale_rs(o, 0, None);
            }
            return (new_rs, old);
        }
        if str_at(d, "spec/strategy/type") == "Recreate" {
            return (new_rs, old);
        }
        let mut sets: Vec<Value> = active.iter().map(|i| all[*i].clone()).collect();
        let current: i64 = sets.iter().map(spec_replicas).sum();
        let allowed = if want > 0 { want + max_surge(d) } else { 0 };
        let to_add = allowed - current;
        let op = if to_add > 0 { "up" } else { "down" };
        // Larger first; newer first when scaling up, older first when scaling down.
        sets.sort_by(|a, b| {
            spec_replicas(b).cmp(&spec_replicas(a)).then_with(|| {
                if to_add > 0 {
                    by_creation(b, a)
                } else {
                    by_creation(a, b)
                }
            })
        });
        let mut added = 0;
        let mut sizes: Vec<i64> = Vec::new();
        for rs in &sets {
            let p = if to_add != 0 {
                proportion(d, rs, to_add, added)
            } else {
                0
            };
            sizes.push(spec_replicas(rs) + p);
            added += p;
        }
        for (i, rs) in sets.iter().enumerate() {
            let mut size = sizes[i];
            if i == 0 && to_add != 0 {
                size = (size + to_add - added).max(0);
            }
            let scaled = self.scale_rs(rs, size, Some(op));
            replace(scaled, &mut new_rs, &mut old);
        }
        (new_rs, old)
    }

    /// `reconcileOldReplicaSets`: unhealthy old replicas first, then within maxUnavailable.
    pub(super) fn reconcile_old(&self, new_rs: &Value, mut old: Vec<Value>) -> (Vec<Value>, bool) {
        let d = &self.d;
        let old_count: i64 = old.iter().map(spec_replicas).sum();
        if old_count == 0 {
            return (old, false);
        }
        let all_count = old_count + spec_replicas(new_rs);
        let min_available = spec_replicas(d) - max_unavailable(d);
        let new_unavailable = spec_replicas(new_rs) - status_i(new_rs, "availableReplicas");
        let max_scaled_down = all_count - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return (old, false);
        }
        old.sort_by(by_creation);
        let mut total = 0;
        for o in old.iter_mut() {
            if total >= max_scaled_down {
                break;
            }
            let (r, avail) = (spec_replicas(o), status_i(o, "availableReplicas"));
            if r == 0 || avail == r {
                continue;
            }
            let down = (max_scaled_down - total).min(r - avail);
            *o = self.scale_rs(o, r - down, None);
            total += down;
        }
        let available: i64 = old
            .iter()
            .chain(std::iter::once(new_rs))
            .map(|r| status_i(r, "availableReplicas"))
            .sum();
        if available > min_available {
            let budget = available - min_available;
            let mut done = 0;
            for o in old.iter_mut() {
                if done >= budget {
                    break;
                }
                let r = spec_replicas(o);
                if r == 0 {
                    continue;
                }
                let down = r.min(budget - done);
                *o = self.scale_rs(o, r - down, None);
                done += down;
            }
            total += done;
        }
        (old, total > 0)
    }

    /// `cleanupDeployment`: old, empty ReplicaSets beyond revisionHistoryLimit are deleted.
    pub(super) fn cleanup(&self, old: &[Value]) {
        let Some(limit) = i64_at(&self.d, "spec/revisionHistoryLimit") else {
            return;
        };
        let mut alive: Vec<&Value> = old.iter().filter(|r| !is_deleting(r)).collect();
        let diff = alive.len() as i64 - limit;
        if diff <= 0 {
            return;
        }
        alive.sort_by_key(|r| revision(r));
        for rs in alive.into_iter().take(diff as usize) {
            let stale =
                status_i(rs, "observedGeneration") < i64_at(rs, "metadata/generation").unwrap_or(0);
            if status_i(rs, "replicas") != 0 || spec_replicas(rs) != 0 || stale {
                continue;
            }
            let _ = self
                .sim
                .store
                .delete(&Key::new(RS_RESOURCE, namespace(rs), name(rs)), None);
        }
    }
}

/// `NewRSNewReplicas`: how far the new set may grow now.
pub(super) fn new_rs_new_replicas(d: &Value, all: &[&Value], new_rs: &Value) -> i64 {
    if str_at(d, "spec/strategy/type") == "Recreate" {
        return spec_replicas(d);
    }
    let current: i64 = all.iter().map(|r| spec_replicas(r)).sum();
    let max_total = spec_replicas(d) + max_surge(d);
    if current >= max_total {
        return spec_replicas(new_rs);
    }
    let up = (max_total - current).min(spec_replicas(d) - spec_replicas(new_rs));
    spec_replicas(new_rs) + up
}

/// `GetProportion` / `getReplicaSetFraction`.
fn proportion(d: &Value, rs: &Value, to_add: i64, added: i64) -> i64 {
    if spec_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = if spec_replicas(d) == 0 {
        -spec_replicas(rs)
    } else {
        let max = spec_replicas(d) + max_surge(d);
        let before = annotation(rs, super::rollout::MAX_REPLICAS)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|v| *v != 0);
        match before.or(Some(status_i(d, "replicas")).filter(|v| *v != 0)) {
            None => spec_replicas(rs),
            Some(before) => {
                ((spec_replicas(rs) * max) as f64 / before as f64).round() as i64
                    - spec_replicas(rs)
            }
        }
    };
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

#[cfg(test)]
#[path = "deployment_tests.rs"]
mod tests;
