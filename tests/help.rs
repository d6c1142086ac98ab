//! Help sessions through a real broker on loopback: the broker's HTTP and WebSocket edges,
//! codes and lockouts, hostile messages, and the whole flow with the agent library as the
//! sharer and a native WebRTC receiver as the helper's browser. A forged approval is tried
//! through a broker test double.

use std::time::{Duration, Instant};

use glass::agent::help::{AgentEvent, LocalAction};
use glass::agent::helper_identity::HelperIdentity;
use glass::engine::input::recording::Recorded;
use glass::engine::input::{Button, Point};
use glass::transport::testing::{PendingViewer, ViewerEvent};
use glass_broker::BrokerConfig;
use glass_protocol::{
    Client, ClientMessage, ConsentReason, EndReason, ErrorCode, Level, SdpType, ServerMessage,
    SessionDescription, Side, Signal,
};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::help_harness::*;
use crate::input::{Sender, button};

/// One request to the broker (cookies, tokens and origins are plain headers here).
async fn call(
    http: &reqwest::Client,
    method: &str,
    url: String,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = http.request(method, url).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[test]
fn sign_in_edges_refuse_what_they_should() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    broker.rt.block_on(async {
        let http = reqwest::Client::new();
        // Wrong password and unknown user answer the same.
        let bad = |user: &'static str| {
            call(
                &http,
                "POST",
                format!("{base}/api/login"),
                &[("content-type", "application/json")],
                format!(r#"{{"username":"{user}","password":"nope"}}"#),
            )
        };
        let a = bad("ada").await;
        let b = bad("nobody").await;
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (401, 401));
        assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
        // A cross-site form post (wrong content type) and a foreign origin are refused.
        let form = call(
            &http,
            "POST",
            format!("{base}/api/login"),
            &[("content-type", "application/x-www-form-urlencoded")],
            "username=ada&password=x",
        )
        .await;
        assert_eq!(form.status(), 400);
        let foreign = call(
            &http,
            "POST",
            format!("{base}/api/login"),
            &[
                ("content-type", "application/json"),
                ("origin", "https://evil.example"),
            ],
            format!(r#"{{"username":"ada","password":"{PASSWORD}"}}"#),
        )
        .await;
        assert_eq!(foreign.status(), 403);
        // The WebSocket needs a sign-in, and a browser's cookie only from our own origin.
        let cookie = login(&base, "ada").await;
        let url = format!("{}/api/ws", base.replace("http://", "ws://"));
        assert!(
            tokio_tungstenite::connect_async(url.as_str())
                .await
                .is_err()
        );
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                url.as_str(),
            )
            .unwrap();
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
        request
            .headers_mut()
            .insert("origin", "https://evil.example".parse().unwrap());
        assert!(tokio_tungstenite::connect_async(request).await.is_err());
        // /api/me with the cookie; logout needs the CSRF token.
        let me = call(
            &http,
            "GET",
            format!("{base}/api/me"),
            &[("cookie", &cookie)],
            "",
        )
        .await;
        assert_eq!(me.status(), 200);
        let body: serde_json::Value = me.json().await.unwrap();
        assert_eq!(body["card"]["name"], "Ada Lovelace");
        let csrf = body["csrf"].as_str().unwrap().to_owned();
        let forged = call(
            &http,
            "POST",
            format!("{base}/api/logout"),
            &[("cookie", &cookie), ("x-csrf-token", "forged")],
            "",
        )
        .await;
        assert_eq!(forged.status(), 403);
        let out = call(
            &http,
            "POST",
            format!("{base}/api/logout"),
            &[("cookie", &cookie), ("x-csrf-token", &csrf)],
            "",
        )
        .await;
        assert_eq!(out.status(), 204);
        let me = call(
            &http,
            "GET",
            format!("{base}/api/me"),
            &[("cookie", &cookie)],
            "",
        )
        .await;
        assert_eq!(me.status(), 401);
        // Agent tokens are not for pages.
        let token = call(
            &http,
            "POST",
            format!("{base}/api/token"),
            &[
                ("content-type", "application/json"),
                ("origin", base.as_str()),
            ],
            format!(r#"{{"username":"sam","password":"{PASSWORD}"}}"#),
        )
        .await;
        assert_eq!(token.status(), 403);
        // Error bodies name no internals.
        let garbage = call(
            &http,
            "POST",
            format!("{base}/api/login"),
            &[("content-type", "application/json")],
            "{\"username\": [1,2",
        )
        .await;
        assert_eq!(garbage.status(), 400);
        let text = garbage.text().await.unwrap();
        assert!(!text.contains("line") && !text.contains("column"), "{text}");
    });
}

#[test]
fn hostile_messages_and_code_guessing_are_refused_and_counted() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    broker.rt.block_on(async {
        let mut helper = Ws::connect(&base, &login(&base, "ada").await).await;
        let mut sharer = Ws::connect(&base, &login(&base, "sam").await).await;
        // Out of order: nothing to consent to, no session to chat in.
        sharer
            .send(ClientMessage::Consent {
                id: 1,
                allow: true,
                reason: None,
            })
            .await;
        assert_eq!(sharer.error().await, ErrorCode::NotAllowed);
        sharer.send(ClientMessage::Chat { text: "hi".into() }).await;
        assert_eq!(sharer.error().await, ErrorCode::NotAllowed);
        // Malformed, wrong version, binary, oversized: errors, and the link stays usable.
        sharer.send_raw(Message::Text("{not json".into())).await;
        assert_eq!(sharer.error().await, ErrorCode::Malformed);
        sharer
            .send_raw(Message::Text(r#"{"v":2,"type":"ping","t":1}"#.into()))
            .await;
        assert_eq!(sharer.error().await, ErrorCode::UnsupportedVersion);
        sharer.send_raw(Message::Binary(vec![1, 2, 3].into())).await;
        assert_eq!(sharer.error().await, ErrorCode::Malformed);
        let big = format!(
            r#"{{"v":1,"type":"chat","text":"{}"}}"#,
            "x".repeat(70 * 1024)
        );
        sharer.send_raw(Message::Text(big.into())).await;
        assert_eq!(sharer.error().await, ErrorCode::TooLarge);

        let code = code_of(&mut helper).await;
        // Wrong codes: the same answer, then the address is locked out, even for the right
        // code (all three users share 127.0.0.1 here).
        let wrong = if code.starts_with('Z') { "Y" } else { "Z" }.to_owned() + &code[1..];
        for _ in 0..5 {
            sharer
                .send(ClientMessage::Redeem {
                    code: wrong.clone(),
                    client: Client::Agent,
                    device: None,
                })
                .await;
            assert_eq!(sharer.error().await, ErrorCode::CodeInvalid);
        }
        sharer
            .send(ClientMessage::Redeem {
                code: code.clone(),
                client: Client::Agent,
                device: None,
            })
            .await;
        assert_eq!(sharer.error().await, ErrorCode::LockedOut);
        let stats = broker.stats.snapshot();
        assert_eq!(stats.redeem_refused, 6, "{stats:?}");
        assert!(stats.malformed >= 4, "{stats:?}");
        assert!(stats.not_allowed >= 2, "{stats:?}");
        assert_eq!(stats.sessions, 1);
    });
}

#[test]
fn a_used_code_lets_no_second_sharer_in() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    broker.rt.block_on(async {
        let mut helper = Ws::connect(&base, &login(&base, "ada").await).await;
        let mut sam = Ws::connect(&base, &login(&base, "sam").await).await;
        let mut eve = Ws::connect(&base, &login(&base, "eve").await).await;
        let code = code_of(&mut helper).await;
        // Any case, grouped, O for 0 and I/L for 1.
        let typed = format!("{} {}", &code[..4], &code[4..])
            .to_lowercase()
            .replace('0', "o")
            .replace('1', "l");
        sam.send(ClientMessage::Redeem {
            code: typed,
            client: Client::Web,
            device: None,
        })
        .await;
        match sam.next(Duration::from_secs(3)).await {
            ServerMessage::Joined { helper, .. } => assert_eq!(helper.name, "Ada Lovelace"),
            other => panic!("{other:?}"),
        }
        match helper.next(Duration::from_secs(3)).await {
            ServerMessage::SharerJoined {
                sharer,
                client,
                warnings,
                max_level,
                chat_kept,
                clipboard,
            } => {
                assert!(!chat_kept, "no transcripts by default");
                assert_eq!(sharer.name, "Sam Taylor");
                assert_eq!(client, Client::Web);
                // The embedded default policy allows unenrolled devices, with a warning; a
                // web sharer is unenrolled by definition.
                assert_eq!(warnings, [glass_protocol::DeviceWarning::DeviceNotEnrolled]);
                assert_eq!(max_level, glass_protocol::Level::Full);
                // The embedded default lets clipboard text go both ways (with full control).
                assert!(clipboard.to_helper && clipboard.to_sharer, "{clipboard:?}");
            }
            other => panic!("{other:?}"),
        }
        eve.send(ClientMessage::Redeem {
            code,
            client: Client::Agent,
            device: None,
        })
        .await;
        assert_eq!(eve.error().await, ErrorCode::CodeInvalid);
        // A web sharer is never asked for full control: the helper is told at once.
        helper
            .send(ClientMessage::Request { level: Level::Full })
            .await;
        match helper.next(Duration::from_secs(3)).await {
            ServerMessage::ConsentResult { allow, reason, .. } => {
                assert!(!allow);
                assert_eq!(reason, Some(ConsentReason::NotSupported));
            }
            other => panic!("{other:?}"),
        }
        // Chat works before any media, in any script, NFC-normalised, in order.
        sam.send(ClientMessage::Chat {
            text: "Cafe\u{301} — مرحبا — 你好 👩‍💻".into(),
        })
        .await;
        for ws in [&mut sam, &mut helper] {
            match ws
                .until(Duration::from_secs(3), |m| {
                    matches!(m, ServerMessage::ChatMessage { .. })
                })
                .await
            {
                ServerMessage::ChatMessage {
                    seq,
                    from,
                    name,
                    text,
                    ..
                } => {
                    assert_eq!(seq, 1);
                    assert_eq!(from, Side::Sharer);
                    assert_eq!(name, "Sam Taylor");
                    assert_eq!(text, "Café — مرحبا — 你好 👩‍💻");
                }
                _ => unreachable!(),
            }
        }
        // The sharer's link goes quiet (network gone): the helper knows within 2 s.
        let t0 = Instant::now();
        sam.go_silent();
        let m = helper
            .until(Duration::from_secs(3), |m| {
                matches!(m, ServerMessage::PeerLeft { .. })
            })
            .await;
        let noticed = t0.elapsed();
        assert_eq!(
            m,
            ServerMessage::PeerLeft {
                reason: EndReason::Lost
            }
        );
        assert!(noticed < Duration::from_secs(2), "{noticed:?}");
        eprintln!("help: silent sharer noticed after {noticed:?}");
        drop(eve);
    });
}

#[test]
fn help_session_through_the_broker_with_the_agent() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let mut agent = TestAgent::start(rt, &base, &code);
    rt.block_on(async {
        match agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await
        {
            AgentEvent::Joined {
                helper,
                identity,
                chat_kept,
            } => {
                assert!(!chat_kept);
                // This agent trusts no issuer: the card is the broker's word, and says so.
                assert_eq!(identity, HelperIdentity::BrokerVouched);
                assert_eq!(helper.name, "Ada Lovelace");
                assert_eq!(helper.title, "IT support engineer");
                assert!(helper.domain_verified);
            }
            _ => unreachable!(),
        }
        match helper.next(Duration::from_secs(3)).await {
            ServerMessage::SharerJoined { sharer, client, .. } => {
                assert_eq!(sharer.name, "Sam Taylor");
                assert_eq!(client, Client::Agent);
            }
            other => panic!("{other:?}"),
        }
        // Declined: the helper is told, and signalling stays closed: no pixel can flow.
        helper
            .send(ClientMessage::Request { level: Level::View })
            .await;
        let id = agent.asked(Level::View).await;
        agent
            .actions
            .send(LocalAction::Answer { id, allow: false })
            .await
            .unwrap();
        assert_eq!(
            consent_result(&mut helper).await,
            (false, Some(ConsentReason::Declined))
        );
        helper
            .send(ClientMessage::Signal(Signal::Sdp(SessionDescription {
                kind: SdpType::Offer,
                sdp: "v=0".into(),
            })))
            .await;
        assert_eq!(helper.error().await, ErrorCode::NotAllowed);
    });

    // Allowed, view only: the helper's receiver gets video.
    rt.block_on(helper.send(ClientMessage::Request { level: Level::View }));
    let id = rt.block_on(agent.asked(Level::View));
    let clicked = Instant::now();
    rt.block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .unwrap();
    assert_eq!(rt.block_on(consent_result(&mut helper)), (true, None));
    let viewer = open_viewer(rt, &mut helper);
    let (mut keyframe, mut input_ready) = (None, false);
    let end = Instant::now() + Duration::from_secs(5);
    while (keyframe.is_none() || !input_ready) && Instant::now() < end {
        match viewer.events().recv_timeout(Duration::from_millis(100)) {
            Ok(ViewerEvent::Frame { keyframe: true, .. }) if keyframe.is_none() => {
                keyframe = Some(clicked.elapsed());
            }
            Ok(ViewerEvent::InputReady) => input_ready = true,
            _ => {}
        }
    }
    let keyframe = keyframe.expect("a keyframe reaches the helper");
    assert!(input_ready, "the input channels open");
    eprintln!("help: allow clicked → first keyframe at the helper: {keyframe:?}");
    let mut out = Sender::new();
    let p = Point::from_pixel(10, 20, 320, 240);
    viewer.send_input(false, out.msg(button(p, Button::Left, true)));
    viewer.send_input(false, out.msg(button(p, Button::Left, false)));
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        agent.recorder.events().is_empty(),
        "view only: nothing injected: {:?}",
        agent.recorder.events()
    );

    // Escalation to full control asks again; after Allow a click arrives.
    rt.block_on(helper.send(ClientMessage::Request { level: Level::Full }));
    let id = rt.block_on(agent.asked(Level::Full));
    rt.block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .unwrap();
    assert_eq!(rt.block_on(consent_result(&mut helper)), (true, None));
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end
        && !agent
            .recorder
            .events()
            .contains(&Recorded::Button(Button::Left, false))
    {
        viewer.send_input(false, out.msg(button(p, Button::Left, true)));
        viewer.send_input(false, out.msg(button(p, Button::Left, false)));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        agent
            .recorder
            .events()
            .contains(&Recorded::Button(Button::Left, true)),
        "full control: the click arrives: {:?}",
        agent.recorder.events()
    );

    // A second offer (the helper's page reconnecting) replaces the first connection: one
    // viewer per help session.
    let second = PendingViewer::new().unwrap();
    rt.block_on(
        helper.send(ClientMessage::Signal(Signal::Sdp(SessionDescription {
            kind: SdpType::Offer,
            sdp: second.offer_sdp().to_owned(),
        }))),
    );
    let answer = match rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::Signal(Signal::Sdp(_)))
    })) {
        ServerMessage::Signal(Signal::Sdp(d)) => d.sdp,
        other => panic!("{other:?}"),
    };
    assert!(
        wait_viewer(&viewer, Duration::from_secs(3), |e| *e
            == ViewerEvent::Closed),
        "the first connection is closed when the second is answered"
    );
    let viewer = second.start(&answer).unwrap();
    assert!(
        wait_viewer(&viewer, Duration::from_secs(5), |e| matches!(
            e,
            ViewerEvent::Frame { keyframe: true, .. }
        )),
        "the new connection gets a keyframe"
    );

    rt.block_on(async {
        // Take back control: the helper sees the sharer's new level.
        agent
            .actions
            .send(LocalAction::TakeBackControl)
            .await
            .unwrap();
        match helper
            .until(Duration::from_secs(3), |m| {
                matches!(
                    m,
                    ServerMessage::SharerState {
                        level: Level::View,
                        ..
                    }
                )
            })
            .await
        {
            ServerMessage::SharerState { level, paused } => {
                assert_eq!(level, Level::View);
                assert!(!paused);
            }
            _ => unreachable!(),
        }
        // Pause and resume: the helper sees both.
        for (action, paused) in [(LocalAction::Pause, true), (LocalAction::Resume, false)] {
            agent.actions.send(action).await.unwrap();
            helper
                .until(Duration::from_secs(3), |m| {
                    *m == ServerMessage::SharerState {
                        level: Level::View,
                        paused,
                    }
                })
                .await;
        }
        // Chat both ways, any script.
        helper
            .send(ClientMessage::Chat {
                text: "مرحبا، هل ترى الشاشة؟".into(),
            })
            .await;
        match agent
            .until(Duration::from_secs(3), |e| {
                matches!(e, AgentEvent::Chat { .. })
            })
            .await
        {
            AgentEvent::Chat {
                from, name, text, ..
            } => {
                assert_eq!(from, Side::Helper);
                assert_eq!(name, "Ada Lovelace");
                assert_eq!(text, "مرحبا، هل ترى الشاشة؟");
            }
            _ => unreachable!(),
        }
        agent
            .actions
            .send(LocalAction::Chat("你好，看到了 👍".into()))
            .await
            .unwrap();
        match helper
            .until(Duration::from_secs(3), |m| {
                matches!(
                    m,
                    ServerMessage::ChatMessage {
                        from: Side::Sharer,
                        ..
                    }
                )
            })
            .await
        {
            ServerMessage::ChatMessage { text, name, .. } => {
                assert_eq!(text, "你好，看到了 👍");
                assert_eq!(name, "Sam Taylor");
            }
            _ => unreachable!(),
        }
        // The sharer stops: the helper knows at once.
        let t0 = Instant::now();
        agent.actions.send(LocalAction::Stop).await.unwrap();
        let m = helper
            .until(Duration::from_secs(3), |m| {
                matches!(m, ServerMessage::PeerLeft { .. })
            })
            .await;
        assert_eq!(
            m,
            ServerMessage::PeerLeft {
                reason: EndReason::Left
            }
        );
        eprintln!(
            "help: sharer stop noticed by the helper after {:?}",
            t0.elapsed()
        );
        let outcome = agent.task.await.unwrap().unwrap();
        assert_eq!(outcome.reason, "stopped");
        assert_eq!(outcome.ignored_claims, 0);
    });
    assert!(
        wait_viewer(&viewer, Duration::from_secs(3), |e| *e
            == ViewerEvent::Closed),
        "the helper's media ends with the session"
    );
}

#[test]
fn full_control_on_a_mac_without_accessibility_is_declined_as_not_supported() {
    use glass::engine::permissions::{Grant, Grants};
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    // The share's own injector, on a machine whose check says Accessibility is off.
    let mut agent = TestAgent::start_with(rt, &base, &code, |c| {
        c.injector = None;
        c.permissions = std::sync::Arc::new(|_| Grants {
            screen_recording: Grant::Granted,
            accessibility: Grant::Missing,
        });
    });
    rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        helper
            .send(ClientMessage::Request { level: Level::Full })
            .await;
        // Nobody is asked: the helper learns it is not possible here, the user why.
        assert_eq!(
            consent_result(&mut helper).await,
            (false, Some(ConsentReason::NotSupported))
        );
        match agent
            .until(Duration::from_secs(3), |e| {
                matches!(
                    e,
                    AgentEvent::Error { .. } | AgentEvent::ConsentAsked { .. }
                )
            })
            .await
        {
            AgentEvent::Error { code, message } => {
                assert_eq!(code, "control_unavailable");
                assert!(message.contains("Accessibility"), "{message}");
            }
            other => panic!("the user was asked: {other:?}"),
        }
        // View is still offered and works.
        helper
            .send(ClientMessage::Request { level: Level::View })
            .await;
        let id = agent.asked(Level::View).await;
        agent
            .actions
            .send(LocalAction::Answer { id, allow: true })
            .await
            .unwrap();
        assert_eq!(consent_result(&mut helper).await, (true, None));
    });
}

#[test]
fn helper_vanishing_ends_the_agents_session_within_2s() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let mut agent = TestAgent::start(rt, &base, &code);
    rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        let t0 = Instant::now();
        helper.kill();
        match agent
            .until(Duration::from_secs(3), |e| {
                matches!(e, AgentEvent::Ended { .. })
            })
            .await
        {
            AgentEvent::Ended { reason } => assert_eq!(reason, "lost"),
            _ => unreachable!(),
        }
        let noticed = t0.elapsed();
        assert!(noticed < Duration::from_secs(2), "{noticed:?}");
        eprintln!("help: killed helper noticed by the agent after {noticed:?}");
    });
}

/// A broker double on loopback (on a runtime of its own, returned) that tells lies:
/// connection `n` (0, 1, …) is sent
/// `script(n)` at once, then the agent's messages are collected for 3 s (pings answered),
/// then `ended`; with `close_first`, connection 0 is closed right after its script (a link
/// lost, to be resumed). Returns its address and what the agent sent.
fn lying_broker(
    script: fn(usize, &str) -> Vec<ServerMessage>,
    close_first: bool,
) -> (
    tokio::runtime::Runtime,
    std::net::SocketAddr,
    mpsc::Receiver<ClientMessage>,
) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    use axum::extract::ws::{Message as AxMessage, WebSocketUpgrade};
    use axum::routing::{get, post};
    use std::sync::atomic::{AtomicUsize, Ordering};

    let (seen_tx, seen) = mpsc::channel::<ClientMessage>(64);
    let pending = PendingViewer::new().unwrap();
    let offer = pending.offer_sdp().to_owned();
    // The viewer is not needed, only a well-formed offer.
    drop(pending);
    let card = mallory();
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new()
        .route(
            "/api/token",
            post(move || {
                let card = card.clone();
                async move { axum::Json(serde_json::json!({"token": "t", "card": card})) }
            }),
        )
        .route(
            "/api/ws",
            get(move |ws: WebSocketUpgrade| {
                let seen_tx = seen_tx.clone();
                let n = connections.fetch_add(1, Ordering::SeqCst);
                let lies = script(n, &offer);
                async move {
                    ws.on_upgrade(move |mut socket| async move {
                        for lie in lies {
                            let text = glass_protocol::encode_server(&lie);
                            let _ = socket.send(AxMessage::Text(text.into())).await;
                        }
                        if close_first && n == 0 {
                            return;
                        }
                        let end = Instant::now() + Duration::from_secs(3);
                        while let Ok(Some(Ok(m))) = tokio::time::timeout(
                            end.saturating_duration_since(Instant::now()),
                            socket.recv(),
                        )
                        .await
                        {
                            if let AxMessage::Text(t) = m {
                                if let Ok(m) = glass_protocol::decode_client(t.as_str()) {
                                    let _ = seen_tx.send(m).await;
                                }
                                let pong =
                                    glass_protocol::encode_server(&ServerMessage::Pong { t: 0 });
                                let _ = socket.send(AxMessage::Text(pong.into())).await;
                            }
                        }
                        let end = ServerMessage::Ended {
                            reason: EndReason::Stopped,
                        };
                        let _ = socket
                            .send(AxMessage::Text(glass_protocol::encode_server(&end).into()))
                            .await;
                    })
                }
            }),
        );
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await });
    (rt, addr, seen)
}

fn mallory() -> glass_protocol::Card {
    glass_protocol::Card {
        name: "Mallory".into(),
        title: "Not a helper".into(),
        company: "Evil".into(),
        picture: None,
        domain: "evil.example".into(),
        domain_verified: false,
        vouched: Default::default(),
    }
}

fn joined_by_mallory() -> ServerMessage {
    ServerMessage::Joined {
        session: "0000000000000001".into(),
        helper: mallory(),
        helper_token: None,
        chat_kept: false,
        clipboard: Default::default(),
    }
}

/// Claims of a consent the agent's user never gave: a result for an id it never saw, a
/// replay, a level claim, and an offer.
fn consent_lies(offer: &str) -> Vec<ServerMessage> {
    vec![
        ServerMessage::ConsentResult {
            id: 1,
            level: Level::Full,
            allow: true,
            reason: None,
        },
        ServerMessage::ConsentResult {
            id: 7,
            level: Level::Full,
            allow: true,
            reason: None,
        },
        ServerMessage::SharerState {
            level: Level::Full,
            paused: false,
        },
        ServerMessage::Signal(Signal::Sdp(SessionDescription {
            kind: SdpType::Offer,
            sdp: offer.to_owned(),
        })),
    ]
}

/// Runs the agent against `addr` until it ends (or 6 s of silence); asserts it shared
/// nothing, asked nothing, answered no offer and injected nothing. Returns its outcome and
/// what it sent.
fn agent_refuses_the_lies(
    rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    mut seen: mpsc::Receiver<ClientMessage>,
) -> (glass::agent::help::HelpOutcome, Vec<ClientMessage>) {
    let mut agent = TestAgent::start(rt, &format!("http://{addr}"), "0000 0000");
    let events = rt.block_on(async {
        let mut events = Vec::new();
        while let Ok(Some(e)) =
            tokio::time::timeout(Duration::from_secs(6), agent.events.recv()).await
        {
            let done = matches!(e, AgentEvent::Ended { .. });
            events.push(e);
            if done {
                break;
            }
        }
        events
    });
    let outcome = rt.block_on(agent.task).unwrap().unwrap();
    // What the double read and has not handed over yet comes within moments; on a loaded
    // machine (the whole suite at once) the first can take seconds.
    let sent = rt.block_on(async {
        let mut sent = Vec::new();
        let mut wait = Duration::from_secs(5);
        while let Ok(Some(m)) = tokio::time::timeout(wait, seen.recv()).await {
            sent.push(m);
            wait = Duration::from_millis(500);
        }
        sent
    });
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, AgentEvent::Sharing { level: Some(_), .. })),
        "nothing shared: {events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, AgentEvent::ConsentAsked { .. })),
        "no question was asked, so none was answered: {events:?}"
    );
    assert!(
        !sent.iter().any(|m| matches!(m, ClientMessage::Signal(_))),
        "no answer to the forged offer: {sent:?}"
    );
    assert!(agent.recorder.events().is_empty());
    assert_eq!(agent.recorder.total(), 0);
    (outcome, sent)
}

/// A broker that lies: it claims the sharer approved full control and sends an offer, but
/// never asks the agent's user. The agent must share nothing and inject nothing.
#[test]
fn forged_approval_through_a_broker_double_injects_nothing() {
    let (rt, addr, seen) = lying_broker(
        |_, offer| {
            let mut lies = vec![joined_by_mallory()];
            lies.extend(consent_lies(offer));
            lies
        },
        false,
    );
    let (outcome, _) = agent_refuses_the_lies(&rt, addr, seen);
    assert!(outcome.ignored_claims >= 3, "{outcome:?}");
    assert_eq!(outcome.refused_offers, 1, "{outcome:?}");
}

/// A broker that lies on resuming (issue 12): the link is lost, and the broker the agent
/// resumes on says the session was resumed at full control, unpaused, and claims a consent
/// and sends an offer. The level in `resumed` is the broker's word, not the agent's user's:
/// the agent shares nothing and injects nothing.
#[test]
fn a_forged_resumed_grants_nothing() {
    let (rt, addr, seen) = lying_broker(
        |n, offer| match n {
            // Joined, resumable, then the link is lost.
            0 => vec![
                joined_by_mallory(),
                ServerMessage::Resumable {
                    token: "r".repeat(43),
                },
            ],
            _ => {
                let mut lies = vec![ServerMessage::Resumed {
                    level: Some(Level::Full),
                    paused: false,
                    peer_present: true,
                }];
                lies.extend(consent_lies(offer));
                lies
            }
        },
        true,
    );
    let (outcome, sent) = agent_refuses_the_lies(&rt, addr, seen);
    assert!(
        sent.iter()
            .any(|m| matches!(m, ClientMessage::Resume { .. })),
        "the agent resumed: {sent:?}"
    );
    assert_eq!(outcome.resumed, 1, "{outcome:?}");
    assert!(outcome.ignored_claims >= 3, "{outcome:?}");
    assert_eq!(outcome.refused_offers, 1, "{outcome:?}");
}
