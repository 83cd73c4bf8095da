//! Quota requests: the list (filtered by status and tenant from the URL) and the table the
//! overview reuses.

use api_types::portal::QuotaRequest;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::super::api;
use super::super::state::{admins_any, globals, t, tr};
use super::super::widgets::{Empty, StatusBadge, load, set_title, short_time};

const STATUSES: [&str; 4] = ["pending", "approved", "rejected", "cancelled"];

#[component]
pub fn QuotaRequests() -> impl IntoView {
    set_title("nav.quota_requests");
    let query = use_query_map();
    let navigate = use_navigate();
    let status = move || query.get().get("status").unwrap_or_default();
    let data = LocalResource::new(move || {
        let s = status();
        async move {
            let q = if s.is_empty() {
                String::new()
            } else {
                format!("?status={}", api::enc(&s))
            };
            api::get::<Vec<QuotaRequest>>(&format!("/api/v1/quota-requests{q}")).await
        }
    });
    let new_href = move || {
        format!(
            "/quota-requests/new?tenant={}",
            api::enc(&globals().tenant.get().unwrap_or_default())
        )
    };
    view! {
        <div class="pagehead">
            <h1>{t("nav.quota_requests")}</h1>
            <span class="spacer"></span>
            {move || admins_any().then(|| view! { <a class="btn primary" href=new_href>{t("qr.new")}</a> })}
        </div>
        <div class="filters">
            <div class="field">
                <label for="qr-status">{t("common.state")}</label>
                <select id="qr-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    navigate(&if v.is_empty() { "/quota-requests".to_string() } else { format!("/quota-requests?status={v}") }, Default::default());
                }>
                    <option value="" selected=move || status().is_empty()>{t("common.all")}</option>
                    {STATUSES.into_iter().map(|s| view! { <option value=s selected=move || status() == s>{t(status_key(s))}</option> }).collect_view()}
                </select>
            </div>
        </div>
        {load(data, |items: Vec<QuotaRequest>| view! { <RequestTable items=items/> })}
    }
}

pub fn status_key(s: &str) -> &'static str {
    match s {
        "pending" => "qr.status.pending",
        "approved" => "qr.status.approved",
        "rejected" => "qr.status.rejected",
        _ => "qr.status.cancelled",
    }
}

/// A compact list of `resource=value` pairs.
pub fn pairs(list: &api_types::quota::ResourceList) -> String {
    list.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn RequestTable(items: Vec<QuotaRequest>) -> impl IntoView {
    if items.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("qr.none").to_string())/> }.into_any();
    }
    let rows = items.into_iter().map(|r| view! {
        <tr data-request=r.id.clone()>
            <td><a href=format!("/quota-requests/{}", r.id)>{short_time(&r.created_at)}</a></td>
            <td>{r.tenant.clone()}</td>
            <td>{match r.namespace.clone() { Some(n) => view! { <span>{n}</span> }.into_any(), None => view! { <span class="muted">{t("qr.budget")}</span> }.into_any() }}</td>
            <td class="mono">{pairs(&r.requested)}</td>
            <td>{r.requester.clone()}</td>
            <td><StatusBadge status=r.status.clone()/></td>
        </tr>
    }).collect_view();
    view! {
        <div class="table-wrap"><table>
            <thead><tr><th>{t("common.created")}</th><th>{t("common.tenant")}</th><th>{t("qr.target")}</th>
                <th>{t("qr.requested")}</th><th>{t("qr.requester")}</th><th>{t("common.state")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }.into_any()
}
