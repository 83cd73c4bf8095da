//! Creating a namespace in a tenant: name, quota (checked while typing, with what is left of
//! the budget) and container defaults. Over-budget values are refused by the server, whose
//! message is shown.

use api_types::portal::{ContainerLimits, CreateNamespace, Namespace, Tenant};
use api_types::quota::ResourceList;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::super::api::{self, ApiError, Method};
use super::super::state::{set_tenant, t};
use super::super::widgets::{MaybeError, load, set_title};
use super::quota_editor::{LimitRows, LimitsEditor, QuotaEditor, collect, parses, rows};
use crate::quota_form::others;

#[component]
pub fn NewNamespace() -> impl IntoView {
    set_title("ns.create");
    let params = use_params_map();
    let tenant = move || params.get().get("tenant").unwrap_or_default();
    let data = LocalResource::new(move || {
        let tn = tenant();
        async move { api::get::<Tenant>(&format!("/api/v1/tenants/{}", api::enc(&tn))).await }
    });
    view! {
        <div class="crumbs"><a href=move || format!("/tenants/{}", api::enc(&tenant()))>{tenant}</a></div>
        <h1>{t("ns.create")}</h1>
        {load(data, |tn: Tenant| view! { <CreateForm tenant=tn/> })}
    }
}

#[component]
fn CreateForm(tenant: Tenant) -> impl IntoView {
    set_tenant(&tenant.name);
    let name = RwSignal::new(String::new());
    let quota = rows(&ResourceList::new());
    let limits = LimitRows::new(&ContainerLimits::default());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let q2 = quota.clone();
    let name_err = move || {
        let n = name.get();
        (!n.is_empty() && !valid_label(&n)).then(|| t("ns.name.invalid"))
    };
    let ready = {
        let q = quota.clone();
        move || valid_label(&name.get()) && parses(&q) && limits.parses()
    };
    let tname = tenant.name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateNamespace {
            name: name.get_untracked().trim().to_string(),
            quota: collect(&q2),
            limits: limits.collect_set(),
        };
        let path = format!("/api/v1/tenants/{}/namespaces", api::enc(&tname));
        let tname = tname.clone();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::send::<_, Namespace>(Method::Post, &path, &body).await {
                Ok(ns) => navigate(
                    &format!(
                        "/tenants/{}/namespaces/{}",
                        api::enc(&tname),
                        api::enc(&ns.name)
                    ),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="ns-create">
            <div class="field">
                <label for="ns-name">{t("ns.name")}</label>
                <input id="ns-name" bind:value=name required aria-invalid=move || name_err().is_some().to_string()/>
                {move || match name_err() { Some(e) => view! { <div class="err">{e}</div> }.into_any(), None => view! { <div class="hint">{t("ns.name.hint")}</div> }.into_any() }}
            </div>
            <h2>{t("ns.quota")}</h2>
            <QuotaEditor rows=quota budget=Some(tenant.budget.clone()) others=others(&tenant.allocated, &ResourceList::new())/>
            <h2 class="mt">{t("ns.limits")}</h2>
            <p class="muted">{t("ns.limits.hint")}</p>
            <LimitsEditor rows=limits/>
            <MaybeError error=error/>
            <div class="actions">
                <button class="primary" type="submit" disabled=move || busy.get() || !ready()>{t("ns.create")}</button>
                <a class="btn" href="/namespaces">{t("common.cancel")}</a>
            </div>
        </form>
    }
}

/// A Kubernetes namespace name (RFC 1123 label).
pub fn valid_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}
