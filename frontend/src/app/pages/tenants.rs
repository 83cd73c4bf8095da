//! Tenants (operators): the list with budget use, and creating a tenant with its budget.

use api_types::portal::{CreateTenant, Tenant};
use api_types::quota::ResourceList;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::super::api::{self, ApiError, Method};
use super::super::state::{t, tr};
use super::super::widgets::{Bar, Empty, MaybeError, load, set_title};
use super::ns_form::valid_label;
use super::quota_editor::{QuotaEditor, collect, parses, rows};
use crate::quota_form::{human, ratio};

#[component]
pub fn Tenants() -> impl IntoView {
    set_title("nav.tenants");
    let data = LocalResource::new(|| api::get::<Vec<Tenant>>("/api/v1/tenants"));
    let creating = RwSignal::new(false);
    view! {
        <div class="pagehead">
            <h1>{t("nav.tenants")}</h1>
            <span class="spacer"></span>
            <button class="primary" on:click=move |_| creating.update(|c| *c = !*c)>{t("tenant.create")}</button>
        </div>
        {move || creating.get().then(|| view! { <CreateTenantForm/> })}
        {load(data, |list: Vec<Tenant>| view! { <TenantTable tenants=list/> })}
    }
}

/// Tenants with their allocated share of the budget.
#[component]
pub fn TenantTable(tenants: Vec<Tenant>) -> impl IntoView {
    if tenants.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("tenant.none").to_string())/> }.into_any();
    }
    let rows = tenants.into_iter().map(|tn| {
        let bar = |r: &str| ratio(tn.allocated.get(r).map(String::as_str), tn.budget.get(r).map(String::as_str));
        let (cpu, mem) = (bar("requests.cpu"), bar("requests.memory"));
        let cpu_label = format!("{} / {}", tn.allocated.get("requests.cpu").map_or("0", |s| s), tn.budget.get("requests.cpu").map_or("—", |s| s));
        let memq = |l: &api_types::quota::ResourceList, d: &str| l.get("requests.memory").map_or(d.to_string(), |s| human("requests.memory", s));
        let mem_label = format!("{} / {}", memq(&tn.allocated, "0"), memq(&tn.budget, "—"));
        view! {
            <tr data-tenant=tn.name.clone()>
                <td><a href=format!("/tenants/{}", api::enc(&tn.name))>{tn.name.clone()}</a>
                    <div class="muted">{tn.display_name.clone()}</div></td>
                <td>{if tn.disabled { view! { <span class="badge bad">{t("tenant.disabled")}</span> }.into_any() } else { view! { <span class="badge ok">{t("tenant.enabled")}</span> }.into_any() }}</td>
                <td class="num">{tn.namespaces}</td>
                <td title=cpu_label.clone()><Bar ratio=cpu/><div class="muted">{cpu_label.clone()}</div></td>
                <td title=mem_label.clone()><Bar ratio=mem/><div class="muted">{mem_label.clone()}</div></td>
            </tr>
        }
    }).collect_view();
    view! {
        <div class="table-wrap"><table>
            <thead><tr><th>{t("common.name")}</th><th>{t("common.state")}</th><th class="num">{t("overview.namespaces")}</th>
                <th>"requests.cpu"</th><th>"requests.memory"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }.into_any()
}

#[component]
fn CreateTenantForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let budget = rows(&ResourceList::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let b2 = budget.clone();
    let b3 = budget.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateTenant {
            name: name.get_untracked().trim().to_string(),
            display_name: display.get_untracked(),
            description: String::new(),
            budget: collect(&b2),
            pod_security: None,
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::send::<_, Tenant>(Method::Post, "/api/v1/tenants", &body).await {
                Ok(tn) => navigate(
                    &format!("/tenants/{}", api::enc(&tn.name)),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="tenant-create">
            <h2>{t("tenant.create")}</h2>
            <div class="form-row">
                <div class="field"><label for="tn-name">{t("common.name")}</label>
                    <input id="tn-name" bind:value=name required aria-invalid=move || (!name.get().is_empty() && !valid_label(&name.get())).to_string()/>
                    <div class="hint">{t("ns.name.hint")}</div></div>
                <div class="field"><label for="tn-display">{t("tenant.display_name")}</label>
                    <input id="tn-display" bind:value=display/></div>
            </div>
            <h3>{t("tenant.budget")}</h3>
            <p class="muted">{t("tenant.budget.hint")}</p>
            <QuotaEditor rows=budget budget=None/>
            <MaybeError error=error/>
            <div class="actions mt">
                <button class="primary" type="submit" disabled=move || !valid_label(&name.get()) || !parses(&b3)>{t("tenant.create")}</button>
            </div>
        </form>
    }
}
