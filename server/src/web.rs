//! The browser side of the portal: for now a placeholder page (the Leptos app arrives with its
//! issue).

use axum::response::Html;

pub async fn placeholder() -> Html<&'static str> {
    Html(
        "<!doctype html><title>ku8portal</title><h1>ku8portal</h1><p>The web interface is under construction; the portal API is at <code>/api/v1</code> (see <a href=\"/api/v1/openapi.json\">its OpenAPI description</a>).</p>",
    )
}
