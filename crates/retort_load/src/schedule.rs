//! Load profiles over time: a constant or staged (ramping) arrival rate for
//! the open model, or a number of connections for the closed model.
//!
//! A profile is piecewise linear: it starts at `start` and each stage moves
//! linearly to its `target` over its duration (k6's ramping semantics).

use std::time::Duration;

/// One stage of a profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stage {
    /// Display name (`warm-up`, `ramp`, `hold`, `spike` …).
    pub name: String,
    /// How long the stage lasts.
    pub duration: Duration,
    /// Value (rate per second or connections) reached at the end of the stage.
    pub target: f64,
}

/// A piecewise-linear profile of arrival rate or connections.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    /// Value at time zero.
    pub start: f64,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    // Cumulative arrivals at the start of each stage (open model).
    #[serde(skip)]
    cumulative: Vec<f64>,
}

impl Profile {
    /// A profile holding `value` for `duration` (`None`: without end).
    pub fn constant(value: f64, duration: Option<Duration>) -> Profile {
        Profile::staged(
            value,
            vec![Stage { name: "constant".into(), duration: duration.unwrap_or(Duration::MAX), target: value }],
        )
    }

    /// A profile from a start value and stages.
    pub fn staged(start: f64, stages: Vec<Stage>) -> Profile {
        let mut cumulative = Vec::with_capacity(stages.len());
        let mut total = 0.0;
        let mut from = start;
        for stage in &stages {
            cumulative.push(total);
            total += (from + stage.target) / 2.0 * stage.duration.as_secs_f64();
            from = stage.target;
        }
        Profile { start, stages, cumulative }
    }

    /// Total duration of all stages (saturating at `Duration::MAX`).
    pub fn duration(&self) -> Duration {
        self.stages.iter().fold(Duration::ZERO, |acc, s| acc.saturating_add(s.duration))
    }

    /// The largest value the profile reaches.
    pub fn peak(&self) -> f64 {
        self.stages.iter().map(|s| s.target).fold(self.start, f64::max)
    }

    /// The stage running at `t` seconds and its index.
    pub fn stage_at(&self, t: f64) -> Option<(usize, &Stage)> {
        let mut begin = 0.0;
        for (i, stage) in self.stages.iter().enumerate() {
            let end = begin + stage.duration.as_secs_f64();
            if t < end {
                return Some((i, stage));
            }
            begin = end;
        }
        None
    }

    /// The value at `t` seconds from the start.
    pub fn value_at(&self, t: f64) -> f64 {
        let mut begin = 0.0;
        let mut from = self.start;
        for stage in &self.stages {
            let length = stage.duration.as_secs_f64();
            if t < begin + length {
                let fraction = if length > 0.0 { (t - begin) / length } else { 1.0 };
                return from + (stage.target - from) * fraction;
            }
            begin += length;
            from = stage.target;
        }
        from
    }

    /// Time in seconds at which the arrival with (0-based) index `n` is due,
    /// when the profile is an arrival rate; `None` after the profile ends.
    ///
    /// Arrival `n` is due when the integral of the rate reaches `n + 0.5`,
    /// which spreads arrivals evenly and solves the ramp's quadratic exactly.
    pub fn arrival_time(&self, n: f64) -> Option<f64> {
        let wanted = n + 0.5;
        let mut begin = 0.0;
        let mut from = self.start;
        for (stage, &before) in self.stages.iter().zip(&self.cumulative) {
            let length = stage.duration.as_secs_f64();
            let within = (from + stage.target) / 2.0 * length;
            if wanted <= before + within {
                let m = wanted - before;
                let slope = if length.is_finite() && length > 0.0 { (stage.target - from) / length } else { 0.0 };
                // Solves from*t + slope*t²/2 = m in a form stable for any slope.
                let root = (from * from + 2.0 * slope * m).max(0.0).sqrt();
                let denominator = from + root;
                if denominator <= 0.0 {
                    return None;
                }
                return Some(begin + 2.0 * m / denominator);
            }
            begin += length;
            from = stage.target;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_rate_arrivals() {
        let p = Profile::constant(100.0, Some(Duration::from_secs(2)));
        assert!((p.arrival_time(0.0).unwrap() - 0.005).abs() < 1e-9);
        assert!((p.arrival_time(99.0).unwrap() - 0.995).abs() < 1e-9);
        assert!(p.arrival_time(199.0).is_some());
        assert!(p.arrival_time(200.0).is_none());
        let open_ended = Profile::constant(10.0, None);
        assert!((open_ended.arrival_time(1000.0).unwrap() - 100.05).abs() < 1e-6);
    }

    #[test]
    fn ramp_counts_match_the_integral() {
        // 0 → 100/s over 10 s is 500 arrivals, then 100/s for 5 s is 500 more.
        let p = Profile::staged(
            0.0,
            vec![
                Stage { name: "ramp".into(), duration: Duration::from_secs(10), target: 100.0 },
                Stage { name: "hold".into(), duration: Duration::from_secs(5), target: 100.0 },
            ],
        );
        let count = (0..2000).take_while(|&n| p.arrival_time(n as f64).is_some()).count();
        assert_eq!(count, 1000);
        // Half of the ramp's arrivals come in its last 2.93 s (t² law).
        let t = p.arrival_time(249.5).unwrap();
        assert!((t - 7.071).abs() < 0.01, "{t}");
        let mut last = 0.0;
        for n in 0..1000 {
            let t = p.arrival_time(n as f64).unwrap();
            assert!(t >= last);
            last = t;
        }
        assert_eq!(p.value_at(5.0), 50.0);
        assert_eq!(p.stage_at(12.0).unwrap().1.name, "hold");
        assert_eq!(p.peak(), 100.0);
    }

    #[test]
    fn ramp_down_to_zero_ends() {
        let p =
            Profile::staged(10.0, vec![Stage { name: "down".into(), duration: Duration::from_secs(2), target: 0.0 }]);
        let count = (0..100).take_while(|&n| p.arrival_time(n as f64).is_some()).count();
        assert_eq!(count, 10);
    }
}
