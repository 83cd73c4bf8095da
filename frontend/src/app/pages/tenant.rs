//! One tenant: budget use and namespaces, members and roles (tenant admins and operators edit
//! them), and for operators the budget editor and disable/enable.

use api_types::portal::{
    AdoptNamespace, Member, Namespace, Role, SetMember, Tenant, UpdateTenant, User,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::super::api::{self, ApiError, Method};
use super::super::state::{can_admin, is_operator, set_tenant, t, tr};
use super::super::widgets::{Empty, MaybeError, load, set_title};
use super::overview::TenantUsageView;
use super::quota_editor::{QuotaEditor, collect, parses, rows};

#[component]
pub fn TenantPage() -> impl IntoView {
    set_title("nav.tenant");
    let params = use_params_map();
    let name = move || params.get().get("tenant").unwrap_or_default();
    let data = LocalResource::new(move || {
        let n = name();
        async move { api::get::<Tenant>(&format!("/api/v1/tenants/{}", api::enc(&n))).await }
    });
    view! {
        <div class="crumbs">{move || is_operator().then(|| view! { <a href="/tenants">{t("nav.tenants")}</a> })}</div>
        {load(data, move |tn: Tenant| view! { <Detail tn=tn reload=move || data.refetch()/> })}
    }
}

#[component]
fn Detail(tn: Tenant, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    set_tenant(&tn.name);
    let admin = can_admin(&tn.name);
    let enc = api::enc(&tn.name);
    view! {
        <div class="pagehead">
            <h1>{tn.name.clone()}</h1>
            {tn.disabled.then(|| view! { <span class="badge bad">{t("tenant.disabled")}</span> })}
            <span class="muted">{tn.display_name.clone()}</span>
            <span class="spacer"></span>
            {(admin && !tn.disabled).then(|| view! { <a class="btn primary" href=format!("/tenants/{enc}/namespaces/new")>{t("ns.create")}</a> })}
            {admin.then(|| view! { <a class="btn" href=format!("/quota-requests/new?tenant={enc}")>{t("qr.ask_budget")}</a> })}
        </div>
        <TenantUsageView tenant=tn.name.clone()/>
        <Members tenant=tn.name.clone() admin=admin/>
        {is_operator().then(|| view! {
            <BudgetForm tn=tn.clone() reload=reload.clone()/>
            <AdoptForm tenant=tn.name.clone()/>
            <DisableForm tn=tn.clone() reload=reload.clone()/>
        })}
    }
}

#[component]
fn Members(tenant: String, admin: bool) -> impl IntoView {
    let path = StoredValue::new(format!("/api/v1/tenants/{}/members", api::enc(&tenant)));
    let p2 = path.get_value();
    let data = LocalResource::new(move || {
        let p = p2.clone();
        async move { api::get::<Vec<Member>>(&p).await }
    });
    let users = LocalResource::new(move || async move {
        if admin {
            api::get::<Vec<User>>("/api/v1/users").await
        } else {
            Ok(Vec::new())
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let username = RwSignal::new(String::new());
    let role = RwSignal::new(Role::TenantMember.as_str().to_string());
    let set = move |user: String, role: String| {
        let path = format!("{}/{}", path.get_value(), api::enc(&user));
        leptos::task::spawn_local(async move {
            let r = if role.is_empty() {
                api::call::<()>(Method::Delete, &path, None).await
            } else {
                let body = SetMember {
                    role: Role::parse(&role).unwrap_or(Role::TenantViewer),
                };
                api::call(Method::Put, &path, Some(&body)).await
            };
            match r {
                Ok(()) => {
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set(
            username.get_untracked().trim().to_string(),
            role.get_untracked(),
        );
        username.set(String::new());
    };
    view! {
        <section class="card" data-testid="members">
            <h2>{t("members.title")}</h2>
            <MaybeError error=error/>
            {load(data, move |list: Vec<Member>| {
                if list.is_empty() { return view! { <Empty text=Signal::derive(|| tr("members.none").to_string())/> }.into_any(); }
                view! { <div class="table-wrap"><table>
                    <thead><tr><th>{t("members.user")}</th><th>{t("members.role")}</th>{admin.then(|| view! { <th></th> })}</tr></thead>
                    <tbody>{list.into_iter().map(|m| { let u = m.username.clone(); let u2 = u.clone(); view! {
                        <tr data-member=m.username.clone()>
                            <td>{m.username.clone()}" "<span class="muted">{m.display_name.clone()}</span></td>
                            <td>{if admin { view! { <RoleSelect value=m.role.as_str().to_string() on_change=move |r| set(u.clone(), r)/> }.into_any() } else { view! { <span>{t(role_key(m.role))}</span> }.into_any() }}</td>
                            {admin.then(|| view! { <td><button class="danger" on:click=move |_| set(u2.clone(), String::new())>{t("members.remove")}</button></td> })}
                        </tr>
                    }}).collect_view()}</tbody>
                </table></div> }.into_any()
            })}
            {admin.then(|| view! {
                <form class="form-row" on:submit=add data-testid="member-add">
                    <div class="field"><label for="m-user">{t("members.user")}</label>
                        <input id="m-user" list="m-users" bind:value=username required/>
                        <datalist id="m-users">{move || users.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|u| view! { <option value=u.username/> }).collect_view()}</datalist>
                    </div>
                    <div class="field"><label for="m-role">{t("members.role")}</label>
                        <RoleSelect value=role.get_untracked() on_change=move |r| role.set(r) id="m-role"/></div>
                    <div class="field"><button class="primary" type="submit">{t("members.add")}</button></div>
                </form>
            })}
        </section>
    }
}

pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::TenantAdmin => "role.tenant-admin",
        Role::TenantMember => "role.tenant-member",
        Role::TenantViewer => "role.tenant-viewer",
    }
}

#[component]
fn RoleSelect(
    value: String,
    on_change: impl Fn(String) + Send + Sync + 'static,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    view! {
        <select id=id on:change=move |ev| on_change(event_target_value(&ev))>
            {Role::ALL.into_iter().rev().map(|r| view! { <option value=r.as_str() selected=r.as_str() == value>{t(role_key(r))}</option> }).collect_view()}
        </select>
    }
}

#[component]
fn BudgetForm(tn: Tenant, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let budget = rows(&tn.budget);
    let error = RwSignal::new(None::<ApiError>);
    let path = format!("/api/v1/tenants/{}", api::enc(&tn.name));
    let (b2, b3) = (budget.clone(), budget.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = UpdateTenant {
            budget: Some(collect(&b2)),
            ..Default::default()
        };
        let (path, reload) = (path.clone(), reload.clone());
        leptos::task::spawn_local(async move {
            match api::call(Method::Patch, &path, Some(&body)).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="budget-edit">
            <h2>{t("tenant.edit_budget")}</h2>
            <p class="muted">{t("tenant.edit_budget.hint")}</p>
            <QuotaEditor rows=budget budget=None current=tn.allocated.clone()/>
            <MaybeError error=error/>
            <button class="primary mt" type="submit" disabled=move || !parses(&b3)>{t("common.save")}</button>
        </form>
    }
}

/// Brings a namespace that already exists in the cluster under the tenant.
#[component]
fn AdoptForm(tenant: String) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = AdoptNamespace {
            name: name.get_untracked().trim().to_string(),
        };
        let tenant = api::enc(&tenant);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/tenants/{tenant}/adopt");
            match api::send::<_, Namespace>(Method::Post, &path, &body).await {
                Ok(ns) => navigate(
                    &format!("/tenants/{tenant}/namespaces/{}", api::enc(&ns.name)),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="adopt">
            <h2>{t("tenant.adopt")}</h2>
            <p class="muted">{t("tenant.adopt.hint")}</p>
            <div class="form-row">
                <div class="field"><label for="adopt-name">{t("ns.name")}</label><input id="adopt-name" bind:value=name required/></div>
                <div class="field"><button type="submit">{t("tenant.adopt")}</button></div>
            </div>
            <MaybeError error=error/>
        </form>
    }
}

#[component]
fn DisableForm(tn: Tenant, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let disabled = tn.disabled;
    let path = format!("/api/v1/tenants/{}", api::enc(&tn.name));
    let toggle = move |_| {
        let body = UpdateTenant {
            disabled: Some(!disabled),
            ..Default::default()
        };
        let (path, reload) = (path.clone(), reload.clone());
        leptos::task::spawn_local(async move {
            match api::call(Method::Patch, &path, Some(&body)).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{if disabled { t("tenant.enable") } else { t("tenant.disable") }}</h2>
            <p class="muted">{t("tenant.disable.hint")}</p>
            <MaybeError error=error/>
            <button class=if disabled { "" } else { "danger" } on:click=toggle>{if disabled { t("tenant.enable") } else { t("tenant.disable") }}</button>
        </section>
    }
}
