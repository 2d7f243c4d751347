//! Parsing of the human quantities the command line and scenarios use:
//! durations (`30s`, `250ms`, `1m30s`), rates (`2000/s`, `120/m`) and
//! percentages (`1%`, `0.5%`).

use std::time::Duration;

use crate::error::LoadError;

/// Parses a duration such as `30s`, `250ms`, `1.5s`, `2m`, `1h`, `1m30s`
/// or `500us`. A bare number is taken as seconds.
pub fn parse_duration(text: &str) -> Result<Duration, LoadError> {
    let bad = || LoadError::Invalid(format!("invalid duration `{text}` (use e.g. 30s, 250ms, 1m30s)"));
    let s = text.trim();
    if s.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return seconds_to_duration(secs).ok_or_else(bad);
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(bad)?;
        if number_len == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..number_len].parse().map_err(|_| bad())?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let factor = match rest[..unit_len].trim() {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" | "sec" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += value * factor;
        rest = &rest[unit_len..];
    }
    seconds_to_duration(total).ok_or_else(bad)
}

fn seconds_to_duration(secs: f64) -> Option<Duration> {
    if secs.is_finite() && (0.0..=1e9).contains(&secs) {
        Some(Duration::from_secs_f64(secs))
    } else {
        None
    }
}

/// Parses a rate in requests per second: `2000/s`, `2000`, `120/m`, `10/100ms`.
pub fn parse_rate(text: &str) -> Result<f64, LoadError> {
    let bad = || LoadError::Invalid(format!("invalid rate `{text}` (use e.g. 2000/s or 120/m)"));
    let s = text.trim();
    let (count, per) = match s.split_once('/') {
        Some((count, per)) => (count.trim(), per.trim()),
        None => (s, "s"),
    };
    let count: f64 = count.parse().map_err(|_| bad())?;
    let per = match per {
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => parse_duration(other).map_err(|_| bad())?.as_secs_f64(),
    };
    let rate = count / per;
    if rate.is_finite() && rate >= 0.0 && per > 0.0 {
        Ok(rate)
    } else {
        Err(bad())
    }
}

/// Parses a percentage `1%` (or a bare fraction `0.01`) into a fraction.
pub fn parse_percent(text: &str) -> Result<f64, LoadError> {
    let bad = || LoadError::Invalid(format!("invalid percentage `{text}` (use e.g. 1% or 0.5%)"));
    let s = text.trim();
    let value = if let Some(number) = s.strip_suffix('%') {
        number.trim().parse::<f64>().map_err(|_| bad())? / 100.0
    } else {
        s.parse::<f64>().map_err(|_| bad())?
    };
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(bad())
    }
}

/// Formats a latency given in microseconds for humans: `850us`, `12.3ms`, `1.20s`.
pub fn format_micros(us: f64) -> String {
    if us < 1000.0 {
        format!("{us:.0}us")
    } else if us < 1_000_000.0 {
        format!("{:.2}ms", us / 1000.0)
    } else {
        format!("{:.2}s", us / 1_000_000.0)
    }
}

/// Formats a byte count with binary units.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else {
        format!("{value:.1}{}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn rates_and_percents() {
        assert_eq!(parse_rate("2000/s").unwrap(), 2000.0);
        assert_eq!(parse_rate("120/m").unwrap(), 2.0);
        assert_eq!(parse_rate("50").unwrap(), 50.0);
        assert_eq!(parse_rate("10/100ms").unwrap(), 100.0);
        assert!(parse_rate("x/s").is_err());
        assert!((parse_percent("1%").unwrap() - 0.01).abs() < 1e-12);
        assert!(parse_percent("-1%").is_err());
    }
}
