//! A tenant's dashboards: budget and quota use over time (tenant and one namespace), the
//! namespace's usage history, rankings within the tenant, and its applications.

use api_types::portal::Namespace;
use leptos::prelude::*;

use super::super::super::api;
use super::super::super::state::{globals, me, t};
use super::super::super::widgets::load;
use super::param;
use super::parts::{AppsSection, HistoryCharts, Picker, Rankings};

/// The tenant shown: the URL's, else the one selected in the top bar, else the first.
fn tenant() -> String {
    let fallback = globals()
        .tenant
        .get()
        .or_else(|| me().and_then(|m| m.tenants.first().map(|t| t.tenant.clone())))
        .unwrap_or_default();
    param("tenant", &fallback)
}

#[component]
pub fn TenantDashboards() -> impl IntoView {
    let namespaces = LocalResource::new(|| api::get::<Vec<Namespace>>("/api/v1/namespaces"));
    let name = Signal::derive(tenant);
    view! {
        <section class="card" data-testid="quota-history">
            <h2>{t("dash.quota_history")}" · "{tenant}</h2>
            <p class="muted">{t("dash.quota_history.hint")}</p>
            <HistoryCharts scope="tenant" name=name metrics="quota.used/requests.{r},quota.hard/requests.{r},budget/requests.{r}"/>
        </section>
        {load(namespaces, move |all: Vec<Namespace>| {
            let own: Vec<String> = all.into_iter().filter(|n| n.tenant == tenant()).map(|n| n.name).collect();
            let first = own.first().cloned().unwrap_or_default();
            let selected = Signal::derive(move || param("ns", &first));
            let options = own.iter().map(|n| (n.clone(), n.clone())).collect();
            view! {
                <section class="card" data-testid="ns-history">
                    <div class="card-head"><h2>{t("dash.ns_history")}</h2>
                        <Picker label="dash.namespace" key="ns" options=options selected=selected/></div>
                    <HistoryCharts scope="namespace" name=selected metrics="{r},{r}.requests,{r}.limits"/>
                    <HistoryCharts scope="namespace" name=selected metrics="quota.used/requests.{r},quota.hard/requests.{r}"/>
                </section>
            }
        })}
        <Rankings scopes=&["namespace", "pod", "app"]/>
        <AppsSection tenant=Signal::derive(move || Some(tenant()))/>
    }
}
