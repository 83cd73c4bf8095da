//! Server-side apply and the managedFields bookkeeping of ordinary writes, as kube-apiserver's
//! field manager chain does them (version check, structured merge, pruning of fields the applier
//! dropped, conflicts, stripped metadata fields, entry times, the cap on update entries).

use serde_json::{Map, Value, json};

use super::ApplyError;
use super::fieldset::{FieldSet, PE, Path, path_string};
use super::managed::{Managed, ManagerId, store, without_managed_fields};
use super::schema::{Ty, empty_object, has_status_subresource, root_type};
use super::typed::{
    compare, ensure_named_fields, json_eq, merge, remove_items, to_field_set, validate,
};
use crate::status::ApiError;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Fields never tracked (`stripMetaManager`).
fn strip_set() -> FieldSet {
    let mut s = FieldSet::new();
    let f = |x: &str| PE::Field(x.into());
    for top in ["apiVersion", "kind", "metadata"] {
        s.insert(&[f(top)]);
    }
    for m in [
        "name",
        "namespace",
        "creationTimestamp",
        "selfLink",
        "uid",
        "clusterName",
        "generation",
        "managedFields",
        "resourceVersion",
    ] {
        s.insert(&[f("metadata"), f(m)]);
    }
    s
}

/// Fields the strategy resets on this endpoint (status on the main resource, spec on status).
fn reset_fields(api_version: &str, kind: &str, subresource: &str) -> FieldSet {
    let mut s = FieldSet::new();
    match subresource {
        "" if has_status_subresource(api_version, kind) => s.insert(&[PE::Field("status".into())]),
        "status" => s.insert(&[PE::Field("spec".into())]),
        _ => {}
    }
    s
}

/// `schema.GroupVersionKind.String()`.
fn gvk_string(api_version: &str, kind: &str) -> String {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    format!("{group}/{version}, Kind={kind}")
}

/// Server-side apply (`kubectl apply --server-side`): merges `applied` into `live` (None to
/// create), records `manager`'s Apply entry in `metadata.managedFields`, removes the fields the
/// manager applied before and no longer applies (unless someone else owns them), and refuses to
/// change fields owned by other managers unless `force` (they lose them). The result still needs
/// the usual defaulting/validation/storage of an update or a create; do not run
/// [`track_update`] on it.
#[allow(clippy::result_large_err)]
pub fn server_side_apply(
    live: Option<&Value>,
    applied: &Value,
    manager: &str,
    force: bool,
    api_version: &str,
    kind: &str,
    now_rfc3339: &str,
) -> Result<Value, ApplyError> {
    let a_av = applied
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let a_kind = applied.get("kind").and_then(Value::as_str).unwrap_or("");
    if a_av != api_version || a_kind != kind {
        return Err(ApplyError::BadRequest(ApiError::bad_request(format!(
            "invalid object type: {}",
            gvk_string(a_av, a_kind)
        ))));
    }
    if applied
        .pointer("/metadata/managedFields")
        .is_some_and(|v| !v.is_null())
    {
        return Err(ApplyError::BadRequest(ApiError::bad_request(
            "metadata.managedFields must be nil",
        )));
    }
    let root = root_type(api_version, kind);
    let errs = validate(applied, &root);
    if !errs.is_empty() {
        let ns = applied
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = applied
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        return Err(ApplyError::Internal(ApiError::new(
            500,
            "",
            format!(
                "failed to create typed patch object ({ns}/{name}; {}): {}",
                gvk_string(api_version, kind),
                errs.join("\n")
            ),
        )));
    }

    let mut result = apply_once(
        live,
        applied,
        manager,
        force,
        api_version,
        &root,
        now_rfc3339,
    );
    if let Err(conflicts) = &result
        && manager == "kubectl"
        && let Some(allowed) =
            live.and_then(|l| allowed_conflicts_from_last_applied(l, api_version, &root))
    {
        // lastAppliedManager: conflicts on fields kubectl client-side apply set to their current
        // values do not block the upgrade to server-side apply.
        let remaining: Vec<(ManagerId, Path)> = conflicts
            .iter()
            .filter(|(_, p)| !allowed.has(p))
            .cloned()
            .collect();
        result = if remaining.is_empty() {
            apply_once(
                live,
                applied,
                manager,
                true,
                api_version,
                &root,
                now_rfc3339,
            )
        } else {
            Err(remaining)
        };
    }
    let mut out = result.map_err(|c| ApplyError::Conflict(conflict_error(c)))?;
    if manager == "kubectl" {
        update_last_applied(&mut out, applied);
    }
    Ok(out)
}

/// One pass of the structured merge: the merged object with its managed fields, or the conflicts.
fn apply_once(
    live: Option<&Value>,
    applied: &Value,
    manager: &str,
    force: bool,
    api_version: &str,
    root: &Ty,
    now_rfc3339: &str,
) -> Result<Value, Vec<(ManagerId, Path)>> {
    let kind = applied.get("kind").and_then(Value::as_str).unwrap_or("");
    let live_obj = live
        .map(without_managed_fields)
        .unwrap_or_else(|| Value::Object(Map::new()));
    let mut managed = live
        .and_then(|l| Managed::decode(l.pointer("/metadata/managedFields")))
        .unwrap_or_default();
    let id = ManagerId::apply(manager);
    let ignored = reset_fields(api_version, kind, "");

    let merged =
        merge(Some(&live_obj), Some(applied), root).unwrap_or_else(|| Value::Object(Map::new()));
    let last = managed.get(&id).map(|e| e.set.clone());
    let set = to_field_set(applied, root).recursive_difference(&ignored);
    managed.set(&id, set, api_version);
    let merged = prune(merged, &managed, last, root);

    // Conflicts: fields other managers own that this apply adds or changes.
    let cmp = compare(&live_obj, &merged, root).exclude(&ignored);
    let touched = cmp.modified.union(&cmp.added);
    let mut conflicts: Vec<(ManagerId, Path)> = Vec::new();
    for e in managed.entries.iter().filter(|e| e.id != id) {
        conflicts.extend(
            e.set
                .intersection(&touched)
                .paths()
                .into_iter()
                .map(|p| (e.id.clone(), p)),
        );
    }
    if !force && !conflicts.is_empty() {
        return Err(conflicts);
    }
    for e in managed.entries.iter_mut().filter(|e| e.id != id) {
        e.set = e.set.difference(&touched).difference(&cmp.removed);
    }
    if let Some(e) = managed.get_mut(&id) {
        e.set = e.set.difference(&strip_set());
    }
    managed.remove_empty();
    let changed = !json_eq(&merged, &live_obj);
    if let Some(e) = managed.get_mut(&id).filter(|_| changed) {
        e.time = Some(now_rfc3339.to_string());
    }
    let mut out = merged;
    store(&mut out, &managed);
    Ok(out)
}

/// The fields of the client-side-apply annotation whose values the live object still has.
fn allowed_conflicts_from_last_applied(
    live: &Value,
    api_version: &str,
    root: &Ty,
) -> Option<FieldSet> {
    let text = live
        .pointer("/metadata/annotations")?
        .get(LAST_APPLIED)?
        .as_str()
        .filter(|t| !t.is_empty())?;
    let last: Value = serde_json::from_str(text).ok()?;
    if last.get("apiVersion").and_then(Value::as_str) != Some(api_version) {
        return None;
    }
    let cmp = compare(&last, &without_managed_fields(live), root);
    Some(
        to_field_set(&last, root)
            .difference(&cmp.modified)
            .difference(&cmp.added)
            .difference(&cmp.removed),
    )
}

/// `prune`: removes what the manager applied last time and no longer applies, unless another
/// manager (or the new configuration) owns it.
fn prune(merged: Value, managed: &Managed, last: Option<FieldSet>, root: &Ty) -> Value {
    let Some(last) = last.filter(|s| !s.is_empty()) else {
        return merged;
    };
    let last_e = ensure_named_fields(&last, root);
    let owned_e = ensure_named_fields(&managed.union_all(), root);
    let fields_e = |v: &Value| ensure_named_fields(&to_field_set(v, root), root);
    let pruned = remove_items(&merged, &last_e, root);
    let merged_set = fields_e(&merged);
    let pruned = remove_items(
        &merged,
        &merged_set.difference(&fields_e(&pruned).union(&owned_e)),
        root,
    );
    remove_items(
        &merged,
        &merged_set
            .difference(&fields_e(&pruned))
            .intersection(&last_e),
        root,
    )
}

/// The 409 of an apply conflict, causes sorted by manager then path.
fn conflict_error(mut conflicts: Vec<(ManagerId, Path)>) -> ApiError {
    conflicts.sort_by_key(|c| c.0.describe());
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|(m, p)| json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", m.describe()), "field": path_string(p)}))
        .collect();
    let message = if conflicts.len() == 1 {
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            conflicts[0].0.describe(),
            path_string(&conflicts[0].1)
        )
    } else {
        let mut lines = Vec::new();
        let mut current = String::new();
        for (m, p) in &conflicts {
            if m.describe() != current {
                current = m.describe();
                lines.push(format!("conflicts with {current}:"));
            }
            lines.push(format!("- {}", path_string(p)));
        }
        format!(
            "Apply failed with {} conflicts: {}",
            conflicts.len(),
            lines.join("\n")
        )
    };
    let mut details = Map::new();
    details.insert("causes".into(), Value::Array(causes));
    ApiError::new(409, "Conflict", message).with_details(details)
}

/// `lastAppliedUpdater`: `kubectl` applies keep an existing client-side-apply annotation in sync.
fn update_last_applied(out: &mut Value, applied: &Value) {
    let has = out
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| a.contains_key(LAST_APPLIED));
    if !has {
        return;
    }
    let mut cfg = applied.clone();
    if let Some(meta) = cfg.get_mut("metadata").and_then(Value::as_object_mut)
        && let Some(Value::Object(ann)) = meta.get_mut("annotations")
    {
        ann.shift_remove(LAST_APPLIED);
        if ann.is_empty() {
            meta.shift_remove("annotations");
        }
    }
    let text = format!("{}\n", go_sorted_json(&cfg));
    if let Some(Value::Object(ann)) = out.pointer_mut("/metadata/annotations") {
        ann.insert(LAST_APPLIED.into(), Value::String(text));
    }
}

/// `encoding/json` of a `map[string]interface{}`: keys sorted, `<>&` escaped.
fn go_sorted_json(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&m[k.as_str()])))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(v))
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Updates `metadata.managedFields` of `new` for a create (`old` None) or update by `manager`
/// with `operation` ("Update"). Call it with the decoded and defaulted object, before admission
/// plugins and the strategy add their own fields. Managed fields sent by the client replace the
/// stored ones; an existing object without managed fields is not tracked (as the real server).
pub fn track_update(
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    operation: &str,
    api_version: &str,
    now_rfc3339: &str,
) {
    track_update_subresource(old, new, manager, operation, api_version, "", now_rfc3339)
}

/// [`track_update`] for writes through a subresource (`"status"`, `"scale"`): the entry carries
/// the subresource and managed fields in the request are ignored.
pub fn track_update_subresource(
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    operation: &str,
    api_version: &str,
    subresource: &str,
    now_rfc3339: &str,
) {
    let kind = new
        .get("kind")
        .or_else(|| old.and_then(|o| o.get("kind")))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let root = root_type(api_version, &kind);
    let from_new = if subresource.is_empty() {
        Managed::decode(new.pointer("/metadata/managedFields"))
    } else {
        None
    };
    let mut managed = match from_new.filter(|m| !m.entries.is_empty()) {
        Some(m) => m,
        None => old
            .and_then(|o| Managed::decode(o.pointer("/metadata/managedFields")))
            .unwrap_or_default(),
    };
    let old_uid = old
        .and_then(|o| o.pointer("/metadata/uid"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if managed.entries.is_empty() && !old_uid.is_empty() {
        // skipNonAppliedManager: objects without managed fields stay untracked.
        store(new, &managed);
        return;
    }
    let live = match old {
        Some(o) => without_managed_fields(o),
        None => empty_object(api_version, &kind),
    };
    let new_obj = without_managed_fields(new);
    let ignored = reset_fields(api_version, &kind, subresource);
    let cmp = compare(&live, &new_obj, &root).exclude(&ignored);
    let touched = cmp.modified.union(&cmp.added);
    for e in managed.entries.iter_mut() {
        e.set = e.set.difference(&touched).difference(&cmp.removed);
    }
    managed.remove_empty();
    let current = touched
        .difference(&cmp.removed)
        .recursive_difference(&ignored)
        .difference(&strip_set());
    if !current.is_empty() {
        let id = ManagerId::update(manager, operation, api_version, subresource);
        let set = match managed.get(&id) {
            Some(prev) => current.union(&prev.set),
            None => current,
        };
        managed.set(&id, set, api_version);
        if let Some(e) = managed.get_mut(&id) {
            e.time = Some(now_rfc3339.to_string());
        }
    }
    managed.cap_update_managers(10);
    store(new, &managed);
}
