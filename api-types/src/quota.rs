//! Quota resource lists: which resources a tenant budget or namespace quota may name, validation
//! of names and quantities, and the budget rule (a tenant's namespace quotas sum to at most its
//! budget), shared by the server and the browser.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::quantity::Quantity;

/// Resource name → quantity string, as in a ResourceQuota's `spec.hard`.
pub type ResourceList = BTreeMap<String, String>;

/// The resources PRODUCT.md names, in the order the UI shows them.
pub const STANDARD_RESOURCES: &[&str] = &[
    "requests.cpu",
    "limits.cpu",
    "requests.memory",
    "limits.memory",
    "requests.nvidia.com/gpu",
    "requests.storage",
    "persistentvolumeclaims",
    "pods",
    "services",
    "replicationcontrollers",
    "configmaps",
    "secrets",
    "count/deployments.apps",
    "count/jobs.batch",
];

/// Further resources a ResourceQuota accepts by these exact names.
const OTHER_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.ephemeral-storage",
    "limits.ephemeral-storage",
    "services.loadbalancers",
    "services.nodeports",
    "resourcequotas",
];

/// Whether a resource is counted in whole objects (a quantity like `1.5` or `500m` is refused).
pub fn is_count(resource: &str) -> bool {
    resource.starts_with("count/")
        || matches!(
            resource,
            "pods"
                | "services"
                | "replicationcontrollers"
                | "persistentvolumeclaims"
                | "configmaps"
                | "secrets"
                | "services.loadbalancers"
                | "services.nodeports"
                | "resourcequotas"
        )
        || resource.ends_with("nvidia.com/gpu")
}

fn dns_label_chars(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !s.starts_with(['-', '.'])
        && !s.ends_with(['-', '.'])
}

/// Checks a quota resource name: a standard one, `count/<resource>[.<group>]`, or an extended
/// resource `requests.<domain>/<name>` / `limits.<domain>/<name>`.
pub fn validate_resource_name(name: &str) -> Result<(), String> {
    if STANDARD_RESOURCES.contains(&name) || OTHER_RESOURCES.contains(&name) {
        return Ok(());
    }
    if let Some(rest) = name.strip_prefix("count/")
        && dns_label_chars(rest)
    {
        return Ok(());
    }
    for prefix in ["requests.", "limits."] {
        if let Some((domain, res)) = name.strip_prefix(prefix).and_then(|r| r.split_once('/'))
            && domain.contains('.')
            && dns_label_chars(domain)
            && dns_label_chars(res)
        {
            return Ok(());
        }
    }
    Err(format!(
        "unknown quota resource \"{name}\": use one of {}, count/<resource>.<group>, or requests.<domain>/<extended-resource>",
        STANDARD_RESOURCES.join(", ")
    ))
}

/// Parses and checks a resource list; `field` prefixes the error paths (e.g. `budget`).
pub fn parse_list(
    field: &str,
    list: &ResourceList,
) -> Result<BTreeMap<String, Quantity>, Vec<FieldError>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, value) in list {
        let path = format!("{field}.{name}");
        if let Err(message) = validate_resource_name(name) {
            errors.push(FieldError::new(path, message));
            continue;
        }
        match parse_value(name, value) {
            Ok(q) => {
                out.insert(name.clone(), q);
            }
            Err(message) => errors.push(FieldError::new(path, message)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parses one non-negative quantity for `resource` (whole numbers for counted resources).
pub fn parse_value(resource: &str, value: &str) -> Result<Quantity, String> {
    let q =
        Quantity::parse(value.trim()).map_err(|e| format!("invalid quantity \"{value}\": {e}"))?;
    if q.nano_value() < 0 {
        return Err(format!(
            "invalid quantity \"{value}\": must be greater than or equal to 0"
        ));
    }
    if is_count(resource) && q.nano_value() % 1_000_000_000 != 0 {
        return Err(format!(
            "invalid quantity \"{value}\": {resource} counts whole objects, use an integer"
        ));
    }
    Ok(q)
}

/// The sum per resource of several lists (unparseable entries are skipped: lists are validated
/// before they are stored).
pub fn sum<'a>(lists: impl IntoIterator<Item = &'a ResourceList>) -> BTreeMap<String, Quantity> {
    let mut total: BTreeMap<String, Quantity> = BTreeMap::new();
    for list in lists {
        for (name, value) in list {
            if let Ok(q) = Quantity::parse(value) {
                let entry = total.entry(name.clone()).or_insert_with(Quantity::zero);
                *entry = entry.clone() + q;
            }
        }
    }
    total
}

/// Why a set of namespace quotas does not fit a tenant budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub resource: String,
    /// What the namespaces together would get.
    pub total: String,
    /// The budget for this resource (`None`: the budget does not include the resource).
    pub budget: Option<String>,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.budget {
            None => write!(
                f,
                "{}: the tenant budget does not include this resource; ask a platform admin to add it",
                self.resource
            ),
            Some(b) => write!(
                f,
                "{}: the namespaces would get {} in total, but the tenant budget is {}",
                self.resource, self.total, b
            ),
        }
    }
}

/// Checks the budget rule for the namespace quotas `total` (summed): every resource in `total`
/// must be in the budget, and its total at most the budget. Empty when it fits.
pub fn shortfalls(budget: &ResourceList, total: &BTreeMap<String, Quantity>) -> Vec<Shortfall> {
    let mut out = Vec::new();
    for (name, q) in total {
        match budget.get(name).and_then(|b| Quantity::parse(b).ok()) {
            None if q.is_zero() => {}
            None => out.push(Shortfall {
                resource: name.clone(),
                total: q.to_canonical_string(),
                budget: None,
            }),
            Some(b) if *q > b => out.push(Shortfall {
                resource: name.clone(),
                total: q.to_canonical_string(),
                budget: Some(b.to_canonical_string()),
            }),
            Some(_) => {}
        }
    }
    out
}

/// What is left of each budget resource after `allocated` (never negative).
pub fn left(budget: &ResourceList, allocated: &BTreeMap<String, Quantity>) -> ResourceList {
    let mut out = ResourceList::new();
    for (name, b) in budget {
        let Ok(b) = Quantity::parse(b) else { continue };
        let used = allocated.get(name).cloned().unwrap_or_else(Quantity::zero);
        let rest = if used >= b {
            Quantity::zero()
        } else {
            b - used
        };
        out.insert(name.clone(), rest.to_canonical_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(pairs: &[(&str, &str)]) -> ResourceList {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn names() {
        for ok in [
            "requests.cpu",
            "count/deployments.apps",
            "count/widgets.example.com",
            "requests.nvidia.com/gpu",
            "requests.example.com/fpga",
            "pods",
        ] {
            assert!(validate_resource_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "cpus",
            "count/",
            "requests.gpu",
            "Pods",
            "requests.nvidia.com/",
            "limits./x",
        ] {
            assert!(validate_resource_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_quantities_name_the_field() {
        let errs = parse_list(
            "quota",
            &list(&[
                ("requests.cpu", "1.5.5"),
                ("limits.cpu", "-1"),
                ("requests.memory", "10Zi"),
                ("pods", "1.5"),
                ("services", "5"),
            ]),
        )
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "quota.limits.cpu",
                "quota.pods",
                "quota.requests.cpu",
                "quota.requests.memory"
            ]
        );
        assert!(
            errs[0].message.contains("greater than or equal to 0"),
            "{}",
            errs[0].message
        );
        assert!(errs[1].message.contains("integer"));
        assert!(errs[2].message.contains("regular expression"));
    }

    #[test]
    fn budget_rule_is_exact() {
        let budget = list(&[("requests.cpu", "2"), ("requests.memory", "1Gi")]);
        let a = list(&[("requests.cpu", "1500m"), ("requests.memory", "512Mi")]);
        let b = list(&[("requests.cpu", "500m"), ("requests.memory", "536870912")]);
        assert!(shortfalls(&budget, &sum([&a, &b])).is_empty());
        let c = list(&[("requests.cpu", "1n")]);
        let s = shortfalls(&budget, &sum([&a, &b, &c]));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].resource, "requests.cpu");
        assert_eq!(s[0].budget.as_deref(), Some("2"));
        let gpu = list(&[("requests.nvidia.com/gpu", "1")]);
        assert_eq!(shortfalls(&budget, &sum([&gpu]))[0].budget, None);
        assert!(shortfalls(&budget, &sum([&list(&[("pods", "0")])])).is_empty());
        assert_eq!(left(&budget, &sum([&a]))["requests.cpu"], "500m");
        assert_eq!(left(&budget, &sum([&a]))["requests.memory"], "512Mi");
    }
}
