//! The frame around every signed-in page: top bar (simulated-cluster marker, tenant switcher,
//! language, user menu), the unreachable-cluster/database banner, navigation by role (the
//! current section marked, `crate::nav`).

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::{use_location, use_navigate};

use super::api::{self, Method};
use super::state::{Session, admins_any, globals, is_operator, me, set_tenant, t, tr};
use crate::i18n::Lang;
use crate::nav::{Section, section};

#[component]
pub fn Shell() -> impl IntoView {
    let g = globals();
    let location = use_location();
    move || match g.session.get() {
        Session::Loading => view! { <div class="boot">{t("common.loading")}</div> }.into_any(),
        Session::SignedOut => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let next = if here == "/" {
                String::new()
            } else {
                format!("?next={}", api::enc(&here))
            };
            view! { <Redirect path=format!("/login{next}")/> }.into_any()
        }
        Session::SignedIn(_) => view! {
            <div class="shell">
                <TopBar/>
                <div class="banners"><Banner/></div>
                <Nav/>
                <main id="main"><Outlet/></main>
            </div>
        }
        .into_any(),
    }
}

/// The simulated-cluster marker, shown wherever the cluster label says so.
#[component]
pub fn SimMarker() -> impl IntoView {
    move || {
        globals().ready.get().and_then(|r| r.cluster_label).map(|_| {
            view! { <span class="badge sim" data-testid="sim-marker" title=t("shell.sim.title")>{t("shell.sim")}</span> }
        })
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::call::<()>(Method::Post, "/api/v1/auth/logout", None).await;
            globals().session.set(Session::SignedOut);
            navigate("/login", Default::default());
        });
    };
    let name = move || {
        me().map(|m| {
            if m.display_name.is_empty() {
                m.username
            } else {
                m.display_name
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/"><img src="/favicon.svg" alt=""/>"ku8portal"</a>
            <SimMarker/>
            <span class="spacer"></span>
            <TenantSwitch/>
            <LangSwitch/>
            <A href="/profile" attr:data-testid="user-menu">{name}</A>
            <button class="link" on:click=logout data-testid="logout">{t("shell.logout")}</button>
        </header>
    }
}

/// Chooses the tenant the tenant pages show (listed only for users with more than one).
#[component]
fn TenantSwitch() -> impl IntoView {
    let tenants = move || {
        me().map(|m| m.tenants.into_iter().map(|t| t.tenant).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let navigate = use_navigate();
    move || {
        let list = tenants();
        let navigate = navigate.clone();
        (list.len() > 1).then(|| {
            let current = globals().tenant.get();
            view! {
                <label class="sr-only" for="tenant-switch">{t("shell.tenant")}</label>
                <select id="tenant-switch" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set_tenant(&v);
                    navigate(&format!("/tenants/{}", api::enc(&v)), Default::default());
                }>
                    {list.into_iter().map(|name| {
                        let selected = current.as_deref() == Some(name.as_str());
                        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            }
        })
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    view! {
        <select aria-label="Language / 语言" data-testid="lang-switch" on:change=move |ev| {
            if let Some(l) = Lang::parse(&event_target_value(&ev)) { super::state::set_lang(l) }
        }>
            {Lang::ALL.into_iter().map(|l| view! {
                <option value=l.code() selected=move || globals().lang.get() == l>{l.name()}</option>
            }).collect_view()}
        </select>
    }
}

/// A red banner when `/readyz` says the database or the cluster cannot be reached.
#[component]
pub fn Banner() -> impl IntoView {
    move || {
        let r = globals().ready.get()?;
        if r.ready {
            return None;
        }
        let mut parts = Vec::new();
        // The reason without the server's own "the ... is unreachable: " (the label says it).
        let reason = |s: &str| {
            s.rsplit_once(" is unreachable: ")
                .map_or(s, |(_, r)| r)
                .to_string()
        };
        if r.database != "ok" {
            parts.push(format!("{} {}", tr("shell.banner.db"), reason(&r.database)));
        }
        if !r.cluster.starts_with("ok") {
            parts.push(format!(
                "{} {}",
                tr("shell.banner.cluster"),
                reason(&r.cluster)
            ));
        }
        Some(
            view! { <div class="banner" role="alert" data-testid="outage-banner">{parts.join(" · ")}</div> },
        )
    }
}

/// One navigation entry, marked `aria-current="page"` when the current path is in its section
/// (deep paths too: `/ns/<ns>/...` is under Workloads).
fn nav_link(
    href: String,
    section: Section,
    current: Memo<Option<Section>>,
    label: &'static str,
) -> impl IntoView {
    let testid = match section {
        Section::Workloads => Some("nav-workloads"),
        Section::Explorer => Some("nav-explorer"),
        _ => None,
    };
    view! {
        <a href=href data-testid=testid
            aria-current=move || (current.get() == Some(section)).then_some("page")>{t(label)}</a>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let location = use_location();
    let current = Memo::new(move |_| section(&location.pathname.get(), is_operator()));
    move || {
        let op = is_operator();
        let admin = admins_any();
        let tenant = globals()
            .tenant
            .get()
            .or_else(|| me().and_then(|m| m.tenants.first().map(|t| t.tenant.clone())));
        let link = |href: &str, s: Section, label: &'static str| {
            nav_link(href.to_string(), s, current, label)
        };
        view! {
            <nav class="sidenav" aria-label=t("shell.nav")>
                {link("/", Section::Overview, "nav.overview")}
                {link("/dashboards", Section::Dashboards, "nav.dashboards")}
                {op.then(|| link("/tenants", Section::Tenants, "nav.tenants"))}
                {(!op).then(|| tenant.map(|tn| nav_link(format!("/tenants/{}", api::enc(&tn)), Section::Tenant, current, "nav.tenant")))}
                {link("/namespaces", Section::Namespaces, "nav.namespaces")}
                {link("/workloads", Section::Workloads, "nav.workloads")}
                {link("/explorer", Section::Explorer, "nav.explorer")}
                {op.then(|| link("/nodes", Section::Nodes, "nav.nodes"))}
                {link("/quota-requests", Section::QuotaRequests, "nav.quota_requests")}
                {admin.then(|| link("/audit", Section::Audit, "nav.audit"))}
                {op.then(|| view! {
                    <div class="navhead">{t("nav.admin")}</div>
                    {link("/users", Section::Users, "nav.users")}
                })}
                <div class="navhead">{t("nav.account")}</div>
                {link("/profile", Section::Profile, "nav.profile")}
            </nav>
        }
    }
}
