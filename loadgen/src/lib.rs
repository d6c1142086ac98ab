//! Glass load generator: complete help sessions, without media, against one broker or several
//! behind a load balancer.
//!
//! Each session signs a helper and a sharer in (local accounts, `POST /api/login`), opens
//! both WebSockets (500 ms heartbeats, as the web apps), and runs the whole flow: a code,
//! the redemption, `view` asked and allowed, chat lines both ways, `full` asked and allowed,
//! a hold, and a leave from one side (the helper in even sessions, the sharer in odd ones).
//! The report has sessions per second, the peak of sessions held at once, p50/p99/max of
//! each signalling step, the CPU and resident memory of watched processes (the brokers) and
//! every lost or duplicated event: each chat line must reach each side exactly once with the
//! same `seq`, each session must end on both sides, and (given the audit database) each must
//! have its `session_ended` row.
//!
//! ```no_run
//! # async fn demo() -> Result<(), glass_loadgen::RunError> {
//! let options = glass_loadgen::Options {
//!     target: "http://127.0.0.1:8080".into(),
//!     sessions: 200,
//!     concurrency: 50,
//!     ..glass_loadgen::Options::default()
//! };
//! let report = glass_loadgen::run(&options).await?;
//! print!("{}", report.table());
//! assert!(report.clean());
//! # Ok(()) }
//! ```
//!
//! Accounts: slot `i` (one per session held at once) signs in as `<prefix>-h<i>` (helper)
//! and `<prefix>-s<i>` (sharer): a helper has one live code, so helpers held at once need
//! accounts of their own. [`accounts_json`] writes such a file with cheap argon2id
//! parameters (a load run measures the broker, not 20 ms of password hashing per sign-in;
//! never use such a file for real users). Each slot's two clients connect from their own
//! loopback addresses (127.10.x.y, 127.20.x.y) so the broker's per-address limits
//! (`max_links_per_ip`, sign-in and redeem rates) see one user per address, as in real life;
//! behind a proxy the broker must trust the proxy's `X-Forwarded-For` (`--trusted-proxy`).
#![forbid(unsafe_code)]

mod client;
pub mod flow;
pub mod procstat;
pub mod stack;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

pub use client::Target;

/// What to run. Plain data; [`Options::validate`] checks it.
#[derive(Debug, Clone)]
pub struct Options {
    /// `http://HOST:PORT` of the broker or the load balancer.
    pub target: String,
    /// Sessions to run in all.
    pub sessions: usize,
    /// Sessions held at once at most (and account slots used).
    pub concurrency: usize,
    /// Sessions started per second (0: as fast as slots free up).
    pub ramp_per_s: f64,
    /// How long each session stays open after the flow, before one side leaves.
    pub hold: Duration,
    /// Chat lines each side writes.
    pub chat_lines: usize,
    /// Account name prefix: `<prefix>-h<i>`, `<prefix>-s<i>`.
    pub user_prefix: String,
    /// Every load account's password.
    pub password: String,
    /// Each slot's clients connect from their own loopback address.
    pub source_ips: bool,
    /// Heartbeat interval (the web apps: 500 ms; the broker drops a link silent for 1.5 s).
    pub ping: Duration,
    /// How long any one step may take before the session counts as failed.
    pub step_timeout: Duration,
    /// The audit database (`postgres://…`) to check for every session's `session_ended`.
    pub audit_db: Option<String>,
    /// Processes to watch (name, pid): CPU and RSS. Names starting with `broker` are summed
    /// as the brokers.
    pub watch: Vec<(String, u32)>,
    /// How often the watched processes are read.
    pub sample_every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: "http://127.0.0.1:8080".into(),
            sessions: 100,
            concurrency: 20,
            ramp_per_s: 50.0,
            hold: Duration::from_secs(1),
            chat_lines: 5,
            user_prefix: "load".into(),
            password: DEFAULT_PASSWORD.into(),
            source_ips: true,
            ping: Duration::from_millis(500),
            step_timeout: Duration::from_secs(30),
            audit_db: None,
            watch: Vec::new(),
            sample_every: Duration::from_secs(1),
        }
    }
}

/// The password [`accounts_json`] gives every load account unless told otherwise.
pub const DEFAULT_PASSWORD: &str = "load-generator-password";

/// An option that is not acceptable: names the field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct OptionError {
    /// The option.
    pub field: &'static str,
    /// What is allowed.
    pub reason: String,
}

impl Options {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), OptionError> {
        let bad = |field, reason: String| Err(OptionError { field, reason });
        if !self.target.starts_with("http://") {
            return bad(
                "target",
                format!("{:?}: expected http://HOST:PORT", self.target),
            );
        }
        if !(1..=1_000_000).contains(&self.sessions) {
            return bad(
                "sessions",
                format!("{}: expected 1..=1000000", self.sessions),
            );
        }
        if !(1..=100_000).contains(&self.concurrency) {
            return bad(
                "concurrency",
                format!("{}: expected 1..=100000", self.concurrency),
            );
        }
        if !(self.ramp_per_s >= 0.0 && self.ramp_per_s <= 100_000.0) {
            return bad(
                "ramp",
                format!("{}: expected 0..=100000 sessions/s", self.ramp_per_s),
            );
        }
        if self.hold > Duration::from_secs(3600) {
            return bad("hold", format!("{:?}: at most 1 h", self.hold));
        }
        if self.chat_lines > 1000 {
            return bad(
                "chat_lines",
                format!("{}: expected 0..=1000", self.chat_lines),
            );
        }
        if self.user_prefix.is_empty()
            || !self
                .user_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return bad(
                "user_prefix",
                "letters, digits, '-' and '_' only, not empty".into(),
            );
        }
        if self.password.is_empty() {
            return bad("password", "must not be empty".into());
        }
        if self.ping < Duration::from_millis(50) || self.ping > Duration::from_secs(60) {
            return bad("ping", format!("{:?}: expected 50 ms..=60 s", self.ping));
        }
        if self.step_timeout < Duration::from_secs(1)
            || self.step_timeout > Duration::from_secs(600)
        {
            return bad(
                "step_timeout",
                format!("{:?}: expected 1..=600 s", self.step_timeout),
            );
        }
        if let Some(db) = &self.audit_db
            && !db.starts_with("postgres://")
            && !db.starts_with("postgresql://")
        {
            return bad("audit_db", "expected postgres://USER@HOST:PORT/DB".into());
        }
        if self.sample_every < Duration::from_millis(100) {
            return bad("sample_every", "at least 100 ms".into());
        }
        Ok(())
    }
}

/// Why a run could not take place (a failed session is not an error: it is in the report).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A bad option.
    #[error(transparent)]
    Option(#[from] OptionError),
    /// The target does not answer at all.
    #[error("target {target}: {reason}")]
    Unreachable {
        /// The target URL.
        target: String,
        /// Why.
        reason: String,
    },
}

/// State every session task shares.
pub struct Shared {
    options: Options,
    target: Target,
    concurrent: AtomicUsize,
    peak: AtomicUsize,
}

/// Latency of one step over all sessions, milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct StepStats {
    /// The step (`redeem→joined`, …).
    pub step: String,
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

/// Chat lines: every line must reach each side exactly once.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChatCheck {
    /// Deliveries expected (lines × both sides' views).
    pub expected: u64,
    /// Distinct deliveries seen.
    pub delivered: u64,
    /// Expected but never seen.
    pub lost: u64,
    /// Seen more than once.
    pub duplicated: u64,
    /// Sessions whose two sides disagree on a line's `seq`, or whose `seq`s are not 1..=n.
    pub seq_errors: u64,
}

/// Session ends: each established session must end on both sides, once.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EndCheck {
    /// Sessions that got as far as `joined`.
    pub established: usize,
    /// Of those, ended on both sides with exactly one `ended` each.
    pub ended_both: usize,
    /// Sides that never got `ended`.
    pub missing_ended: usize,
    /// Sides that got more than one `ended`.
    pub duplicate_ended: usize,
    /// Sessions whose remaining side never got `peer_left` after the other's `leave`.
    pub missing_peer_left: usize,
    /// Messages after a side's `ended`.
    pub after_ended: u64,
}

/// The audit trail afterwards: every established session has its `session_ended` row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditCheck {
    /// Session ids looked up.
    pub sessions: usize,
    /// With exactly one `session_ended` row.
    pub ended_once: usize,
    /// Without one (after waiting for the writers to catch up).
    pub missing: usize,
    /// With more than one.
    pub duplicated: usize,
    /// Why the check could not be made, if it could not.
    pub error: Option<String>,
}

/// One watched process.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessStats {
    /// Its name (`broker-1`, `haproxy`).
    pub name: String,
    /// Its pid.
    pub pid: u32,
    /// CPU seconds used during the run.
    pub cpu_s: f64,
    /// Mean CPU over the run, percent of one core.
    pub cpu_pct_mean: f64,
    /// Mean CPU while at least 95 % of the peak number of sessions was held.
    pub cpu_pct_plateau: Option<f64>,
    /// Resident set before the run, MiB.
    pub rss_start_mib: f64,
    /// Highest resident set, MiB.
    pub rss_peak_mib: f64,
}

/// What the brokers (processes named `broker…`) cost per 1,000 sessions held.
#[derive(Debug, Clone, Serialize)]
pub struct PerThousand {
    /// Percent of one core, at the plateau.
    pub cpu_pct: Option<f64>,
    /// Resident memory above the start, MiB.
    pub rss_mib: f64,
    /// CPU milliseconds per session over the whole run (setup, hold and teardown).
    pub cpu_ms_per_session: f64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The target.
    pub target: String,
    /// Sessions asked for.
    pub sessions: usize,
    /// Concurrency asked for.
    pub concurrency: usize,
    /// Wall time, seconds.
    pub duration_s: f64,
    /// Sessions that ran the whole flow without a failure.
    pub completed: usize,
    /// Sessions with a failure.
    pub failed: usize,
    /// Sessions established (sharer joined) per second, from the first start to the last
    /// establishment.
    pub sessions_per_s: f64,
    /// Most sessions held at once (sharer joined, not yet ended).
    pub peak_concurrent: usize,
    /// Sessions whose helper and sharer signed in on different brokers (known when the load
    /// balancer sets a stickiness cookie).
    pub cross_broker: Option<usize>,
    /// Latency per step.
    pub steps: Vec<StepStats>,
    /// Chat delivery.
    pub chat: ChatCheck,
    /// Session ends.
    pub ends: EndCheck,
    /// The audit trail.
    pub audit: Option<AuditCheck>,
    /// Failures and broker errors by kind.
    pub errors: BTreeMap<String, usize>,
    /// Sign-ins retried after 429/503.
    pub sign_in_retries: u64,
    /// Watched processes.
    pub processes: Vec<ProcessStats>,
    /// The brokers' cost per 1,000 sessions held.
    pub brokers_per_1000: Option<PerThousand>,
    /// The machine's 1-minute load average at the start and at the end of the run.
    pub load_average: [f64; 2],
    /// CPU cores.
    pub cores: usize,
}

impl Report {
    /// No session failed, nothing lost or duplicated, every session ended on both sides and
    /// (when checked) in the audit trail.
    pub fn clean(&self) -> bool {
        self.failed == 0
            && self.completed == self.sessions
            && self.chat.lost == 0
            && self.chat.duplicated == 0
            && self.chat.seq_errors == 0
            && self.ends.ended_both == self.ends.established
            && self.ends.missing_peer_left == 0
            && self.ends.after_ended == 0
            && self
                .audit
                .as_ref()
                .is_none_or(|a| a.error.is_none() && a.missing == 0 && a.duplicated == 0)
    }

    /// The human table.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "glass-loadgen: {} sessions at concurrency {} against {} in {:.1} s",
            self.sessions, self.concurrency, self.target, self.duration_s
        );
        let _ = writeln!(
            s,
            "  completed {}   failed {}   established {:.1}/s   peak held {}{}",
            self.completed,
            self.failed,
            self.sessions_per_s,
            self.peak_concurrent,
            self.cross_broker
                .map(|c| format!("   across brokers {c}"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            s,
            "\n  {:<26} {:>8} {:>9} {:>9} {:>9}",
            "step", "count", "p50 ms", "p99 ms", "max ms"
        );
        for st in &self.steps {
            let _ = writeln!(
                s,
                "  {:<26} {:>8} {:>9.2} {:>9.2} {:>9.1}",
                st.step, st.count, st.p50_ms, st.p99_ms, st.max_ms
            );
        }
        let c = &self.chat;
        let _ = writeln!(
            s,
            "\n  chat: {} of {} deliveries, lost {}, duplicated {}, seq errors {}",
            c.delivered, c.expected, c.lost, c.duplicated, c.seq_errors
        );
        let e = &self.ends;
        let _ = writeln!(
            s,
            "  ends: {} of {} sessions ended on both sides; missing ended {}, duplicate ended {}, missing peer_left {}, after ended {}",
            e.ended_both,
            e.established,
            e.missing_ended,
            e.duplicate_ended,
            e.missing_peer_left,
            e.after_ended
        );
        match &self.audit {
            Some(a) => {
                let _ = writeln!(
                    s,
                    "  audit: {} of {} sessions with one session_ended row; missing {}, duplicated {}{}",
                    a.ended_once,
                    a.sessions,
                    a.missing,
                    a.duplicated,
                    a.error
                        .as_ref()
                        .map(|e| format!(", not checked: {e}"))
                        .unwrap_or_default()
                );
            }
            None => {
                let _ = writeln!(s, "  audit: not checked (no audit database given)");
            }
        }
        if self.sign_in_retries > 0 {
            let _ = writeln!(
                s,
                "  sign-ins retried after 429/503: {}",
                self.sign_in_retries
            );
        }
        if !self.errors.is_empty() {
            let _ = writeln!(s, "\n  failures and errors:");
            for (k, n) in &self.errors {
                let _ = writeln!(s, "    {n:>7}  {k}");
            }
        }
        if !self.processes.is_empty() {
            let _ = writeln!(
                s,
                "\n  {:<12} {:>8} {:>8} {:>10} {:>12} {:>11} {:>10}",
                "process", "pid", "CPU s", "CPU % avg", "CPU % held", "RSS0 MiB", "RSS MiB"
            );
            for p in &self.processes {
                let _ = writeln!(
                    s,
                    "  {:<12} {:>8} {:>8.1} {:>10.1} {:>12} {:>11.1} {:>10.1}",
                    p.name,
                    p.pid,
                    p.cpu_s,
                    p.cpu_pct_mean,
                    p.cpu_pct_plateau
                        .map(|c| format!("{c:.1}"))
                        .unwrap_or_else(|| "-".into()),
                    p.rss_start_mib,
                    p.rss_peak_mib
                );
            }
        }
        if let Some(k) = &self.brokers_per_1000 {
            let _ = writeln!(
                s,
                "  brokers per 1,000 sessions held: CPU {} % of a core (while ≥ 95 % of the peak was held), RSS {:.1} MiB; {:.2} CPU ms per session over the run",
                k.cpu_pct
                    .map(|c| format!("{c:.1}"))
                    .unwrap_or_else(|| "-".into()),
                k.rss_mib,
                k.cpu_ms_per_session
            );
        }
        let _ = writeln!(
            s,
            "  machine: {} cores, load average {:.1} at the start, {:.1} at the end",
            self.cores, self.load_average[0], self.load_average[1]
        );
        let _ = writeln!(
            s,
            "\n  result: {}",
            if self.clean() {
                "clean (nothing lost or duplicated, every session ended)"
            } else {
                "NOT clean"
            }
        );
        s
    }
}

/// The accounts file for `slots` slots (`<prefix>-h<i>` and `<prefix>-s<i>`), every password
/// `password`, hashed once with the cheapest argon2id parameters (8 KiB, 1 pass): for load
/// runs only.
pub fn accounts_json(prefix: &str, slots: usize, password: &str) -> Result<String, OptionError> {
    use argon2::password_hash::PasswordHasher;
    let params = argon2::Params::new(8, 1, 1, None).map_err(|e| OptionError {
        field: "password",
        reason: e.to_string(),
    })?;
    let salt = *b"glass-load-salt!";
    let hash = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|e| OptionError {
            field: "password",
            reason: e.to_string(),
        })?
        .to_string();
    let account = |username: String, name: String, title: &str| glass_broker::accounts::Account {
        username,
        password_hash: hash.clone(),
        profile: glass_broker::accounts::Profile {
            name,
            title: title.into(),
            company: "Contoso".into(),
            picture: None,
            domain: "contoso.com".into(),
            domain_verified: true,
        },
        groups: Vec::new(),
    };
    let mut users = Vec::with_capacity(2 * slots);
    for i in 0..slots {
        users.push(account(
            format!("{prefix}-h{i}"),
            format!("Load Helper {i}"),
            "IT support engineer",
        ));
        users.push(account(
            format!("{prefix}-s{i}"),
            format!("Load Sharer {i}"),
            "Accountant",
        ));
    }
    serde_json::to_string(&serde_json::json!({ "users": users })).map_err(|e| OptionError {
        field: "accounts",
        reason: e.to_string(),
    })
}

struct Sample {
    concurrent: usize,
    readings: Vec<Option<procstat::Reading>>,
}

/// Runs the sessions and checks what they saw.
pub async fn run(options: &Options) -> Result<Report, RunError> {
    options.validate()?;
    let target = Target::resolve(&options.target)
        .await
        .map_err(|reason| OptionError {
            field: "target",
            reason,
        })?;
    if let Err(e) = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect(target.addr),
    )
    .await
    .unwrap_or_else(|_| Err(std::io::Error::other("no answer in 5 s")))
    {
        return Err(RunError::Unreachable {
            target: options.target.clone(),
            reason: e.to_string(),
        });
    }
    // The generator watches itself too: on a shared machine it competes with the brokers.
    let mut options = options.clone();
    options
        .watch
        .push(("loadgen".to_owned(), std::process::id()));
    let options = &options;
    let load_start = load_average();
    let shared = Arc::new(Shared {
        options: options.clone(),
        target,
        concurrent: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    });

    // Watched processes, read every `sample_every` until the sessions are done.
    let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
    let sampler = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let sample = || Sample {
                concurrent: shared.concurrent.load(Ordering::Relaxed),
                readings: shared
                    .options
                    .watch
                    .iter()
                    .map(|(_, pid)| procstat::read(*pid))
                    .collect(),
            };
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(shared.options.sample_every);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = &mut stop_rx => break,
                }
                samples.push(sample());
            }
            samples.push(sample());
            samples
        })
    };
    // Let the sampler take its first reading before any load.
    tokio::time::sleep(Duration::from_millis(50)).await;

    let start = Instant::now();
    let (free_tx, mut free_rx) = tokio::sync::mpsc::unbounded_channel::<usize>();
    for slot in 0..options.concurrency {
        let _ = free_tx.send(slot);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..options.sessions {
        if options.ramp_per_s > 0.0 {
            let due = start + Duration::from_secs_f64(index as f64 / options.ramp_per_s);
            tokio::time::sleep_until(due.into()).await;
        }
        let Some(slot) = free_rx.recv().await else {
            break;
        };
        let shared = shared.clone();
        let free = free_tx.clone();
        tasks.spawn(async move {
            let outcome = flow::session(shared, index, slot).await;
            let _ = free.send(slot);
            outcome
        });
    }
    let mut outcomes = Vec::with_capacity(options.sessions);
    while let Some(r) = tasks.join_next().await {
        match r {
            Ok(o) => outcomes.push(o),
            Err(_) => outcomes.push(flow::Outcome {
                failure: Some(client::Failure::new("session task panicked")),
                ..flow::Outcome::default()
            }),
        }
    }
    let duration = start.elapsed();
    let load_end = load_average();
    let _ = stop_tx.send(());
    let samples = sampler.await.unwrap_or_default();

    let audit = match &options.audit_db {
        Some(url) => Some(check_audit(url, &outcomes, options.step_timeout).await),
        None => None,
    };
    let mut report = report(options, &shared, start, duration, outcomes, samples, audit);
    report.load_average = [load_start, load_end];
    Ok(report)
}

/// The 1-minute load average (`/proc/loadavg`).
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

fn report(
    options: &Options,
    shared: &Shared,
    start: Instant,
    duration: Duration,
    outcomes: Vec<flow::Outcome>,
    samples: Vec<Sample>,
    audit: Option<AuditCheck>,
) -> Report {
    let mut per_step: Vec<Vec<u64>> = vec![Vec::new(); flow::STEPS.len()];
    let mut chat = ChatCheck::default();
    let mut ends = EndCheck::default();
    let mut errors = BTreeMap::new();
    let mut retries = 0u64;
    let mut cross = (0usize, false);
    let mut last_established = start;
    let mut completed = 0;
    for o in &outcomes {
        for (step, us) in &o.samples {
            per_step[*step].push(*us);
        }
        retries += u64::from(o.retries);
        if let Some(c) = o.cross_broker {
            cross.1 = true;
            cross.0 += usize::from(c);
        }
        chat.expected += 2 * o.chat_expected_per_side;
        chat.delivered += o.chat_seen[0] + o.chat_seen[1];
        chat.duplicated += o.chat_duplicated;
        chat.seq_errors += o.chat_seq_errors;
        if let Some(at) = o.established {
            last_established = last_established.max(at);
            ends.established += 1;
            if o.ended == [1, 1] {
                ends.ended_both += 1;
            }
            ends.missing_ended += o.ended.iter().filter(|e| **e == 0).count();
            ends.duplicate_ended += o.ended.iter().filter(|e| **e > 1).count();
            if !o.peer_left {
                ends.missing_peer_left += 1;
            }
        }
        ends.after_ended += o.after_ended;
        match &o.failure {
            Some(f) => *errors.entry(f.kind.clone()).or_insert(0) += 1,
            None => completed += 1,
        }
        for s in &o.surprises {
            *errors.entry(s.clone()).or_insert(0) += 1;
        }
    }
    chat.lost = chat.expected.saturating_sub(chat.delivered);
    let steps = flow::STEPS
        .iter()
        .zip(per_step.iter_mut())
        .map(|(name, v)| {
            v.sort_unstable();
            let ms = |us: u64| us as f64 / 1000.0;
            StepStats {
                step: (*name).to_owned(),
                count: v.len(),
                p50_ms: ms(procstat::percentile(v, 50.0)),
                p99_ms: ms(procstat::percentile(v, 99.0)),
                max_ms: ms(v.last().copied().unwrap_or(0)),
            }
        })
        .collect();
    let peak = shared.peak.load(Ordering::Relaxed);
    let setup = last_established
        .saturating_duration_since(start)
        .as_secs_f64();
    let (processes, per_1000) = process_stats(options, &samples, peak, ends.established);
    Report {
        target: options.target.clone(),
        sessions: options.sessions,
        concurrency: options.concurrency,
        duration_s: duration.as_secs_f64(),
        completed,
        failed: outcomes.len() - completed + options.sessions.saturating_sub(outcomes.len()),
        sessions_per_s: if setup > 0.0 {
            ends.established as f64 / setup
        } else {
            0.0
        },
        peak_concurrent: peak,
        cross_broker: cross.1.then_some(cross.0),
        steps,
        chat,
        ends,
        audit,
        errors,
        sign_in_retries: retries,
        processes,
        brokers_per_1000: per_1000,
        load_average: [0.0, 0.0],
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

fn process_stats(
    options: &Options,
    samples: &[Sample],
    peak: usize,
    established: usize,
) -> (Vec<ProcessStats>, Option<PerThousand>) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    let threshold = (peak as f64 * 0.95).ceil() as usize;
    let mut out = Vec::new();
    let mut brokers = (0.0f64, Some(0.0f64), 0.0f64, false);
    for (i, (name, pid)) in options.watch.iter().enumerate() {
        let readings: Vec<(&Sample, procstat::Reading)> = samples
            .iter()
            .filter_map(|s| s.readings.get(i).copied().flatten().map(|r| (s, r)))
            .collect();
        let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
            continue;
        };
        let wall = last
            .1
            .at
            .saturating_duration_since(first.1.at)
            .as_secs_f64();
        let cpu_s = last.1.cpu_s - first.1.cpu_s;
        let (mut held_cpu, mut held_wall) = (0.0, 0.0);
        for w in readings.windows(2) {
            if peak > 0 && w[0].0.concurrent >= threshold && w[1].0.concurrent >= threshold {
                held_cpu += w[1].1.cpu_s - w[0].1.cpu_s;
                held_wall += w[1].1.at.saturating_duration_since(w[0].1.at).as_secs_f64();
            }
        }
        let plateau = (held_wall >= 1.0).then(|| 100.0 * held_cpu / held_wall);
        let rss_start = first.1.rss_kib;
        let rss_peak = readings.iter().map(|r| r.1.rss_kib).max().unwrap_or(0);
        if name.starts_with("broker") {
            brokers.3 = true;
            brokers.0 += cpu_s;
            brokers.1 = match (brokers.1, plateau) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            brokers.2 += mib(rss_peak.saturating_sub(rss_start));
        }
        out.push(ProcessStats {
            name: name.clone(),
            pid: *pid,
            cpu_s,
            cpu_pct_mean: if wall > 0.0 {
                100.0 * cpu_s / wall
            } else {
                0.0
            },
            cpu_pct_plateau: plateau,
            rss_start_mib: mib(rss_start),
            rss_peak_mib: mib(rss_peak),
        });
    }
    let per_1000 = (brokers.3 && peak > 0).then(|| {
        let k = peak as f64 / 1000.0;
        PerThousand {
            cpu_pct: brokers.1.map(|c| c / k),
            rss_mib: brokers.2 / k,
            cpu_ms_per_session: if established > 0 {
                1000.0 * brokers.0 / established as f64
            } else {
                0.0
            },
        }
    });
    (out, per_1000)
}

/// Looks up every established session's `session_ended` row (code 900), waiting up to
/// `limit` for the audit writers to catch up.
async fn check_audit(url: &str, outcomes: &[flow::Outcome], limit: Duration) -> AuditCheck {
    let ids: Vec<String> = outcomes.iter().filter_map(|o| o.session.clone()).collect();
    let mut check = AuditCheck {
        sessions: ids.len(),
        ..AuditCheck::default()
    };
    let pool = match sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
    {
        Ok(p) => p,
        Err(e) => {
            check.error = Some(format!("connect: {e}"));
            check.missing = ids.len();
            return check;
        }
    };
    let end = Instant::now() + limit;
    loop {
        let rows: Result<Vec<(String, i64)>, _> = sqlx::query_as(
            "SELECT session, COUNT(*) FROM audit_events \
             WHERE code = 900 AND session = ANY($1) GROUP BY session",
        )
        .bind(&ids)
        .fetch_all(&pool)
        .await;
        match rows {
            Ok(rows) => {
                check.ended_once = rows.iter().filter(|r| r.1 == 1).count();
                check.duplicated = rows.iter().filter(|r| r.1 > 1).count();
                check.missing = ids.len() - rows.len();
                check.error = None;
            }
            Err(e) => {
                check.error = Some(format!("query: {e}"));
                check.missing = ids.len();
            }
        }
        if check.missing == 0 || Instant::now() > end {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    pool.close().await;
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_options_name_their_field() {
        let cases: [(&str, Options); 5] = [
            (
                "target",
                Options {
                    target: "ws://x".into(),
                    ..Options::default()
                },
            ),
            (
                "sessions",
                Options {
                    sessions: 0,
                    ..Options::default()
                },
            ),
            (
                "concurrency",
                Options {
                    concurrency: 0,
                    ..Options::default()
                },
            ),
            (
                "ramp",
                Options {
                    ramp_per_s: f64::NAN,
                    ..Options::default()
                },
            ),
            (
                "ping",
                Options {
                    ping: Duration::from_millis(1),
                    ..Options::default()
                },
            ),
        ];
        for (field, o) in cases {
            assert_eq!(o.validate().unwrap_err().field, field);
        }
        Options::default().validate().unwrap();
    }

    #[test]
    fn accounts_file_loads_in_the_broker_and_keeps_the_password() {
        let text = accounts_json("t", 3, "pw").unwrap();
        assert!(!text.contains("\"pw\""));
        let dir = std::env::temp_dir().join(format!("glass-loadgen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("accounts.json");
        std::fs::write(&path, text).unwrap();
        let accounts = glass_broker::accounts::LocalAccounts::load(&path).unwrap();
        assert_eq!(accounts.len(), 6);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
