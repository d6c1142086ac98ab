//! `glass-loadgen`: complete help sessions against Glass brokers (see the library's docs).
//!
//! ```sh
//! glass-loadgen run --target http://127.0.0.1:8080 --sessions 1000 --concurrency 200
//! glass-loadgen accounts --slots 5000 --out accounts.json
//! glass-loadgen stack --glass target/release/glass --sessions 5000 --concurrency 5000
//! ```
//!
//! Exit status: 0 when the run was clean, 1 when anything was lost, duplicated or failed,
//! 2 when it could not run (a bad option names its flag).
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use glass_loadgen::{Options, Report, stack};

#[derive(Parser)]
#[command(
    name = "glass-loadgen",
    version,
    about = "Load generator for Glass brokers: complete help sessions, latency per step, lost or duplicated events"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run sessions against a running broker or load balancer.
    Run(RunArgs),
    /// Write an accounts file for the brokers (`glass broker --accounts FILE`): slots × a
    /// helper and a sharer, cheap password hashes (load runs only). The password comes from
    /// $GLASS_LOADGEN_PASSWORD (default: the load generator's own).
    Accounts(AccountsArgs),
    /// Start Redis, PostgreSQL, brokers and HAProxy on loopback, run, report, stop them.
    Stack(StackArgs),
}

#[derive(Args)]
struct Common {
    /// Sessions to run in all.
    #[arg(long, default_value_t = 100)]
    sessions: usize,
    /// Sessions held at once at most (the account slots used).
    #[arg(long, default_value_t = 20)]
    concurrency: usize,
    /// Sessions started per second (0: as fast as slots free up).
    #[arg(long, default_value_t = 50.0)]
    ramp: f64,
    /// Seconds each session stays open after its flow, before one side leaves.
    #[arg(long, default_value_t = 1.0)]
    hold: f64,
    /// Chat lines each side writes.
    #[arg(long, default_value_t = 5)]
    chat_lines: usize,
    /// Account name prefix (`<prefix>-h<i>`, `<prefix>-s<i>`).
    #[arg(long, default_value = "load")]
    user_prefix: String,
    /// Connect every client from 127.0.0.1 instead of one loopback address per slot.
    #[arg(long)]
    one_source_ip: bool,
    /// Heartbeat interval, milliseconds (the web apps: 500).
    #[arg(long, default_value_t = 500)]
    ping_ms: u64,
    /// Seconds any one step may take before its session counts as failed.
    #[arg(long, default_value_t = 30.0)]
    step_timeout: f64,
    /// Print the report as JSON (to standard output) instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct RunArgs {
    /// The broker or load balancer: http://HOST:PORT.
    #[arg(long)]
    target: String,
    /// The audit database to check for every session's session_ended row (postgres://…).
    #[arg(long, value_name = "URL")]
    audit_db: Option<String>,
    /// A process to watch for CPU and memory, NAME=PID (repeatable; names starting with
    /// "broker" are summed as the brokers).
    #[arg(long = "watch", value_name = "NAME=PID", value_parser = parse_watch)]
    watch: Vec<(String, u32)>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct AccountsArgs {
    /// Account slots (the concurrency the file serves).
    #[arg(long)]
    slots: usize,
    /// Account name prefix.
    #[arg(long, default_value = "load")]
    user_prefix: String,
    /// Where to write the file.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct StackArgs {
    /// The `glass` binary the brokers run (build it with `cargo build --release`).
    #[arg(long, default_value = "target/release/glass")]
    glass: PathBuf,
    /// How many brokers.
    #[arg(long, default_value_t = 2)]
    brokers: usize,
    /// No HAProxy: clients go straight to the first broker.
    #[arg(long)]
    no_haproxy: bool,
    /// No PostgreSQL: the brokers keep their audit trail in memory (and it is not checked).
    #[arg(long)]
    no_audit: bool,
    /// HAProxy's maxconn (per process; lowered to what the open-files limit allows).
    #[arg(long, default_value_t = 50_000)]
    maxconn: usize,
    /// HAProxy processes sharing the frontend port (SO_REUSEPORT); 0: as many as the
    /// open-files limit requires for --concurrency sessions.
    #[arg(long, default_value_t = 0)]
    haproxy_instances: usize,
    #[command(flatten)]
    common: Common,
}

fn parse_watch(s: &str) -> Result<(String, u32), String> {
    let (name, pid) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected NAME=PID"))?;
    let pid = pid
        .parse()
        .map_err(|_| format!("{pid:?}: not a process id"))?;
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    Ok((name.to_owned(), pid))
}

fn seconds(flag: &str, s: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s).map_err(|_| format!("--{flag}: {s}: expected seconds ≥ 0"))
}

fn options(target: String, c: &Common) -> Result<Options, String> {
    Ok(Options {
        target,
        sessions: c.sessions,
        concurrency: c.concurrency,
        ramp_per_s: c.ramp,
        hold: seconds("hold", c.hold)?,
        chat_lines: c.chat_lines,
        user_prefix: c.user_prefix.clone(),
        password: password(),
        source_ips: !c.one_source_ip,
        ping: Duration::from_millis(c.ping_ms),
        step_timeout: seconds("step-timeout", c.step_timeout)?,
        ..Options::default()
    })
}

fn password() -> String {
    std::env::var("GLASS_LOADGEN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| glass_loadgen::DEFAULT_PASSWORD.to_owned())
}

/// The flag an option field comes from.
fn flag(field: &str) -> String {
    match field {
        "ping" => "--ping-ms".into(),
        "ramp_per_s" => "--ramp".into(),
        "password" => "$GLASS_LOADGEN_PASSWORD".into(),
        f => format!("--{}", f.replace('_', "-")),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            eprintln!("glass-loadgen: {first} (see glass-loadgen --help)");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Cmd::Accounts(a) => accounts(a),
        Cmd::Run(a) => {
            let mut o = match options(a.target, &a.common) {
                Ok(o) => o,
                Err(e) => return fail(&e),
            };
            o.audit_db = a.audit_db;
            o.watch = a.watch;
            execute(o, a.common.json, None).0
        }
        Cmd::Stack(a) => stack_run(a),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("glass-loadgen: {msg}");
    ExitCode::from(2)
}

fn accounts(a: AccountsArgs) -> ExitCode {
    if !(1..=100_000).contains(&a.slots) {
        return fail(&format!("--slots: {}: expected 1..=100000", a.slots));
    }
    let text = match glass_loadgen::accounts_json(&a.user_prefix, a.slots, &password()) {
        Ok(t) => t,
        Err(e) => return fail(&format!("{}: {}", flag(e.field), e.reason)),
    };
    if let Err(e) = std::fs::write(&a.out, text) {
        return fail(&format!("--out {}: {e}", a.out.display()));
    }
    eprintln!(
        "glass-loadgen: {} accounts written to {}",
        2 * a.slots,
        a.out.display()
    );
    ExitCode::SUCCESS
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))
}

/// Runs `o`, stopping early on Ctrl-C or SIGTERM (the stack, if any, is dropped by the
/// caller either way).
fn execute(o: Options, json: bool, note: Option<String>) -> (ExitCode, bool) {
    if let Err(e) = o.validate() {
        return (fail(&format!("{}: {}", flag(e.field), e.reason)), false);
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return (fail(&e), false),
    };
    let result = rt.block_on(async {
        tokio::select! {
            r = glass_loadgen::run(&o) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
            _ = terminated() => None,
        }
    });
    rt.shutdown_timeout(Duration::from_secs(1));
    match result {
        None => (fail("interrupted"), false),
        Some(Err(glass_loadgen::RunError::Option(e))) => {
            (fail(&format!("{}: {}", flag(e.field), e.reason)), false)
        }
        Some(Err(e)) => (fail(&e.to_string()), false),
        Some(Ok(report)) => (print(&report, json, note), report.clean()),
    }
}

/// Resolves on SIGTERM; never where there is no such signal (Windows: Ctrl-C is the stop).
async fn terminated() {
    #[cfg(unix)]
    if let Ok(mut t) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        t.recv().await;
        return;
    }
    std::future::pending::<()>().await
}

fn print(report: &Report, json: bool, note: Option<String>) -> ExitCode {
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(s) => println!("{s}"),
            Err(e) => return fail(&format!("json: {e}")),
        }
    } else {
        if let Some(n) = note {
            println!("{n}");
        }
        print!("{}", report.table());
    }
    if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn stack_run(a: StackArgs) -> ExitCode {
    let mut o = match options(String::from("http://127.0.0.1:1"), &a.common) {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    if let Err(e) = o.validate() {
        return fail(&format!("{}: {}", flag(e.field), e.reason));
    }
    if !a.glass.exists() {
        return fail(&format!(
            "--glass {}: no such file (cargo build --release -p glass)",
            a.glass.display()
        ));
    }
    if !(1..=16).contains(&a.brokers) {
        return fail(&format!("--brokers: {}: expected 1..=16", a.brokers));
    }
    let config = stack::StackConfig {
        glass: a.glass,
        brokers: a.brokers,
        slots: o.concurrency,
        user_prefix: o.user_prefix.clone(),
        password: o.password.clone(),
        maxconn: a.maxconn,
        audit: !a.no_audit,
        haproxy: !a.no_haproxy,
        haproxy_instances: a.haproxy_instances,
    };
    eprintln!(
        "glass-loadgen: starting redis, {}{} broker(s){}",
        if config.audit { "postgresql, " } else { "" },
        config.brokers,
        if config.haproxy { ", haproxy" } else { "" }
    );
    let mut stack = match stack::Stack::start(&config) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    o.target = stack.url.clone();
    o.audit_db = stack.audit_db.clone();
    o.watch = stack.watch();
    let note = format!(
        "stack: {} ({} haproxy process(es), maxconn {} each, open files {}) → {} (files in {})",
        stack.url,
        stack.haproxy_instances(),
        stack::maxconn_within_limit(a.maxconn),
        stack::open_files_limit().map_or("?".into(), |l| l.to_string()),
        stack.broker_urls.join(", "),
        stack.dir().display()
    );
    eprintln!("glass-loadgen: {note}");
    let (code, clean) = execute(o, a.common.json, Some(note));
    // What the brokers counted (lost links, refusals), to explain anything not clean.
    for line in stack.metrics(&[
        "glass_links",
        "lost",
        "refused",
        "rate_limited",
        "flooding",
        "failures",
        "dropped",
        "glass_sessions",
    ]) {
        eprintln!("glass-loadgen: {line}");
    }
    if !clean {
        stack.keep_files();
        eprintln!(
            "glass-loadgen: not clean: logs and configs kept in {}",
            stack.dir().display()
        );
    }
    drop(stack);
    code
}
