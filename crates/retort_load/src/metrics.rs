//! Counters and histograms accumulated per request name while a run is
//! going. Nothing is stored per request, so memory stays flat.

use crate::histogram::LatencyHistogram;

/// Why a request did not get a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// Could not connect (refused, unreachable, TLS handshake failed).
    Connect,
    /// No complete response within the request timeout.
    Timeout,
    /// The connection was reset or closed mid-request.
    Reset,
    /// The response was not valid HTTP.
    Protocol,
}

/// Errors by class. Status classes count responses that were errors
/// (by default status ≥ 400, or any status a request does not expect).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ErrorCounts {
    /// Unexpected 1xx/2xx/3xx responses (only with `expect`).
    #[serde(rename = "unexpected_status", default)]
    pub unexpected: u64,
    /// 4xx responses counted as errors.
    #[serde(rename = "4xx", default)]
    pub status_4xx: u64,
    /// 5xx responses counted as errors.
    #[serde(rename = "5xx", default)]
    pub status_5xx: u64,
    /// Connection failures.
    #[serde(default)]
    pub connect: u64,
    /// Timeouts.
    #[serde(default)]
    pub timeout: u64,
    /// Connection resets / early closes.
    #[serde(default)]
    pub reset: u64,
    /// Malformed responses.
    #[serde(default)]
    pub protocol: u64,
}

impl ErrorCounts {
    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &ErrorCounts) {
        self.unexpected += other.unexpected;
        self.status_4xx += other.status_4xx;
        self.status_5xx += other.status_5xx;
        self.connect += other.connect;
        self.timeout += other.timeout;
        self.reset += other.reset;
        self.protocol += other.protocol;
    }

    /// The classes with a non-zero count, as (label, count).
    pub fn nonzero(&self) -> Vec<(&'static str, u64)> {
        [
            ("5xx", self.status_5xx),
            ("4xx", self.status_4xx),
            ("unexpected_status", self.unexpected),
            ("connect", self.connect),
            ("timeout", self.timeout),
            ("reset", self.reset),
            ("protocol", self.protocol),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

/// Everything measured for one request name.
#[derive(Debug, Clone, Default)]
pub struct RequestStats {
    /// Requests finished (with a response or a failure).
    pub requests: u64,
    /// Requests counted as errors.
    pub errors: u64,
    /// Errors by class.
    pub error_classes: ErrorCounts,
    /// Responses by status code.
    pub statuses: Vec<(u16, u64)>,
    /// Bytes read from the server (HTTP/1.1: head and body; HTTP/2: body).
    pub bytes_received: u64,
    /// Bytes written to the server.
    pub bytes_sent: u64,
    /// Redirects followed (`--follow-redirects`).
    pub redirects: u64,
    /// Latency of requests that got a response, in microseconds.
    pub latency: LatencyHistogram,
    /// Checks by name: (name, passes, fails).
    pub checks: Vec<(String, u64, u64)>,
    /// Responses on which at least one check failed.
    pub responses_failing_checks: u64,
    /// `Secure` cookies received over plain http, not stored.
    pub secure_cookies_ignored: u64,
}

impl RequestStats {
    /// Records a response.
    #[inline]
    pub fn record_response(&mut self, status: u16, success: bool, micros: u64, received: u64, sent: u64) {
        self.requests += 1;
        self.bytes_received += received;
        self.bytes_sent += sent;
        self.latency.record(micros);
        match self.statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => self.statuses.push((status, 1)),
        }
        if !success {
            self.errors += 1;
            match status {
                400..=499 => self.error_classes.status_4xx += 1,
                500..=599 => self.error_classes.status_5xx += 1,
                _ => self.error_classes.unexpected += 1,
            }
        }
    }

    /// Records a request that got no response.
    pub fn record_failure(&mut self, class: FailureClass, sent: u64) {
        self.requests += 1;
        self.errors += 1;
        self.bytes_sent += sent;
        match class {
            FailureClass::Connect => self.error_classes.connect += 1,
            FailureClass::Timeout => self.error_classes.timeout += 1,
            FailureClass::Reset => self.error_classes.reset += 1,
            FailureClass::Protocol => self.error_classes.protocol += 1,
        }
    }

    /// Counts one check's outcome on one response.
    pub fn record_check(&mut self, name: &str, passed: bool) {
        let entry = match self.checks.iter_mut().position(|(n, _, _)| n == name) {
            Some(i) => &mut self.checks[i],
            None => {
                self.checks.push((name.to_string(), 0, 0));
                self.checks.last_mut().expect("just pushed")
            }
        };
        if passed {
            entry.1 += 1;
        } else {
            entry.2 += 1;
        }
    }

    /// Requests that got a response (not a connect error, timeout, reset or protocol error).
    pub fn responses(&self) -> u64 {
        let e = &self.error_classes;
        self.requests.saturating_sub(e.connect + e.timeout + e.reset + e.protocol)
    }

    /// Adds `other` into `self` (counters and histogram, exactly).
    pub fn add(&mut self, other: &RequestStats) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.error_classes.add(&other.error_classes);
        for &(status, n) in &other.statuses {
            match self.statuses.iter_mut().find(|(s, _)| *s == status) {
                Some((_, m)) => *m += n,
                None => self.statuses.push((status, n)),
            }
        }
        self.bytes_received += other.bytes_received;
        self.bytes_sent += other.bytes_sent;
        self.redirects += other.redirects;
        self.latency.add(&other.latency);
        // Checks add by name: across request names, like k6's totals.
        for (name, passed, failed) in &other.checks {
            match self.checks.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, p, f)) => {
                    *p += passed;
                    *f += failed;
                }
                None => self.checks.push((name.clone(), *passed, *failed)),
            }
        }
        self.responses_failing_checks += other.responses_failing_checks;
        self.secure_cookies_ignored += other.secure_cookies_ignored;
    }

    /// Clears all counts, keeping allocations.
    pub fn reset(&mut self) {
        self.requests = 0;
        self.errors = 0;
        self.error_classes = ErrorCounts::default();
        self.statuses.clear();
        self.bytes_received = 0;
        self.bytes_sent = 0;
        self.redirects = 0;
        self.latency.reset();
        self.checks.clear();
        self.responses_failing_checks = 0;
        self.secure_cookies_ignored = 0;
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.requests == 0
    }
}
