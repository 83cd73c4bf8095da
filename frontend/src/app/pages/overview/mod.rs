//! Overview (`/`): for an operator the cluster (`operator`: capacity and what the budgets
//! promise, tenants, namespaces out of sync, pending quota requests, recent warnings, charts);
//! for a tenant user the tenant (`tenant`: budget use, namespaces, workloads by state, budget use
//! over time, recent events). The shared pieces are in `parts`.

mod operator;
mod parts;
mod tenant;

pub use tenant::TenantUsageView;

use leptos::prelude::*;

use super::super::state::is_operator;
use super::super::widgets::set_title;

/// The resources the summaries show.
pub const MAIN: [&str; 5] = [
    "requests.cpu",
    "requests.memory",
    "requests.nvidia.com/gpu",
    "requests.storage",
    "pods",
];

#[component]
pub fn Overview() -> impl IntoView {
    set_title("nav.overview");
    move || {
        if is_operator() {
            view! { <operator::OperatorOverview/> }.into_any()
        } else {
            view! { <tenant::TenantOverview/> }.into_any()
        }
    }
}
