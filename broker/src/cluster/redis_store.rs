//! The Redis backend: several brokers behind a load balancer share codes, counters, session
//! snapshots, presence and pub/sub through one Redis (≥ 6.2, for `GETDEL`).
//!
//! Commands go through redis' `ConnectionManager` (one multiplexed connection, re-established
//! in the background after a drop), each bounded by [`StoreConfig::command_timeout`].
//! Compare-and-set and the failure window are Lua scripts, so each is one atomic step on the
//! server. Every subscription has a dedicated pub/sub connection driven by a task of its own
//! (see [`RedisStore::subscribe`]).

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig, PubSub};
use redis::{Client, ErrorKind, RedisError, RedisResult, Script, Value};
use tokio::sync::mpsc;
use tokio::time::timeout;

use super::keys;
use super::pubsub::{self, Channels, Control, Feed, SubEvent, Subscription};
use super::{Cas, StoreConfig, StoreError, StoreStats, Versioned};

/// The oldest server with every command used here (`GETDEL` came in 6.2).
const MIN_VERSION: (u32, u32, u32) = (6, 2, 0);

/// Requests to a subscription task that may wait before it takes them.
const CONTROL_QUEUE: usize = 16;

/// Compare-and-set of a session snapshot. KEYS[1]: the hash (`v` version, `s` snapshot);
/// ARGV: expected version (`""`: none, create only), snapshot, TTL in ms.
/// Returns `{1, new version}` or `{0[, current version]}`.
const STORE_SESSION: &str = r"
local cur = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if cur then return {0, cur} end
else
  if not cur then return {0} end
  if cur ~= ARGV[1] then return {0, cur} end
end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, v}
";

/// Removal of a session snapshot if at the expected version (ARGV[1]).
const REMOVE_SESSION: &str = r"
local cur = redis.call('HGET', KEYS[1], 'v')
if not cur then return {0} end
if cur ~= ARGV[1] then return {0, cur} end
redis.call('DEL', KEYS[1])
return {1, cur}
";

/// A failure counted in a window fixed by the first failure (works on 6.2, which has no
/// `PEXPIRE … NX`); a counter somehow left without a TTL gets one.
const COUNT_FAILURE: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
";

/// A batch of audit rows into the outbox stream (KEYS[1]) and its row count onto the
/// backlog counter (KEYS[2]), together. ARGV: rows in the batch, the batch. Returns the id.
const OUTBOX_PUSH: &str = r"
local id = redis.call('XADD', KEYS[1], '*', 'n', ARGV[1], 'r', ARGV[2])
redis.call('INCRBY', KEYS[2], ARGV[1])
return id
";

/// Removes written batches from the outbox (KEYS[1]) and their rows from the backlog counter
/// (KEYS[2]); a batch another drainer removed already is not subtracted twice. ARGV: id,
/// rows, id, rows, ... Returns the rows subtracted.
const OUTBOX_ACK: &str = r"
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then n = n + tonumber(ARGV[i + 1]) end
end
if n > 0 then redis.call('DECRBY', KEYS[2], n) end
return n
";

/// Takes or keeps the drainer's lease (KEYS[1]) for ARGV[1] for ARGV[2] ms: 1 if it is
/// ARGV[1]'s now, 0 if another broker holds it.
const OUTBOX_LEAD: &str = r"
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
elseif v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
";

/// Gives the drainer's lease (KEYS[1]) up if ARGV[1] holds it: 1 if it did.
const OUTBOX_UNLEAD: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// One entry of the audit outbox as read: its stream id, and its rows' count and bytes
/// (`None` when the entry does not have that shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutboxEntry {
    pub id: String,
    pub batch: Option<(u64, Vec<u8>)>,
}

/// An `XRANGE` reply as outbox entries; an entry without an id is skipped (nothing could
/// remove it), one without `n` and `r` is kept with `batch: None`.
pub(crate) fn parse_outbox(reply: &Value) -> Vec<OutboxEntry> {
    let text = |v: &Value| match v {
        Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        _ => None,
    };
    let Value::Array(entries) = reply else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let Value::Array(parts) = e else { return None };
            let id = text(parts.first()?)?;
            let (mut n, mut r) = (None, None);
            if let Some(Value::Array(fields)) = parts.get(1) {
                for pair in fields.chunks(2) {
                    match (pair.first().and_then(text).as_deref(), pair.get(1)) {
                        (Some("n"), Some(v)) => n = as_u64(v),
                        (Some("r"), Some(Value::BulkString(b))) => r = Some(b.clone()),
                        _ => {}
                    }
                }
            }
            Some(OutboxEntry {
                id,
                batch: n.zip(r),
            })
        })
        .collect()
}

/// A Redis URL, checked: `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` or `rediss://…` (TLS).
/// Its `Debug` and `Display` hide the password, and errors never contain it.
#[derive(Clone)]
pub struct RedisUrl {
    raw: String,
    redacted: String,
    /// The password as written and decoded, to scrub from error text.
    secrets: Vec<String>,
}

impl RedisUrl {
    /// Checks `url`; the error names the `redis_url` field and never contains the password.
    pub fn parse(url: &str) -> Result<RedisUrl, StoreError> {
        let bad = |detail: String| StoreError::Config {
            field: "redis_url",
            detail: format!(
                "{detail}; expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or rediss://…"
            ),
        };
        let parsed = url::Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
        let mut secrets = Vec::new();
        if let Some(password) = parsed.password() {
            secrets.push(password.to_owned());
            if let Ok(decoded) = percent_decode(password) {
                secrets.push(decoded);
            }
        }
        secrets.retain(|s| !s.is_empty());
        let scrub = |text: String| scrub(text, &secrets);
        if !matches!(parsed.scheme(), "redis" | "rediss") {
            return Err(bad(format!("scheme {:?}", parsed.scheme())));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad("no host".into()));
        }
        let db = parsed.path().trim_start_matches('/');
        if !db.is_empty() && db.parse::<u16>().is_err() {
            return Err(bad(scrub(format!("database {db:?} is not a number"))));
        }
        // The subscription task speaks RESP2 pub/sub (redis-rs `PubSub`).
        if parsed
            .query_pairs()
            .any(|(k, v)| k == "protocol" && v != "resp2")
        {
            return Err(bad("protocol: only RESP2 (the default) is supported".into()));
        }
        // What the client itself refuses (options in the query, say).
        Client::open(url).map_err(|e| bad(scrub(format!("refused: {e}"))))?;
        let mut shown = parsed.clone();
        if parsed.password().is_some() {
            // Cannot fail: the URL has a host, so it can have a password.
            let _ = shown.set_password(Some("***"));
        }
        shown.set_query(None);
        shown.set_fragment(None);
        Ok(RedisUrl {
            raw: url.to_owned(),
            redacted: shown.to_string(),
            secrets,
        })
    }

    /// The URL with its password replaced by `***` and without its query.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// Whether the connection uses TLS (`rediss://`).
    pub fn is_tls(&self) -> bool {
        self.raw.starts_with("rediss:")
    }

    fn scrub(&self, text: String) -> String {
        scrub(text, &self.secrets)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({:?})", self.redacted)
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

/// `text` with every secret replaced by `***`.
fn scrub(mut text: String, secrets: &[String]) -> String {
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "***");
        }
    }
    text
}

/// `%XX` sequences decoded; an error if they do not make UTF-8.
fn percent_decode(s: &str) -> Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(())?;
            let hex = std::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// `redis_version` from the text of `INFO server`, as (major, minor, patch).
pub(crate) fn server_version(info: &str) -> Option<(u32, u32, u32)> {
    let line = info
        .lines()
        .find_map(|l| l.trim().strip_prefix("redis_version:"))?;
    let mut parts = line.trim().splitn(3, '.');
    let mut next = || -> Option<u32> {
        let part = parts.next()?;
        // "7.2.4-rc1" and the like: the leading digits.
        let digits = part.split(|c: char| !c.is_ascii_digit()).next()?;
        digits.parse().ok()
    };
    let major = next()?;
    Some((major, next().unwrap_or(0), next().unwrap_or(0)))
}

/// A TTL in whole milliseconds for `PX`/`PEXPIRE` (at least 1: Redis refuses 0).
fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, i64::MAX as u64)
}

/// An integer reply, or the decimal text Lua returns for a stored version.
fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Int(n) => u64::try_from(*n).ok(),
        Value::BulkString(b) => std::str::from_utf8(b).ok()?.parse().ok(),
        Value::SimpleString(s) => s.parse().ok(),
        _ => None,
    }
}

/// The reply of the compare-and-set scripts: `{1, version}` or `{0[, current]}`.
pub(crate) fn parse_cas(key: &str, reply: &Value) -> Result<Cas, StoreError> {
    let corrupt = || StoreError::Corrupt {
        key: key.to_owned(),
        detail: format!("unexpected compare-and-set reply {reply:?}"),
    };
    let Value::Array(items) = reply else {
        return Err(corrupt());
    };
    match items.as_slice() {
        [Value::Int(1), v] => Ok(Cas::Stored {
            version: as_u64(v).ok_or_else(corrupt)?,
        }),
        [Value::Int(0)] => Ok(Cas::Conflict { current: None }),
        [Value::Int(0), v] => Ok(Cas::Conflict {
            current: Some(as_u64(v).ok_or_else(corrupt)?),
        }),
        _ => Err(corrupt()),
    }
}

/// The Redis backend. Cheap to clone; clones share the connection and the counters.
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    conn: ConnectionManager,
    url: RedisUrl,
    config: StoreConfig,
    stats: Arc<StoreStats>,
    store_session: Script,
    remove_session: Script,
    count_failure: Script,
    outbox_push: Script,
    outbox_ack: Script,
    outbox_lead: Script,
    outbox_unlead: Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.inner.url)
            .field("prefix", &self.inner.config.prefix)
            .finish()
    }
}

impl RedisStore {
    /// Connects, `PING`s and checks the server's version (≥ 6.2). `config` must be valid.
    pub(crate) async fn connect(
        url: &RedisUrl,
        config: &StoreConfig,
    ) -> Result<RedisStore, StoreError> {
        let client = Client::open(url.raw.as_str()).map_err(|e| StoreError::Config {
            field: "redis_url",
            detail: url.scrub(e.to_string()),
        })?;
        let manager = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(config.connect_timeout))
            .set_response_timeout(Some(config.command_timeout))
            .set_min_delay(config.reconnect_min)
            .set_max_delay(config.reconnect_max)
            .set_number_of_retries(4);
        let unavailable = |detail: String| StoreError::Unavailable {
            op: "connect",
            detail: format!("{}: {detail}", url.redacted()),
        };
        let conn = match timeout(
            config.connect_timeout,
            ConnectionManager::new_with_config(client.clone(), manager),
        )
        .await
        {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) if e.kind() == ErrorKind::AuthenticationFailed || is_auth(&e) => {
                return Err(StoreError::Config {
                    field: "redis_url",
                    detail: format!(
                        "{}: the server refused the credentials ({})",
                        url.redacted(),
                        url.scrub(e.to_string())
                    ),
                });
            }
            Ok(Err(e)) => return Err(unavailable(url.scrub(e.to_string()))),
            Err(_) => {
                return Err(unavailable(format!(
                    "no connection within {} ms",
                    config.connect_timeout.as_millis()
                )));
            }
        };
        let store = RedisStore {
            inner: Arc::new(Inner {
                client,
                conn,
                url: url.clone(),
                config: config.clone(),
                stats: Arc::new(StoreStats::default()),
                store_session: Script::new(STORE_SESSION),
                remove_session: Script::new(REMOVE_SESSION),
                count_failure: Script::new(COUNT_FAILURE),
                outbox_push: Script::new(OUTBOX_PUSH),
                outbox_ack: Script::new(OUTBOX_ACK),
                outbox_lead: Script::new(OUTBOX_LEAD),
                outbox_unlead: Script::new(OUTBOX_UNLEAD),
            }),
        };
        let mut c = store.conn();
        store
            .exec("PING", "", redis::cmd("PING").query_async::<Value>(&mut c))
            .await?;
        let info: String = store
            .exec(
                "INFO",
                "",
                redis::cmd("INFO").arg("server").query_async(&mut c),
            )
            .await?;
        match server_version(&info) {
            Some(v) if v >= MIN_VERSION => Ok(store),
            Some((a, b, c)) => Err(StoreError::Config {
                field: "redis_url",
                detail: format!(
                    "{} runs Redis {a}.{b}.{c}; Glass needs 6.2 or later (GETDEL)",
                    url.redacted()
                ),
            }),
            None => Err(StoreError::Config {
                field: "redis_url",
                detail: format!(
                    "{} did not say its redis_version in INFO; Glass needs Redis 6.2 or later",
                    url.redacted()
                ),
            }),
        }
    }

    /// The counters.
    pub fn stats(&self) -> &StoreStats {
        &self.inner.stats
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.inner.config.prefix
    }

    fn conn(&self) -> ConnectionManager {
        self.inner.conn.clone()
    }

    /// Runs one command (or script) on `key` within the command timeout, counting it, and
    /// sorts a failure by who is at fault.
    async fn exec<T>(
        &self,
        op: &'static str,
        key: &str,
        command: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let stats = &self.inner.stats;
        stats.command();
        let limit = self.inner.config.command_timeout;
        let error = match timeout(limit, command).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => self.classify(op, key, &e),
            Err(_) => StoreError::Unavailable {
                op,
                detail: format!("no answer within {} ms", limit.as_millis()),
            },
        };
        stats.error();
        Err(error)
    }

    fn classify(&self, op: &'static str, key: &str, e: &RedisError) -> StoreError {
        let detail = self.inner.url.scrub(e.to_string());
        let key = key.strip_prefix(self.prefix()).unwrap_or(key).to_owned();
        match e.kind() {
            ErrorKind::AuthenticationFailed => StoreError::Config {
                field: "redis_url",
                detail: format!("the server refused the credentials ({detail})"),
            },
            ErrorKind::InvalidClientConfig => StoreError::Config {
                field: "redis_url",
                detail,
            },
            ErrorKind::Parse | ErrorKind::UnexpectedReturnType => {
                StoreError::Corrupt { key, detail }
            }
            _ if is_auth(e) => StoreError::Config {
                field: "redis_url",
                detail: format!("the server refused the credentials ({detail})"),
            },
            _ if e.code() == Some("WRONGTYPE") || detail.contains("not an integer") => {
                StoreError::Corrupt { key, detail }
            }
            _ => {
                if e.is_connection_dropped() {
                    self.inner.stats.reconnect();
                }
                StoreError::Unavailable { op, detail }
            }
        }
    }

    fn key(&self, f: fn(&str, &str) -> String, name: &str) -> String {
        f(self.prefix(), name)
    }

    pub(crate) async fn put_code(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let key = self.key(keys::code, digest);
        let mut c = self.conn();
        let reply: Value = self
            .exec(
                "SET NX",
                &key,
                redis::cmd("SET")
                    .arg(&key)
                    .arg(value)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async(&mut c),
            )
            .await?;
        Ok(!matches!(reply, Value::Nil))
    }

    pub(crate) async fn take_code(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let key = self.key(keys::code, digest);
        let mut c = self.conn();
        self.exec(
            "GETDEL",
            &key,
            redis::cmd("GETDEL").arg(&key).query_async(&mut c),
        )
        .await
    }

    async fn del(&self, key: &str) -> Result<(), StoreError> {
        let mut c = self.conn();
        self.exec(
            "DEL",
            key,
            redis::cmd("DEL").arg(key).query_async::<i64>(&mut c),
        )
        .await
        .map(drop)
    }

    pub(crate) async fn drop_code(&self, digest: &str) -> Result<(), StoreError> {
        self.del(&self.key(keys::code, digest)).await
    }

    pub(crate) async fn count_failure(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<u64, StoreError> {
        let key = self.key(keys::failures, key);
        let mut c = self.conn();
        let n: i64 = self
            .exec(
                "INCR",
                &key,
                self.inner
                    .count_failure
                    .key(&key)
                    .arg(millis(window))
                    .invoke_async(&mut c),
            )
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(crate) async fn failures(&self, name: &str) -> Result<u64, StoreError> {
        let key = self.key(keys::failures, name);
        let mut c = self.conn();
        let value: Option<Vec<u8>> = self
            .exec("GET", &key, redis::cmd("GET").arg(&key).query_async(&mut c))
            .await?;
        let Some(value) = value else { return Ok(0) };
        std::str::from_utf8(&value)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| StoreError::Corrupt {
                key: name.to_owned(),
                detail: format!("failure count {:?} is not a number", value.escape_ascii()),
            })
    }

    pub(crate) async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        self.del(&self.key(keys::failures, key)).await
    }

    pub(crate) async fn load_session(&self, id: &str) -> Result<Option<Versioned>, StoreError> {
        let key = self.key(keys::session, id);
        let mut c = self.conn();
        let (version, bytes): (Option<String>, Option<Vec<u8>>) = self
            .exec(
                "HMGET",
                &key,
                redis::cmd("HMGET")
                    .arg(&key)
                    .arg("v")
                    .arg("s")
                    .query_async(&mut c),
            )
            .await?;
        match (version, bytes) {
            (None, None) => Ok(None),
            (Some(v), Some(bytes)) => match v.parse() {
                Ok(version) => Ok(Some(Versioned { version, bytes })),
                Err(_) => Err(StoreError::Corrupt {
                    key: id.to_owned(),
                    detail: format!("version {v:?} is not a number"),
                }),
            },
            (v, s) => Err(StoreError::Corrupt {
                key: id.to_owned(),
                detail: format!(
                    "half a snapshot: version {}, snapshot {}",
                    if v.is_some() { "present" } else { "missing" },
                    if s.is_some() { "present" } else { "missing" }
                ),
            }),
        }
    }

    pub(crate) async fn store_session(
        &self,
        id: &str,
        expected: Option<u64>,
        bytes: &[u8],
        ttl: Duration,
    ) -> Result<Cas, StoreError> {
        let key = self.key(keys::session, id);
        let expected = expected.map_or_else(String::new, |v| v.to_string());
        let mut c = self.conn();
        let reply: Value = self
            .exec(
                "store_session",
                &key,
                self.inner
                    .store_session
                    .key(&key)
                    .arg(expected)
                    .arg(bytes)
                    .arg(millis(ttl))
                    .invoke_async(&mut c),
            )
            .await?;
        parse_cas(id, &reply)
    }

    pub(crate) async fn remove_session(&self, id: &str, expected: u64) -> Result<Cas, StoreError> {
        let key = self.key(keys::session, id);
        let mut c = self.conn();
        let reply: Value = self
            .exec(
                "remove_session",
                &key,
                self.inner
                    .remove_session
                    .key(&key)
                    .arg(expected.to_string())
                    .invoke_async(&mut c),
            )
            .await?;
        parse_cas(id, &reply)
    }

    /// Appends a batch of `rows` audit rows to the outbox; returns its stream id. Durable as
    /// Redis is (`appendonly yes` in production: `docs/deploy.md`).
    pub(crate) async fn outbox_push(&self, rows: u64, batch: &[u8]) -> Result<String, StoreError> {
        let key = keys::outbox(self.prefix());
        let count = keys::outbox_rows(self.prefix());
        let mut c = self.conn();
        self.exec(
            "outbox_push",
            &key,
            self.inner
                .outbox_push
                .key(&key)
                .key(&count)
                .arg(rows)
                .arg(batch)
                .invoke_async(&mut c),
        )
        .await
    }

    /// The oldest `max` outbox entries, oldest first.
    pub(crate) async fn outbox_read(&self, max: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        self.outbox_range("+", max).await
    }

    /// The oldest `max` outbox entries up to `end` (a stream id, or `+`).
    async fn outbox_range(&self, end: &str, max: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let key = keys::outbox(self.prefix());
        let mut c = self.conn();
        let reply: Value = self
            .exec(
                "XRANGE",
                &key,
                redis::cmd("XRANGE")
                    .arg(&key)
                    .arg("-")
                    .arg(end)
                    .arg("COUNT")
                    .arg(max.max(1))
                    .query_async(&mut c),
            )
            .await?;
        Ok(parse_outbox(&reply))
    }

    /// Removes written entries (id, rows); returns the rows taken off the backlog.
    pub(crate) async fn outbox_ack(&self, done: &[(String, u64)]) -> Result<u64, StoreError> {
        if done.is_empty() {
            return Ok(0);
        }
        let key = keys::outbox(self.prefix());
        let count = keys::outbox_rows(self.prefix());
        let mut invocation = self.inner.outbox_ack.key(&key);
        invocation.key(&count);
        for (id, rows) in done {
            invocation.arg(id).arg(*rows);
        }
        let mut c = self.conn();
        self.exec("outbox_ack", &key, invocation.invoke_async(&mut c))
            .await
    }

    /// Whether every entry up to `id` is gone (written and removed).
    pub(crate) async fn outbox_drained(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.outbox_range(id, 1).await?.is_empty())
    }

    /// Rows in the outbox, not yet written to the trail (all brokers').
    pub(crate) async fn outbox_backlog(&self) -> Result<u64, StoreError> {
        let count = keys::outbox_rows(self.prefix());
        let n = self.get(&count).await?;
        Ok(
            n.and_then(|b| std::str::from_utf8(&b).ok()?.parse::<i64>().ok())
                .map_or(0, |n| u64::try_from(n).unwrap_or(0)),
        )
    }

    /// Takes or renews the drainer's lease for `me` for `ttl`: whether `me` drains now.
    pub(crate) async fn outbox_lead(&self, me: &str, ttl: Duration) -> Result<bool, StoreError> {
        let key = keys::outbox_drainer(self.prefix());
        let mut c = self.conn();
        let held: i64 = self
            .exec(
                "outbox_lead",
                &key,
                self.inner
                    .outbox_lead
                    .key(&key)
                    .arg(me)
                    .arg(millis(ttl))
                    .invoke_async(&mut c),
            )
            .await?;
        Ok(held == 1)
    }

    /// Gives the drainer's lease up if `me` holds it (stopping: another broker drains at
    /// once rather than when the lease would have expired).
    pub(crate) async fn outbox_unlead(&self, me: &str) -> Result<(), StoreError> {
        let key = keys::outbox_drainer(self.prefix());
        let mut c = self.conn();
        self.exec(
            "outbox_unlead",
            &key,
            self.inner
                .outbox_unlead
                .key(&key)
                .arg(me)
                .invoke_async::<i64>(&mut c),
        )
        .await
        .map(drop)
    }

    /// `SET key value PX ttl`.
    async fn set_px(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        let mut c = self.conn();
        self.exec(
            "SET PX",
            key,
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(millis(ttl))
                .query_async::<Value>(&mut c),
        )
        .await
        .map(drop)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let mut c = self.conn();
        self.exec("GET", key, redis::cmd("GET").arg(key).query_async(&mut c))
            .await
    }

    pub(crate) async fn heartbeat(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.set_px(&self.key(keys::presence, key), value, ttl)
            .await
    }

    pub(crate) async fn put_sign_in(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.set_px(&self.key(keys::sign_in, digest), value, ttl)
            .await
    }

    pub(crate) async fn sign_in(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(&self.key(keys::sign_in, digest)).await
    }

    pub(crate) async fn drop_sign_in(&self, digest: &str) -> Result<(), StoreError> {
        self.del(&self.key(keys::sign_in, digest)).await
    }

    pub(crate) async fn present(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(&self.key(keys::presence, key)).await
    }

    pub(crate) async fn absent(&self, key: &str) -> Result<(), StoreError> {
        self.del(&self.key(keys::presence, key)).await
    }

    pub(crate) async fn publish(&self, channel: &str, message: &[u8]) -> Result<(), StoreError> {
        let channel = self.key(keys::channel, channel);
        let mut c = self.conn();
        self.exec(
            "PUBLISH",
            &channel,
            redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(message)
                .query_async::<i64>(&mut c),
        )
        .await
        .map(drop)
    }

    /// Publishes each (channel, message) in order, in one pipeline: one round trip for all.
    pub(crate) async fn publish_many(
        &self,
        messages: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut pipe = redis::pipe();
        for (channel, message) in messages {
            pipe.cmd("PUBLISH")
                .arg(self.key(keys::channel, channel))
                .arg(message)
                .ignore();
        }
        let mut c = self.conn();
        self.exec("PUBLISH", "", pipe.query_async::<()>(&mut c))
            .await
    }

    /// Opens a dedicated pub/sub connection subscribed to `channels` (already confirmed by the
    /// server when this returns) and starts the task that drives it: it forwards messages to
    /// the subscription's bounded queue, applies `add`/`remove`, pings an idle connection
    /// every [`StoreConfig::keepalive`], and after a drop reconnects with backoff
    /// ([`StoreConfig::reconnect_min`] doubling up to [`StoreConfig::reconnect_max`]),
    /// subscribes every current channel again and emits [`SubEvent::Resubscribed`]. The task
    /// ends when the [`Subscription`] is dropped.
    ///
    /// Between redis' own reader and this task there is an unbounded queue (redis-rs's
    /// design); this task drains it without waiting (`try_send` into the bounded queue), so
    /// it stays short.
    pub(crate) async fn subscribe(&self, channels: &[String]) -> Result<Subscription, StoreError> {
        let wanted: BTreeSet<String> = channels
            .iter()
            .map(|c| self.key(keys::channel, c))
            .collect();
        let connection = self.open_pubsub(&wanted).await?;
        let config = &self.inner.config;
        let (feed, rx, lagged) =
            pubsub::queue(config.subscription_capacity, self.inner.stats.clone());
        let (control, requests) = mpsc::channel(CONTROL_QUEUE);
        tokio::spawn(self.clone().drive(connection, wanted, requests, feed));
        Ok(Subscription::new(rx, lagged, Channels::Redis(control)))
    }

    async fn open_pubsub(&self, channels: &BTreeSet<String>) -> Result<PubSub, StoreError> {
        let client = &self.inner.client;
        self.exec("SUBSCRIBE", "", async move {
            let mut connection = client.get_async_pubsub().await?;
            if !channels.is_empty() {
                connection
                    .subscribe(channels.iter().collect::<Vec<_>>())
                    .await?;
            }
            Ok(connection)
        })
        .await
    }

    /// The subscription task (see [`RedisStore::subscribe`]).
    async fn drive(
        self,
        connection: PubSub,
        mut wanted: BTreeSet<String>,
        mut requests: mpsc::Receiver<Control>,
        feed: Feed,
    ) {
        let config = self.inner.config.clone();
        let mut connection = Some(connection);
        let mut delay = config.reconnect_min;
        loop {
            let live = match connection.take() {
                Some(c) => c,
                None => match self.open_pubsub(&wanted).await {
                    Ok(c) => {
                        self.inner.stats.reconnect();
                        tracing::info!(url = %self.inner.url, "pub/sub connection to Redis re-established");
                        delay = config.reconnect_min;
                        if !feed.offer(SubEvent::Resubscribed) {
                            return;
                        }
                        c
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "pub/sub reconnection failed");
                        if !wait(delay, self.prefix(), &mut wanted, &mut requests).await {
                            return;
                        }
                        delay = (delay * 2).min(config.reconnect_max);
                        continue;
                    }
                },
            };
            match self.serve(live, &mut wanted, &mut requests, &feed).await {
                Served::Closed => return,
                Served::Lost(why) => {
                    tracing::warn!(url = %self.inner.url, %why, "pub/sub connection to Redis lost; reconnecting");
                }
            }
            if !wait(delay, self.prefix(), &mut wanted, &mut requests).await {
                return;
            }
        }
    }

    /// Drives one live pub/sub connection until it is lost or the subscription is dropped.
    async fn serve(
        &self,
        connection: PubSub,
        wanted: &mut BTreeSet<String>,
        requests: &mut mpsc::Receiver<Control>,
        feed: &Feed,
    ) -> Served {
        let limit = self.inner.config.command_timeout;
        let prefix = self.prefix();
        let (mut sink, mut stream) = connection.split();
        let period = self.inner.config.keepalive;
        let mut keepalive = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            tokio::select! {
                message = stream.next() => {
                    let Some(message) = message else {
                        return Served::Lost("connection closed".into());
                    };
                    let name = message.get_channel_name();
                    // Late messages of a channel just removed are not delivered.
                    if !wanted.contains(name) {
                        continue;
                    }
                    let channel = keys::unprefixed_channel(prefix, name).unwrap_or(name).to_owned();
                    let payload = message.get_payload_bytes().to_vec();
                    if !feed.offer(SubEvent::Message { channel, payload }) {
                        return Served::Closed;
                    }
                }
                request = requests.recv() => {
                    let result = match request {
                        None => return Served::Closed,
                        Some(Control::Add(channel, done)) => {
                            let channel = keys::channel(prefix, &channel);
                            let result = timeout(limit, sink.subscribe(&channel)).await;
                            wanted.insert(channel);
                            let _ = done.send(());
                            result
                        }
                        Some(Control::Remove(channel, done)) => {
                            let channel = keys::channel(prefix, &channel);
                            let result = timeout(limit, sink.unsubscribe(&channel)).await;
                            wanted.remove(&channel);
                            let _ = done.send(());
                            result
                        }
                    };
                    match result {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => return Served::Lost(self.inner.url.scrub(e.to_string())),
                        Err(_) => return Served::Lost("no answer to (UN)SUBSCRIBE".into()),
                    }
                }
                _ = keepalive.tick() => {
                    match timeout(limit, sink.ping::<Value>()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Served::Lost(self.inner.url.scrub(e.to_string())),
                        Err(_) => return Served::Lost("no answer to PING".into()),
                    }
                }
            }
        }
    }
}

/// Why [`RedisStore::serve`] returned.
enum Served {
    /// The subscription was dropped.
    Closed,
    /// The connection failed; why.
    Lost(String),
}

/// Sleeps `delay` while still taking `add`/`remove` requests (recorded, subscribed on
/// reconnection); `false` if the subscription was dropped meanwhile.
async fn wait(
    delay: Duration,
    prefix: &str,
    wanted: &mut BTreeSet<String>,
    requests: &mut mpsc::Receiver<Control>,
) -> bool {
    let sleep = tokio::time::sleep(delay);
    tokio::pin!(sleep);
    loop {
        tokio::select! {
            () = &mut sleep => return true,
            request = requests.recv() => match request {
                None => return false,
                Some(Control::Add(channel, done)) => {
                    wanted.insert(keys::channel(prefix, &channel));
                    let _ = done.send(());
                }
                Some(Control::Remove(channel, done)) => {
                    wanted.remove(&keys::channel(prefix, &channel));
                    let _ = done.send(());
                }
            },
        }
    }
}

/// Whether the server refused the credentials.
fn is_auth(e: &RedisError) -> bool {
    matches!(e.code(), Some("NOAUTH" | "WRONGPASS" | "NOPERM"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_their_passwords_never_shown() {
        let url = RedisUrl::parse("redis://:s3cr%21t@10.0.0.5:6380/2").unwrap();
        assert_eq!(url.redacted(), "redis://:***@10.0.0.5:6380/2");
        assert_eq!(format!("{url}"), "redis://:***@10.0.0.5:6380/2");
        assert!(!format!("{url:?}").contains("s3cr"));
        assert!(!url.is_tls());
        assert_eq!(
            url.scrub("auth failed for s3cr!t and s3cr%21t".into()),
            "auth failed for *** and ***"
        );
        let url = RedisUrl::parse("rediss://glass:pw@redis.example:6379").unwrap();
        assert!(url.is_tls());
        assert_eq!(url.redacted(), "rediss://glass:***@redis.example:6379");
        RedisUrl::parse("redis://127.0.0.1").unwrap();
        for bad in [
            "",
            "127.0.0.1:6379",
            "http://127.0.0.1:6379",
            "redis://",
            "redis://:hunter2@host/notadb",
            "unix:///run/redis.sock",
            "redis://:hunter2@h/0?protocol=resp3",
        ] {
            match RedisUrl::parse(bad) {
                Err(StoreError::Config { field, detail }) => {
                    assert_eq!(field, "redis_url");
                    assert!(!detail.contains("hunter2"), "{detail}");
                    assert!(detail.contains("redis://"), "{detail}");
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn percent_decoding_refuses_what_it_cannot_read() {
        assert_eq!(percent_decode("a%20b").unwrap(), "a b");
        assert!(percent_decode("a%2").is_err());
        assert!(percent_decode("%zz").is_err());
        assert!(percent_decode("%ff").is_err());
    }

    #[test]
    fn server_versions_are_read_from_info() {
        let info = "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n";
        assert_eq!(server_version(info), Some((7, 0, 15)));
        assert_eq!(server_version("redis_version:6.2\r\n"), Some((6, 2, 0)));
        assert_eq!(server_version("redis_version:7.2.4-rc1"), Some((7, 2, 4)));
        assert!(server_version("redis_version:6.0.16").unwrap() < MIN_VERSION);
        assert_eq!(server_version("redis_version:x"), None);
        assert_eq!(server_version("# Server\r\n"), None);
    }

    #[test]
    fn compare_and_set_replies_parse_or_are_corrupt() {
        let int = Value::Int;
        let text = |s: &str| Value::BulkString(s.as_bytes().to_vec());
        let arr = Value::Array;
        assert_eq!(
            parse_cas("s", &arr(vec![int(1), int(3)])).unwrap(),
            Cas::Stored { version: 3 }
        );
        assert_eq!(
            parse_cas("s", &arr(vec![int(1), text("4")])).unwrap(),
            Cas::Stored { version: 4 }
        );
        assert_eq!(
            parse_cas("s", &arr(vec![int(0)])).unwrap(),
            Cas::Conflict { current: None }
        );
        assert_eq!(
            parse_cas("s", &arr(vec![int(0), text("7")])).unwrap(),
            Cas::Conflict { current: Some(7) }
        );
        for bad in [
            Value::Nil,
            arr(vec![]),
            arr(vec![int(2), int(1)]),
            arr(vec![int(1)]),
            arr(vec![int(0), text("x")]),
            arr(vec![int(1), int(-1)]),
        ] {
            assert!(
                matches!(parse_cas("s", &bad), Err(StoreError::Corrupt { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ttls_are_whole_positive_milliseconds() {
        assert_eq!(millis(Duration::ZERO), 1);
        assert_eq!(millis(Duration::from_micros(1500)), 1);
        assert_eq!(millis(Duration::from_secs(2)), 2000);
        assert_eq!(millis(Duration::MAX), i64::MAX as u64);
    }
}
