//! The web app: the entry point `start` (called by wasm-bindgen), the routes, and the start-up
//! work (who is signed in, the language, polling `/readyz`).

mod api;
mod k8s;
mod pages;
mod shell;
mod state;
mod widgets;

use api_types::portal::Me;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use pages::*;
use state::{Ready, Session, globals, set_lang};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    set_lang(globals().lang.get_untracked());
    api::on_unauthenticated(|| globals().session.set(Session::SignedOut));
    // Mounting sets up the executor the tasks run on.
    leptos::mount::mount_to_body(App);
    leptos::task::spawn_local(load_session());
    leptos::task::spawn_local(poll_ready());
}

/// Asks who is signed in (the session cookie is HttpOnly, so only the server knows).
pub async fn load_session() {
    let session = match api::get::<Me>("/api/v1/auth/me").await {
        Ok(me) => Session::SignedIn(me),
        Err(_) => Session::SignedOut,
    };
    globals().session.set(session);
}

/// `/readyz` now and every 15 s: the banner and the simulated-cluster marker.
async fn poll_ready() {
    loop {
        let ready = match gloo_net::http::Request::get("/readyz").send().await {
            Ok(resp) => resp.json::<Ready>().await.ok(),
            Err(_) => None,
        }
        .unwrap_or(Ready {
            ready: false,
            database: "?".into(),
            cluster: "?".into(),
            cluster_label: None,
        });
        globals().ready.set(Some(ready));
        sleep_ms(15_000).await;
    }
}

/// Waits `ms` milliseconds (a browser timer).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=Login/>
                <ParentRoute path=path!("") view=shell::Shell>
                    <Route path=path!("") view=Overview/>
                    <Route path=path!("tenants") view=Tenants/>
                    <Route path=path!("tenants/:tenant") view=TenantPage/>
                    <Route path=path!("tenants/:tenant/namespaces/new") view=NewNamespace/>
                    <Route path=path!("tenants/:tenant/namespaces/:ns") view=NamespacePage/>
                    <Route path=path!("namespaces") view=Namespaces/>
                    <Route path=path!("quota-requests") view=QuotaRequests/>
                    <Route path=path!("quota-requests/new") view=NewQuotaRequest/>
                    <Route path=path!("quota-requests/:id") view=QuotaRequestPage/>
                    <Route path=path!("audit") view=Audit/>
                    <Route path=path!("dashboards") view=Dashboards/>
                    <Route path=path!("users") view=Users/>
                    <Route path=path!("profile") view=Profile/>
                    <Route path=path!("workloads") view=WorkloadsHome/>
                    <Route path=path!("ns/:ns/create") view=CreateFromYaml/>
                    <Route path=path!("ns/:ns/:kind") view=KindList/>
                    <Route path=path!("ns/:ns/:kind/:name") view=ObjectPage/>
                    <Route path=path!("ns/:ns/pods/:name/logs") view=PodLogs/>
                    <Route path=path!("explorer/*rest") view=Explorer/>
                    <Route path=path!("nodes") view=Nodes/>
                    <Route path=path!("nodes/:name") view=NodePage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
