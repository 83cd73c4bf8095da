//! `/healthz` (the process answers) and `/readyz` (the database and the cluster are reachable,
//! with the reason when not).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let limit = Duration::from_secs(3);
    let db = match tokio::time::timeout(limit, sqlx::query("SELECT 1").execute(&state.db)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("the database is unreachable: {e}")),
        Err(_) => Err("the database did not answer within 3 s".to_string()),
    };
    let cluster = match tokio::time::timeout(limit, state.kube.apiserver_version()).await {
        Ok(Ok(v)) => Ok(v.git_version),
        Ok(Err(e)) => Err(format!("the cluster is unreachable: {e}")),
        Err(_) => Err("the cluster did not answer within 3 s".to_string()),
    };
    let ready = db.is_ok() && cluster.is_ok();
    let body = json!({
        "ready": ready,
        "database": db.err().unwrap_or_else(|| "ok".into()),
        "cluster": match cluster { Ok(v) => format!("ok ({v})"), Err(e) => e },
        "cluster_label": state.settings.cluster_label,
    });
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body))
}
