//! Latency histograms (HDR, microseconds, 3 significant digits) and their
//! portable serialisation (HdrHistogram V2 + DEFLATE, base64), the same
//! encoding other HDR tools read, so merged results stay exact.

use base64::Engine as _;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use hdrhistogram::Histogram;

/// A latency histogram in microseconds.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    inner: Histogram<u64>,
}

/// Percentiles and moments of a histogram, in microseconds.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct LatencySummary {
    /// Smallest recorded value.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub stdev: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest recorded value.
    pub max: f64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram covering 1 µs to 60 s, growing when needed.
    pub fn new() -> LatencyHistogram {
        let mut inner = Histogram::new_with_bounds(1, 60_000_000, 3)
            .expect("1..60s with 3 significant digits is a valid histogram");
        inner.auto(true);
        LatencyHistogram { inner }
    }

    /// Records one latency in microseconds (0 is recorded as 1 µs).
    #[inline]
    pub fn record(&mut self, micros: u64) {
        if self.inner.record(micros.max(1)).is_err() {
            self.inner.saturating_record(micros.max(1));
        }
    }

    /// Adds every count of `other` (exact merge).
    pub fn add(&mut self, other: &LatencyHistogram) {
        // Auto-resize is on, so adding cannot fail for lack of range.
        let _ = self.inner.add(&other.inner);
    }

    /// Removes all counts, keeping the allocation.
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// Number of recorded values.
    pub fn len(&self) -> u64 {
        self.inner.len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The value at quantile `q` (0..=1), in microseconds; 0 when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.inner.is_empty() {
            0.0
        } else {
            self.inner.value_at_quantile(q.clamp(0.0, 1.0)) as f64
        }
    }

    /// Percentiles and moments.
    pub fn summary(&self) -> LatencySummary {
        if self.inner.is_empty() {
            return LatencySummary::default();
        }
        LatencySummary {
            min: self.inner.min() as f64,
            mean: self.inner.mean(),
            stdev: self.inner.stdev(),
            p50: self.quantile(0.50),
            p90: self.quantile(0.90),
            p95: self.quantile(0.95),
            p99: self.quantile(0.99),
            p999: self.quantile(0.999),
            max: self.inner.max() as f64,
        }
    }

    /// The recorded values as (value, count) pairs, lowest first.
    pub fn iter_recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.inner.iter_recorded().map(|v| (v.value_iterated_to(), v.count_at_value()))
    }

    /// The underlying HDR histogram.
    pub fn as_hdr(&self) -> &Histogram<u64> {
        &self.inner
    }

    /// Encodes as base64 of the V2+DEFLATE HdrHistogram format.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::new();
        // Serialising into a Vec cannot fail for a valid histogram.
        let _ = V2DeflateSerializer::new().serialize(&self.inner, &mut bytes);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// Decodes what [`LatencyHistogram::encode`] produced.
    pub fn decode(text: &str) -> Result<LatencyHistogram, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| format!("histogram is not base64: {e}"))?;
        let mut inner: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| format!("histogram cannot be decoded: {e:?}"))?;
        inner.auto(true);
        Ok(LatencyHistogram { inner })
    }
}

impl PartialEq for LatencyHistogram {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter_recorded().eq(other.iter_recorded())
    }
}

impl serde::Serialize for LatencyHistogram {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl schemars::JsonSchema for LatencyHistogram {
    fn schema_name() -> String {
        "LatencyHistogram".into()
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = String::json_schema(generator).into_object();
        schema.metadata().description = Some(
            "Latencies in microseconds: base64 of the HdrHistogram V2 + DEFLATE encoding \
             (readable by any HdrHistogram library)."
                .into(),
        );
        schema.string().pattern = Some("^[A-Za-z0-9+/=]*$".into());
        schema.into()
    }
}

impl<'de> serde::Deserialize<'de> for LatencyHistogram {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        LatencyHistogram::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_survives_json_exactly() {
        // The value CI once read back one ulp off; results files must round-trip bit for bit.
        let summary = LatencySummary { stdev: 3105.4282430827366, mean: 2556.0762499999996, ..Default::default() };
        let text = serde_json::to_string(&summary).unwrap();
        assert_eq!(serde_json::from_str::<LatencySummary>(&text).unwrap(), summary);
    }

    #[test]
    fn roundtrip_and_merge() {
        let mut a = LatencyHistogram::new();
        let mut b = LatencyHistogram::new();
        for v in 1..1000 {
            a.record(v * 10);
            b.record(v * 1000);
        }
        b.record(120_000_000); // beyond the initial range: auto-resize
        let decoded = LatencyHistogram::decode(&a.encode()).unwrap();
        assert_eq!(decoded, a);
        let mut merged = a.clone();
        merged.add(&b);
        assert_eq!(merged.len(), a.len() + b.len());
        assert!(merged.summary().max >= 119_000_000.0);
        assert!(LatencyHistogram::decode("%%%").is_err());
    }
}
