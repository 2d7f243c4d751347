//! The live view: one line on stderr, redrawn every second, only when
//! stderr is a terminal.

use std::io::Write as _;

use crate::engine::Snapshot;
use crate::units::format_micros;

/// Draws progress lines on a terminal.
pub struct LiveView {
    enabled: bool,
    drawn: bool,
}

impl LiveView {
    /// A live view that draws only if `enabled` (stderr is a TTY, not `--quiet`).
    pub fn new(enabled: bool) -> LiveView {
        LiveView { enabled, drawn: false }
    }

    /// Redraws the line for `snapshot`.
    pub fn update(&mut self, snapshot: &Snapshot) {
        if !self.enabled {
            return;
        }
        let mut line = format!("{:>4}s", snapshot.elapsed.as_secs());
        if let Some(planned) = snapshot.planned {
            line.push_str(&format!("/{}s", planned.as_secs()));
        }
        if let Some(max) = snapshot.max_requests {
            line.push_str(&format!("  {}/{} reqs", snapshot.requests, max));
        }
        if let Some((index, count, name)) = &snapshot.stage {
            line.push_str(&format!("  {name} ({index}/{count}, target {:.0})", snapshot.target_value));
        }
        let error_rate = if snapshot.last_requests > 0 {
            snapshot.last_errors as f64 * 100.0 / snapshot.last_requests as f64
        } else {
            0.0
        };
        line.push_str(&format!(
            "  {} req/s  err {:.1}%  p50 {}  p99 {}  total {} ({} errors)",
            snapshot.last_requests,
            error_rate,
            format_micros(snapshot.last_p50),
            format_micros(snapshot.last_p99),
            snapshot.requests,
            snapshot.errors
        ));
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
        self.drawn = true;
    }

    /// Clears the line before the summary is printed.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
            self.drawn = false;
        }
    }
}
