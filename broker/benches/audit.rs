//! Audit write cost on this machine: one row per transaction (the latency of a lone event),
//! batched transactions (what the writer does under load) and the sustained rate through the
//! writer's queue, on a SQLite file and on a PostgreSQL server started here on loopback
//! (skipped when its binaries are absent). `cargo bench -p glass-broker --bench audit
//! [-- --quick]`. Prints one JSON line per database.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use glass_broker::audit::chain::Entry;
use glass_broker::audit::writer::{WriterConfig, spawn_writer};
use glass_broker::audit::{ActorRef, AuditStore, BrokerEvent};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

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

struct Pg {
    dir: tempfile::TempDir,
    root: bool,
    child: std::process::Child,
    port: u16,
}

fn as_user(root: bool, program: &str) -> Command {
    let bin = Path::new(PG_BIN).join(program);
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

fn ok(c: &mut Command) -> bool {
    c.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Pg {
    fn start() -> Option<Pg> {
        if !Path::new(PG_BIN).join("postgres").exists() {
            eprintln!("audit bench: no PostgreSQL in {PG_BIN}: skipped");
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if root && !ok(Command::new("chown").arg("postgres").arg(dir.path())) {
            return None;
        }
        let data = dir.path().join("data");
        if !ok(as_user(root, "initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "glass"]))
        {
            eprintln!("audit bench: initdb failed: skipped");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        // Default durability (fsync on, synchronous_commit on): the numbers are real commits.
        let child = as_user(root, "postgres")
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(dir.path())
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let pg = Pg {
            dir,
            root,
            child,
            port,
        };
        let end = Instant::now() + Duration::from_secs(30);
        while !ok(Command::new(Path::new(PG_BIN).join("pg_isready")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])) {
            if Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        ok(Command::new(Path::new(PG_BIN).join("createdb")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "glass",
            "bench",
        ]));
        Some(pg)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        ok(as_user(self.root, "pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["stop", "-m", "immediate"]));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
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
    if let Some(pg) = Pg::start() {
        let url = format!("postgres://glass@127.0.0.1:{}/bench", pg.port);
        rt.block_on(measure("postgres", &url, quick));
    }
}
