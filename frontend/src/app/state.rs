//! The app's global state: the signed-in user, the language, the selected tenant and the
//! portal's readiness (`/readyz`), plus the translation helpers `t` (reactive) and `tr`.

use api_types::portal::{Me, Role};
use leptos::prelude::*;
use serde::Deserialize;

use crate::i18n::{self, Lang};

/// Who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    Loading,
    SignedOut,
    SignedIn(Me),
}

/// `/readyz`: whether the database and the cluster answer, and the cluster's label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ready {
    pub ready: bool,
    pub database: String,
    pub cluster: String,
    #[serde(default)]
    pub cluster_label: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Globals {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Session>,
    pub ready: RwSignal<Option<Ready>>,
    /// The tenant the tenant-scoped pages show (the switcher in the top bar).
    pub tenant: RwSignal<Option<String>>,
}

thread_local! {
    static GLOBALS: Globals = Globals {
        lang: RwSignal::new(stored_lang()),
        session: RwSignal::new(Session::Loading),
        ready: RwSignal::new(None),
        tenant: RwSignal::new(storage_get("ku8portal.tenant")),
    };
}

pub fn globals() -> Globals {
    GLOBALS.with(|g| *g)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

fn stored_lang() -> Lang {
    if let Some(l) = storage_get("ku8portal.lang").and_then(|c| Lang::parse(&c)) {
        return l;
    }
    let nav = web_sys::window().and_then(|w| w.navigator().language());
    match nav {
        Some(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// Switches the language and remembers the choice.
pub fn set_lang(lang: Lang) {
    storage_set("ku8portal.lang", lang.code());
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.code());
    }
    globals().lang.set(lang);
}

/// Selects the tenant of the tenant-scoped pages and remembers it.
pub fn set_tenant(tenant: &str) {
    storage_set("ku8portal.tenant", tenant);
    if globals().tenant.get_untracked().as_deref() != Some(tenant) {
        globals().tenant.set(Some(tenant.to_string()));
    }
}

/// The text of `key` in the current language (tracked: re-renders on a language switch).
pub fn tr(key: &'static str) -> &'static str {
    i18n::text(globals().lang.get(), key)
}

/// A reactive text node for `key`.
pub fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || tr(key)
}

/// `key`'s text with `{name}` placeholders filled.
pub fn trf(key: &'static str, args: &[(&str, &str)]) -> String {
    i18n::fill(tr(key), args)
}

/// The signed-in user (`None` while loading or signed out).
pub fn me() -> Option<Me> {
    match globals().session.get() {
        Session::SignedIn(me) => Some(me),
        _ => None,
    }
}

pub fn is_operator() -> bool {
    me().is_some_and(|m| m.platform_admin)
}

/// The caller's role in `tenant` (platform admins count as tenant admins).
pub fn role_in(tenant: &str) -> Option<Role> {
    let me = me()?;
    if me.platform_admin {
        return Some(Role::TenantAdmin);
    }
    me.tenants
        .iter()
        .find(|t| t.tenant == tenant)
        .map(|t| t.role)
}

pub fn can_admin(tenant: &str) -> bool {
    role_in(tenant) == Some(Role::TenantAdmin)
}

/// Whether the caller administers any tenant (or is an operator): audit log, quota requests.
pub fn admins_any() -> bool {
    me().is_some_and(|m| m.platform_admin || m.tenants.iter().any(|t| t.role == Role::TenantAdmin))
}
