//! Profile: who I am and my roles, change my password, my API tokens (the secret shown once).

use api_types::portal::{ApiToken, ChangePassword, CreateToken, CreatedToken};
use leptos::prelude::*;

use super::super::api::{self, ApiError, Method};
use super::super::state::{me, t, tr};
use super::super::widgets::{Empty, MaybeError, load, set_title, short_time};
use super::tenant::role_key;

#[component]
pub fn Profile() -> impl IntoView {
    set_title("nav.profile");
    let me = me();
    view! {
        <h1>{t("nav.profile")}</h1>
        <section class="card">
            {me.map(|m| view! {
                <h2>{m.username.clone()}" "<span class="muted">{m.display_name.clone()}</span></h2>
                {m.platform_admin.then(|| view! { <p><span class="badge">{t("users.operator")}</span></p> })}
                <ul>{m.tenants.into_iter().map(|r| view! { <li><a href=format!("/tenants/{}", api::enc(&r.tenant))>{r.tenant.clone()}</a>" — "{t(role_key(r.role))}</li> }).collect_view()}</ul>
            })}
        </section>
        <PasswordForm/>
        <super::kubeconfig::KubeconfigCard/>
        <Tokens/>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        done.set(false);
        leptos::task::spawn_local(async move {
            match api::call(Method::Post, "/api/v1/me/password", Some(&body)).await {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit>
            <h2>{t("profile.password")}</h2>
            <div class="form-row">
                <div class="field"><label for="pw-current">{t("profile.current")}</label><input id="pw-current" type="password" autocomplete="current-password" bind:value=current required/></div>
                <div class="field"><label for="pw-new">{t("profile.new")}</label><input id="pw-new" type="password" autocomplete="new-password" bind:value=new required/></div>
            </div>
            <MaybeError error=error/>
            {move || done.get().then(|| view! { <div class="alert success" role="status">{t("profile.changed")}</div> })}
            <button class="primary" type="submit">{t("profile.change")}</button>
        </form>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let data = LocalResource::new(|| api::get::<Vec<ApiToken>>("/api/v1/me/tokens"));
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(String::from("90"));
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateToken {
            name: name.get_untracked(),
            expires_in_days: days.get_untracked().trim().parse().ok(),
        };
        leptos::task::spawn_local(async move {
            match api::send::<_, CreatedToken>(Method::Post, "/api/v1/me/tokens", &body).await {
                Ok(c) => {
                    error.set(None);
                    secret.set(Some(c.secret));
                    name.set(String::new());
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        leptos::task::spawn_local(async move {
            match api::call::<()>(
                Method::Delete,
                &format!("/api/v1/me/tokens/{}", api::enc(&id)),
                None,
            )
            .await
            {
                Ok(()) => data.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" data-testid="tokens">
            <h2>{t("profile.tokens")}</h2>
            <p class="muted">{t("profile.tokens.hint")}</p>
            {move || secret.get().map(|s| view! { <div class="alert success"><p>{t("profile.secret_once")}</p><div class="secret">{s}</div></div> })}
            <form class="form-row" on:submit=create>
                <div class="field"><label for="tok-name">{t("common.name")}</label><input id="tok-name" bind:value=name required/></div>
                <div class="field"><label for="tok-days">{t("profile.days")}</label><input id="tok-days" type="number" min="1" bind:value=days/></div>
                <div class="field"><button class="primary" type="submit">{t("profile.create_token")}</button></div>
            </form>
            <MaybeError error=error/>
            {load(data, move |list: Vec<ApiToken>| {
                if list.is_empty() { return view! { <Empty text=Signal::derive(|| tr("profile.no_tokens").to_string())/> }.into_any(); }
                view! { <div class="table-wrap"><table>
                    <thead><tr><th>{t("common.name")}</th><th>{t("profile.prefix")}</th><th>{t("profile.expires")}</th><th>{t("profile.last_used")}</th><th></th></tr></thead>
                    <tbody>{list.into_iter().map(|tok| { let id = tok.id.clone(); view! { <tr>
                        <td>{tok.name.clone()}</td><td class="mono">{tok.prefix.clone()}"…"</td>
                        <td>{tok.expires_at.clone().map(|e| short_time(&e)).unwrap_or_else(|| "—".into())}</td>
                        <td>{tok.last_used_at.clone().map(|e| short_time(&e)).unwrap_or_else(|| "—".into())}</td>
                        <td>{if tok.revoked { view! { <span class="badge">{t("profile.revoked")}</span> }.into_any() } else { view! { <button class="danger" on:click=move |_| revoke(id.clone())>{t("profile.revoke")}</button> }.into_any() }}</td>
                    </tr> }}).collect_view()}</tbody>
                </table></div> }.into_any()
            })}
        </section>
    }
}
