//! A resource's objects (name, namespace, age; namespaced resources in one of the caller's
//! namespaces or all of them) and one object as YAML, read through the proxy: a refusal is its
//! `Status` message, shown in place.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

use super::super::workloads::{Yaml, ns_options, visible_namespaces};
use crate::apis::{self, Res, Sel, href, label, proxy_path};
use crate::app::k8s;
use crate::app::state::{t, tr, trf};
use crate::app::widgets::{Empty, load};
use crate::html::{esc, link, table};

/// `GET path` through the proxy as `accept`, as a resource of the page.
fn fetch(path: String, accept: &'static str) -> LocalResource<crate::app::api::ApiResult<Value>> {
    LocalResource::new(move || {
        let path = path.clone();
        async move { k8s::get_as(&path, accept).await }
    })
}

/// The objects of `res` (in `sel.ns`, or all the caller's namespaces when it is empty).
pub fn list(sel: Sel, res: Res) -> AnyView {
    let ns = if res.namespaced {
        sel.ns.clone()
    } else {
        String::new()
    };
    let list = fetch(
        proxy_path(&sel.group, &sel.version, &sel.plural, &ns, None),
        apis::TABLE,
    );
    let picker = res.namespaced.then(|| {
        let names = LocalResource::new(visible_namespaces);
        let navigate = use_navigate();
        let s = sel.clone();
        let switch = move |ev| {
            let v = event_target_value(&ev);
            navigate(
                &href(&s.group, &s.version, &s.plural, &v, None),
                Default::default(),
            );
        };
        let current = ns.clone();
        view! {
            <label for="ex-ns" class="sr-only">{t("wl.namespace")}</label>
            <select id="ex-ns" data-testid="ex-ns" on:change=switch>
                <option value="" selected=current.is_empty()>{t("ex.all_ns")}</option>
                {move || ns_options(names.get().and_then(Result::ok).unwrap_or_default(), &current)}
            </select>
        }
    });
    let scope = if res.namespaced {
        "ex.namespaced"
    } else {
        "ex.cluster"
    };
    let about = format!("{}/{} · {}", label(&sel.group), sel.version, res.plural);
    let namespaced = res.namespaced;
    view! {
        <div class="pagehead ex-head">
            <h2 data-testid="ex-kind">{res.kind}</h2>
            <span class="muted">{about}" · "{t(scope)}</span>
            <span class="spacer"></span>
            {picker}
            <button class="btn" on:click=move |_| list.refetch()>{t("ex.reload")}</button>
        </div>
        {load(list, move |v: Value| rows(&sel, namespaced, &v))}
    }
    .into_any()
}

/// The objects as a table of links with the server's columns (or the empty state).
fn rows(sel: &Sel, namespaced: bool, answer: &Value) -> AnyView {
    let listing = apis::listing(answer);
    if listing.rows.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("ex.empty").to_string())/> }.into_any();
    }
    let mut head = vec![tr("wl.col.name")];
    if namespaced {
        head.push(tr("wl.namespace"));
    }
    // The columns every resource has are translated; the others are the cluster's words.
    head.extend(listing.head.iter().map(|c| match c.as_str() {
        "Age" => tr("ex.age"),
        "Created At" => tr("ex.created_at"),
        other => other,
    }));
    let body: Vec<Vec<String>> = listing
        .rows
        .iter()
        .map(|(name, ns, cells)| {
            let h = href(&sel.group, &sel.version, &sel.plural, ns, Some(name));
            let mut r = vec![link(&h, name)];
            if namespaced {
                r.push(esc(ns));
            }
            r.extend(cells.iter().map(|c| esc(c)));
            r
        })
        .collect();
    let count = trf("ex.count", &[("n", &listing.rows.len().to_string())]);
    view! {
        <p class="muted" data-testid="ex-count">{count}</p>
        <div data-testid="ex-objects" inner_html=table(&head, &body)></div>
    }
    .into_any()
}

/// One object (`sel.name` in `sel.ns`) as YAML.
pub fn object(sel: Sel) -> AnyView {
    let path = proxy_path(
        &sel.group,
        &sel.version,
        &sel.plural,
        &sel.ns,
        Some(&sel.name),
    );
    let res = fetch(path, "application/json");
    let obj = Memo::new(move |_| res.get().and_then(Result::ok).map(Arc::new));
    let secret = sel.group.is_empty() && sel.plural == "secrets";
    let back = href(&sel.group, &sel.version, &sel.plural, &sel.ns, None);
    let name = sel.name.clone();
    view! {
        <div class="crumbs"><a href=back>{sel.plural}</a>" / "{sel.name}</div>
        {load(res, move |v: Value| {
            let kind = v["kind"].as_str().unwrap_or_default().to_string();
            let ns = v["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
            view! {
                <div class="pagehead">
                    <h2 class="objname" data-testid="ex-obj">{kind}" "{name.clone()}</h2>
                    <span class="muted">{ns}</span>
                </div>
                <Yaml obj=obj secret=secret open=true/>
            }
        })}
    }
    .into_any()
}
