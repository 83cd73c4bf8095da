//! Filing a quota request (tenant admins) and one request: follow it, approve with edits or
//! reject (operators), withdraw (the requester or a tenant admin).

use api_types::portal::{CreateQuotaRequest, DecideQuotaRequest, Namespace, QuotaRequest, Tenant};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::super::api::{self, ApiError, ApiResult, Method};
use super::super::state::{can_admin, is_operator, me, t};
use super::super::widgets::{MaybeError, StatusBadge, load, set_title, short_time};
use super::quota_editor::{QuotaEditor, collect, parses, rows, rows_of};
use super::quota_requests::pairs;

/// The values today: the namespace's quota, or the tenant budget.
async fn current(tenant: &str, ns: Option<&str>) -> ApiResult<api_types::quota::ResourceList> {
    let t = api::enc(tenant);
    Ok(match ns {
        Some(n) => {
            api::get::<Namespace>(&format!("/api/v1/tenants/{t}/namespaces/{}", api::enc(n)))
                .await?
                .quota
        }
        None => {
            api::get::<Tenant>(&format!("/api/v1/tenants/{t}"))
                .await?
                .budget
        }
    })
}

#[component]
pub fn NewQuotaRequest() -> impl IntoView {
    set_title("qr.new");
    let query = use_query_map();
    let tenant = move || query.get().get("tenant").unwrap_or_default();
    let ns = move || query.get().get("namespace").filter(|n| !n.is_empty());
    let data = LocalResource::new(move || {
        let (tn, ns) = (tenant(), ns());
        async move { current(&tn, ns.as_deref()).await }
    });
    view! {
        <h1>{t("qr.new")}</h1>
        <p class="muted">{move || tenant()}{move || ns().map(|n| format!(" / {n}"))}" — "{move || if ns().is_some() { t("qr.for_namespace")() } else { t("qr.for_budget")() }}</p>
        {load(data, move |cur| view! { <RequestForm tenant=tenant() ns=ns() cur=cur/> })}
    }
}

#[component]
fn RequestForm(
    tenant: String,
    ns: Option<String>,
    cur: api_types::quota::ResourceList,
) -> impl IntoView {
    let values = rows(&Default::default());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let (v2, v3) = (values.clone(), values.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateQuotaRequest {
            namespace: ns.clone(),
            reason: reason.get_untracked(),
            requested: collect(&v2),
        };
        let path = format!("/api/v1/tenants/{}/quota-requests", api::enc(&tenant));
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::send::<_, QuotaRequest>(Method::Post, &path, &body).await {
                Ok(r) => navigate(&format!("/quota-requests/{}", r.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="qr-form">
            <p class="muted">{t("qr.form.hint")}</p>
            <QuotaEditor rows=values budget=None current=cur/>
            <div class="field mt"><label for="qr-reason">{t("qr.reason")}</label>
                <textarea id="qr-reason" rows="3" bind:value=reason required></textarea></div>
            <MaybeError error=error/>
            <button class="primary" type="submit" disabled=move || !parses(&v3) || reason.get().trim().is_empty()>{t("qr.submit")}</button>
        </form>
    }
}

#[component]
pub fn QuotaRequestPage() -> impl IntoView {
    set_title("nav.quota_requests");
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            api::get::<QuotaRequest>(&format!("/api/v1/quota-requests/{}", api::enc(&id))).await
        }
    });
    view! {
        <div class="crumbs"><a href="/quota-requests">{t("nav.quota_requests")}</a></div>
        {load(data, move |r: QuotaRequest| view! { <Detail r=r reload=move || data.refetch()/> })}
    }
}

#[component]
fn Detail(r: QuotaRequest, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let pending = r.status == "pending";
    let mine = me().is_some_and(|m| m.username == r.requester);
    let may_cancel = pending && (mine || can_admin(&r.tenant));
    let target = r
        .namespace
        .clone()
        .map(|n| format!("{} / {n}", r.tenant))
        .unwrap_or_else(|| r.tenant.clone());
    view! {
        <div class="pagehead"><h1>{t("qr.title")}</h1><StatusBadge status=r.status.clone()/></div>
        <section class="card" data-testid="qr-detail">
            <table><tbody>
                <tr><th>{t("qr.target")}</th><td>{target}" "{r.namespace.is_none().then(|| view! { <span class="muted">"("{t("qr.budget")}")"</span> })}</td></tr>
                <tr><th>{t("qr.requester")}</th><td>{r.requester.clone()}" · "{short_time(&r.created_at)}</td></tr>
                <tr><th>{t("qr.reason")}</th><td>{r.reason.clone()}</td></tr>
                <tr><th>{t("qr.requested")}</th><td class="mono">{pairs(&r.requested)}</td></tr>
                {r.approved.clone().map(|a| view! { <tr><th>{t("qr.approved")}</th><td class="mono">{pairs(&a)}</td></tr> })}
                {r.decider.clone().map(|d| view! { <tr><th>{t("qr.decider")}</th><td>{d}" · "{r.decided_at.clone().map(|a| short_time(&a))}" "{r.decision_reason.clone()}</td></tr> })}
            </tbody></table>
        </section>
        {(pending && is_operator()).then(|| view! { <Decide r=r.clone() reload=reload.clone()/> })}
        {may_cancel.then(|| view! { <Cancel id=r.id.clone() reload=reload.clone()/> })}
    }
}

#[component]
fn Decide(r: QuotaRequest, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let values = rows_of(&r.requested);
    let shown = values.clone();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let decide = move |verb: &'static str| {
        let approved = (verb == "approve").then(|| collect(&values));
        let body = DecideQuotaRequest {
            approved,
            reason: reason.get_untracked(),
        };
        let path = format!("/api/v1/quota-requests/{}/{verb}", api::enc(&r.id));
        let reload = reload.clone();
        leptos::task::spawn_local(async move {
            match api::call(Method::Post, &path, Some(&body)).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let d2 = decide.clone();
    view! {
        <section class="card" data-testid="qr-decide">
            <h2>{t("qr.decide")}</h2>
            <p class="muted">{t("qr.decide.hint")}</p>
            <QuotaEditor rows=shown budget=None/>
            <div class="field mt"><label for="qr-decision">{t("qr.decision_reason")}</label>
                <input id="qr-decision" bind:value=reason/></div>
            <MaybeError error=error/>
            <div class="actions">
                <button class="primary" on:click=move |_| decide("approve")>{t("qr.approve")}</button>
                <button class="danger" on:click=move |_| d2("reject")>{t("qr.reject")}</button>
            </div>
        </section>
    }
}

#[component]
fn Cancel(id: String, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let go = move |_| {
        let path = format!("/api/v1/quota-requests/{}/cancel", api::enc(&id));
        let reload = reload.clone();
        leptos::task::spawn_local(async move {
            match api::call::<()>(Method::Post, &path, None).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! { <section class="card"><MaybeError error=error/><button class="danger" on:click=go>{t("qr.cancel")}</button></section> }
}
