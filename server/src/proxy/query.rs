//! The query string of a proxied request: parsed once, duplicated parameters refused (the
//! apiserver would read the first, a filter might read another), and rebuilt with changes.

use super::error::{ProxyError, ProxyResult};

/// Query parameters in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> ProxyResult<Query> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if pairs.iter().any(|(seen, _)| *seen == k) {
                return Err(ProxyError::bad_request(format!(
                    "the query parameter {k:?} is given more than once"
                )));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Query(pairs))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn without(&self, keys: &[&str]) -> Query {
        Query(
            self.0
                .iter()
                .filter(|(k, _)| !keys.contains(&k.as_str()))
                .cloned()
                .collect(),
        )
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Query {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), value.into()));
        self
    }

    /// `path?query` (just `path` without parameters).
    pub fn url(&self, path: &str) -> String {
        if self.0.is_empty() {
            return path.to_string();
        }
        let q = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish();
        format!("{path}?{q}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused() {
        assert!(Query::parse(Some("watch=false&watch=true")).is_err());
        assert!(Query::parse(Some("fieldSelector=a%3Db&fieldSelector=c")).is_err());
        let q = Query::parse(Some("labelSelector=app%3Dweb&limit=500")).unwrap();
        assert_eq!(q.get("labelSelector"), Some("app=web"));
        assert_eq!(
            q.without(&["limit"]).with("limit", "3").url("/api/v1/pods"),
            "/api/v1/pods?labelSelector=app%3Dweb&limit=3"
        );
        assert_eq!(Query::parse(None).unwrap().url("/x"), "/x");
    }
}
