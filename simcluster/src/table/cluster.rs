//! Printers of autoscaling, RBAC bindings and cluster-wide configuration objects:
//! horizontalpodautoscalers, rolebindings, clusterrolebindings, storageclasses, priorityclasses,
//! runtimeclasses, leases, mutating/validating webhook configurations. (Roles and ClusterRoles
//! have no printer: they use the default table.)

use serde_json::{Value, json};

use super::docs as d;
use super::util::{Col, Ctx, Row, age, age_col, arr, col, int_or_string, name, name_col, s, wide};

pub(crate) fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, super::RowFn)> {
    let p: (Vec<Col>, super::RowFn) = match (group, plural) {
        ("autoscaling", "horizontalpodautoscalers") => (hpa_cols(), hpa),
        ("rbac.authorization.k8s.io", "rolebindings") => {
            (binding_cols(d::RB_ROLE_REF, "roleBinding"), binding)
        }
        ("rbac.authorization.k8s.io", "clusterrolebindings") => {
            (binding_cols(d::CRB_ROLE_REF, "clusterRoleBinding"), binding)
        }
        ("storage.k8s.io", "storageclasses") => (
            vec![
                name_col(),
                col("Provisioner", "string", d::SC_PROVISIONER),
                col("ReclaimPolicy", "string", d::SC_RECLAIM),
                col("VolumeBindingMode", "string", d::SC_BINDING_MODE),
                col("AllowVolumeExpansion", "string", d::SC_ALLOW_EXPANSION),
                age_col(),
            ],
            storage_class,
        ),
        ("scheduling.k8s.io", "priorityclasses") => (
            vec![
                name_col(),
                col("Value", "integer", d::PC_VALUE),
                col("Global-Default", "boolean", d::PC_GLOBAL_DEFAULT),
                age_col(),
                col("PreemptionPolicy", "string", d::PC_PREEMPTION),
            ],
            priority_class,
        ),
        // The Handler description is `ObjectMeta{}.SwaggerDoc()["handler"]`, which is empty.
        ("node.k8s.io", "runtimeclasses") => (
            vec![name_col(), col("Handler", "string", ""), age_col()],
            runtime_class,
        ),
        ("coordination.k8s.io", "leases") => (
            vec![
                name_col(),
                col("Holder", "string", d::LEASE_HOLDER),
                age_col(),
            ],
            lease,
        ),
        (
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations" | "validatingwebhookconfigurations",
        ) => (
            vec![
                name_col(),
                col(
                    "Webhooks",
                    "integer",
                    "Webhooks indicates the number of webhooks registered in this configuration",
                ),
                age_col(),
            ],
            webhooks,
        ),
        _ => return None,
    };
    Some(p)
}

fn hpa_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Reference", "string", d::HPA_SCALE_TARGET),
        col("Targets", "string", d::HPA_METRICS),
        col("MinPods", "string", d::HPA_MIN),
        col("MaxPods", "string", d::HPA_MAX),
        col("Replicas", "string", d::HPA_CURRENT),
        age_col(),
    ]
}

/// A `*Quantity` as printed (`Quantity.String()`, "<nil>" for a nil pointer); stored
/// quantities are already canonical.
fn q(v: &Value, ptr: &str) -> String {
    v.pointer(ptr)
        .filter(|x| !x.is_null())
        .map(int_or_string)
        .unwrap_or_else(|| "<nil>".to_string())
}

/// The metric specs of an HPA in the internal (v2) shape; autoscaling/v1 objects carry
/// `targetCPUUtilizationPercentage` instead.
fn hpa_metrics(o: &Value) -> Vec<Value> {
    let metrics = arr(o, "/spec/metrics");
    if !metrics.is_empty() {
        return metrics.to_vec();
    }
    match o
        .pointer("/spec/targetCPUUtilizationPercentage")
        .and_then(Value::as_i64)
    {
        Some(p) => vec![json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": p}}})],
        None => Vec::new(),
    }
}

/// `formatHPAMetrics`.
fn format_hpa_metrics(o: &Value) -> String {
    let specs = hpa_metrics(o);
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let mut statuses: Vec<Value> = arr(o, "/status/currentMetrics").to_vec();
    if statuses.is_empty()
        && let Some(p) = o
            .pointer("/status/currentCPUUtilizationPercentage")
            .and_then(Value::as_i64)
    {
        statuses.push(json!({"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": p}}}));
    }
    let status = |i: usize, key: &str| {
        statuses
            .get(i)
            .and_then(|st| st.get(key))
            .filter(|v| !v.is_null())
    };
    let unknown = || "<unknown>".to_string();
    let mut list: Vec<String> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let text = match s(spec, "/type") {
            "External" | "Object" => {
                let key = if s(spec, "/type") == "External" {
                    "external"
                } else {
                    "object"
                };
                let st = status(i, key);
                if spec
                    .pointer(&format!("/{key}/target/averageValue"))
                    .is_some()
                {
                    let current = st
                        .and_then(|st| st.pointer("/current/averageValue"))
                        .map(int_or_string)
                        .unwrap_or_else(unknown);
                    format!(
                        "{current}/{} (avg)",
                        q(spec, &format!("/{key}/target/averageValue"))
                    )
                } else {
                    let current = st.map(|st| q(st, "/current/value")).unwrap_or_else(unknown);
                    format!("{current}/{}", q(spec, &format!("/{key}/target/value")))
                }
            }
            "Pods" => {
                let current = status(i, "pods")
                    .map(|st| q(st, "/current/averageValue"))
                    .unwrap_or_else(unknown);
                format!("{current}/{}", q(spec, "/pods/target/averageValue"))
            }
            "Resource" | "ContainerResource" => {
                let key = if s(spec, "/type") == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let st = status(i, key);
                let res = s(spec, &format!("/{key}/name"));
                if spec
                    .pointer(&format!("/{key}/target/averageValue"))
                    .is_some()
                {
                    let current = st
                        .map(|st| q(st, "/current/averageValue"))
                        .unwrap_or_else(unknown);
                    format!(
                        "{res}: {current}/{}",
                        q(spec, &format!("/{key}/target/averageValue"))
                    )
                } else {
                    let current = st
                        .and_then(|st| st.pointer("/current/averageUtilization"))
                        .and_then(Value::as_i64)
                        .map(|p| format!("{p}%"))
                        .unwrap_or_else(unknown);
                    let target = spec
                        .pointer(&format!("/{key}/target/averageUtilization"))
                        .and_then(Value::as_i64)
                        .map(|p| format!("{p}%"))
                        .unwrap_or_else(|| "<auto>".to_string());
                    format!("{res}: {current}/{target}")
                }
            }
            _ => "<unknown type>".to_string(),
        };
        list.push(text);
    }
    let max = 2;
    if list.len() > max {
        let more = list.len() - max;
        return format!("{} + {more} more...", list[..max].join(", "));
    }
    list.join(", ")
}

fn hpa(o: &Value, ctx: &Ctx) -> Row {
    let reference = format!(
        "{}/{}",
        s(o, "/spec/scaleTargetRef/kind"),
        s(o, "/spec/scaleTargetRef/name")
    );
    let min = o
        .pointer("/spec/minReplicas")
        .and_then(Value::as_i64)
        .map(|m| m.to_string())
        .unwrap_or_else(|| "<unset>".to_string());
    Row::new(vec![
        name(o),
        json!(reference),
        json!(format_hpa_metrics(o)),
        json!(min),
        json!(super::util::i(o, "/spec/maxReplicas")),
        json!(super::util::i(o, "/status/currentReplicas")),
        age(o, ctx),
    ])
}

fn binding_cols(role_ref: &'static str, what: &'static str) -> Vec<Col> {
    let (users, groups, sas) = if what == "roleBinding" {
        (
            "Users in the roleBinding",
            "Groups in the roleBinding",
            "ServiceAccounts in the roleBinding",
        )
    } else {
        (
            "Users in the clusterRoleBinding",
            "Groups in the clusterRoleBinding",
            "ServiceAccounts in the clusterRoleBinding",
        )
    };
    vec![
        name_col(),
        col("Role", "string", role_ref),
        age_col(),
        wide("Users", "string", users),
        wide("Groups", "string", groups),
        wide("ServiceAccounts", "string", sas),
    ]
}

fn binding(o: &Value, ctx: &Ctx) -> Row {
    let role = format!("{}/{}", s(o, "/roleRef/kind"), s(o, "/roleRef/name"));
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for subj in arr(o, "/subjects") {
        match s(subj, "/kind") {
            "ServiceAccount" => sas.push(format!("{}/{}", s(subj, "/namespace"), s(subj, "/name"))),
            "User" => users.push(s(subj, "/name").to_string()),
            "Group" => groups.push(s(subj, "/name").to_string()),
            _ => {}
        }
    }
    Row::new(vec![
        name(o),
        json!(role),
        age(o, ctx),
        json!(users.join(", ")),
        json!(groups.join(", ")),
        json!(sas.join(", ")),
    ])
}

fn storage_class(o: &Value, ctx: &Ctx) -> Row {
    let annotation = |k: &str| {
        o.pointer("/metadata/annotations")
            .and_then(|a| a.get(k))
            .and_then(Value::as_str)
    };
    let is_default = annotation("storageclass.kubernetes.io/is-default-class") == Some("true")
        || annotation("storageclass.beta.kubernetes.io/is-default-class") == Some("true");
    let mut n = s(o, "/metadata/name").to_string();
    if is_default {
        n.push_str(" (default)");
    }
    let reclaim = o
        .get("reclaimPolicy")
        .and_then(Value::as_str)
        .unwrap_or("Delete");
    let binding = o
        .get("volumeBindingMode")
        .and_then(Value::as_str)
        .unwrap_or("Immediate");
    let expansion = o
        .get("allowVolumeExpansion")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Row::new(vec![
        json!(n),
        json!(s(o, "/provisioner")),
        json!(reclaim),
        json!(binding),
        json!(expansion),
        age(o, ctx),
    ])
}

fn priority_class(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![
        name(o),
        json!(super::util::i(o, "/value")),
        json!(
            o.get("globalDefault")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        ),
        age(o, ctx),
        json!(s(o, "/preemptionPolicy")),
    ])
}

fn runtime_class(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![name(o), json!(s(o, "/handler")), age(o, ctx)])
}

fn lease(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![
        name(o),
        json!(s(o, "/spec/holderIdentity")),
        age(o, ctx),
    ])
}

fn webhooks(o: &Value, ctx: &Ctx) -> Row {
    Row::new(vec![name(o), json!(arr(o, "/webhooks").len()), age(o, ctx)])
}
