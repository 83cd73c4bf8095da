//! Pod logs (`/ns/:ns/pods/:name/logs`): container choice, the last N lines, follow (the log
//! streamed as it is written), search with highlighted matches, download as a file.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::{NsHeader, href};
use crate::app::k8s::{self, Aborter};
use crate::app::state::t;
use crate::app::widgets::{ErrorBox, set_title};
use crate::html::esc;
use crate::kinds::{KINDS, enc};

/// Lines kept in the page (older ones are dropped while following).
const KEEP: usize = 5000;

#[component]
pub fn PodLogs() -> impl IntoView {
    set_title("wl.logs");
    let params = use_params_map();
    let ns = Memo::new(move |_| params.get().get("ns").unwrap_or_default());
    let name = Memo::new(move |_| params.get().get("name").unwrap_or_default());
    let pod = LocalResource::new(move || {
        let path = format!(
            "/k8s/api/v1/namespaces/{}/pods/{}",
            enc(&ns.get()),
            enc(&name.get())
        );
        async move { k8s::get(&path).await }
    });
    let container = RwSignal::new(String::new());
    let tail = RwSignal::new(String::from("500"));
    let follow = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let lines = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None);
    let aborter = Aborter::new();
    let containers = move || {
        pod.get()
            .and_then(Result::ok)
            .map(|p: Value| {
                p["spec"]["containers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["name"].as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // (Re)load whenever the pod, container, tail or follow change.
    Effect::new(move || {
        let list = containers();
        let c = container.get();
        let c = if list.contains(&c) {
            c
        } else {
            list.first().cloned().unwrap_or_default()
        };
        if c.is_empty() {
            return;
        }
        let tail_n: u32 = tail.get().trim().parse().unwrap_or(500);
        let path = format!(
            "/k8s/api/v1/namespaces/{}/pods/{}/log?container={}&tailLines={tail_n}{}",
            enc(&ns.get()),
            enc(&name.get()),
            enc(&c),
            if follow.get() { "&follow=true" } else { "" }
        );
        lines.set(Vec::new());
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = k8s::stream_lines(&path, aborter, |new| {
                lines
                    .try_update(|l| {
                        l.extend(new);
                        let extra = l.len().saturating_sub(KEEP);
                        l.drain(..extra);
                    })
                    .is_some()
            })
            .await;
            if let Err(e) = r
                && !aborter.aborted()
            {
                error.try_set(Some(e));
            }
        });
    });
    let shown = move || {
        let q = search.get().to_lowercase();
        let mut out = String::new();
        lines.with(|l| l.iter().for_each(|line| highlight(line, &q, &mut out)));
        out
    };
    let matches = move || {
        let q = search.get().to_lowercase();
        (!q.is_empty())
            .then(|| lines.with(|l| l.iter().filter(|x| x.to_lowercase().contains(&q)).count()))
    };
    view! {
        <NsHeader ns=ns kind=Signal::derive(|| Some(&KINDS[0]))/>
        <div class="crumbs"><a href=move || href(&ns.get(), &KINDS[0], None)>{t("wl.kind.pods")}</a>" / "
            <a href=move || href(&ns.get(), &KINDS[0], Some(&name.get()))>{name}</a>" / "{t("wl.logs")}</div>
        <div class="filters logbar">
            <div class="field"><label for="log-container">{t("wl.container")}</label>
                <select id="log-container" data-testid="log-container" on:change=move |ev| container.set(event_target_value(&ev))>
                    {move || containers().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select></div>
            <div class="field"><label for="log-tail">{t("wl.tail")}</label><input id="log-tail" type="number" min="1" bind:value=tail/></div>
            <label class="check"><input type="checkbox" data-testid="log-follow" bind:checked=follow/>{t("wl.follow")}</label>
            <div class="field"><label for="log-search">{t("wl.search")}</label><input id="log-search" type="search" data-testid="log-search" bind:value=search/></div>
            <span class="muted">{move || matches().map(|n| format!("{n} ✓"))}</span>
            <span class="spacer"></span>
            <button on:click=move |_| download(&format!("{}.log", name.get_untracked()), &lines.with_untracked(|l| l.join("\n"))) data-testid="log-download">{t("wl.download")}</button>
        </div>
        {move || pod.get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
        {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        <pre class="logs" data-testid="logs" aria-label=t("wl.logs") inner_html=shown></pre>
    }
}

/// One log line as HTML, the matches of `q` (lower case) marked.
fn highlight(line: &str, q: &str, out: &mut String) {
    let lower = line.to_lowercase();
    out.push_str("<div>");
    if q.is_empty() || lower.len() != line.len() || !lower.contains(q) {
        out.push_str(&esc(line));
    } else {
        let mut at = 0;
        while let Some(i) = lower[at..].find(q) {
            let start = at + i;
            out.push_str(&esc(&line[at..start]));
            out.push_str("<mark>");
            out.push_str(&esc(&line[start..start + q.len()]));
            out.push_str("</mark>");
            at = start + q.len();
        }
        out.push_str(&esc(&line[at..]));
    }
    out.push_str("</div>");
}

/// Saves `text` as a file named `file` (a Blob URL clicked through a temporary link).
fn download(file: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
