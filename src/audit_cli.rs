//! `glass audit verify`, `glass audit report` and `glass audit transcript`: read the
//! broker's audit trail.

use std::io::Write;

use anyhow::{Context, bail};
use glass_broker::audit::reports::{self, Format, ReportFilter};
use glass_broker::audit::{AuditStore, Head};

#[derive(clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    action: AuditAction,
}

#[derive(clap::Subcommand)]
enum AuditAction {
    /// Walk the hash chain: exit 0 with a summary when intact, non-zero naming the first bad
    /// row (edited, deleted, inserted) otherwise.
    Verify(VerifyArgs),
    /// Help sessions from the trail (helper, sharer, device, start, end, level, end), as CSV
    /// or JSON on standard output.
    Report(ReportArgs),
    /// One session's chat lines (their text where the tenant keeps transcripts), as CSV or
    /// JSON on standard output.
    Transcript(TranscriptArgs),
}

#[derive(clap::Args)]
struct DbArg {
    /// The audit database: sqlite://PATH or postgres://USER@HOST:PORT/DB (a password is
    /// better given in $GLASS_AUDIT_DB than on the command line).
    #[arg(long, env = "GLASS_AUDIT_DB", hide_env_values = true)]
    db: String,
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    db: DbArg,
    /// A row recorded outside the database (the broker logs `audit head` hourly): SEQ:HASH.
    /// The trail must still hold it unchanged, unless it was pruned.
    #[arg(long, value_name = "SEQ:HASH")]
    expect: Option<String>,
}

#[derive(clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    db: DbArg,
    /// csv or json.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Only sessions with this person (user id or name) as helper or sharer.
    #[arg(long)]
    user: Option<String>,
    /// Only sessions on this device (id or name).
    #[arg(long)]
    device: Option<String>,
    /// Sessions starting on or after: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or Unix ms.
    #[arg(long)]
    from: Option<String>,
    /// Sessions starting before (a bare date includes that day).
    #[arg(long)]
    to: Option<String>,
    /// Only this tenant.
    #[arg(long)]
    tenant: Option<String>,
}

#[derive(clap::Args)]
struct TranscriptArgs {
    #[command(flatten)]
    db: DbArg,
    /// The session: 16 hex digits, as in the report's `session` column.
    #[arg(long)]
    session: String,
    /// csv or json.
    #[arg(long, default_value = "csv")]
    format: String,
}

fn parse_expect(s: &str) -> anyhow::Result<Head> {
    let bad =
        || anyhow::anyhow!("--expect: {s:?} is not SEQ:HASH (a positive number, 64 hex digits)");
    let (seq, hash) = s.split_once(':').ok_or_else(bad)?;
    let seq: i64 = seq.parse().map_err(|_| bad())?;
    if seq < 1 || hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(bad());
    }
    Ok(Head {
        seq,
        hash: hash.to_owned(),
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("runtime")
}

async fn open(db: &DbArg) -> anyhow::Result<AuditStore> {
    if db.db.starts_with("sqlite:") && !db.db.contains(":memory:") {
        // Reading must not create an empty trail where none was.
        let path = db
            .db
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or("");
        if !std::path::Path::new(path).exists() {
            bail!("--db: {path}: no such file");
        }
    }
    AuditStore::open(&db.db).await.context("--db")
}

pub fn audit(args: AuditArgs) -> anyhow::Result<()> {
    match args.action {
        AuditAction::Verify(a) => verify(a),
        AuditAction::Report(a) => report(a),
        AuditAction::Transcript(a) => transcript(a),
    }
}

fn verify(a: VerifyArgs) -> anyhow::Result<()> {
    let anchor = a.expect.as_deref().map(parse_expect).transpose()?;
    runtime()?.block_on(async move {
        let store = open(&a.db).await?;
        let outcome = store.verify(anchor).await.context("reading the trail")?;
        store.close().await;
        match outcome {
            Ok(s) => {
                let range = s
                    .range
                    .map_or("empty".to_owned(), |(a, b)| format!("seq {a}..={b}"));
                writeln!(
                    std::io::stdout(),
                    "audit trail intact: {} rows, {range}, head {}",
                    s.rows,
                    s.head_hash
                )?;
                Ok(())
            }
            Err(broken) => bail!("audit trail broken at {broken}"),
        }
    })
}

fn report(a: ReportArgs) -> anyhow::Result<()> {
    let format = Format::parse(&a.format).map_err(|e| anyhow::anyhow!("--{e}"))?;
    let mut filter = ReportFilter::parse(
        a.user.as_deref(),
        a.device.as_deref(),
        a.from.as_deref(),
        a.to.as_deref(),
    )
    .map_err(|e| anyhow::anyhow!("--{e}"))?;
    filter.tenant = a.tenant;
    runtime()?.block_on(async move {
        let store = open(&a.db).await?;
        let rows = reports::sessions(&store, &filter)
            .await
            .context("reading the trail")?;
        store.close().await;
        let text = match format {
            Format::Csv => reports::to_csv(&rows),
            Format::Json => reports::to_json(&rows) + "\n",
        };
        std::io::stdout().write_all(text.as_bytes())?;
        Ok(())
    })
}

fn transcript(a: TranscriptArgs) -> anyhow::Result<()> {
    let format = Format::parse(&a.format).map_err(|e| anyhow::anyhow!("--{e}"))?;
    if !reports::is_session_id(&a.session) {
        bail!("--session: {:?} is not 16 lowercase hex digits", a.session);
    }
    runtime()?.block_on(async move {
        let store = open(&a.db).await?;
        // Every tenant: whoever can read the database can read its rows anyway.
        let t = reports::session_transcript(&store, &a.session, None)
            .await
            .context("reading the trail")?;
        store.close().await;
        let text = match format {
            Format::Csv => reports::transcript_to_csv(&t),
            Format::Json => reports::transcript_to_json(&t) + "\n",
        };
        std::io::stdout().write_all(text.as_bytes())?;
        Ok(())
    })
}
