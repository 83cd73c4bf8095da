//! One namespace: sync state, used/hard per resource, and for tenant admins the quota and
//! container-defaults editor and delete with typed confirmation.

use api_types::portal::{Namespace, Tenant, TenantUsage, UpdateNamespace};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::super::api::{self, ApiError, ApiResult, Method};
use super::super::state::{can_admin, set_tenant, t, tr, trf};
use super::super::widgets::{MaybeError, SyncBadge, UsageGrid, load, set_title, short_time};
use super::quota_editor::{LimitRows, LimitsEditor, QuotaEditor, collect, parses, rows};
use crate::quota_form::others;

#[derive(Clone)]
struct Data {
    ns: Namespace,
    tenant: Tenant,
    usage: TenantUsage,
}

async fn fetch(tenant: String, ns: String) -> ApiResult<Data> {
    let (tn, n) = (api::enc(&tenant), api::enc(&ns));
    Ok(Data {
        ns: api::get(&format!("/api/v1/tenants/{tn}/namespaces/{n}")).await?,
        tenant: api::get(&format!("/api/v1/tenants/{tn}")).await?,
        usage: api::get(&format!("/api/v1/tenants/{tn}/usage")).await?,
    })
}

#[component]
pub fn NamespacePage() -> impl IntoView {
    set_title("nav.namespaces");
    let params = use_params_map();
    let tenant = move || params.get().get("tenant").unwrap_or_default();
    let ns = move || params.get().get("ns").unwrap_or_default();
    let data = LocalResource::new(move || fetch(tenant(), ns()));
    view! {
        <div class="crumbs"><a href="/namespaces">{t("nav.namespaces")}</a>" / "<a href=move || format!("/tenants/{}", api::enc(&tenant()))>{tenant}</a></div>
        {load(data, move |d: Data| view! { <Detail d=d reload=move || data.refetch()/> })}
    }
}

#[component]
fn Detail(d: Data, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    set_tenant(&d.tenant.name);
    let admin = can_admin(&d.tenant.name);
    let ns = d.ns.clone();
    let usage = d
        .usage
        .namespaces
        .iter()
        .find(|u| u.namespace == ns.name)
        .cloned();
    let deleting = ns.sync_state == "deleting" || ns.sync_state == "removed";
    let request_href = format!(
        "/quota-requests/new?tenant={}&namespace={}",
        api::enc(&ns.tenant),
        api::enc(&ns.name)
    );
    view! {
        <div class="pagehead">
            <h1>{ns.name.clone()}</h1>
            <LiveSync ns=ns.clone()/>
            <span class="spacer"></span>
            <a class="btn" href=format!("/ns/{}/pods", api::enc(&ns.name)) data-testid="ns-workloads">{t("nav.workloads")}</a>
            {admin.then(|| view! { <a class="btn" href=request_href>{t("qr.ask_more")}</a> })}
        </div>
        {(!ns.sync_message.is_empty()).then(|| view! { <div class="alert info">{ns.sync_message.clone()}</div> })}
        <p class="muted">
            {t("common.created")}" "{short_time(&ns.created_at)}" · "{t("ns.generation")}" "{ns.generation}
            " · "{t("ns.synced_generation")}" "{ns.synced_generation}
        </p>
        <section class="card" data-testid="ns-usage">
            <h2>{t("ns.used_hard")}</h2>
            {match usage {
                Some(u) if u.observed => view! { <UsageGrid used=u.used hard=ns.quota.clone()/> }.into_any(),
                _ => view! { <p class="muted">{t("ns.not_observed")}</p><UsageGrid used=Default::default() hard=ns.quota.clone()/> }.into_any(),
            }}
        </section>
        {(admin && !deleting).then(|| view! {
            <EditForm d=d.clone() reload=reload.clone()/>
            <DeleteForm ns=ns.clone()/>
        })}
    }
}

/// The sync badge and the reconciler's message, asked again every 1.5 s until the cluster
/// caught up (the state is not `pending` or `deleting`).
#[component]
fn LiveSync(ns: Namespace) -> impl IntoView {
    let state = RwSignal::new((ns.sync_state.clone(), ns.sync_message.clone()));
    let path = format!(
        "/api/v1/tenants/{}/namespaces/{}",
        api::enc(&ns.tenant),
        api::enc(&ns.name)
    );
    // The signal is disposed with the page: the loop ends when it is gone.
    let waiting = move || {
        state
            .try_with_untracked(|(s, _)| matches!(s.as_str(), "pending" | "deleting"))
            .unwrap_or(false)
    };
    leptos::task::spawn_local(async move {
        while waiting() {
            crate::app::sleep_ms(1500).await;
            if !waiting() {
                break;
            }
            if let Ok(n) = api::get::<Namespace>(&path).await {
                state.try_set((n.sync_state, n.sync_message));
            }
        }
    });
    move || {
        let (s, m) = state.get();
        view! { <SyncBadge state=s message=m/> }
    }
}

#[component]
fn EditForm(d: Data, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let quota = rows(&d.ns.quota);
    let limits = LimitRows::new(&d.ns.limits);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let path = format!(
        "/api/v1/tenants/{}/namespaces/{}",
        api::enc(&d.ns.tenant),
        api::enc(&d.ns.name)
    );
    let q2 = quota.clone();
    let q3 = quota.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = UpdateNamespace {
            quota: Some(collect(&q2)),
            limits: Some(limits.collect()),
        };
        let path = path.clone();
        let reload = reload.clone();
        saved.set(false);
        leptos::task::spawn_local(async move {
            match api::call(Method::Patch, &path, Some(&body)).await {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="ns-edit">
            <h2>{t("ns.edit_quota")}</h2>
            <QuotaEditor rows=quota budget=Some(d.tenant.budget.clone()) others=others(&d.tenant.allocated, &d.ns.quota)/>
            <h2 class="mt">{t("ns.limits")}</h2>
            <LimitsEditor rows=limits/>
            <MaybeError error=error/>
            {move || saved.get().then(|| view! { <div class="alert success" role="status">{t("common.saved")}</div> })}
            <button class="primary" type="submit" disabled=move || !parses(&q3) || !limits.parses()>{t("common.save")}</button>
        </form>
    }
}

#[component]
fn DeleteForm(ns: Namespace) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let name = ns.name.clone();
    let name2 = ns.name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let path = format!(
            "/api/v1/tenants/{}/namespaces/{}?confirm={}",
            api::enc(&ns.tenant),
            api::enc(&ns.name),
            api::enc(&typed.get_untracked())
        );
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::call::<()>(Method::Delete, &path, None).await {
                Ok(()) => navigate("/namespaces", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="ns-delete">
            <h2>{t("ns.delete")}</h2>
            <p>{move || trf("ns.delete.warn", &[("name", &name)])}</p>
            <div class="field">
                <label for="confirm">{move || tr("ns.delete.confirm")}</label>
                <input id="confirm" bind:value=typed autocomplete="off"/>
            </div>
            <MaybeError error=error/>
            <button class="danger solid" type="submit" disabled=move || typed.get() != name2>{t("ns.delete")}</button>
        </form>
    }
}
