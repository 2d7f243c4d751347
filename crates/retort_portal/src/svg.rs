//! Charts as inline SVG drawn on the server: no script, no style
//! attributes (the Content-Security-Policy allows neither), labels
//! escaped like all other text.

use crate::html::Html;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;
const COLOURS: [&str; 8] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"];

/// One line: a label and a value per x position (`None` leaves a gap).
pub struct Series {
    pub label: String,
    pub points: Vec<Option<f64>>,
}

/// What the y axis shows.
pub enum YAxis {
    /// Scorecard ranks 0 to 3, labelled none/bronze/silver/gold.
    Levels,
    /// From 0 (or the smallest value) to the largest, with a unit.
    Values { unit: &'static str },
}

fn fmt(value: f64) -> String {
    if value.abs() >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

/// A line chart over `x_labels` (oldest first), one line per series.
pub fn line_chart(title: &str, x_labels: &[String], series: &[Series], y_axis: YAxis) -> Html {
    let mut svg = Html::new();
    let values = || series.iter().flat_map(|s| s.points.iter().flatten().copied()).filter(|v| v.is_finite());
    let (low, high, ticks): (f64, f64, Vec<(f64, String)>) = match y_axis {
        YAxis::Levels => (
            0.0,
            3.0,
            ["none", "bronze", "silver", "gold"].iter().enumerate().map(|(i, l)| (i as f64, l.to_string())).collect(),
        ),
        YAxis::Values { unit } => {
            let low = values().fold(0.0_f64, f64::min);
            let mut high = values().fold(f64::MIN, f64::max);
            if !high.is_finite() || high <= low {
                high = low + 1.0;
            }
            let ticks = (0..=4)
                .map(|i| {
                    let v = low + (high - low) * i as f64 / 4.0;
                    (v, format!("{}{unit}", fmt(v)))
                })
                .collect();
            (low, high, ticks)
        }
    };
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = x_labels.len().max(1);
    let x_at = |i: usize| if n == 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
    let y_at = |v: f64| TOP + plot_h * (1.0 - (v - low) / (high - low));

    svg.raw("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"220\" viewBox=\"0 0 640 220\" role=\"img\" aria-label=\"")
        .text(title)
        .raw("\"><title>")
        .text(title)
        .raw("</title>");
    for (value, label) in &ticks {
        let y = y_at(*value);
        svg.raw("<line x1=\"").num(LEFT).raw("\" x2=\"").num(LEFT + plot_w).raw("\" y1=\"").text(&format!("{y:.1}"));
        svg.raw("\" y2=\"").text(&format!("{y:.1}")).raw("\" stroke=\"#ddd\"/>");
        svg.raw("<text x=\"").num(LEFT - 6.0).raw("\" y=\"").text(&format!("{:.1}", y + 4.0));
        svg.raw("\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">").text(label).raw("</text>");
    }
    if let (Some(first), Some(last)) = (x_labels.first(), x_labels.last()) {
        svg.raw("<text x=\"").num(LEFT).raw("\" y=\"").num(HEIGHT - 12.0);
        svg.raw("\" font-size=\"11\" fill=\"#444\">").text(first).raw("</text>");
        if x_labels.len() > 1 {
            svg.raw("<text x=\"").num(LEFT + plot_w).raw("\" y=\"").num(HEIGHT - 12.0);
            svg.raw("\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">").text(last).raw("</text>");
        }
    }
    for (index, line) in series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let points: Vec<(usize, f64)> =
            line.points.iter().enumerate().filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v))).collect();
        let path: Vec<String> = points.iter().map(|(i, v)| format!("{:.1},{:.1}", x_at(*i), y_at(*v))).collect();
        svg.raw("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"")
            .text(colour)
            .raw("\" points=\"")
            .text(&path.join(" "))
            .raw("\"/>");
        for (i, v) in &points {
            svg.raw("<circle r=\"3\" fill=\"").text(colour).raw("\" cx=\"").text(&format!("{:.1}", x_at(*i)));
            svg.raw("\" cy=\"").text(&format!("{:.1}", y_at(*v))).raw("\"><title>");
            svg.text(&line.label).raw(" — ").text(x_labels.get(*i).map(String::as_str).unwrap_or("")).raw(": ");
            svg.text(&fmt(*v)).raw("</title></circle>");
        }
        let legend_y = TOP + 14.0 * index as f64;
        svg.raw("<rect width=\"10\" height=\"10\" x=\"").num(WIDTH - RIGHT + 12.0).raw("\" y=\"").num(legend_y);
        svg.raw("\" fill=\"").text(colour).raw("\"/><text font-size=\"11\" fill=\"#222\" x=\"");
        svg.num(WIDTH - RIGHT + 26.0).raw("\" y=\"").num(legend_y + 9.0).raw("\">").text(&line.label).raw("</text>");
    }
    svg.raw("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_draws_one_polyline_per_series_and_escapes_labels() {
        let svg = line_chart(
            "p99 <latency>",
            &["a".into(), "b".into(), "c".into()],
            &[
                Series { label: "p50".into(), points: vec![Some(1.0), None, Some(3.0)] },
                Series { label: "<script>".into(), points: vec![Some(2.0), Some(f64::NAN), Some(4.0)] },
            ],
            YAxis::Values { unit: " ms" },
        )
        .into_string();
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 4, "gaps and NaN are not drawn");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("p99 &lt;latency&gt;"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn single_point_and_empty_charts_do_not_divide_by_zero() {
        let svg = line_chart(
            "x",
            &["only".into()],
            &[Series { label: "s".into(), points: vec![Some(5.0)] }],
            YAxis::Values { unit: "" },
        )
        .into_string();
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let empty = line_chart("x", &[], &[], YAxis::Levels).into_string();
        assert!(empty.starts_with("<svg") && empty.ends_with("</svg>"));
    }
}
