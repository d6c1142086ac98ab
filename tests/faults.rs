//! Faults (issue 12, "Load and faults") against the real server started here on loopback:
//! PostgreSQL stopped for 10 s while help sessions go on. The broker holds the audit rows
//! and writes them once the database is back: every event of every session is in the trail
//! exactly once, in order, the chain verifies (`glass audit verify`), and the writer's
//! counters (`/metrics`) show retries and nothing dropped or failed. A decision is acted on
//! only once its row is durable, and a broker killed right after one loses no row (the
//! outbox: Redis, or a local spool). The coturn fault is in `tests/relay_faults.rs`.

use std::process::Command;
use std::time::{Duration, Instant};

use glass_broker::BrokerConfig;
use glass_broker::audit::AuditStore;
use glass_protocol::{ClientMessage, ServerMessage};

use crate::help_harness::*;

use crate::audit::postgres::{PG_BIN, Postgres};

/// The events one help session (code, redeem, consent, a chat line each way, leave) leaves.
const SESSION: [&str; 9] = [
    "code_issued",
    "code_redeemed",
    "sharer_joined",
    "consent_requested",
    "consent_allowed",
    "level_changed",
    "chat_sent",
    "chat_sent",
    "session_ended",
];

/// One complete help session from ada to sam, chat `n` each way, ended by sam.
async fn one_session(base: &str, ada: &str, sam: &str, n: usize) {
    let t = Duration::from_secs(10);
    let (mut helper, mut sharer) = web_session_allowed(base, ada, sam).await;
    for helper_writes in [true, false] {
        let (from, to) = if helper_writes {
            (&mut helper, &mut sharer)
        } else {
            (&mut sharer, &mut helper)
        };
        let text = format!("{} {n}", if helper_writes { "helper" } else { "sharer" });
        from.send(ClientMessage::Chat { text: text.clone() }).await;
        to.until(
            t,
            |m| matches!(m, ServerMessage::ChatMessage { text: got, .. } if *got == text),
        )
        .await;
    }
    sharer.send(ClientMessage::Leave).await;
    helper
        .until(t, |m| matches!(m, ServerMessage::Ended { .. }))
        .await;
}

/// The value of metric `name` on a `/metrics` page.
fn metric(page: &str, name: &str) -> Option<u64> {
    page.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn postgres_down_for_ten_seconds_loses_no_audit_row() {
    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("outage").expect("createdb");
    let spool = tempfile::tempdir().unwrap();
    let broker = TestBroker::start(BrokerConfig {
        audit_db: Some(url.clone().into()),
        // Rows are durable in the spool, so sessions need not wait for the database.
        audit_spool: Some(spool.path().join("audit-spool.db")),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        // One helper and one sharer run many sessions in a row.
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let metrics = format!("http://{}/metrics", broker.metrics.unwrap());
    let audit = broker.audit.clone();
    let (ada, sam) = broker
        .rt
        .block_on(async { (login(&base, "ada").await, login(&base, "sam").await) });
    let mut sessions = 0;
    // Before: written as they happen.
    broker.rt.block_on(async {
        for _ in 0..3 {
            one_session(&base, &ada, &sam, sessions).await;
            sessions += 1;
        }
        assert!(audit.flush().await);
    });
    let before = audit.stats();
    assert_eq!(before.written, 2 + 3 * SESSION.len() as u64, "{before:?}");

    // The outage: PostgreSQL stopped (connections cut) for 10 s; sessions go on meanwhile,
    // none refused.
    pg.stop().expect("pg_ctl stop");
    let stopped = Instant::now();
    let (mut held, mut saw_outage) = (0, false);
    broker.rt.block_on(async {
        while stopped.elapsed() < Duration::from_secs(10) {
            one_session(&base, &ada, &sam, sessions).await;
            sessions += 1;
            let s = audit.stats();
            held = held.max(s.queued + s.backlog);
            saw_outage |= s.outage == 1;
            assert!(audit.sink.has_room(), "{s:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let during = audit.stats();
    let outage_sessions = sessions - 3;
    eprintln!(
        "PostgreSQL down {:?}: {outage_sessions} sessions ran, {held} rows held at most, \
         {} written meanwhile, {} retries so far",
        stopped.elapsed(),
        during.written - before.written,
        during.retries
    );
    // The writer says so once its first attempt has failed (a connection attempt may take
    // the pool's whole timeout): at the latest by the end of the outage.
    let saw_outage = saw_outage || during.outage == 1;
    assert!(saw_outage, "the writer reported the outage: {during:?}");
    assert_eq!(during.written, before.written, "nothing written while down");
    assert!(held >= SESSION.len() as u64, "rows were held: {held}");
    pg.restart().expect("PostgreSQL restarts");
    let back = Instant::now();

    // After: the held rows are written, then new sessions as usual.
    broker.rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), audit.flush())
            .await
            .expect("the held rows are written within 60 s of the restart");
    });
    eprintln!("held rows written {:?} after the restart", back.elapsed());
    broker.rt.block_on(async {
        one_session(&base, &ada, &sam, sessions).await;
        sessions += 1;
        assert!(audit.flush().await);
    });
    let s = audit.stats();
    eprintln!("writer after the outage: {s:?}");
    assert_eq!((s.dropped, s.failed, s.outage), (0, 0, 0), "{s:?}");
    assert!(s.retries > 0, "{s:?}");
    assert_eq!(
        s.written,
        2 + sessions as u64 * SESSION.len() as u64,
        "{s:?}"
    );
    let page = broker
        .rt
        .block_on(async { reqwest::get(&metrics).await.unwrap().text().await.unwrap() });
    assert_eq!(metric(&page, "glass_audit_rows_dropped_total"), Some(0));
    assert_eq!(metric(&page, "glass_audit_rows_failed_total"), Some(0));
    assert_eq!(metric(&page, "glass_audit_rows_queued"), Some(0));
    assert_eq!(metric(&page, "glass_audit_outage"), Some(0));
    assert!(metric(&page, "glass_audit_write_retries_total").is_some_and(|r| r > 0));

    // Every event of every session, exactly once and in order, in one chain.
    let rows = crate::audit::all_rows(&broker.rt, &url);
    drop(broker);
    let names: Vec<&str> = rows.iter().map(|r| r.entry.name.as_str()).collect();
    let mut expected = vec!["signed_in", "signed_in"];
    for _ in 0..sessions {
        expected.extend_from_slice(&SESSION);
    }
    assert_eq!(names, expected);
    assert!(rows.iter().zip(1..).all(|(r, seq)| r.seq == seq));
    for (i, session) in rows[2..].chunks(SESSION.len()).enumerate() {
        let id = session[0].entry.session.clone();
        assert!(id.is_some(), "session {i}");
        assert!(
            session.iter().all(|r| r.entry.session == id),
            "session {i}: {session:?}"
        );
        let chat: Vec<&str> = session
            .iter()
            .filter(|r| r.entry.name == "chat_sent")
            .map(|r| r.entry.detail.as_str())
            .collect();
        assert_eq!(chat, [r#"{"seq":1}"#, r#"{"seq":2}"#], "session {i}");
    }
    let ids: std::collections::HashSet<_> = rows
        .iter()
        .filter_map(|r| r.entry.session.clone())
        .collect();
    assert_eq!(ids.len(), sessions);
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["audit", "verify", "--db", &url])
        .env_remove("GLASS_AUDIT_DB")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("intact: {} rows", rows.len())),
        "{stdout}"
    );
}

/// An outage long enough to fill the queue (a small one here): room for new sessions goes
/// first, then rows are refused at the full queue and counted, never silently; once the
/// database is back, everything queued is written, in order, and the trail itself records
/// how many rows it lacks (`audit_lost`).
#[test]
fn a_full_queue_refuses_and_counts_and_the_trail_says_so() {
    use glass_broker::audit::chain::Entry;
    use glass_broker::audit::writer::{WriterConfig, spawn_writer};
    use glass_broker::audit::{ActorRef, BrokerEvent};

    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("full").expect("createdb");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let row = |i: u64| -> Entry {
        BrokerEvent::SignedOut.entry(
            1_765_000_000_000 + i,
            "local",
            &ActorRef {
                kind: "user",
                id: format!("local:u{i}"),
                name: format!("User {i}"),
            },
            None,
        )
    };
    rt.block_on(async {
        let store = AuditStore::open(&url).await.unwrap();
        let (sink, task) = spawn_writer(
            store.clone(),
            WriterConfig {
                capacity: 100,
                reserve: 20,
                max_batch: 10,
                retry_max: Duration::from_millis(500),
                ..WriterConfig::default()
            },
        );
        pg.stop().expect("pg_ctl stop");
        // The writer takes the first rows and holds them through the outage.
        for i in 0..5 {
            sink.record(row(i));
        }
        let end = Instant::now() + Duration::from_secs(30);
        while sink.stats().outage == 0 {
            assert!(Instant::now() < end, "{:?}", sink.stats());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut last_room = None;
        for i in 5..205 {
            if sink.has_room() {
                last_room = Some(i);
            }
            sink.record(row(i));
        }
        let s = sink.stats();
        eprintln!("queue full: {s:?}; room for new sessions until row {last_room:?}");
        // 5 held, 100 queued (of which the last 20 past the room for new sessions), 100
        // refused and counted.
        assert_eq!(last_room, Some(84), "{s:?}");
        assert!(!sink.has_room());
        assert_eq!((s.queued, s.dropped, s.written), (105, 100, 0), "{s:?}");
        pg.restart().expect("PostgreSQL restarts");
        tokio::time::timeout(Duration::from_secs(60), sink.flush())
            .await
            .expect("written within 60 s of the restart");
        assert!(sink.has_room());
        let s = sink.stats();
        assert_eq!((s.written, s.dropped, s.failed), (106, 100, 0), "{s:?}");
        let mut rows = Vec::new();
        store
            .walk(|_, page| {
                rows.extend_from_slice(page);
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(rows.len(), 106);
        let ids: Vec<String> = rows
            .iter()
            .filter(|r| r.entry.name == "signed_out")
            .map(|r| r.entry.actor_id.clone())
            .collect();
        let expected: Vec<String> = (0..105).map(|i| format!("local:u{i}")).collect();
        assert_eq!(ids, expected, "the rows kept, in order");
        // With the first batch written after the refusals.
        let lost: Vec<&str> = rows
            .iter()
            .filter(|r| r.entry.name == "audit_lost")
            .map(|r| r.entry.detail.as_str())
            .collect();
        assert_eq!(lost, [r#"{"dropped":100,"failed":0}"#]);
        assert!(store.verify(None).await.unwrap().is_ok());
        drop(sink);
        task.await.unwrap();
        store.close().await;
    });
}

/// A broker stopping while the database is still down does not wait for it forever: after
/// the bound, what the writer holds is given up, counted as `failed` (and logged), and the
/// writer ends.
#[test]
fn shutdown_during_an_outage_gives_up_within_its_bound() {
    use glass_broker::audit::writer::{WriterConfig, spawn_writer};
    use glass_broker::audit::{ActorRef, BrokerEvent};

    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("shutdown").expect("createdb");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = AuditStore::open(&url).await.unwrap();
        let (sink, task) = spawn_writer(store, WriterConfig::default());
        pg.stop().expect("pg_ctl stop");
        for _ in 0..3 {
            sink.record(BrokerEvent::SignedOut.entry(1, "local", &ActorRef::broker(), None));
        }
        let started = Instant::now();
        assert!(!sink.flush_for_shutdown(Duration::from_secs(2)).await);
        let took = started.elapsed();
        let s = sink.stats();
        eprintln!("shutdown during an outage took {took:?}: {s:?}");
        assert_eq!((s.written, s.failed, s.dropped), (0, 3, 0), "{s:?}");
        // The bound (2 s) plus at most one attempt in flight (the pool's 10 s), far below
        // a hang.
        assert!(took < Duration::from_secs(30), "{took:?}");
        drop(sink);
        tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .expect("the writer ends")
            .unwrap();
    });
}

/// No session starts that could not be audited: with the database away and the writer's
/// queue down to the reserve kept for running sessions, a helper asking for a code is told
/// `busy` (and the refusal counted); once the database is back and the rows written, codes
/// are issued again, and every row held meanwhile is in the trail.
#[test]
fn new_sessions_are_refused_while_the_trail_cannot_take_their_rows() {
    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("room").expect("createdb");
    let spool = tempfile::tempdir().unwrap();
    let broker = TestBroker::start(BrokerConfig {
        audit_db: Some(url.clone().into()),
        audit_spool: Some(spool.path().join("audit-spool.db")),
        // Room for a few sessions' rows beyond the writer's held batch.
        audit_queue: 60,
        audit_reserve: 30,
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let audit = broker.audit.clone();
    let (ada, sam) = broker
        .rt
        .block_on(async { (login(&base, "ada").await, login(&base, "sam").await) });
    broker.rt.block_on(async {
        assert!(audit.flush().await);
    });
    pg.stop().expect("pg_ctl stop");
    let refused = broker.rt.block_on(async {
        let mut helper = Ws::connect(&base, &ada).await;
        // Sessions run until the trail has no room for another: then a code is refused.
        for n in 0..40 {
            helper.send(ClientMessage::CreateCode).await;
            match helper.next(Duration::from_secs(10)).await {
                ServerMessage::Code { .. } => {
                    // Spend it in a whole session, so rows pile up.
                    drop(helper);
                    one_session(&base, &ada, &sam, n).await;
                    helper = Ws::connect(&base, &ada).await;
                }
                ServerMessage::Error { code, .. } => {
                    assert_eq!(code, glass_protocol::ErrorCode::Busy);
                    return Some(n);
                }
                other => panic!("{other:?}"),
            }
        }
        None
    });
    let refused = refused.expect("a code is refused once the trail has no room");
    eprintln!("faults: the trail's room ran out after {refused} sessions; new codes refused");
    assert!(broker.stats.snapshot().audit_refused >= 1);
    pg.restart().expect("PostgreSQL restarts");
    broker.rt.block_on(async {
        assert!(
            tokio::time::timeout(Duration::from_secs(60), audit.flush())
                .await
                .unwrap()
        );
        let mut helper = Ws::connect(&base, &ada).await;
        helper.send(ClientMessage::CreateCode).await;
        assert!(matches!(
            helper.next(Duration::from_secs(10)).await,
            ServerMessage::Code { .. }
        ));
    });
    let s = audit.stats();
    assert_eq!((s.dropped, s.failed), (0, 0), "nothing lost: {s:?}");
}

/// The names of session `session`'s rows in the trail at `url`, and whether the chain
/// verifies.
fn session_rows(rt: &tokio::runtime::Runtime, url: &str, session: &str) -> Vec<String> {
    let rows = crate::audit::all_rows(rt, url);
    let store_ok = rt.block_on(async {
        let store = AuditStore::open(url).await.unwrap();
        let ok = store.verify(None).await.unwrap().is_ok();
        store.close().await;
        ok
    });
    assert!(store_ok, "the chain verifies");
    rows.iter()
        .filter(|r| r.entry.session.as_deref() == Some(session))
        .map(|r| r.entry.name.clone())
        .collect()
}

/// The session id of the last `consent_requested` row in the trail at `url`.
fn last_session(rt: &tokio::runtime::Runtime, url: &str) -> String {
    crate::audit::all_rows(rt, url)
        .iter()
        .rev()
        .find(|r| r.entry.name == "consent_requested")
        .and_then(|r| r.entry.session.clone())
        .expect("a consent_requested row")
}

/// Written before it is acted on (one broker, no outbox): with the trail's database away,
/// the sharer's "allow" is recorded but not acted on: the helper learns nothing (and the
/// agent would be told nothing) until the rows are committed; once the database is back, it
/// arrives. A pong still answers meanwhile, so the links stay up.
#[test]
fn a_decision_reaches_the_other_side_only_once_its_row_is_stored() {
    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("ack").expect("createdb");
    let broker = TestBroker::start(BrokerConfig {
        audit_db: Some(url.clone().into()),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let (ada, sam) = broker
        .rt
        .block_on(async { (login(&base, "ada").await, login(&base, "sam").await) });
    let (mut h, s, id) = broker.rt.block_on(web_session_asked(&base, &ada, &sam));
    let session = last_session(&broker.rt, &url);
    pg.stop().expect("pg_ctl stop");
    broker.rt.block_on(async {
        s.send(ClientMessage::Consent {
            id,
            allow: true,
            reason: None,
        })
        .await;
        // 3 s: nothing reaches the helper, though its link is alive (pings answered).
        let early = h.next_within(Duration::from_secs(3)).await;
        assert_eq!(early, None, "nothing before the trail has the rows");
        let s = broker.audit.stats();
        assert!(s.accepted > s.durable, "rows wait for the database: {s:?}");
    });
    pg.restart().expect("PostgreSQL restarts");
    let back = Instant::now();
    broker.rt.block_on(async {
        let (allowed, _) = tokio::time::timeout(Duration::from_secs(60), consent_result(&mut h))
            .await
            .expect("the decision arrives once the rows are stored");
        assert!(allowed);
    });
    eprintln!(
        "the helper learnt of the decision {:?} after the database came back",
        back.elapsed()
    );
    let names = session_rows(&broker.rt, &url, &session);
    assert!(
        names.iter().any(|n| n == "consent_allowed"),
        "the decision is in the trail: {names:?}"
    );
}

/// The crash window, with many brokers: broker A decides (the sharer allows), the helper
/// sees it, and A is killed at once, with PostgreSQL away so nothing could have been
/// written. The rows were in the Redis outbox before the helper was told: broker B takes
/// over the outbox and writes them once PostgreSQL is back, each once.
#[test]
fn a_broker_killed_right_after_a_decision_loses_no_audit_row() {
    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let redis = crate::cluster_store::redis_server::RedisServer::start()
        .expect("redis-server starts")
        .expect("redis-server is installed (scripts/setup.sh)");
    let url = pg.database("crash").expect("createdb");
    let broker = || {
        TestBroker::start(BrokerConfig {
            audit_db: Some(url.clone().into()),
            redis: Some(glass_broker::cluster::RedisUrl::parse(&redis.url()).unwrap()),
            ..BrokerConfig::default()
        })
    };
    let a = broker();
    let b = broker();
    let base = a.url();
    let (ada, sam) =
        a.rt.block_on(async { (login(&base, "ada").await, login(&base, "sam").await) });
    let (mut h, s, id) = a.rt.block_on(web_session_asked(&base, &ada, &sam));
    assert!(a.rt.block_on(a.audit.flush()));
    let session = last_session(&a.rt, &url);
    pg.stop().expect("pg_ctl stop");
    a.rt.block_on(async {
        s.send(ClientMessage::Consent {
            id,
            allow: true,
            reason: None,
        })
        .await;
        assert!(
            consent_result(&mut h).await.0,
            "the helper sees the decision"
        );
        s.send(ClientMessage::Chat {
            text: "last words".into(),
        })
        .await;
        h.until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::ChatMessage { .. })
        })
        .await;
    });
    // Killed: no drain, no flush; nothing reached the database.
    a.crash();
    drop((h, s));
    pg.restart().expect("PostgreSQL restarts");
    let back = Instant::now();
    b.rt.block_on(async {
        // B's own rows come after A's in the outbox: once they are written, so are A's.
        let probe = b.audit.record(
            &glass_broker::audit::BrokerEvent::SignedOut,
            "local",
            &glass_broker::audit::ActorRef::broker(),
            None,
        );
        assert!(probe > 0);
        tokio::time::timeout(Duration::from_secs(60), b.audit.flush())
            .await
            .expect("B writes the outbox once PostgreSQL is back");
    });
    eprintln!(
        "the dead broker's rows were in the trail {:?} after PostgreSQL came back",
        back.elapsed()
    );
    let names = session_rows(&b.rt, &url, &session);
    for event in ["consent_allowed", "level_changed", "chat_sent"] {
        assert_eq!(
            names.iter().filter(|n| *n == event).count(),
            1,
            "{event} once: {names:?}"
        );
    }
}

/// One broker with a spool (PostgreSQL and no Redis): killed during a database outage with
/// a whole session's rows spooled; started again on the same spool, it writes them once
/// the database is back, each once. Sessions went on during the outage meanwhile.
#[test]
fn a_spooled_broker_killed_during_an_outage_loses_no_audit_row() {
    let Some(mut pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    let url = pg.database("spool").expect("createdb");
    let dir = tempfile::tempdir().unwrap();
    let config = || BrokerConfig {
        audit_db: Some(url.clone().into()),
        audit_spool: Some(dir.path().join("audit-spool.db")),
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    };
    let broker = TestBroker::start(config());
    let base = broker.url();
    let (ada, sam) = broker
        .rt
        .block_on(async { (login(&base, "ada").await, login(&base, "sam").await) });
    broker.rt.block_on(async {
        one_session(&base, &ada, &sam, 0).await;
        assert!(broker.audit.flush().await);
    });
    pg.stop().expect("pg_ctl stop");
    broker.rt.block_on(async {
        // A whole session during the outage: nothing waits for the database.
        tokio::time::timeout(Duration::from_secs(20), one_session(&base, &ada, &sam, 1))
            .await
            .expect("the session runs while the database is away");
    });
    // Its last row (`session_ended`) is recorded as the session ends: durable a moment
    // later.
    let end = Instant::now() + Duration::from_secs(5);
    while broker.audit.stats().durable < broker.audit.stats().accepted {
        assert!(Instant::now() < end, "{:?}", broker.audit.stats());
        std::thread::sleep(Duration::from_millis(10));
    }
    let s = broker.audit.stats();
    assert!(s.backlog >= SESSION.len() as u64, "spooled: {s:?}");
    broker.crash();
    pg.restart().expect("PostgreSQL restarts");
    let again = TestBroker::start(config());
    again.rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), async {
            while again.audit.stats().backlog > 0 || again.audit.stats().written == 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the spool is written after the restart");
    });
    let rows = crate::audit::all_rows(&again.rt, &url);
    let names: Vec<&str> = rows.iter().map(|r| r.entry.name.as_str()).collect();
    let mut expected = vec!["signed_in", "signed_in"];
    expected.extend_from_slice(&SESSION);
    expected.extend_from_slice(&SESSION);
    assert_eq!(names, expected, "every row once, in order");
}
