//! Roles and RoleBindings a tenant admin writes: the portal calls the cluster with its own
//! (cluster-admin) credentials, so the apiserver's escalation check would let anything through.
//! The portal makes its own: a Role may not grant writes to what the portal owns (quotas,
//! limit ranges, namespaces), nor `*` verbs or resources for writing, nor `escalate`, `bind` or
//! `impersonate`; a RoleBinding may refer to a Role of the namespace or to the ClusterRoles
//! `view`, `edit` and `admin` only (none of them writes quotas).

use serde_json::Value;

/// ClusterRoles a tenant may bind inside its namespaces.
pub const BINDABLE_CLUSTER_ROLES: [&str; 3] = ["view", "edit", "admin"];

const READ_VERBS: [&str; 3] = ["get", "list", "watch"];
const PORTAL_OWNED: [&str; 3] = ["resourcequotas", "limitranges", "namespaces"];

/// Why a Role or RoleBinding body (object, merge patch or apply) is refused, if it is.
pub fn refusal(resource: &str, v: &Value) -> Option<String> {
    match resource {
        "roles" => v.get("rules").and_then(rules_refusal),
        "rolebindings" => v.get("roleRef").and_then(role_ref_refusal),
        _ => None,
    }
}

/// Why a JSON patch operation on `path` of a Role or RoleBinding is refused: its result
/// cannot be judged without the stored object, so rules and roleRef are not patched that way.
pub fn json_patch_refusal(resource: &str, path: &str) -> Option<String> {
    let guarded = match resource {
        "roles" => "/rules",
        "rolebindings" => "/roleRef",
        _ => return None,
    };
    (path == guarded || path.starts_with(&format!("{guarded}/"))).then(|| {
        format!(
            "{guarded} cannot be changed with a JSON patch through the portal; use apply, a merge patch or a full update"
        )
    })
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn rules_refusal(rules: &Value) -> Option<String> {
    let rules = rules.as_array()?;
    rules.iter().enumerate().find_map(|(i, rule)| {
        let at = format!("rules[{i}]");
        let verbs = strings(rule.get("verbs"));
        let resources = strings(rule.get("resources"));
        if let Some(v) = verbs
            .iter()
            .find(|v| matches!(**v, "*" | "escalate" | "bind" | "impersonate"))
        {
            return Some(format!(
                "{at} grants the verb {v:?}; name the verbs (get, list, watch, create, update, patch, delete, deletecollection)"
            ));
        }
        let writes: Vec<&str> = verbs
            .iter()
            .copied()
            .filter(|v| !READ_VERBS.contains(v))
            .collect();
        if writes.is_empty() {
            return None;
        }
        resources.iter().find_map(|res| {
            let base = res.split('/').next().unwrap_or(res);
            if base == "*" {
                Some(format!(
                    "{at} grants {} on every resource (\"{res}\"); name the resources",
                    writes.join(", ")
                ))
            } else if PORTAL_OWNED.contains(&base) {
                Some(format!(
                    "{at} grants {} on {res}, which the portal owns (tenants may only read them)",
                    writes.join(", ")
                ))
            } else {
                None
            }
        })
    })
}

fn role_ref_refusal(role_ref: &Value) -> Option<String> {
    let kind = role_ref.get("kind").and_then(Value::as_str).unwrap_or("");
    let name = role_ref.get("name").and_then(Value::as_str).unwrap_or("");
    match kind {
        "Role" => None,
        "ClusterRole" if BINDABLE_CLUSTER_ROLES.contains(&name) => None,
        "ClusterRole" => Some(format!(
            "roleRef names the ClusterRole {name:?}; tenants may bind a Role of the namespace or the ClusterRoles {}",
            BINDABLE_CLUSTER_ROLES.join(", ")
        )),
        other => Some(format!("roleRef.kind {other:?} is not Role or ClusterRole")),
    }
}
