//! Fuzzing entry points (`fuzz/fuzz_targets/broker_hub.rs`).

use std::time::{Duration, Instant};

use crate::accounts::{Identity, Profile};
use crate::hub::{Hub, HubConfig, LinkEnd, Outgoing};

/// The hub the fuzz targets drive: 8 links, the embedded policy.
fn config(turn: Option<glass_session::turn::TurnConfig>) -> HubConfig {
    HubConfig {
        code_ttl: Duration::from_secs(600),
        consent_timeout: Duration::from_secs(60),
        chat: true,
        max_links: 8,
        max_links_per_ip: 8,
        policy: std::sync::Arc::new(glass_session::policy::Policy::embedded_default()),
        turn,
    }
}

/// Drives a hub with three links (a helper, a sharer, a stranger) and arbitrary frames.
/// `data` is split at `0xFF` bytes; each piece's first byte picks the link and the action,
/// the rest is the frame's text. A piece starting with `0xFE` redeems the last code the
/// helper was given, so the fuzzer reaches the states behind a valid code. Never panics.
pub fn hub_frames(data: &[u8]) {
    let turn = glass_session::turn::TurnConfig {
        urls: vec!["turn:127.0.0.1:3478?transport=udp".into()],
        secret: glass_session::turn::TurnSecret::new("fuzz-secret-0123456789"),
        ttl: Duration::from_secs(3600),
        relay_only: false,
    };
    let Ok(mut hub) = Hub::new(config(Some(turn))) else {
        return;
    };
    let mut now = Instant::now();
    let identity = |n: &str| {
        Identity::local(
            format!("local:{n}"),
            Profile {
                name: n.into(),
                ..Profile::default()
            },
            Vec::new(),
        )
    };
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    let mut links = Vec::new();
    for name in ["ada", "sam", "eve"] {
        match hub.open_link(now, identity(name), ip) {
            Ok(link) => links.push(link),
            Err(_) => return,
        }
    }
    let mut last_code = String::new();
    for piece in data.split(|&b| b == 0xFF) {
        let Some((&op, text)) = piece.split_first() else {
            continue;
        };
        now += Duration::from_millis(u64::from(op & 0x0F) * 400);
        let who = usize::from(op >> 4) % links.len();
        let id = links[who].0;
        match op {
            0xFE => {
                let frame =
                    format!(r#"{{"v":1,"type":"redeem","code":"{last_code}","client":"agent"}}"#);
                hub.handle_text(now, links[1].0, &frame);
            }
            0xFD => hub.handle_timeout(now),
            0xFC => hub.handle_binary(id),
            0xFB => hub.close_link(now, links[2].0, LinkEnd::Lost),
            _ => hub.handle_text(now, id, &String::from_utf8_lossy(text)),
        }
        for (_, rx) in links.iter_mut() {
            while let Ok(out) = rx.try_recv() {
                if let Outgoing::Text(t) = out
                    && let Ok(glass_protocol::ServerMessage::Code { code, .. }) =
                        glass_protocol::decode_server(&t)
                {
                    last_code = code;
                }
            }
        }
    }
    let stats = hub.stats();
    debug_assert!(stats.links <= 3);
}

/// Reads `data` as messages from another broker (split at `0xFF`) and hands those that
/// decode to a hub sharing a live session with broker `b1`: never panics, and nothing a
/// broker that is not in the session sends reaches the helper.
pub fn peer_messages(data: &[u8]) {
    use crate::peers::{BrokerId, ClusterOut, PeerMessage};
    let Ok(mut hub) = Hub::new(config(None)) else {
        return;
    };
    let (Some(me), Some(_other)) = (BrokerId::parse("b0"), BrokerId::parse("b1")) else {
        return;
    };
    hub.enable_cluster(me, std::sync::Arc::new(tokio::sync::Notify::new()));
    let now = Instant::now();
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    let identity = Identity::local("local:ada".to_owned(), Profile::default(), Vec::new());
    let Ok((helper, mut rx)) = hub.open_link(now, identity, ip) else {
        return;
    };
    hub.handle_text(now, helper, r#"{"v":1,"type":"create_code"}"#);
    while let Some(out) = hub.poll_cluster() {
        if let ClusterOut::PutCode { key, .. } = out {
            hub.handle_code_stored(now, &key, Ok(true));
        }
    }
    // Session 0 in a message stands for the live session (its id is random).
    let live = hub.sessions.keys().next().map_or(0, |k| k.id.0);
    for piece in data.split(|&b| b == 0xFF) {
        if let Ok(mut message) = PeerMessage::decode(piece) {
            match &mut message {
                PeerMessage::Join { session, .. }
                | PeerMessage::Event { session, .. }
                | PeerMessage::Closed { session, .. }
                | PeerMessage::Deliver { session, .. }
                | PeerMessage::Rejoin { session, .. }
                | PeerMessage::Moved { session, .. }
                | PeerMessage::Detach { session, .. } => {
                    if *session == 0 {
                        *session = live;
                    }
                }
            }
            hub.handle_peer(now, message);
        }
        while hub.poll_cluster().is_some() {}
        while rx.try_recv().is_ok() {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scripted_session_runs() {
        let mut data = Vec::new();
        for piece in [
            &br#"{"v":1,"type":"create_code"}"#[..],
            &[0xFE],
            br#"{"v":1,"type":"request","level":"view"}"#,
            b"\x10{\"v\":1,\"type\":\"consent\",\"id\":1,\"allow\":true}",
            b"\x20{\"v\":1,\"type\":\"chat\",\"text\":\"hi\"}",
            &[0xFD],
            &[0xFB],
        ] {
            data.extend_from_slice(piece);
            data.push(0xFF);
        }
        // The first piece's first byte is the op: prefix the helper's frames with 0x00.
        let mut framed = vec![0x00];
        framed.extend_from_slice(&data);
        super::hub_frames(&framed);
        super::hub_frames(&[0xFF, 0x00, 0xFF, 0xFE]);
    }

    #[test]
    fn the_peer_message_seed_runs() {
        super::peer_messages(include_bytes!("../../fuzz/seeds/peer-messages"));
    }
}
