//! Many brokers: two real brokers sharing a real `redis-server` (started here on loopback),
//! the helper signed in on one, the sharer on the other, through their WebSockets as the web
//! apps use them. A code from one broker is redeemed on the other, once; request, consent,
//! chat, signalling and leave cross between them; a broker that dies, or Redis restarting,
//! ends the sessions it carried with a reason on the other side within about 2 s, never a
//! hang.

use std::time::{Duration, Instant};

use glass_broker::BrokerConfig;
use glass_broker::cluster::RedisUrl;
use glass_protocol::{Client, ClientMessage, EndReason, ErrorCode, Level, ServerMessage};

use crate::help_harness::{TestBroker, Ws, code_of, login};

use crate::cluster_store::redis_server::RedisServer;

fn redis() -> RedisServer {
    RedisServer::start()
        .expect("redis-server starts")
        .expect("redis-server is installed (scripts/setup.sh)")
}

fn broker(redis: &RedisServer) -> TestBroker {
    TestBroker::start(BrokerConfig {
        redis: Some(RedisUrl::parse(&redis.url()).unwrap()),
        ..BrokerConfig::default()
    })
}

/// Ada asks for a code on `a`, Sam redeems it on `b` (as the agent), both see the other's
/// card.
async fn joined(a: &TestBroker, b: &TestBroker) -> (Ws, Ws) {
    let (ada, sam, _) = joined_with_tokens(a, b).await;
    (ada, sam)
}

/// [`joined`], and the two resume tokens (helper's, sharer's).
async fn joined_with_tokens(a: &TestBroker, b: &TestBroker) -> (Ws, Ws, [String; 2]) {
    let mut ada = Ws::connect(&a.url(), &login(&a.url(), "ada").await).await;
    let mut sam = Ws::connect(&b.url(), &login(&b.url(), "sam").await).await;
    let code = code_of(&mut ada).await;
    sam.send(ClientMessage::Redeem {
        code,
        client: Client::Agent,
        device: None,
    })
    .await;
    match sam.next(Duration::from_secs(5)).await {
        ServerMessage::Joined { helper, .. } => assert_eq!(helper.name, "Ada Lovelace"),
        other => panic!("{other:?}"),
    }
    match ada.next(Duration::from_secs(5)).await {
        ServerMessage::SharerJoined { sharer, client, .. } => {
            assert_eq!(sharer.name, "Sam Taylor");
            assert_eq!(client, Client::Agent);
        }
        other => panic!("{other:?}"),
    }
    let mut tokens = [String::new(), String::new()];
    for (ws, token) in [&mut ada, &mut sam].into_iter().zip(tokens.iter_mut()) {
        match ws.next(Duration::from_secs(5)).await {
            ServerMessage::Resumable { token: t } => *token = t,
            other => panic!("{other:?}"),
        }
    }
    (ada, sam, tokens)
}

async fn chat_lines(ws: &mut Ws, n: usize) -> Vec<(u64, String)> {
    let mut lines = Vec::new();
    while lines.len() < n {
        if let ServerMessage::ChatMessage { seq, text, .. } = ws.next(Duration::from_secs(5)).await
        {
            lines.push((seq, text));
        }
    }
    lines
}

#[test]
fn a_help_session_spans_two_brokers_sharing_redis() {
    let redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    b.rt.block_on(async {
        let (mut ada, mut sam) = joined(&a, &b).await;

        // The code is spent on every broker: Eve, on the helper's own broker, cannot use it
        // again (nor can she guess it).
        let mut eve = Ws::connect(&a.url(), &login(&a.url(), "eve").await).await;
        let mut ada2 = Ws::connect(&b.url(), &login(&b.url(), "ada").await).await;
        let second = code_of(&mut ada2).await;
        assert_ne!(second.len(), 0);
        eve.send(ClientMessage::Redeem {
            code: "AAAA0000".into(),
            client: Client::Web,
            device: None,
        })
        .await;
        assert_eq!(eve.error().await, ErrorCode::CodeInvalid);

        // Full control, asked on A, allowed on B.
        ada.send(ClientMessage::Request { level: Level::Full })
            .await;
        let id = match sam.next(Duration::from_secs(5)).await {
            ServerMessage::ConsentRequest { id, level, helper } => {
                assert_eq!(level, Level::Full);
                assert_eq!(helper.name, "Ada Lovelace");
                id
            }
            other => panic!("{other:?}"),
        };
        sam.send(ClientMessage::Consent {
            id,
            allow: true,
            reason: None,
        })
        .await;
        match ada.next(Duration::from_secs(5)).await {
            ServerMessage::ConsentResult { allow, level, .. } => {
                assert!(allow);
                assert_eq!(level, Level::Full);
            }
            other => panic!("{other:?}"),
        }

        // Chat in any script, written at the same time on both brokers: each line reaches each
        // side once, and both sides see the same order (the session's, on its home broker).
        tokio::join!(
            sam.send(ClientMessage::Chat {
                text: "مرحبا، الشاشة لا تعمل".into(),
            }),
            ada.send(ClientMessage::Chat {
                text: "我来看看".into(),
            })
        );
        let seen_by_ada = chat_lines(&mut ada, 2).await;
        assert_eq!(chat_lines(&mut sam, 2).await, seen_by_ada);
        let mut texts: Vec<&str> = seen_by_ada.iter().map(|(_, t)| t.as_str()).collect();
        texts.sort();
        assert_eq!(texts, ["مرحبا، الشاشة لا تعمل", "我来看看"]);
        assert_eq!(
            seen_by_ada.iter().map(|(seq, _)| *seq).collect::<Vec<_>>(),
            [1, 2]
        );

        // Signalling crosses both ways (media itself never passes through a broker).
        ada.send(ClientMessage::Signal(glass_protocol::Signal::Sdp(
            glass_protocol::SessionDescription {
                kind: glass_protocol::SdpType::Offer,
                sdp: "v=0\r\n".into(),
            },
        )))
        .await;
        assert!(matches!(
            sam.next(Duration::from_secs(5)).await,
            ServerMessage::Signal(_)
        ));

        // The sharer takes control back, then leaves: both know at once.
        sam.send(ClientMessage::State {
            level: Level::View,
            paused: false,
        })
        .await;
        assert!(matches!(
            ada.next(Duration::from_secs(5)).await,
            ServerMessage::SharerState {
                level: Level::View,
                ..
            }
        ));
        sam.send(ClientMessage::Leave).await;
        assert_eq!(
            ada.next(Duration::from_secs(5)).await,
            ServerMessage::PeerLeft {
                reason: EndReason::Left
            }
        );
        assert_eq!(
            ada.next(Duration::from_secs(5)).await,
            ServerMessage::Ended {
                reason: EndReason::Left
            }
        );
        assert_eq!(
            sam.next(Duration::from_secs(5)).await,
            ServerMessage::Ended {
                reason: EndReason::Left
            }
        );
        // Sam's link is free again; a code Ada got on B works on A the other way round.
        let mut ada_on_a = Ws::connect(&a.url(), &login(&a.url(), "sam").await).await;
        ada_on_a
            .send(ClientMessage::Redeem {
                code: second,
                client: Client::Web,
                device: None,
            })
            .await;
        assert!(matches!(
            ada_on_a.next(Duration::from_secs(5)).await,
            ServerMessage::Joined { .. }
        ));
    });
    let (sa, sb) = (a.stats.snapshot(), b.stats.snapshot());
    assert_eq!(sb.remote_joins, 1, "{sb:?}");
    assert_eq!(sa.remote_joins, 1, "{sa:?}");
    assert_eq!(sa.peer_refused + sb.peer_refused, 0);
    assert_eq!(sa.store_failures + sb.store_failures, 0);
    assert_eq!(
        sa.chat_messages, 2,
        "chat is counted where the session lives"
    );
}

#[test]
fn a_code_is_redeemed_once_when_two_brokers_race_for_it() {
    let redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    b.rt.block_on(async {
        for _ in 0..5 {
            let mut ada = Ws::connect(&a.url(), &login(&a.url(), "ada").await).await;
            let mut sam = Ws::connect(&a.url(), &login(&a.url(), "sam").await).await;
            let mut eve = Ws::connect(&b.url(), &login(&b.url(), "eve").await).await;
            let code = code_of(&mut ada).await;
            let redeem = |code: &str| ClientMessage::Redeem {
                code: code.to_owned(),
                client: Client::Web,
                device: None,
            };
            tokio::join!(sam.send(redeem(&code)), eve.send(redeem(&code)));
            let (s, e) = tokio::join!(
                sam.next(Duration::from_secs(5)),
                eve.next(Duration::from_secs(5))
            );
            let joined = [&s, &e]
                .iter()
                .filter(|m| matches!(m, ServerMessage::Joined { .. }))
                .count();
            let refused = [&s, &e]
                .iter()
                .filter(|m| {
                    matches!(
                        m,
                        ServerMessage::Error {
                            code: ErrorCode::CodeInvalid,
                            ..
                        }
                    )
                })
                .count();
            assert_eq!((joined, refused), (1, 1), "{s:?} / {e:?}");
        }
    });
}

#[test]
fn a_broker_that_dies_is_known_on_the_other_within_2_s() {
    let redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    let (ada, mut sam) = b.rt.block_on(joined(&a, &b));
    // The helper's broker dies: its process gone, its sockets with it.
    let died = Instant::now();
    drop(a);
    b.rt.block_on(async {
        let m = sam.next(Duration::from_secs(5)).await;
        let known = died.elapsed();
        assert_eq!(m, ServerMessage::PeerAway);
        eprintln!("the sharer knew the helper's broker was gone after {known:?}");
        // 1.5 s of presence plus a 0.5 s beat; the margin is for a loaded machine.
        assert!(known < Duration::from_secs(4), "{known:?}");
        // Nobody resumes the session: it ends after the grace. (A stopping broker tells
        // the sharer its helper is away itself as it closes the helper's link, and the
        // sharer's broker again when it finds the broker gone: the same state twice.)
        assert_eq!(
            sam.until(Duration::from_secs(15), |m| *m != ServerMessage::PeerAway)
                .await,
            ServerMessage::PeerLeft {
                reason: EndReason::Lost
            }
        );
        assert_eq!(
            sam.next(Duration::from_secs(1)).await,
            ServerMessage::Ended {
                reason: EndReason::Lost
            }
        );
        let ended = died.elapsed();
        eprintln!("and the session ended after {ended:?}");
        assert!(ended >= Duration::from_secs(9), "{ended:?}");
        drop(ada);
    });
    assert!(b.stats.snapshot().peers_lost >= 1);
}

#[test]
fn redis_restarting_ends_shared_sessions_cleanly_and_then_works_again() {
    let mut redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    let (mut ada, mut sam) = b.rt.block_on(joined(&a, &b));
    redis.restart().unwrap();
    b.rt.block_on(async {
        // Messages may have been lost while Redis was away: both sides are told the session
        // ended, with a reason, instead of waiting on a session out of step.
        for ws in [&mut ada, &mut sam] {
            let m = ws
                .until(Duration::from_secs(10), |m| {
                    matches!(m, ServerMessage::Ended { .. })
                })
                .await;
            assert_eq!(
                m,
                ServerMessage::Ended {
                    reason: EndReason::Lost
                }
            );
        }
        // And the brokers carry on with the new Redis: a new session across them works.
        // Until the brokers' connections are back, asking is answered `busy` (the helper's
        // code is then withdrawn: `ended` first), and the client tries again.
        let end = Instant::now() + Duration::from_secs(15);
        let code = loop {
            ada.send(ClientMessage::CreateCode).await;
            match ada.next(Duration::from_secs(5)).await {
                ServerMessage::Code { code, .. } => break code,
                m @ (ServerMessage::Error { .. } | ServerMessage::Ended { .. }) => {
                    assert!(Instant::now() < end, "no code after Redis came back: {m:?}");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    // Whatever else that attempt produced.
                    while let Ok(m) = tokio::time::timeout(
                        Duration::from_millis(100),
                        ada.next(Duration::from_secs(1)),
                    )
                    .await
                    {
                        if let ServerMessage::Code { .. } = m {
                            panic!("a code arrived after `busy`");
                        }
                    }
                }
                other => panic!("{other:?}"),
            }
        };
        loop {
            sam.send(ClientMessage::Redeem {
                code: code.clone(),
                client: Client::Web,
                device: None,
            })
            .await;
            match sam.next(Duration::from_secs(5)).await {
                ServerMessage::Joined { .. } => break,
                m @ ServerMessage::Error {
                    code: ErrorCode::Busy,
                    ..
                } => {
                    assert!(
                        Instant::now() < end,
                        "not joined after Redis came back: {m:?}"
                    );
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                other => panic!("{other:?}"),
            }
        }
    });
}

fn open_broker(redis: &RedisServer) -> TestBroker {
    TestBroker::start(BrokerConfig {
        redis: Some(RedisUrl::parse(&redis.url()).unwrap()),
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    })
}

async fn post(base: &str, path: &str, headers: &[(&str, &str)], body: &str) -> reqwest::Response {
    let mut r = reqwest::Client::new().post(format!("{base}{path}"));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(body.to_owned()).send().await.unwrap()
}

/// Behind a load balancer any broker may get the next request: a sign-in made on one is
/// honoured by the others, a sign-out on one ends it on all, and the lockouts (failed
/// passwords per address, failed codes per user) count on every broker together. The rate
/// limits are raised so that only the lockouts refuse.
#[test]
fn sign_ins_and_lockouts_hold_on_every_broker() {
    let redis = redis();
    let a = open_broker(&redis);
    let b = open_broker(&redis);
    let c = open_broker(&redis);
    b.rt.block_on(async {
        // Signed in on a: the WebSocket opens on b, and /api/me answers on c.
        let cookie = login(&a.url(), "ada").await;
        let mut ada = Ws::connect(&b.url(), &cookie).await;
        let code = code_of(&mut ada).await;
        assert_eq!(code.len(), 8);
        let me = reqwest::Client::new()
            .get(format!("{}/api/me", c.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        let body: serde_json::Value = me.json().await.unwrap();
        assert_eq!(body["card"]["name"], "Ada Lovelace");
        let csrf = body["csrf"].as_str().unwrap().to_owned();
        // An agent token from b works on a.
        let token = crate::help_harness::agent_token(&b.url(), "sam").await;
        let mut sam = Ws::connect_agent(&a.url(), &token.token).await;
        sam.send(ClientMessage::Redeem {
            code: code.clone(),
            client: Client::Agent,
            device: None,
        })
        .await;
        assert!(matches!(
            sam.next(Duration::from_secs(5)).await,
            ServerMessage::Joined { .. }
        ));
        // Signed out on c: refused on a and b.
        let out = post(
            &c.url(),
            "/api/logout",
            &[("cookie", &cookie), ("x-csrf-token", &csrf)],
            "",
        )
        .await;
        assert_eq!(out.status(), 204);
        for base in [a.url(), b.url()] {
            let me = reqwest::Client::new()
                .get(format!("{base}/api/me"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(me.status(), 401, "{base}");
        }

        // Failed codes: five on a (well-formed codes nobody issued), then Eve's next attempt
        // on b is locked out even with a live code.
        let mut eve = Ws::connect(&a.url(), &login(&a.url(), "eve").await).await;
        for guess in ["22222222", "33333333", "44444444", "55555555", "66666666"] {
            eve.send(ClientMessage::Redeem {
                code: guess.into(),
                client: Client::Web,
                device: None,
            })
            .await;
            assert_eq!(eve.error().await, ErrorCode::CodeInvalid);
        }
        let mut ada2 = Ws::connect(&a.url(), &login(&a.url(), "ada").await).await;
        let live = code_of(&mut ada2).await;
        let mut eve_b = Ws::connect(&b.url(), &login(&b.url(), "eve").await).await;
        eve_b
            .send(ClientMessage::Redeem {
                code: live.clone(),
                client: Client::Web,
                device: None,
            })
            .await;
        assert_eq!(eve_b.error().await, ErrorCode::LockedOut);
        // The address's counter locks too (every client here is on loopback), on a third
        // broker that saw none of the failures.
        let mut sam_c = Ws::connect(&c.url(), &login(&c.url(), "sam").await).await;
        sam_c
            .send(ClientMessage::Redeem {
                code: live,
                client: Client::Web,
                device: None,
            })
            .await;
        assert_eq!(sam_c.error().await, ErrorCode::LockedOut);

        // Failed passwords from one address: five on a, five on b; then even the right
        // password is refused on c, which saw none of them.
        for (i, base) in [a.url(), b.url()].iter().cycle().take(10).enumerate() {
            let r = post(
                base,
                "/api/login",
                &[("content-type", "application/json")],
                r#"{"username":"ada","password":"wrong password"}"#,
            )
            .await;
            assert_eq!(r.status(), 401, "attempt {i}");
        }
        let r = post(
            &c.url(),
            "/api/login",
            &[("content-type", "application/json")],
            &format!(
                r#"{{"username":"ada","password":"{}"}}"#,
                crate::help_harness::PASSWORD
            ),
        )
        .await;
        assert_eq!(r.status(), 429);
    });
}

/// The helper's broker dies in the middle of a session whose video is flowing: the sharer's
/// agent (on the other broker) is told the helper is away, the helper comes back through the
/// other broker with its resume token (and the same sign-in), and the session carries on
/// there with its consent, level and chat. The video never stops: it goes peer to peer,
/// never through a broker.
#[test]
fn the_home_broker_dies_and_the_session_resumes_on_the_other_while_the_video_flows() {
    use crate::help_harness::{TestAgent, open_viewer};
    use glass::agent::help::{AgentEvent, LocalAction};

    let redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    let rt = &b.rt;
    let cookie = rt.block_on(login(&a.url(), "ada"));
    let mut ada = rt.block_on(Ws::connect(&a.url(), &cookie));
    let code = rt.block_on(code_of(&mut ada));
    let mut agent = TestAgent::start_with(rt, &b.url(), &code, |c| {
        c.share.source = "synthetic:video:320x240@15".parse().unwrap();
    });
    let token = rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        assert!(matches!(
            ada.next(Duration::from_secs(5)).await,
            ServerMessage::SharerJoined { .. }
        ));
        let token = match ada.next(Duration::from_secs(5)).await {
            ServerMessage::Resumable { token } => token,
            other => panic!("{other:?}"),
        };
        crate::help_harness::allowed(&mut ada, &mut agent, Level::View).await;
        ada.send(ClientMessage::Chat {
            text: "Ich sehe Ihren Bildschirm".into(),
        })
        .await;
        token
    });
    let viewer = open_viewer(rt, &mut ada);
    // Video flows.
    assert_eq!(
        crate::help_harness::frames_within(&viewer, 10, Duration::from_secs(10)),
        10,
        "video reaches the helper"
    );

    // Broker A dies, with the helper's link and the session's home.
    let died = Instant::now();
    drop(a);
    // The video keeps coming the whole time (frames watched on a thread of their own).
    let watching = crate::help_harness::watch_frames(viewer, Duration::from_secs(6));
    rt.block_on(async {
        // The helper reconnects through the other broker, same sign-in, and resumes.
        let mut ada = Ws::connect(&b.url(), &cookie).await;
        ada.send(ClientMessage::Resume {
            token: token.clone(),
            chat_after: 0,
        })
        .await;
        match ada.next(Duration::from_secs(5)).await {
            ServerMessage::Resumed { level, paused, .. } => {
                assert_eq!(level, Some(Level::View));
                assert!(!paused);
            }
            other => panic!("{other:?}"),
        }
        match ada.next(Duration::from_secs(5)).await {
            ServerMessage::ChatMessage { seq: 1, text, .. } => {
                assert_eq!(text, "Ich sehe Ihren Bildschirm")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            ada.next(Duration::from_secs(5)).await,
            ServerMessage::PeerBack
        );
        // The helper was back (50 ms) before broker B could notice A was gone (1.5 s):
        // the sharer's link on B never dropped, and the agent's share never paused.
        eprintln!(
            "cluster: the session resumed on the other broker {:?} after the helper's broker died",
            died.elapsed()
        );
        // It carries on: the helper escalates, the agent asks its user again, chat flows.
        crate::help_harness::allowed(&mut ada, &mut agent, Level::Full).await;
        agent
            .actions
            .send(LocalAction::Chat("Danke".into()))
            .await
            .unwrap();
        match ada
            .until(Duration::from_secs(5), |m| {
                matches!(m, ServerMessage::ChatMessage { .. })
            })
            .await
        {
            ServerMessage::ChatMessage { seq, text, .. } => {
                assert_eq!((seq, text.as_str()), (2, "Danke"))
            }
            _ => unreachable!(),
        }
    });
    let (gap, count) = watching.join().unwrap();
    eprintln!("cluster: {count} frames in the 6 s after the broker died, longest gap {gap:?}");
    // 15 fps: a frame every 67 ms; the bound is for a loaded machine, far below the ~2 s a
    // broker's death takes to be noticed and the session moved.
    assert!(count >= 30, "{count}");
    assert!(gap < Duration::from_millis(1500), "{gap:?}");
    assert_eq!(b.stats.snapshot().sessions_resumed, 1);
}

/// A stand-in for the load balancer: each connection goes to the first broker that accepts
/// it, in order (a dead one refuses, as a health check would take it out).
pub(crate) fn balancer(rt: &tokio::runtime::Runtime, brokers: Vec<std::net::SocketAddr>) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let brokers = brokers.clone();
            tokio::spawn(async move {
                for b in brokers {
                    if let Ok(mut upstream) = tokio::net::TcpStream::connect(b).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// The sharer's broker dies mid-session: the agent's link drops, and the agent resumes
/// through the load balancer on the broker that is left (the session's home), keeping its
/// share and consent throughout; the helper sees the sharer back, the video never stops,
/// and the session carries on.
#[test]
fn the_sharers_broker_dies_and_the_agent_resumes_through_the_load_balancer() {
    use crate::help_harness::{TestAgent, open_viewer};
    use glass::agent::help::{AgentEvent, LocalAction};

    let redis = redis();
    let a = broker(&redis);
    let b = broker(&redis);
    let rt = &a.rt;
    let lb = balancer(rt, vec![b.addr, a.addr]);
    let mut ada = rt.block_on(async { Ws::connect(&a.url(), &login(&a.url(), "ada").await).await });
    let code = rt.block_on(code_of(&mut ada));
    let mut agent = TestAgent::start_with(rt, &lb, &code, |c| {
        c.share.source = "synthetic:video:320x240@15".parse().unwrap();
    });
    rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        ada.until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::Resumable { .. })
        })
        .await;
        crate::help_harness::allowed(&mut ada, &mut agent, Level::View).await;
    });
    assert_eq!(
        b.stats.snapshot().remote_joins,
        1,
        "the agent went through broker B"
    );
    let viewer = open_viewer(rt, &mut ada);
    assert_eq!(
        crate::help_harness::frames_within(&viewer, 10, Duration::from_secs(10)),
        10,
        "video reaches the helper"
    );

    let died = Instant::now();
    drop(b);
    let watching = crate::help_harness::watch_frames(viewer, Duration::from_secs(6));
    rt.block_on(async {
        ada.until(Duration::from_secs(12), |m| {
            matches!(m, ServerMessage::PeerBack)
        })
        .await;
        // The agent told its user it was reconnecting, then that it was connected again.
        use glass::agent::help::ConnectionState;
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(
                    e,
                    AgentEvent::Connection {
                        state: Some(ConnectionState::Reconnecting)
                    }
                )
            })
            .await;
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Connection { state: None })
            })
            .await;
        eprintln!(
            "cluster: the agent resumed on the other broker {:?} after its broker died",
            died.elapsed()
        );
        crate::help_harness::allowed(&mut ada, &mut agent, Level::Full).await;
        agent
            .actions
            .send(LocalAction::Chat("Danke".into()))
            .await
            .unwrap();
        ada.until(
            Duration::from_secs(5),
            |m| matches!(m, ServerMessage::ChatMessage { text, .. } if text == "Danke"),
        )
        .await;
    });
    let (gap, count) = watching.join().unwrap();
    rt.block_on(ada.send(ClientMessage::Leave));
    let outcome = rt.block_on(agent.task).unwrap().unwrap();
    assert_eq!(outcome.resumed, 1);
    eprintln!(
        "cluster: {count} frames in the 6 s after the agent's broker died, longest gap {gap:?}"
    );
    assert!(count >= 30, "{count}");
    assert!(gap < Duration::from_millis(1500), "{gap:?}");
}

/// A broker asked to stop (SIGTERM) drains: its health check says `draining` and it takes
/// no new links, it closes the ones it has, the helper resumes on the other broker (which
/// takes the session over, consent and all, while the agent on the other broker keeps
/// streaming), and only once no session is left does it stop.
#[test]
fn a_stopping_broker_moves_its_sessions_to_the_other_before_it_stops() {
    use crate::help_harness::TestAgent;
    use glass::agent::help::AgentEvent;

    let redis = redis();
    // One audit trail for both brokers.
    let dir = crate::audit::SqliteDir::new();
    let db = dir.database("cluster");
    let with_audit = || {
        TestBroker::start(BrokerConfig {
            redis: Some(RedisUrl::parse(&redis.url()).unwrap()),
            audit_db: Some(db.clone().into()),
            ..BrokerConfig::default()
        })
    };
    let mut a = with_audit();
    let b = with_audit();
    let rt = &b.rt;
    let cookie = rt.block_on(login(&a.url(), "ada"));
    let mut ada = rt.block_on(Ws::connect(&a.url(), &cookie));
    let code = rt.block_on(code_of(&mut ada));
    let mut agent = TestAgent::start(rt, &b.url(), &code);
    let token = rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        let token = match ada
            .until(Duration::from_secs(5), |m| {
                matches!(m, ServerMessage::Resumable { .. })
            })
            .await
        {
            ServerMessage::Resumable { token } => token,
            _ => unreachable!(),
        };
        crate::help_harness::allowed(&mut ada, &mut agent, Level::View).await;
        token
    });

    let asked = Instant::now();
    a.ask_to_stop();
    rt.block_on(async {
        // The helper's link is closed by the stopping broker: its next read ends.
        assert!(
            ada.closed_within(Duration::from_secs(5)).await,
            "the draining broker closes the helper's link"
        );
        // It says so to the load balancer, and takes no new link.
        let health = reqwest::get(format!("{}/healthz", a.url())).await.unwrap();
        assert_eq!(health.status(), 503);
        assert!(!a.stopped(), "it waits for its session to move");
        // The helper resumes on B.
        let mut ada = Ws::connect(&b.url(), &cookie).await;
        ada.send(ClientMessage::Resume {
            token,
            chat_after: 0,
        })
        .await;
        match ada.next(Duration::from_secs(5)).await {
            ServerMessage::Resumed { level, .. } => assert_eq!(level, Some(Level::View)),
            other => panic!("{other:?}"),
        }
        ada.until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::PeerBack)
        })
        .await;
        // Then A, with nothing left, stops.
        let end = Instant::now() + Duration::from_secs(10);
        while !a.stopped() && Instant::now() < end {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(a.stopped(), "the drained broker stops");
        eprintln!(
            "cluster: drained and stopped {:?} after being asked",
            asked.elapsed()
        );
        // The session goes on, on B.
        crate::help_harness::allowed(&mut ada, &mut agent, Level::Full).await;
        ada.send(ClientMessage::Leave).await;
        ada.until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::Ended { .. })
        })
        .await;
        assert!(b.audit.flush().await);
    });
    assert_eq!(b.stats.snapshot().sessions_resumed, 1);
    // The trail tells the story, on one chain, every row of the session in the tenant: the
    // helper's link lost (written by A as it drained), back on B, the second consent, the
    // end. Two brokers write it, so rows land in the order their writers commit: the order
    // of events is their time (`at`).
    let rows = crate::audit::all_rows(rt, &db);
    let session: Vec<(&str, &str, &str, i64)> = rows
        .iter()
        .filter(|r| r.entry.session.is_some())
        .map(|r| {
            (
                r.entry.name.as_str(),
                r.entry.actor_kind.as_str(),
                r.entry.tenant.as_str(),
                r.entry.at,
            )
        })
        .collect();
    let mut kinds: Vec<(&str, &str, &str)> = session.iter().map(|r| (r.0, r.1, r.2)).collect();
    kinds.sort();
    let mut expected = vec![
        ("code_issued", "helper", "local"),
        ("code_redeemed", "sharer", "local"),
        ("sharer_joined", "sharer", "local"),
        ("consent_requested", "helper", "local"),
        ("consent_allowed", "sharer", "local"),
        ("level_changed", "sharer", "local"),
        ("link_lost", "helper", "local"),
        ("link_resumed", "helper", "local"),
        ("consent_requested", "helper", "local"),
        ("consent_allowed", "sharer", "local"),
        ("level_changed", "sharer", "local"),
        ("session_ended", "helper", "local"),
    ];
    expected.sort();
    assert_eq!(kinds, expected, "{session:?}");
    let at = |name: &str, nth: usize| {
        session
            .iter()
            .filter(|r| r.0 == name)
            .nth(nth)
            .map(|r| r.3)
            .unwrap()
    };
    assert!(
        at("consent_allowed", 0) <= at("link_lost", 0),
        "{session:?}"
    );
    assert!(at("link_lost", 0) <= at("link_resumed", 0), "{session:?}");
    assert!(
        at("link_resumed", 0) <= at("consent_requested", 1),
        "{session:?}"
    );
    assert!(
        at("consent_allowed", 1) <= at("session_ended", 0),
        "{session:?}"
    );
}
