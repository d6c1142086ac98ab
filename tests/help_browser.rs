//! The help session end to end in real browsers (helper web app, web sharer) with the native
//! agent on Xvfb. See tests/browser/help-*.mjs.
//!
//! Every test runs the real `glass broker --demo` on loopback and drives headless Chromium
//! through `tests/browser/help-driver.mjs`, one command at a time, so what the browser shows
//! can be interleaved with what the native agent (`glass share --broker`, its terminal prompt
//! on stdin/stderr) and the X display (Xvfb and a recording client, `tests/xclient.rs`) see.
//! Assertions are about what a person sees: texts on the page, pixels of the video, events
//! on the X display, lines in the agent's terminal.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js, Xvfb and `tests/browser/node_modules`
//! (playwright-core, axe-core): `scripts/setup.sh` installs them. A missing piece fails the
//! test; it never skips.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::xclient::{XClient, XEvent};
use crate::xvfb::Xvfb;

use crate::browser::{NETNS_ADDR, Netns, Node, browser_dir};

/// The shared X screen (the recording client's window covers it).
const XW: u32 = 800;
const XH: u32 = 600;
/// `tests/xclient.rs` paints its window this colour.
const X_BACKGROUND: (u8, u8, u8) = (0x20, 0x40, 0x60);
/// Per-channel tolerance: H.264 at a screen bitrate plus the browser's YUV→RGB.
const TOLERANCE: i32 = 12;
/// The demo accounts' names (`glass broker --demo`).
const ADA: &str = "Ada Lovelace";
const SAM: &str = "Sam Taylor";

/// How soon a vanished side must be noticed, and held input released (the issue's promise).
const NOTICE_LIMIT_MS: f64 = 2000.0;
/// Chat in three scripts: right-to-left, CJK with a full-width comma (NFC keeps it), and an
/// emoji ZWJ sequence.
const CHAT: [&str; 3] = ["مرحبا بك", "你好，世界", "👩‍💻 ok"];

/// The Xvfb, X-client and agent tests share two cores and measure times in milliseconds:
/// one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub(crate) fn one_at_a_time() -> MutexGuard<'static, ()> {
    // A failed test poisons the lock; the next one may still run.
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn check_tools() {
    crate::browser::check_tools_with(&["axe-core"]);
}

/// Wall-clock milliseconds, the same clock as the page's `Date.now()`.
fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs_f64()
        * 1000.0
}

/// Sends each line of `reader` to the returned channel and echoes it to stderr as `[name] …`.
fn echo_lines(
    name: &'static str,
    reader: impl std::io::Read + Send + 'static,
) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            eprintln!("[{name}] {line}");
            let _ = tx.send(line);
        }
    });
    rx
}

/// `program`, run inside network namespace `netns` when there is one (`ip netns exec` replaces
/// itself with the program, so killing the child kills the program).
fn in_netns(netns: Option<&Netns>, program: &str) -> Command {
    match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", &ns.0, program]);
            c
        }
        None => Command::new(program),
    }
}

// ---- The broker ---------------------------------------------------------------------------------

/// `glass broker --demo` on a free loopback port; killed and reaped when dropped.
struct Broker {
    child: Child,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    url: String,
    helper_password: String,
    sharer_password: String,
}

impl Broker {
    fn start() -> Broker {
        Broker::start_in(None)
    }

    /// [`Broker::start`] inside network namespace `netns` (on its loopback).
    fn start_in(netns: Option<&Netns>) -> Broker {
        let mut child = in_netns(netns, env!("CARGO_BIN_EXE_glass"))
            .args(["broker", "--demo", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run glass broker");
        let _ = echo_lines("broker", child.stderr.take().expect("stderr piped"));
        let stdout = echo_lines("broker", child.stdout.take().expect("stdout piped"));
        let mut broker = Broker {
            child,
            url: String::new(),
            helper_password: String::new(),
            sharer_password: String::new(),
        };
        // helper:  http://127.0.0.1:PORT/   …   demo helper: helper / PASSWORD   demo sharer: …
        let end = Instant::now() + Duration::from_secs(30);
        while broker.url.is_empty()
            || broker.helper_password.is_empty()
            || broker.sharer_password.is_empty()
        {
            let line = stdout
                .recv_timeout(end.saturating_duration_since(Instant::now()))
                .expect("glass broker --demo did not print its URL and demo accounts within 30 s");
            if let Some(url) = line.strip_prefix("helper:") {
                broker.url = url.trim().trim_end_matches('/').to_owned();
            } else if let Some(rest) = line.strip_prefix("demo helper: helper / ") {
                broker.helper_password = rest.trim().to_owned();
            } else if let Some(rest) = line.strip_prefix("demo sharer: sharer / ") {
                broker.sharer_password = rest.trim().to_owned();
            }
        }
        assert!(
            broker.url.starts_with("http://127.0.0.1:") && !broker.url.ends_with(":0"),
            "broker URL {}",
            broker.url
        );
        broker
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- The native agent -----------------------------------------------------------------------------

/// `glass share --broker … --source x11:DISPLAY`: the sharer's terminal. Lines written to it
/// are what the sharer types; its stderr is what the sharer reads. Killed when dropped.
struct Agent {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    /// Every line read so far, for failure messages and "never printed" checks.
    seen: Vec<String>,
}

impl Agent {
    fn start(broker: &Broker, code: &str, display: &str) -> Agent {
        Agent::start_in(None, broker, code, &format!("x11:{display}"), "127.0.0.1")
    }

    /// [`Agent::start`] inside network namespace `netns`, sharing `source`, media bound to
    /// `bind`.
    fn start_in(
        netns: Option<&Netns>,
        broker: &Broker,
        code: &str,
        source: &str,
        bind: &str,
    ) -> Agent {
        let mut child = in_netns(netns, env!("CARGO_BIN_EXE_glass"))
            .args([
                "share",
                "--broker",
                &broker.url,
                "--user",
                "sharer",
                "--code",
                code,
            ])
            .args(["--source", source, "--bind", bind])
            .args(["--approve-in", "terminal"])
            .env("GLASS_PASSWORD", &broker.sharer_password)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run glass share --broker");
        let lines = echo_lines("agent", child.stderr.take().expect("stderr piped"));
        let stdin = child.stdin.take().expect("stdin piped");
        Agent {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Types a line into the agent's terminal.
    fn type_line(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("write to the agent's stdin");
        self.stdin.flush().expect("flush the agent's stdin");
    }

    /// Reads the agent's lines until one satisfies `want` (`what` names it in the failure).
    fn expect(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            match self
                .lines
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "the agent did not print {what} within 20 s; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The consent prompt: `glass: Ada Lovelace asks to WHAT. Allow? [y/N] (N s)`.
    fn expect_prompt(&mut self, what: &str) -> String {
        let prompt = self.expect("a consent prompt", |l| l.contains(" asks to "));
        let head = format!("glass: Ada Lovelace asks to {what}. Allow? [y/N] (");
        let seconds = prompt
            .strip_prefix(&head)
            .and_then(|rest| rest.strip_suffix(" s)"))
            .and_then(|s| s.parse::<u32>().ok());
        // The broker declines after 60 s; the agent prints what is left, rounded down.
        assert!(
            seconds.is_some_and(|s| (59..=60).contains(&s)),
            "prompt {prompt:?}, expected {head}60 s)"
        );
        prompt
    }

    /// SIGKILL; returns the wall-clock time just before the signal.
    fn kill9(&mut self) -> f64 {
        let at = now_ms();
        self.child.kill().expect("SIGKILL the agent");
        let _ = self.child.wait();
        at
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- The browser ------------------------------------------------------------------------------------

/// `help-driver.mjs` and its Chromium, in a process group of their own: dropping it kills the
/// group, so Chromium goes too when a test fails half-way.
pub(crate) struct Driver {
    child: Child,
    stdin: ChildStdin,
    replies: mpsc::Receiver<Value>,
    next_id: u64,
    /// Node has been reaped: its group id may be reused, so it is never signalled again.
    reaped: bool,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let mut child = Command::new("node")
            .arg("help-driver.mjs")
            .current_dir(browser_dir())
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run node help-driver.mjs");
        let stdout = child.stdout.take().expect("stdout piped");
        let stdin = child.stdin.take().expect("stdin piped");
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                match serde_json::from_str::<Value>(&line) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            break;
                        }
                    }
                    Err(_) => eprintln!("[help-driver] {line}"),
                }
            }
        });
        Driver {
            child,
            stdin,
            replies,
            next_id: 1,
            reaped: false,
        }
    }

    /// Runs one command (`args` holds its fields) and returns the answer; fails the test with
    /// the page's state when the command fails or does not answer in time.
    pub(crate) fn call(&mut self, op: &str, mut args: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        args["id"] = json!(id);
        args["op"] = json!(op);
        // The driver's own waits are bounded (20 s unless timeoutMs); allow for the rest.
        let limit = Duration::from_millis(args["timeoutMs"].as_u64().unwrap_or(20_000) + 15_000);
        writeln!(self.stdin, "{args}").expect("write to help-driver.mjs");
        self.stdin.flush().expect("flush help-driver.mjs");
        let reply = loop {
            let r = match self.replies.recv_timeout(limit) {
                Ok(r) => r,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("help-driver.mjs did not answer {args} within {limit:?}")
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // Its stderr (inherited) says why.
                    panic!("help-driver.mjs exited before answering {args}")
                }
            };
            if r["id"] == id {
                break r;
            }
            assert!(r["id"].is_u64(), "help-driver.mjs: {r:#}");
        };
        assert_eq!(reply["ok"], true, "{op} failed: {args}\n{reply:#}");
        reply
    }

    /// Clicks the element with this id on `page`.
    pub(crate) fn click(&mut self, page: &str, el: &str) -> Value {
        self.call("click", json!({"page": page, "el": el}))
    }

    /// Waits until `page`'s app is in one of `phases`; returns {phase, atMs, snapshot}.
    pub(crate) fn wait_phase(&mut self, page: &str, phases: &[&str]) -> Value {
        self.call("waitPhase", json!({"page": page, "phases": phases}))
    }

    fn snapshot(&mut self, page: &str) -> Value {
        self.call("snapshot", json!({"page": page}))["snapshot"].take()
    }

    /// SIGKILL to Node and Chromium: a helper whose browser crashed.
    fn crash(&mut self) {
        self.kill_group();
    }

    fn kill_group(&mut self) {
        if self.reaped {
            return;
        }
        // The group id stays reserved while any member lives or node is unreaped, so this
        // cannot hit an unrelated process.
        if let Ok(pgid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the
            // process group that `process_group(0)` made for this child.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
        self.reaped = true;
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.kill_group();
    }
}

// ---- Reading what the page shows ------------------------------------------------------------------

/// The text of element `id` in a snapshot (Fluent's isolation marks removed).
fn text<'a>(snapshot: &'a Value, id: &str) -> &'a str {
    snapshot["elements"][id]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no element #{id} in the snapshot: {snapshot:#}"))
}

/// The value of message `id` in a Fluent catalogue (single-line messages only).
fn ftl_message(lang: &str, id: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("web/i18n/{lang}.ftl"));
    let ftl = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ftl.lines()
        .find_map(|l| {
            l.strip_prefix(id)?
                .trim_start()
                .strip_prefix('=')
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("{id} not in {}", path.display()))
}

/// English message `id` as the page shows it (web/i18n/en.ftl).
pub(crate) fn en(id: &str) -> String {
    ftl_message("en", id)
}

/// English message `id` with `$name` filled in (the snapshots drop Fluent's isolation marks).
fn en_named(id: &str, name: &str) -> String {
    ftl_message("en", id).replace("{ $name }", name)
}

/// Whether element `id` is rendered.
fn visible(snapshot: &Value, id: &str) -> bool {
    snapshot["elements"][id]["visible"]
        .as_bool()
        .unwrap_or_else(|| panic!("no element #{id} in the snapshot: {snapshot:#}"))
}

/// Checks every sampled pixel of a `waitVideo` answer against `want`.
pub(crate) fn assert_colour(video: &Value, want: (u8, u8, u8)) {
    let want = [i32::from(want.0), i32::from(want.1), i32::from(want.2)];
    let samples = video["samples"].as_array().expect("samples");
    assert!(!samples.is_empty(), "{video:#}");
    let bad: Vec<String> = samples
        .iter()
        .filter_map(|s| {
            let rgb: Vec<i32> = s["rgb"]
                .as_array()?
                .iter()
                .filter_map(|c| c.as_i64().map(|c| c as i32))
                .collect();
            let off =
                rgb.len() != 3 || rgb.iter().zip(want).any(|(g, w)| (g - w).abs() > TOLERANCE);
            off.then(|| {
                format!(
                    "{} at ({}, {}): got {rgb:?}, want {want:?}",
                    s["name"], s["x"], s["y"]
                )
            })
        })
        .collect();
    assert!(
        bad.is_empty(),
        "video pixels off by more than {TOLERANCE}: {bad:#?}"
    );
}

/// Sample points spread over a `w`×`h` picture, away from the edges.
fn samples(w: u32, h: u32) -> Value {
    let points = [
        ("centre", w / 2, h / 2),
        ("top-left", w / 8, h / 8),
        ("bottom-right", w * 7 / 8, h * 7 / 8),
    ];
    Value::Array(
        points
            .iter()
            .map(|(n, x, y)| json!({"name": n, "x": x, "y": y}))
            .collect(),
    )
}

/// A serious accessibility violation that is a known product bug, tolerated on exactly these
/// elements until it is fixed. Each must still occur: once the fix lands the test fails and
/// says to delete the entry, so an exemption cannot outlive its bug.
struct KnownViolation {
    /// axe rule id.
    rule: &'static str,
    /// Every offending element's HTML starts with this.
    html_prefix: &'static str,
    /// Where the bug is.
    why: &'static str,
}

const KNOWN_AXE: &[KnownViolation] = &[];

/// The axe-core run of `page`: prints every violation and fails on serious or critical ones
/// (bar [`KNOWN_AXE`]).
fn assert_accessible(driver: &mut Driver, page: &str, state: &str) {
    let axe = driver.call("axe", json!({"page": page}));
    let version = axe["version"].as_str().unwrap_or("?");
    let violations = axe["violations"].as_array().expect("violations");
    for v in violations {
        eprintln!(
            "axe {version} on the {page} page ({state}): {} [{}] {}\n  {}",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["nodes"]
        );
    }
    let known = |v: &Value| {
        KNOWN_AXE.iter().find(|k| {
            v["id"] == k.rule
                && v["nodes"].as_array().is_some_and(|nodes| {
                    nodes.iter().all(|n| {
                        n["html"]
                            .as_str()
                            .is_some_and(|h| h.starts_with(k.html_prefix))
                    })
                })
        })
    };
    let serious: Vec<&Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    for k in KNOWN_AXE {
        assert!(
            serious
                .iter()
                .any(|v| known(v).is_some_and(|found| found.rule == k.rule)),
            "axe no longer reports the known \"{}\" violation on the {page} page: if it was \
             fixed ({}), delete its KNOWN_AXE entry in tests/help_browser.rs",
            k.rule,
            k.why
        );
    }
    for v in &serious {
        if let Some(k) = known(v) {
            eprintln!(
                "KNOWN PRODUCT BUG, tolerated: axe \"{}\": {}",
                k.rule, k.why
            );
        }
    }
    let unknown: Vec<&&Value> = serious.iter().filter(|v| known(v).is_none()).collect();
    assert!(
        unknown.is_empty(),
        "axe found serious or critical violations on the {page} page ({state}): {unknown:#?}"
    );
}

// ---- A helper in Chromium and the native agent on Xvfb ----------------------------------------------

/// Xvfb with the recording X client, the broker, the helper signed in (page "helper") with a
/// code, and the agent that redeemed it. Fields drop in order: the agent and the browser go
/// before the X server.
struct AgentSession {
    agent: Agent,
    driver: Driver,
    _broker: Broker,
    client: XClient,
    xvfb: Xvfb,
}

impl AgentSession {
    /// Up to "the sharer has joined": returns the session and the helper's snapshot then.
    fn start() -> (AgentSession, Value) {
        AgentSession::start_with(json!({}))
    }

    /// [`AgentSession::start`] with more options for the helper page's `open` (e.g.
    /// `{"noKeyboardLock": true}`).
    fn start_with(open: Value) -> (AgentSession, Value) {
        let xvfb = Xvfb::start(XW, XH);
        // Two screens side by side (RandR 1.5 monitors), for "Select monitor"; the agent
        // shares the whole X screen until the helper picks one.
        xvfb.run(
            "xrandr",
            &["--setmonitor", "glass-l", "400/100x600/150+0+0", "none"],
        );
        xvfb.run(
            "xrandr",
            &["--setmonitor", "glass-r", "400/100x300/75+400+0", "none"],
        );
        let client = XClient::open(xvfb.display(), XW as u16, XH as u16);
        let broker = Broker::start();
        let mut driver = Driver::start();
        let mut options = json!({"page": "helper", "url": format!("{}/", broker.url)});
        for (k, v) in open.as_object().expect("open options are an object") {
            options[k] = v.clone();
        }
        let opened = driver.call("open", options);
        assert_eq!(opened["snapshot"]["view"], "view-signin", "{opened:#}");
        let signed_in = driver.call(
            "signin",
            json!({"page": "helper", "user": "helper", "password": broker.helper_password}),
        );
        assert_eq!(
            text(&signed_in["snapshot"], "who"),
            en_named("signed-in-as", ADA)
        );
        let code = driver.call("getCode", json!({"page": "helper"}));
        let code_text = code["code"].as_str().expect("code").to_owned();
        // What the helper reads out: two groups of four, and where the sharer goes.
        assert_eq!(code["groups"].as_array().map(Vec::len), Some(2), "{code:#}");
        assert_eq!(
            code["shareUrl"],
            format!("{}/share", broker.url),
            "{code:#}"
        );

        let mut agent = Agent::start(&broker, &code_text, xvfb.display());
        agent.expect("the helper's card", |l| {
            // This agent trusts no issuer (no --helper-issuer): the card is the broker's word.
            l == "glass: your helper is Ada Lovelace — IT support engineer, Contoso — contoso.com ✓ \
                  — identity vouched for by the help desk's server only"
        });
        let joined = driver.wait_phase("helper", &["sharer_joined"]);
        let session = AgentSession {
            agent,
            driver,
            _broker: broker,
            client,
            xvfb,
        };
        (session, joined["snapshot"].clone())
    }

    /// Answers the pending prompt with `y`; returns when the page's video plays (≥ 1 frame:
    /// an unchanging screen sends few) with {firstFrameAtMs, samples, …} and the time of `y`.
    fn allow_and_watch(&mut self, prompt: &str, sharing_line: &str) -> (Value, f64) {
        self.agent.expect_prompt(prompt);
        self.driver.call("armFirstFrame", json!({"page": "helper"}));
        let allowed_at = now_ms();
        self.agent.type_line("y");
        self.agent
            .expect(sharing_line, |l| l.starts_with(sharing_line));
        let video = self.driver.call(
            "waitVideo",
            json!({"page": "helper", "samples": samples(XW, XH), "minFrames": 1}),
        );
        assert_eq!(
            (video["width"].as_u64(), video["height"].as_u64()),
            (Some(XW.into()), Some(XH.into())),
            "{video:#}"
        );
        (video, allowed_at)
    }
}

fn near(a: (i16, i16), b: (i16, i16)) -> bool {
    (a.0 - b.0).abs() <= 1 && (a.1 - b.1).abs() <= 1
}

/// The whole story with the native agent: the helper signs in and gets a code, the agent
/// redeems it and each side sees the other's card; a declined request shows nothing; an
/// allowed one shows the X screen, view only; an escalation to full control lets the
/// helper's click land on the X display; chat passes both ways in three scripts, isolated;
/// the page passes axe; and the agent killed with SIGKILL shows as "left" within 2 s.
#[test]
fn help_session_with_native_agent_end_to_end() {
    check_tools();
    let _one = one_at_a_time();
    let (mut s, joined) = AgentSession::start();

    // The helper sees who joined, and with what.
    let card = text(&joined, "sharer-card");
    for want in [
        SAM,
        "Accountant",
        "Contoso",
        "contoso.com",
        &en("domain-verified"),
    ] {
        assert!(card.contains(want), "sharer card {card:?} lacks {want:?}");
    }
    assert_eq!(
        text(&joined, "status"),
        en_named("helper-state-sharer_joined", SAM)
    );
    assert_eq!(text(&joined, "sharer-client"), en("client-agent"));
    assert!(
        visible(&joined, "request-view") && visible(&joined, "request-full"),
        "{joined:#}"
    );
    assert!(!visible(&joined, "full-note"), "{joined:#}");

    // 1. View only, declined: nothing is shared, no connection, no frame.
    s.driver.click("helper", "request-view");
    s.agent.expect_prompt("SEE your screen");
    s.agent.type_line("n");
    let declined = s.driver.wait_phase("helper", &["declined"]);
    let snap = &declined["snapshot"];
    assert_eq!(
        text(snap, "sharer-message"),
        en_named("declined-declined", SAM),
        "{snap:#}"
    );
    assert_eq!(
        text(snap, "status"),
        en_named("helper-state-declined", SAM),
        "{snap:#}"
    );
    assert_eq!(
        text(snap, "request-view"),
        en("try-again-view-button"),
        "{snap:#}"
    );
    s.agent
        .expect("\"not sharing\"", |l| l == "glass: not sharing");
    let snap = s.driver.snapshot("helper");
    assert_eq!(
        snap["rtc"],
        Value::Null,
        "a connection was made after a decline: {snap:#}"
    );
    assert_eq!(snap["video"]["hasStream"], false, "{snap:#}");
    assert_eq!(snap["video"]["width"], 0, "{snap:#}");
    assert_eq!(
        snap["video"]["frames"], 0,
        "a frame arrived after a decline: {snap:#}"
    );
    assert!(
        !s.agent.seen.iter().any(|l| l.contains("SHARING")),
        "the agent shared after a decline: {:#?}",
        s.agent.seen
    );

    // 2. View only again, allowed: the helper sees the X screen's colour.
    s.driver.click("helper", "request-view");
    let (video, allowed_at) =
        s.allow_and_watch("SEE your screen", "glass: SHARING your screen, view only");
    assert_colour(&video, X_BACKGROUND);
    let first_frame_ms = video["firstFrameAtMs"].as_f64().expect("firstFrameAtMs") - allowed_at;
    eprintln!(
        "native agent: first frame at the helper {first_frame_ms:.0} ms after the sharer typed y ({})",
        video["codec"]
    );
    let snap = s.driver.snapshot("helper");
    assert_eq!(snap["view"], "view-stage", "{snap:#}");
    assert_eq!(
        text(&snap, "status"),
        en_named("helper-state-connected", SAM),
        "{snap:#}"
    );
    assert_eq!(text(&snap, "level"), en("level-view"), "{snap:#}");
    assert!(
        visible(&snap, "request-full-live") && !visible(&snap, "release"),
        "{snap:#}"
    );

    // View only: the helper's click and key change nothing on the X display.
    s.client
        .collect_until(Duration::from_millis(100), |_| false);
    s.client.events.clear();
    s.driver.call(
        "videoMouse",
        json!({"page": "helper", "action": "click", "at": [200, 150]}),
    );
    s.driver.call(
        "key",
        json!({"page": "helper", "action": "press", "code": "KeyA"}),
    );
    // A negative: give injected events (they take ~1 ms on loopback) ample time to show.
    s.client
        .collect_until(Duration::from_millis(700), |ev| !ev.is_empty());
    assert!(
        s.client.events.is_empty(),
        "view only, yet the X display got {:?}",
        s.client.events
    );

    // 3. Escalation to full control: the helper's click lands where it was made.
    s.driver.click("helper", "request-full-live");
    s.agent
        .expect_prompt("SEE and CONTROL your screen (mouse and keyboard)");
    s.agent.type_line("y");
    s.agent.expect("full control", |l| {
        l.starts_with("glass: SHARING with FULL CONTROL")
    });
    let control = s
        .driver
        .call("waitControl", json!({"page": "helper", "level": "full"}));
    assert_eq!(
        text(&control["snapshot"], "level"),
        en("level-full"),
        "{control:#}"
    );
    assert!(visible(&control["snapshot"], "release"), "{control:#}");
    assert!(
        !visible(&control["snapshot"], "request-full-live"),
        "{control:#}"
    );
    s.driver.call(
        "videoMouse",
        json!({"page": "helper", "action": "click", "at": [300, 200]}),
    );
    s.client.collect_until(Duration::from_secs(5), |ev| {
        ev.iter().any(|e| matches!(e, XEvent::ButtonRelease(1, ..)))
    });
    let ev = &s.client.events;
    assert!(
        ev.iter()
            .any(|e| matches!(e, XEvent::ButtonPress(1, x, y) if near((*x, *y), (300, 200)))),
        "no left click at (300, 200) on the X display: {ev:?}"
    );
    assert!(
        near(s.client.pointer(), (300, 200)),
        "pointer at {:?}",
        s.client.pointer()
    );

    // 4. Chat both ways, in three scripts.
    for line in CHAT {
        s.driver
            .call("chatSend", json!({"page": "helper", "text": line}));
        s.agent.expect(&format!("the helper's {line:?}"), |l| {
            l == format!("[Ada Lovelace] {line}")
        });
    }
    for line in CHAT {
        s.agent.type_line(line);
        let shown = s.driver.call(
            "waitChat",
            json!({"page": "helper", "text": line, "mine": false}),
        );
        assert_eq!(shown["text"], line, "{shown:#}");
        assert_eq!(shown["name"], SAM, "{shown:#}");
        assert!(
            shown["dir"] == "auto" || shown["inBdi"] == true,
            "chat line not isolated (dir=auto or <bdi>): {shown:#}"
        );
        // dir=auto resolves from the first strong character: Arabic reads right to left.
        let want = if line == CHAT[0] { "rtl" } else { "ltr" };
        assert_eq!(shown["direction"], want, "{shown:#}");
    }

    // 4b. Copy and paste, with full control: the helper's browser clipboard to the X
    // desktop (a real X client pastes it), and a copy on the X desktop to the helper's.
    let theirs = "helper → sharer ✓ 日本";
    s.driver.call(
        "evaluate",
        json!({"page": "helper", "expr": format!("navigator.clipboard.writeText({theirs:?}).then(() => true)")}),
    );
    s.driver.click("helper", "clipboard-send");
    let xclip = |args: &[&str]| {
        std::process::Command::new("xclip")
            .args(args)
            .env("DISPLAY", s.xvfb.display())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("xclip")
    };
    let end = Instant::now() + Duration::from_secs(5);
    let mut pasted = String::new();
    while Instant::now() < end && pasted != theirs {
        let out = xclip(&["-selection", "clipboard", "-o"])
            .wait_with_output()
            .unwrap();
        pasted = String::from_utf8_lossy(&out.stdout).into_owned();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(pasted, theirs, "the X desktop pastes the helper's copy");
    let ours = "sharer → helper: مرحبا";
    let mut copier = xclip(&["-selection", "clipboard", "-i", "-quiet"]);
    {
        use std::io::Write;
        copier
            .stdin
            .take()
            .unwrap()
            .write_all(ours.as_bytes())
            .unwrap();
    }
    let shown = s.driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "new Promise((done) => { const t = setInterval(() => { if (!document.getElementById('clipboard-in').hidden) { clearInterval(t); done(document.getElementById('clipboard-in-text').textContent); } }, 20); setTimeout(() => done(null), 5000); })"}),
    );
    assert!(
        shown["value"]
            .as_str()
            .is_some_and(|t| t.contains(&ours.chars().count().to_string())),
        "the helper is told of the copy: {shown:#}"
    );
    s.driver.click("helper", "clipboard-copy");
    let got = s.driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "navigator.clipboard.readText()"}),
    );
    assert_eq!(
        got["value"], ours,
        "the helper's clipboard has the sharer's copy"
    );
    let _ = copier.kill();
    let _ = copier.wait();

    // 5. Accessibility in the connected state (video, full control, chat thread).
    assert_accessible(&mut s.driver, "helper", "connected, full control, chat");

    // 5b. "Select monitor": the right-hand screen, which shows a red window. The picture
    // becomes that screen: its size, its colour.
    let desk = crate::cursor::Desk::open(s.xvfb.display());
    desk.window(400, 0, 400, 300, 0xc0_20_20, crate::cursor::XC_HAND2);
    let snap = s.driver.snapshot("helper");
    assert!(visible(&snap, "display-pick"), "{snap:#}");
    s.driver.call(
        "selectOption",
        json!({"page": "helper", "element": "display", "value": "glass-r"}),
    );
    let video = s.driver.call(
        "waitVideo",
        json!({"page": "helper", "samples": samples(400, 300), "minFrames": 1, "width": 400}),
    );
    assert_eq!(video["height"], 300, "{video:#}");
    assert_colour(&video, (0xc0, 0x20, 0x20));
    let current = s.driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "window.glassHelper.displays?.current"}),
    );
    assert_eq!(current["value"], "glass-r", "{current:#}");

    // 6. The sharer's machine dies: the helper sees it within 2 s.
    let killed_at = s.agent.kill9();
    let left = s.driver.wait_phase("helper", &["sharer_left", "ended"]);
    let notice_ms = left["atMs"].as_f64().expect("atMs") - killed_at;
    eprintln!(
        "native agent killed: the helper page showed \"{}\" after {notice_ms:.0} ms",
        text(&left["snapshot"], "ended-message")
    );
    assert_eq!(left["phase"], "sharer_left", "{left:#}");
    assert!(
        (-2.0..=NOTICE_LIMIT_MS).contains(&notice_ms),
        "the helper saw the killed agent after {notice_ms:.0} ms (limit 2 s): {left:#}"
    );
    let snap = &left["snapshot"];
    assert_eq!(snap["view"], "view-ended", "{snap:#}");
    assert_eq!(
        text(snap, "status"),
        en_named("helper-state-sharer_left", SAM),
        "{snap:#}"
    );
    assert_eq!(
        text(snap, "ended-message"),
        en_named("left-lost", SAM),
        "{snap:#}"
    );
    assert_eq!(snap["video"]["hasStream"], false, "{snap:#}");
}

/// How the helper's browser goes away while holding input.
#[derive(Clone, Copy, Debug)]
enum HelperGoes {
    /// The tab is closed (no Leave click; the page's pagehide handler runs).
    ClosesTab,
    /// Chromium and its driver are SIGKILLed: nothing is said on the way out.
    Crashes,
}

/// Full control, the helper holds the left button and Control; then the helper's browser
/// goes `how`: within 2 s the X display sees both released, and the agent's session ends.
fn held_input_is_released(how: HelperGoes) {
    check_tools();
    let _one = one_at_a_time();
    // The crashing helper's browser has no Keyboard Lock (as Firefox and Safari): it is told
    // that system shortcuts stay on the helper's computer; Chromium, which has it, is not.
    let no_lock = matches!(how, HelperGoes::Crashes);
    let (mut s, joined) = AgentSession::start_with(json!({"noKeyboardLock": no_lock}));
    assert!(!visible(&joined, "keyboard-note"), "{joined:#}");
    // Full control as the first request.
    s.driver.click("helper", "request-full");
    let (video, _) = s.allow_and_watch(
        "SEE and CONTROL your screen (mouse and keyboard)",
        "glass: SHARING with FULL CONTROL",
    );
    assert_colour(&video, X_BACKGROUND);
    let control = s
        .driver
        .call("waitControl", json!({"page": "helper", "level": "full"}));
    let snap = s.driver.snapshot("helper");
    assert_eq!(
        visible(&snap, "keyboard-note"),
        no_lock,
        "{snap:#} {control:#}"
    );
    if no_lock {
        assert_eq!(
            text(&snap, "keyboard-note"),
            en("keyboard-lock-unavailable")
        );
    }

    s.driver.call(
        "videoMouse",
        json!({"page": "helper", "action": "down", "at": [400, 300]}),
    );
    s.driver.call(
        "key",
        json!({"page": "helper", "action": "down", "code": "ControlLeft"}),
    );
    let holds = |ev: &[XEvent]| {
        ev.iter().any(|e| matches!(e, XEvent::KeyPress(0xffe3, _)))
            && ev.iter().any(|e| matches!(e, XEvent::ButtonPress(1, ..)))
    };
    s.client.collect_until(Duration::from_secs(5), holds);
    assert!(
        holds(&s.client.events),
        "the X display never saw Control and the button go down: {:?}",
        s.client.events
    );
    assert!(s.client.holds_anything());
    let held = s.client.events.len();

    let gone = Instant::now();
    match how {
        HelperGoes::ClosesTab => {
            s.driver.call("closePage", json!({"page": "helper"}));
        }
        HelperGoes::Crashes => {
            s.driver.crash();
        }
    }
    s.client.collect_until(Duration::from_secs(5), |ev| {
        let after = &ev[held..];
        after
            .iter()
            .any(|e| matches!(e, XEvent::KeyRelease(0xffe3, _)))
            && after
                .iter()
                .any(|e| matches!(e, XEvent::ButtonRelease(1, ..)))
    });
    let released = gone.elapsed();
    assert!(
        !s.client.holds_anything(),
        "still held {released:?} after the helper's browser went ({how:?}): {:?}",
        s.client.events
    );
    eprintln!("helper's browser {how:?}: held Control and left button released after {released:?}");
    assert!(
        released.as_secs_f64() * 1000.0 <= NOTICE_LIMIT_MS,
        "held input released only after {released:?} (limit 2 s, {how:?})"
    );
    // And the sharer is told the session is over.
    let ended = s.agent.expect("the end of the session", |l| {
        l.starts_with("glass: session ended (")
    });
    eprintln!("agent: {ended}");
    assert!(
        ended == "glass: session ended (left)" || ended == "glass: session ended (lost)",
        "{ended}"
    );
}

#[test]
fn helper_closing_the_tab_releases_held_keys() {
    held_input_is_released(HelperGoes::ClosesTab);
}

#[test]
fn helper_browser_crash_releases_held_keys() {
    held_input_is_released(HelperGoes::Crashes);
}

// ---- The web sharer -----------------------------------------------------------------------------------

/// The web sharer's fake screen (a canvas stream: headless Chromium cannot capture a screen).
const WEB_W: u32 = 640;
const WEB_H: u32 = 360;
const WEB_COLOUR: (u8, u8, u8) = (230, 120, 30);

/// Helper and web sharer in Chromium: the helper is never offered full control; the sharer
/// sees the helper's card before allowing; after Allow the helper sees the sharer's screen
/// and the sharer a banner that stays on screen; Stop ends it for both and stops capture.
#[test]
fn web_sharer_view_only() {
    check_tools();
    let _one = one_at_a_time();
    let broker = Broker::start();
    let mut d = Driver::start();
    d.call(
        "open",
        json!({"page": "helper", "url": format!("{}/", broker.url)}),
    );
    d.call(
        "signin",
        json!({"page": "helper", "user": "helper", "password": broker.helper_password}),
    );
    let code = d.call("getCode", json!({"page": "helper"}));
    // A small window, so the sharer's page scrolls and the banner has to stay put.
    d.call(
        "open",
        json!({
            "page": "sharer",
            "url": code["shareUrl"],
            "viewport": {"width": 900, "height": 420},
            "fakeScreen": {"rgb": [WEB_COLOUR.0, WEB_COLOUR.1, WEB_COLOUR.2], "width": WEB_W, "height": WEB_H},
        }),
    );
    d.call(
        "signin",
        json!({"page": "sharer", "user": "sharer", "password": broker.sharer_password}),
    );
    // As a person would type it: lower case, with a space.
    let typed = code["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g.as_str().unwrap().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let redeemed = d.call("redeem", json!({"page": "sharer", "code": typed}));
    let snap = &redeemed["snapshot"];
    assert_eq!(snap["phase"], "joined", "{snap:#}");
    let card = text(snap, "helper-card");
    for want in [
        ADA,
        "IT support engineer",
        "Contoso",
        "contoso.com",
        &en("domain-verified"),
    ] {
        assert!(card.contains(want), "helper card {card:?} lacks {want:?}");
    }
    assert!(
        !visible(snap, "allow"),
        "Allow shown before anything was asked: {snap:#}"
    );

    // The helper: a web sharer, so view only is the one thing to ask for, and the page says why.
    let joined = d.wait_phase("helper", &["sharer_joined"]);
    let snap = &joined["snapshot"];
    assert_eq!(text(snap, "sharer-client"), en("client-web"), "{snap:#}");
    assert!(visible(snap, "request-view"), "{snap:#}");
    assert!(
        !visible(snap, "request-full"),
        "full control offered for a web sharer: {snap:#}"
    );
    assert!(visible(snap, "full-note"), "{snap:#}");
    assert_eq!(text(snap, "full-note"), en("full-not-possible"), "{snap:#}");

    // The request: the sharer sees who asks, and what; nothing is captured yet.
    d.click("helper", "request-view");
    let asking = d.wait_phase("sharer", &["asking"]);
    let snap = &asking["snapshot"];
    assert_eq!(
        text(snap, "helper-heading"),
        en_named("consent-heading", ADA),
        "{snap:#}"
    );
    assert!(text(snap, "helper-card").contains(ADA), "{snap:#}");
    assert!(
        visible(snap, "allow") && !snap["elements"]["allow"]["disabled"].as_bool().unwrap(),
        "{snap:#}"
    );
    assert!(visible(snap, "decline"), "{snap:#}");
    assert_eq!(
        snap["capture"]["calls"], 0,
        "captured before Allow: {snap:#}"
    );
    assert!(!visible(snap, "banner"), "{snap:#}");

    d.call("armFirstFrame", json!({"page": "helper"}));
    let allow = d.click("sharer", "allow");
    let sharing = d.wait_phase("sharer", &["sharing"]);
    let video = d.call(
        "waitVideo",
        json!({"page": "helper", "samples": samples(WEB_W, WEB_H), "minFrames": 10}),
    );
    assert_eq!(
        (video["width"].as_u64(), video["height"].as_u64()),
        (Some(WEB_W.into()), Some(WEB_H.into())),
        "{video:#}"
    );
    assert_colour(&video, WEB_COLOUR);
    let first_frame_ms = video["firstFrameAtMs"].as_f64().expect("firstFrameAtMs")
        - allow["atMs"].as_f64().expect("atMs");
    eprintln!(
        "web sharer: first frame at the helper {first_frame_ms:.0} ms after the Allow click ({})",
        video["codec"]
    );

    // The sharer's indicator: there, saying with whom, and still on screen when scrolled.
    let snap = &sharing["snapshot"];
    assert!(visible(snap, "banner"), "{snap:#}");
    assert_eq!(
        text(snap, "banner-text"),
        en_named("sharing-banner", ADA),
        "{snap:#}"
    );
    assert!(visible(snap, "stop"), "{snap:#}");
    assert_eq!(snap["capture"]["calls"], 1, "{snap:#}");
    assert_accessible(&mut d, "sharer", "sharing");
    let pinned = d.call("pinned", json!({"page": "sharer", "el": "banner"}));
    assert!(
        pinned["scrollY"].as_f64().unwrap() > 0.0,
        "the sharer page does not scroll: {pinned:#}"
    );
    let (top, bottom) = (
        pinned["top"].as_f64().unwrap(),
        pinned["bottom"].as_f64().unwrap(),
    );
    assert!(
        matches!(pinned["position"].as_str(), Some("sticky" | "fixed"))
            && top >= 0.0
            && bottom > 0.0,
        "the sharing banner scrolled away: {pinned:#}"
    );

    // The helper while watching: still no way to full control, and the page says why.
    let snap = d.snapshot("helper");
    assert_eq!(text(&snap, "level"), en("level-view"), "{snap:#}");
    assert!(
        !visible(&snap, "request-full-live") && !visible(&snap, "release"),
        "{snap:#}"
    );
    assert!(visible(&snap, "full-note-live"), "{snap:#}");
    assert_eq!(snap["control"], "view", "{snap:#}");

    // Stop: the helper sees the sharer leave, the capture ends.
    let stop = d.click("sharer", "stop");
    let left = d.wait_phase("helper", &["sharer_left", "ended"]);
    let left_ms = left["atMs"].as_f64().unwrap() - stop["atMs"].as_f64().unwrap();
    eprintln!("web sharer stopped: the helper page showed it after {left_ms:.0} ms");
    let snap = &left["snapshot"];
    assert_eq!(left["phase"], "sharer_left", "{left:#}");
    assert_eq!(
        text(snap, "ended-message"),
        en_named("left-left", SAM),
        "{snap:#}"
    );
    assert_eq!(snap["video"]["hasStream"], false, "{snap:#}");
    let snap = d.snapshot("sharer");
    assert_eq!(snap["view"], "view-ended", "{snap:#}");
    assert_eq!(
        text(&snap, "ended-message"),
        en("ended-stopped"),
        "{snap:#}"
    );
    assert!(!visible(&snap, "banner"), "{snap:#}");
    assert_eq!(
        snap["capture"]["tracks"],
        json!(["ended"]),
        "capture still running: {snap:#}"
    );
}

// ---- Languages --------------------------------------------------------------------------------------

/// A browser whose language is Arabic gets both apps right to left, in Arabic.
#[test]
fn arabic_browser_gets_right_to_left_pages() {
    check_tools();
    let _one = one_at_a_time();
    let broker = Broker::start();
    let mut d = Driver::start();
    let signin = ftl_message("ar", "signin-button");
    assert_ne!(signin, ftl_message("en", "signin-button"));
    for (page, path) in [("helper", "/"), ("sharer", "/share")] {
        let opened = d.call(
            "open",
            json!({"page": page, "url": format!("{}{path}", broker.url), "locale": "ar"}),
        );
        let snap = &opened["snapshot"];
        assert_eq!(
            (snap["lang"].as_str(), snap["dir"].as_str()),
            (Some("ar"), Some("rtl")),
            "{page}: {snap:#}"
        );
        assert_eq!(
            opened["signinButton"].as_str().map(str::trim),
            Some(signin.as_str()),
            "{page}: {opened:#}"
        );
    }
}

/// A browser without WebRTC (WebKitGTK as Debian builds it has no `RTCPeerConnection`; this
/// is Chromium with it removed before the page runs) is told so once it has a code, and its
/// request buttons do nothing: feature detection, not the user agent.
#[test]
fn a_browser_without_webrtc_is_told_so() {
    check_tools();
    let _one = one_at_a_time();
    let broker = Broker::start();
    let mut d = Driver::start();
    d.call(
        "open",
        json!({"page": "helper", "url": format!("{}/", broker.url), "noWebrtc": true}),
    );
    d.call(
        "signin",
        json!({"page": "helper", "user": "helper", "password": broker.helper_password}),
    );
    d.call("getCode", json!({"page": "helper"}));
    let snap = d.snapshot("helper");
    assert_eq!(
        d.call(
            "evaluate",
            json!({"page": "helper", "expr": "window.glassHelper.webrtc"})
        )["value"],
        false
    );
    assert!(visible(&snap, "alert"), "{snap:#}");
    assert_eq!(text(&snap, "alert"), en("webrtc-unsupported"), "{snap:#}");
}

// ---- A helper in Firefox ------------------------------------------------------------------------

/// The help flow with the helper in Firefox ESR (no H.264: VP8) and the native agent sharing a
/// synthetic screen, all in one network namespace (Firefox offers no loopback candidate; there
/// its host candidate is NETNS_ADDR, where the agent binds): sign in, get a code, the agent
/// redeems it and shows the helper's card, the helper sees the sharer's card; a declined view
/// shows nothing; an allowed one plays the agent's screen in VP8 at its size and colours; after
/// Leave the page has ended and the agent says the session ended. Driven by firefox-help.mjs.
#[test]
fn firefox_helper_sees_native_agent_in_vp8() {
    crate::browser::check_firefox();
    let _one = one_at_a_time();
    let t0 = Instant::now();
    let netns = Netns::new("ffhelp");
    let broker = Broker::start_in(Some(&netns));
    let samples = crate::browser::typing_samples();
    let mut node = Node::spawn_in(
        Some(&netns),
        "firefox-help.mjs",
        &[
            &format!("{}/", broker.url),
            "helper",
            &broker.helper_password,
            &crate::browser::samples_arg(&samples),
        ],
    );
    let lines = node.lines("firefox-help");
    let next = |want: &str| -> Value {
        let got = lines
            .recv_timeout(Duration::from_secs(45))
            .unwrap_or_else(|_| panic!("firefox-help reported no {want:?} within 45 s"));
        assert_eq!(got["phase"], want, "{got:#}");
        got
    };

    let code = next("code");
    let code = code["code"].as_str().expect("code");
    let (w, h) = (crate::browser::W, crate::browser::H);
    let mut agent = Agent::start_in(
        Some(&netns),
        &broker,
        code,
        &format!("synthetic:typing:{w}x{h}@30"),
        NETNS_ADDR,
    );
    agent.expect("the helper's card", |l| {
        l.starts_with("glass: your helper is Ada Lovelace — ")
    });
    let joined = next("joined");
    let card = joined["card"].as_str().unwrap_or_default();
    for want in [SAM, "Contoso"] {
        assert!(card.contains(want), "sharer card {card:?} lacks {want:?}");
    }
    assert_eq!(
        joined["status"],
        en_named("helper-state-sharer_joined", SAM),
        "{joined:#}"
    );

    // Declined: no connection, no picture.
    agent.expect_prompt("SEE your screen");
    agent.type_line("n");
    let declined = next("declined");
    assert_eq!(declined["rtc"], Value::Null, "{declined:#}");
    assert_eq!(declined["video"]["hasStream"], false, "{declined:#}");
    assert_eq!(declined["video"]["width"], 0, "{declined:#}");
    agent.expect("\"not sharing\"", |l| l == "glass: not sharing");

    // Allowed: the agent's screen plays in Firefox, in VP8, at its size and colours.
    agent.expect_prompt("SEE your screen");
    agent.type_line("y");
    agent.expect("sharing", |l| {
        l.starts_with("glass: SHARING your screen, view only")
    });
    let playing = next("playing");
    assert_eq!(playing["codec"], "video/VP8", "{playing:#}");
    assert_eq!(
        (
            playing["video"]["width"].as_u64(),
            playing["video"]["height"].as_u64()
        ),
        (Some(w.into()), Some(h.into())),
        "{playing:#}"
    );
    let bad = crate::browser::pixels_off(&samples, &playing);
    assert!(bad.is_empty(), "pixels off: {bad:#?}\n{playing:#}");
    assert_eq!(
        playing["status"],
        en_named("helper-state-connected", SAM),
        "{playing:#}"
    );

    // Leave: the page ends the session and the agent is told.
    let left = next("left");
    assert_eq!(left["appPhase"], "ended", "{left:#}");
    assert_eq!(left["view"], "view-ended", "{left:#}");
    let ended = agent.expect("the end of the session", |l| {
        l.starts_with("glass: session ended (")
    });
    assert_eq!(ended, "glass: session ended (left)");
    let _ = node.0.wait();
    drop(agent);
    drop(broker);
    drop(netns);
    eprintln!("Firefox help test took {:?}", t0.elapsed());
}
