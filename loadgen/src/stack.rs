//! The whole deployment on loopback, for the load test and `glass-loadgen stack`: a
//! `redis-server`, a throwaway PostgreSQL cluster, N `glass broker` processes sharing them,
//! and HAProxy in front (round robin, a stickiness cookie so a sign-in and its WebSocket
//! reach the same broker, health checks on `/healthz`, `X-Forwarded-For` believed by the
//! brokers). Everything is killed and deleted on drop.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../../broker/testing/redis.rs"]
mod redis_server;

#[allow(dead_code)]
#[path = "../../broker/testing/postgres.rs"]
mod postgres;

/// What to start.
#[derive(Debug, Clone)]
pub struct StackConfig {
    /// The `glass` binary.
    pub glass: PathBuf,
    /// How many brokers.
    pub brokers: usize,
    /// Account slots to create (`<prefix>-h<i>`, `<prefix>-s<i>`): at least the run's
    /// concurrency.
    pub slots: usize,
    /// Account name prefix.
    pub user_prefix: String,
    /// Every account's password.
    pub password: String,
    /// HAProxy's `maxconn` (global and frontend): two per session held, plus sign-ins.
    pub maxconn: usize,
    /// Give the brokers a PostgreSQL audit trail (else each keeps it in memory).
    pub audit: bool,
    /// Put HAProxy in front (else the target is the first broker).
    pub haproxy: bool,
    /// HAProxy processes sharing the frontend port (`SO_REUSEPORT`, HAProxy's default on
    /// Linux); 0: as many as the open-files limit requires for `slots` sessions (each holds
    /// two connections, each connection two descriptors in HAProxy).
    pub haproxy_instances: usize,
}

impl Default for StackConfig {
    fn default() -> Self {
        StackConfig {
            glass: PathBuf::from("glass"),
            brokers: 2,
            slots: 100,
            user_prefix: "load".into(),
            password: crate::DEFAULT_PASSWORD.into(),
            maxconn: 50_000,
            audit: true,
            haproxy: true,
            haproxy_instances: 0,
        }
    }
}

/// Why the stack did not start.
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// A server is not installed (`scripts/setup.sh` installs them).
    #[error("{0} is not installed (scripts/setup.sh installs it)")]
    Missing(&'static str),
    /// Something installed did not start.
    #[error("{0}")]
    Failed(String),
}

struct Process {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Process {
    fn spawn(name: &str, cmd: &mut Command, dir: &Path) -> Result<Process, StackError> {
        let log = dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log)
            .map_err(|e| StackError::Failed(format!("{}: {e}", log.display())))?;
        let err = file
            .try_clone()
            .map_err(|e| StackError::Failed(format!("{}: {e}", log.display())))?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| StackError::Failed(format!("{name}: {e}")))?;
        Ok(Process {
            name: name.to_owned(),
            child,
            log,
        })
    }

    /// The last lines of its log, for an error message.
    fn tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(5)..].join(" | ")
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running stack.
pub struct Stack {
    // Dropped in order: the balancers, the brokers, then the servers they use.
    haproxy: Vec<Process>,
    brokers: Vec<Process>,
    postgres: Option<postgres::Postgres>,
    _redis: redis_server::RedisServer,
    dir: PathBuf,
    /// Where clients go: HAProxy's frontend (or the first broker without HAProxy).
    pub url: String,
    /// The brokers' own addresses.
    pub broker_urls: Vec<String>,
    /// Each broker's `/metrics`.
    pub metrics_urls: Vec<String>,
    /// The audit database, when there is one.
    pub audit_db: Option<String>,
    keep: bool,
}

/// Where Debian's `haproxy` package puts the binary (also looked up on `PATH`).
pub const HAPROXY: &str = "/usr/sbin/haproxy";

/// The HAProxy binary, when installed.
pub fn haproxy_binary() -> Option<PathBuf> {
    let fixed = PathBuf::from(HAPROXY);
    if fixed.exists() {
        return Some(fixed);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("haproxy"))
            .find(|p| p.exists())
    })
}

/// HAProxy in front of `brokers` on `front`: WebSocket-capable (the upgrade is plain HTTP/1.1
/// to HAProxy; `timeout tunnel` covers the open link), round robin with the `GLASSLB`
/// stickiness cookie, `/healthz` checks, and `X-Forwarded-For` for the brokers' per-address
/// limits and audit rows.
pub fn haproxy_config(front: SocketAddr, brokers: &[SocketAddr], maxconn: usize) -> String {
    let mut s = format!(
        "# Generated by glass-loadgen (loopback load runs); packaging/haproxy/glass.cfg is the
# production one.
global
    maxconn {maxconn}

defaults
    mode http
    maxconn {maxconn}
    option forwardfor
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout queue 30s
    # An upgraded WebSocket: the heartbeats (every 500 ms) keep it busy; this bounds a dead one.
    timeout tunnel 1h

frontend glass
    bind {front}
    default_backend brokers

backend brokers
    balance roundrobin
    cookie GLASSLB insert indirect nocache
    option httpchk GET /healthz
    http-check expect status 200
"
    );
    for (i, b) in brokers.iter().enumerate() {
        s.push_str(&format!(
            "    server b{n} {b} check inter 1s fall 2 rise 1 cookie b{n}\n",
            n = i + 1
        ));
    }
    s
}

/// This process's open-files limit (soft), which the children inherit.
pub fn open_files_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line.split_whitespace().nth(3)?;
    soft.parse().ok()
}

/// HAProxy's maxconn: as asked, but within what the open-files limit allows (HAProxy needs
/// two descriptors a connection and refuses to start when it cannot have them).
pub fn maxconn_within_limit(asked: usize) -> usize {
    match open_files_limit() {
        Some(limit) => asked.min((limit.saturating_sub(200) / 2) as usize).max(100),
        None => asked,
    }
}

fn free_port() -> Result<u16, StackError> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| StackError::Failed(format!("no free port: {e}")))
}

/// `GET /healthz` answers 200.
fn healthy(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

fn wait_healthy(p: &mut Process, addr: SocketAddr, limit: Duration) -> Result<(), StackError> {
    let end = Instant::now() + limit;
    while !healthy(addr) {
        if !p.running() {
            return Err(StackError::Failed(format!(
                "{} exited: {}",
                p.name,
                p.tail()
            )));
        }
        if Instant::now() > end {
            return Err(StackError::Failed(format!(
                "{} not healthy on {addr} in {limit:?}: {}",
                p.name,
                p.tail()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

impl Stack {
    /// Starts everything (about 5 s); `Missing` when a server is not installed.
    pub fn start(config: &StackConfig) -> Result<Stack, StackError> {
        if config.brokers == 0 {
            return Err(StackError::Failed("brokers: at least 1".into()));
        }
        let haproxy_bin = if config.haproxy {
            Some(haproxy_binary().ok_or(StackError::Missing("haproxy"))?)
        } else {
            None
        };
        let dir = std::env::temp_dir().join(format!(
            "glass-load-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| StackError::Failed(format!("{}: {e}", dir.display())))?;
        let accounts = dir.join("accounts.json");
        let text = crate::accounts_json(&config.user_prefix, config.slots, &config.password)
            .map_err(|e| StackError::Failed(e.to_string()))?;
        std::fs::write(&accounts, text)
            .map_err(|e| StackError::Failed(format!("{}: {e}", accounts.display())))?;

        let redis = redis_server::RedisServer::start()
            .map_err(StackError::Failed)?
            .ok_or(StackError::Missing("redis-server"))?;
        let (postgres, audit_db) = if config.audit {
            let pg = postgres::Postgres::start()
                .map_err(StackError::Failed)?
                .ok_or(StackError::Missing("postgresql"))?;
            let url = pg.database("glass_audit").map_err(StackError::Failed)?;
            (Some(pg), Some(url))
        } else {
            (None, None)
        };
        let mut stack = Stack {
            haproxy: Vec::new(),
            brokers: Vec::new(),
            postgres,
            _redis: redis,
            dir: dir.clone(),
            url: String::new(),
            broker_urls: Vec::new(),
            metrics_urls: Vec::new(),
            audit_db,
            keep: false,
        };
        let redis_url = stack._redis.url();
        let mut addrs = Vec::new();
        // One at a time: the first creates the audit tables.
        for i in 1..=config.brokers {
            let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
            let metrics = SocketAddr::from(([127, 0, 0, 1], free_port()?));
            let mut cmd = Command::new(&config.glass);
            cmd.arg("broker")
                .arg("--listen")
                .arg(addr.to_string())
                .arg("--accounts")
                .arg(&accounts)
                .arg("--redis")
                .arg(&redis_url)
                .arg("--metrics-listen")
                .arg(metrics.to_string())
                .args(["--trusted-proxy", "127.0.0.1/32"])
                .current_dir(&dir);
            if let Some(db) = &stack.audit_db {
                cmd.arg("--audit-db").arg(db);
            }
            let mut p = Process::spawn(&format!("broker-{i}"), &mut cmd, &dir)?;
            wait_healthy(&mut p, addr, Duration::from_secs(60))?;
            stack.brokers.push(p);
            stack.broker_urls.push(format!("http://{addr}"));
            stack.metrics_urls.push(format!("http://{metrics}/metrics"));
            addrs.push(addr);
        }
        match haproxy_bin {
            Some(bin) => {
                let front = SocketAddr::from(([127, 0, 0, 1], free_port()?));
                let per = maxconn_within_limit(config.maxconn);
                let needed = 2 * config.slots + 256;
                let instances = match config.haproxy_instances {
                    0 => needed.div_ceil(per).clamp(1, 8),
                    n => n,
                };
                let cfg = dir.join("haproxy.cfg");
                std::fs::write(&cfg, haproxy_config(front, &addrs, per))
                    .map_err(|e| StackError::Failed(format!("{}: {e}", cfg.display())))?;
                for i in 1..=instances {
                    let name = if instances == 1 {
                        "haproxy".to_owned()
                    } else {
                        format!("haproxy-{i}")
                    };
                    let mut p = Process::spawn(
                        &name,
                        Command::new(&bin).arg("-db").arg("-f").arg(&cfg),
                        &dir,
                    )?;
                    wait_healthy(&mut p, front, Duration::from_secs(20))?;
                    stack.haproxy.push(p);
                }
                stack.url = format!("http://{front}");
            }
            None => stack.url = stack.broker_urls[0].clone(),
        }
        Ok(stack)
    }

    /// HAProxy processes sharing the frontend.
    pub fn haproxy_instances(&self) -> usize {
        self.haproxy.len()
    }

    /// The processes worth watching: `broker-1`…, `haproxy` (or `haproxy-1`…).
    pub fn watch(&self) -> Vec<(String, u32)> {
        self.brokers
            .iter()
            .chain(&self.haproxy)
            .map(|p| (p.name.clone(), p.child.id()))
            .collect()
    }

    /// The directory holding the accounts file, configs and logs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keep the directory (logs, configs) when dropped.
    pub fn keep_files(&mut self) {
        self.keep = true;
    }

    /// The brokers' `/metrics` lines whose names contain any of `names` (`broker-1 glass_links 12`).
    pub fn metrics(&self, names: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, url) in self.metrics_urls.iter().enumerate() {
            let Some(addr) = url
                .strip_prefix("http://")
                .and_then(|r| r.strip_suffix("/metrics"))
                .and_then(|a| a.parse::<SocketAddr>().ok())
            else {
                continue;
            };
            let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
                continue;
            };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut text = String::new();
            if s.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                .is_ok()
                && s.read_to_string(&mut text).is_ok()
            {
                for line in text.lines() {
                    if !line.starts_with('#') && names.iter().any(|n| line.contains(n)) {
                        out.push(format!("broker-{} {line}", i + 1));
                    }
                }
            }
        }
        out
    }

    /// Whether every process is still running.
    pub fn all_running(&mut self) -> bool {
        self.brokers
            .iter_mut()
            .chain(&mut self.haproxy)
            .all(Process::running)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.haproxy.clear();
        self.brokers.clear();
        self.postgres = None;
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
