//! The operator's dashboards: the resource pool (cluster and per node), cluster history,
//! rankings by pod / namespace / tenant / node, applications, a tenant's quota use over time,
//! and a node's history.

use api_types::metrics::Pool;
use api_types::portal::Tenant;
use leptos::prelude::*;

use super::super::super::api;
use super::super::super::state::t;
use super::super::super::widgets::load;
use super::parts::{AppsSection, Chart, HistoryCharts, Picker, Rankings, chart_url, pool_table};
use super::{param, range};

#[component]
pub fn OperatorDashboards() -> impl IntoView {
    let pool = LocalResource::new(|| api::get::<Pool>("/api/v1/metrics/pool"));
    let tenants = LocalResource::new(|| api::get::<Vec<Tenant>>("/api/v1/tenants"));
    let cluster = move |r: &str| {
        let m = format!("{r},{r}.requests,{r}.allocatable");
        chart_url(
            "series.svg",
            &[("scope", "cluster"), ("metric", &m), ("range", &range())],
        )
    };
    view! {
        <section class="card" data-testid="pool">
            <h2>{t("dash.pool")}</h2><p class="muted">{t("dash.pool.hint")}</p>
            <div class="charts">
                <Chart src=Signal::derive(|| chart_url("pool.svg", &[]))/>
                <Chart src=Signal::derive(|| chart_url("pool.svg", &[("by", "node"), ("resource", "cpu")]))/>
                <Chart src=Signal::derive(|| chart_url("pool.svg", &[("by", "node"), ("resource", "memory")]))/>
            </div>
            {load(pool, pool_table)}
        </section>
        <section class="card" data-testid="cluster-history">
            <h2>{t("dash.cluster_history")}</h2>
            <div class="charts">
                <Chart src=Signal::derive(move || cluster("cpu"))/>
                <Chart src=Signal::derive(move || cluster("memory"))/>
            </div>
        </section>
        <Rankings scopes=&["namespace", "pod", "tenant", "node"]/>
        <AppsSection tenant=Signal::derive(|| None::<String>)/>
        {load(tenants, |ts: Vec<Tenant>| {
            let first = ts.first().map(|t| t.name.clone()).unwrap_or_default();
            let selected = Signal::derive(move || param("tenant", &first));
            let options = ts.iter().map(|t| (t.name.clone(), t.name.clone())).collect();
            view! {
                <section class="card" data-testid="quota-history">
                    <div class="card-head"><h2>{t("dash.quota_history")}</h2>
                        <Picker label="dash.tenant" key="tenant" options=options selected=selected/></div>
                    <p class="muted">{t("dash.quota_history.hint")}</p>
                    <HistoryCharts scope="tenant" name=selected metrics="quota.used/requests.{r},quota.hard/requests.{r},budget/requests.{r}"/>
                </section>
            }
        })}
        {load(pool, |p: Pool| {
            let first = p.nodes.first().map(|n| n.name.clone()).unwrap_or_default();
            let selected = Signal::derive(move || param("node", &first));
            let options = p.nodes.iter().map(|n| (n.name.clone(), n.name.clone())).collect();
            view! {
                <section class="card" data-testid="node-history">
                    <div class="card-head"><h2>{t("dash.node_history")}</h2>
                        <Picker label="dash.node" key="node" options=options selected=selected/></div>
                    <HistoryCharts scope="node" name=selected metrics="{r},{r}.requests,{r}.allocatable"/>
                </section>
            }
        })}
    }
}
