//! Users (operators): the accounts, creating one (e.g. a new tenant admin), disabling.

use api_types::portal::{CreateUser, UpdateUser, User};
use leptos::prelude::*;

use super::super::api::{self, ApiError, Method};
use super::super::state::{t, tr};
use super::super::widgets::{MaybeError, load, set_title, short_time};

#[component]
pub fn Users() -> impl IntoView {
    set_title("nav.users");
    let data = LocalResource::new(|| api::get::<Vec<User>>("/api/v1/users"));
    let error = RwSignal::new(None::<ApiError>);
    let toggle = move |name: String, disabled: bool| {
        leptos::task::spawn_local(async move {
            let body = UpdateUser {
                disabled: Some(disabled),
                ..Default::default()
            };
            match api::call(
                Method::Patch,
                &format!("/api/v1/users/{}", api::enc(&name)),
                Some(&body),
            )
            .await
            {
                Ok(()) => data.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h1>{t("nav.users")}</h1>
        <CreateUserForm on_done=move || data.refetch()/>
        <MaybeError error=error/>
        {load(data, move |list: Vec<User>| view! {
            <div class="table-wrap"><table>
                <thead><tr><th>{t("members.user")}</th><th>{t("users.display")}</th><th>{t("common.state")}</th><th>{t("common.created")}</th><th></th></tr></thead>
                <tbody>{list.into_iter().map(|u| { let name = u.username.clone(); let d = u.disabled; view! {
                    <tr data-user=u.username.clone()>
                        <td>{u.username.clone()}" "{u.platform_admin.then(|| view! { <span class="badge">{t("users.operator")}</span> })}</td>
                        <td>{u.display_name.clone()}</td>
                        <td>{if d { view! { <span class="badge bad">{t("users.disabled")}</span> }.into_any() } else { view! { <span class="badge ok">{t("users.active")}</span> }.into_any() }}</td>
                        <td class="muted">{short_time(&u.created_at)}</td>
                        <td><button class=if d { "" } else { "danger" } on:click=move |_| toggle(name.clone(), !d)>{if d { tr("users.enable") } else { tr("users.disable") }}</button></td>
                    </tr>
                }}).collect_view()}</tbody>
            </table></div>
        })}
    }
}

#[component]
fn CreateUserForm(on_done: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let operator = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateUser {
            username: username.get_untracked().trim().to_string(),
            display_name: display.get_untracked(),
            password: password.get_untracked(),
            platform_admin: operator.get_untracked(),
        };
        let on_done = on_done.clone();
        leptos::task::spawn_local(async move {
            match api::send::<_, User>(Method::Post, "/api/v1/users", &body).await {
                Ok(u) => {
                    error.set(None);
                    done.set(Some(u.username));
                    username.set(String::new());
                    password.set(String::new());
                    display.set(String::new());
                    on_done();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="user-create">
            <h2>{t("users.create")}</h2>
            <div class="form-row">
                <div class="field"><label for="u-name">{t("members.user")}</label><input id="u-name" bind:value=username required autocomplete="off"/></div>
                <div class="field"><label for="u-display">{t("users.display")}</label><input id="u-display" bind:value=display/></div>
                <div class="field"><label for="u-pass">{t("login.password")}</label><input id="u-pass" type="password" bind:value=password required autocomplete="new-password"/></div>
            </div>
            <label><input type="checkbox" bind:checked=operator/>" "{t("users.operator")}</label>
            <MaybeError error=error/>
            {move || done.get().map(|u| view! { <div class="alert success" role="status">{tr("users.created")}" "<code>{u}</code></div> })}
            <button class="primary mt" type="submit">{t("users.create")}</button>
        </form>
    }
}
