//! The live view: an indicatif progress bar on stderr, redrawn every
//! second, only when stderr is a terminal. Under the bar, like oha's
//! view: the last second's rate, errors and percentiles, its status codes
//! and failures, and a histogram of its latencies.

use std::fmt::Write as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Snapshot;
use crate::histogram::LatencyHistogram;
use crate::units::format_micros;

/// Rows of the live latency histogram.
const HISTOGRAM_ROWS: usize = 8;
/// Width of its longest bar.
const BAR_WIDTH: usize = 32;

/// Shows progress (time or requests) and the last second's numbers.
pub struct LiveView {
    bar: Option<ProgressBar>,
}

impl LiveView {
    /// A live view that draws only if `enabled` (stderr is a TTY, not `--quiet`).
    pub fn new(enabled: bool) -> LiveView {
        LiveView {
            bar: enabled.then(|| {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template("{prefix} [{bar:24}] {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                // Updates come once a second in bursts of setters; a steady
                // tick redraws after the burst so the line is consistent.
                bar.enable_steady_tick(std::time::Duration::from_millis(250));
                bar
            }),
        }
    }

    /// Redraws for `snapshot`.
    pub fn update(&mut self, snapshot: &Snapshot) {
        let Some(bar) = &self.bar else {
            return;
        };
        // Progress is time when the run is time-bounded, else requests.
        let (position, length, prefix) = match (snapshot.planned, snapshot.max_requests) {
            (Some(planned), _) => (
                snapshot.elapsed.as_secs(),
                planned.as_secs().max(1),
                format!("{:>4}s/{}s", snapshot.elapsed.as_secs(), planned.as_secs()),
            ),
            (None, Some(max)) => (snapshot.requests, max, format!("{}/{max} reqs", snapshot.requests)),
            (None, None) => (0, 1, format!("{:>4}s", snapshot.elapsed.as_secs())),
        };
        bar.set_length(length);
        bar.set_position(position.min(length));
        bar.set_prefix(prefix);
        let stage = match &snapshot.stage {
            Some((index, count, name)) => format!("{name} ({index}/{count}, target {:.0})  ", snapshot.target_value),
            None => String::new(),
        };
        let error_rate = if snapshot.last_requests > 0 {
            snapshot.last_errors as f64 * 100.0 / snapshot.last_requests as f64
        } else {
            0.0
        };
        bar.set_message(format!("{stage}\n{}", details(snapshot, error_rate)));
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The lines under the bar: the last second, its statuses and failures,
/// the totals, and its latency histogram.
fn details(snapshot: &Snapshot, error_rate: f64) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "last second: {} req/s  err {:.1}%  p50 {}  p99 {}   total {} ({} errors)",
        snapshot.last_requests,
        error_rate,
        format_micros(snapshot.last_p50),
        format_micros(snapshot.last_p99),
        snapshot.requests,
        snapshot.errors
    );
    if snapshot.checks.0 + snapshot.checks.1 > 0 {
        let _ = write!(out, "   checks {} passed, {} failed", snapshot.checks.0, snapshot.checks.1);
    }
    let statuses: Vec<String> = snapshot.last_statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
    let failures: Vec<String> = snapshot.last_failures.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let _ = write!(
        out,
        "\nstatuses: {}{}",
        if statuses.is_empty() { "-".to_string() } else { statuses.join("  ") },
        if failures.is_empty() { String::new() } else { format!("   no response: {}", failures.join("  ")) }
    );
    for line in latency_bars(&snapshot.last_latency, HISTOGRAM_ROWS, BAR_WIDTH) {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

/// A histogram of `latency` in at most `rows` rows with doubling bucket
/// edges (from the power of two at or below the smallest latency), each a
/// bar scaled to the fullest row: `  1.02ms ■■■■■■■ 812`. The last row
/// takes everything above.
pub fn latency_bars(latency: &LatencyHistogram, rows: usize, width: usize) -> Vec<String> {
    if latency.is_empty() || rows == 0 {
        return Vec::new();
    }
    let min = latency.quantile(0.0).max(1.0) as u64;
    let first_edge = 1u64 << (63 - min.leading_zeros());
    let mut counts = vec![0u64; rows];
    for (value, count) in latency.iter_recorded() {
        let doublings = (value.max(1) / first_edge).max(1).ilog2() as usize;
        counts[doublings.min(rows - 1)] += count;
    }
    while counts.len() > 1 && counts.last() == Some(&0) {
        counts.pop();
    }
    let fullest = counts.iter().copied().max().unwrap_or(1).max(1);
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let edge = first_edge << i;
            let label =
                if i + 1 == rows { format!("{}+", format_micros(edge as f64)) } else { format_micros(edge as f64) };
            let length = ((count as f64 / fullest as f64) * width as f64).ceil() as usize;
            format!("{label:>9} {} {count}", "■".repeat(length))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_bars_double_their_edges() {
        let mut h = LatencyHistogram::new();
        for _ in 0..100 {
            h.record(1_100); // 1.1 ms
        }
        for _ in 0..50 {
            h.record(2_500);
        }
        h.record(9_000);
        h.record(5_000_000); // 5 s: folded into the last row
        let bars = latency_bars(&h, 4, 10);
        assert_eq!(bars.len(), 4, "{bars:#?}");
        assert!(bars[0].ends_with(&format!("{} 100", "■".repeat(10))), "{bars:#?}");
        assert!(bars[1].ends_with(&format!("{} 50", "■".repeat(5))), "{bars:#?}");
        assert!(bars[2].ends_with(" 0"), "{bars:#?}");
        assert!(bars[3].contains('+') && bars[3].ends_with(" 2"), "{bars:#?}");
        assert!(latency_bars(&LatencyHistogram::new(), 4, 10).is_empty());
        // Empty top rows are dropped.
        let mut fast = LatencyHistogram::new();
        fast.record(300);
        assert_eq!(latency_bars(&fast, 8, 10).len(), 1);
    }
}
