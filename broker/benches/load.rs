//! Broker load generator (issue 10): memory per idle session and per connected pair, CPU per
//! 1000 chat messages, on a real broker on loopback.
//!
//! ```sh
//! cargo bench -p glass-broker --bench load                      # 2000 pairs, about 70 s
//! cargo bench -p glass-broker --bench load -- --quick           # smoke run: 100 pairs, < 15 s
//! cargo bench -p glass-broker --bench load -- --json load.json  # also write the figures
//! ```
//!
//! `GLASS_LOAD_QUICK=1` selects the quick run too; `--pairs N`, `--chats M` and `--rate R`
//! (chat messages per second) override the sizes.
//!
//! Method. This process runs the broker and nothing else of substance (its runtime threads
//! are named `glass-broker-*`); the clients run in a child process (this binary re-executed
//! with `--clients`), so this process's resident set and its threads' CPU time are the
//! broker's alone. The child first signs every account in (one argon2id verification per
//! sign-in, as in production; see `SHARERS_PER_ACCOUNT`), then opens helper links that each
//! ask for a code (idle sessions) in steps, then lets sharers redeem those codes (pairs) in
//! steps. After each step has settled, VmRSS is read from `/proc/self/status`; bytes per
//! idle session and per pair are least-squares slopes over the steps.
//! CPU is the summed run time of the broker's threads (`/proc/self/task/*/schedstat`) while
//! M chat messages flow, minus what the same links cost idle (heartbeats) over the same
//! time. Every chat line must reach both sides of its pair, in `seq` order: a lost line, an
//! error, a dropped link or a refused connection fails the run (exit status 1).
//!
//! Bounded: traffic only to 127.0.0.1, fixed counts, a deadline on every wait, and both
//! processes end by themselves (the child when its stdin closes, or at its own deadline).
#![forbid(unsafe_code)]

use std::error::Error;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use glass_broker::accounts::{Account, LocalAccounts, Profile, hash_password};
use glass_broker::hub::HubStats;
use glass_broker::{Broker, BrokerConfig, StatsHandle};
use serde_json::{Value, json};

#[path = "load/clients.rs"]
mod clients;
#[path = "load/proc.rs"]
mod proc;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const PASSWORD: &str = "load generator password";
/// Thread-name prefix of the broker's runtime (worker and blocking threads).
const BROKER_THREADS: &str = "glass-broker";
/// File descriptors besides the links: listener, pipes, runtime, /proc reads.
const SPARE_FDS: usize = 64;
/// Sharer links per sharer account. Every helper needs an account of its own (a helper has
/// one live code); sharers share theirs, like one user with several tabs, because each
/// sign-in costs an argon2id verification (~25 ms of CPU) and the broker keeps its session
/// state per link, not per account: this changes none of the figures, and halves the run.
const SHARERS_PER_ACCOUNT: usize = 10;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--clients") {
        let code = match clients::run(&args) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("load clients: {e}");
                1
            }
        };
        std::process::exit(code);
    }
    let code = match Options::parse(&args).and_then(run) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            eprintln!("load: {e}");
            2
        }
    };
    std::process::exit(code);
}

/// Sizes of one run.
#[derive(Debug, Clone)]
struct Options {
    quick: bool,
    pairs: usize,
    chats: usize,
    rate: usize,
    settle: Duration,
    json: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        // `cargo bench` passes `--bench`; `cargo test --all-targets` passes nothing, and gets
        // the quick run as a smoke test.
        let quick = args.iter().any(|a| a == "--quick")
            || !args.iter().any(|a| a == "--bench")
            || std::env::var("GLASS_LOAD_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        let mut o = if quick {
            Options {
                quick,
                pairs: 100,
                chats: 1000,
                rate: 1000,
                settle: Duration::from_millis(300),
                json: None,
            }
        } else {
            Options {
                quick,
                pairs: 2000,
                chats: 40_000,
                rate: 4000,
                settle: Duration::from_millis(1500),
                json: None,
            }
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .ok_or_else(|| format!("{name} needs a value"))
                    .cloned()
            };
            let number = |name: &str, v: String| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{name} {v:?}: expected a positive integer"))
            };
            match a.as_str() {
                "--json" => o.json = Some(value("--json")?.into()),
                "--pairs" => o.pairs = number("--pairs", value("--pairs")?)?,
                "--chats" => o.chats = number("--chats", value("--chats")?)?,
                "--rate" => o.rate = number("--rate", value("--rate")?)?,
                // `cargo bench` passes `--bench`; filters mean nothing here.
                _ => {}
            }
        }
        if o.pairs < 4 {
            return Err(
                "--pairs: at least 4 (the memory steps are a quarter, half and all)".into(),
            );
        }
        Ok(o)
    }

    /// Session counts at which memory is read.
    fn steps(&self) -> [usize; 4] {
        [0, self.pairs / 4, self.pairs / 2, self.pairs]
    }
}

fn account(username: String, name: String, title: &str, hash: &str) -> Account {
    Account {
        username,
        password_hash: hash.to_owned(),
        profile: Profile {
            name,
            title: title.into(),
            company: "Contoso".into(),
            picture: None,
            domain: "contoso.com".into(),
            domain_verified: true,
        },
        groups: Vec::new(),
    }
}

fn helper_name(i: usize) -> String {
    format!("helper{i:05}")
}

fn sharer_name(i: usize) -> String {
    format!("sharer{i:05}")
}

fn sharer_accounts(pairs: usize) -> usize {
    pairs.div_ceil(SHARERS_PER_ACCOUNT)
}

/// The broker side: runs the broker, drives the client process, measures, reports.
fn run(mut opt: Options) -> Result<bool> {
    let started = Instant::now();
    let fds = proc::open_files_limit();
    if let Some((soft, _)) = fds {
        // One descriptor per link in each process: every pair is two links.
        let fit = soft.saturating_sub(SPARE_FDS as u64) as usize / 2;
        if opt.pairs > fit {
            println!(
                "open-files soft limit {soft}: pairs lowered from {} to {fit}",
                opt.pairs
            );
            opt.pairs = fit;
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let fds_text = fds.map_or("unknown".into(), |(s, h)| {
        format!("{s}/{}", h.map_or("unlimited".into(), |h| h.to_string()))
    });
    println!(
        "glass-broker load{}: {profile}, {cores} cores ({cores} runtime workers), open files \
         soft/hard {fds_text}",
        if opt.quick { " (quick)" } else { "" },
    );

    // Accounts: one argon2id hash shared by every account (hashing 2N passwords would take
    // minutes); each sign-in still verifies it, as the broker always does.
    let hash = hash_password(PASSWORD)?;
    let mut list = Vec::with_capacity(opt.pairs + sharer_accounts(opt.pairs));
    for i in 0..opt.pairs {
        list.push(account(
            helper_name(i),
            format!("Helper {}", i + 1),
            "IT support",
            &hash,
        ));
    }
    for i in 0..sharer_accounts(opt.pairs) {
        list.push(account(
            sharer_name(i),
            format!("Sharer {}", i + 1),
            "Accountant",
            &hash,
        ));
    }
    let identity = LocalAccounts::from_accounts(list)?;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name_fn(|| {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            format!("{BROKER_THREADS}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
        })
        .build()?;
    let links = 2 * opt.pairs + 16;
    let config = BrokerConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        // Every client comes from 127.0.0.1: the per-address cap (20) would refuse the 21st.
        max_links_per_ip: links,
        max_links: links.max(BrokerConfig::default().max_links),
        // The same for sign-ins, redemptions and messages: one address, a few accounts.
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    };
    let broker = rt.block_on(Broker::bind(config, Arc::new(identity)))?;
    let addr = broker.local_addr();
    let stats = broker.stats();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = rt.spawn(broker.serve(async {
        let _ = stopped.await;
    }));

    let deadline = if opt.quick { 60 } else { 300 };
    let mut clients = ClientProcess::spawn(addr, opt.pairs, deadline)?;
    println!(
        "broker on {addr}, clients in child process {} (this process's RSS and CPU are the \
         broker's); max_links_per_ip raised to {links} (all clients are 127.0.0.1)",
        clients.pid()
    );
    let measured = measure(&opt, &mut clients, &stats);
    let client_rss = clients.quit();
    let _ = stop.send(());
    let _ = rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), served).await });
    rt.shutdown_timeout(Duration::from_secs(1));
    let mut report = measured?;

    let ok = report.print();
    if let Some(rss) = client_rss {
        println!("client process RSS at the end: {} (not counted)", mib(rss));
    }
    println!("run took {:.1} s", started.elapsed().as_secs_f64());
    if let Some(path) = &opt.json {
        report.json["date_unix"] = json!(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        );
        report.json["profile"] = json!(profile);
        report.json["cores"] = json!(cores);
        report.json["open_files"] = json!(fds_text);
        report.json["quick"] = json!(opt.quick);
        report.json["ok"] = json!(ok);
        std::fs::write(path, serde_json::to_string_pretty(&report.json)? + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(ok)
}

/// What was measured, for the table and the JSON.
struct Report {
    lines: Vec<String>,
    failures: Vec<String>,
    json: Value,
}

impl Report {
    /// Prints the table; whether every check passed.
    fn print(&self) -> bool {
        for l in &self.lines {
            println!("{l}");
        }
        for f in &self.failures {
            println!("FAILED: {f}");
        }
        self.failures.is_empty()
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// RSS now: the median of three readings 100 ms apart.
fn rss_settled(settle: Duration) -> Result<u64> {
    std::thread::sleep(settle);
    let mut r = Vec::new();
    for i in 0..3 {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(100));
        }
        r.push(proc::rss_bytes().ok_or("VmRSS is not readable (/proc/self/status)")?);
    }
    r.sort_unstable();
    Ok(r[1])
}

fn broker_cpu() -> Result<Duration> {
    Ok(proc::threads_cpu_time(BROKER_THREADS)
        .ok_or("thread CPU time is not readable (/proc/self/task/*/schedstat)")?)
}

/// Broker CPU over `wall` of doing nothing here.
fn idle_cpu(wall: Duration) -> Result<(Duration, Duration)> {
    let (c0, t0) = (broker_cpu()?, Instant::now());
    std::thread::sleep(wall);
    Ok((broker_cpu()? - c0, t0.elapsed()))
}

fn measure(opt: &Options, clients: &mut ClientProcess, stats: &StatsHandle) -> Result<Report> {
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let mut j = json!({ "pairs": opt.pairs });
    let n = opt.pairs;
    let steps = opt.steps();

    // Sign-in (argon2id on the broker's blocking threads).
    let sign_ins = n + sharer_accounts(n);
    let rss_start = rss_settled(Duration::ZERO)?;
    let (c0, t0) = (broker_cpu()?, Instant::now());
    clients.call(
        "login",
        Duration::from_secs(60) + Duration::from_millis(100) * sign_ins as u32,
    )?;
    let (login_cpu, login_wall) = (broker_cpu()? - c0, t0.elapsed());
    let per_login = login_cpu.as_secs_f64() * 1e3 / sign_ins as f64;
    lines.push(format!(
        "sign-in: {sign_ins} accounts ({n} helpers, {} sharer accounts) in {:.1} s ({:.0}/s), \
         broker CPU {per_login:.1} ms each (argon2id)",
        sharer_accounts(n),
        login_wall.as_secs_f64(),
        sign_ins as f64 / login_wall.as_secs_f64()
    ));
    let rss_signed_in = rss_settled(opt.settle)?;
    lines.push(format!(
        "memory: broker VmRSS {} at start, {} after the sign-ins (argon2id uses 19 MiB per \
         verification; what the allocator keeps of it is not per session)",
        mib(rss_start),
        mib(rss_signed_in)
    ));
    j["sign_in"] = json!({
        "count": sign_ins,
        "seconds": login_wall.as_secs_f64(),
        "cpu_ms_each": per_login,
        "rss_before": rss_start,
        "rss_after": rss_signed_in,
    });

    // Idle sessions: helper links that made a code, pinging every 500 ms.
    let mut idle = vec![(0, rss_signed_in)];
    for &k in &steps[1..] {
        clients.call(&format!("helpers {k}"), Duration::from_secs(60))?;
        let s = stats.snapshot();
        if (s.links, s.sessions) != (k, k) {
            failures.push(format!(
                "{k} helpers: the broker has {} links and {} sessions",
                s.links, s.sessions
            ));
        }
        idle.push((k, rss_settled(opt.settle)?));
    }
    let idle_fit = Fit::of(&idle);
    lines.push("  idle sessions        RSS".into());
    for &(k, rss) in &idle {
        lines.push(format!("  {k:>13}  {:>10}", mib(rss)));
    }
    lines.push(format!(
        "  -> {:.0} bytes per idle session (least squares, R^2 {:.4})",
        idle_fit.slope, idle_fit.r2
    ));

    // Pairs: sharers redeem those codes.
    let mut paired = vec![(0, idle[idle.len() - 1].1)];
    for &k in &steps[1..] {
        clients.call(&format!("sharers {k}"), Duration::from_secs(60))?;
        let s = stats.snapshot();
        if (s.links, s.sessions) != (n + k, n) {
            failures.push(format!(
                "{k} sharers: the broker has {} links and {} sessions",
                s.links, s.sessions
            ));
        }
        paired.push((k, rss_settled(opt.settle)?));
    }
    let pair_fit = Fit::of(&paired);
    lines.push(format!("  pairs (of {n} sessions)  RSS"));
    for &(k, rss) in &paired {
        lines.push(format!("  {k:>13}  {:>10}", mib(rss)));
    }
    lines.push(format!(
        "  -> {:.0} bytes per pair on top of its idle session (R^2 {:.4}); {:.0} bytes per \
         connected pair in all",
        pair_fit.slope,
        pair_fit.r2,
        idle_fit.slope + pair_fit.slope
    ));
    j["memory"] = json!({
        "idle_points": idle,
        "idle_bytes_per_session": idle_fit.slope,
        "idle_r2": idle_fit.r2,
        "pair_points": paired,
        "pair_bytes_on_top_of_idle_session": pair_fit.slope,
        "pair_r2": pair_fit.r2,
        "pair_bytes_total": idle_fit.slope + pair_fit.slope,
    });

    // CPU: idle windows and chat rounds in turn; each round is compared with the idle cost
    // measured right before and right after it, so drift in the machine's other load cancels.
    let rounds = if opt.quick { 2 } else { 4 };
    let per_round = opt.chats / rounds;
    let round_wall = Duration::from_secs_f64(per_round as f64 / opt.rate as f64);
    let idle_wall = (round_wall / 2).max(Duration::from_millis(500));
    let before = stats.snapshot();
    let mut idle_windows = vec![idle_cpu(idle_wall)?];
    let mut chat_rounds = Vec::new();
    let (mut chat, mut delivered_s) = (Value::Null, 0.0);
    for r in 0..rounds {
        let count = if r + 1 == rounds {
            opt.chats - per_round * (rounds - 1)
        } else {
            per_round
        };
        let (c0, t0) = (broker_cpu()?, Instant::now());
        chat = clients.call(
            &format!("chat {count} {}", opt.rate),
            round_wall * 2 + Duration::from_secs(30),
        )?;
        chat_rounds.push((broker_cpu()? - c0, t0.elapsed(), count));
        delivered_s += chat["delivered_seconds"].as_f64().unwrap_or(f64::NAN);
        idle_windows.push(idle_cpu(idle_wall)?);
    }
    let after = stats.snapshot();
    let rss_after = rss_settled(opt.settle)?;
    // CPU seconds per second.
    let load = |&(cpu, wall): &(Duration, Duration)| cpu.as_secs_f64() / wall.as_secs_f64();
    let idle_loads: Vec<f64> = idle_windows.iter().map(load).collect();
    let idle_per_s = idle_loads.iter().sum::<f64>() / idle_loads.len() as f64;
    let (mut net, mut chat_cpu, mut chat_wall, mut round_figures) = (0.0, 0.0, 0.0, Vec::new());
    for (r, &(cpu, wall, count)) in chat_rounds.iter().enumerate() {
        let idle = (idle_loads[r] + idle_loads[r + 1]) / 2.0;
        let round_net = cpu.as_secs_f64() - idle * wall.as_secs_f64();
        round_figures.push(round_net * 1e6 / count as f64);
        net += round_net;
        chat_cpu += cpu.as_secs_f64();
        chat_wall += wall.as_secs_f64();
    }
    // Milliseconds per 1000 messages.
    let per_1000 = net * 1e6 / opt.chats as f64;
    let field = |k: &str| chat[k].as_u64().unwrap_or(u64::MAX);
    let achieved = opt.chats as f64 / delivered_s;
    let range = |v: &[f64], scale: f64| {
        let (lo, hi) = v.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| {
            (lo.min(x * scale), hi.max(x * scale))
        });
        format!("{lo:.1}-{hi:.1}")
    };
    lines.push(format!(
        "CPU: run time of the broker's threads ({BROKER_THREADS}-*, /proc/self/task/*/schedstat)"
    ));
    lines.push(format!(
        "  idle, {n} pairs ({} links, ping every 500 ms): {:.1} ms/s (windows {}), {:.1} us per \
         link-second",
        2 * n,
        idle_per_s * 1e3,
        range(&idle_loads, 1e3),
        idle_per_s * 1e6 / (2 * n) as f64
    ));
    lines.push(format!(
        "  chat: {} messages in {rounds} rounds at {}/s asked, {achieved:.0}/s achieved (until \
         delivered); {} + {} chat_message received (helpers + sharers), {} seq gaps",
        opt.chats,
        opt.rate,
        field("helper_received"),
        field("sharer_received"),
        field("seq_gaps"),
    ));
    lines.push(format!(
        "  -> {per_1000:.1} ms CPU per 1000 chat messages (rounds {}; {:.0} ms during chat - \
         {:.0} ms idle over {chat_wall:.1} s)",
        range(&round_figures, 1.0),
        chat_cpu * 1e3,
        (chat_cpu - net) * 1e3,
    ));
    let growth = (rss_after as f64 - paired[paired.len() - 1].1 as f64) / n as f64;
    lines.push(format!(
        "memory after the chat: {} ({growth:+.0} bytes per pair: buffers that carried traffic)",
        mib(rss_after)
    ));
    j["cpu"] = json!({
        "idle_ms_per_s": idle_per_s * 1e3,
        "idle_windows_ms_per_s": idle_loads.iter().map(|l| l * 1e3).collect::<Vec<_>>(),
        "chat_messages": opt.chats,
        "chat_rounds": rounds,
        "rate_asked": opt.rate,
        "rate_achieved": achieved,
        "chat_cpu_ms": chat_cpu * 1e3,
        "chat_wall_s": chat_wall,
        "ms_per_1000_chat_messages": per_1000,
        "rounds_ms_per_1000_chat_messages": round_figures,
        "clients": chat,
    });
    j["memory"]["rss_after_chat"] = json!(rss_after);
    j["memory"]["growth_per_pair_after_chat"] = json!(growth);

    // Nothing lost silently: every line reached both sides, in order; nothing refused.
    let m = opt.chats as u64;
    if field("helper_received") != m || field("sharer_received") != m {
        failures.push(format!(
            "chat: {m} sent, {} / {} received by helpers / sharers",
            field("helper_received"),
            field("sharer_received")
        ));
    }
    for k in [
        "incomplete_pairs",
        "seq_gaps",
        "errors",
        "closed",
        "unexpected",
    ] {
        if field(k) != 0 {
            failures.push(format!("clients: {k} = {}", field(k)));
        }
    }
    if after.chat_messages - before.chat_messages != m {
        failures.push(format!(
            "broker relayed {} chat messages, {m} sent",
            after.chat_messages - before.chat_messages
        ));
    }
    let counted = |s: &HubStats| {
        [
            ("links_refused", s.links_refused),
            ("malformed", s.malformed),
            ("not_allowed", s.not_allowed),
            ("redeem_refused", s.redeem_refused),
            ("slow_links", s.slow_links),
            ("links_lost", s.links_lost),
        ]
    };
    for (name, v) in counted(&after) {
        if v != 0 {
            failures.push(format!("broker counted {name} = {v}"));
        }
    }
    if after.links != 2 * n || after.sessions != n {
        failures.push(format!(
            "after the chat the broker has {} links and {} sessions, not {} and {n}",
            after.links,
            after.sessions,
            2 * n
        ));
    }
    Ok(Report {
        lines,
        failures,
        json: j,
    })
}

/// A least-squares line through (count, bytes).
struct Fit {
    slope: f64,
    r2: f64,
}

impl Fit {
    fn of(points: &[(usize, u64)]) -> Fit {
        let n = points.len() as f64;
        let mx = points.iter().map(|p| p.0 as f64).sum::<f64>() / n;
        let my = points.iter().map(|p| p.1 as f64).sum::<f64>() / n;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for &(x, y) in points {
            let (dx, dy) = (x as f64 - mx, y as f64 - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        let slope = sxy / sxx;
        let r2 = if syy == 0.0 {
            1.0
        } else {
            sxy * sxy / (sxx * syy)
        };
        Fit { slope, r2 }
    }
}

/// The client process: commands on its stdin, one JSON answer per line on its stdout.
struct ClientProcess {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    answers: std::sync::mpsc::Receiver<String>,
}

impl ClientProcess {
    fn spawn(addr: SocketAddr, pairs: usize, deadline_s: u64) -> Result<ClientProcess> {
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .args([
                "--clients".to_owned(),
                "--addr".into(),
                addr.to_string(),
                "--pairs".into(),
                pairs.to_string(),
                "--deadline".into(),
                deadline_s.to_string(),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("child stdout")?;
        let (tx, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(ClientProcess {
            stdin: child.stdin.take(),
            child,
            answers,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends one command and waits at most `limit` for its answer.
    fn call(&mut self, command: &str, limit: Duration) -> Result<Value> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or("client process already told to quit")?;
        writeln!(stdin, "{command}")?;
        stdin.flush()?;
        let line = self
            .answers
            .recv_timeout(limit)
            .map_err(|_| format!("clients: no answer to {command:?} within {limit:?}"))?;
        let v: Value = serde_json::from_str(&line)?;
        if let Some(e) = v.get("error") {
            return Err(format!("clients: {command:?}: {e}").into());
        }
        Ok(v)
    }

    /// Ends the client process (its RSS, if it answered).
    fn quit(&mut self) -> Option<u64> {
        let rss = self
            .call("quit", Duration::from_secs(5))
            .ok()
            .and_then(|v| v["rss"].as_u64());
        self.stdin = None;
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return rss;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("load: the client process did not exit; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
        rss
    }
}

impl Drop for ClientProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
