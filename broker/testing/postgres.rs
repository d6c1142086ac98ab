//! A PostgreSQL server of its own on 127.0.0.1 for the audit tests (`tests/audit.rs`) and
//! the audit bench (`broker/benches/audit.rs`), which both include this file with
//! `#[path]`: std only, so neither needs a dependency for it. Default durability (fsync on),
//! so the bench's numbers are real commits. Stopped and deleted on drop.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `postgresql` package puts the server's binaries.
pub const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A running server (initdb'd in a temporary directory, trust authentication, user `glass`).
pub struct Postgres {
    dir: PathBuf,
    port: u16,
    /// Run as `postgres` (PostgreSQL refuses to run as root).
    as_postgres: bool,
    child: std::process::Child,
}

fn quiet(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
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

impl Postgres {
    /// `Ok(None)` when the server's binaries are not installed (the caller says it skipped);
    /// `Err` when they are but the server could not be set up or did not start in 30 s.
    pub fn start() -> Result<Option<Postgres>, String> {
        if !Path::new(PG_BIN).join("postgres").exists() {
            return Ok(None);
        }
        let dir = std::env::temp_dir().join(format!(
            "glass-audit-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if root && !quiet(Command::new("chown").arg("postgres").arg(&dir)) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err("chown postgres failed".into());
        }
        let data = dir.join("data");
        if !quiet(
            as_user(root, "initdb")
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", "glass"]),
        ) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err("initdb failed".into());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = spawn(root, &dir, port)?;
        // From here on, dropping `pg` stops the server and deletes the directory.
        let pg = Postgres {
            dir,
            port,
            as_postgres: root,
            child,
        };
        pg.wait_ready()?;
        Ok(Some(pg))
    }

    /// Waits up to 30 s until the server accepts connections.
    fn wait_ready(&self) -> Result<(), String> {
        let end = Instant::now() + Duration::from_secs(30);
        while !quiet(Command::new(Path::new(PG_BIN).join("pg_isready")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
        ])) {
            if Instant::now() > end {
                return Err("PostgreSQL did not start in 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Stops the server as an outage would (`pg_ctl stop -m fast`: connections are cut,
    /// nothing more is accepted); [`Postgres::restart`] brings it back with its data.
    #[allow(dead_code)]
    pub fn stop(&mut self) -> Result<(), String> {
        if !quiet(
            as_user(self.as_postgres, "pg_ctl")
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["stop", "-m", "fast", "-w"]),
        ) {
            return Err("pg_ctl stop failed".into());
        }
        self.child.wait().map_err(|e| format!("postgres: {e}"))?;
        Ok(())
    }

    /// Starts the server again on the same port and data after [`Postgres::stop`]; waits
    /// until it accepts connections.
    #[allow(dead_code)]
    pub fn restart(&mut self) -> Result<(), String> {
        self.child = spawn(self.as_postgres, &self.dir, self.port)?;
        self.wait_ready()
    }

    /// Creates database `name`; its URL.
    pub fn database(&self, name: &str) -> Result<String, String> {
        let port = self.port.to_string();
        if !quiet(Command::new(Path::new(PG_BIN).join("createdb")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "glass",
            name,
        ])) {
            return Err(format!("createdb {name} failed"));
        }
        Ok(format!("postgres://glass@127.0.0.1:{port}/{name}"))
    }
}

/// The postmaster on `port` for the cluster in `dir/data`, sockets in `dir`.
fn spawn(root: bool, dir: &Path, port: u16) -> Result<std::process::Child, String> {
    as_user(root, "postgres")
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-k")
        .arg(dir)
        .args(["-p", &port.to_string()])
        .args(["-c", "listen_addresses=127.0.0.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("postgres: {e}"))
}

impl Drop for Postgres {
    fn drop(&mut self) {
        quiet(
            as_user(self.as_postgres, "pg_ctl")
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["stop", "-m", "immediate"]),
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
