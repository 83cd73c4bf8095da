//! Units as people read them: CPU in cores or millicores, memory and storage in KiB … TiB,
//! counts as counts, percentages; time ticks and labels that fit a range, in the viewer's
//! UTC offset.

use time::{OffsetDateTime, UtcOffset};

use super::text::Lang;

/// What a metric measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cores,
    Bytes,
    Count,
    Percent,
}

/// The kind of a metric name (`cpu`, `memory.requests`, `quota.used/requests.storage`, `pods`).
pub fn kind_of(metric: &str) -> Kind {
    let res = metric.rsplit('/').next().unwrap_or(metric);
    if res.contains("cpu") {
        Kind::Cores
    } else if res.contains("memory") || res.contains("storage") {
        Kind::Bytes
    } else {
        Kind::Count
    }
}

/// A scale for an axis: values are divided by `div` and the axis is named `unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub div: f64,
    pub unit: String,
}

const BYTES: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];

/// The scale that shows values up to `max` with short numbers.
pub fn scale(kind: Kind, max: f64, lang: Lang) -> Scale {
    match kind {
        Kind::Cores if max < 1.0 => Scale {
            div: 0.001,
            unit: lang.t("millicores").into(),
        },
        Kind::Cores => Scale {
            div: 1.0,
            unit: lang.t("cores").into(),
        },
        Kind::Bytes => {
            let mut i = 0;
            while i + 1 < BYTES.len() && max >= 1024f64.powi(i as i32 + 1) {
                i += 1;
            }
            Scale {
                div: 1024f64.powi(i as i32),
                unit: BYTES[i].into(),
            }
        }
        Kind::Count => Scale {
            div: 1.0,
            unit: lang.t("count").into(),
        },
        Kind::Percent => Scale {
            div: 1.0,
            unit: "%".into(),
        },
    }
}

/// The value axis for data up to `max`: its scale, and its top in that scale with `headroom`
/// (a factor) above the largest value; 1 when there is nothing to show.
pub fn value_axis(kind: Kind, max: f64, lang: Lang, headroom: f64) -> (Scale, f64) {
    let scale = scale(kind, max, lang);
    let top = if max > 0.0 {
        max / scale.div * headroom
    } else {
        1.0
    };
    (scale, top)
}

/// A number with at most two decimals, trailing zeros dropped.
pub fn num(v: f64) -> String {
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// One value with its unit: "1.5 cores", "250 millicores", "3.2 GiB", "12", "45%".
pub fn human(kind: Kind, v: f64, lang: Lang) -> String {
    match kind {
        Kind::Count => num(v),
        Kind::Percent => format!("{}%", num(v)),
        _ => {
            let s = scale(kind, v, lang);
            format!("{} {}", num(v / s.div), s.unit)
        }
    }
}

/// Tick spacing for a range of `secs` seconds.
fn tick_step(secs: i64) -> i64 {
    [
        (3_600, 600),
        (21_600, 3_600),
        (86_400, 3 * 3_600),
        (604_800, 86_400),
    ]
    .iter()
    .find(|(upto, _)| secs <= *upto)
    .map_or(5 * 86_400, |(_, step)| *step)
}

/// Tick positions (unix seconds) between `from` and `to`, aligned in the viewer's time zone.
pub fn ticks(from: i64, to: i64, offset: UtcOffset) -> Vec<i64> {
    let step = tick_step(to - from);
    let off = i64::from(offset.whole_seconds());
    let first = (from + off).div_euclid(step) * step + step - off;
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= to)
        .collect()
}

/// A tick's label: "14:30" for a day or less, "11-24" beyond, "11-24 12:00" when a multi-day
/// range's tick is not at midnight.
pub fn tick_label(t: i64, range_secs: i64, offset: UtcOffset) -> String {
    let Ok(at) = OffsetDateTime::from_unix_timestamp(t) else {
        return String::new();
    };
    let at = at.to_offset(offset);
    if range_secs <= 86_400 {
        format!("{:02}:{:02}", at.hour(), at.minute())
    } else if at.hour() == 0 && at.minute() == 0 {
        format!("{:02}-{:02}", u8::from(at.month()), at.day())
    } else {
        format!(
            "{:02}-{:02} {:02}:{:02}",
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute()
        )
    }
}

/// "UTC+08:00".
pub fn offset_name(offset: UtcOffset) -> String {
    let (h, m, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", h.abs(), m.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_people_read() {
        assert_eq!(kind_of("quota.used/requests.cpu"), Kind::Cores);
        assert_eq!(kind_of("memory.limits"), Kind::Bytes);
        assert_eq!(kind_of("budget/requests.storage"), Kind::Bytes);
        assert_eq!(kind_of("budget/requests.nvidia.com/gpu"), Kind::Count);
        assert_eq!(human(Kind::Cores, 0.25, Lang::En), "250 millicores");
        assert_eq!(human(Kind::Cores, 1.5, Lang::Zh), "1.5 核");
        assert_eq!(human(Kind::Bytes, 512.0 * 1048576.0, Lang::En), "512 MiB");
        assert_eq!(
            human(Kind::Bytes, 3.25 * 1073741824.0, Lang::En),
            "3.25 GiB"
        );
        assert_eq!(human(Kind::Count, 12.0, Lang::En), "12");
        assert_eq!(num(12.345), "12.3");
    }

    #[test]
    fn ticks_fit_the_range_and_time_zone() {
        let cst = UtcOffset::from_hms(8, 0, 0).unwrap();
        // 2026-11-24 10:07 UTC, one hour: every ten minutes.
        let to = 1_795_514_820;
        let t = ticks(to - 3_600, to, UtcOffset::UTC);
        assert_eq!(t.len(), 6);
        assert_eq!(tick_label(t[0], 3_600, UtcOffset::UTC), "09:10");
        assert_eq!(tick_label(t[0], 3_600, cst), "17:10");
        // Seven days in UTC+8: ticks at local midnight.
        let t = ticks(to - 604_800, to, cst);
        assert_eq!(t.len(), 7);
        assert_eq!(tick_label(t[0], 604_800, cst), "11-18");
        assert_eq!(offset_name(cst), "UTC+08:00");
        assert_eq!(
            offset_name(UtcOffset::from_hms(-5, -30, 0).unwrap()),
            "UTC-05:30"
        );
    }
}
