//! Create from YAML (`/ns/:ns/create`): each document of the manifest is sent as a server-side
//! apply (fieldManager ku8portal) to the namespace of the page; each one's result is listed,
//! with the server's message and the line it points at when it fails; that line is marked in
//! the editor (`editor::YamlEditor`).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::actions::apply;
use super::editor::YamlEditor;
use super::{NsHeader, href};
use crate::app::state::{t, tr, trf};
use crate::app::widgets::set_title;
use crate::editor::{Mark, clamp_line, marks};
use crate::html::esc;
use crate::kinds::{KINDS, by_kind};
use crate::manifest::{Doc, error_line, split};

const EXAMPLE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            cpu: 200m
            memory: 128Mi
";

/// What happened to one document.
struct Outcome {
    what: String,
    link: Option<String>,
    ok: bool,
    message: String,
    line: Option<usize>,
}

impl Outcome {
    /// The outcome as a list item (HTML).
    fn html(&self) -> String {
        let (class, role) = if self.ok {
            ("alert success", "status")
        } else {
            ("alert error", "alert")
        };
        let what = format!("<strong>{}</strong>", esc(&self.what));
        let what = match &self.link {
            Some(h) => format!("<a href=\"{}\">{what}</a>", esc(h)),
            None => what,
        };
        let line = self.line.map_or_else(String::new, |l| {
            format!(
                " <span class=\"badge warn\">{}</span>",
                esc(&trf("wl.create.at_line", &[("line", &l.to_string())]))
            )
        });
        format!(
            "<li class=\"{class}\" role=\"{role}\">{what} {}{line}</li>",
            esc(&self.message)
        )
    }
}

async fn send(ns: &str, doc: Doc) -> Outcome {
    let what = format!("{}/{}", doc.kind, doc.name);
    let Some(kind) = by_kind(&doc.api_version, &doc.kind) else {
        let known = KINDS.iter().map(|k| k.kind).collect::<Vec<_>>().join(", ");
        return Outcome {
            what,
            link: None,
            ok: false,
            message: trf(
                "wl.create.unknown_kind",
                &[("kind", &doc.kind), ("known", &known)],
            ),
            line: Some(doc.line),
        };
    };
    // The document's own version (autoscaling/v1 as well as v2).
    let api = if doc.api_version.contains('/') {
        "apis"
    } else {
        "api"
    };
    let path = format!(
        "/k8s/{api}/{}/namespaces/{}/{}/{}",
        doc.api_version,
        crate::kinds::enc(ns),
        kind.plural,
        crate::kinds::enc(&doc.name)
    );
    match apply(&path, doc.text.clone(), false).await {
        Ok(code) => Outcome {
            what,
            link: Some(href(ns, kind, Some(&doc.name))),
            ok: true,
            message: tr(if code == 201 {
                "wl.create.created"
            } else {
                "wl.create.configured"
            })
            .to_string(),
            line: None,
        },
        Err(e) => Outcome {
            what,
            link: None,
            ok: false,
            line: error_line(&e.message, doc.line),
            message: e.message,
        },
    }
}

#[component]
pub fn CreateFromYaml() -> impl IntoView {
    set_title("wl.create");
    let params = use_params_map();
    let ns = Memo::new(move |_| params.get().get("ns").unwrap_or_default());
    let text = RwSignal::new(EXAMPLE.to_string());
    let outcomes = RwSignal::new(String::new());
    let marked = RwSignal::new(Vec::<Mark>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let ns = ns.get_untracked();
        let docs = split(&text.get_untracked());
        leptos::task::spawn_local(async move {
            let mut out = Vec::new();
            if docs.is_empty() {
                out.push(Outcome {
                    what: String::new(),
                    link: None,
                    ok: false,
                    message: tr("wl.create.empty").into(),
                    line: None,
                });
            }
            for d in docs {
                out.push(match d {
                    Ok(doc) => send(&ns, doc).await,
                    Err(e) => Outcome {
                        what: String::new(),
                        link: None,
                        ok: false,
                        message: trf("wl.create.missing", &[("field", e.missing)]),
                        line: Some(e.line),
                    },
                });
            }
            // The line as the editor marks it (a parser that hit the end names the line after).
            text.with_untracked(|t| {
                for o in &mut out {
                    o.line = o.line.map(|l| clamp_line(t, l));
                }
            });
            outcomes.set(out.iter().map(Outcome::html).collect());
            let errors: Vec<(usize, String)> = out
                .iter()
                .filter(|o| !o.ok)
                .filter_map(|o| Some((o.line?, o.message.clone())))
                .collect();
            marked.set(text.with_untracked(|t| marks(t, &errors)));
            busy.set(false);
        });
    };
    view! {
        <NsHeader ns=ns kind=Signal::derive(|| None)/>
        <form class="card" on:submit=submit data-testid="create-form">
            <h2>{t("wl.create")}</h2>
            <p class="muted">{move || trf("wl.create.hint", &[("ns", &ns.get())])}</p>
            <YamlEditor text=text marks=marked rows=22 label="wl.create" testid="yaml-input"/>
            <div class="actions mt"><button class="primary" type="submit" disabled=busy data-testid="apply">{t("wl.apply")}</button></div>
        </form>
        <ul class="outcomes" data-testid="outcomes" inner_html=outcomes></ul>
    }
}
