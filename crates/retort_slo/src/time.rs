//! Timestamps of access logs → Unix milliseconds, and back to RFC 3339.
//! Hand-written (a few lines of civil-calendar arithmetic) because the hot
//! loop parses one per line and needs no time-zone database.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

fn number(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn valid(year: i64, month: i64, day: i64, h: i64, m: i64, s: i64) -> bool {
    (1970..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&h)
        && (0..60).contains(&m)
        && (0..=60).contains(&s)
}

/// `+0100` / `+01:00` / `Z` → seconds east of UTC.
fn offset_secs(text: &str) -> Option<i64> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 {
        return None;
    }
    Some(sign * (number(&digits[..2])? * 3600 + number(&digits[2..])? * 60))
}

/// `06/Dec/2026:10:00:00 +0000` (the Common Log Format time) → Unix ms.
pub fn parse_clf_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let (stamp, zone) = text.split_once(' ').unwrap_or((text, "+0000"));
    let mut parts = stamp.splitn(4, ':');
    let date = parts.next()?;
    let (h, m, s) = (number(parts.next()?)?, number(parts.next()?)?, parts.next()?);
    let (s, frac) = s.split_once('.').unwrap_or((s, ""));
    let s = number(s)?;
    let mut d = date.split('/');
    let day = number(d.next()?)?;
    let month = match d.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year = number(d.next()?)?;
    if !valid(year, month, day, h, m, s) {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s - offset_secs(zone.trim())?;
    Some(secs * 1000 + millis(frac))
}

fn millis(frac: &str) -> i64 {
    let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).chain("000".chars()).take(3).collect();
    digits.parse().unwrap_or(0)
}

/// `2026-12-06T10:00:00.123+01:00` / `...Z` / with a space → Unix ms.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() < 19 {
        return None;
    }
    let (date, rest) = (t.get(..10)?, t.get(11..)?);
    if !matches!(t.as_bytes()[10], b'T' | b't' | b' ') {
        return None;
    }
    let mut d = date.split('-');
    let (year, month, day) = (number(d.next()?)?, number(d.next()?)?, number(d.next()?)?);
    let (h, m, s) = (number(rest.get(..2)?)?, number(rest.get(3..5)?)?, number(rest.get(6..8)?)?);
    let mut tail = rest.get(8..)?;
    let mut ms = 0;
    if let Some(f) = tail.strip_prefix('.') {
        let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
        ms = millis(&f[..end]);
        tail = &f[end..];
    }
    let offset = if tail.is_empty() { 0 } else { offset_secs(tail)? };
    if !valid(year, month, day, h, m, s) {
        return None;
    }
    Some((days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s - offset) * 1000 + ms)
}

/// Unix seconds → `2026-12-06T10:00:00Z`.
pub fn format_rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    format!("{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clf_and_iso_agree_with_known_epochs() {
        // 2026-12-06T10:00:00Z = 1796551200 (date -u -d ... +%s).
        assert_eq!(parse_clf_time("06/Dec/2026:10:00:00 +0000"), Some(1_796_551_200_000));
        assert_eq!(parse_clf_time("06/Dec/2026:11:00:00 +0100"), Some(1_796_551_200_000));
        assert_eq!(parse_iso8601("2026-12-06T10:00:00.250Z"), Some(1_796_551_200_250));
        assert_eq!(parse_iso8601("2026-12-06T05:00:00-05:00"), Some(1_796_551_200_000));
        assert_eq!(format_rfc3339(1_796_551_200), "2026-12-06T10:00:00Z");
        assert_eq!(parse_clf_time("31/Foo/2026:10:00:00 +0000"), None);
        assert_eq!(parse_clf_time("06/Dec/2026:25:00:00 +0000"), None);
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
