//! The API explorer (`/explorer`, `/explorer/<group>/<version>/<resource>[/<name>]?ns=`):
//! the cluster's groups, versions and resources from aggregated discovery through the proxy
//! (the tree, `tree`), a resource's objects and one object's YAML (`objects`).

mod objects;
mod tree;

pub use objects::{ExplorerObject, ExplorerObjects};

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_query_map;

use super::super::api::ApiResult;
use super::super::k8s;
use super::super::state::t;
use super::super::widgets::set_title;
use crate::apis::{self, AGGREGATED, Group};

/// The served groups, loaded once for the explorer's pages.
pub type Groups = LocalResource<ApiResult<Vec<Group>>>;

async fn discover() -> ApiResult<Vec<Group>> {
    let mut groups = apis::parse(&k8s::get_as("/k8s/api", AGGREGATED).await?);
    groups.extend(apis::parse(&k8s::get_as("/k8s/apis", AGGREGATED).await?));
    Ok(groups)
}

/// The frame: the tree on the left, the selected resource or object on the right.
#[component]
pub fn Explorer() -> impl IntoView {
    set_title("ex.title");
    let groups: Groups = LocalResource::new(discover);
    provide_context(groups);
    view! {
        <div class="pagehead"><h1>{t("ex.title")}</h1></div>
        <div class="explorer">
            <tree::Tree groups=groups/>
            <section class="explorer-main"><Outlet/></section>
        </div>
    }
}

/// `/explorer` itself: what to do.
#[component]
pub fn ExplorerHome() -> impl IntoView {
    view! { <p class="empty" data-testid="ex-pick">{t("ex.pick")}</p> }
}

/// `?ns=` of the explorer's URL.
pub fn query_ns() -> Memo<String> {
    let q = use_query_map();
    Memo::new(move |_| q.get().get("ns").unwrap_or_default())
}
