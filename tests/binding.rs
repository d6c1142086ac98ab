//! An identity the broker cannot forge: the sharer's agent verifies the helper's ID token
//! against the issuer's keys itself and answers only the media connection the token binds.
//!
//! A real OIDC issuer (`oauth2-mock-server`), a real broker, the agent library, and the
//! helper's WebRTC peer (str0m) whose certificate fingerprint goes into the sign-in's nonce.
//! The lying broker is the real one behind a WebSocket relay that rewrites what it passes to
//! the agent (a forged card, a swapped offer, a token dropped): whatever the relay does, the
//! agent shows only what it verified and a peer that is not the helper's gets no answer, no
//! pixel and no click.
//!
//! Needs Node.js and `tests/browser/node_modules` (`npm ci --prefix tests/browser`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use glass::agent::help::AgentEvent;
use glass::agent::helper_identity::{HelperIdentity, HelperTrust};
use glass::transport::testing::{PendingViewer, ViewerEvent};
use glass_identity::DtlsFingerprint;
use glass_protocol::{ClientMessage, Level, ServerMessage};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

use crate::help_harness::{
    TestAgent, TestBroker, Ws, code_of, consent_result, open_viewer_from, wait_viewer,
};
use crate::oidc::{Browser, Issuer, ada_claims, setup, wait_discovered};

/// Which way a relayed message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    ToAgent,
    ToBroker,
}

type Rewrite = Arc<dyn Fn(Way, Value) -> Value + Send + Sync>;

/// The lying broker: the real broker's WebSocket behind a relay that rewrites JSON messages
/// and records what the agent sent.
struct LyingBroker {
    url: String,
    from_agent: Arc<Mutex<Vec<Value>>>,
}

impl LyingBroker {
    async fn start(broker: &str, rewrite: Rewrite) -> LyingBroker {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = format!("{}/api/ws", broker.replace("http://", "ws://"));
        let from_agent = Arc::new(Mutex::new(Vec::new()));
        let record = from_agent.clone();
        tokio::spawn(async move {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let auth = Arc::new(Mutex::new(None));
            let keep = auth.clone();
            #[allow(clippy::result_large_err)] // tungstenite's callback signature
            let agent = tokio_tungstenite::accept_hdr_async(
                tcp,
                move |req: &tokio_tungstenite::tungstenite::handshake::server::Request, resp| {
                    *keep.lock().unwrap() = req.headers().get("authorization").cloned();
                    Ok(resp)
                },
            )
            .await
            .unwrap();
            let mut request =
                tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                    upstream,
                )
                .unwrap();
            if let Some(a) = auth.lock().unwrap().clone() {
                request.headers_mut().insert("authorization", a);
            }
            let (broker, _) = tokio_tungstenite::connect_async(request).await.unwrap();
            let (mut agent_tx, mut agent_rx) = agent.split();
            let (mut broker_tx, mut broker_rx) = broker.split();
            let relay = |way: Way, text: &str| -> String {
                match serde_json::from_str::<Value>(text) {
                    Ok(v) => rewrite(way, v).to_string(),
                    Err(_) => text.to_owned(),
                }
            };
            loop {
                tokio::select! {
                    m = agent_rx.next() => match m {
                        Some(Ok(Message::Text(t))) => {
                            if let Ok(v) = serde_json::from_str::<Value>(t.as_str()) {
                                record.lock().unwrap().push(v);
                            }
                            let out = relay(Way::ToBroker, t.as_str());
                            if broker_tx.send(Message::Text(out.into())).await.is_err() { break; }
                        }
                        Some(Ok(m)) => { if broker_tx.send(m).await.is_err() { break; } }
                        _ => break,
                    },
                    m = broker_rx.next() => match m {
                        Some(Ok(Message::Text(t))) => {
                            let out = relay(Way::ToAgent, t.as_str());
                            if agent_tx.send(Message::Text(out.into())).await.is_err() { break; }
                        }
                        Some(Ok(m)) => { if agent_tx.send(m).await.is_err() { break; } }
                        _ => break,
                    },
                }
            }
        });
        LyingBroker { url, from_agent }
    }

    /// Whether the agent sent a WebRTC answer.
    fn agent_answered(&self) -> bool {
        self.from_agent
            .lock()
            .unwrap()
            .iter()
            .any(|m| m["type"] == "signal" && m["sdp"]["type"] == "answer")
    }
}

/// The helper: a WebRTC peer made first, then an OIDC sign-in binding its certificate.
struct Helper {
    pending: PendingViewer,
    fingerprint: DtlsFingerprint,
    ws: Ws,
}

async fn helper_signs_in(issuer: &Issuer, base: &str) -> Helper {
    wait_discovered(base).await;
    issuer.claims(ada_claims()).await;
    let pending = PendingViewer::new().unwrap();
    let fingerprint = DtlsFingerprint::from_sdp(pending.offer_sdp()).unwrap();
    let mut browser = Browser::new();
    let start = format!(
        "/auth/oidc/mock/start?app=helper&dtls={}",
        url_encode(&fingerprint.to_string())
    );
    let callback = browser.follow_to_callback(base, &start).await;
    let hop = browser.get(&callback).await;
    assert_eq!(hop.status, 303, "signed in");
    let (status, me) = browser.me(base).await;
    assert_eq!(status, 200);
    // The page learns which certificate its sign-in bound, and until when.
    assert_eq!(me["dtls_fingerprint"], fingerprint.to_string());
    let expires = me["identity_expires_at"].as_u64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(expires > now, "the ID token is still valid");
    let cookie = format!(
        "glass_session={}",
        browser.cookie(base, "glass_session").unwrap()
    );
    let ws = Ws::connect(base, &cookie).await;
    Helper {
        pending,
        fingerprint,
        ws,
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The sharer, in the helper's organisation: the agent's own OIDC sign-in (the system
/// browser played by [`Browser`]).
pub(crate) async fn sharer_token(issuer: &Issuer, base: &str) -> glass_protocol::TokenResponse {
    let mut claims = ada_claims();
    claims["oid"] = "00000000-0000-0000-0000-0000000005a3".into();
    claims["name"] = "Sam Taylor".into();
    claims["jobTitle"] = "Accountant".into();
    claims["groups"] = serde_json::json!(["staff"]);
    claims["email"] = "sam@contoso.com".into();
    issuer.claims(claims).await;
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    let broker_url = base.to_owned();
    let agent = tokio::spawn(async move {
        glass::agent::sign_in::sign_in(&broker_url, "mock", Duration::from_secs(30), |url| {
            let _ = url_tx.send(url.to_owned());
        })
        .await
    });
    let mut browser = Browser::new();
    let mut hop = browser.get(&url_rx.await.unwrap()).await;
    while hop.status == 302 || hop.status == 303 {
        hop = browser.get(&hop.location).await;
    }
    let token = agent.await.unwrap().expect("the sharer signed in");
    assert_eq!(token.card.name, "Sam Taylor");
    // Back to the helper for any later sign-in.
    issuer.claims(ada_claims()).await;
    token
}

/// An agent that trusts the mock issuer, signed in to the real broker, talking to `ws_base`
/// (the broker itself or the lying relay in front of it).
fn trusting_agent(
    broker: &TestBroker,
    issuer: &Issuer,
    ws_base: &str,
    code: &str,
    required: bool,
) -> TestAgent {
    let token = broker.rt.block_on(sharer_token(issuer, &broker.url()));
    let trust = HelperTrust {
        require_verified: required,
        ..HelperTrust::issuer(&issuer.url, "glass-web")
    };
    TestAgent::start_with(&broker.rt, ws_base, code, move |c| {
        c.signed_in = Some(token);
        c.helper_trust = trust;
    })
}

fn first_pixels(viewer: &glass::transport::testing::UdpViewer) -> bool {
    wait_viewer(viewer, Duration::from_secs(10), |e| {
        matches!(e, ViewerEvent::Frame { .. })
    })
}

/// A helper signed in through the issuer with a fresh code.
fn helper_with_code(issuer: &Issuer, broker: &TestBroker) -> (Helper, String) {
    let mut helper = broker.rt.block_on(helper_signs_in(issuer, &broker.url()));
    broker
        .rt
        .block_on(helper.ws.send(ClientMessage::CreateCode));
    let code = broker.rt.block_on(code_of(&mut helper.ws));
    (helper, code)
}

/// The agent's `Joined`: the card it shows and how it was checked.
async fn joined(agent: &mut TestAgent) -> (glass_protocol::Card, HelperIdentity) {
    match agent
        .until(Duration::from_secs(10), |e| {
            matches!(e, AgentEvent::Joined { .. })
        })
        .await
    {
        AgentEvent::Joined {
            helper, identity, ..
        } => (helper, identity),
        _ => unreachable!(),
    }
}

/// The helper asks for `level` once the sharer joined; the agent's user answers `allow`
/// (the agent's question names "Ada Lovelace": `TestAgent::asked`).
async fn ask(helper: &mut Helper, agent: &mut TestAgent, level: Level, allow: bool) {
    helper
        .ws
        .until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::SharerJoined { .. })
        })
        .await;
    helper.ws.send(ClientMessage::Request { level }).await;
    let id = agent.asked(level).await;
    agent
        .actions
        .send(glass::agent::help::LocalAction::Answer { id, allow })
        .await
        .unwrap();
    if allow {
        assert!(consent_result(&mut helper.ws).await.0);
    }
}

/// Waits for the agent's session to end; its outcome.
async fn outcome(agent: &mut TestAgent) -> glass::agent::help::HelpOutcome {
    tokio::time::timeout(Duration::from_secs(5), &mut agent.task)
        .await
        .expect("the agent ends the session")
        .unwrap()
        .unwrap()
}

/// Takes the helper's token out of everything the broker sends the agent.
fn strip_token() -> Rewrite {
    Arc::new(|way, mut v| {
        if way == Way::ToAgent
            && let Some(o) = v.as_object_mut()
        {
            o.remove("helper_token");
        }
        v
    })
}

#[test]
fn the_agent_verifies_the_helper_itself_and_answers_their_connection() {
    let (issuer, broker) = setup(true);
    let (mut helper, code) = helper_with_code(&issuer, &broker);
    let mut agent = trusting_agent(&broker, &issuer, &broker.url(), &code, true);
    broker.rt.block_on(async {
        let (card, identity) = joined(&mut agent).await;
        assert_eq!(
            identity,
            HelperIdentity::Verified {
                issuer: issuer.url.clone(),
                fingerprint: helper.fingerprint.clone(),
            }
        );
        assert_eq!(card.name, "Ada Lovelace");
        assert_eq!(card.title, "Support engineer");
        assert!(
            card.vouched.name,
            "the name is the issuer's word, checked here"
        );
        ask(&mut helper, &mut agent, Level::View, true).await;
    });
    let viewer = open_viewer_from(&broker.rt, &mut helper.ws, helper.pending);
    assert!(
        first_pixels(&viewer),
        "the verified helper's own connection gets the picture"
    );
}

#[test]
fn a_lying_broker_cannot_rename_the_helper() {
    let (issuer, broker) = setup(true);
    let (mut helper, code) = helper_with_code(&issuer, &broker);
    // Every card the broker passes names someone the sharer would trust more.
    let forge: Rewrite = Arc::new(|way, mut v| {
        if way == Way::ToAgent && v["helper"].is_object() {
            v["helper"]["name"] = "Grace Hopper".into();
            v["helper"]["title"] = "Chief Information Security Officer".into();
        }
        v
    });
    let lying = broker.rt.block_on(LyingBroker::start(&broker.url(), forge));
    let mut agent = trusting_agent(&broker, &issuer, &lying.url, &code, true);
    broker.rt.block_on(async {
        let (card, identity) = joined(&mut agent).await;
        assert!(matches!(identity, HelperIdentity::Verified { .. }));
        assert_eq!(
            card.name, "Ada Lovelace",
            "the issuer's name, not the broker's"
        );
        assert_eq!(card.title, "Support engineer");
        // The question names "Ada Lovelace" too (checked by `asked`).
        ask(&mut helper, &mut agent, Level::Full, false).await;
        agent
            .actions
            .send(glass::agent::help::LocalAction::Stop)
            .await
            .unwrap();
        assert!(
            outcome(&mut agent).await.forged_cards >= 1,
            "the forged card is counted"
        );
    });
}

#[test]
fn a_broker_that_swaps_in_its_own_peer_gets_no_pixels_and_no_control() {
    let (issuer, broker) = setup(true);
    let (mut helper, code) = helper_with_code(&issuer, &broker);
    // The man in the middle: its own WebRTC peer, offered in the helper's place.
    let mitm = PendingViewer::new().unwrap();
    let mitm_offer = mitm.offer_sdp().to_owned();
    assert_ne!(
        DtlsFingerprint::from_sdp(&mitm_offer).unwrap(),
        helper.fingerprint
    );
    let swap: Rewrite = Arc::new(move |way, mut v| {
        if way == Way::ToAgent && v["type"] == "signal" && v["sdp"]["type"] == "offer" {
            v["sdp"]["sdp"] = mitm_offer.clone().into();
        }
        v
    });
    let lying = broker.rt.block_on(LyingBroker::start(&broker.url(), swap));
    let mut agent = trusting_agent(&broker, &issuer, &lying.url, &code, true);
    broker.rt.block_on(async {
        joined(&mut agent).await;
        // The sharer allows full control, for the helper it verified.
        ask(&mut helper, &mut agent, Level::Full, true).await;
        // The helper's offer goes out; the relay hands the agent the intruder's instead.
        helper
            .ws
            .send(ClientMessage::Signal(glass_protocol::Signal::Sdp(
                glass_protocol::SessionDescription {
                    kind: glass_protocol::SdpType::Offer,
                    sdp: helper.pending.offer_sdp().to_owned(),
                },
            )))
            .await;
        match agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Error { .. })
            })
            .await
        {
            AgentEvent::Error { code, .. } => assert_eq!(code, "fingerprint_mismatch"),
            _ => unreachable!(),
        }
        let outcome = outcome(&mut agent).await;
        assert_eq!(outcome.reason, "fingerprint_mismatch");
        assert_eq!(outcome.fingerprint_mismatches, 1);
    });
    assert!(
        !lying.agent_answered(),
        "no answer for the intruder's offer"
    );
    assert!(
        agent.recorder.events().is_empty(),
        "nothing was injected: {:?}",
        agent.recorder.events()
    );
    // The helper sees the session end instead of a picture.
    let ended = broker
        .rt
        .block_on(helper.ws.until(Duration::from_secs(5), |m| {
            matches!(
                m,
                ServerMessage::PeerLeft { .. } | ServerMessage::Ended { .. }
            )
        }));
    assert!(matches!(
        ended,
        ServerMessage::PeerLeft { .. } | ServerMessage::Ended { .. }
    ));
}

#[test]
fn a_helper_the_agent_cannot_verify_is_refused_before_anyone_is_asked() {
    let (issuer, broker) = setup(true);
    // The broker keeps the token to itself (or the helper used a local account).
    let (_helper, code) = helper_with_code(&issuer, &broker);
    let lying = broker
        .rt
        .block_on(LyingBroker::start(&broker.url(), strip_token()));
    let mut agent = trusting_agent(&broker, &issuer, &lying.url, &code, true);
    broker.rt.block_on(async {
        match agent
            .until(Duration::from_secs(10), |e| {
                matches!(e, AgentEvent::Error { .. } | AgentEvent::Joined { .. })
            })
            .await
        {
            AgentEvent::Error { code, .. } => assert_eq!(code, "helper_unverified"),
            other => panic!("an unverifiable helper was shown: {other:?}"),
        }
        assert_eq!(outcome(&mut agent).await.reason, "helper_unverified");
    });
    // With verification optional, the same helper is shown, marked unverified.
    let (_helper, code) = helper_with_code(&issuer, &broker);
    let lying = broker
        .rt
        .block_on(LyingBroker::start(&broker.url(), strip_token()));
    let mut agent = trusting_agent(&broker, &issuer, &lying.url, &code, false);
    let (_, identity) = broker.rt.block_on(joined(&mut agent));
    assert!(
        matches!(identity, HelperIdentity::Unverified { .. }),
        "{identity:?}"
    );
}
