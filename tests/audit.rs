//! The audit trail, the same suite on SQLite and on a real PostgreSQL started here on
//! loopback: a help session through the real broker leaves the expected rows in order;
//! editing, deleting or inserting a row makes `glass audit verify` (the real binary) fail at
//! that row; retention prunes on a fake clock and the trail still verifies; the sessions
//! report names the helper, the sharer, the level and how it ended.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use glass_broker::BrokerConfig;
use glass_broker::audit::chain::{Entry, Head, seal};
use glass_broker::audit::{AuditStore, BrokerEvent};
use glass_protocol::{Client, ClientMessage, ServerMessage};

use crate::help_harness::*;

// The server's start-up is shared with the audit bench.
#[path = "../broker/testing/postgres.rs"]
pub(crate) mod postgres;
use postgres::{PG_BIN, Postgres};

/// SQLite files in a directory of their own, deleted on drop.
pub(crate) struct SqliteDir(PathBuf);

impl SqliteDir {
    pub(crate) fn new() -> SqliteDir {
        let dir = std::env::temp_dir().join(format!(
            "glass-audit-sqlite-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        SqliteDir(dir)
    }

    pub(crate) fn database(&self, name: &str) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            self.0.join(format!("{name}.db")).display()
        )
    }
}

impl Drop for SqliteDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `glass audit ARGS…`: exit status, stdout, stderr.
fn glass_audit(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .arg("audit")
        .args(args)
        .env_remove("GLASS_AUDIT_DB")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Direct access to the database, as someone with its password (the attacker here).
async fn tamper(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&pool)
        .await
        .unwrap();
    assert!(done.rows_affected() >= 1, "{sql}");
    pool.close().await;
}

fn entry(at: i64, i: i64) -> Entry {
    BrokerEvent::SignedOut.entry(
        u64::try_from(at).unwrap(),
        "local",
        &glass_broker::audit::ActorRef {
            kind: "user",
            id: format!("local:u{i}"),
            name: format!("User {i}"),
        },
        Some([127, 0, 0, 1].into()),
    )
}

/// Ten rows, an hour apart from `t0`.
async fn ten_rows(url: &str, t0: i64) -> AuditStore {
    let store = AuditStore::open(url).await.unwrap();
    let entries: Vec<Entry> = (0..10).map(|i| entry(t0 + i * 3_600_000, i)).collect();
    // Two transactions: the chain continues across batches.
    store.append(&entries[..4]).await.unwrap();
    let head = store.append(&entries[4..]).await.unwrap();
    assert_eq!(head.seq, 10);
    store
}

fn assert_broken_at(url: &str, seq: i64, what: &str) {
    let (ok, _, err) = glass_audit(&["verify", "--db", url]);
    assert!(!ok, "verify passed a tampered trail");
    assert!(
        err.contains(&format!("broken at seq {seq}: {what}")),
        "expected seq {seq} {what}: {err}"
    );
}

fn tampering_is_found_at_the_row(db: &dyn Fn(&str) -> String) {
    let rt = runtime();
    // Edited.
    let url = db("edited");
    rt.block_on(async {
        ten_rows(&url, 1_765_000_000_000).await.close().await;
        let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
        assert!(ok, "{err}");
        assert!(out.contains("intact: 10 rows, seq 1..=10"), "{out}");
        tamper(
            &url,
            r#"UPDATE audit_events SET detail = '{"x":1}' WHERE seq = 5"#,
        )
        .await;
    });
    assert_broken_at(&url, 5, "edited");

    // Deleted (from the middle, and the newest).
    let url = db("deleted");
    rt.block_on(async {
        ten_rows(&url, 1_765_000_000_000).await.close().await;
        tamper(&url, "DELETE FROM audit_events WHERE seq = 6").await;
    });
    assert_broken_at(&url, 6, "deleted");
    let url = db("truncated");
    rt.block_on(async {
        ten_rows(&url, 1_765_000_000_000).await.close().await;
        tamper(&url, "DELETE FROM audit_events WHERE seq = 10").await;
    });
    assert_broken_at(&url, 10, "deleted");

    // Inserted: a forged row, hashed and linked correctly (the algorithm is public), after
    // the head.
    let url = db("inserted");
    rt.block_on(async {
        let store = ten_rows(&url, 1_765_000_000_000).await;
        let head = store.head().await.unwrap();
        store.close().await;
        let forged = seal(&head, entry(1_765_000_000_001, 99));
        let e = &forged.entry;
        tamper(
            &url,
            &format!(
                "INSERT INTO audit_events VALUES ({}, {}, '{}', '{}', '{}', '{}', NULL, NULL, \
                 {}, '{}', '{}', '{}', '{}')",
                forged.seq,
                e.at,
                e.tenant,
                e.actor_kind,
                e.actor_id,
                e.actor_name,
                e.code,
                e.name,
                e.detail,
                forged.prev_hash,
                forged.hash
            ),
        )
        .await;
    });
    assert_broken_at(&url, 11, "inserted");
}

fn retention_prunes_on_a_fake_clock(db: &dyn Fn(&str) -> String) {
    let rt = runtime();
    let url = db("pruned");
    let t0 = 1_765_000_000_000;
    let day = Duration::from_secs(86_400);
    rt.block_on(async {
        let store = ten_rows(&url, t0).await;
        // At t0 + 1 day + 4.5 h with a day's retention, rows 1..=5 (t0 .. t0+4h) are old.
        let now = t0 + 86_400_000 + 4 * 3_600_000 + 1_800_000;
        let pruned = store.prune(now, day).await.unwrap().unwrap();
        assert_eq!(
            (pruned.count, pruned.last_seq, pruned.record_seq),
            (5, 5, 11)
        );
        assert_eq!(store.prune(now, day).await.unwrap(), None, "nothing more");
        store.close().await;
    });
    let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
    assert!(ok, "{err}");
    assert!(out.contains("intact: 6 rows, seq 6..=11"), "{out}");
    rt.block_on(async {
        // Later still: the rest goes, the first prune record with it; the chain restarts at
        // the second record.
        let store = AuditStore::open(&url).await.unwrap();
        let now = t0 + 30 * 86_400_000;
        let pruned = store.prune(now, day).await.unwrap().unwrap();
        assert_eq!((pruned.count, pruned.last_seq), (6, 11));
        store.close().await;
    });
    let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
    assert!(
        ok && out.contains("intact: 1 rows, seq 12..=12"),
        "{out}{err}"
    );

    // Pruning by hand, without the record, is a deletion.
    let url = db("pruned_by_hand");
    rt.block_on(async {
        let store = ten_rows(&url, t0).await;
        store
            .prune(t0 + 86_400_000 + 4 * 3_600_000 + 1_800_000, day)
            .await
            .unwrap();
        store.close().await;
        tamper(&url, "DELETE FROM audit_events WHERE seq = 6").await;
    });
    assert_broken_at(&url, 6, "deleted");
}

fn a_help_session_leaves_its_rows_and_its_report(db: &dyn Fn(&str) -> String) {
    let url = db("session");
    let broker = TestBroker::start(BrokerConfig {
        audit_db: Some(url.clone().into()),
        report_access: |p| p.identity.user_id == "local:ada",
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let audit = broker.audit.clone();
    let (ada, sam) = broker.rt.block_on(async {
        let ada = login(&base, "ada").await;
        let sam = login(&base, "sam").await;
        let (mut helper, mut sharer) = web_session_allowed(&base, &ada, &sam).await;
        let t = Duration::from_secs(5);
        helper
            .send(ClientMessage::Chat {
                text: "my password is hunter2".into(),
            })
            .await;
        sharer
            .until(t, |m| matches!(m, ServerMessage::ChatMessage { .. }))
            .await;
        sharer.send(ClientMessage::Leave).await;
        helper
            .until(t, |m| matches!(m, ServerMessage::Ended { .. }))
            .await;
        // A failed sign-in is recorded too, without its password.
        let bad = reqwest::Client::new()
            .post(format!("{base}/api/login"))
            .header("content-type", "application/json")
            .body(r#"{"username":"eve","password":"not-this-one"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 401);
        assert!(audit.flush().await);
        (ada, sam)
    });
    let stats = broker.stats.audit();
    assert_eq!((stats.dropped, stats.failed), (0, 0), "{stats:?}");

    let rows = all_rows(&broker.rt, &url);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.entry.name.as_str(),
                r.entry.actor_kind.as_str(),
                r.entry.actor_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("signed_in", "user", "Ada Lovelace"),
            ("signed_in", "user", "Sam Taylor"),
            ("code_issued", "helper", "Ada Lovelace"),
            ("code_redeemed", "sharer", "Sam Taylor"),
            ("sharer_joined", "sharer", "Sam Taylor"),
            ("consent_requested", "helper", "Ada Lovelace"),
            ("consent_allowed", "sharer", "Sam Taylor"),
            ("level_changed", "sharer", "Sam Taylor"),
            ("chat_sent", "helper", "Ada Lovelace"),
            ("session_ended", "sharer", "Sam Taylor"),
            ("sign_in_failed", "user", "eve"),
        ]
    );
    let codes: Vec<i64> = rows.iter().map(|r| r.entry.code).collect();
    assert_eq!(
        codes,
        [600, 600, 100, 102, 200, 300, 301, 400, 500, 900, 601]
    );
    for r in &rows {
        let all = format!("{r:?}");
        assert!(
            !all.contains("hunter2") && !all.contains("not-this-one"),
            "{all}"
        );
    }
    assert_eq!(rows[3].entry.source.as_deref(), Some("127.0.0.1"));
    assert!(
        rows[2..10]
            .iter()
            .all(|r| r.entry.session == rows[2].entry.session)
    );

    // The report, through the API (Ada may read it; Sam may not) and the CLI.
    broker.rt.block_on(async {
        let get = |cookie: String, query: &'static str| {
            let base = base.clone();
            async move {
                reqwest::Client::new()
                    .get(format!("{base}/api/reports/sessions{query}"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let r = get(ada.clone(), "?format=json&user=Sam%20Taylor").await;
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        let s = &v[0];
        assert_eq!(
            (
                s["helper"].as_str(),
                s["sharer"].as_str(),
                s["client"].as_str(),
                s["level"].as_str(),
                s["end_reason"].as_str(),
                s["ended_by"].as_str()
            ),
            (
                Some("Ada Lovelace"),
                Some("Sam Taylor"),
                Some("web"),
                Some("view"),
                Some("left"),
                Some("sharer")
            ),
            "{v}"
        );
        assert!(s["end"].as_i64() >= s["start"].as_i64());
        let r = get(ada.clone(), "?format=csv").await;
        assert_eq!(r.status(), 200);
        let csv = r.text().await.unwrap();
        assert!(csv.starts_with("session,tenant,helper_id,helper,"), "{csv}");
        assert!(
            csv.contains(",Ada Lovelace,local:sam,Sam Taylor,web,"),
            "{csv}"
        );
        assert_eq!(
            get(ada.clone(), "?user=Eve%20Mallory")
                .await
                .text()
                .await
                .unwrap(),
            "[]"
        );
        assert_eq!(get(ada.clone(), "?from=yesterday").await.status(), 400);
        assert_eq!(get(ada.clone(), "?format=xml").await.status(), 400);
        assert_eq!(get(ada.clone(), "?colour=red").await.status(), 400);
        assert_eq!(get(sam.clone(), "").await.status(), 403);
        assert_eq!(get(String::new(), "").await.status(), 401);
    });
    drop(broker);

    let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
    assert!(ok, "{err}");
    assert!(out.contains("intact: 11 rows"), "{out}");
    let (ok, out, err) = glass_audit(&[
        "report",
        "--db",
        &url,
        "--format",
        "json",
        "--user",
        "local:ada",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains(r#""helper":"Ada Lovelace""#) && out.contains(r#""level":"view""#),
        "{out}"
    );
}

/// Tenant `local` keeps chat transcripts; ada helps staff (sam), eve is the auditor.
pub(crate) const TRANSCRIPTS: &str = r#"
version = 1

[tenants.local]
allow_unenrolled_devices = true
keep_chat_transcripts = true

[[tenants.local.assignments]]
role = "helpdesk_operator"
groups = ["helpdesk"]
scope = ["staff"]

[[tenants.local.assignments]]
role = "auditor"
users = ["local:eve"]
scope = ["*"]
"#;

/// A session from ada to sam with one chat line from each side; ended by sam. Returns
/// whether each side (helper, sharer) was told the chat is kept.
pub(crate) async fn chat_session(
    base: &str,
    ada: &str,
    sam: &str,
    helper_says: &str,
    sharer_says: &str,
) -> (bool, bool) {
    chat_session_with(base, ada, sam, helper_says, sharer_says, || {}).await
}

/// [`chat_session`], running `before_chat` once the sharer has joined.
async fn chat_session_with(
    base: &str,
    ada: &str,
    sam: &str,
    helper_says: &str,
    sharer_says: &str,
    before_chat: impl FnOnce(),
) -> (bool, bool) {
    let t = Duration::from_secs(5);
    let mut helper = Ws::connect(base, ada).await;
    let mut sharer = Ws::connect(base, sam).await;
    let code = code_of(&mut helper).await;
    sharer
        .send(ClientMessage::Redeem {
            code,
            client: Client::Web,
            device: None,
        })
        .await;
    let helper_told = match helper
        .until(t, |m| matches!(m, ServerMessage::SharerJoined { .. }))
        .await
    {
        ServerMessage::SharerJoined { chat_kept, .. } => chat_kept,
        _ => unreachable!(),
    };
    let sharer_told = match sharer
        .until(t, |m| matches!(m, ServerMessage::Joined { .. }))
        .await
    {
        ServerMessage::Joined { chat_kept, .. } => chat_kept,
        _ => unreachable!(),
    };
    before_chat();
    for (from, text) in [(&mut helper, helper_says), (&mut sharer, sharer_says)] {
        from.send(ClientMessage::Chat { text: text.into() }).await;
        from.until(t, |m| matches!(m, ServerMessage::ChatMessage { .. }))
            .await;
    }
    sharer.send(ClientMessage::Leave).await;
    helper
        .until(t, |m| matches!(m, ServerMessage::Ended { .. }))
        .await;
    (helper_told, sharer_told)
}

pub(crate) fn all_rows(
    rt: &tokio::runtime::Runtime,
    url: &str,
) -> Vec<glass_broker::audit::chain::Row> {
    rt.block_on(async {
        let store = AuditStore::open(url).await.unwrap();
        let mut rows = Vec::new();
        store
            .walk(|_, page| {
                rows.extend_from_slice(page);
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        store.close().await;
        rows
    })
}

fn chat_transcripts_are_kept_only_where_the_tenant_says_so(db: &dyn Fn(&str) -> String) {
    let url = db("transcripts");
    let broker = TestBroker::start(BrokerConfig {
        audit_db: Some(url.clone().into()),
        policy: std::sync::Arc::new(
            glass_session::policy::Policy::parse(TRANSCRIPTS, "policy.toml").unwrap(),
        ),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    // Arabic, an emoji with a skin tone, and a decomposed é (kept composed: NFC).
    let kept_text = "مرحبا، هل تراني؟ 👋🏽 cafe\u{301}";
    let kept_nfc = "مرحبا، هل تراني؟ 👋🏽 caf\u{e9}";
    let (ada, sam, eve) = broker.rt.block_on(async {
        let (ada, sam, eve) = (
            login(&base, "ada").await,
            login(&base, "sam").await,
            login(&base, "eve").await,
        );
        let told = chat_session(&base, &ada, &sam, kept_text, "=SUM(A1) 你好").await;
        assert_eq!(told, (true, true), "both sides are told their chat is kept");
        (ada, sam, eve)
    });
    // Off by a reload while the second session runs: its lines from then on keep nothing.
    let secret = "كلمة السر zebra-9731 🔑";
    broker.rt.block_on(async {
        chat_session_with(&base, &ada, &sam, secret, "ok", || {
            broker.policy.reload(
                glass_session::policy::Policy::parse(
                    &TRANSCRIPTS.replace(
                        "keep_chat_transcripts = true",
                        "keep_chat_transcripts = false",
                    ),
                    "policy.toml",
                )
                .unwrap(),
            );
        })
        .await;
        assert!(broker.audit.flush().await);
    });

    let rows = all_rows(&broker.rt, &url);
    let sessions: Vec<String> = rows
        .iter()
        .filter(|r| r.entry.code == 100)
        .filter_map(|r| r.entry.session.clone())
        .collect();
    assert_eq!(sessions.len(), 2);
    let chats: Vec<&str> = rows
        .iter()
        .filter(|r| r.entry.code == 500)
        .map(|r| r.entry.detail.as_str())
        .collect();
    assert_eq!(chats.len(), 4, "{chats:?}");
    assert!(chats[0].contains(kept_nfc), "{}", chats[0]);
    // Off: the chat rows are what they always were, and the text is in no stored field.
    assert_eq!(&chats[2..], [r#"{"seq":1}"#, r#"{"seq":2}"#]);
    for r in &rows {
        let all = format!("{r:?}");
        assert!(
            !all.contains("zebra-9731") && !all.contains("كلمة السر"),
            "{all}"
        );
    }
    // SQLite: nor in the files' bytes (database and write-ahead log, free pages included),
    // where the kept line is found, so the scan can see text.
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap();
        let mut bytes = std::fs::read(path).unwrap();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        let holds = |text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
        assert!(holds(kept_nfc), "the scan finds the kept line");
        assert!(!holds("zebra-9731") && !holds("كلمة السر"), "{path}");
    }

    broker.rt.block_on(async {
        let get = |cookie: String, path: String| {
            let base = base.clone();
            async move {
                reqwest::Client::new()
                    .get(format!("{base}{path}"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let path = |s: &str, q: &str| format!("/api/reports/sessions/{s}/transcript{q}");
        let r = get(eve.clone(), path(&sessions[0], "")).await;
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        let lines = v["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 2, "{v}");
        assert_eq!(
            (
                lines[0]["name"].as_str(),
                lines[0]["from"].as_str(),
                lines[0]["text"].as_str()
            ),
            (Some("Ada Lovelace"), Some("helper"), Some(kept_nfc))
        );
        assert_eq!(lines[1]["name"].as_str(), Some("Sam Taylor"));
        assert_eq!(lines[1]["text"].as_str(), Some("=SUM(A1) 你好"));
        let r = get(eve.clone(), path(&sessions[0], "?format=csv")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let csv = r.text().await.unwrap();
        assert!(
            csv.contains(&format!(",Ada Lovelace,yes,{kept_nfc}\r\n")),
            "{csv}"
        );
        assert!(csv.contains(",Sam Taylor,yes,'=SUM(A1) 你好\r\n"), "{csv}");
        // Not kept: the lines are listed (something was said, and when), without text.
        let v: serde_json::Value = serde_json::from_str(
            &get(eve.clone(), path(&sessions[1], ""))
                .await
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(v["lines"].as_array().unwrap().len(), 2, "{v}");
        assert!(v["lines"][0]["text"].is_null(), "{v}");
        // Refused: no view_reports (ada helps, sam is helped), not signed in; bad input.
        assert_eq!(get(ada.clone(), path(&sessions[0], "")).await.status(), 403);
        assert_eq!(get(sam.clone(), path(&sessions[0], "")).await.status(), 403);
        assert_eq!(
            get(String::new(), path(&sessions[0], "")).await.status(),
            401
        );
        assert_eq!(get(eve.clone(), path("nothex", "")).await.status(), 400);
        assert_eq!(
            get(eve.clone(), path(&sessions[0], "?format=xml"))
                .await
                .status(),
            400
        );
        // An unknown session reads as an empty transcript (so does another tenant's).
        let r = get(eve.clone(), path("00000000000000ff", "")).await;
        assert_eq!(
            r.text().await.unwrap(),
            r#"{"session":"00000000000000ff","lines":[]}"#
        );
        // The page learns whether to show its reports link.
        let me = |cookie: String| get(cookie, "/api/me".into());
        let v: serde_json::Value =
            serde_json::from_str(&me(eve.clone()).await.text().await.unwrap()).unwrap();
        assert_eq!(v["may_view_reports"], true, "{v}");
        let v: serde_json::Value =
            serde_json::from_str(&me(ada.clone()).await.text().await.unwrap()).unwrap();
        assert!(v.get("may_view_reports").is_none(), "{v}");
    });
    drop(broker);
    // The kept text is covered by the chain like every other field.
    let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
    assert!(ok, "{err}");
    assert!(out.contains("intact:"), "{out}");
    // The CLI reads the same transcript.
    let (ok, out, err) = glass_audit(&["transcript", "--db", &url, "--session", &sessions[0]]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("session,seq,at,from,user_id,name,kept,text\r\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(",Ada Lovelace,yes,{kept_nfc}\r\n")),
        "{out}"
    );
    let (ok, _, err) = glass_audit(&["transcript", "--db", &url, "--session", "x"]);
    assert!(!ok && err.contains("--session"), "{err}");
    let chat_seq = rows.iter().find(|r| r.entry.code == 500).unwrap().seq;
    broker_free_tamper(&url, chat_seq);
    assert_broken_at(&url, chat_seq, "edited");
}

/// Edits the kept text of row `seq` behind the writer's back.
fn broker_free_tamper(url: &str, seq: i64) {
    runtime().block_on(tamper(
        url,
        &format!(
            "UPDATE audit_events SET detail = replace(detail, 'caf', 'cof') WHERE seq = {seq}"
        ),
    ));
}

/// Brokers sharing one database (several brokers behind a load balancer) append at the same
/// time: the head lock makes them take turns, and the trail is one unbroken chain.
fn several_writers_build_one_chain(db: &dyn Fn(&str) -> String) {
    let rt = runtime();
    let url = db("writers");
    rt.block_on(async {
        let stores = [
            AuditStore::open(&url).await.unwrap(),
            AuditStore::open(&url).await.unwrap(),
            AuditStore::open(&url).await.unwrap(),
        ];
        let write = |store: &AuditStore, w: i64| {
            let store = store.clone();
            async move {
                for batch in 0..20 {
                    let entries: Vec<Entry> = (0..10)
                        .map(|i| entry(1_765_000_000_000 + batch * 1000 + i, w * 1000 + i))
                        .collect();
                    store.append(&entries).await.unwrap();
                }
            }
        };
        tokio::join!(
            write(&stores[0], 0),
            write(&stores[1], 1),
            write(&stores[2], 2)
        );
        assert_eq!(stores[0].head().await.unwrap().seq, 600);
    });
    let (ok, out, err) = glass_audit(&["verify", "--db", &url]);
    assert!(ok, "{out}{err}");
}

fn suite(db: &dyn Fn(&str) -> String) {
    several_writers_build_one_chain(db);
    a_help_session_leaves_its_rows_and_its_report(db);
    chat_transcripts_are_kept_only_where_the_tenant_says_so(db);
    tampering_is_found_at_the_row(db);
    retention_prunes_on_a_fake_clock(db);
}

#[test]
fn audit_on_sqlite() {
    let dir = SqliteDir::new();
    suite(&|name| dir.database(name));
}

#[test]
fn audit_on_postgres() {
    let Some(pg) = Postgres::start().expect("PostgreSQL") else {
        eprintln!("SKIPPED: no PostgreSQL in {PG_BIN} (apt-get install postgresql)");
        return;
    };
    suite(&|name| pg.database(name).expect("createdb"));
}

#[test]
fn audit_cli_names_bad_input() {
    let (ok, _, err) = glass_audit(&["verify", "--db", "mysql://x@y/z"]);
    assert!(
        !ok && err.contains("audit_db") && err.contains("--db"),
        "{err}"
    );
    let (ok, _, err) = glass_audit(&["verify", "--db", "sqlite:///nonexistent/trail.db"]);
    assert!(
        !ok && err.contains("--db") && err.contains("no such file"),
        "{err}"
    );
    let dir = SqliteDir::new();
    let url = dir.database("cli");
    runtime().block_on(async { ten_rows(&url, 1_765_000_000_000).await.close().await });
    let (ok, _, err) = glass_audit(&["verify", "--db", &url, "--expect", "5:nothex"]);
    assert!(!ok && err.contains("--expect"), "{err}");
    let (ok, _, err) = glass_audit(&["report", "--db", &url, "--from", "2024-02-30"]);
    assert!(!ok && err.contains("--from"), "{err}");
    let (ok, _, err) = glass_audit(&["report", "--db", &url, "--format", "xml"]);
    assert!(!ok && err.contains("--format"), "{err}");
    // An anchor recorded outside the database catches a rewrite of everything after it.
    let head = runtime().block_on(async {
        let store = AuditStore::open(&url).await.unwrap();
        let rows = {
            let mut rows = Vec::new();
            store
                .walk(|_, p| {
                    rows.extend_from_slice(p);
                    std::ops::ControlFlow::Continue(())
                })
                .await
                .unwrap();
            rows
        };
        store.close().await;
        Head {
            seq: 5,
            hash: rows[4].hash.clone(),
        }
    });
    let anchor = format!("{}:{}", head.seq, head.hash);
    let (ok, _, err) = glass_audit(&["verify", "--db", &url, "--expect", &anchor]);
    assert!(ok, "{err}");
    let wrong = format!("5:{}", "0".repeat(64));
    let (ok, _, err) = glass_audit(&["verify", "--db", &url, "--expect", &wrong]);
    assert!(!ok && err.contains("broken at seq 5: rewritten"), "{err}");
}
