//! ku8portal's browser app: a Leptos client-side-rendered web app compiled to wasm32 (the
//! `app` module), plus pure modules (translations, quota form logic) that also build and are
//! tested on the host.

pub mod i18n;
pub mod quota_form;

#[cfg(target_arch = "wasm32")]
mod app;
