//! Two hubs sharing sessions, wired by hand: what the cluster driver would move through
//! Redis is moved here directly (a map for the codes, a function call for each message,
//! through the same encoding), so every cross-broker rule is checked without I/O. The same
//! flows run against real brokers and a real Redis in `tests/cluster.rs`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glass_protocol::{EndReason, Level, ServerMessage, decode_server};
use tokio::sync::mpsc;

use super::*;
use crate::accounts::{Identity, Profile};
use crate::peers::{BrokerId, ClusterOut, PeerMessage};

struct World {
    hubs: Vec<(BrokerId, Hub)>,
    codes: HashMap<String, Vec<u8>>,
    /// Session records: version and bytes.
    records: HashMap<u64, (u64, Vec<u8>)>,
    /// Brokers that died: messages to them are lost, their presence is gone.
    dead: Vec<BrokerId>,
    /// The resume tokens `joined` saw: the helper's, then the sharer's.
    tokens: Vec<String>,
    now: Instant,
}

type Rx = mpsc::Receiver<Outgoing>;

fn config() -> HubConfig {
    HubConfig {
        code_ttl: Duration::from_secs(600),
        consent_timeout: Duration::from_secs(60),
        chat: true,
        max_links: 100,
        max_links_per_ip: 100,
        policy: Arc::new(Policy::embedded_default()),
        turn: None,
    }
}

fn identity(name: &str) -> Identity {
    Identity::local(
        format!("local:{name}"),
        Profile {
            name: name.into(),
            ..Profile::default()
        },
        Vec::new(),
    )
}

const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

impl World {
    fn new(n: usize) -> World {
        let hubs = (0..n)
            .map(|i| {
                let id = BrokerId::parse(&format!("b{i}")).unwrap();
                let mut hub = Hub::new(config()).unwrap();
                hub.enable_cluster(id.clone(), Arc::new(tokio::sync::Notify::new()));
                (id, hub)
            })
            .collect();
        World {
            hubs,
            codes: HashMap::new(),
            records: HashMap::new(),
            dead: Vec::new(),
            tokens: Vec::new(),
            now: Instant::now(),
        }
    }

    fn open(&mut self, hub: usize, name: &str) -> (LinkId, Rx) {
        self.hubs[hub]
            .1
            .open_link(self.now, identity(name), IP)
            .unwrap()
    }

    fn text(&mut self, hub: usize, link: LinkId, text: &str) {
        self.hubs[hub].1.handle_text(self.now, link, text);
        self.pump();
    }

    /// Moves everything queued for the store and other brokers until nothing is left.
    fn pump(&mut self) {
        loop {
            let mut moved = false;
            for i in 0..self.hubs.len() {
                while let Some(out) = self.hubs[i].1.poll_cluster() {
                    moved = true;
                    match out {
                        ClusterOut::Send { to, .. } if self.dead.contains(&to) => {}
                        ClusterOut::Send { to, message, .. } => {
                            let bytes = message.encode();
                            let message = PeerMessage::decode(&bytes).unwrap();
                            let j = self.hubs.iter().position(|(id, _)| *id == to).unwrap();
                            self.hubs[j].1.handle_peer(self.now, message);
                        }
                        ClusterOut::PutCode { key, record, .. } => {
                            let fresh = !self.codes.contains_key(&key);
                            if fresh {
                                self.codes.insert(key.clone(), record.encode());
                            }
                            self.hubs[i].1.handle_code_stored(self.now, &key, Ok(fresh));
                        }
                        ClusterOut::TakeCode { key, link, .. } => {
                            let taken = self.codes.remove(&key);
                            self.hubs[i].1.handle_code_taken(self.now, link, Ok(taken));
                        }
                        ClusterOut::DropCode { key } => {
                            self.codes.remove(&key);
                        }
                        ClusterOut::SaveSession {
                            session,
                            expected,
                            record,
                            ..
                        } => {
                            let current = self.records.get(&session).map(|r| r.0);
                            if current == expected {
                                let v = expected.map_or(1, |v| v + 1);
                                self.records.insert(session, (v, record.encode()));
                                self.hubs[i].1.handle_session_saved(session);
                            } else {
                                self.hubs[i].1.handle_session_conflict(self.now, session);
                            }
                        }
                        ClusterOut::LoadSession { session, link } => {
                            let loaded = self.records.get(&session).map(|(v, bytes)| {
                                let home = crate::peers::SessionRecord::decode(bytes).unwrap().home;
                                (*v, bytes.clone(), !self.dead.contains(&home))
                            });
                            self.hubs[i]
                                .1
                                .handle_session_loaded(self.now, link, Ok(loaded));
                        }
                        ClusterOut::ClaimSession {
                            session,
                            expected,
                            record,
                            link,
                            ..
                        } => {
                            let current = self.records.get(&session).map(|r| r.0);
                            let cas = if current == Some(expected) {
                                self.records
                                    .insert(session, (expected + 1, record.encode()));
                                crate::cluster::Cas::Stored {
                                    version: expected + 1,
                                }
                            } else {
                                crate::cluster::Cas::Conflict { current }
                            };
                            self.hubs[i]
                                .1
                                .handle_session_claimed(self.now, link, Ok(cas));
                        }
                    }
                }
            }
            if !moved {
                return;
            }
        }
    }
}

/// What a link was sent, but its resume tokens.
fn received(rx: &mut Rx) -> Vec<ServerMessage> {
    received_all(rx)
        .into_iter()
        .filter(|m| !matches!(m, ServerMessage::Resumable { .. }))
        .collect()
}

fn received_all(rx: &mut Rx) -> Vec<ServerMessage> {
    let mut out = Vec::new();
    while let Ok(o) = rx.try_recv() {
        if let Outgoing::Text(t, _) = o {
            out.push(decode_server(&t).unwrap());
        }
    }
    out
}

fn token_in(messages: &[ServerMessage]) -> String {
    messages
        .iter()
        .find_map(|m| match m {
            ServerMessage::Resumable { token } => Some(token.clone()),
            _ => None,
        })
        .expect("a resume token")
}

fn code_of(messages: &[ServerMessage]) -> String {
    messages
        .iter()
        .find_map(|m| match m {
            ServerMessage::Code { code, .. } => Some(code.clone()),
            _ => None,
        })
        .expect("a code")
}

fn redeem(code: &str) -> String {
    format!(r#"{{"v":1,"type":"redeem","code":"{code}","client":"agent"}}"#)
}

const CREATE: &str = r#"{"v":1,"type":"create_code"}"#;

/// A helper on broker 0 and a sharer on broker 1, joined.
fn joined(w: &mut World) -> ((LinkId, Rx), (LinkId, Rx)) {
    let (h, mut hrx) = w.open(0, "ada");
    let (s, mut srx) = w.open(1, "sam");
    w.text(0, h, CREATE);
    let code = code_of(&received(&mut hrx));
    w.text(1, s, &redeem(&code));
    let to_sharer = received_all(&mut srx);
    assert!(
        matches!(&to_sharer[..], [ServerMessage::Joined { helper, .. }, ServerMessage::Resumable { .. }] if helper.name == "ada"),
        "{to_sharer:?}"
    );
    let to_helper = received_all(&mut hrx);
    assert!(
        matches!(&to_helper[..], [ServerMessage::SharerJoined { sharer, .. }, ServerMessage::Resumable { .. }] if sharer.name == "sam"),
        "{to_helper:?}"
    );
    w.tokens = vec![token_in(&to_helper), token_in(&to_sharer)];
    ((h, hrx), (s, srx))
}

#[test]
fn a_session_runs_across_two_brokers() {
    let mut w = World::new(2);
    let ((h, mut hrx), (s, mut srx)) = joined(&mut w);
    assert_eq!(w.hubs[1].1.stats().remote_joins, 1);

    // The helper asks; the request reaches the sharer on the other broker.
    w.text(0, h, r#"{"v":1,"type":"request","level":"full"}"#);
    let asked = received(&mut srx);
    let id = match &asked[..] {
        [ServerMessage::ConsentRequest { id, level, .. }] => {
            assert_eq!(*level, Level::Full);
            *id
        }
        other => panic!("{other:?}"),
    };
    // The sharer allows from there.
    w.text(
        1,
        s,
        &format!(r#"{{"v":1,"type":"consent","id":{id},"allow":true}}"#),
    );
    assert!(matches!(
        &received(&mut hrx)[..],
        [ServerMessage::ConsentResult { allow: true, .. }]
    ));
    // Chat both ways, each line to both sides once, in any script.
    w.text(1, s, r#"{"v":1,"type":"chat","text":"שלום"}"#);
    w.text(0, h, r#"{"v":1,"type":"chat","text":"你好"}"#);
    for rx in [&mut hrx, &mut srx] {
        let lines: Vec<(u64, String)> = received(rx)
            .into_iter()
            .filter_map(|m| match m {
                ServerMessage::ChatMessage { seq, text, .. } => Some((seq, text)),
                _ => None,
            })
            .collect();
        assert_eq!(lines, [(1, "שלום".to_owned()), (2, "你好".to_owned())]);
    }
    // Signalling both ways.
    w.text(
        0,
        h,
        r#"{"v":1,"type":"signal","sdp":{"type":"offer","sdp":"v=0"}}"#,
    );
    assert!(matches!(
        &received(&mut srx)[..],
        [ServerMessage::Signal(_)]
    ));
    w.text(
        1,
        s,
        r#"{"v":1,"type":"signal","sdp":{"type":"answer","sdp":"v=0"}}"#,
    );
    assert!(matches!(
        &received(&mut hrx)[..],
        [ServerMessage::Signal(_)]
    ));
    // The sharer takes control back.
    w.text(
        1,
        s,
        r#"{"v":1,"type":"state","level":"view","paused":false}"#,
    );
    assert!(matches!(
        &received(&mut hrx)[..],
        [ServerMessage::SharerState {
            level: Level::View,
            ..
        }]
    ));
    // The sharer leaves: both know, and the sharer's link is free for a new session.
    w.text(1, s, r#"{"v":1,"type":"leave"}"#);
    assert_eq!(
        received(&mut hrx),
        [
            ServerMessage::PeerLeft {
                reason: EndReason::Left
            },
            ServerMessage::Ended {
                reason: EndReason::Left
            }
        ]
    );
    assert_eq!(
        received(&mut srx),
        [ServerMessage::Ended {
            reason: EndReason::Left
        }]
    );
    assert_eq!(w.hubs[0].1.stats().sessions, 0);
    w.text(1, s, CREATE);
    assert!(matches!(
        &received(&mut srx)[..],
        [ServerMessage::Code { .. }]
    ));
    assert_eq!(w.hubs[0].1.stats().peer_refused, 0);
    assert_eq!(w.hubs[1].1.stats().peer_refused, 0);
}

#[test]
fn a_code_is_redeemed_once_across_brokers() {
    let mut w = World::new(3);
    let (h, mut hrx) = w.open(0, "ada");
    w.text(0, h, CREATE);
    let code = code_of(&received(&mut hrx));
    let (s1, mut s1rx) = w.open(1, "sam");
    let (s2, mut s2rx) = w.open(2, "eve");
    w.text(1, s1, &redeem(&code));
    w.text(2, s2, &redeem(&code));
    assert!(matches!(
        &received(&mut s1rx)[..],
        [ServerMessage::Joined { .. }]
    ));
    assert!(matches!(
        &received(&mut s2rx)[..],
        [ServerMessage::Error {
            code: ErrorCode::CodeInvalid,
            ..
        }]
    ));
    // And on the home broker itself, the local copy is spent too.
    let (s3, mut s3rx) = w.open(0, "joe");
    w.text(0, s3, &redeem(&code));
    assert!(matches!(
        &received(&mut s3rx)[..],
        [ServerMessage::Error {
            code: ErrorCode::CodeInvalid,
            ..
        }]
    ));
}

#[test]
fn the_code_reaches_the_helper_only_once_the_store_has_it() {
    let mut w = World::new(2);
    let (h, mut hrx) = w.open(0, "ada");
    // Another broker's code already holds the key: no code, `busy`, the session ends.
    w.hubs[0].1.handle_text(w.now, h, CREATE);
    let Some(ClusterOut::PutCode { key, .. }) = w.hubs[0].1.poll_cluster() else {
        panic!("no PutCode");
    };
    assert!(
        received(&mut hrx).is_empty(),
        "code sent before it was stored"
    );
    w.hubs[0].1.handle_code_stored(w.now, &key, Ok(false));
    assert!(matches!(
        &received(&mut hrx)[..],
        [
            ServerMessage::Ended { .. },
            ServerMessage::Error {
                code: ErrorCode::Busy,
                ..
            }
        ]
    ));
    // The store away: the same.
    w.hubs[0].1.handle_text(w.now, h, CREATE);
    let Some(ClusterOut::PutCode { key, .. }) = w.hubs[0].1.poll_cluster() else {
        panic!("no PutCode");
    };
    w.hubs[0].1.handle_code_stored(w.now, &key, Err(()));
    let got = received(&mut hrx);
    assert!(
        got.contains(&ServerMessage::error(ErrorCode::Busy)),
        "{got:?}"
    );
    assert_eq!(w.hubs[0].1.stats().sessions, 0);
}

#[test]
fn a_broker_that_is_not_part_of_a_session_cannot_act_in_it() {
    let mut w = World::new(3);
    let ((_h, mut hrx), (s, mut srx)) = joined(&mut w);
    let session = w.hubs[0].1.sessions.keys().next().unwrap().id.0;
    let intruder = BrokerId::parse("b2").unwrap();
    // Broker 2 claims to be the sharer's broker.
    for message in [
        PeerMessage::Event {
            from: intruder.clone(),
            session,
            link: s.0,
            text: r#"{"v":1,"type":"chat","text":"forged"}"#.into(),
        },
        PeerMessage::Closed {
            from: intruder.clone(),
            session,
            link: s.0,
        },
        // The right broker, the wrong link.
        PeerMessage::Event {
            from: BrokerId::parse("b1").unwrap(),
            session,
            link: s.0 + 100,
            text: r#"{"v":1,"type":"leave"}"#.into(),
        },
    ] {
        w.hubs[0].1.handle_peer(w.now, message);
    }
    assert!(received(&mut hrx).is_empty());
    assert_eq!(w.hubs[0].1.stats().peer_refused, 3);
    assert_eq!(w.hubs[0].1.stats().sessions, 1);
    // Broker 2 claims to be the session's home, towards the sharer's broker.
    w.hubs[1].1.handle_peer(
        w.now,
        PeerMessage::Deliver {
            from: intruder,
            session,
            link: s.0,
            text: r#"{"v":1,"type":"consent_request","id":9,"level":"full","helper":{"name":"x","title":"","company":"","picture":null,"domain":"","domain_verified":false}}"#.into(),
        },
    );
    assert!(received(&mut srx).is_empty());
    assert_eq!(w.hubs[1].1.stats().peer_refused, 1);
}

const AWAY: ServerMessage = ServerMessage::PeerAway;
const ENDED_LOST: [ServerMessage; 2] = [
    ServerMessage::PeerLeft {
        reason: EndReason::Lost,
    },
    ServerMessage::Ended {
        reason: EndReason::Lost,
    },
];

/// Past the grace a lost side has to resume.
fn after_grace(w: &mut World) {
    for _ in 0..24 {
        w.now += Duration::from_millis(500);
        for (_, hub) in w.hubs.iter_mut() {
            hub.handle_timeout(w.now);
        }
        w.pump();
    }
}

#[test]
fn a_lost_link_or_broker_on_one_side_ends_the_session_on_the_other_after_the_grace() {
    // The sharer's link drops on its broker: the helper is told at once, and the session
    // ends when nobody resumes it.
    let mut w = World::new(2);
    let ((_h, mut hrx), (s, _srx)) = joined(&mut w);
    w.hubs[1].1.close_link(w.now, s, LinkEnd::Lost);
    w.pump();
    assert_eq!(received(&mut hrx), [AWAY]);
    after_grace(&mut w);
    assert_eq!(received(&mut hrx), ENDED_LOST);
    assert_eq!(w.hubs[0].1.stats().sessions, 0);

    // The sharer's broker dies: the helper's broker finds its presence gone.
    let mut w = World::new(2);
    let ((_h, mut hrx), (_s, _srx)) = joined(&mut w);
    assert_eq!(w.hubs[0].1.peers_in_use(), [BrokerId::parse("b1").unwrap()]);
    let gone = BrokerId::parse("b1").unwrap();
    w.dead.push(gone.clone());
    w.hubs[0].1.handle_broker_gone(w.now, &gone);
    assert_eq!(received(&mut hrx), [AWAY]);
    after_grace(&mut w);
    assert_eq!(received(&mut hrx), ENDED_LOST);

    // The helper's broker dies: the sharer hears it from its own broker, and waits.
    let mut w = World::new(2);
    let ((_h, _hrx), (_s, mut srx)) = joined(&mut w);
    let home = BrokerId::parse("b0").unwrap();
    assert_eq!(w.hubs[1].1.peers_in_use(), std::slice::from_ref(&home));
    w.dead.push(home.clone());
    w.hubs[1].1.handle_broker_gone(w.now, &home);
    assert_eq!(received(&mut srx), [AWAY]);
    assert!(w.hubs[1].1.peers_in_use().is_empty());
    after_grace(&mut w);
    assert_eq!(received(&mut srx), ENDED_LOST);
}

#[test]
fn the_helper_resumes_on_the_other_broker_when_its_broker_dies() {
    let mut w = World::new(2);
    let ((h, mut hrx), (s, mut srx)) = joined(&mut w);
    w.text(0, h, r#"{"v":1,"type":"request","level":"view"}"#);
    let asked = received(&mut srx);
    let id = match &asked[..] {
        [ServerMessage::ConsentRequest { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    w.text(
        1,
        s,
        &format!(r#"{{"v":1,"type":"consent","id":{id},"allow":true}}"#),
    );
    w.text(0, h, r#"{"v":1,"type":"chat","text":"hello"}"#);
    received(&mut hrx);
    received(&mut srx);

    // Broker 0 dies with the helper's link.
    let home = BrokerId::parse("b0").unwrap();
    w.dead.push(home.clone());
    w.hubs[1].1.handle_broker_gone(w.now, &home);
    assert_eq!(received(&mut srx), [AWAY]);

    // Someone else holding the token cannot take the session.
    let (eve, mut erx) = w.open(1, "eve");
    let token = w.tokens[0].clone();
    w.text(
        1,
        eve,
        &format!(r#"{{"v":1,"type":"resume","token":"{token}"}}"#),
    );
    assert_eq!(
        received(&mut erx),
        [ServerMessage::Ended {
            reason: EndReason::Lost
        }]
    );
    assert_eq!(w.hubs[1].1.stats().sessions, 0);

    // The helper comes back through the load balancer on broker 1.
    let (h2, mut h2rx) = w.open(1, "ada");
    w.text(
        1,
        h2,
        &format!(r#"{{"v":1,"type":"resume","token":"{token}","chat_after":0}}"#),
    );
    let back = received(&mut h2rx);
    assert!(
        matches!(
            &back[..],
            [
                ServerMessage::Resumed { level: Some(Level::View), paused: false, peer_present: false },
                ServerMessage::ChatMessage { seq: 1, text, .. },
                ServerMessage::PeerBack,
            ] if text == "hello"
        ),
        "{back:?}"
    );
    assert_eq!(received(&mut srx), [ServerMessage::PeerBack]);
    assert_eq!(w.hubs[1].1.stats().sessions_resumed, 1);

    // The session goes on: consent, chat and leave, all on broker 1 now.
    w.text(1, h2, r#"{"v":1,"type":"request","level":"full"}"#);
    assert!(matches!(
        &received(&mut srx)[..],
        [ServerMessage::ConsentRequest {
            level: Level::Full,
            ..
        }]
    ));
    w.text(1, s, r#"{"v":1,"type":"chat","text":"still here"}"#);
    assert!(matches!(
        &received(&mut h2rx)[..],
        [ServerMessage::ChatMessage { seq: 2, .. }]
    ));
    // Nothing waits on the dead broker any more, and the grace passing changes nothing.
    assert!(w.hubs[1].1.peers_in_use().is_empty());
    after_grace(&mut w);
    assert!(
        received(&mut srx)
            .iter()
            .all(|m| !matches!(m, ServerMessage::Ended { .. }))
    );
    w.text(1, s, r#"{"v":1,"type":"leave"}"#);
    assert_eq!(
        received(&mut h2rx),
        [
            ServerMessage::PeerLeft {
                reason: EndReason::Left
            },
            ServerMessage::Ended {
                reason: EndReason::Left
            }
        ]
    );
}

#[test]
fn the_sharer_resumes_on_another_broker_and_the_helper_moves_while_its_broker_lives() {
    let mut w = World::new(3);
    let ((h, mut hrx), (s, srx)) = joined(&mut w);
    // The sharer's link is lost; it comes back on broker 2.
    w.hubs[1].1.close_link(w.now, s, LinkEnd::Lost);
    w.pump();
    assert_eq!(received(&mut hrx), [AWAY]);
    let (s2, mut s2rx) = w.open(2, "sam");
    let token = w.tokens[1].clone();
    w.text(
        2,
        s2,
        &format!(r#"{{"v":1,"type":"resume","token":"{token}"}}"#),
    );
    assert_eq!(
        received(&mut s2rx),
        [ServerMessage::Resumed {
            level: None,
            paused: false,
            peer_present: true
        }]
    );
    assert_eq!(received(&mut hrx), [ServerMessage::PeerBack]);
    w.text(0, h, r#"{"v":1,"type":"request","level":"view"}"#);
    assert!(matches!(
        &received(&mut s2rx)[..],
        [ServerMessage::ConsentRequest { .. }]
    ));
    drop(srx);

    // The helper's link drops while broker 0 lives, and comes back on broker 1: the
    // session moves there, and broker 0 lets it go.
    w.hubs[0].1.close_link(w.now, h, LinkEnd::Lost);
    w.pump();
    assert_eq!(received(&mut s2rx), [AWAY]);
    let (h2, mut h2rx) = w.open(1, "ada");
    let token = w.tokens[0].clone();
    w.text(
        1,
        h2,
        &format!(r#"{{"v":1,"type":"resume","token":"{token}"}}"#),
    );
    let back = received(&mut h2rx);
    assert!(
        matches!(
            &back[..],
            [ServerMessage::Resumed { .. }, ServerMessage::PeerBack]
        ),
        "{back:?}"
    );
    assert_eq!(received(&mut s2rx), [ServerMessage::PeerBack]);
    assert_eq!(w.hubs[0].1.stats().sessions, 0);
    assert_eq!(w.hubs[0].1.stats().sessions_moved, 1);
    assert_eq!(w.hubs[1].1.stats().sessions, 1);
    // The pending request survived the move: the sharer answers it on broker 2, the
    // helper hears it on broker 1.
    let id = 1;
    w.text(
        2,
        s2,
        &format!(r#"{{"v":1,"type":"consent","id":{id},"allow":true}}"#),
    );
    assert!(matches!(
        &received(&mut h2rx)[..],
        [ServerMessage::ConsentResult { allow: true, .. }, ..]
    ));
}
