//! A small HTTP client for the portal API in tests: JSON in and out, a cookie jar of one
//! session cookie (the raw Set-Cookie kept for flag checks), or a bearer token.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// One answer.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    /// The error envelope's message.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
}

/// A client with its own session (like one browser) or token.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    client: HyperClient<HttpConnector, Full<Bytes>>,
    pub cookie: Option<String>,
    pub set_cookie: Option<String>,
    pub token: Option<String>,
    /// Extra headers sent with every request (e.g. Origin).
    pub headers: HeaderMap,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            client: HyperClient::builder(TokioExecutor::new()).build_http(),
            cookie: None,
            set_cookie: None,
            token: None,
            headers: HeaderMap::new(),
        }
    }

    pub fn with_token(&self, token: &str) -> Api {
        let mut a = Api::new(&self.base);
        a.token = Some(token.to_string());
        a
    }

    pub async fn raw(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        content_type: Option<&str>,
    ) -> Resp {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(t) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let req = req
            .body(Full::new(body.unwrap_or_default()))
            .expect("request");
        let resp = self.client.request(req).await.expect("portal answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        if let Some(sc) = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            self.set_cookie = Some(sc.to_string());
            let pair = sc.split(';').next().unwrap_or_default().to_string();
            // An expired cookie (logout / ended session) clears the jar.
            let cleared = sc.contains("Max-Age=0") || pair.ends_with('=');
            self.cookie = if cleared { None } else { Some(pair) };
        }
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn call(&mut self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let bytes = body.map(|b| Bytes::from(serde_json::to_vec(b).unwrap()));
        let ct = body.map(|_| "application/json");
        self.raw(method, path, bytes, ct).await
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }
    pub async fn post(&mut self, path: &str, body: &Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }
    pub async fn put(&mut self, path: &str, body: &Value) -> Resp {
        self.call(Method::PUT, path, Some(body)).await
    }
    pub async fn patch(&mut self, path: &str, body: &Value) -> Resp {
        self.call(Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&mut self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// Logs in (panics on failure) and keeps the session cookie.
    pub async fn login(&mut self, user: &str, password: &str) -> Resp {
        self.post(
            "/api/v1/auth/login",
            &serde_json::json!({"username": user, "password": password}),
        )
        .await
        .expect(200)
    }

    pub fn header(&mut self, name: &'static str, value: &str) {
        self.headers
            .insert(name, HeaderValue::from_str(value).unwrap());
    }
}
