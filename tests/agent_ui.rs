//! The agent's approval page (`glass_agent::local_ui`) in headless Chromium: the test plays the
//! agent (it feeds `AgentEvent`s and reads the `LocalAction`s) and `tests/browser/agent-ui.mjs`
//! plays the sharer's browser. Only a click on Allow answers; clicking nothing sends nothing;
//! a page without the secret, or under another host name, can do nothing.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js and `tests/browser/node_modules`:
//! `scripts/setup.sh` installs all three. A missing piece fails the test; it never skips.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use glass::agent::help::{AgentEvent, LocalAction};
use glass::agent::helper_identity::HelperIdentity;
use glass::agent::local_ui::LocalUi;
use glass_protocol::{Card, Level, Side};
use serde_json::{Value, json};
use tokio::runtime::Runtime;

const FP: &str = "sha-256 4B:F2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68:F3";
use tokio::sync::mpsc;

use crate::browser::browser_dir;

fn check_tools() {
    crate::browser::check_tools_with(&[]);
}

/// `agent-ui.mjs` and its Chromium in a process group of their own: dropping the driver
/// kills the group, so Chromium goes too when the test fails half-way.
struct Driver {
    child: Child,
    stdin: ChildStdin,
    replies: std_mpsc::Receiver<Value>,
}

impl Driver {
    fn start() -> Driver {
        let mut child = Command::new("node")
            .arg("agent-ui.mjs")
            .current_dir(browser_dir())
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run node agent-ui.mjs");
        let stdout = child.stdout.take().expect("stdout piped");
        let (tx, replies) = std_mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                match serde_json::from_str(&line) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            break;
                        }
                    }
                    Err(_) => eprintln!("agent-ui: {line}"),
                }
            }
        });
        let stdin = child.stdin.take().expect("stdin piped");
        let mut driver = Driver {
            child,
            stdin,
            replies,
        };
        let ready = driver.reply();
        assert_eq!(ready["ready"], true, "{ready}");
        driver
    }

    fn reply(&mut self) -> Value {
        self.replies
            .recv_timeout(Duration::from_secs(60))
            .expect("agent-ui.mjs answered within 60 s")
    }

    /// Sends a command; fails the test when the driver reports an error.
    fn call(&mut self, command: Value) -> Value {
        writeln!(self.stdin, "{command}").expect("write to the driver");
        self.stdin.flush().expect("flush the driver");
        let reply = self.reply();
        assert!(reply.get("error").is_none(), "{command}\nfailed: {reply:#}");
        reply
    }

    fn open(&mut self, page: &str, url: &str) -> Value {
        self.call(json!({"cmd": "open", "page": page, "url": url}))
    }

    /// Waits until `expr` is truthy in `page`; returns its value.
    fn wait(&mut self, page: &str, expr: &str) -> Value {
        self.call(json!({"cmd": "wait", "page": page, "expr": expr}))["value"].clone()
    }

    fn eval(&mut self, page: &str, expr: &str) -> Value {
        self.call(json!({"cmd": "eval", "page": page, "expr": expr}))["value"].clone()
    }

    fn click(&mut self, selector: &str) {
        self.call(json!({"cmd": "click", "page": "main", "selector": selector}));
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, r#"{{"cmd":"quit"}}"#);
        let _ = self.stdin.flush();
        std::thread::sleep(Duration::from_millis(200));
        if let Ok(pgid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the
            // process group that `process_group(0)` made for this child.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

/// The agent's side: events in, actions out.
struct Agent {
    rt: Runtime,
    events: mpsc::Sender<AgentEvent>,
    actions: mpsc::Receiver<LocalAction>,
}

impl Agent {
    fn send(&self, event: AgentEvent) {
        self.rt
            .block_on(self.events.send(event))
            .expect("page running");
    }

    /// The next action, within 5 s.
    fn next(&mut self, what: &str) -> LocalAction {
        let actions = &mut self.actions;
        self.rt
            .block_on(async { tokio::time::timeout(Duration::from_secs(5), actions.recv()).await })
            .unwrap_or_else(|_| panic!("no action within 5 s after {what}"))
            .expect("actions open")
    }

    /// Nothing arrives for `wait`.
    fn nothing(&mut self, wait: Duration, after: &str) {
        std::thread::sleep(wait);
        assert_eq!(
            self.actions.try_recv().ok(),
            None,
            "an action after {after}"
        );
    }
}

fn card(name: &str) -> Card {
    Card {
        name: name.into(),
        title: "IT support engineer".into(),
        company: "Contoso".into(),
        picture: None,
        domain: "contoso.com".into(),
        domain_verified: true,
        vouched: Default::default(),
    }
}

/// Text of an element with Fluent's isolation marks (FSI, PDI) removed.
fn text_of(id: &str) -> String {
    format!("document.getElementById('{id}').textContent.replace(/[\\u2068\\u2069]/g, '')")
}

fn shown(id: &str) -> String {
    format!("!document.getElementById('{id}').hidden")
}

#[test]
fn only_a_click_on_allow_answers_and_a_page_without_the_secret_cannot_act() {
    check_tools();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (events, events_rx) = mpsc::channel(64);
    let (actions_tx, actions) = mpsc::channel(64);
    let ui = {
        let _inside = rt.enter();
        LocalUi::start(events_rx, actions_tx).expect("page starts")
    };
    let mut agent = Agent {
        rt,
        events,
        actions,
    };
    let url = ui.url();
    let (base, secret) = url.split_once('#').expect("secret in the fragment");
    assert!(base.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(secret.len(), 64);
    let mut driver = Driver::start();

    // Without the secret: the page says how to open it, and its requests are refused.
    assert_eq!(driver.open("bare", base)["status"], 200);
    driver.wait("bare", "window.glassAgentUi?.link === 'nosecret'");
    let refused = driver.eval(
        "bare",
        "(async () => {
          const post = (headers) => fetch('/api/action', { method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify({ type: 'answer', id: 1, allow: true }) }).then((r) => r.status);
          return [await post({}), await post({ 'X-Glass-Ui': '0'.repeat(64) }),
            await fetch('/api/events').then((r) => r.status)];
        })()",
    );
    assert_eq!(refused, json!([403, 403, 403]));
    // Another host name for the same server (what a DNS-rebinding page would use).
    let port = ui.local_addr().port();
    let rebound = driver.open("rebound", &format!("http://localhost:{port}/#{secret}"));
    assert_ne!(rebound["status"], 200, "{rebound}");

    // With the secret: connected, and the secret is out of the address bar.
    assert_eq!(driver.open("main", &url)["status"], 200);
    driver.wait(
        "main",
        "window.glassAgentUi?.link === 'open' && window.glassAgentUi.state && location.hash === ''",
    );
    agent.send(AgentEvent::SignedIn {
        me: card("Sam Taylor"),
    });
    agent.send(AgentEvent::Joined {
        helper: card("Ada Lovelace"),
        identity: HelperIdentity::Verified {
            issuer: "https://login.contoso.example".into(),
            fingerprint: glass_identity::DtlsFingerprint::parse(FP).unwrap(),
        },
        chat_kept: false,
    });
    // Under the card: verified here, with a mark, the issuer's address isolated in a <bdi>.
    let identity = driver.wait(
        "main",
        &format!(
            "document.getElementById('helper-identity').dataset.kind === 'verified' && !document.getElementById('helper-identity').hidden
              && {{ text: {}, issuer: document.querySelector('#helper-identity bdi')?.textContent,
                   dir: document.querySelector('#helper-identity bdi')?.dir,
                   mark: document.querySelector('#helper-identity .helper-identity-mark')?.textContent,
                   markup: document.querySelectorAll('#helper-identity *').length }}",
            text_of("helper-identity")
        ),
    );
    assert_eq!(
        identity,
        json!({
            "text": "✓Identity checked on this computer with https://login.contoso.example",
            "issuer": "https://login.contoso.example", "dir": "ltr", "mark": "✓",
            "markup": 3, // the mark, the sentence, the <bdi> in it: nothing else
        }),
        "{identity:#}"
    );
    // The screens to pick from, with what each shows (thumbnails taken on this machine); a
    // name with markup in it is shown as text.
    let thumbnail = glass::engine::display::capture_thumbnail(
        &"synthetic:static:320x180".parse().unwrap(),
        None,
        240,
    )
    .expect("a thumbnail of the synthetic screen");
    let data_url = {
        use base64::Engine as _;
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(thumbnail)
        )
    };
    let choice = |id: &str, name: &str, width| glass::agent::display::DisplayChoice {
        id: id.into(),
        name: name.into(),
        width,
        height: 1080,
        primary: id == "DP-1",
        thumbnail: Some(data_url.clone()),
    };
    agent.send(AgentEvent::Displays {
        displays: vec![
            choice("root", "All displays", 3840),
            choice("DP-1", ":0 DP-1", 1920),
            choice("HDMI-1", "<b>HDMI</b>", 1920),
        ],
        current: Some("DP-1".into()),
    });
    let screens = driver.wait(
        "main",
        "!document.getElementById('screens').hidden
          && [...document.querySelectorAll('#screen-list img')].every((i) => i.complete && i.naturalWidth > 0)
          && { labels: [...document.querySelectorAll('#screen-list label')].map((l) => l.textContent),
               checked: document.querySelector('#screen-list input:checked')?.value,
               widths: [...document.querySelectorAll('#screen-list img')].map((i) => i.naturalWidth),
               bold: document.querySelectorAll('#screen-list b').length }",
    );
    assert_eq!(
        screens,
        json!({
            "labels": ["All screens (3840×1080)", ":0 DP-1 (1920×1080)", "<b>HDMI</b> (1920×1080)"],
            "checked": "DP-1", "widths": [240, 240, 240], "bold": 0,
        }),
        "{screens:#}"
    );
    driver.click("#screen-list input[value='HDMI-1']");
    assert_eq!(
        agent.next("the click on a screen"),
        LocalAction::SelectDisplay("HDMI-1".into())
    );

    agent.send(AgentEvent::ConsentAsked {
        id: 1,
        level: Level::Full,
        helper: card("Ada Lovelace"),
        identity: HelperIdentity::BrokerVouched,
        timeout: Duration::from_secs(60),
    });
    driver.wait("main", &shown("question"));
    let question = driver.eval(
        "main",
        &format!(
            "({{ text: {}, explain: {}, card: {}, verified: document.querySelector('#helper-card .card-domain').dataset.verified,
               focused: document.activeElement.id, role: document.getElementById('question').getAttribute('role'),
               time: {} }})",
            text_of("question-text"),
            text_of("question-explain"),
            text_of("helper-card"),
            text_of("question-time"),
        ),
    );
    assert_eq!(
        question["text"], "Ada Lovelace asks to see and control your screen",
        "{question:#}"
    );
    assert!(
        question["explain"]
            .as_str()
            .unwrap()
            .contains("mouse and keyboard")
    );
    assert!(question["card"].as_str().unwrap().contains("contoso.com"));
    assert_eq!(question["verified"], "true");
    // This question came with the broker's word only: the line says so, without a mark.
    let broker = driver.wait(
        "main",
        &format!(
            "document.getElementById('helper-identity').dataset.kind === 'broker' && {{ text: {}, bdi: document.querySelector('#helper-identity bdi') !== null }}",
            text_of("helper-identity")
        ),
    );
    assert_eq!(
        broker,
        json!({"text": "Identity vouched for by the help desk server only", "bdi": false})
    );
    // The safe answer has the focus.
    assert_eq!(question["focused"], "decline", "{question:#}");
    assert_eq!(question["role"], "alertdialog");
    assert!(
        question["time"]
            .as_str()
            .unwrap()
            .starts_with("Time left to answer: ")
    );

    // The page without the secret shows no question, and forcing its button does nothing.
    assert_eq!(
        driver.eval("bare", "document.getElementById('question').hidden"),
        true
    );
    driver.eval("bare", "document.getElementById('allow').click()");
    // Nobody clicks: nothing is answered.
    agent.nothing(Duration::from_millis(1500), "no click");

    driver.click("#allow");
    assert_eq!(
        agent.next("the click on Allow"),
        LocalAction::Answer { id: 1, allow: true }
    );
    driver.wait("main", "document.getElementById('question').hidden");
    // The page no longer offers the answered question: the server refuses it too.
    let again = driver.eval(
        "main",
        "fetch('/api/action', { method: 'POST', headers: { 'Content-Type': 'application/json',
          'X-Glass-Ui': sessionStorage.getItem('glass.agentUi') },
          body: JSON.stringify({ type: 'answer', id: 1, allow: true }) }).then((r) => r.status)",
    );
    assert_eq!(again, 409);
    agent.nothing(Duration::from_millis(200), "a repeated answer");

    // Full control: the banner says so, with Take back control.
    agent.send(AgentEvent::Sharing {
        level: Some(Level::Full),
        paused: false,
    });
    driver.wait("main", &shown("banner"));
    assert_eq!(
        driver.eval("main", &text_of("banner-text")),
        "Sharing with Ada Lovelace — full control"
    );
    driver.click("#takeback");
    assert_eq!(
        agent.next("Take back control"),
        LocalAction::TakeBackControl
    );
    agent.send(AgentEvent::Sharing {
        level: Some(Level::View),
        paused: false,
    });
    driver.wait("main", "document.getElementById('takeback').hidden");
    assert_eq!(
        driver.eval("main", &text_of("banner-text")),
        "Sharing with Ada Lovelace — view only"
    );
    driver.click("#pause");
    assert_eq!(agent.next("Pause"), LocalAction::Pause);
    agent.send(AgentEvent::Sharing {
        level: Some(Level::View),
        paused: true,
    });
    driver.wait("main", &shown("resume"));
    assert_eq!(
        driver.eval("main", &text_of("banner-text")),
        "Sharing with Ada Lovelace — paused"
    );
    driver.click("#resume");
    assert_eq!(agent.next("Resume"), LocalAction::Resume);

    // Chat in any script, shown as text; Enter sends.
    agent.send(AgentEvent::Chat {
        seq: 1,
        from: Side::Helper,
        name: "Ada Lovelace".into(),
        text: "<b>مرحبا</b> hello".into(),
        at: 1_765_000_000_000,
    });
    let line = driver.wait(
        "main",
        "document.querySelector('.chat-text')?.textContent === '<b>مرحبا</b> hello'
          && { dir: document.querySelector('.chat-text').dir, markup: document.querySelector('.chat-log b') === null }",
    );
    assert_eq!(line, json!({"dir": "auto", "markup": true}));
    driver.call(
        json!({"cmd": "fill", "page": "main", "selector": ".chat-input", "text": "שלום עולם"}),
    );
    driver.call(json!({"cmd": "press", "page": "main", "selector": ".chat-input", "key": "Enter"}));
    assert_eq!(
        agent.next("Enter in the chat"),
        LocalAction::Chat("שלום עולם".into())
    );

    // A second tab of the page gets the state and the chat so far.
    assert_eq!(driver.open("second", &url)["status"], 200);
    driver.wait(
        "second",
        "!document.getElementById('banner').hidden && document.querySelectorAll('.chat-message').length === 1",
    );
    assert_eq!(ui.clients(), 2);

    // Hebrew: right to left, translated.
    driver.call(json!({"cmd": "select", "page": "main", "selector": "#language", "value": "he"}));
    driver.wait(
        "main",
        "document.documentElement.dir === 'rtl' && document.documentElement.lang === 'he'",
    );
    let banner = driver.eval("main", &text_of("banner-text"));
    assert!(banner.as_str().unwrap().starts_with("שיתוף עם"), "{banner}");

    // A request nobody answers expires; the page closes it. This helper could not be
    // verified (an agent that allows unverified helpers): a warning, in Hebrew.
    agent.send(AgentEvent::ConsentAsked {
        id: 2,
        level: Level::Full,
        helper: card("Ada Lovelace"),
        identity: HelperIdentity::Unverified {
            reason: "no ID token".into(),
        },
        timeout: Duration::from_secs(60),
    });
    driver.wait("main", &shown("question"));
    let warning = driver.wait(
        "main",
        &format!(
            "document.getElementById('helper-identity').dataset.kind === 'unverified' && {{ text: {}, mark: document.querySelector('#helper-identity .helper-identity-mark')?.textContent }}",
            text_of("helper-identity")
        ),
    );
    assert_eq!(
        warning,
        json!({"text": "⚠לא ניתן היה לאמת את הזהות", "mark": "⚠"})
    );
    agent.send(AgentEvent::ConsentExpired { id: 2 });
    driver.wait(
        "main",
        "document.getElementById('question').hidden && !document.getElementById('helper-message').hidden",
    );
    agent.nothing(Duration::from_millis(300), "an expired request");

    driver.click("#stop");
    assert_eq!(agent.next("Stop"), LocalAction::Stop);
    agent.send(AgentEvent::Ended {
        reason: "stopped".into(),
    });
    driver.wait(
        "main",
        "!document.getElementById('view-ended').hidden && document.getElementById('banner').hidden",
    );
    agent.nothing(Duration::from_millis(300), "the end");
    drop(driver);
    drop(ui);
}
