//! The load engine: worker threads (one single-threaded tokio runtime
//! each, like wrk's threads) run the connections; a coordinator on the
//! calling thread merges their per-second reports into cumulative
//! per-name histograms and a timeline, shows progress, and enforces
//! `--abort-on-fail`.
//!
//! Closed model: each connection sends its next request when the last one
//! completed (after optional think time); latency is measured from the
//! actual send. Open model: arrival `g` is due at a fixed time given by
//! the rate profile; a free connection takes the next due arrival, and
//! latency is measured from the *intended* send time, so a stalled server
//! shows in the latency instead of silently lowering the rate.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::connection::{Connection, Connector};
use crate::cookie::{CookieJar, Stored};
use crate::error::LoadError;
use crate::extract::ResponseData;
use crate::http1::{Capture, Response};
use crate::metrics::{FailureClass, RequestStats};
use crate::redirect;
use crate::request::{assemble_as, Rendered, RequestPlan, SessionVars};
use crate::result::{NameResult, RunResult, SecondResult, SCHEMA_VERSION};
use crate::scenario::{Model, Plan};
use crate::target::Target;

/// What the coordinator reports once per second while a run is going.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Time since the start.
    pub elapsed: Duration,
    /// Planned duration, if time-bounded.
    pub planned: Option<Duration>,
    /// Request bound, if any.
    pub max_requests: Option<u64>,
    /// Current stage: index, count, name (staged profiles only).
    pub stage: Option<(usize, usize, String)>,
    /// Current target: rate per second (open) or connections (closed).
    pub target_value: f64,
    /// Requests finished in the last second.
    pub last_requests: u64,
    /// Errors in the last second.
    pub last_errors: u64,
    /// Median latency of the last second (µs).
    pub last_p50: f64,
    /// 99th percentile of the last second (µs).
    pub last_p99: f64,
    /// Requests finished so far.
    pub requests: u64,
    /// Errors so far.
    pub errors: u64,
    /// Responses of the last second by status.
    pub last_statuses: Vec<(u16, u64)>,
    /// Failures without a response in the last second, by class.
    pub last_failures: Vec<(&'static str, u64)>,
    /// Latencies of the last second.
    pub last_latency: crate::histogram::LatencyHistogram,
    /// Check outcomes so far: passed, failed.
    pub checks: (u64, u64),
}

enum Report {
    Interval { second: u64, stats: Vec<(usize, RequestStats)> },
    Done { missed: u64, abandoned: u64, error: Option<String> },
}

/// Runs `plan` until its bound, a threshold failure with `abort_on_fail`,
/// or `cancel`; returns what was measured (also when cancelled).
pub fn run(
    plan: Arc<Plan>,
    cancel: CancellationToken,
    on_progress: &mut dyn FnMut(&Snapshot),
) -> Result<RunResult, LoadError> {
    let connector =
        Connector::new(Arc::new(plan.target.clone()), plan.http2, plan.insecure).map_err(LoadError::Invalid)?;
    let started_at_unix_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    let start = Instant::now() + Duration::from_millis(5);
    let sent = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel::<Report>();
    let mut handles = Vec::new();
    for worker_id in 0..plan.threads {
        let plan = plan.clone();
        let tx = tx.clone();
        let connector = connector.clone();
        let cancel = cancel.clone();
        let sent = sent.clone();
        let handle = std::thread::Builder::new()
            .name(format!("retort-load-{worker_id}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                match runtime {
                    Ok(runtime) => {
                        let local = tokio::task::LocalSet::new();
                        local.block_on(&runtime, run_worker(plan, worker_id, connector, cancel, sent, start, tx));
                    }
                    Err(e) => {
                        let _ = tx.send(Report::Done {
                            missed: 0,
                            abandoned: 0,
                            error: Some(format!("cannot start a worker runtime: {e}")),
                        });
                    }
                }
            })
            .map_err(|e| LoadError::Io { context: "cannot start a worker thread".into(), source: e })?;
        handles.push(handle);
    }
    drop(tx);

    let mut coordinator = Coordinator::new(&plan);
    let mut workers_left = plan.threads;
    let mut next_tick = start + Duration::from_millis(1100);
    let mut aborted = false;
    let mut worker_error = None;
    while workers_left > 0 {
        let now = Instant::now();
        if now >= next_tick {
            let elapsed = now.saturating_duration_since(start);
            let second = elapsed.as_secs().saturating_sub(1);
            coordinator.seal_before(second.saturating_sub(2));
            on_progress(&coordinator.snapshot(&plan, elapsed, second));
            if plan.abort_on_fail && !aborted && coordinator.any_threshold_fails(&plan) {
                aborted = true;
                cancel.cancel();
            }
            next_tick += Duration::from_secs(1);
            continue;
        }
        match rx.recv_timeout(next_tick - now) {
            Ok(Report::Interval { second, stats }) => coordinator.add(second, stats),
            Ok(Report::Done { missed, abandoned, error }) => {
                workers_left -= 1;
                coordinator.missed += missed;
                coordinator.abandoned += abandoned;
                if error.is_some() {
                    worker_error = error;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    for handle in handles {
        let _ = handle.join();
    }
    if let Some(error) = worker_error {
        return Err(LoadError::Invalid(error));
    }
    let elapsed = Instant::now().saturating_duration_since(start);
    let interrupted = cancel.is_cancelled() && !aborted;
    Ok(coordinator.finish(&plan, elapsed, started_at_unix_ms, interrupted, aborted))
}

struct Coordinator {
    names: Vec<RequestStats>,
    open_seconds: BTreeMap<u64, RequestStats>,
    sealed: Vec<SecondResult>,
    missed: u64,
    abandoned: u64,
}

impl Coordinator {
    fn new(plan: &Plan) -> Coordinator {
        Coordinator {
            names: plan.requests.iter().map(|_| RequestStats::default()).collect(),
            open_seconds: BTreeMap::new(),
            sealed: Vec::new(),
            missed: 0,
            abandoned: 0,
        }
    }

    fn add(&mut self, second: u64, stats: Vec<(usize, RequestStats)>) {
        if stats.is_empty() {
            return;
        }
        let slot = self.open_seconds.entry(second).or_default();
        for (index, s) in stats {
            slot.add(&s);
            self.names[index].add(&s);
        }
    }

    // Seconds are kept as full histograms only while reports may still
    // arrive; older ones are encoded, so memory stays flat.
    fn seal_before(&mut self, second: u64) {
        let keep = self.open_seconds.split_off(&second);
        for (s, stats) in std::mem::replace(&mut self.open_seconds, keep) {
            self.sealed.push(SecondResult::from_stats(s, &stats));
        }
    }

    fn totals(&self) -> RequestStats {
        let mut totals = RequestStats::default();
        for s in &self.names {
            totals.add(s);
        }
        totals
    }

    fn snapshot(&self, plan: &Plan, elapsed: Duration, second: u64) -> Snapshot {
        let empty = RequestStats::default();
        let last = self.open_seconds.get(&second).unwrap_or(&empty);
        let profile = plan.model.profile();
        let t = elapsed.as_secs_f64();
        let stage = if profile.stages.len() > 1 {
            profile.stage_at(t).map(|(i, s)| (i + 1, profile.stages.len(), s.name.clone()))
        } else {
            None
        };
        Snapshot {
            elapsed,
            planned: plan.duration,
            max_requests: plan.max_requests,
            stage,
            target_value: profile.value_at(t),
            last_requests: last.requests,
            last_errors: last.errors,
            last_p50: last.latency.quantile(0.5),
            last_p99: last.latency.quantile(0.99),
            requests: self.names.iter().map(|s| s.requests).sum(),
            errors: self.names.iter().map(|s| s.errors).sum(),
            last_statuses: {
                let mut statuses = last.statuses.clone();
                statuses.sort_unstable();
                statuses
            },
            last_failures: last
                .error_classes
                .nonzero()
                .into_iter()
                .filter(|(class, _)| !matches!(*class, "4xx" | "5xx" | "unexpected_status"))
                .collect(),
            last_latency: last.latency.clone(),
            checks: self
                .names
                .iter()
                .flat_map(|s| &s.checks)
                .fold((0, 0), |(p, f), (_, passed, failed)| (p + passed, f + failed)),
        }
    }

    fn partial_result(&self, plan: &Plan, elapsed: Duration) -> RunResult {
        let duration_s = elapsed.as_secs_f64();
        RunResult {
            schema_version: SCHEMA_VERSION,
            target: plan.target.url.clone(),
            model: plan.model.label().into(),
            connections: plan.model.max_connections() as u64,
            rate: match &plan.model {
                Model::Open { rate, .. } => Some(rate.peak()),
                Model::Closed { .. } => None,
            },
            started_at_unix_ms: 0,
            duration_s,
            interrupted: false,
            aborted: false,
            agents: 1,
            missed_arrivals: self.missed,
            abandoned: self.abandoned,
            totals: NameResult::from_stats("total", "", &self.totals(), duration_s),
            requests: plan
                .requests
                .iter()
                .zip(&self.names)
                .map(|(r, s)| NameResult::from_stats(&r.name, &r.method, s, duration_s))
                .collect(),
            timeline: Vec::new(),
            thresholds: Vec::new(),
            retort_version: Some(env!("CARGO_PKG_VERSION").to_string()),
            command: None,
        }
    }

    fn any_threshold_fails(&self, plan: &Plan) -> bool {
        let judged: Vec<_> = plan.thresholds.iter().filter(|t| t.judged_early()).collect();
        if judged.is_empty() {
            return false;
        }
        let partial = self.partial_result(plan, Duration::from_secs(1));
        if partial.totals.requests == 0 {
            return false;
        }
        judged.iter().any(|t| !t.evaluate(&partial).passed)
    }

    fn finish(
        mut self,
        plan: &Plan,
        elapsed: Duration,
        started_at_unix_ms: u64,
        interrupted: bool,
        aborted: bool,
    ) -> RunResult {
        self.seal_before(u64::MAX);
        let mut result = self.partial_result(plan, elapsed);
        result.started_at_unix_ms = started_at_unix_ms;
        result.interrupted = interrupted;
        result.aborted = aborted;
        result.timeline = std::mem::take(&mut self.sealed);
        result.timeline.sort_by_key(|s| s.second);
        result.thresholds = plan.thresholds.iter().map(|t| t.evaluate(&result)).collect();
        result
    }
}

/// A group's shared HTTP/2 connection (`--h2-streams`).
enum SharedH2 {
    /// A task of the group is connecting; the others wait for it.
    Opening,
    /// Open; tasks take handles with [`Connection::share`].
    Ready(Connection),
}

/// State shared by the connections of one worker thread.
struct Worker {
    plan: Arc<Plan>,
    id: usize,
    connector: Connector,
    start: Instant,
    sent: Arc<AtomicU64>,
    stats: RefCell<Vec<RequestStats>>,
    next_arrival: Cell<u64>,
    stopping: Cell<bool>,
    stop_notify: Notify,
    in_flight: Cell<u64>,
    stopped_at: Cell<Option<Instant>>,
    // HTTP/2 connections shared by groups of `h2_streams` connection tasks.
    shared_h2: RefCell<HashMap<usize, SharedH2>>,
    // The second the next interval report is for (completions since the
    // last report belong to it).
    next_report_second: Cell<u64>,
    cumulative_weights: Vec<u64>,
}

impl Worker {
    fn pick_request(&self, rng: &mut fastrand::Rng) -> usize {
        let total = *self.cumulative_weights.last().unwrap_or(&0);
        if self.cumulative_weights.len() <= 1 || total == 0 {
            return 0;
        }
        let x = rng.u64(0..total);
        self.cumulative_weights.partition_point(|&c| c <= x)
    }

    /// Sleeps until `until`, or returns false early when the run stops.
    async fn sleep_until(&self, until: Instant) -> bool {
        if self.stopping.get() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep_until(until) => !self.stopping.get(),
            _ = self.stop_notify.notified() => false,
        }
    }

    fn stop(&self) {
        if !self.stopping.get() {
            self.stopping.set(true);
            self.stopped_at.set(Some(Instant::now()));
            self.stop_notify.notify_waiters();
        }
    }

    fn take_interval(&self) -> Vec<(usize, RequestStats)> {
        let mut stats = self.stats.borrow_mut();
        let mut out = Vec::new();
        for (index, s) in stats.iter_mut().enumerate() {
            if !s.is_empty() {
                out.push((index, s.clone()));
                s.reset();
            }
        }
        out
    }

    // Open model: arrivals that were due before the stop but never sent.
    fn missed_arrivals(&self) -> u64 {
        let Model::Open { rate, .. } = &self.plan.model else {
            return 0;
        };
        let Some(stopped) = self.stopped_at.get() else {
            return 0;
        };
        let horizon = stopped.saturating_duration_since(self.start).as_secs_f64();
        let threads = self.plan.threads as u64;
        let mut k = self.next_arrival.get();
        let mut missed = 0;
        while missed < 100_000_000 {
            match rate.arrival_time((k * threads + self.id as u64) as f64) {
                Some(t) if t < horizon => missed += 1,
                _ => break,
            }
            k += 1;
        }
        missed
    }
}

async fn run_worker(
    plan: Arc<Plan>,
    id: usize,
    connector: Connector,
    cancel: CancellationToken,
    sent: Arc<AtomicU64>,
    start: Instant,
    tx: mpsc::Sender<Report>,
) {
    let mut cumulative = 0u64;
    let cumulative_weights = plan
        .requests
        .iter()
        .map(|r| {
            cumulative += r.weight as u64;
            cumulative
        })
        .collect();
    let worker = Rc::new(Worker {
        stats: RefCell::new(plan.requests.iter().map(|_| RequestStats::default()).collect()),
        plan: plan.clone(),
        id,
        connector,
        start,
        sent,
        next_arrival: Cell::new(0),
        stopping: Cell::new(false),
        stop_notify: Notify::new(),
        in_flight: Cell::new(0),
        stopped_at: Cell::new(None),
        shared_h2: RefCell::new(HashMap::new()),
        next_report_second: Cell::new(0),
        cumulative_weights,
    });

    tokio::time::sleep_until(start).await;
    let mut connections = Vec::new();
    let mut connection_id = id;
    while connection_id < plan.model.max_connections() {
        let worker = worker.clone();
        connections.push(tokio::task::spawn_local(connection_loop(worker, connection_id)));
        connection_id += plan.threads;
    }
    let abort_handles: Vec<_> = connections.iter().map(|h| h.abort_handle()).collect();

    // Stops sending at the deadline or on cancel, then gives in-flight
    // requests a grace period before abandoning them.
    let stopper = {
        let worker = worker.clone();
        tokio::task::spawn_local(async move {
            let deadline = worker.plan.duration.and_then(|d| start.checked_add(d));
            tokio::select! {
                _ = async {
                    match deadline {
                        Some(d) => tokio::time::sleep_until(d).await,
                        None => std::future::pending().await,
                    }
                } => {}
                _ = cancel.cancelled() => {}
            }
            worker.stop();
            tokio::time::sleep(worker.plan.grace).await;
            let abandoned = worker.in_flight.get();
            for handle in &abort_handles {
                handle.abort();
            }
            abandoned
        })
    };

    let flusher = {
        let worker = worker.clone();
        let tx = tx.clone();
        tokio::task::spawn_local(async move {
            loop {
                let second = worker.next_report_second.get();
                tokio::time::sleep_until(start + Duration::from_secs(second + 1)).await;
                let stats = worker.take_interval();
                // In the grace period after the deadline, reports join the last second.
                let last_second = worker.plan.duration.map(|d| (d.as_secs_f64().ceil() as u64).saturating_sub(1));
                let _ = tx.send(Report::Interval { second: second.min(last_second.unwrap_or(u64::MAX)), stats });
                worker.next_report_second.set(second + 1);
            }
        })
    };

    for connection in connections {
        let _ = connection.await;
    }
    worker.stop();
    let abandoned = if stopper.is_finished() {
        stopper.await.unwrap_or(0)
    } else {
        stopper.abort();
        0
    };
    flusher.abort();
    // The last, partial interval: completions since the last report, which
    // happened in that report's second (a run ending at 3.0 s has no second 3).
    // Responses that complete in the grace period after the deadline are
    // folded into the run's last second rather than opening a near-empty one.
    let last_second = plan.duration.map(|d| (d.as_secs_f64().ceil() as u64).saturating_sub(1));
    let second = worker.next_report_second.get().min(last_second.unwrap_or(u64::MAX));
    let _ = tx.send(Report::Interval { second, stats: worker.take_interval() });
    let _ = tx.send(Report::Done { missed: worker.missed_arrivals(), abandoned, error: None });
}

/// How long a virtual user waits before logging in again after a failed
/// login step, so a broken login does not hammer the service.
const LOGIN_RETRY_PAUSE: Duration = Duration::from_secs(1);

/// A virtual user's session: each connection task is one virtual user,
/// with its own cookie jar, its extracted variables, and how far it got
/// through the login steps.
struct VirtualUser {
    jar: Option<CookieJar>,
    vars: SessionVars,
    login_cursor: usize,
}

impl VirtualUser {
    fn new(plan: &Plan) -> VirtualUser {
        VirtualUser {
            jar: plan.cookies.then(CookieJar::new),
            vars: plan.session_defaults.iter().cloned().collect(),
            login_cursor: 0,
        }
    }

    /// Applies a response: stores its cookies, extracts its values and
    /// counts its request's checks. Returns whether every check passed.
    fn apply_response(
        &mut self,
        request: &RequestPlan,
        response: &Response,
        path: &str,
        target: &Target,
        stats: &mut RequestStats,
    ) -> bool {
        if let Some(jar) = &mut self.jar {
            store_cookies(jar, response, path, target, stats);
        }
        // Every extraction adds a check, so no checks means nothing to do.
        if request.checks.is_empty() {
            return true;
        }
        let data = ResponseData::new(response.status, &response.headers, &response.body);
        let mut found: Vec<&str> = Vec::new();
        for extraction in &request.extractions {
            if let Some(value) = extraction.source.extract(&data, self.jar.as_ref()) {
                self.vars.insert(extraction.variable.clone(), value);
                found.push(&extraction.variable);
            }
        }
        let mut all_passed = true;
        for check in &request.checks {
            let passed = check.holds(&data, &|variable| found.contains(&variable));
            stats.record_check(&check.name, passed);
            all_passed &= passed;
        }
        if !all_passed {
            stats.responses_failing_checks += 1;
        }
        all_passed
    }
}

fn store_cookies(jar: &mut CookieJar, response: &Response, path: &str, target: &Target, stats: &mut RequestStats) {
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("set-cookie")
            && jar.store(value, &target.host, path, target.tls) == Stored::SecureOverHttp
        {
            stats.secure_cookies_ignored += 1;
        }
    }
}

async fn connection_loop(worker: Rc<Worker>, connection_id: usize) {
    let plan = worker.plan.clone();
    let target = worker.connector.target().clone();
    let mut rng = fastrand::Rng::with_seed(0x5eed ^ connection_id as u64);
    let mut user = VirtualUser::new(&plan);
    let mut connection: Option<Connection> = None;
    let mut sequence = 0u64;
    let threads = plan.threads as u64;
    // With --h2-streams K, K tasks of this worker share one HTTP/2 connection.
    let h2_group = (plan.h2_streams > 1).then(|| (connection_id / plan.threads) / plan.h2_streams);
    let (open_rate, closed_profile) = match &plan.model {
        Model::Open { rate, .. } => (Some(rate), None),
        Model::Closed { connections } => (None, Some(connections)),
    };
    let staged_connections = closed_profile.is_some_and(|p| p.stages.len() > 1 || p.start != p.peak());
    'requests: loop {
        if worker.stopping.get() {
            break;
        }
        // When was this request meant to go out?
        let intended = if let Some(rate) = open_rate {
            let k = worker.next_arrival.get();
            worker.next_arrival.set(k + 1);
            let Some(at) = rate.arrival_time((k * threads + worker.id as u64) as f64) else {
                break;
            };
            // A vanishingly small rate puts arrivals beyond any clock: stop.
            let Some(due) = Duration::try_from_secs_f64(at).ok().and_then(|offset| worker.start.checked_add(offset))
            else {
                break;
            };
            if due > Instant::now() {
                // On time: the timer's own lateness (up to a tick) is the
                // generator's, not the server's, so measure from the wake-up.
                // An arrival due before the stop is still sent, even when
                // the stop woke us first within the same timer tick.
                let woke = worker.sleep_until(due).await;
                if !woke && worker.stopped_at.get().is_none_or(|stop| due > stop) {
                    break;
                }
                Some(Instant::now())
            } else {
                // Behind schedule because every connection was busy: the
                // wait is queueing the server caused, so it counts.
                Some(due)
            }
        } else {
            if staged_connections {
                let profile = closed_profile.expect("closed model has a profile");
                let t = Instant::now().saturating_duration_since(worker.start).as_secs_f64();
                if (connection_id as f64) >= profile.value_at(t).round() {
                    // Not active at this point of the ramp: drop the connection and wait.
                    connection = None;
                    if !worker.sleep_until(Instant::now() + Duration::from_millis(20)).await {
                        break;
                    }
                    continue;
                }
            }
            None
        };
        if let Some(max) = plan.max_requests {
            if worker.sent.fetch_add(1, Ordering::Relaxed) >= max {
                break;
            }
        }

        // A virtual user that has not logged in yet sends its next login step.
        let index =
            if user.login_cursor < plan.login_steps { user.login_cursor } else { worker.pick_request(&mut rng) };
        let request = &plan.requests[index];
        let owned;
        let mut rendered = match &request.rendered {
            Some(rendered) => rendered,
            None => {
                owned = request.render_session(&target.authority, &plan.data, &mut rng, sequence, &user.vars);
                &owned
            }
        };
        let with_cookie;
        if let Some(cookie) = user.jar.as_ref().and_then(|jar| jar.header_for(&target.host, &rendered.path, target.tls))
        {
            with_cookie = rendered.with_cookie(&request.method, &target.authority, &cookie);
            rendered = &with_cookie;
        }
        let capture = request.capture(user.jar.is_some());
        sequence += 1;
        let sent_bytes = rendered.wire.len() as u64;

        // --h2-streams: take the group's HTTP/2 connection; if another task
        // of the group is opening it, wait; if there is none, open it.
        let mut opening_shared = None;
        if let (None, Some(group)) = (&connection, h2_group) {
            loop {
                let state = match worker.shared_h2.borrow().get(&group) {
                    Some(SharedH2::Ready(c)) => c.share().map(Ok),
                    Some(SharedH2::Opening) => Some(Err(())),
                    None => None,
                };
                match state {
                    Some(Ok(shared)) => {
                        connection = Some(shared);
                        break;
                    }
                    Some(Err(())) => {
                        if !worker.sleep_until(Instant::now() + Duration::from_millis(1)).await {
                            break 'requests;
                        }
                    }
                    None => {
                        worker.shared_h2.borrow_mut().insert(group, SharedH2::Opening);
                        opening_shared = Some(group);
                        break;
                    }
                }
            }
        }

        worker.in_flight.set(worker.in_flight.get() + 1);
        let conn = match &mut connection {
            Some(c) => Some(c),
            None => {
                let connected = worker.connector.connect().await;
                if let Some(group) = opening_shared {
                    let mut shared = worker.shared_h2.borrow_mut();
                    match connected.as_ref().ok().and_then(Connection::share) {
                        Some(c) => shared.insert(group, SharedH2::Ready(c)),
                        None => shared.remove(&group),
                    };
                }
                match connected {
                    Ok(c) => Some(connection.insert(c)),
                    Err(class) => {
                        worker.stats.borrow_mut()[index].record_failure(class, 0);
                        None
                    }
                }
            }
        };
        let Some(conn) = conn else {
            worker.in_flight.set(worker.in_flight.get() - 1);
            // Back off a little so a refused port does not spin the CPU.
            if !worker.sleep_until(Instant::now() + Duration::from_millis(10)).await {
                break;
            }
            continue;
        };
        let begin = intended.unwrap_or_else(Instant::now);
        let jar = user.jar.as_mut();
        let outcome = tokio::time::timeout(plan.timeout, async {
            let response = conn.send(rendered, &request.method, &target, capture).await?;
            if plan.follow_redirects == 0 || !redirect::is_redirect(response.status) {
                return Ok((response, 0, None));
            }
            let hop = Hop { connector: &worker.connector, target: &target, capture, jar };
            follow_redirects(hop, conn, request, rendered, response, plan.follow_redirects).await
        })
        .await;
        let end = Instant::now();
        worker.in_flight.set(worker.in_flight.get() - 1);
        let micros = end.saturating_duration_since(begin).as_micros() as u64;
        let mut login_failed = request.login;
        match outcome {
            Ok(Ok((response, redirects, final_path))) => {
                let success = request.is_success(response.status);
                let mut stats = worker.stats.borrow_mut();
                stats[index].record_response(response.status, success, micros, response.bytes, sent_bytes);
                stats[index].redirects += redirects;
                let path = final_path.as_deref().unwrap_or(&rendered.path);
                let checks_passed = user.apply_response(request, &response, path, &target, &mut stats[index]);
                if request.login && success && checks_passed {
                    user.login_cursor += 1;
                    login_failed = false;
                }
                if !response.keep_alive {
                    connection = None;
                }
            }
            Ok(Err(class)) => {
                worker.stats.borrow_mut()[index].record_failure(class, sent_bytes);
                connection = None;
            }
            Err(_) => {
                worker.stats.borrow_mut()[index].record_failure(FailureClass::Timeout, sent_bytes);
                connection = None;
            }
        }
        if login_failed {
            // Start the login over with a fresh session, after a pause.
            user = VirtualUser::new(&plan);
            if !worker.sleep_until(Instant::now() + LOGIN_RETRY_PAUSE).await {
                break;
            }
            continue;
        }

        if let (None, Some((low, high))) = (open_rate, plan.think_time) {
            let pause =
                if high > low { low + Duration::from_nanos(rng.u64(0..(high - low).as_nanos() as u64)) } else { low };
            if !pause.is_zero() && !worker.sleep_until(Instant::now() + pause).await {
                break;
            }
        }
    }
}

/// What following a redirect needs besides the connection.
struct Hop<'a> {
    connector: &'a Connector,
    target: &'a Target,
    capture: Capture,
    /// The virtual user's cookie jar: cookies set by a redirect are stored
    /// and sent with the next hop.
    jar: Option<&'a mut CookieJar>,
}

/// Follows same-origin redirects after `response`, up to `limit` hops, on
/// the same connection (reconnecting when the server closed it). Returns
/// the last response, with the bytes of the whole chain, the hops, and the
/// last path when it moved.
async fn follow_redirects(
    mut hop: Hop<'_>,
    connection: &mut Connection,
    request: &RequestPlan,
    first: &Rendered,
    mut response: Response,
    limit: u32,
) -> Result<(Response, u64, Option<String>), FailureClass> {
    let target = hop.target;
    let mut method = request.method.clone();
    let mut path = first.path.clone();
    let mut headers = first.headers.clone();
    let mut body = first.body.clone();
    let mut bytes = response.bytes;
    let mut hops = 0u64;
    while hops < limit as u64 && redirect::is_redirect(response.status) {
        let Some(next) = response.location.as_deref().and_then(|l| redirect::resolve(target, &path, l)) else {
            break;
        };
        if redirect::becomes_get(response.status, &method) && !method.eq_ignore_ascii_case("GET") {
            method = "GET".into();
            body = bytes::Bytes::new();
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        }
        if let Some(jar) = hop.jar.as_deref_mut() {
            let mut ignored = RequestStats::default();
            store_cookies(jar, &response, &path, target, &mut ignored);
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("cookie"));
            if let Some(cookie) = jar.header_for(&target.host, &next, target.tls) {
                headers.push(("Cookie".into(), cookie));
            }
        }
        let rendered = assemble_as(&method, &target.authority, next.clone(), headers.clone(), body.clone());
        if !response.keep_alive {
            *connection = hop.connector.connect().await?;
        }
        response = connection.send(&rendered, &method, target, hop.capture).await?;
        bytes += response.bytes;
        path = next;
        hops += 1;
    }
    response.bytes = bytes;
    Ok((response, hops, (hops > 0).then_some(path)))
}
