//! ku8portal's browser app: a Leptos client-side-rendered web app compiled to wasm32 (the
//! `app` module), plus pure modules (translations, quota form logic, workload rows and kinds, the
//! YAML printer and manifest reader, the editor's error markers, the overview's summaries, the
//! navigation's sections) that also build and are
//! tested on the host.

pub mod apis;
pub mod editor;
pub mod html;
pub mod i18n;
pub mod kinds;
pub mod manifest;
pub mod nav;
pub mod nodes;
pub mod overview;
pub mod quota_form;
pub mod rows;
pub mod yaml;

#[cfg(target_arch = "wasm32")]
mod app;
