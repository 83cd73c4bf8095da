//! Small building blocks every page uses: loading and empty states, the error box with the
//! server's message, usage bars, sync-state badges, page headers.

use api_types::quota::ResourceList;
use leptos::prelude::*;

use super::api::ApiError;
use super::state::{t, tr};
use crate::quota_form;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="loading" role="status">{t("common.loading")}</div> }
}

#[component]
pub fn Empty(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="empty">{text}</div> }
}

/// The server's message (and its field details) where the error happened.
#[component]
pub fn ErrorBox(error: ApiError) -> impl IntoView {
    let details = error.details.clone();
    view! {
        <div class="alert error" role="alert">
            <strong>{error.message.clone()}</strong>
            {(!details.is_empty()).then(|| view! {
                <ul>{details.into_iter().map(|d| view! { <li><code>{d.field}</code>": "{d.message}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

/// An optional error signal, shown when set.
#[component]
pub fn MaybeError(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <ErrorBox error=e/> })
}

/// A horizontal bar for `used` of `hard`.
#[component]
pub fn Bar(ratio: Option<f64>) -> impl IntoView {
    let r = ratio.unwrap_or(0.0);
    let class = crate::html::bar_class(r);
    let pct = format!("{:.1}%", r * 100.0);
    let label = format!("{:.0}%", r * 100.0);
    view! {
        <div class=class role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{:.0}", r * 100.0) aria-label=label>
            <span style:width=pct></span>
        </div>
    }
}

/// One row per resource: name, bar, `used / hard`.
#[component]
pub fn UsageGrid(
    used: ResourceList,
    hard: ResourceList,
    /// Only these resources (in this order); all of `hard` when empty.
    #[prop(optional)]
    only: Vec<&'static str>,
) -> impl IntoView {
    let names: Vec<String> = if only.is_empty() {
        // Resources with a zero limit and nothing used are noise here.
        let zero = |l: &ResourceList, n: &str| {
            l.get(n)
                .is_none_or(|v| quota_form::ratio(Some(v), Some("1")) == Some(0.0))
        };
        quota_form::resources([&hard])
            .into_iter()
            .filter(|n| hard.contains_key(n) && !(zero(&hard, n) && zero(&used, n)))
            .collect()
    } else {
        only.iter().map(|s| s.to_string()).collect()
    };
    let rows = names
        .into_iter()
        .map(|name| {
            let u = quota_form::human(&name, used.get(&name).map_or("0", |s| s));
            let h = hard
                .get(&name)
                .map_or_else(|| "—".into(), |h| quota_form::human(&name, h));
            let r = quota_form::ratio(Some(&u), hard.get(&name).map(String::as_str));
            view! {
                <div class="name">{name}</div>
                <Bar ratio=r/>
                <div class="nums">{u}" / "{h}</div>
            }
        })
        .collect_view();
    view! { <div class="usage">{rows}</div> }
}

/// The sync state of a namespace as a badge (with the reconciler's message as a tooltip).
#[component]
pub fn SyncBadge(state: String, #[prop(optional)] message: String) -> impl IntoView {
    let class = match state.as_str() {
        "in-sync" => "badge ok",
        "failed" => "badge bad",
        "pending" | "deleting" => "badge warn",
        _ => "badge",
    };
    let key = match state.as_str() {
        "in-sync" => "sync.in-sync",
        "failed" => "sync.failed",
        "pending" => "sync.pending",
        "deleting" => "sync.deleting",
        "removed" => "sync.removed",
        _ => "sync.unknown",
    };
    view! { <span class=class title=message data-state=state>{t(key)}</span> }
}

/// A quota request's status as a badge.
#[component]
pub fn StatusBadge(status: String) -> impl IntoView {
    let (class, key) = match status.as_str() {
        "pending" => ("badge warn", "qr.status.pending"),
        "approved" => ("badge ok", "qr.status.approved"),
        "rejected" => ("badge bad", "qr.status.rejected"),
        _ => ("badge", "qr.status.cancelled"),
    };
    view! { <span class=class data-status=status>{t(key)}</span> }
}

/// A time from the API, shortened for tables (`2025-01-02 03:04`).
pub fn short_time(rfc3339: &str) -> String {
    let s = rfc3339.replace('T', " ");
    s.get(..16).unwrap_or(&s).to_string()
}

/// The document title: `page · ku8portal`.
pub fn set_title(key: &'static str) {
    Effect::new(move || {
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&format!("{} · ku8portal", tr(key)));
        }
    });
}

/// Renders a loading resource: the spinner, the error, or `f(value)`.
pub fn load<T, V>(
    res: LocalResource<super::api::ApiResult<T>>,
    f: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match res.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(v)) => f(v).into_any(),
    }
}
