//! Text side of quantities: suffixes, splitting, canonical formatting (as the apiserver does).

use super::{ERR_FORMAT, Format};

const NANO: i128 = 1_000_000_000;

pub(super) fn dec_suffix(s: &str) -> Option<i32> {
    Some(match s {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

pub(super) fn bin_suffix(s: &str) -> Option<u32> {
    Some(match s {
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        "Ti" => 40,
        "Pi" => 50,
        "Ei" => 60,
        _ => return None,
    })
}

pub(super) struct Parts<'a> {
    pub(super) positive: bool,
    pub(super) num: &'a str,
    pub(super) denom: &'a str,
    pub(super) suffix: &'a str,
}

/// `parseQuantityString`: sign, numerator (leading zeros stripped), denominator and suffix.
pub(super) fn split(s: &str) -> Result<Parts<'_>, String> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end && (b[0] == b'-' || b[0] == b'+') {
        positive = b[0] == b'+';
        pos += 1;
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[start..pos];
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let ds = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[ds..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(ERR_FORMAT.to_string());
    }
    Ok(Parts {
        positive,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// Go keeps the original string when the int64 fast path saw it in canonical form.
pub(super) fn cache_original(
    s: &str,
    p: &Parts,
    exponent: i32,
    format: Format,
    base10: bool,
) -> Option<String> {
    let total = p.num.len() + p.denom.len();
    if total > 18 {
        return None;
    }
    if base10 {
        let scale = exponent - p.denom.len() as i32;
        if scale < -9 {
            return None;
        }
        let shifted = format!("{}{}", p.num, p.denom);
        let v: i64 = shifted.parse().ok()?;
        let _ = v;
        if scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0') {
            return Some(s.to_string());
        }
        None
    } else {
        if !p.denom.is_empty() || format != Format::BinarySI {
            return None;
        }
        let precision = 15 - p.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
        if precision < 0 {
            return None;
        }
        let v: i64 = p.num.parse().ok()?;
        v.checked_mul(1i64.checked_shl(exponent as u32)?)?;
        if exponent % 10 == 0 && (v & 0x07) != 0 {
            return Some(s.to_string());
        }
        None
    }
}

pub(super) fn canonical(nano: i128, format: Format) -> String {
    if nano == 0 {
        return "0".into();
    }
    let mut format = format;
    if format == Format::BinarySI && (nano.abs() < 1024 * NANO || nano % NANO != 0) {
        format = Format::DecimalSI;
    }
    if format == Format::BinarySI {
        let mut v = nano / NANO;
        let mut e = 0;
        while v % 1024 == 0 && e < 6 {
            v /= 1024;
            e += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e];
        return format!("{v}{suffix}");
    }
    let mut mant = nano;
    let mut exp: i32 = -9;
    while mant % 10 == 0 {
        mant /= 10;
        exp += 1;
    }
    while exp.rem_euclid(3) != 0 {
        mant *= 10;
        exp -= 1;
    }
    if format == Format::DecimalExponent {
        return if exp == 0 {
            format!("{mant}")
        } else {
            format!("{mant}e{exp}")
        };
    }
    let suffix = match exp {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => return format!("{mant}e{exp}"),
    };
    format!("{mant}{suffix}")
}
