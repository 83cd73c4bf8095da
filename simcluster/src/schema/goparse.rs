//! The value parsers behind kube-apiserver's custom JSON decoders, with Go's error wording:
//! `resource.ParseQuantity`, `encoding/base64` (for `[]byte` fields) and `time.Parse` (for
//! `metav1.Time` / `metav1.MicroTime`).

/// `resource.ErrFormatWrong`
pub(crate) const QUANTITY_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX: &str = "unable to parse quantity's suffix";

/// Checks a quantity string like `resource.ParseQuantity` does (after the decoder's TrimSpace).
pub(crate) fn parse_quantity(s: &str) -> Result<(), &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err(QUANTITY_FORMAT_WRONG);
    }
    if s == "0" {
        return Ok(());
    }
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    if b[0] == b'-' || b[0] == b'+' {
        pos += 1;
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(()); // only a sign and zeros: zero
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok(());
    }
    if b[pos] == b'.' {
        pos += 1;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos >= end {
            return Ok(());
        }
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end {
        if b[pos] == b'-' || b[pos] == b'+' {
            pos += 1;
        }
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos < end {
            return Err(QUANTITY_FORMAT_WRONG);
        }
    }
    let suffix = &s[suffix_start..];
    let known = matches!(
        suffix,
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E"
    ) || matches!(suffix, "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei")
        || (suffix.len() > 1
            && (suffix.starts_with('e') || suffix.starts_with('E'))
            && suffix[1..].parse::<i64>().is_ok());
    if known { Ok(()) } else { Err(QUANTITY_SUFFIX) }
}

/// Go's `base64.StdEncoding.Decode` error for a `[]byte` field: `illegal base64 data at input
/// byte N`, or None when the string decodes.
pub(crate) fn base64_error(s: &str) -> Option<String> {
    let src = s.as_bytes();
    let val = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let nl = |c: u8| c == b'\n' || c == b'\r';
    let corrupt = |n: usize| Some(format!("illegal base64 data at input byte {n}"));
    let mut si = 0;
    loop {
        // one quantum of up to 4 characters
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return None;
                }
                return corrupt(si - j);
            }
            let c = src[si];
            si += 1;
            if val(c) {
                j += 1;
                continue;
            }
            if nl(c) {
                continue;
            }
            if c != b'=' {
                return corrupt(si - 1);
            }
            // padding
            match j {
                0 | 1 => return corrupt(si - 1),
                2 => {
                    while si < src.len() && nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return corrupt(src.len());
                    }
                    if src[si] != b'=' {
                        return corrupt(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return corrupt(si);
            }
            return None;
        }
    }
}

/// Go's time.quote: the value in double quotes, with quotes, backslashes and non-ASCII bytes escaped.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if (c as u32) < 0x20 || (c as u32) >= 0x80 => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{byte:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Layouts of metav1.Time (RFC 3339) and metav1.MicroTime.
pub(crate) const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
pub(crate) const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

enum Elem {
    Lit(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac6,
    Zone,
}

/// Go's `time.Parse(layout, value)` error message for the two layouts above, or None if valid.
pub(crate) fn time_error(layout: &'static str, value: &str) -> Option<String> {
    use Elem::*;
    let micro = layout == RFC3339_MICRO;
    let mut elems: Vec<(Elem, &str)> = vec![
        (Year, "2006"),
        (Lit("-"), "-"),
        (Month, "01"),
        (Lit("-"), "-"),
        (Day, "02"),
        (Lit("T"), "T"),
        (Hour, "15"),
        (Lit(":"), ":"),
        (Minute, "04"),
        (Lit(":"), ":"),
        (Second, "05"),
    ];
    if micro {
        elems.push((Frac6, ".000000"));
    }
    elems.push((Zone, "Z07:00"));

    let fail = |rest: &str, elem: &str| {
        Some(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(rest),
            quote(elem)
        ))
    };
    let range = |what: &str| {
        Some(format!(
            "parsing time {}: {what} out of range",
            quote(value)
        ))
    };
    let (mut year, mut month, mut day) = (0i64, 0i64, 0i64);
    let mut rest = value;
    for (elem, text) in elems {
        let hold = rest;
        match elem {
            Lit(l) => match rest.strip_prefix(l) {
                Some(r) => rest = r,
                None => return fail(rest, l),
            },
            Year => {
                let b = rest.as_bytes();
                if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
                    return fail(hold, text);
                }
                year = rest[..4].parse().unwrap_or(0);
                rest = &rest[4..];
            }
            Month | Day | Minute | Second | Hour => {
                let fixed = !matches!(elem, Hour);
                let Some((n, r)) = getnum(rest, fixed) else {
                    return fail(hold, text);
                };
                rest = r;
                match elem {
                    Month if !(1..=12).contains(&n) => return range("month"),
                    Month => month = n,
                    Day => day = n,
                    Hour if n >= 24 => return range("hour"),
                    Minute if n >= 60 => return range("minute"),
                    Second if n >= 60 => return range("second"),
                    _ => {}
                }
                // RFC 3339 (no fraction in the layout) accepts an optional fraction after seconds
                if matches!(elem, Second) && !micro {
                    let b = rest.as_bytes();
                    if b.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        rest = &rest[n..];
                    }
                }
            }
            Frac6 => {
                let b = rest.as_bytes();
                if b.len() < 7 || b[0] != b'.' || !b[1..7].iter().all(u8::is_ascii_digit) {
                    return fail(hold, text);
                }
                rest = &rest[7..];
            }
            Zone => {
                if let Some(r) = rest.strip_prefix('Z') {
                    rest = r;
                    continue;
                }
                let b = rest.as_bytes();
                if b.len() < 6 || b[3] != b':' || !matches!(b[0], b'+' | b'-') {
                    return fail(hold, text);
                }
                let two = |i: usize| {
                    (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit())
                        .then(|| ((b[i] - b'0') * 10 + (b[i + 1] - b'0')) as i64)
                };
                let (Some(hh), Some(mm)) = (two(1), two(4)) else {
                    return fail(hold, text);
                };
                if hh > 24 {
                    return range("time zone offset hour");
                }
                if mm > 60 {
                    return range("time zone offset minute");
                }
                rest = &rest[6..];
            }
        }
    }
    if !rest.is_empty() {
        return Some(format!(
            "parsing time {}: extra text: {}",
            quote(value),
            quote(rest)
        ));
    }
    if day < 1 || day > days_in(month, year) {
        return range("day");
    }
    None
}

/// Go's getnum: one or two digits (exactly two when fixed).
fn getnum(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() < 2 || !b[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some(((b[0] - b'0') as i64, &s[1..]));
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as i64, &s[2..]))
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        for ok in [
            "1", "100m", "1.5", "0.5Gi", "1Gi", "2e3", "1E+2", " 1Ki ", "-1", "+5M", ".5", "0",
        ] {
            assert_eq!(parse_quantity(ok), Ok(()), "{ok}");
        }
        assert_eq!(parse_quantity("abc"), Err(QUANTITY_FORMAT_WRONG));
        assert_eq!(parse_quantity(""), Err(QUANTITY_FORMAT_WRONG));
        assert_eq!(parse_quantity("1Gb"), Err(QUANTITY_FORMAT_WRONG));
        assert_eq!(parse_quantity("1 Gi"), Err(QUANTITY_FORMAT_WRONG));
        assert_eq!(parse_quantity("1e"), Err(QUANTITY_SUFFIX));
        assert_eq!(parse_quantity("1Gii"), Err(QUANTITY_SUFFIX));
        assert_eq!(parse_quantity("1mi"), Err(QUANTITY_SUFFIX));
    }

    #[test]
    fn base64() {
        assert_eq!(base64_error("aGVsbG8="), None);
        assert_eq!(
            base64_error("aGVsbG8"),
            Some("illegal base64 data at input byte 4".into())
        );
        assert_eq!(
            base64_error("not base64!"),
            Some("illegal base64 data at input byte 3".into())
        );
        assert_eq!(base64_error(""), None);
        assert_eq!(base64_error("aGVs\nbG8="), None);
        assert_eq!(
            base64_error("aGVsbG8=x"),
            Some("illegal base64 data at input byte 8".into())
        );
        assert_eq!(base64_error("aG=="), None);
        assert_eq!(
            base64_error("a==="),
            Some("illegal base64 data at input byte 1".into())
        );
    }

    #[test]
    fn times() {
        assert_eq!(time_error(RFC3339, "2024-01-02T03:04:05Z"), None);
        assert_eq!(time_error(RFC3339, "2024-01-02T03:04:05.123+02:00"), None);
        assert_eq!(
            time_error(RFC3339, "abc").unwrap(),
            r#"parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006""#
        );
        assert_eq!(
            time_error(RFC3339, "2024-01-02").unwrap(),
            r#"parsing time "2024-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#
        );
        assert_eq!(
            time_error(RFC3339, "2024-13-02T03:04:05Z").unwrap(),
            r#"parsing time "2024-13-02T03:04:05Z": month out of range"#
        );
        assert_eq!(
            time_error(RFC3339, "2023-02-29T03:04:05Z").unwrap(),
            r#"parsing time "2023-02-29T03:04:05Z": day out of range"#
        );
        assert_eq!(
            time_error(RFC3339, "2024-01-02T03:04:05Zjunk").unwrap(),
            r#"parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk""#
        );
        assert_eq!(
            time_error(RFC3339_MICRO, "2024-01-02T03:04:05.123456Z"),
            None
        );
        assert_eq!(
            time_error(RFC3339_MICRO, "2024-01-02T03:04:05Z").unwrap(),
            r#"parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000""#
        );
    }
}
