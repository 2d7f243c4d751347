//! Small SVG charts drawn in Rust: horizontal bars and lines over time.
//! Labels are escaped like everything else; numbers are formatted here.

use std::fmt::Write as _;

use crate::escape::Esc;

/// One bar: its label, value, and a CSS class (`error`, `ok`, … or empty).
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub class: &'static str,
    /// Text printed after the bar (defaults to the value).
    pub note: Option<String>,
}

const LABEL_CHARS: usize = 38;

/// Shortens a label for a chart; the full text stays in a `<title>`.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let head: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{head}…")
}

/// Formats a number without needless decimals (`3`, `2.5`, `0.123`).
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    if value == value.trunc() && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    if value.abs() >= 100.0 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A horizontal bar chart with one labelled bar per row.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 820.0;
    const LABEL: f64 = 280.0;
    const ROW: f64 = 22.0;
    const NOTE: f64 = 180.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len() as f64 + 10.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        Esc(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let span = WIDTH - LABEL - NOTE;
        let width = if max > 0.0 { (bar.value.max(0.0) / max * span).max(1.0) } else { 1.0 };
        let note = bar.note.clone().unwrap_or_else(|| number(bar.value));
        let _ = write!(
            out,
            r#"<g><title>{full}: {note}</title><text x="{tx}" y="{ty}" text-anchor="end">{short}</text><rect class="bar {class}" x="{LABEL}" y="{ry}" width="{width:.1}" height="{h}"/><text x="{nx:.1}" y="{ty}">{note}</text></g>"#,
            full = Esc(&bar.label),
            note = Esc(&note),
            tx = LABEL - 6.0,
            ty = y + 15.0,
            short = Esc(&shorten(&bar.label)),
            class = bar.class,
            ry = y + 3.0,
            h = ROW - 6.0,
            nx = LABEL + width + 6.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// One line of a line chart.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A line chart over `x` (seconds, steps), at most four series.
pub fn line_chart(id: &str, title: &str, x_label: &str, y_label: &str, series: &[Series]) -> String {
    const WIDTH: f64 = 760.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 130.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 36.0;
    let all = series.iter().flat_map(|s| s.points.iter()).filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (f64::MAX, f64::MIN, 0.0_f64, f64::MIN);
    for &(x, y) in all {
        x_min = x_min.min(x);
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    if x_min > x_max {
        (x_min, x_max, y_max) = (0.0, 1.0, 1.0);
    }
    if x_max <= x_min {
        x_max = x_min + 1.0;
    }
    if y_max <= y_min {
        y_max = y_min + 1.0;
    }
    let px = |x: f64| LEFT + (x - x_min) / (x_max - x_min) * (WIDTH - LEFT - RIGHT);
    let py = |y: f64| TOP + (1.0 - (y - y_min) / (y_max - y_min)) * (HEIGHT - TOP - BOTTOM);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        Esc(title)
    );
    for step in 0..=4 {
        let value = y_min + (y_max - y_min) * f64::from(step) / 4.0;
        let y = py(value);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{v}</text>"#,
            x2 = WIDTH - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0,
            v = Esc(&number(value)),
        );
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LEFT}" x2="{x2}" y1="{yb}" y2="{yb}"/><text x="{LEFT}" y="{yl}">{x0}</text><text x="{x2}" y="{yl}" text-anchor="end">{x1}</text><text x="{xm}" y="{yl}" text-anchor="middle">{xlabel}</text><text x="12" y="{ym}" transform="rotate(-90 12 {ym})" text-anchor="middle">{ylabel}</text>"#,
        x2 = WIDTH - RIGHT,
        yb = HEIGHT - BOTTOM,
        yl = HEIGHT - BOTTOM + 18.0,
        x0 = Esc(&number(x_min)),
        x1 = Esc(&number(x_max)),
        xm = (LEFT + WIDTH - RIGHT) / 2.0,
        xlabel = Esc(x_label),
        ym = (TOP + HEIGHT - BOTTOM) / 2.0,
        ylabel = Esc(y_label),
    );
    for (i, s) in series.iter().take(4).enumerate() {
        let points: Vec<String> = s
            .points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        if !points.is_empty() {
            let _ = write!(
                out,
                r#"<polyline class="series{i}" points="{}"><title>{}</title></polyline>"#,
                points.join(" "),
                Esc(&s.name)
            );
        }
        let ly = TOP + 8.0 + 18.0 * i as f64;
        let _ = write!(
            out,
            r#"<rect class="legend{i}" x="{lx}" y="{ry}" width="12" height="4"/><text x="{tx}" y="{ty}">{name}</text>"#,
            lx = WIDTH - RIGHT + 10.0,
            ry = ly - 4.0,
            tx = WIDTH - RIGHT + 28.0,
            ty = ly + 2.0,
            name = Esc(&shorten(&s.name)),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(number(1234.56), "1235");
        assert_eq!(number(-3660.4), "-3660", "zeros of whole numbers stay");
        assert_eq!(number(100.2), "100");
        assert_eq!(number(-0.5), "-0.5");
        assert_eq!(number(f64::NAN), "–");
    }

    #[test]
    fn bar_labels_are_escaped_and_shortened() {
        let svg = bar_chart(
            "c",
            "t",
            &[Bar { label: "<script>alert(1)</script>".repeat(3), value: 2.0, class: "", note: None }],
        );
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains('…'));
    }

    #[test]
    fn line_chart_of_nothing_is_still_a_chart() {
        let svg = line_chart("c", "t", "s", "ms", &[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
