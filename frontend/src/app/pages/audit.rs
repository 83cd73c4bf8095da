//! The audit log: filters (user, tenant, action, time) and paging, all in the URL.

use api_types::portal::AuditPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::super::api;
use super::super::state::{t, tr};
use super::super::widgets::{Empty, load, set_title, short_time};

const FILTERS: [(&str, &str); 5] = [
    ("user", "audit.user"),
    ("tenant", "common.tenant"),
    ("action", "audit.action"),
    ("since", "audit.since"),
    ("until", "audit.until"),
];

#[component]
pub fn Audit() -> impl IntoView {
    set_title("nav.audit");
    let query = use_query_map();
    let navigate = use_navigate();
    let qs = move || {
        let q = query.get();
        let mut parts = Vec::new();
        for key in ["user", "tenant", "action", "since", "until", "before"] {
            if let Some(v) = q.get(key).filter(|v| !v.is_empty()) {
                parts.push(format!("{key}={}", api::enc(&v)));
            }
        }
        parts.join("&")
    };
    let data = LocalResource::new(move || {
        let q = qs();
        async move { api::get::<AuditPage>(&format!("/api/v1/audit?limit=50&{q}")).await }
    });
    let inputs: Vec<(&str, &str, RwSignal<String>)> = FILTERS
        .iter()
        .map(|(k, label)| {
            (
                *k,
                *label,
                RwSignal::new(query.get_untracked().get(k).unwrap_or_default()),
            )
        })
        .collect();
    let inputs2 = inputs.clone();
    let nav2 = navigate.clone();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q: Vec<String> = inputs2
            .iter()
            .filter(|(_, _, v)| !v.get_untracked().trim().is_empty())
            .map(|(k, _, v)| format!("{k}={}", api::enc(v.get_untracked().trim())))
            .collect();
        nav2(&format!("/audit?{}", q.join("&")), Default::default());
    };
    view! {
        <h1>{t("nav.audit")}</h1>
        <form class="filters" on:submit=apply>
            {inputs.into_iter().map(|(k, label, v)| view! {
                <div class="field"><label for=format!("audit-{k}")>{t(label)}</label>
                    <input id=format!("audit-{k}") bind:value=v placeholder=if k == "since" || k == "until" { "2025-01-31T00:00:00Z" } else { "" }/></div>
            }).collect_view()}
            <div class="field"><button class="primary" type="submit">{t("common.filter")}</button></div>
        </form>
        {load(data, move |page: AuditPage| {
            let navigate = navigate.clone();
            if page.events.is_empty() {
                return view! { <Empty text=Signal::derive(|| tr("audit.none").to_string())/> }.into_any();
            }
            let next = page.next;
            view! {
                <div class="table-wrap"><table data-testid="audit-table">
                    <thead><tr><th>{t("audit.when")}</th><th>{t("audit.user")}</th><th>{t("common.tenant")}</th><th>{t("audit.action")}</th><th>{t("audit.target")}</th><th>{t("audit.result")}</th></tr></thead>
                    <tbody>{page.events.into_iter().map(|e| {
                        let ok = e.result == "ok" || e.result == "success";
                        let detail = serde_json::to_string_pretty(&e.detail).unwrap_or_default();
                        view! { <tr>
                            <td class="muted nowrap" title=e.at.clone()>{short_time(&e.at)}</td>
                            <td>{e.actor.clone()}</td>
                            <td>{e.tenant.clone().unwrap_or_default()}</td>
                            <td class="mono nowrap">{e.action.clone()}</td>
                            <td class="mono">{e.target.clone()}
                                {(detail != "null" && detail != "{}").then(|| view! { <details class="json"><summary>{t("audit.detail")}</summary><pre>{detail}</pre></details> })}</td>
                            <td><span class=if ok { "badge ok" } else { "badge bad wrap" } title=e.request_id.clone()>{e.result.clone()}</span></td>
                        </tr> }
                    }).collect_view()}</tbody>
                </table></div>
                {next.map(|n| view! {
                    <button on:click=move |_| {
                        let href = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
                        let rest: Vec<&str> = href.trim_start_matches('?').split('&').filter(|p| !p.is_empty() && !p.starts_with("before=")).collect();
                        let mut q = rest.join("&");
                        if !q.is_empty() { q.push('&'); }
                        navigate(&format!("/audit?{q}before={n}"), Default::default());
                    }>{t("audit.older")}</button>
                })}
            }.into_any()
        })}
    }
}
