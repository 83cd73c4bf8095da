//! Timestamps as the API shows them (RFC 3339, UTC, seconds) and the clock.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

pub fn rfc3339_opt(t: Option<OffsetDateTime>) -> Option<String> {
    t.map(rfc3339)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_seconds() {
        let t = time::macros::datetime!(2026-11-23 10:11:12.345 +01:00);
        assert_eq!(super::rfc3339(t), "2026-11-23T09:11:12Z");
    }
}
