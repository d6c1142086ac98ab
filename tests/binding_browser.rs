//! The helper's web app binds its WebRTC certificate to its sign-in, end to end in Chromium:
//! a real broker with the mock OIDC issuer (`tests/browser/oidc-issuer.mjs`), the helper app
//! signing in through it (`tests/browser/help-driver.mjs`), and the agent library, trusting
//! the issuer, verifying the helper itself (docs/identity.md).
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js and `tests/browser/node_modules`:
//! `scripts/setup.sh` installs them. A missing piece fails the test; it never skips.

use std::time::Duration;

use glass::agent::help::{AgentEvent, LocalAction};
use glass::agent::helper_identity::{HelperIdentity, HelperTrust};
use glass::engine::capture::synthetic::palette;
use glass_identity::DtlsFingerprint;
use glass_protocol::Level;
use serde_json::{Value, json};

use crate::binding::sharer_token;
use crate::help_browser::{Driver, assert_colour, one_at_a_time};
use crate::help_harness::TestAgent;
use crate::oidc::{setup, wait_discovered};

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

#[test]
fn the_helper_page_binds_its_certificate_and_the_sharers_agent_verifies_it() {
    let _one = one_at_a_time();
    crate::browser::check_tools_with(&[]);
    let (issuer, broker) = setup(true);
    let base = broker.url();
    // The sharer signs in first (the issuer's claims are theirs meanwhile, then Ada's again).
    let token = broker.rt.block_on(async {
        wait_discovered(&base).await;
        sharer_token(&issuer, &base).await
    });
    let mut driver = Driver::start();
    driver.call("open", json!({"page": "helper", "url": format!("{base}/")}));

    // 1. The provider's link binds the page's certificate; the sign-in binds it.
    let signed = driver.call(
        "signinProvider",
        json!({"page": "helper", "provider": "mock"}),
    );
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
    let lost = driver.call("forgetCertificate", json!({"page": "helper"}));
    let second = fingerprint(&lost["dtlsFingerprint"]);
    assert_ne!(second, first, "a new certificate");
    assert_eq!(
        lost["boundFingerprint"],
        first.as_str(),
        "still the old sign-in"
    );
    let code = driver.call("getCode", json!({"page": "helper"}));
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
    let trust = HelperTrust::issuer(&issuer.url, "glass-web");
    let mut agent = TestAgent::start_with(&broker.rt, &base, &code, move |c| {
        c.signed_in = Some(token);
        c.helper_trust = trust;
        c.share.source = format!("synthetic:static:{W}x{H}@10").parse().unwrap();
    });
    let (card, identity) = match broker
        .rt
        .block_on(agent.until(Duration::from_secs(10), |e| {
            matches!(e, AgentEvent::Joined { .. })
        })) {
        AgentEvent::Joined { helper, identity } => (helper, identity),
        _ => unreachable!(),
    };
    assert_eq!(
        identity,
        HelperIdentity::Verified {
            issuer: issuer.url.clone(),
            fingerprint: DtlsFingerprint::parse(&second).unwrap(),
        }
    );
    assert_eq!(card.name, "Ada Lovelace");
    assert!(card.vouched.name, "{card:?}");

    // 4. The helper asks to view, the sharer allows: the agent answers the page's own
    // connection (a different certificate would end the session) and its screen plays.
    driver.wait_phase("helper", &["sharer_joined"]);
    driver.click("helper", "request-view");
    let id = broker.rt.block_on(agent.asked(Level::View));
    broker
        .rt
        .block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .unwrap();
    let video = driver.call(
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
