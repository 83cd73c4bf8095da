//! Cron schedule validation as `robfig/cron/v3`'s `ParseStandard` reports errors (5 fields,
//! ranges, steps, month/weekday names, `@` descriptors, `TZ=` prefixes).

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DOWS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct Bounds {
    min: i64,
    max: i64,
    names: &'static [&'static str],
    name_base: i64,
}

const FIELDS: [Bounds; 5] = [
    Bounds {
        min: 0,
        max: 59,
        names: &[],
        name_base: 0,
    },
    Bounds {
        min: 0,
        max: 23,
        names: &[],
        name_base: 0,
    },
    Bounds {
        min: 1,
        max: 31,
        names: &[],
        name_base: 0,
    },
    Bounds {
        min: 1,
        max: 12,
        names: &MONTHS,
        name_base: 1,
    },
    Bounds {
        min: 0,
        max: 6,
        names: &DOWS,
        name_base: 0,
    },
];

/// Go's `strconv.Atoi` then the negative check of `mustParseInt`.
fn must_parse_int(expr: &str) -> Result<i64, String> {
    let n: i64 = expr.parse().map_err(|_| {
        format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax")
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n)
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<i64, String> {
    let lower = expr.to_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        return Ok(i as i64 + b.name_base);
    }
    must_parse_int(expr)
}

fn range(expr: &str, b: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_high.len() == 1;
    let (start, mut end);
    if low_high[0] == "*" || low_high[0] == "?" {
        start = b.min;
        end = b.max;
    } else {
        start = int_or_name(low_high[0], b)?;
        end = match low_high.len() {
            1 => start,
            2 => int_or_name(low_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let s = must_parse_int(range_and_step[1])?;
            if single {
                end = b.max;
            }
            s
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

/// Go's `time.ParseDuration` acceptance (enough for `@every`).
fn parse_duration(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return false;
        }
        rest = &rest[n..];
        let u = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u));
        match u {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// Error text of `cron.ParseStandard(spec)`, if any.
pub fn parse_standard(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let i = spec.find(' ').unwrap_or(spec.len());
        let eq = spec.find('=').unwrap_or(0);
        let loc = &spec[eq + 1..i];
        if !super::batch::known_time_zone(loc) {
            return Err(format!(
                "provided bad location {loc}: unknown time zone {loc}"
            ));
        }
        spec = spec[i..].trim();
    }
    if spec.starts_with('@') {
        return match spec {
            "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight"
            | "@hourly" => Ok(()),
            s if s.starts_with("@every ") => {
                let d = &s[7..];
                if parse_duration(d) {
                    Ok(())
                } else {
                    Err(format!(
                        "failed to parse duration {s}: time: invalid duration {d:?}"
                    ))
                }
            }
            s => Err(format!("unrecognized descriptor: {s}")),
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    for (f, b) in fields.iter().zip(FIELDS.iter()) {
        for part in f.split(',') {
            range(part, b)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robfig_messages() {
        assert_eq!(
            parse_standard("every minute").unwrap_err(),
            "expected exactly 5 fields, found 2: [every minute]"
        );
        assert!(parse_standard("0 0 1 1 *").is_ok());
        assert!(parse_standard("*/5 * * jan-mar mon").is_ok());
        assert_eq!(
            parse_standard("0 0 32 1 *").unwrap_err(),
            "end of range (32) above maximum (31): 32"
        );
        assert_eq!(
            parse_standard("x * * * *").unwrap_err(),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert!(parse_standard("@hourly").is_ok());
        assert!(parse_standard("@every 1h30m").is_ok());
    }
}
