//! Workloads in a namespace through the Kubernetes proxy: the namespace switcher and kind tabs
//! (this file), live lists, object details with actions, pod logs and create from YAML.

mod actions;
mod create;
mod detail;
mod editor;
mod list;
mod live;
mod logs;
mod table;

pub use create::CreateFromYaml;
pub use detail::{ObjectPage, Yaml};
pub use list::{KindList, WorkloadsHome};
pub use logs::PodLogs;

use api_types::portal::Namespace;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::super::api;
use super::super::state::{storage_set, t};
use crate::kinds::{KINDS, Kind, by_plural};

/// The `:ns` and `:kind` of the URL (`pods` when the kind is unknown).
pub fn route() -> (Memo<String>, Memo<&'static Kind>) {
    let params = use_params_map();
    let ns = Memo::new(move |_| params.get().get("ns").unwrap_or_default());
    let kind = Memo::new(move |_| {
        params
            .get()
            .get("kind")
            .and_then(|k| by_plural(&k))
            .unwrap_or(&KINDS[0])
    });
    (ns, kind)
}

/// `/ns/<ns>/<plural>[/<name>]` in the web app.
pub fn href(ns: &str, kind: &Kind, name: Option<&str>) -> String {
    let mut h = format!("/ns/{}/{}", api::enc(ns), kind.plural);
    if let Some(n) = name {
        h.push('/');
        h.push_str(&api::enc(n));
    }
    h
}

/// The namespaces the caller may see (the portal's list, without removed ones).
pub async fn visible_namespaces() -> api::ApiResult<Vec<String>> {
    let list: Vec<Namespace> = api::get("/api/v1/namespaces").await?;
    let mut names: Vec<String> = list
        .into_iter()
        .filter(|n| n.sync_state != "removed")
        .map(|n| n.name)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The namespace switcher and the kind tabs above every workload page.
#[component]
pub fn NsHeader(
    ns: Memo<String>,
    /// The kind whose tab is marked (none on the create page).
    #[prop(into)]
    kind: Signal<Option<&'static Kind>>,
) -> impl IntoView {
    let names = LocalResource::new(visible_namespaces);
    let navigate = use_navigate();
    Effect::new(move || storage_set("ku8portal.ns", &ns.get()));
    let switch = move |ev| {
        let v = event_target_value(&ev);
        navigate(
            &href(&v, kind.get_untracked().unwrap_or(&KINDS[0]), None),
            Default::default(),
        );
    };
    view! {
        <div class="pagehead">
            <h1>{t("wl.title")}</h1>
            <label for="ns-switch" class="sr-only">{t("wl.namespace")}</label>
            <select id="ns-switch" data-testid="ns-switch" on:change=switch>
                {move || ns_options(names.get().and_then(Result::ok).unwrap_or_default(), &ns.get())}
            </select>
            <span class="spacer"></span>
            <a class="btn primary" data-testid="create-yaml" href=move || format!("/ns/{}/create", api::enc(&ns.get()))>{t("wl.create")}</a>
        </div>
        <nav class="kindtabs" aria-label=t("wl.kinds")>
            {KINDS.iter().map(|k| {
                let cur = move || if kind.get() == Some(k) { "page" } else { "false" };
                view! { <a href=move || href(&ns.get(), k, None) aria-current=cur>{t(title(k))}</a> }
            }).collect_view()}
        </nav>
    }
}

/// The `<option>`s of a namespace switcher, `current` selected (and listed even when the
/// caller cannot see it, so that the page says where it is).
pub fn ns_options(mut list: Vec<String>, current: &str) -> impl IntoView + use<> {
    if !current.is_empty() && !list.iter().any(|n| n == current) {
        list.insert(0, current.to_string());
    }
    let current = current.to_string();
    list.into_iter()
        .map(|n| {
            let sel = n == current;
            view! { <option value=n.clone() selected=sel>{n.clone()}</option> }
        })
        .collect_view()
}

/// The translation key of a kind's title (static, for `tr`).
pub fn title(k: &Kind) -> &'static str {
    crate::i18n::workloads::kind_title(k.plural)
}
