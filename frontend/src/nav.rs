//! Which navigation entry a path belongs to (pure, tested on the host), so the navigation marks
//! the current section on deep paths too: `/ns/<ns>/pods/<name>` is under Workloads,
//! `/tenants/<t>/namespaces/<ns>` under Namespaces.

/// A navigation entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Dashboards,
    /// The operator's tenant list (and each tenant's page).
    Tenants,
    /// A tenant user's own tenant page.
    Tenant,
    Namespaces,
    Workloads,
    /// The API explorer.
    Explorer,
    Nodes,
    QuotaRequests,
    Audit,
    Users,
    Profile,
}

/// The section of `path` (the URL path, without the query); `operator` decides whether a
/// tenant's page is under Tenants or the tenant user's own Tenant entry.
pub fn section(path: &str, operator: bool) -> Option<Section> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let first = parts.first().copied().unwrap_or("");
    Some(match first {
        "" => Section::Overview,
        "dashboards" => Section::Dashboards,
        "tenants" => match parts.get(2) {
            Some(&"namespaces") => Section::Namespaces,
            _ if operator => Section::Tenants,
            _ if parts.len() > 1 => Section::Tenant,
            _ => return None,
        },
        "namespaces" => Section::Namespaces,
        "workloads" | "ns" => Section::Workloads,
        "explorer" => Section::Explorer,
        "nodes" => Section::Nodes,
        "quota-requests" => Section::QuotaRequests,
        "audit" => Section::Audit,
        "users" => Section::Users,
        "profile" => Section::Profile,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_paths_mark_their_section() {
        use Section::*;
        for (path, op, want) in [
            ("/", false, Some(Overview)),
            ("/dashboards", true, Some(Dashboards)),
            ("/ns/shop/pods", false, Some(Workloads)),
            ("/ns/shop/pods/web-1/logs", false, Some(Workloads)),
            ("/ns/shop/create", false, Some(Workloads)),
            ("/explorer/apps/v1/deployments", false, Some(Explorer)),
            ("/workloads", false, Some(Workloads)),
            ("/tenants", true, Some(Tenants)),
            ("/tenants/acme", true, Some(Tenants)),
            ("/tenants/acme", false, Some(Tenant)),
            ("/tenants", false, None),
            ("/tenants/acme/namespaces/new", false, Some(Namespaces)),
            ("/tenants/acme/namespaces/shop", true, Some(Namespaces)),
            ("/namespaces", false, Some(Namespaces)),
            ("/nodes/worker-1", true, Some(Nodes)),
            ("/quota-requests/new", false, Some(QuotaRequests)),
            ("/quota-requests/12", true, Some(QuotaRequests)),
            ("/audit", true, Some(Audit)),
            ("/users", true, Some(Users)),
            ("/profile", false, Some(Profile)),
            ("/login", false, None),
            ("/nothing/here", false, None),
        ] {
            assert_eq!(section(path, op), want, "{path} (operator {op})");
        }
    }
}
