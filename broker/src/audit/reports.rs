//! Reports: one line per help session (helper, sharer, device, start, end, level, how it
//! ended), derived from the trail's rows; filters; CSV and JSON export; a session's chat
//! transcript where its tenant keeps them. Pure but for [`sessions`] and
//! [`session_transcript`], which read the store.
//!
//! The rows hold no screen content or keystrokes, so neither can a report; chat text only
//! where the tenant keeps transcripts.

use std::collections::HashMap;

use serde::Serialize;

use super::chain::Row;
use super::store::{AuditStore, StoreError};

/// One help session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    /// Session id (16 hex digits).
    pub session: String,
    /// Tenant.
    pub tenant: String,
    /// The helper's user id.
    pub helper_id: String,
    /// The helper's name at the time.
    pub helper: String,
    /// The sharer's user id (empty: nobody redeemed the code).
    pub sharer_id: String,
    /// The sharer's name at the time.
    pub sharer: String,
    /// `agent` or `web`.
    pub client: String,
    /// The sharer's device id, where the agent has a device identity.
    pub device_id: String,
    /// The device's name at the time.
    pub device: String,
    /// Start (the code was issued), Unix ms.
    pub start: i64,
    /// End, Unix ms (`None`: still running, or its end is not in the trail).
    pub end: Option<i64>,
    /// The highest level granted: `view`, `full`, or empty (nothing was allowed).
    pub level: String,
    /// How it ended: `left`, `lost`, `stopped`, `expired`.
    pub end_reason: String,
    /// Who ended it: `helper`, `sharer` or `broker`.
    pub ended_by: String,
    /// Chat lines relayed in the session.
    pub chat_lines: u64,
    /// Whether any line's text was kept (the tenant keeps transcripts): its transcript has
    /// text.
    pub chat_kept: bool,
}

/// What to report on. Every field narrows; none set is everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only this tenant (the HTTP layer sets the viewer's).
    pub tenant: Option<String>,
    /// A person taking part, as helper or sharer: user id, or name (case-insensitive).
    pub user: Option<String>,
    /// A device: id or name (case-insensitive).
    pub device: Option<String>,
    /// Sessions starting at or after this, Unix ms.
    pub from: Option<i64>,
    /// Sessions starting before this, Unix ms.
    pub to: Option<i64>,
}

/// A filter value that is not acceptable: names the field and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FilterError {
    /// The field (`user`, `device`, `from`, `to`, `format`).
    pub field: &'static str,
    /// What is allowed.
    pub reason: String,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV, formula-neutralised.
    Csv,
    /// A JSON array of [`SessionRow`].
    Json,
}

impl Format {
    /// `csv` or `json`.
    pub fn parse(s: &str) -> Result<Format, FilterError> {
        match s {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(FilterError {
                field: "format",
                reason: format!("{:?} is not csv or json", truncate(other)),
            }),
        }
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

impl ReportFilter {
    /// Builds a filter from text (query string or CLI flags). Dates: `YYYY-MM-DD` (UTC;
    /// as `to`, the whole day is included), `YYYY-MM-DDTHH:MM:SSZ`, or Unix ms.
    pub fn parse(
        user: Option<&str>,
        device: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<ReportFilter, FilterError> {
        let name = |field, v: Option<&str>| -> Result<Option<String>, FilterError> {
            match v.map(str::trim) {
                None | Some("") => Ok(None),
                Some(v) if v.len() > 256 || v.chars().any(char::is_control) => Err(FilterError {
                    field,
                    reason: "at most 256 characters, no control characters".into(),
                }),
                Some(v) => Ok(Some(v.to_owned())),
            }
        };
        let from = match from.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(parse_time(s, false).map_err(|reason| FilterError {
                field: "from",
                reason,
            })?),
        };
        let to = match to.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(parse_time(s, true).map_err(|reason| FilterError {
                field: "to",
                reason,
            })?),
        };
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err(FilterError {
                field: "to",
                reason: "must be after from".into(),
            });
        }
        Ok(ReportFilter {
            tenant: None,
            user: name("user", user)?,
            device: name("device", device)?,
            from,
            to,
        })
    }

    fn keeps(&self, s: &SessionRow) -> bool {
        let same = |a: &str, b: &str| !a.is_empty() && a.to_lowercase() == b.to_lowercase();
        self.tenant.as_ref().is_none_or(|t| *t == s.tenant)
            && self.user.as_ref().is_none_or(|u| {
                u == &s.helper_id || u == &s.sharer_id || same(&s.helper, u) || same(&s.sharer, u)
            })
            && self
                .device
                .as_ref()
                .is_none_or(|d| d == &s.device_id || same(&s.device, d))
            && self.from.is_none_or(|f| s.start >= f)
            && self.to.is_none_or(|t| s.start < t)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const DAY_MS: i64 = 86_400_000;

/// Parses a time (see [`ReportFilter::parse`]); `end_of_day`: a bare date means its end.
pub fn parse_time(s: &str, end_of_day: bool) -> Result<i64, String> {
    const WHAT: &str = "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or Unix milliseconds";
    let s = s.trim();
    if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().map_err(|_| WHAT.to_owned());
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date = (b.len() == 10 || b.len() == 20) && b[4] == b'-' && b[7] == b'-';
    let (Some(y), Some(mo), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(WHAT.to_owned());
    };
    let days_in = |y: i64, m: i64| match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !date || !(1..=12).contains(&mo) || d < 1 || d > days_in(y, mo) {
        return Err(WHAT.to_owned());
    }
    let day = days_from_civil(y, mo, d) * DAY_MS;
    if b.len() == 10 {
        return Ok(if end_of_day { day + DAY_MS } else { day });
    }
    if b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return Err(WHAT.to_owned());
    }
    let (Some(h), Some(mi), Some(sec)) = (num(11..13), num(14..16), num(17..19)) else {
        return Err(WHAT.to_owned());
    };
    if h > 23 || mi > 59 || sec > 59 {
        return Err(WHAT.to_owned());
    }
    Ok(day + ((h * 60 + mi) * 60 + sec) * 1000)
}

/// Unix ms as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format_time(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let (y, m, d) = civil_from_days(days);
    let (s, milli) = (rem / 1000, rem % 1000);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn field(detail: &serde_json::Value, key: &str) -> String {
    detail
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Derives sessions from rows in seq order (rows without a session are skipped).
pub fn derive(rows: &[Row]) -> Vec<SessionRow> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, SessionRow> = HashMap::new();
    for row in rows {
        let Some(id) = &row.entry.session else {
            continue;
        };
        let e = &row.entry;
        let s = by_id.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            SessionRow {
                session: id.clone(),
                tenant: e.tenant.clone(),
                start: e.at,
                ..SessionRow::default()
            }
        });
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
        if e.actor_kind == "helper" && s.helper_id.is_empty() {
            s.helper_id.clone_from(&e.actor_id);
            s.helper.clone_from(&e.actor_name);
        }
        match e.code {
            100 => {
                s.start = e.at;
                if s.tenant.is_empty() {
                    s.tenant.clone_from(&e.tenant);
                }
            }
            200 => {
                s.sharer_id.clone_from(&e.actor_id);
                s.sharer.clone_from(&e.actor_name);
                s.client = field(&detail, "client");
                s.device_id = field(&detail, "device_id");
                s.device = field(&detail, "device_name");
            }
            400 => {
                let to = field(&detail, "to");
                // The highest level granted during the session.
                if to == "full" || s.level.is_empty() {
                    s.level = to;
                }
            }
            500 => {
                s.chat_lines += 1;
                s.chat_kept |= detail.get("text").is_some_and(|t| t.is_string());
            }
            900 => {
                s.end = Some(e.at);
                s.end_reason = field(&detail, "reason");
                s.ended_by.clone_from(&e.actor_kind);
            }
            _ => {}
        }
    }
    order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect()
}

/// Sessions matching `filter`, oldest first.
pub async fn sessions(
    store: &AuditStore,
    filter: &ReportFilter,
) -> Result<Vec<SessionRow>, StoreError> {
    // A session's rows start at its code: a day's margin finds the start of sessions that
    // began just before `from` (codes live at most a day), which the filter then drops.
    let since = filter.from.map_or(i64::MIN, |f| f.saturating_sub(DAY_MS));
    let rows = store.rows_since(since).await?;
    Ok(derive(&rows)
        .into_iter()
        .filter(|s| filter.keeps(s))
        .collect())
}

/// One chat line of a session's transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptLine {
    /// The chat line's `seq` within its session (1, 2, 3…).
    pub seq: u64,
    /// When it was relayed, Unix ms.
    pub at: i64,
    /// Who wrote it: `helper` or `sharer`.
    pub from: String,
    /// Their user id.
    pub user_id: String,
    /// Their name at the time.
    pub name: String,
    /// The text as relayed (NFC), or `None` where the tenant did not keep it: the line is
    /// still listed, so a transcript shows that something was said and when.
    pub text: Option<String>,
}

/// A session's transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Transcript {
    /// Session id (16 hex digits).
    pub session: String,
    /// Chat lines in order.
    pub lines: Vec<TranscriptLine>,
}

/// Whether `s` is a session id as stored: 16 lowercase hex digits.
pub fn is_session_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The transcript of `session` from its rows (any order of other sessions' rows is
/// ignored). With `tenant` set, a session of another tenant gives an empty transcript, the
/// same answer as an unknown session, so its existence is not told.
pub fn transcript(rows: &[Row], session: &str, tenant: Option<&str>) -> Transcript {
    let rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.entry.session.as_deref() == Some(session))
        .collect();
    let mut out = Transcript {
        session: session.to_owned(),
        lines: Vec::new(),
    };
    // The session's tenant is its code's (the helper's); rows are in seq order.
    let owner = rows
        .iter()
        .find(|r| r.entry.code == 100)
        .or(rows.first())
        .map(|r| r.entry.tenant.as_str());
    if tenant.is_some_and(|t| owner != Some(t)) {
        return out;
    }
    for r in rows.iter().filter(|r| r.entry.code == 500) {
        let detail: serde_json::Value = serde_json::from_str(&r.entry.detail).unwrap_or_default();
        out.lines.push(TranscriptLine {
            seq: detail.get("seq").and_then(|v| v.as_u64()).unwrap_or(0),
            at: r.entry.at,
            from: r.entry.actor_kind.clone(),
            user_id: r.entry.actor_id.clone(),
            name: r.entry.actor_name.clone(),
            text: detail
                .get("text")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        });
    }
    out
}

/// The transcript of `session` (16 hex digits), limited to `tenant` when given.
pub async fn session_transcript(
    store: &AuditStore,
    session: &str,
    tenant: Option<&str>,
) -> Result<Transcript, StoreError> {
    let rows = store.session_rows(session).await?;
    Ok(transcript(&rows, session, tenant))
}

/// The transcript as CSV (same rules as [`to_csv`]): `session,seq,at,from,user_id,name,
/// kept,text`; `kept` is `yes` or `no` (then `text` is empty).
pub fn transcript_to_csv(t: &Transcript) -> String {
    let mut out = String::from("session,seq,at,from,user_id,name,kept,text\r\n");
    for l in &t.lines {
        let cells = [
            t.session.clone(),
            l.seq.to_string(),
            format_time(l.at),
            l.from.clone(),
            l.user_id.clone(),
            l.name.clone(),
            if l.text.is_some() { "yes" } else { "no" }.to_owned(),
            l.text.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The transcript as JSON: `{"session":…,"lines":[{seq, at, from, user_id, name, text}]}`.
pub fn transcript_to_json(t: &Transcript) -> String {
    serde_json::to_string(t).unwrap_or_else(|_| "{}".to_owned())
}

/// One CSV cell: formula-neutralised (a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`),
/// then quoted per RFC 4180 when it holds a comma, a quote, CR or LF.
pub fn csv_cell(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.push('\'');
    }
    v.push_str(value);
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The CSV export: a header line, then one line per session, CRLF line ends.
pub fn to_csv(rows: &[SessionRow]) -> String {
    let mut out = String::from(
        "session,tenant,helper_id,helper,sharer_id,sharer,client,device_id,device,start,end,\
         level,end_reason,ended_by,chat_lines,chat_kept\r\n",
    );
    for s in rows {
        let start = format_time(s.start);
        let end = s.end.map(format_time).unwrap_or_default();
        let chat_lines = s.chat_lines.to_string();
        let chat_kept = if s.chat_kept { "yes" } else { "no" }.to_owned();
        let cells = [
            &s.session,
            &s.tenant,
            &s.helper_id,
            &s.helper,
            &s.sharer_id,
            &s.sharer,
            &s.client,
            &s.device_id,
            &s.device,
            &start,
            &end,
            &s.level,
            &s.end_reason,
            &s.ended_by,
            &chat_lines,
            &chat_kept,
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The JSON export: an array of [`SessionRow`].
pub fn to_json(rows: &[SessionRow]) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::chain::{Entry, Head, seal};

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        assert_eq!(csv_cell("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(csv_cell("Lovelace, Ada"), "\"Lovelace, Ada\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\r\nlines"), "\"two\r\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell(""), "");
        let csv = to_csv(&[SessionRow {
            helper: "=cmd|' /C calc'!A0".into(),
            start: 0,
            ..SessionRow::default()
        }]);
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains(",'=cmd|' /C calc'!A0,"), "{line}");
        assert!(line.contains("1970-01-01T00:00:00.000Z"), "{line}");
        assert!(csv.ends_with("\r\n"));
    }

    #[test]
    fn times_parse_and_format() {
        assert_eq!(parse_time("1970-01-02", false), Ok(DAY_MS));
        assert_eq!(parse_time("1970-01-01", true), Ok(DAY_MS));
        assert_eq!(
            parse_time("2000-03-01T00:00:01Z", false),
            Ok(951_868_801_000)
        );
        assert_eq!(parse_time("1765000000000", false), Ok(1_765_000_000_000));
        for bad in [
            "",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-01-01T25:00:00Z",
            "2024-01-01 00:00:00",
            "yesterday",
            "2024-01-01T00:00:00+01:00",
            "-5",
            "١٩٧٠-01-01",
            "2024-1-01",
        ] {
            assert!(parse_time(bad, false).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_time("2024-02-29", false).map(format_time).unwrap(),
            "2024-02-29T00:00:00.000Z"
        );
        assert_eq!(format_time(951_868_801_234), "2000-03-01T00:00:01.234Z");
        assert_eq!(format_time(-1), "1969-12-31T23:59:59.999Z");
        let e =
            ReportFilter::parse(None, None, Some("2024-02-01"), Some("2024-01-01")).unwrap_err();
        assert_eq!(e.field, "to");
        assert_eq!(
            ReportFilter::parse(None, None, Some("x"), None)
                .unwrap_err()
                .field,
            "from"
        );
        assert_eq!(Format::parse("xml").unwrap_err().field, "format");
    }

    fn row(
        head: &mut Head,
        at: i64,
        kind: &str,
        who: (&str, &str),
        code: i64,
        detail: &str,
    ) -> Row {
        let r = seal(
            head,
            Entry {
                at,
                tenant: "local".into(),
                actor_kind: kind.into(),
                actor_id: who.0.into(),
                actor_name: who.1.into(),
                source: None,
                session: Some("00000000000000ab".into()),
                code,
                name: String::new(),
                detail: detail.into(),
            },
        );
        *head = Head {
            seq: r.seq,
            hash: r.hash.clone(),
        };
        r
    }

    #[test]
    fn a_session_is_derived_from_its_rows() {
        let mut h = Head::genesis();
        let ada = ("local:ada", "Ada Lovelace");
        let sam = ("local:sam", "Sam Taylor");
        let rows = vec![
            row(&mut h, 10, "helper", ada, 100, r#"{"expires_at":99}"#),
            row(&mut h, 11, "sharer", sam, 102, "{}"),
            row(
                &mut h,
                12,
                "sharer",
                sam,
                200,
                r#"{"client":"agent","device_id":"d1","device_name":"LAPTOP-7"}"#,
            ),
            row(
                &mut h,
                13,
                "sharer",
                sam,
                400,
                r#"{"from":null,"to":"view"}"#,
            ),
            row(
                &mut h,
                14,
                "sharer",
                sam,
                400,
                r#"{"from":"view","to":"full"}"#,
            ),
            row(
                &mut h,
                15,
                "sharer",
                sam,
                400,
                r#"{"from":"full","to":"view"}"#,
            ),
            row(&mut h, 15, "helper", ada, 500, r#"{"seq":1}"#),
            row(&mut h, 15, "sharer", sam, 500, r#"{"seq":2,"text":"ok"}"#),
            row(&mut h, 16, "sharer", sam, 900, r#"{"reason":"left"}"#),
        ];
        let got = derive(&rows);
        assert_eq!(
            got,
            [SessionRow {
                session: "00000000000000ab".into(),
                tenant: "local".into(),
                helper_id: ada.0.into(),
                helper: ada.1.into(),
                sharer_id: sam.0.into(),
                sharer: sam.1.into(),
                client: "agent".into(),
                device_id: "d1".into(),
                device: "LAPTOP-7".into(),
                start: 10,
                end: Some(16),
                level: "full".into(),
                end_reason: "left".into(),
                ended_by: "sharer".into(),
                chat_lines: 2,
                chat_kept: true,
            }]
        );
        let keep = |f: ReportFilter| got.iter().filter(|s| f.keeps(s)).count();
        assert_eq!(
            keep(ReportFilter::parse(Some("sam taylor"), None, None, None).unwrap()),
            1
        );
        assert_eq!(
            keep(ReportFilter::parse(Some("local:ada"), None, None, None).unwrap()),
            1
        );
        assert_eq!(
            keep(ReportFilter::parse(Some("eve"), None, None, None).unwrap()),
            0
        );
        assert_eq!(
            keep(ReportFilter::parse(None, Some("laptop-7"), None, None).unwrap()),
            1
        );
        assert_eq!(
            keep(ReportFilter::parse(None, None, Some("11"), None).unwrap()),
            0
        );
        assert_eq!(
            keep(ReportFilter {
                tenant: Some("other".into()),
                ..ReportFilter::default()
            }),
            0
        );
        // Rows that are input: garbage detail derives blanks, never a panic.
        let junk = row(&mut h, 1, "sharer", sam, 200, "not json");
        assert_eq!(derive(&[junk])[0].client, "");
        let json = to_json(&got);
        assert!(
            json.starts_with(r#"[{"session":"00000000000000ab""#),
            "{json}"
        );
    }

    #[test]
    fn a_transcript_lists_chat_lines_kept_or_not() {
        let mut h = Head::genesis();
        let ada = ("local:ada", "Ada Lovelace");
        let sam = ("local:sam", "Sam Taylor");
        let rows = vec![
            row(&mut h, 10, "helper", ada, 100, r#"{"expires_at":99}"#),
            row(&mut h, 12, "sharer", sam, 200, r#"{"client":"web"}"#),
            row(
                &mut h,
                13,
                "helper",
                ada,
                500,
                r#"{"seq":1,"text":"=1+1, \"مرحبا\" 👋"}"#,
            ),
            // Written before transcripts were on (or by a tenant that keeps none).
            row(&mut h, 14, "sharer", sam, 500, r#"{"seq":2}"#),
            row(&mut h, 16, "sharer", sam, 900, r#"{"reason":"left"}"#),
        ];
        let t = transcript(&rows, "00000000000000ab", Some("local"));
        assert_eq!(
            t.lines,
            [
                TranscriptLine {
                    seq: 1,
                    at: 13,
                    from: "helper".into(),
                    user_id: ada.0.into(),
                    name: ada.1.into(),
                    text: Some("=1+1, \"مرحبا\" 👋".into()),
                },
                TranscriptLine {
                    seq: 2,
                    at: 14,
                    from: "sharer".into(),
                    user_id: sam.0.into(),
                    name: sam.1.into(),
                    text: None,
                },
            ]
        );
        let csv = transcript_to_csv(&t);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "session,seq,at,from,user_id,name,kept,text");
        assert_eq!(
            lines[1],
            "00000000000000ab,1,1970-01-01T00:00:00.013Z,helper,local:ada,Ada Lovelace,yes,\
             \"'=1+1, \"\"مرحبا\"\" 👋\""
        );
        assert!(lines[2].ends_with(",Sam Taylor,no,"), "{}", lines[2]);
        let json = transcript_to_json(&t);
        assert!(json.contains(r#""text":null"#), "{json}");
        // Another tenant's session reads as an unknown one.
        assert_eq!(
            transcript(&rows, "00000000000000ab", Some("other")).lines,
            []
        );
        assert_eq!(transcript(&rows, "00000000000000cd", None).lines, []);
        assert!(is_session_id("00000000000000ab"));
        for bad in [
            "00000000000000AB",
            "abc",
            "00000000000000ag",
            "../../etc/passwd00",
        ] {
            assert!(!is_session_id(bad), "{bad}");
        }
    }
}
