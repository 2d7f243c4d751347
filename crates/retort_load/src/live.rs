//! The live view: an indicatif progress bar on stderr, redrawn every
//! second, only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Snapshot;
use crate::units::format_micros;

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
        bar.set_message(format!(
            "{stage}{} req/s  err {:.1}%  p50 {}  p99 {}  total {} ({} errors)",
            snapshot.last_requests,
            error_rate,
            format_micros(snapshot.last_p50),
            format_micros(snapshot.last_p99),
            snapshot.requests,
            snapshot.errors
        ));
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
