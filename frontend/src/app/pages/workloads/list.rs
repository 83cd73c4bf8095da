//! A kind's list in a namespace (`/ns/:ns/:kind`), live through a watch, with sorting and a
//! text filter; and `/workloads`, which opens the last namespace used (or the first one).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::live::live;
use super::table::{Link, RowsTable, Sort};
use super::{NsHeader, href, route, visible_namespaces};
use crate::app::state::{storage_get, t, tr, trf};
use crate::app::widgets::{Empty, ErrorBox, Loading, load, set_title};
use crate::kinds::Kind;
use crate::rows::{Row, matches, sort_rows};

#[component]
pub fn WorkloadsHome() -> impl IntoView {
    set_title("wl.title");
    let names = LocalResource::new(visible_namespaces);
    load(names, |names: Vec<String>| {
        let last = storage_get("ku8portal.ns").filter(|n| names.contains(n));
        match last.or_else(|| names.first().cloned()) {
            Some(ns) => view! { <Redirect path=format!("/ns/{ns}/pods")/> }.into_any(),
            None => view! { <Empty text=Signal::derive(|| tr("wl.no_namespaces").to_string())/> }
                .into_any(),
        }
    })
}

#[component]
pub fn KindList() -> impl IntoView {
    set_title("wl.title");
    let (ns, kind) = route();
    view! {
        <NsHeader ns=ns kind=Signal::derive(move || Some(kind.get()))/>
        {move || {
            let (ns, kind) = (ns.get(), kind.get());
            view! { <LiveTable ns=ns kind=kind/> }
        }}
    }
}

#[component]
fn LiveTable(ns: String, kind: &'static Kind) -> impl IntoView {
    let list = live(kind.path(&ns, None), kind, false);
    let filter = RwSignal::new(String::new());
    // Events newest first; everything else by name.
    let first = if kind.plural == "events" {
        Sort { col: 0, desc: true }
    } else {
        Sort {
            col: 0,
            desc: false,
        }
    };
    let sort = RwSignal::new(first);
    let total = Memo::new(move |_| list.items.with(|i| i.as_ref().map(|v| v.len())));
    // Loading, empty or rows: the table is made once (a changing count keeps the scroll).
    let state = Memo::new(move |_| total.get().map(|n| n > 0));
    let rows = Memo::new(move |_| {
        let f = filter.get();
        let s = sort.get();
        let mut v: Vec<Arc<Row>> = list.items.with(|i| {
            i.as_ref()
                .map(|all| all.iter().filter(|r| matches(r, &f)).cloned().collect())
                .unwrap_or_default()
        });
        sort_rows(&mut v, s.col, s.desc);
        Arc::new(v)
    });
    let ns2 = ns.clone();
    let link: Link = Arc::new(move |r: &Row| href(&ns2, kind, Some(&r.name)));
    view! {
        <div class="filters">
            <div class="field">
                <label for="wl-filter">{t("wl.filter")}</label>
                <input id="wl-filter" type="search" data-testid="wl-filter" placeholder=t("wl.filter.hint") bind:value=filter/>
            </div>
            <span class="muted live" data-testid="wl-count">{move || match total.get() {
                Some(n) => trf("wl.count", &[("shown", &rows.with(|r| r.len()).to_string()), ("total", &n.to_string())]),
                None => String::new(),
            }}</span>
        </div>
        {move || list.error.get().map(|e| view! { <ErrorBox error=e/> })}
        {move || match state.get() {
            None if list.error.with(Option::is_none) => view! { <Loading/> }.into_any(),
            None => ().into_any(),
            Some(false) => view! { <Empty text=Signal::derive(move || trf("wl.none", &[("kind", tr(super::title(kind)))]))/> }.into_any(),
            Some(true) => view! { <RowsTable kind=kind rows=rows sort=sort link=link.clone()/> }.into_any(),
        }}
    }
}
