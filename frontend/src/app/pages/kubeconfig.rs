//! The profile's kubeconfig card: download a kubeconfig for kubectl through the portal's proxy
//! (`GET /api/v1/me/kubeconfig` mints a token for it) and the commands to use it.

use leptos::prelude::*;

use super::super::state::{me, t};

#[component]
pub fn KubeconfigCard() -> impl IntoView {
    let user = me().map(|m| m.username).unwrap_or_default();
    let file = format!("ku8portal-{user}.kubeconfig");
    let commands = format!(
        "export KUBECONFIG=~/Downloads/{file}\nkubectl get namespaces\nkubectl -n <namespace> get pods\nkubectl -n <namespace> apply -f app.yaml"
    );
    view! {
        <section class="card" data-testid="kubeconfig">
            <h2>{t("profile.kubeconfig")}</h2>
            <p class="muted">{t("profile.kubeconfig.hint")}</p>
            <a class="btn primary" href="/api/v1/me/kubeconfig" download=file data-testid="kubeconfig-download">{t("profile.kubeconfig.download")}</a>
            <p class="mt">{t("profile.kubeconfig.use")}</p>
            <pre class="commands">{commands}</pre>
        </section>
    }
}
