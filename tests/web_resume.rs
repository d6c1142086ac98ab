//! The web apps resume a help session when their WebSocket is lost (several brokers,
//! `docs/session-protocol.md` "Resuming"), in real Chromium: the helper page reaches broker A
//! through a stand-in load balancer, the web sharer is on broker B, both brokers share a real
//! `redis-server`. Broker A dies mid-session: the helper page says it is reconnecting,
//! resumes through the balancer on B with its token and the same sign-in, and says so; the
//! sharer page is told the helper is away, then back. The video never stops (WebRTC is peer
//! to peer; the page keeps its peer while it resumes), the chat carries on and no line shows
//! twice.
//!
//! Needs what tests/help_browser.rs needs (Chromium, Node.js, tests/browser/node_modules) and
//! `redis-server` (scripts/setup.sh).

use glass_broker::BrokerConfig;
use glass_broker::cluster::RedisUrl;
use serde_json::{Value, json};

use crate::cluster_store::redis_server::RedisServer;
use crate::help_browser::{Driver, en, one_at_a_time};
use crate::help_harness::{PASSWORD, TestBroker};

fn broker(redis: &RedisServer) -> TestBroker {
    TestBroker::start(BrokerConfig {
        redis: Some(RedisUrl::parse(&redis.url()).unwrap()),
        ..BrokerConfig::default()
    })
}

/// English message `id` with `$name` filled in, as the page shows it (no isolation marks).
fn en_named(id: &str, name: &str) -> String {
    en(id).replace("{ $name }", name)
}

/// Records, in the page, every text the status line shows (what a screen reader announces:
/// it is the `aria-live` region) and the phases after now.
const WATCH_STATUS: &str = r#"(() => {
  const strip = (s) => (s ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  const status = document.getElementById('status');
  window.glassStatusSeen = [strip(status.textContent)];
  new MutationObserver(() => {
    const text = strip(status.textContent);
    if (window.glassStatusSeen.at(-1) !== text) window.glassStatusSeen.push(text);
  }).observe(status, { childList: true, characterData: true, subtree: true });
  window.glassPhasesFrom = window.glassPhases.length;
  return true;
})()"#;

/// Counts the helper's decoded video frames and the longest gap between two (ms), from now.
const WATCH_FRAMES: &str = r#"(() => {
  const v = document.getElementById('video');
  const w = { count: 0, gap: 0, last: performance.now(), started: performance.now() };
  window.glassFrames = w;
  if ('requestVideoFrameCallback' in v) {
    const frame = () => {
      const now = performance.now();
      w.gap = Math.max(w.gap, now - w.last);
      w.last = now;
      w.count++;
      v.requestVideoFrameCallback(frame);
    };
    v.requestVideoFrameCallback(frame);
  } else {
    let seen = v.getVideoPlaybackQuality().totalVideoFrames;
    setInterval(() => {
      const n = v.getVideoPlaybackQuality().totalVideoFrames;
      const now = performance.now();
      if (n > seen) {
        w.gap = Math.max(w.gap, now - w.last);
        w.last = now;
        w.count += n - seen;
        seen = n;
      }
    }, 10);
  }
  return true;
})()"#;

/// Waits in the page until `cond` (a JavaScript expression) holds, for at most `ms`.
fn wait_until(d: &mut Driver, page: &str, cond: &str, ms: u64) -> Value {
    let expr = format!(
        "new Promise((resolve, reject) => {{ const t0 = Date.now(); const i = setInterval(() => {{ \
         let ok = false; try {{ ok = ({cond}); }} catch (e) {{ ok = false; }} \
         if (ok) {{ clearInterval(i); resolve(true); }} \
         else if (Date.now() - t0 > {ms}) {{ clearInterval(i); reject(new Error('not within {ms} ms: ' + {cond_lit})); }} \
         }}, 20); }})",
        cond_lit = serde_json::to_string(cond).unwrap(),
    );
    d.call(
        "evaluate",
        json!({"page": page, "expr": expr, "timeoutMs": ms + 5000}),
    )
}

fn eval(d: &mut Driver, page: &str, expr: &str) -> Value {
    d.call("evaluate", json!({"page": page, "expr": expr}))["value"].take()
}

/// Ada (helper page at `helper_url`) asks Sam (web sharer at `sharer_url`) to view; once the
/// video plays and a chat line went across, both pages record what their status line says
/// and the helper's page counts video frames.
fn start_session(d: &mut Driver, helper_url: &str, sharer_url: &str) {
    d.call("open", json!({"page": "helper", "url": helper_url}));
    d.call(
        "signin",
        json!({"page": "helper", "user": "ada", "password": PASSWORD}),
    );
    let code = d.call("getCode", json!({"page": "helper"}))["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    d.call(
        "open",
        json!({"page": "sharer", "url": sharer_url,
               "fakeScreen": {"rgb": [30, 160, 90], "width": 640, "height": 360}}),
    );
    d.call(
        "signin",
        json!({"page": "sharer", "user": "sam", "password": PASSWORD}),
    );
    d.call("redeem", json!({"page": "sharer", "code": code}));
    d.wait_phase("helper", &["sharer_joined"]);
    d.click("helper", "request-view");
    d.wait_phase("sharer", &["asking"]);
    d.click("sharer", "allow");
    d.wait_phase("sharer", &["sharing"]);
    d.wait_phase("helper", &["connected"]);
    d.call("waitVideo", json!({"page": "helper", "minFrames": 10}));
    d.call("chatSend", json!({"page": "sharer", "text": "Vorher"}));
    d.call(
        "waitChat",
        json!({"page": "helper", "text": "Vorher", "mine": false}),
    );
    // Both sides hold a resume token (a yes or no in the page: the token stays in the client).
    wait_until(d, "helper", "window.glassHelper.resumable === true", 5000);
    wait_until(d, "sharer", "window.glassSharer.resumable === true", 5000);
    assert_eq!(eval(d, "helper", "window.glassHelper.link"), json!("up"));
    assert_eq!(eval(d, "sharer", "window.glassSharer.link"), json!("up"));
    eval(d, "helper", WATCH_STATUS);
    eval(d, "sharer", WATCH_STATUS);
    eval(d, "helper", WATCH_FRAMES);
}

/// Waits until six seconds have passed since the frames were first counted, then checks the
/// video never stopped: at least 40 frames (the fake screen paints 20 a second), no gap
/// of 1.5 s.
fn assert_video_kept_playing(d: &mut Driver) {
    wait_until(
        d,
        "helper",
        "performance.now() - window.glassFrames.started >= 6000",
        8000,
    );
    let frames = eval(
        d,
        "helper",
        "({ count: window.glassFrames.count, gap: Math.max(window.glassFrames.gap, performance.now() - window.glassFrames.last) })",
    );
    eprintln!("web_resume: {frames} (frames in the 6 s after the broker died, longest gap in ms)");
    let count = frames["count"].as_f64().unwrap();
    let gap = frames["gap"].as_f64().unwrap();
    // The bound is for a loaded machine.
    assert!(count >= 40.0, "the video kept playing: {frames}");
    assert!(gap < 1500.0, "no freeze while resuming: {frames}");
    let snap = d.call("snapshot", json!({"page": "helper"}))["snapshot"].take();
    assert_eq!(snap["view"], "view-stage", "{snap:#}");
    assert_eq!(snap["video"]["hasStream"], true, "{snap:#}");
    assert_eq!(
        snap["elements"]["overlay"]["visible"], false,
        "no overlay on the picture: {snap:#}"
    );
}

/// What `page`'s status line said since it was watched.
fn status_seen(d: &mut Driver, page: &str) -> Vec<String> {
    let seen = eval(d, page, "window.glassStatusSeen");
    eprintln!("web_resume: the {page}'s status line said {seen}");
    seen.as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// Waits until `page`'s status line says `text`.
fn wait_status(d: &mut Driver, page: &str, text: &str) {
    wait_until(
        d,
        page,
        &format!(
            "document.getElementById('status').textContent.replace(/[\\u2066-\\u2069]/g, '').trim() === {}",
            serde_json::to_string(text).unwrap()
        ),
        12_000,
    );
}

/// The chat carries on after the resume, and the line from before shows once on each side.
fn assert_chat_carries_on(d: &mut Driver) {
    d.call("chatSend", json!({"page": "helper", "text": "Nachher"}));
    d.call(
        "waitChat",
        json!({"page": "sharer", "text": "Nachher", "mine": false}),
    );
    for page in ["helper", "sharer"] {
        let lines = eval(
            d,
            page,
            "[...document.querySelectorAll('.chat-message .chat-text')].map((t) => t.textContent)",
        );
        assert_eq!(lines, json!(["Vorher", "Nachher"]), "{page}");
    }
}

/// Nothing about the session went to the page's storage (the token is kept in memory only).
fn assert_nothing_stored(d: &mut Driver, page: &str) {
    let stored = eval(
        d,
        page,
        "JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)])",
    );
    let stored = stored.as_str().unwrap();
    assert!(
        !stored.contains("resum") && !stored.contains("token"),
        "{page}: {stored}"
    );
}

#[test]
fn the_helper_page_resumes_on_the_other_broker_and_the_video_keeps_playing() {
    let _one = one_at_a_time();
    crate::browser::check_tools_with(&[]);
    let redis = RedisServer::start()
        .expect("redis-server starts")
        .expect("redis-server is installed (scripts/setup.sh)");
    let a = broker(&redis);
    let b = broker(&redis);
    // The balancer lives on B's runtime: it outlives A.
    let lb = crate::cluster::balancer(&b.rt, vec![a.addr, b.addr]);
    let mut d = Driver::start();
    // Ada helps through the balancer (broker A); Sam shares from broker B.
    start_session(&mut d, &format!("{lb}/"), &format!("{}/share", b.url()));

    // Broker A dies, with the helper's link and the session's home.
    drop(a);
    eprintln!("web_resume: broker A is gone");

    // The page resumes through the balancer on B.
    wait_until(
        &mut d,
        "helper",
        "window.glassHelper.resumes === 1 && window.glassHelper.link === 'up'",
        12_000,
    );
    let resumed_after = eval(
        &mut d,
        "helper",
        "performance.now() - window.glassFrames.started",
    );
    eprintln!("web_resume: the helper page resumed {resumed_after} ms after A died");
    assert_video_kept_playing(&mut d);

    // What the helper saw: reconnecting, then connected again, never the session's end (the
    // sharer may show as away until B carries the session on).
    let resuming = en("link-resuming");
    let connected = en_named("helper-state-connected", "Sam Taylor");
    let seen = status_seen(&mut d, "helper");
    let at = seen
        .iter()
        .position(|s| *s == resuming)
        .unwrap_or_else(|| panic!("the helper was told it is reconnecting: {seen:?}"));
    assert!(seen[at..].contains(&connected), "connected again: {seen:?}");
    assert!(!seen.contains(&en("link-lost")), "never lost: {seen:?}");
    wait_status(&mut d, "helper", &connected);
    let phases = eval(
        &mut d,
        "helper",
        "window.glassPhases.slice(window.glassPhasesFrom).map((p) => p.phase)",
    );
    assert!(
        phases.as_array().unwrap().iter().all(|p| p == "connected"),
        "the helper stayed connected: {phases}"
    );

    // What the sharer saw: sharing throughout, perhaps the helper away meanwhile.
    let sharing = en_named("sharer-state-sharing", "Ada Lovelace");
    let away = en_named("peer-away", "Ada Lovelace");
    wait_status(&mut d, "sharer", &sharing);
    let seen = status_seen(&mut d, "sharer");
    assert!(
        seen.iter().all(|s| *s == sharing || *s == away),
        "the sharer saw only sharing and the helper away: {seen:?}"
    );
    assert_eq!(
        eval(&mut d, "sharer", "window.glassFakeScreen.calls"),
        json!(1),
        "the screen was captured once: the capture carried on"
    );

    assert_chat_carries_on(&mut d);
    assert_eq!(b.stats.snapshot().sessions_resumed, 1);
    assert_nothing_stored(&mut d, "helper");
}

/// The web sharer's broker dies: the sharer page resumes through the balancer on the
/// session's home, its capture and peer untouched; the helper is told the sharer is away
/// (if B noticed before the sharer was back), then back, and watches throughout.
#[test]
fn the_sharer_page_resumes_on_the_other_broker_and_keeps_sharing() {
    let _one = one_at_a_time();
    crate::browser::check_tools_with(&[]);
    let redis = RedisServer::start()
        .expect("redis-server starts")
        .expect("redis-server is installed (scripts/setup.sh)");
    let a = broker(&redis);
    let b = broker(&redis);
    let lb = crate::cluster::balancer(&b.rt, vec![a.addr, b.addr]);
    let mut d = Driver::start();
    // Ada helps from broker B (the session's home); Sam shares through the balancer (A).
    start_session(&mut d, &format!("{}/", b.url()), &format!("{lb}/share"));

    drop(a);
    eprintln!("web_resume: broker A (the sharer's) is gone");
    wait_until(
        &mut d,
        "sharer",
        "window.glassSharer.resumes === 1 && window.glassSharer.link === 'up'",
        12_000,
    );
    assert_video_kept_playing(&mut d);

    let sharing = en_named("sharer-state-sharing", "Ada Lovelace");
    let seen = status_seen(&mut d, "sharer");
    let at = seen
        .iter()
        .position(|s| *s == en("link-resuming"))
        .unwrap_or_else(|| panic!("the sharer was told it is reconnecting: {seen:?}"));
    assert!(seen[at..].contains(&sharing), "sharing again: {seen:?}");
    assert!(!seen.contains(&en("link-lost")), "never lost: {seen:?}");
    wait_status(&mut d, "sharer", &sharing);
    let phases = eval(
        &mut d,
        "sharer",
        "window.glassPhases.slice(window.glassPhasesFrom).map((p) => p.phase)",
    );
    assert!(
        phases.as_array().unwrap().iter().all(|p| p == "sharing"),
        "the sharer kept sharing: {phases}"
    );
    let capture = eval(
        &mut d,
        "sharer",
        "({ calls: window.glassFakeScreen.calls, tracks: window.glassFakeScreen.tracks.map((t) => t.readyState) })",
    );
    assert_eq!(capture["calls"], 1, "captured once: {capture}");
    assert_eq!(
        capture["tracks"],
        json!(["live"]),
        "never stopped: {capture}"
    );

    let connected = en_named("helper-state-connected", "Sam Taylor");
    let away = en_named("peer-away", "Sam Taylor");
    wait_status(&mut d, "helper", &connected);
    let seen = status_seen(&mut d, "helper");
    assert!(
        seen.iter().all(|s| *s == connected || *s == away),
        "the helper saw only connected and the sharer away: {seen:?}"
    );

    assert_chat_carries_on(&mut d);
    assert_nothing_stored(&mut d, "sharer");
}
