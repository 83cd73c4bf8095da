//! One object (`/ns/:ns/:kind/:name`), kept current through a watch on its name: status,
//! containers, conditions, owner links, data (secret values hidden until revealed), the
//! object's events and its YAML; the actions live in `actions.rs`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::actions::{Actions, DataView};
use super::live::live;
use super::table::{Link, RowsTable, Sort};
use super::{NsHeader, href, route};
use crate::app::state::{t, tr};
use crate::app::widgets::{Empty, ErrorBox, Loading, set_title};
use crate::html::{badge, esc, link, table};
use crate::kinds::{Kind, by_kind, by_plural, enc};
use crate::rows::{Row, age, cell, row, sort_rows};
use crate::yaml::to_yaml;

#[component]
pub fn ObjectPage() -> impl IntoView {
    set_title("wl.title");
    let (ns, kind) = route();
    let params = use_params_map();
    let name = Memo::new(move |_| params.get().get("name").unwrap_or_default());
    view! {
        <NsHeader ns=ns kind=Signal::derive(move || Some(kind.get()))/>
        {move || view! { <Object ns=ns.get() kind=kind.get() name=name.get()/> }}
    }
}

#[component]
fn Object(ns: String, kind: &'static Kind, name: String) -> impl IntoView {
    let path = format!(
        "{}?fieldSelector=metadata.name%3D{}",
        kind.path(&ns, None),
        enc(&name)
    );
    let obj = live(path, kind, true);
    let current = Memo::new(move |_| {
        obj.items
            .with(|l| l.as_ref().and_then(|l| l.first()?.obj.clone()))
    });
    // Loading, gone or shown: the actions (and an open editor) stay while the object changes.
    let state = Memo::new(move |_| obj.items.with(|l| l.as_ref().map(|l| !l.is_empty())));
    let (ns2, name2) = (ns.clone(), name.clone());
    view! {
        <div class="crumbs"><a href=href(&ns, kind, None)>{t(super::title(kind))}</a>" / "{name.clone()}</div>
        {move || obj.error.get().map(|e| view! { <ErrorBox error=e/> })}
        {move || match state.get() {
            None => obj.error.with(Option::is_none).then(|| view! { <Loading/> }).into_any(),
            Some(false) => view! { <Empty text=Signal::derive(|| tr("wl.gone").to_string())/> }.into_any(),
            Some(true) => {
                let ns = ns2.clone();
                view! {
                    <div class="pagehead">
                        <h2 class="objname" data-testid="obj-name">{kind.kind}" "{name2.clone()}</h2>
                        {move || current.get().map(|o| status_badge(kind, &o))}
                        <span class="spacer"></span>
                        <Actions ns=ns.clone() kind=kind obj=current/>
                    </div>
                    {move || current.get().map(|o| view! { <Body ns=ns.clone() kind=kind obj=o/> })}
                    {matches!(kind.plural, "secrets" | "configmaps").then(|| view! { <DataView obj=current secret=kind.plural == "secrets"/> })}
                    <Yaml obj=current secret=kind.plural == "secrets"/>
                    <Events ns=ns2.clone() kind=kind name=name2.clone()/>
                }.into_any()
            }
        }}
    }
}

fn status_badge(kind: &Kind, obj: &Value) -> Option<impl IntoView + use<>> {
    let at = kind
        .cols
        .iter()
        .position(|c| *c == crate::kinds::Col::Status)?;
    let r = row(kind, obj);
    let st = r.cells.get(at).cloned().unwrap_or_default();
    Some(view! { <span class=format!("badge {}", r.tone) data-testid="obj-status">{st}</span> })
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[component]
fn Body(ns: String, kind: &'static Kind, obj: Arc<Value>) -> impl IntoView {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let facts = move || {
        let meta = &obj["metadata"];
        let mut out = String::new();
        let mut fact = |label: &str, value: String, wide: bool| {
            let class = if wide { "fact wide" } else { "fact" };
            out.push_str(&format!(
                "<div class=\"{class}\"><span class=\"label\">{}</span><span>{value}</span></div>",
                esc(label)
            ));
        };
        for c in kind
            .cols
            .iter()
            .filter(|c| !matches!(c, crate::kinds::Col::Name))
        {
            let v = cell(*c, kind.kind, &obj);
            fact(
                tr(c.label()),
                esc(&if c.is_time() { age(&v, now) } else { v }),
                false,
            );
        }
        if let Some(labels) = meta["labels"].as_object().filter(|l| !l.is_empty()) {
            let chips: String = labels
                .iter()
                .map(|(k, v)| {
                    format!(
                        "<code class=\"label-chip\">{}={}</code>",
                        esc(k),
                        esc(&text(v))
                    )
                })
                .collect();
            fact(tr("wl.labels"), chips, true);
        }
        if let Some(owners) = meta["ownerReferences"].as_array().filter(|l| !l.is_empty()) {
            fact(
                tr("wl.owners"),
                owners
                    .iter()
                    .map(|o| owner_link(&ns, o))
                    .collect::<Vec<_>>()
                    .join(" "),
                true,
            );
        }
        out.push_str("</section>");
        let pod = if kind.plural == "pods" {
            containers(&obj)
        } else {
            String::new()
        };
        format!(
            "<section class=\"card facts\">{out}{pod}{}",
            conditions(&obj)
        )
    };
    view! { <div inner_html=facts></div> }
}

fn owner_link(ns: &str, o: &Value) -> String {
    let (av, k, n) = (text(&o["apiVersion"]), text(&o["kind"]), text(&o["name"]));
    let label = format!("{k}/{n}");
    match by_kind(&av, &k) {
        Some(kind) => link(&href(ns, kind, Some(&n)), &label),
        None => esc(&label),
    }
}

/// The containers of a pod and their state (HTML).
fn containers(obj: &Value) -> String {
    let statuses = obj["status"]["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = obj["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let st = statuses
                .iter()
                .find(|s| s["name"] == c["name"])
                .cloned()
                .unwrap_or_default();
            let state = st["state"]
                .as_object()
                .and_then(|m| m.keys().next().cloned())
                .unwrap_or_default();
            let req = &c["resources"]["requests"];
            vec![
                esc(&text(&c["name"])),
                format!("<code>{}</code>", esc(&text(&c["image"]))),
                (if st["ready"] == true { "✓" } else { "—" }).to_string(),
                esc(&text(&st["restartCount"])),
                esc(&state),
                esc(&format!("{} {}", text(&req["cpu"]), text(&req["memory"]))),
            ]
        })
        .collect();
    let head = [
        "wl.col.name",
        "wl.image",
        "wl.col.ready",
        "wl.col.restarts",
        "wl.state",
        "wl.requests",
    ]
    .map(tr);
    format!(
        "<section class=\"card\"><h2>{}</h2>{}</section>",
        esc(tr("wl.containers")),
        table(&head, &rows)
    )
}

/// The status conditions (HTML; nothing without conditions).
fn conditions(obj: &Value) -> String {
    let Some(list) = obj["status"]["conditions"]
        .as_array()
        .filter(|l| !l.is_empty())
    else {
        return String::new();
    };
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                esc(&text(&c["type"])),
                badge(
                    if c["status"] == "True" { "ok" } else { "" },
                    &text(&c["status"]),
                ),
                esc(&text(&c["reason"])),
                esc(&text(&c["message"])),
                esc(&text(&c["lastTransitionTime"]).replace('T', " ")),
            ]
        })
        .collect();
    let head = [
        "wl.col.type",
        "wl.col.status",
        "wl.col.reason",
        "wl.col.message",
        "wl.changed",
    ]
    .map(tr);
    format!(
        "<section class=\"card\" data-testid=\"conditions\"><h2>{}</h2>{}</section>",
        esc(tr("wl.conditions")),
        table(&head, &rows)
    )
}

/// The object's events, live (newest first).
#[component]
fn Events(ns: String, kind: &'static Kind, name: String) -> impl IntoView {
    let events = by_plural("events").expect("events kind");
    let path = format!(
        "{}?fieldSelector=involvedObject.name%3D{}%2CinvolvedObject.kind%3D{}",
        events.path(&ns, None),
        enc(&name),
        kind.kind
    );
    let list = live(path, events, false);
    let sort = RwSignal::new(Sort { col: 0, desc: true });
    let rows = Memo::new(move |_| {
        let mut v: Vec<Arc<Row>> = list
            .items
            .with(|i| i.iter().flat_map(|l| l.iter().cloned()).collect());
        let s = sort.get();
        sort_rows(&mut v, s.col, s.desc);
        Arc::new(v)
    });
    let empty = Memo::new(move |_| rows.with(|r| r.is_empty()));
    let ns2 = ns.clone();
    view! {
        <section class="card" data-testid="obj-events">
            <h2>{t("wl.kind.events")}</h2>
            {move || if empty.get() {
                view! { <p class="muted">{t("wl.no_events")}</p> }.into_any()
            } else {
                let ns = ns2.clone();
                let link: Link = Arc::new(move |r: &Row| href(&ns, events, Some(&r.name)));
                view! { <div class="events-box"><RowsTable kind=events rows=rows sort=sort link=link/></div> }.into_any()
            }}
        </section>
    }
}

/// The object as YAML (without managedFields; a secret's values masked: they are shown by
/// "reveal" above). Folded unless `open`.
#[component]
pub fn Yaml(
    obj: Memo<Option<Arc<Value>>>,
    secret: bool,
    #[prop(optional)] open: bool,
) -> impl IntoView {
    let yaml = move || {
        let mut v = obj.get().map(|o| (*o).clone()).unwrap_or_default();
        if let Some(m) = v["metadata"].as_object_mut() {
            m.remove("managedFields");
        }
        if secret && let Some(data) = v["data"].as_object_mut() {
            for val in data.values_mut() {
                *val = Value::String("••••••".into());
            }
        }
        to_yaml(&v)
    };
    view! {
        <details class="card yaml" data-testid="obj-yaml" open=open>
            <summary>"YAML"</summary>
            <pre>{yaml}</pre>
        </details>
    }
}
