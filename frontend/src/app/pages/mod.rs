//! The pages, one module each (a page owns its data loading and its forms).

mod audit;
mod dashboards;
mod explorer;
mod kubeconfig;
mod login;
mod namespace;
mod namespaces;
mod nodes;
mod ns_form;
mod overview;
mod profile;
mod quota_editor;
mod quota_request;
mod quota_requests;
mod tenant;
mod tenants;
mod users;
mod workloads;

pub use audit::Audit;
pub use dashboards::Dashboards;
pub use explorer::Explorer;
pub use login::Login;
pub use namespace::NamespacePage;
pub use namespaces::Namespaces;
pub use nodes::{NodePage, Nodes};
pub use ns_form::NewNamespace;
pub use overview::Overview;
pub use profile::Profile;
pub use quota_request::{NewQuotaRequest, QuotaRequestPage};
pub use quota_requests::QuotaRequests;
pub use tenant::TenantPage;
pub use tenants::Tenants;
pub use users::Users;
pub use workloads::{CreateFromYaml, KindList, ObjectPage, PodLogs, WorkloadsHome};

use leptos::prelude::*;

use super::state::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="login-wrap"><div class="login-card">
            <h1>{t("notfound.title")}</h1>
            <p class="muted">{t("notfound.text")}</p>
            <a class="btn primary" href="/">{t("notfound.home")}</a>
        </div></div>
    }
}
