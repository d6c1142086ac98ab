//! Audit write cost on this machine: one row per transaction (the latency of a lone event),
//! batched transactions (what the writer does under load) and the sustained rate through the
//! writer's queue, on a SQLite file and on a PostgreSQL server started here on loopback
//! (skipped when its binaries are absent). `cargo bench -p glass-broker --bench audit
//! [-- --quick]`. Prints one JSON line per database.

use std::time::Instant;

use glass_broker::audit::chain::Entry;
use glass_broker::audit::writer::{WriterConfig, spawn_writer};
use glass_broker::audit::{ActorRef, AuditStore, BrokerEvent};

// The server's start-up is shared with the audit tests (tests/audit.rs).
#[path = "../testing/postgres.rs"]
mod postgres;
use postgres::{PG_BIN, Postgres};

fn entry(i: u64) -> Entry {
    BrokerEvent::SignedIn {
        client: "browser",
        method: "password".into(),
    }
    .entry(
        1_765_000_000_000 + i,
        "local",
        &ActorRef {
            kind: "user",
            id: format!("local:user{i}"),
            name: "Ada Lovelace".into(),
        },
        Some([192, 0, 2, 1].into()),
    )
}

async fn measure(name: &str, url: &str, quick: bool) {
    let store = AuditStore::open(url).await.expect("open");
    let (singles, batches, batch, sustained) = if quick {
        (20, 2, 200, 2_000)
    } else {
        (300, 20, 1_000, 100_000)
    };
    let t = Instant::now();
    for i in 0..singles {
        store.append(&[entry(i)]).await.expect("append");
    }
    let single_us = t.elapsed().as_secs_f64() * 1e6 / singles as f64;

    let rows: Vec<Entry> = (0..batch).map(entry).collect();
    let t = Instant::now();
    for _ in 0..batches {
        store.append(&rows).await.expect("append");
    }
    let batched = (batches * batch) as f64;
    let batched_us = t.elapsed().as_secs_f64() * 1e6 / batched;

    let (sink, task) = spawn_writer(store.clone(), WriterConfig::default());
    let t = Instant::now();
    let mut offered = 0u64;
    for i in 0..sustained {
        sink.record(entry(i));
        offered += 1;
        // Yield now and then so the writer runs, as the hub's callers do between frames.
        if i % 1_000 == 999 {
            tokio::task::yield_now().await;
        }
    }
    sink.flush().await;
    let elapsed = t.elapsed();
    let stats = sink.stats();
    drop(sink);
    let _ = task.await;
    let verify = Instant::now();
    let ok = store.verify(None).await.expect("verify").is_ok();
    let verify_s = verify.elapsed().as_secs_f64();
    let head = store.head().await.expect("head");
    println!(
        "{{\"db\":\"{name}\",\"append_1_row_per_tx_us\":{single_us:.0},\
         \"append_batched_us_per_row\":{batched_us:.1},\"batch\":{batch},\
         \"sustained_rows_per_s\":{:.0},\"offered\":{offered},\"written\":{},\"dropped\":{},\
         \"batches\":{},\"verify_rows\":{},\"verify_rows_per_s\":{:.0},\"intact\":{ok}}}",
        stats.written as f64 / elapsed.as_secs_f64(),
        stats.written,
        stats.dropped,
        stats.batches,
        head.seq,
        head.seq as f64 / verify_s,
    );
    assert!(ok, "{name}: the chain must verify");
    // Offered faster than the database takes them, the queue fills: every row is written or
    // counted as dropped (`written` also holds the writer's own `audit_lost` rows).
    assert!(
        stats.written + stats.dropped >= offered && stats.failed == 0,
        "{name}: every row counted"
    );
    store.close().await;
}

fn main() {
    // `cargo test --all-targets` passes no `--bench`: a quick smoke run.
    let quick =
        std::env::args().any(|a| a == "--quick") || !std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bench.db");
    rt.block_on(measure(
        "sqlite",
        &format!("sqlite://{}?mode=rwc", file.display()),
        quick,
    ));
    match Postgres::start() {
        // `pg` lives until the arm ends: the server runs through the measurement.
        Ok(Some(pg)) => match pg.database("bench") {
            Ok(url) => rt.block_on(measure("postgres", &url, quick)),
            Err(e) => eprintln!("audit bench: {e}: skipped"),
        },
        Ok(None) => eprintln!("audit bench: no PostgreSQL in {PG_BIN}: skipped"),
        Err(e) => eprintln!("audit bench: {e}: skipped"),
    }
}
