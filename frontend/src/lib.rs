//! ku8portal browser app. Placeholder until the Leptos pages land (issue "The web portal in the browser").

pub use api_types::ErrorBody;
