//! Quantity arithmetic for reconciliation: Kubernetes quantity strings as exact nano-units, so
//! `1Gi`/`1024Mi` and `0.5`/`500m` compare equal and node capacities can be summed.
//!
//! TODO: use the shared parser (`api_types::quantity::Quantity`) once api-types has one; this
//! small normalization helper only exists because it does not yet.

use std::collections::BTreeMap;

const NANO: i128 = 1_000_000_000;

/// The value of a quantity in nano-units (1e-9), rounded up to a whole nano-unit as the
/// apiserver does. `None` when `s` is not a quantity or is too large to represent.
pub fn to_nanos(s: &str) -> Option<i128> {
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(end);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if int.is_empty() && frac.is_empty() || frac.contains('.') {
        return None;
    }
    let mut mantissa: i128 = 0;
    for d in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(d - b'0'))?;
    }
    let (binary, decimal) = suffix_exponents(suffix)?;
    let mut value = mantissa.checked_mul(1i128.checked_shl(10 * binary)?)?;
    let exp10 = decimal.checked_sub(i32::try_from(frac.len()).ok()?)? + 9;
    if exp10 >= 0 {
        value = value.checked_mul(10i128.checked_pow(exp10.unsigned_abs())?)?;
    } else {
        value = match 10i128.checked_pow(exp10.unsigned_abs()) {
            Some(div) => value / div + i128::from(value % div != 0),
            None => i128::from(value != 0),
        };
    }
    Some(if negative { -value } else { value })
}

/// (power of 1024, power of 10) of a quantity suffix.
fn suffix_exponents(suffix: &str) -> Option<(u32, i32)> {
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    if let Some(i) = binary.iter().position(|b| *b == suffix) {
        return Some((i as u32 + 1, 0));
    }
    let decimal = match suffix {
        "" => 0,
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            exp.parse::<i32>().ok()?
        }
    };
    Some((0, decimal))
}

/// Two quantities are the same amount (falls back to comparing the text when either does
/// not parse).
pub fn same(a: &str, b: &str) -> bool {
    match (to_nanos(a), to_nanos(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Two resource lists hold the same resources with the same amounts.
pub fn same_list(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
}

/// A quantity string for a nano-unit value: a whole number when it is one, else with the
/// `m`, `u` or `n` suffix.
pub fn format_nanos(n: i128) -> String {
    if n % NANO == 0 {
        (n / NANO).to_string()
    } else if n % 1_000_000 == 0 {
        format!("{}m", n / 1_000_000)
    } else if n % 1_000 == 0 {
        format!("{}u", n / 1_000)
    } else {
        format!("{n}n")
    }
}
