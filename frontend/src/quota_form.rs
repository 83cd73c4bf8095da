//! The logic behind the quota forms, shared with nothing but the server's own parsers
//! (`api_types::quota`): live validation of a typed value, what is left of the tenant budget
//! while typing, and used/hard ratios for the bars.

use std::collections::BTreeMap;

use api_types::quantity::Quantity;
use api_types::quota::{self, ResourceList};

/// The state of one quota input while the user types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowCheck {
    /// The server's parser's complaint about the value.
    pub error: Option<String>,
    /// What would be left of the budget (canonical quantity), when the budget has the resource.
    pub left: Option<String>,
    /// By how much the value overruns what is left of the budget.
    pub over_by: Option<String>,
    /// The budget does not include the resource but a non-zero value was typed.
    pub not_in_budget: bool,
}

impl RowCheck {
    pub fn is_ok(&self) -> bool {
        self.error.is_none() && self.over_by.is_none() && !self.not_in_budget
    }
}

fn parse(s: &str) -> Quantity {
    Quantity::parse(s.trim()).unwrap_or_else(|_| Quantity::zero())
}

/// Sum of what the tenant's other namespaces have: `allocated` minus `current` (this
/// namespace's quota today; empty when creating).
pub fn others(allocated: &ResourceList, current: &ResourceList) -> BTreeMap<String, Quantity> {
    let mut out = BTreeMap::new();
    for (name, value) in allocated {
        let mine = current
            .get(name)
            .map(|v| parse(v))
            .unwrap_or_else(Quantity::zero);
        let all = parse(value);
        let rest = if mine >= all {
            Quantity::zero()
        } else {
            all - mine
        };
        out.insert(name.clone(), rest);
    }
    out
}

/// Checks `typed` for `resource` against the budget and what the other namespaces have.
/// `budget == None` checks the value only (tenant budgets, container defaults).
pub fn check_row(
    resource: &str,
    typed: &str,
    budget: Option<&ResourceList>,
    others: &BTreeMap<String, Quantity>,
) -> RowCheck {
    let mut check = RowCheck::default();
    let value = if typed.trim().is_empty() {
        Quantity::zero()
    } else {
        match quota::parse_value(resource, typed) {
            Ok(q) => q,
            Err(e) => {
                check.error = Some(e);
                return check;
            }
        }
    };
    let Some(budget) = budget else {
        return check;
    };
    let Some(total) = budget.get(resource).and_then(|b| Quantity::parse(b).ok()) else {
        check.not_in_budget = !value.is_zero();
        return check;
    };
    let taken = others.get(resource).cloned().unwrap_or_else(Quantity::zero) + value;
    if taken > total {
        check.over_by = Some((taken - total).to_canonical_string());
        check.left = Some("0".into());
    } else {
        check.left = Some((total - taken).to_canonical_string());
    }
    check
}

/// The typed values as a resource list: empty inputs left out, values trimmed.
pub fn to_list(rows: &[(String, String)]) -> ResourceList {
    rows.iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .collect()
}

/// The resources a form shows: the standard ones, then any others the lists name.
pub fn resources<'a>(lists: impl IntoIterator<Item = &'a ResourceList>) -> Vec<String> {
    let mut out: Vec<String> = quota::STANDARD_RESOURCES
        .iter()
        .map(|s| s.to_string())
        .collect();
    for list in lists {
        for name in list.keys() {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// `used / hard` between 0 and 1 (`None` when hard is missing or zero).
pub fn ratio(used: Option<&str>, hard: Option<&str>) -> Option<f64> {
    let hard = Quantity::parse(hard?).ok()?;
    if hard.is_zero() {
        return None;
    }
    let used = used.map(parse).unwrap_or_else(Quantity::zero);
    Some((used.nano_value() as f64 / hard.nano_value() as f64).clamp(0.0, 1.0))
}

/// A value for reading: byte quantities of memory and storage resources in Gi/Mi with one
/// decimal (`147565443Ki` → `140.7Gi`), everything else as the server wrote it.
pub fn human(resource: &str, value: &str) -> String {
    let bytes_like = ["memory", "storage"].iter().any(|k| resource.contains(k));
    let Ok(q) = Quantity::parse(value) else {
        return value.to_string();
    };
    if !bytes_like {
        return value.to_string();
    }
    let bytes = q.nano_value() as f64 / 1e9;
    let (unit, size) = if bytes >= 1024f64.powi(4) {
        ("Ti", 1024f64.powi(4))
    } else if bytes >= 1024f64.powi(3) {
        ("Gi", 1024f64.powi(3))
    } else if bytes >= 1024f64.powi(2) {
        ("Mi", 1024f64.powi(2))
    } else {
        return value.to_string();
    };
    let n = format!("{:.1}", bytes / size);
    format!("{}{unit}", n.strip_suffix(".0").unwrap_or(&n))
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
    fn left_in_budget_while_typing() {
        let budget = list(&[("requests.cpu", "4"), ("pods", "10")]);
        let allocated = list(&[("requests.cpu", "3"), ("pods", "4")]);
        let current = list(&[("requests.cpu", "1")]);
        let others = others(&allocated, &current);
        let c = check_row("requests.cpu", "1500m", Some(&budget), &others);
        assert_eq!(c.left.as_deref(), Some("500m"));
        assert!(c.is_ok());
        let c = check_row("requests.cpu", "3", Some(&budget), &others);
        assert_eq!(c.over_by.as_deref(), Some("1"));
        assert!(!c.is_ok());
        let c = check_row("pods", "1.5", Some(&budget), &others);
        assert!(c.error.unwrap().contains("integer"));
        let c = check_row("requests.nvidia.com/gpu", "1", Some(&budget), &others);
        assert!(c.not_in_budget);
        assert!(check_row("requests.nvidia.com/gpu", "", Some(&budget), &others).is_ok());
        assert!(check_row("requests.memory", "1Gi", None, &others).is_ok());
        assert!(
            check_row("requests.memory", "1.5.5", None, &others)
                .error
                .is_some()
        );
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human("requests.memory", "147565443Ki"), "140.7Gi");
        assert_eq!(human("requests.storage", "378321341616"), "352.3Gi");
        assert_eq!(human("requests.memory", "96Gi"), "96Gi");
        assert_eq!(human("requests.memory", "512Mi"), "512Mi");
        assert_eq!(human("requests.cpu", "1500m"), "1500m");
    }

    #[test]
    fn ratios_and_lists() {
        assert_eq!(ratio(Some("500m"), Some("2")), Some(0.25));
        assert_eq!(ratio(Some("3"), Some("2")), Some(1.0));
        assert_eq!(ratio(None, Some("0")), None);
        let rows = vec![
            ("pods".to_string(), " 5 ".to_string()),
            ("secrets".to_string(), "".to_string()),
        ];
        assert_eq!(to_list(&rows), list(&[("pods", "5")]));
        assert_eq!(
            resources([&list(&[("count/widgets.x.io", "1")])])
                .last()
                .unwrap(),
            "count/widgets.x.io"
        );
    }
}
