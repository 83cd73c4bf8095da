//! Who calls the proxy: an API token (`Authorization: Bearer`) or a session cookie, resolved to
//! the user and the namespaces of the user's enabled tenants with the role in each. Answers are
//! cached for `TTL` so a proxied request costs no database round trip; a removed member, a
//! revoked token or a disabled user loses access within that time, and long-running streams
//! re-check with `still_allowed`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_types::portal::Role;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use uuid::Uuid;

use super::authz::Caller;
use super::error::{ProxyError, ProxyResult};
use crate::auth::{session, tokens};
use crate::state::AppState;

/// How long a resolved caller is reused.
pub const TTL: Duration = Duration::from_secs(2);

/// One namespace the caller may use.
#[derive(Debug, Clone)]
pub struct NsAccess {
    pub role: Role,
    pub tenant_id: Uuid,
    pub tenant: String,
}

/// How the caller authenticated (what `still_allowed` re-checks).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    /// The SHA-256 of the token secret.
    Token(Vec<u8>),
    Session(Uuid),
}

/// The authenticated caller of a proxied request.
#[derive(Debug, Clone)]
pub struct ProxyUser {
    pub user_id: Uuid,
    pub username: String,
    pub credential: Credential,
    pub namespaces: BTreeMap<String, NsAccess>,
    /// The same, in the form the authorization decision takes.
    pub authz: Caller,
}

/// What a cached caller is found by: the SHA-256 of the token secret, or of the session
/// cookie's value (so a browser's proxied request skips the session and user queries too).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CacheKey {
    Token(Vec<u8>),
    Cookie(Vec<u8>),
}

/// Recently resolved callers.
#[derive(Default)]
pub struct CallerCache {
    map: Mutex<HashMap<CacheKey, (Instant, Arc<ProxyUser>)>>,
}

impl CallerCache {
    fn get(&self, key: &CacheKey) -> Option<Arc<ProxyUser>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, u)| u.clone())
    }

    fn put(&self, key: CacheKey, user: Arc<ProxyUser>) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (at, _)| at.elapsed() < TTL);
        }
        map.insert(key, (Instant::now(), user));
    }
}

/// The session cookie's value, if the request carries one.
fn session_cookie(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|c| {
            c.strip_prefix(crate::app::SESSION_COOKIE)?
                .strip_prefix('=')
        })
        .filter(|v| !v.is_empty())
}

fn unauthorized() -> ProxyError {
    ProxyError::from(crate::error::ApiError::Unauthenticated(String::new()))
}

/// Authenticates a proxied request.
pub async fn authenticate(state: &AppState, parts: &mut Parts) -> ProxyResult<Arc<ProxyUser>> {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let secret = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(unauthorized)?;
        let hash = tokens::hash(secret);
        let key = CacheKey::Token(hash.clone());
        if let Some(u) = state.proxy.callers.get(&key) {
            return Ok(u);
        }
        let user = resolve(state, &Credential::Token(hash))
            .await?
            .ok_or_else(unauthorized)?;
        let user = Arc::new(user);
        state.proxy.callers.put(key, user.clone());
        return Ok(user);
    }
    // A session seen within `TTL` is not loaded again: logging out, a password change or a
    // removed membership take effect within that time, as for tokens.
    let cookie = session_cookie(parts).map(|c| CacheKey::Cookie(tokens::hash(c)));
    if let Some(u) = cookie.as_ref().and_then(|k| state.proxy.callers.get(k)) {
        return Ok(u);
    }
    let session = tower_sessions::Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, msg)| ProxyError::internal(msg))?;
    let p = session::authenticate(state, &session).await?;
    let user = resolve(state, &Credential::Session(p.user_id))
        .await?
        .ok_or_else(unauthorized)?;
    let user = Arc::new(user);
    if let Some(key) = cookie {
        state.proxy.callers.put(key, user.clone());
    }
    Ok(user)
}

/// Whether `user`'s credential still works and `namespaces` are all still the user's (the
/// check a watch or followed log repeats while it is open). Reads the database, not the cache.
pub async fn still_allowed(state: &AppState, user: &ProxyUser, namespaces: &[String]) -> bool {
    match resolve(state, &user.credential).await {
        Ok(Some(now)) => {
            now.authz.platform_admin
                || (!user.authz.platform_admin
                    && namespaces.iter().all(|n| now.namespaces.contains_key(n)))
        }
        Ok(None) => false,
        // A database hiccup does not cut streams; the next check decides.
        Err(_) => true,
    }
}

/// The user behind a credential, with the namespaces, from the database.
pub(crate) async fn resolve(state: &AppState, key: &Credential) -> ProxyResult<Option<ProxyUser>> {
    let user = match key {
        Credential::Token(hash) => {
            let row = sqlx::query!(
                r#"SELECT u.id, u.username, u.platform_admin,
                          (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS "stale!"
                   FROM api_tokens t JOIN users u ON u.id = t.user_id
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL
                     AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled"#,
                hash
            )
            .fetch_optional(&state.db)
            .await?;
            let Some(row) = row else { return Ok(None) };
            if row.stale {
                sqlx::query!(
                    "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1",
                    hash
                )
                .execute(&state.db)
                .await?;
            }
            (row.id, row.username, row.platform_admin)
        }
        Credential::Session(id) => {
            let row = sqlx::query!(
                "SELECT username, platform_admin FROM users WHERE id = $1 AND NOT disabled",
                id
            )
            .fetch_optional(&state.db)
            .await?;
            let Some(row) = row else { return Ok(None) };
            (*id, row.username, row.platform_admin)
        }
    };
    let (user_id, username, platform_admin) = user;
    let rows = sqlx::query!(
        r#"SELECT n.name, m.role, t.id AS tenant_id, t.name AS tenant
           FROM memberships m
           JOIN tenants t ON t.id = m.tenant_id AND NOT t.disabled
           JOIN namespaces n ON n.tenant_id = t.id AND n.sync_state NOT IN ('deleting', 'removed')
           WHERE m.user_id = $1"#,
        user_id
    )
    .fetch_all(&state.db)
    .await?;
    let namespaces: BTreeMap<String, NsAccess> = rows
        .into_iter()
        .filter_map(|r| {
            Some((
                r.name,
                NsAccess {
                    role: Role::parse(&r.role)?,
                    tenant_id: r.tenant_id,
                    tenant: r.tenant,
                },
            ))
        })
        .collect();
    let authz = Caller {
        platform_admin,
        namespaces: namespaces
            .iter()
            .map(|(n, a)| (n.clone(), a.role))
            .collect(),
    };
    Ok(Some(ProxyUser {
        user_id,
        username,
        credential: key.clone(),
        namespaces,
        authz,
    }))
}
