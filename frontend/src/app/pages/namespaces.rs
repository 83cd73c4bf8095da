//! Namespaces ("resource partitions"): every namespace the caller can see with hard/used bars
//! per resource and the sync state, filtered by tenant and sync state from the URL.

use api_types::portal::{Namespace, NamespaceUsage, TenantUsage};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::super::api::{self, ApiResult};
use super::super::state::{can_admin, t, tr};
use super::super::widgets::{Bar, Empty, SyncBadge, load, set_title, short_time};
use crate::quota_form::{human, ratio};

/// The resources the table's bars show.
const BARS: [&str; 3] = ["requests.cpu", "requests.memory", "pods"];

#[component]
pub fn Namespaces() -> impl IntoView {
    set_title("nav.namespaces");
    let query = use_query_map();
    let navigate = use_navigate();
    let tenant = move || query.get().get("tenant").unwrap_or_default();
    let only_out = move || query.get().get("sync").as_deref() == Some("out");
    let data = LocalResource::new(load_all);
    let set_filter = move |tenant: String, out: bool| {
        let mut q = Vec::new();
        if !tenant.is_empty() {
            q.push(format!("tenant={}", api::enc(&tenant)));
        }
        if out {
            q.push("sync=out".to_string());
        }
        let qs = if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        };
        navigate(&format!("/namespaces{qs}"), Default::default());
    };
    let set_filter2 = set_filter.clone();
    view! {
        <div class="pagehead">
            <h1>{t("nav.namespaces")}</h1>
            <span class="spacer"></span>
            {move || { let tn = tenant(); (!tn.is_empty() && can_admin(&tn)).then(|| view! {
                <a class="btn primary" href=format!("/tenants/{}/namespaces/new", api::enc(&tn))>{t("ns.create")}</a>
            })}}
        </div>
        {load(data, move |(list, usage): (Vec<Namespace>, Vec<NamespaceUsage>)| {
            let mut tenants: Vec<String> = list.iter().map(|n| n.tenant.clone()).collect();
            tenants.dedup();
            tenants.sort();
            tenants.dedup();
            let set_filter = set_filter.clone();
            let set_filter2 = set_filter2.clone();
            let shown = move || list.iter().filter(|n| (tenant().is_empty() || n.tenant == tenant()) && (!only_out() || n.sync_state != "in-sync")).cloned().collect::<Vec<_>>();
            view! {
                <div class="filters">
                    <div class="field">
                        <label for="ns-tenant">{t("common.tenant")}</label>
                        <select id="ns-tenant" on:change=move |ev| set_filter(event_target_value(&ev), only_out())>
                            <option value="" selected=move || tenant().is_empty()>{t("common.all")}</option>
                            {tenants.into_iter().map(|tn| { let v = tn.clone(); view! { <option value=tn.clone() selected=move || tenant() == v>{tn.clone()}</option> } }).collect_view()}
                        </select>
                    </div>
                    <label><input type="checkbox" prop:checked=only_out on:change=move |ev| set_filter2(tenant(), event_target_checked(&ev))/>" "{t("ns.only_out")}</label>
                </div>
                {move || view! { <NamespaceTable items=shown() usage=usage.clone()/> }}
            }
        })}
    }
}

async fn load_all() -> ApiResult<(Vec<Namespace>, Vec<NamespaceUsage>)> {
    let list: Vec<Namespace> = api::get("/api/v1/namespaces").await?;
    let mut tenants: Vec<&str> = list.iter().map(|n| n.tenant.as_str()).collect();
    tenants.sort();
    tenants.dedup();
    let calls = tenants.iter().map(|t| async move {
        api::get::<TenantUsage>(&format!("/api/v1/tenants/{}/usage", api::enc(t))).await
    });
    let mut usage = Vec::new();
    for u in in_turn(calls).await {
        usage.extend(u?.namespaces);
    }
    Ok((list, usage))
}

async fn in_turn<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    for f in futs {
        out.push(f.await);
    }
    out
}

/// Namespaces with sync state and used/hard bars.
#[component]
pub fn NamespaceTable(items: Vec<Namespace>, usage: Vec<NamespaceUsage>) -> impl IntoView {
    if items.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("ns.none").to_string())/> }.into_any();
    }
    let rows = items.into_iter().map(|n| {
        let u = usage.iter().find(|u| u.namespace == n.name);
        let bars = BARS.iter().map(|r| {
            let used = u.and_then(|u| u.used.get(*r)).map(String::as_str);
            let hard = n.quota.get(*r).map(String::as_str);
            let label = format!("{} / {}", human(r, used.unwrap_or("0")), hard.map_or("—".to_string(), |h| human(r, h)));
            view! { <div class="row" title=label.clone()><span>{r.trim_start_matches("requests.")}</span><Bar ratio=ratio(used, hard)/><span class="nums">{label.clone()}</span></div> }
        }).collect_view();
        let href = format!("/tenants/{}/namespaces/{}", api::enc(&n.tenant), api::enc(&n.name));
        view! {
            <tr data-namespace=n.name.clone()>
                <td><a href=href>{n.name.clone()}</a></td>
                <td>{n.tenant.clone()}</td>
                <td><SyncBadge state=n.sync_state.clone() message=n.sync_message.clone()/></td>
                <td><div class="minibars">{bars}</div></td>
                <td class="muted">{short_time(&n.created_at)}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <div class="table-wrap"><table>
            <thead><tr>
                <th>{t("common.name")}</th><th>{t("common.tenant")}</th><th>{t("ns.sync")}</th>
                <th>{t("ns.used_hard")}</th><th>{t("common.created")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}
