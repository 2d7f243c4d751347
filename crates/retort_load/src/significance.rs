//! Is a change between two runs more than noise? `load compare` asks
//! this before it calls a change a regression, so that a p99 that moved
//! by 15 % on a few hundred samples is reported as "not significant"
//! instead of failing a release.
//!
//! - Latency statistics (percentiles, mean): a **Poisson bootstrap** on the
//!   recorded HDR histograms (Hanley & MacGibbon, "Creating non-parametric
//!   bootstrap samples using Poisson frequencies", 2006). Each replicate
//!   redraws every histogram bucket's count from a Poisson distribution
//!   with that count as its mean — the large-sample equivalent of
//!   resampling the requests with replacement, but in time proportional to
//!   the number of buckets, not of requests. The one-sided p-value is the
//!   share of replicates in which the new run's statistic is not above the
//!   base run's. The replicates use a fixed seed, so a comparison always
//!   gives the same answer.
//! - Rates (error rate, failed checks): a one-sided **two-proportion
//!   z-test**.

use crate::histogram::LatencyHistogram;

/// Replicates per bootstrap: enough to resolve p-values of 0.001.
pub const DEFAULT_REPLICATES: usize = 1000;

/// A statistic of a latency distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// A quantile (0..=1).
    Quantile(f64),
    /// The mean.
    Mean,
}

impl Statistic {
    fn of(&self, buckets: &[(u64, u64)], counts: &[u64]) -> Option<f64> {
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return None;
        }
        match self {
            Statistic::Quantile(q) => {
                let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
                let mut seen = 0;
                for ((value, _), count) in buckets.iter().zip(counts) {
                    seen += count;
                    if seen >= rank {
                        return Some(*value as f64);
                    }
                }
                buckets.last().map(|(v, _)| *v as f64)
            }
            Statistic::Mean => {
                let sum: f64 = buckets.iter().zip(counts).map(|((v, _), c)| *v as f64 * *c as f64).sum();
                Some(sum / total as f64)
            }
        }
    }
}

/// One-sided p-value of "the statistic is larger in `new` than in
/// `base`" by a Poisson bootstrap of both histograms. Small values mean
/// the increase is unlikely to be noise; 1.0 when either side is empty.
pub fn bootstrap_increase(
    base: &LatencyHistogram,
    new: &LatencyHistogram,
    statistic: Statistic,
    replicates: usize,
) -> f64 {
    let base_buckets: Vec<(u64, u64)> = base.iter_recorded().collect();
    let new_buckets: Vec<(u64, u64)> = new.iter_recorded().collect();
    if base_buckets.is_empty() || new_buckets.is_empty() || replicates == 0 {
        return 1.0;
    }
    let mut rng = fastrand::Rng::with_seed(0x0b00_75ab);
    let mut base_counts = vec![0u64; base_buckets.len()];
    let mut new_counts = vec![0u64; new_buckets.len()];
    let mut not_larger = 0usize;
    for _ in 0..replicates {
        for (count, (_, mean)) in base_counts.iter_mut().zip(&base_buckets) {
            *count = poisson(*mean as f64, &mut rng);
        }
        for (count, (_, mean)) in new_counts.iter_mut().zip(&new_buckets) {
            *count = poisson(*mean as f64, &mut rng);
        }
        let b = statistic.of(&base_buckets, &base_counts);
        let n = statistic.of(&new_buckets, &new_counts);
        match (b, n) {
            (Some(b), Some(n)) if n > b => {}
            _ => not_larger += 1,
        }
    }
    (not_larger + 1) as f64 / (replicates + 1) as f64
}

/// One-sided p-value of "the proportion rose from `base_hits / base_total`
/// to `new_hits / new_total`" (two-proportion z-test, pooled variance).
pub fn proportion_increase(base_hits: u64, base_total: u64, new_hits: u64, new_total: u64) -> f64 {
    if base_total == 0 || new_total == 0 {
        return 1.0;
    }
    let (n1, n2) = (base_total as f64, new_total as f64);
    let (p1, p2) = (base_hits as f64 / n1, new_hits as f64 / n2);
    let pooled = (base_hits + new_hits) as f64 / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return if p2 > p1 { 0.0 } else { 1.0 };
    }
    let z = (p2 - p1) / se;
    1.0 - normal_cdf(z)
}

/// A Poisson variate: Knuth's product method for small means, the normal
/// approximation above 30 (its error is negligible for resampling counts).
fn poisson(mean: f64, rng: &mut fastrand::Rng) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let limit = (-mean).exp();
        let mut product = rng.f64();
        let mut k = 0;
        while product > limit {
            product *= rng.f64();
            k += 1;
        }
        return k;
    }
    // Box-Muller; 1 - f64() lies in (0, 1], so the logarithm is finite.
    let z = (-2.0 * (1.0 - rng.f64()).ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos();
    (mean + mean.sqrt() * z).round().max(0.0) as u64
}

/// Standard normal CDF via the complementary error function
/// (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7).
fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `n` latencies (µs) from a log-normal distribution with median
    /// `median_us` and shape 0.6 — long-tailed like real service latency —
    /// multiplied by `factor`.
    pub(crate) fn lognormal(n: usize, median_us: f64, factor: f64, seed: u64) -> LatencyHistogram {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut histogram = LatencyHistogram::new();
        for _ in 0..n {
            let z = (-2.0 * (1.0 - rng.f64()).ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos();
            histogram.record((median_us * (0.6 * z).exp() * factor) as u64);
        }
        histogram
    }

    #[test]
    fn same_distribution_is_not_an_increase() {
        let base = lognormal(5000, 20_000.0, 1.0, 1);
        let new = lognormal(5000, 20_000.0, 1.0, 2);
        for statistic in
            [Statistic::Quantile(0.5), Statistic::Quantile(0.95), Statistic::Quantile(0.99), Statistic::Mean]
        {
            let p = bootstrap_increase(&base, &new, statistic, DEFAULT_REPLICATES);
            assert!(p > 0.01, "{statistic:?}: p = {p}");
        }
    }

    #[test]
    fn a_30_percent_shift_on_thousands_of_samples_is_an_increase() {
        let base = lognormal(5000, 20_000.0, 1.0, 1);
        let new = lognormal(5000, 20_000.0, 1.3, 2);
        for statistic in
            [Statistic::Quantile(0.5), Statistic::Quantile(0.95), Statistic::Quantile(0.99), Statistic::Mean]
        {
            let p = bootstrap_increase(&base, &new, statistic, DEFAULT_REPLICATES);
            assert!(p < 0.01, "{statistic:?}: p = {p}");
        }
        // The other way round it is a decrease, not an increase.
        assert!(bootstrap_increase(&new, &base, Statistic::Quantile(0.95), DEFAULT_REPLICATES) > 0.99);
    }

    #[test]
    fn a_30_percent_shift_on_a_tiny_sample_is_rarely_significant() {
        // 20 samples a side: the test has little power, so across many
        // draws it seldom calls the shift significant at 0.01, while with
        // 2000 samples a side it always does.
        let flagged = |n: usize, pairs: u64| {
            (0..pairs)
                .filter(|seed| {
                    let base = lognormal(n, 20_000.0, 1.0, 2 * seed);
                    let new = lognormal(n, 20_000.0, 1.3, 2 * seed + 1);
                    bootstrap_increase(&base, &new, Statistic::Quantile(0.95), DEFAULT_REPLICATES) < 0.01
                })
                .count()
        };
        let tiny = flagged(20, 40);
        eprintln!("{tiny} of 40 tiny samples flagged");
        assert!(tiny <= 8, "{tiny} of 40 tiny samples flagged");
        assert_eq!(flagged(2000, 10), 10);
    }

    #[test]
    fn proportions() {
        // 1 % → 2 % errors on 10 000 requests each: a real rise.
        assert!(proportion_increase(100, 10_000, 200, 10_000) < 0.001);
        // 1 of 100 → 2 of 100: noise.
        assert!(proportion_increase(1, 100, 2, 100) > 0.2);
        assert!(proportion_increase(200, 10_000, 100, 10_000) > 0.99);
        assert_eq!(proportion_increase(0, 100, 0, 100), 1.0);
        assert_eq!(proportion_increase(0, 100, 5, 0), 1.0);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
    }

    #[test]
    fn poisson_counts_have_their_mean() {
        let mut rng = fastrand::Rng::with_seed(9);
        for mean in [0.5, 4.0, 50.0, 10_000.0] {
            let draws = 20_000;
            let sum: u64 = (0..draws).map(|_| poisson(mean, &mut rng)).sum();
            let average = sum as f64 / draws as f64;
            assert!((average - mean).abs() < 0.05 * mean + 0.05, "{mean}: {average}");
        }
        assert_eq!(poisson(0.0, &mut rng), 0);
    }
}
