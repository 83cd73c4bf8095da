//! The routes. Every page but the login page and the overview (where a login lands) is its own
//! lazily loaded wasm chunk (Leptos `lazy_route`; `scripts/build-frontend.sh` splits the module
//! with `wasm-split-cli`), so the first load carries the runtime, the shell, the login page and
//! the overview only.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, lazy_route, path};

use super::pages::*;
use super::shell;

/// `lazy!(Route => Page)`: a lazily loaded route showing the component `Page`.
macro_rules! lazy {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy!(
    TenantsRoute => Tenants,
    TenantRoute => TenantPage,
    NewNamespaceRoute => NewNamespace,
    NamespaceRoute => NamespacePage,
    NamespacesRoute => Namespaces,
    QuotaRequestsRoute => QuotaRequests,
    NewQuotaRequestRoute => NewQuotaRequest,
    QuotaRequestRoute => QuotaRequestPage,
    AuditRoute => Audit,
    DashboardsRoute => Dashboards,
    UsersRoute => Users,
    ProfileRoute => Profile,
    WorkloadsHomeRoute => WorkloadsHome,
    CreateRoute => CreateFromYaml,
    KindListRoute => KindList,
    ObjectRoute => ObjectPage,
    LogsRoute => PodLogs,
    ExplorerRoute => Explorer,
    NodesRoute => Nodes,
    NodeRoute => NodePage,
);

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=Login/>
                <ParentRoute path=path!("") view=shell::Shell>
                    <Route path=path!("") view=Overview/>
                    <Route path=path!("tenants") view={Lazy::<TenantsRoute>::new()}/>
                    <Route path=path!("tenants/:tenant") view={Lazy::<TenantRoute>::new()}/>
                    <Route path=path!("tenants/:tenant/namespaces/new") view={Lazy::<NewNamespaceRoute>::new()}/>
                    <Route path=path!("tenants/:tenant/namespaces/:ns") view={Lazy::<NamespaceRoute>::new()}/>
                    <Route path=path!("namespaces") view={Lazy::<NamespacesRoute>::new()}/>
                    <Route path=path!("quota-requests") view={Lazy::<QuotaRequestsRoute>::new()}/>
                    <Route path=path!("quota-requests/new") view={Lazy::<NewQuotaRequestRoute>::new()}/>
                    <Route path=path!("quota-requests/:id") view={Lazy::<QuotaRequestRoute>::new()}/>
                    <Route path=path!("audit") view={Lazy::<AuditRoute>::new()}/>
                    <Route path=path!("dashboards") view={Lazy::<DashboardsRoute>::new()}/>
                    <Route path=path!("users") view={Lazy::<UsersRoute>::new()}/>
                    <Route path=path!("profile") view={Lazy::<ProfileRoute>::new()}/>
                    <Route path=path!("workloads") view={Lazy::<WorkloadsHomeRoute>::new()}/>
                    <Route path=path!("ns/:ns/create") view={Lazy::<CreateRoute>::new()}/>
                    <Route path=path!("ns/:ns/:kind") view={Lazy::<KindListRoute>::new()}/>
                    <Route path=path!("ns/:ns/:kind/:name") view={Lazy::<ObjectRoute>::new()}/>
                    <Route path=path!("ns/:ns/pods/:name/logs") view={Lazy::<LogsRoute>::new()}/>
                    <Route path=path!("explorer/*rest") view={Lazy::<ExplorerRoute>::new()}/>
                    <Route path=path!("nodes") view={Lazy::<NodesRoute>::new()}/>
                    <Route path=path!("nodes/:name") view={Lazy::<NodeRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
