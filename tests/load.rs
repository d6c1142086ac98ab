//! Load through the whole deployment: two `glass broker` processes sharing a real Redis and a
//! real PostgreSQL audit trail, a real HAProxy in front (round robin, stickiness cookie), and
//! the load generator's library driving 200 complete sessions, 50 at a time, each from its
//! own loopback addresses. What a user would notice is asserted hard: no chat line lost or
//! repeated, every session ended on both sides, every session in the audit trail. Latency and
//! CPU are printed, never asserted (a noisy 2-core machine).

use std::time::Duration;

use glass_loadgen::stack::{Stack, StackConfig, StackError};
use glass_loadgen::{Options, run};

#[test]
fn two_hundred_sessions_through_haproxy_and_two_brokers_lose_nothing() {
    let started = std::time::Instant::now();
    let concurrency = 50;
    let stack = match Stack::start(&StackConfig {
        glass: env!("CARGO_BIN_EXE_glass").into(),
        brokers: 2,
        slots: concurrency,
        ..StackConfig::default()
    }) {
        Ok(s) => s,
        Err(StackError::Missing("haproxy")) => {
            eprintln!("SKIPPED: haproxy is not installed (scripts/setup.sh installs it)");
            return;
        }
        Err(e) => panic!("the stack starts: {e}"),
    };
    let options = Options {
        target: stack.url.clone(),
        sessions: 200,
        concurrency,
        ramp_per_s: 100.0,
        hold: Duration::from_millis(500),
        chat_lines: 5,
        audit_db: stack.audit_db.clone(),
        watch: stack.watch(),
        ..Options::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let report = rt.block_on(run(&options)).expect("the run takes place");
    eprintln!("{}", report.table());

    assert_eq!(
        report.completed, 200,
        "every session ran its whole flow: {:?}",
        report.errors
    );
    assert_eq!(report.chat.expected, 200 * 2 * 2 * 5);
    assert_eq!(report.chat.lost, 0, "no chat line lost");
    assert_eq!(report.chat.duplicated, 0, "no chat line delivered twice");
    assert_eq!(
        report.chat.seq_errors, 0,
        "both sides agree on every line's seq"
    );
    assert_eq!(report.ends.established, 200);
    assert_eq!(
        report.ends.ended_both, 200,
        "every session ended once on both sides"
    );
    assert_eq!(report.ends.missing_peer_left, 0);
    assert_eq!(report.ends.after_ended, 0, "nothing after ended");
    let audit = report.audit.as_ref().expect("the audit trail was checked");
    assert_eq!(audit.error, None);
    assert_eq!(audit.sessions, 200);
    assert_eq!(
        audit.ended_once, 200,
        "every session has one session_ended row"
    );
    assert!(report.clean());
    // HAProxy spread the sign-ins over both brokers: some helpers and sharers met across them.
    assert!(
        report.cross_broker.is_some_and(|n| n > 0),
        "sessions spanned the two brokers: {:?}",
        report.cross_broker
    );
    assert!(report.peak_concurrent > 1 && report.peak_concurrent <= concurrency);
    for step in &report.steps {
        assert!(step.count > 0, "{} measured", step.step);
    }
    let watched: Vec<&str> = report.processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(watched, ["broker-1", "broker-2", "haproxy", "loadgen"]);
    eprintln!("load test: {:.1} s in all", started.elapsed().as_secs_f64());
}
