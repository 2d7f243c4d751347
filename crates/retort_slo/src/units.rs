//! Durations and ratios as people write them: `28d`, `5m`, `250ms`, `99.9%`.

/// Parses a duration into microseconds: `250ms`, `1.5s`, `2m`, `1h`, `28d`,
/// `800us`; a bare number is milliseconds.
pub fn parse_duration_us(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("`{text}` is not a duration like 250ms, 5m or 28d"))?;
    let scale = match unit.trim() {
        "" | "ms" => 1e3,
        "us" | "µs" => 1.0,
        "s" => 1e6,
        "m" => 60e6,
        "h" => 3600e6,
        "d" => 86_400e6,
        "w" => 7.0 * 86_400e6,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (us, ms, s, m, h, d, w)")),
    };
    let us = value * scale;
    if !(us.is_finite() && us > 0.0) {
        return Err(format!("`{text}` must be positive"));
    }
    Ok(us.round() as u64)
}

/// Parses a duration into whole seconds (`5m` → 300); bare numbers are seconds here.
pub fn parse_duration_secs(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let with_unit = if t.chars().all(|c| c.is_ascii_digit()) { format!("{t}s") } else { t.to_string() };
    let us = parse_duration_us(&with_unit)?;
    if us % 1_000_000 != 0 {
        return Err(format!("`{text}` must be a whole number of seconds"));
    }
    Ok((us / 1_000_000) as i64)
}

/// `99.9%` → 0.999, `0.999` → 0.999.
pub fn parse_ratio(text: &str) -> Result<f64, String> {
    let t = text.trim();
    // `99.9%` is rounded to the same number as `0.999`.
    let value = if let Some(p) = t.strip_suffix('%') {
        p.trim().parse::<f64>().map(|v| (v / 100.0 * 1e12).round() / 1e12)
    } else {
        t.parse::<f64>()
    };
    value.map_err(|_| format!("`{text}` is not a ratio like 0.999 or 99.9%"))
}

/// Microseconds for humans: `250ms`, `1.5s`, `800us`.
pub fn format_us(us: u64) -> String {
    if us >= 1_000_000 && us.is_multiple_of(1_000) {
        format!("{}s", crate::spec::trim_float(us as f64 / 1e6))
    } else if us >= 1_000 {
        format!("{}ms", crate::spec::trim_float(us as f64 / 1e3))
    } else {
        format!("{us}us")
    }
}

/// Seconds as a Prometheus/SRE window name: `5m`, `1h`, `3d`, `30d`.
pub fn format_window(secs: i64) -> String {
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else if secs % 3_600 == 0 {
        format!("{}h", secs / 3_600)
    } else if secs % 60 == 0 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}
