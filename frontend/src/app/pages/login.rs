//! The login page: user name and password, with errors a user can act on (wrong password,
//! rate-limited with a countdown until the next try).

use api_types::portal::{LoginRequest, Me};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::super::api::{self, Method};
use super::super::shell::{LangSwitch, SimMarker};
use super::super::state::{Session, globals, set_tenant, t, tr, trf};
use super::super::widgets::set_title;

#[component]
pub fn Login() -> impl IntoView {
    set_title("login.title");
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let wait = RwSignal::new(0u64);
    let busy = RwSignal::new(false);
    let query = use_query_map();
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || wait.get_untracked() > 0 {
            return;
        }
        busy.set(true);
        error.set(None);
        let body = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        let next = query
            .get_untracked()
            .get("next")
            .filter(|n| n.starts_with('/') && !n.starts_with("//"));
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::send::<_, Me>(Method::Post, "/api/v1/auth/login", &body).await {
                Ok(me) => {
                    // Keep the remembered tenant if the user still belongs to it.
                    let remembered = globals().tenant.get_untracked();
                    if let Some(first) = me.tenants.first()
                        && !me
                            .tenants
                            .iter()
                            .any(|t| Some(&t.tenant) == remembered.as_ref())
                    {
                        set_tenant(&first.tenant);
                    }
                    globals().session.set(Session::SignedIn(me));
                    navigate(next.as_deref().unwrap_or("/"), Default::default());
                }
                Err(e) if e.status == 429 => {
                    wait.set(e.retry_after.unwrap_or(60));
                    countdown(wait);
                }
                Err(e) if e.status == 401 => error.set(Some(tr("login.wrong").to_string())),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let limited = move || {
        let s = wait.get();
        (s > 0).then(|| {
            let time = if s >= 60 { trf("login.minutes", &[("n", &s.div_ceil(60).to_string())]) } else { trf("login.seconds", &[("n", &s.to_string())]) };
            view! { <div class="alert error" role="alert" data-testid="login-error">{trf("login.limited", &[("time", &time)])}</div> }
        })
    };
    view! {
        <div class="login-wrap">
            <form class="login-card" on:submit=submit>
                <div class="brand"><img src="/favicon.svg" alt="" width="24" height="24"/>"ku8portal"</div>
                <p class="muted">{t("login.tagline")}" "<SimMarker/></p>
                {move || error.get().map(|e| view! { <div class="alert error" role="alert" data-testid="login-error">{e}</div> })}
                {limited}
                <div class="field">
                    <label for="username">{t("login.username")}</label>
                    <input id="username" name="username" autocomplete="username" required autofocus
                        bind:value=username/>
                </div>
                <div class="field">
                    <label for="password">{t("login.password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        bind:value=password/>
                </div>
                <button class="primary" type="submit" disabled=move || { busy.get() || wait.get() > 0 }>
                    {move || if busy.get() { tr("login.busy") } else { tr("login.submit") }}
                </button>
                <div class="lang"><LangSwitch/></div>
            </form>
        </div>
    }
}

/// Counts `wait` down to zero, once a second.
fn countdown(wait: RwSignal<u64>) {
    leptos::task::spawn_local(async move {
        while wait.get_untracked() > 0 {
            super::super::sleep_ms(1000).await;
            wait.update(|w| *w = w.saturating_sub(1));
        }
    });
}
