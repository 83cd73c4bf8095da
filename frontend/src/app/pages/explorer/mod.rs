//! The API explorer (one route, `/explorer/*`: `/explorer`, `/explorer/<group>/<version>/<resource>`,
//! `.../<name>`, with `?ns=`): the cluster's groups, versions and resources from aggregated
//! discovery through the proxy (the tree, `tree`), a resource's objects and one object's YAML
//! (`objects`). Discovery is loaded once while the page stays open.

mod objects;
mod tree;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use serde_json::Value;

use super::super::api::ApiResult;
use super::super::k8s;
use super::super::state::{t, tr};
use super::super::widgets::{Empty, ErrorBox, Loading, set_title};
use crate::apis::{self, AGGREGATED, Group, Sel};

/// The aggregated discovery documents (core first), read with [`groups`].
type Docs = LocalResource<ApiResult<Value>>;

async fn discover() -> ApiResult<Value> {
    let core = k8s::get_as("/k8s/api", AGGREGATED).await?;
    let named = k8s::get_as("/k8s/apis", AGGREGATED).await?;
    Ok(Value::Array(vec![core, named]))
}

/// The served groups of the loaded documents.
fn groups(docs: &Value) -> Vec<Group> {
    docs.as_array()
        .into_iter()
        .flatten()
        .flat_map(apis::parse)
        .collect()
}

#[component]
pub fn Explorer() -> impl IntoView {
    set_title("ex.title");
    let docs: Docs = LocalResource::new(discover);
    let path = use_location().pathname;
    let query = use_query_map();
    let sel = Memo::new(move |_| {
        let mut s = apis::selection(&path.get());
        s.ns = query.get().get("ns").unwrap_or_default();
        s
    });
    view! {
        <div class="pagehead"><h1>{t("ex.title")}</h1></div>
        <div class="explorer">
            <tree::Tree docs=docs sel=sel/>
            <section class="explorer-main">{move || main(docs, sel.get())}</section>
        </div>
    }
}

/// The right-hand side: what to do, the resource's objects or one object.
fn main(docs: Docs, sel: Sel) -> AnyView {
    if sel.plural.is_empty() {
        return view! { <p class="empty" data-testid="ex-pick">{t("ex.pick")}</p> }.into_any();
    }
    match docs.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(d)) => match apis::find(&groups(&d), &sel.group, &sel.version, &sel.plural) {
            None => view! { <Empty text=Signal::derive(|| tr("ex.not_served").to_string())/> }
                .into_any(),
            Some(r) if sel.name.is_empty() => objects::list(sel, r.clone()),
            Some(_) => objects::object(sel),
        },
    }
}
