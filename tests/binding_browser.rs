//! The helper's web app binds its WebRTC certificate to its sign-in, end to end in Chromium:
//! a real broker with the mock OIDC issuer (`tests/browser/oidc-issuer.mjs`), the helper app
//! signing in through it (`tests/browser/help-driver.mjs`), and the agent library, trusting
//! the issuer, verifying the helper itself (docs/identity.md, "The helper's page").
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js and `tests/browser/node_modules`:
//! `scripts/setup.sh` installs them. A missing piece fails the test; it never skips.

use std::time::Duration;

use glass::agent::help::{AgentEvent, LocalAction};
use glass::agent::helper_identity::{HelperIdentity, HelperTrust};
use glass::engine::capture::synthetic::palette;
use glass_identity::DtlsFingerprint;
use glass_protocol::{Card, Level, TokenResponse};
use serde_json::{Value, json};

use crate::binding::sharer_token;
use crate::help_browser::{Driver, assert_colour, en, one_at_a_time};
use crate::help_harness::{TestAgent, TestBroker};
use crate::oidc::{Issuer, setup, wait_discovered};

/// The agent's synthetic screen.
const W: u32 = 320;
const H: u32 = 240;

/// The synthetic desktop's colour at row `y` (a gradient darkening downwards).
fn desktop_at(y: u32) -> (u8, u8, u8) {
    let k = 256 - (y * 64 / H);
    let (r, g, b) = palette::DESKTOP;
    let f = |c: u8| (u32::from(c) * k / 256) as u8;
    (f(r), f(g), f(b))
}

fn fingerprint(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a fingerprint, got {v}"))
        .to_owned()
}

/// A broker with the mock issuer, the sharer's token (the agent's own sign-in), and the
/// helper app in Chromium signed in through the issuer.
struct World {
    issuer: Issuer,
    broker: TestBroker,
    token: TokenResponse,
    driver: Driver,
    /// The driver's `signinProvider` answer.
    signed: Value,
}

impl World {
    fn start() -> World {
        crate::browser::check_tools_with(&[]);
        let (issuer, broker) = setup(true);
        let base = broker.url();
        // The sharer signs in first (the issuer's claims are theirs meanwhile, then Ada's).
        let token = broker.rt.block_on(async {
            wait_discovered(&base).await;
            sharer_token(&issuer, &base).await
        });
        let mut driver = Driver::start();
        driver.call("open", json!({"page": "helper", "url": format!("{base}/")}));
        let signed = driver.call(
            "signinProvider",
            json!({"page": "helper", "provider": "mock"}),
        );
        World {
            issuer,
            broker,
            token,
            driver,
            signed,
        }
    }

    /// The agent library as the sharer: signed in, trusting the mock issuer (helpers must be
    /// verified), sharing a synthetic screen.
    fn agent(&self, token: TokenResponse, code: &str) -> TestAgent {
        let trust = HelperTrust::issuer(&self.issuer.url, "glass-web");
        TestAgent::start_with(&self.broker.rt, &self.broker.url(), code, move |c| {
            c.signed_in = Some(token);
            c.helper_trust = trust;
            c.share.source = format!("synthetic:static:{W}x{H}@10").parse().unwrap();
        })
    }

    /// The agent's `Joined`: the helper's card and how it was checked.
    fn joined(&self, agent: &mut TestAgent) -> (Card, HelperIdentity) {
        let joined = self
            .broker
            .rt
            .block_on(agent.until(Duration::from_secs(10), |e| {
                matches!(e, AgentEvent::Joined { .. })
            }));
        match joined {
            AgentEvent::Joined {
                helper, identity, ..
            } => (helper, identity),
            _ => unreachable!(),
        }
    }

    /// The helper asks to view; the sharer allows.
    fn view_allowed(&mut self, agent: &mut TestAgent) {
        self.driver.wait_phase("helper", &["sharer_joined"]);
        self.driver.click("helper", "request-view");
        let id = self.broker.rt.block_on(agent.asked(Level::View));
        self.broker
            .rt
            .block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
            .unwrap();
    }
}

#[test]
fn the_helper_page_binds_its_certificate_and_the_sharers_agent_verifies_it() {
    let _one = one_at_a_time();
    let mut world = World::start();
    let base = world.broker.url();

    // 1. The provider's link carries the page's certificate; the sign-in binds it.
    let signed = world.signed.clone();
    let first = fingerprint(&signed["dtlsFingerprint"]);
    let parsed = DtlsFingerprint::parse(&first).expect("the page's fingerprint in SDP form");
    assert_eq!(parsed.to_string(), first, "sha-256, upper-case hex");
    let href = signed["href"].as_str().unwrap();
    let query: Vec<(String, String)> = reqwest::Url::parse(href)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        query,
        [
            ("app".into(), "helper".into()),
            ("dtls".into(), first.clone())
        ],
        "{href}"
    );
    assert_eq!(signed["boundFingerprint"], first.as_str(), "{signed:#}");
    assert_eq!(signed["url"], format!("{base}/"));

    // 2. The browser loses its certificate: a new one, and "Get a code" signs in again
    // through the same issuer (it redirects straight back) before issuing the code.
    let lost = world
        .driver
        .call("forgetCertificate", json!({"page": "helper"}));
    let second = fingerprint(&lost["dtlsFingerprint"]);
    assert_ne!(second, first, "a new certificate");
    assert_eq!(
        lost["boundFingerprint"],
        first.as_str(),
        "still the old sign-in"
    );
    let code = world.driver.call("getCode", json!({"page": "helper"}));
    assert_eq!(code["navigations"], 1, "one renewed sign-in: {code:#}");
    assert_eq!(code["dtlsFingerprint"], second.as_str());
    assert_eq!(
        code["boundFingerprint"],
        second.as_str(),
        "the new sign-in binds the new certificate"
    );
    let code = code["code"].as_str().unwrap().to_owned();

    // 3. The sharer's agent, trusting the issuer, verifies the helper itself: the page's
    // certificate, the issuer's name for them.
    let token = world.token.clone();
    let mut agent = world.agent(token, &code);
    let (card, identity) = world.joined(&mut agent);
    assert_eq!(
        identity,
        HelperIdentity::Verified {
            issuer: world.issuer.url.clone(),
            fingerprint: DtlsFingerprint::parse(&second).unwrap(),
        }
    );
    assert_eq!(card.name, "Ada Lovelace");
    assert!(card.vouched.name, "{card:?}");

    // 4. The helper asks to view, the sharer allows: the agent answers the page's own
    // connection (another certificate would end the session) and its screen plays.
    world.view_allowed(&mut agent);
    let video = world.driver.call(
        "waitVideo",
        json!({"page": "helper", "minFrames": 1, "samples": [
            {"name": "desktop-left", "x": 4, "y": 4},
            {"name": "desktop-right", "x": W - 4, "y": 4},
            {"name": "taskbar", "x": W - 20, "y": H - 10},
        ]}),
    );
    assert_eq!(
        (video["width"].as_u64(), video["height"].as_u64()),
        (Some(u64::from(W)), Some(u64::from(H)))
    );
    let samples = video["samples"].as_array().unwrap();
    assert_colour(&json!({"samples": samples[..2]}), desktop_at(4));
    assert_colour(&json!({"samples": samples[2..]}), palette::TASKBAR);
    assert!(
        !agent.task.is_finished(),
        "the session goes on (no fingerprint_mismatch)"
    );
}

/// A browser that cannot renew its sign-in (here: it just tried) still gets a code, with a
/// notice; the agent, requiring verified helpers, then refuses the page's connection because
/// its certificate is not the bound one, and no picture reaches the page.
#[test]
fn a_page_that_cannot_renew_is_told_and_its_other_certificate_is_refused() {
    let _one = one_at_a_time();
    let mut world = World::start();
    let bound = fingerprint(&world.signed["boundFingerprint"]);
    let lost = world
        .driver
        .call("forgetCertificate", json!({"page": "helper"}));
    assert_ne!(fingerprint(&lost["dtlsFingerprint"]), bound);
    // A re-sign-in started a moment ago: the guard says not again.
    world.driver.call(
        "evaluate",
        json!({"page": "helper",
               "expr": "sessionStorage.setItem('glass.helper.resignedAt', String(Date.now()))"}),
    );
    let code = world.driver.call("getCode", json!({"page": "helper"}));
    assert_eq!(code["navigations"], 0, "no round trip: {code:#}");
    assert_eq!(code["boundFingerprint"], bound.as_str());
    let shown = world.driver.call("snapshot", json!({"page": "helper"}))["snapshot"].take();
    assert_eq!(shown["elements"]["alert"]["visible"], true, "{shown:#}");
    assert_eq!(
        shown["elements"]["alert"]["text"],
        en("helper-identity-not-renewed")
    );

    let code = code["code"].as_str().unwrap().to_owned();
    let token = world.token.clone();
    let mut agent = world.agent(token, &code);
    let (_, identity) = world.joined(&mut agent);
    assert_eq!(
        identity,
        HelperIdentity::Verified {
            issuer: world.issuer.url.clone(),
            fingerprint: DtlsFingerprint::parse(&bound).unwrap(),
        },
        "the token binds the old certificate"
    );
    world.view_allowed(&mut agent);
    let refused = world
        .broker
        .rt
        .block_on(agent.until(Duration::from_secs(10), |e| {
            matches!(e, AgentEvent::Error { .. })
        }));
    assert!(
        matches!(&refused, AgentEvent::Error { code, .. } if code == "fingerprint_mismatch"),
        "{refused:?}"
    );
    let left = world.driver.wait_phase("helper", &["sharer_left", "ended"]);
    assert_eq!(left["snapshot"]["videoPlaying"], false, "{left:#}");
    let outcome = world
        .broker
        .rt
        .block_on(agent.task)
        .unwrap()
        .expect("the agent ends cleanly");
    assert_eq!(outcome.fingerprint_mismatches, 1, "{outcome:?}");
}
