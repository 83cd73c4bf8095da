//! What a user does to one object: scale (the `scale` subresource), restart (kubectl's
//! `restartedAt` template annotation), edit as YAML (server-side apply, fieldManager
//! ku8portal), delete after confirmation; pod logs link; and the data of config maps and
//! secrets (secret values hidden until revealed).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

use super::editor::YamlEditor;
use super::href;
use crate::app::api::{ApiError, Method};
use crate::app::k8s;
use crate::app::state::{t, tr};
use crate::app::widgets::MaybeError;
use crate::editor::{Mark, marks};
use crate::html::esc;
use crate::kinds::Kind;
use crate::yaml::to_yaml;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Panel {
    None,
    Scale,
    Edit,
    Delete,
}

/// Server-side apply of `yaml` to `path` (creates or updates; forced on edits).
pub async fn apply(path: &str, yaml: String, force: bool) -> Result<u16, ApiError> {
    let force = if force { "&force=true" } else { "" };
    let url = format!("{path}?fieldManager=ku8portal{force}");
    k8s::send(
        Method::Patch,
        &url,
        "application/apply-patch+yaml",
        Some(yaml),
    )
    .await
    .map(|(code, _)| code)
}

fn now_rfc3339() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    format!("{}Z", iso.get(..19).unwrap_or(&iso))
}

#[component]
pub fn Actions(ns: String, kind: &'static Kind, obj: Memo<Option<Arc<Value>>>) -> impl IntoView {
    let panel = RwSignal::new(Panel::None);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<&'static str>);
    let name = move || {
        obj.with_untracked(|o| {
            o.as_ref()
                .map(|o| o["metadata"]["name"].as_str().unwrap_or("").to_string())
                .unwrap_or_default()
        })
    };
    let path = {
        let ns = ns.clone();
        move || kind.path(&ns, Some(&name()))
    };
    let replicas = RwSignal::new(String::new());
    let yaml = RwSignal::new(String::new());
    let marked = RwSignal::new(Vec::<Mark>::new());
    let open = move |p: Panel| {
        error.set(None);
        marked.set(Vec::new());
        done.set(None);
        if p == Panel::Scale {
            replicas.set(obj.with_untracked(|o| {
                o.as_ref()
                    .map(|o| o["spec"]["replicas"].as_i64().unwrap_or(1).to_string())
                    .unwrap_or_default()
            }));
        }
        if p == Panel::Edit {
            let mut v = obj
                .get_untracked()
                .map(|o| (*o).clone())
                .unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                m.remove("status");
            }
            if let Some(m) = v["metadata"].as_object_mut() {
                m.remove("managedFields");
            }
            yaml.set(to_yaml(&v));
        }
        panel.set(if panel.get_untracked() == p {
            Panel::None
        } else {
            p
        });
    };
    let run = move |method: Method,
                    url: String,
                    ctype: &'static str,
                    body: Option<String>,
                    ok: &'static str| {
        leptos::task::spawn_local(async move {
            match k8s::send(method, &url, ctype, body).await {
                Ok(_) => {
                    error.set(None);
                    done.set(Some(ok));
                    panel.set(Panel::None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let (p1, p2, p3) = (path.clone(), path.clone(), path.clone());
    let scale = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n: i64 = replicas.get_untracked().trim().parse().unwrap_or(-1);
        // Bodies written as text: serializing JSON values would add to the wasm.
        let body = format!(r#"{{"spec":{{"replicas":{n}}}}}"#);
        run(
            Method::Patch,
            format!("{}/scale", p1()),
            "application/merge-patch+json",
            Some(body),
            "wl.scaled",
        );
    };
    let restart = move |_| {
        let at = now_rfc3339();
        let body = format!(
            r#"{{"spec":{{"template":{{"metadata":{{"annotations":{{"kubectl.kubernetes.io/restartedAt":"{at}"}}}}}}}}}}"#
        );
        run(
            Method::Patch,
            p2(),
            "application/strategic-merge-patch+json",
            Some(body),
            "wl.restarted",
        );
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = p3();
        leptos::task::spawn_local(async move {
            match apply(&url, yaml.get_untracked(), true).await {
                Ok(_) => {
                    error.set(None);
                    marked.set(Vec::new());
                    done.set(Some("common.saved"));
                    panel.set(Panel::None);
                }
                Err(e) => {
                    let at = crate::manifest::error_line(&e.message, 1);
                    let errors: Vec<(usize, String)> =
                        at.map(|l| (l, e.message.clone())).into_iter().collect();
                    marked.set(yaml.with_untracked(|t| marks(t, &errors)));
                    error.set(Some(e));
                }
            }
        });
    };
    let navigate = use_navigate();
    let ns2 = ns.clone();
    let delete = move |_| {
        let (url, list, navigate) = (path(), href(&ns2, kind, None), navigate.clone());
        leptos::task::spawn_local(async move {
            match k8s::send(Method::Delete, &url, "", None).await {
                Ok(_) => navigate(&list, Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let logs = format!(
        "/ns/{}/pods/{}/logs",
        crate::kinds::enc(&ns),
        crate::kinds::enc(&name())
    );
    view! {
        <div class="actions">
            {(kind.plural == "pods").then(|| view! { <a class="btn" href=logs data-testid="logs-link">{t("wl.logs")}</a> })}
            {kind.scalable().then(|| view! { <button on:click=move |_| open(Panel::Scale) data-testid="scale">{t("wl.scale")}</button> })}
            {kind.restartable().then(|| view! { <button on:click=restart data-testid="restart">{t("wl.restart")}</button> })}
            {(kind.plural != "events").then(|| view! { <button on:click=move |_| open(Panel::Edit) data-testid="edit">{t("wl.edit")}</button> })}
            <button class="danger" on:click=move |_| open(Panel::Delete) data-testid="delete">{t("wl.delete")}</button>
        </div>
        <div class="action-panel">
            {move || done.get().map(|k| view! { <div class="alert success" role="status">{t(k)}</div> })}
            <MaybeError error=error/>
            {move || match panel.get() {
                Panel::Scale => view! {
                    <form class="form-row card" on:submit=scale.clone() data-testid="scale-form">
                        <div class="field"><label for="replicas">{t("wl.replicas")}</label><input id="replicas" type="number" min="0" bind:value=replicas/></div>
                        <div class="field"><button class="primary" type="submit">{t("wl.scale")}</button></div>
                    </form>
                }.into_any(),
                Panel::Edit => view! {
                    <form class="card" on:submit=save.clone() data-testid="edit-form">
                        <p class="muted">{t("wl.edit.hint")}</p>
                        <YamlEditor text=yaml marks=marked rows=24 label="wl.edit"/>
                        <div class="actions mt"><button class="primary" type="submit">{t("common.save")}</button>
                        <button type="button" on:click=move |_| panel.set(Panel::None)>{t("common.cancel")}</button></div>
                    </form>
                }.into_any(),
                Panel::Delete => view! {
                    <div class="card confirm" role="alertdialog" data-testid="delete-confirm">
                        <p>{move || crate::i18n::fill(tr("wl.delete.confirm"), &[("kind", kind.kind), ("name", &name())])}</p>
                        <div class="actions"><button class="danger solid" on:click=delete.clone() data-testid="delete-yes">{t("wl.delete")}</button>
                        <button on:click=move |_| panel.set(Panel::None)>{t("common.cancel")}</button></div>
                    </div>
                }.into_any(),
                Panel::None => ().into_any(),
            }}
        </div>
    }
}

fn decode_b64(s: &str) -> String {
    web_sys::window()
        .and_then(|w| w.atob(s).ok())
        .map(|bin| {
            let bytes: Vec<u8> = bin.chars().map(|c| c as u32 as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .unwrap_or_default()
}

/// The keys of a config map or secret with their values; a secret's are hidden until
/// "reveal" is pressed.
#[component]
pub fn DataView(obj: Memo<Option<Arc<Value>>>, secret: bool) -> impl IntoView {
    let shown = RwSignal::new(!secret);
    let rows = move || {
        let reveal = shown.get();
        let o = obj.get().unwrap_or_default();
        let mut out = String::new();
        for (k, v) in o["data"].as_object().into_iter().flatten() {
            let raw = v.as_str().unwrap_or("");
            let val = match (secret, reveal) {
                (true, false) => "••••••".to_string(),
                (true, true) => decode_b64(raw),
                _ => raw.to_string(),
            };
            out.push_str(&format!(
                "<tr><td class=\"mono\">{}</td><td><pre class=\"value\">{}</pre></td></tr>",
                esc(k),
                esc(&val)
            ));
        }
        out
    };
    view! {
        <section class="card" data-testid="obj-data">
            <div class="pagehead"><h2>{t("wl.data")}</h2><span class="spacer"></span>
            {secret.then(|| view! { <button on:click=move |_| shown.update(|s| *s = !*s) data-testid="reveal">{move || if shown.get() { tr("wl.hide") } else { tr("wl.reveal") }}</button> })}</div>
            <div class="table-wrap"><table><tbody inner_html=rows></tbody></table></div>
        </section>
    }
}
