//! A resource's objects (`/explorer/<group>/<version>/<resource>?ns=`: name, namespace, age;
//! namespaced resources in one of the caller's namespaces or all of them) and one object as
//! YAML (`.../<name>?ns=`), read through the proxy: a refusal is its `Status` message.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::Value;

use super::super::workloads::{Yaml, ns_options};
use super::{Groups, query_ns};
use crate::apis::{self, Res, group_of, href, label, proxy_path};
use crate::app::k8s;
use crate::app::state::{t, tr, trf};
use crate::app::widgets::{Empty, ErrorBox, Loading, load};
use crate::html::{esc, link, table};
use crate::rows::age;

/// The group, version and resource of the URL.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    group: String,
    version: String,
    plural: String,
}

fn target() -> Memo<Target> {
    let p = use_params_map();
    Memo::new(move |_| {
        let p = p.get();
        let get = |k: &str| p.get(k).unwrap_or_default();
        Target {
            group: group_of(&get("group")),
            version: get("version"),
            plural: get("resource"),
        }
    })
}

/// `/explorer/<group>/<version>/<resource>`: the resource's objects, once discovery knows it.
#[component]
pub fn ExplorerObjects() -> impl IntoView {
    let groups = expect_context::<Groups>();
    let tgt = target();
    let ns = query_ns();
    move || {
        let (tg, ns) = (tgt.get(), ns.get());
        match groups.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(all)) => match apis::find(&all, &tg.group, &tg.version, &tg.plural) {
                Some(r) => view! { <List tg=tg.clone() res=r.clone() ns=ns/> }.into_any(),
                None => view! { <Empty text=Signal::derive(|| tr("ex.not_served").to_string())/> }
                    .into_any(),
            },
        }
    }
}

async fn namespaces() -> Vec<String> {
    let list = k8s::get("/k8s/api/v1/namespaces").await.unwrap_or_default();
    apis::items(&list).into_iter().map(|i| i.name).collect()
}

#[component]
fn List(tg: Target, res: Res, ns: String) -> impl IntoView {
    let ns = if res.namespaced { ns } else { String::new() };
    let path = proxy_path(&tg.group, &tg.version, &tg.plural, &ns, None);
    let list = LocalResource::new(move || {
        let path = path.clone();
        async move { k8s::get(&path).await }
    });
    let names = LocalResource::new(namespaces);
    let navigate = use_navigate();
    let tg2 = tg.clone();
    let switch = move |ev| {
        let v = event_target_value(&ev);
        navigate(
            &href(&tg2.group, &tg2.version, &tg2.plural, &v, None),
            Default::default(),
        );
    };
    let current = ns.clone();
    let picker = res.namespaced.then(|| {
        view! {
            <label for="ex-ns" class="sr-only">{t("wl.namespace")}</label>
            <select id="ex-ns" data-testid="ex-ns" on:change=switch>
                <option value="" selected=current.is_empty()>{t("ex.all_ns")}</option>
                {move || ns_options(names.get().unwrap_or_default(), &current)}
            </select>
        }
    });
    let scope = if res.namespaced {
        "ex.namespaced"
    } else {
        "ex.cluster"
    };
    let gv = format!("{}/{}", label(&tg.group), tg.version);
    let namespaced = res.namespaced;
    view! {
        <div class="pagehead ex-head">
            <h2 data-testid="ex-kind">{res.kind.clone()}</h2>
            <span class="muted">{gv}" · "{res.plural.clone()}" · "{t(scope)}</span>
            <span class="spacer"></span>
            {picker}
            <button class="btn" on:click=move |_| list.refetch()>{t("ex.reload")}</button>
        </div>
        {load(list, move |v: Value| rows(&tg, namespaced, &v))}
    }
}

/// The objects as a table of links (or the empty state).
fn rows(tg: &Target, namespaced: bool, list: &Value) -> AnyView {
    let items = apis::items(list);
    if items.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("ex.empty").to_string())/> }.into_any();
    }
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut head = vec![tr("wl.col.name")];
    if namespaced {
        head.push(tr("wl.namespace"));
    }
    head.push(tr("ex.age"));
    let body: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let h = href(
                &tg.group,
                &tg.version,
                &tg.plural,
                &i.namespace,
                Some(&i.name),
            );
            let mut r = vec![link(&h, &i.name)];
            if namespaced {
                r.push(esc(&i.namespace));
            }
            r.push(esc(&age(&i.created, now)));
            r
        })
        .collect();
    let count = trf("ex.count", &[("n", &items.len().to_string())]);
    view! {
        <p class="muted" data-testid="ex-count">{count}</p>
        <div data-testid="ex-objects" inner_html=table(&head, &body)></div>
    }
    .into_any()
}

/// `/explorer/<group>/<version>/<resource>/<name>?ns=`: one object's YAML.
#[component]
pub fn ExplorerObject() -> impl IntoView {
    let tgt = target();
    let ns = query_ns();
    let p = use_params_map();
    let name = Memo::new(move |_| p.get().get("name").unwrap_or_default());
    move || view! { <Object tg=tgt.get() ns=ns.get() name=name.get()/> }
}

#[component]
fn Object(tg: Target, ns: String, name: String) -> impl IntoView {
    let path = proxy_path(&tg.group, &tg.version, &tg.plural, &ns, Some(&name));
    let res = LocalResource::new(move || {
        let path = path.clone();
        async move { k8s::get(&path).await }
    });
    let obj = Memo::new(move |_| res.get().and_then(Result::ok).map(Arc::new));
    let secret = tg.group.is_empty() && tg.plural == "secrets";
    let back = href(&tg.group, &tg.version, &tg.plural, &ns, None);
    view! {
        <div class="crumbs"><a href=back>{tg.plural.clone()}</a>" / "{name.clone()}</div>
        {move || match res.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(v)) => {
                let kind = v["kind"].as_str().unwrap_or_default().to_string();
                let where_ = v["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
                view! {
                    <div class="pagehead">
                        <h2 class="objname" data-testid="ex-obj">{kind}" "{name.clone()}</h2>
                        <span class="muted">{where_}</span>
                    </div>
                    <Yaml obj=obj secret=secret open=true/>
                }.into_any()
            }
        }}
    }
}
