//! The explorer's tree: a filter box and the groups (folded, unless filtered or holding the
//! selected resource) → versions → resources, written as HTML text (router links).

use leptos::prelude::*;

use super::Docs;
use crate::apis::{Group, Sel, filter, href, label, readable};
use crate::app::state::{is_operator, t, tr};
use crate::app::widgets::{ErrorBox, Loading};
use crate::html::esc;

/// The tree as HTML, the selected resource marked.
fn render(groups: &[Group], sel: &Sel, filtered: bool) -> String {
    let mut out = String::new();
    for g in groups {
        let name = label(&g.name);
        let open = filtered || g.name == sel.group && !sel.plural.is_empty();
        let count: usize = g.versions.iter().map(|v| v.resources.len()).sum();
        out.push_str(&format!(
            "<details class=\"api-group\"{}><summary>{} <span class=\"muted\">{count}</span></summary>",
            if open { " open" } else { "" },
            esc(name)
        ));
        for v in &g.versions {
            out.push_str(&format!(
                "<div class=\"api-version\">{}</div><ul>",
                esc(&v.version)
            ));
            for r in &v.resources {
                let current =
                    g.name == sel.group && v.version == sel.version && r.plural == sel.plural;
                let scope = if r.namespaced {
                    tr("ex.namespaced")
                } else {
                    tr("ex.cluster")
                };
                out.push_str(&format!(
                    "<li><a href=\"{}\"{} title=\"{}\">{}</a> <span class=\"muted\">{}</span></li>",
                    esc(&href(&g.name, &v.version, &r.plural, "", None)),
                    if current {
                        " aria-current=\"page\""
                    } else {
                        ""
                    },
                    esc(scope),
                    esc(&r.plural),
                    esc(&r.kind)
                ));
            }
            out.push_str("</ul>");
        }
        out.push_str("</details>");
    }
    out
}

#[component]
pub fn Tree(docs: Docs, sel: Memo<Sel>) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let html = move || {
        let sel = sel.get();
        docs.get().map(|r| {
            r.map(|docs| {
                let shown = filter(&readable(&super::groups(&docs), is_operator()), &q.get());
                if shown.is_empty() {
                    format!("<p class=\"muted\">{}</p>", esc(tr("ex.no_match")))
                } else {
                    render(&shown, &sel, !q.get().trim().is_empty())
                }
            })
        })
    };
    view! {
        <nav class="api-tree" aria-label=t("ex.resources")>
            <input type="search" data-testid="ex-filter" placeholder=t("ex.filter") aria-label=t("ex.filter")
                prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
            {move || match html() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(h)) => view! { <div inner_html=h></div> }.into_any(),
            }}
        </nav>
    }
}
