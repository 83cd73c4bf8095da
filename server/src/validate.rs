//! Input checks shared by the portal's handlers: DNS labels, reserved namespace names, resource
//! lists and container defaults, each answering with a field-level error.

use api_types::FieldError;
use api_types::portal::ContainerLimits;
use api_types::quantity::Quantity;
use api_types::quota::{self, ResourceList};

/// A DNS-1123 label of at most `max` characters (tenant and namespace names).
pub fn dns_label(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    let ok = !value.is_empty()
        && value.len() <= max
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "\"{value}\" is not a valid name: use 1 to {max} lower-case letters, digits and '-', starting and ending with a letter or digit"
            ),
        ))
    }
}

/// Namespace names a tenant may never take (the cluster's own).
pub fn namespace_name(value: &str) -> Result<(), FieldError> {
    dns_label("name", value, 63)?;
    let reserved = value == "default"
        || value.starts_with("kube-")
        || value.starts_with("ku8portal")
        || value.starts_with("openshift");
    if reserved {
        return Err(FieldError::new(
            "name",
            format!("\"{value}\" is reserved for the cluster; choose another name"),
        ));
    }
    Ok(())
}

/// Free text of at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::new(field, format!("at most {max} characters")));
    }
    Ok(())
}

pub fn pod_security(value: &str) -> Result<(), FieldError> {
    match value {
        "privileged" | "baseline" | "restricted" => Ok(()),
        _ => Err(FieldError::new(
            "pod_security",
            format!(
                "\"{value}\" is not a Pod Security level: use privileged, baseline or restricted"
            ),
        )),
    }
}

/// Checks a quota list; errors name `field.<resource>`.
pub fn resource_list(field: &str, list: &ResourceList, errors: &mut Vec<FieldError>) {
    if let Err(e) = quota::parse_list(field, list) {
        errors.extend(e);
    }
}

fn container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage")
        || name
            .split_once('/')
            .is_some_and(|(d, r)| d.contains('.') && !r.is_empty())
}

fn container_list(field: &str, list: &ResourceList, errors: &mut Vec<FieldError>) {
    for (name, value) in list {
        let path = format!("{field}.{name}");
        if !container_resource(name) {
            errors.push(FieldError::new(
                path,
                format!("\"{name}\" is not a container resource: use cpu, memory, ephemeral-storage or <domain>/<resource>"),
            ));
        } else if let Err(m) = quota::parse_value(name, value) {
            errors.push(FieldError::new(path, m));
        }
    }
}

/// Checks container defaults: valid quantities, default request ≤ default limit ≤ max.
pub fn limits(l: &ContainerLimits, errors: &mut Vec<FieldError>) {
    let before = errors.len();
    container_list("limits.default", &l.default, errors);
    container_list("limits.default_request", &l.default_request, errors);
    container_list("limits.max", &l.max, errors);
    if errors.len() > before {
        return;
    }
    let q = |s: &String| Quantity::parse(s).expect("checked above");
    for (name, req) in &l.default_request {
        if let Some(lim) = l.default.get(name)
            && q(req) > q(lim)
        {
            errors.push(FieldError::new(
                format!("limits.default_request.{name}"),
                format!("the default request {req} is above the default limit {lim}"),
            ));
        }
    }
    for (name, max) in &l.max {
        for (kind, list) in [
            ("default", &l.default),
            ("default_request", &l.default_request),
        ] {
            if let Some(v) = list.get(name)
                && q(v) > q(max)
            {
                errors.push(FieldError::new(
                    format!("limits.{kind}.{name}"),
                    format!("{v} is above the maximum {max}"),
                ));
            }
        }
    }
}

/// Container defaults of a new namespace when none are given.
pub fn default_limits() -> ContainerLimits {
    let l = |c: &str, m: &str| -> ResourceList {
        [
            ("cpu".to_string(), c.to_string()),
            ("memory".to_string(), m.to_string()),
        ]
        .into()
    };
    ContainerLimits {
        default: l("500m", "512Mi"),
        default_request: l("100m", "128Mi"),
        max: ResourceList::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns_label("name", "team-a", 40).is_ok());
        for bad in ["", "Team", "-a", "a-", "a_b", "a.b", &"x".repeat(41)] {
            assert!(dns_label("name", bad, 40).is_err(), "{bad}");
        }
        assert!(namespace_name("kube-system").is_err());
        assert!(namespace_name("default").is_err());
        assert!(namespace_name("shop-prod").is_ok());
    }

    #[test]
    fn limits_order() {
        let mut e = Vec::new();
        let mut l = default_limits();
        limits(&l, &mut e);
        assert!(e.is_empty());
        l.default_request.insert("cpu".into(), "2".into());
        l.max.insert("memory".into(), "256Mi".into());
        l.max.insert("gpu".into(), "1".into());
        limits(&l, &mut e);
        assert_eq!(e.len(), 1, "{e:?}"); // the bad name stops the order checks
        e.clear();
        l.max.remove("gpu");
        limits(&l, &mut e);
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["limits.default_request.cpu", "limits.default.memory"]
        );
    }
}
