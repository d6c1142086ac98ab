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
                if let Outgoing::Text(t, _) = out
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
            let session = message.session_mut();
            if *session == 0 {
                *session = live;
            }
            hub.handle_peer(now, message);
        }
        while hub.poll_cluster().is_some() {}
        while rx.try_recv().is_ok() {}
    }
}

/// A batch of audit rows read back from the outbox (Redis or the spool: another broker
/// wrote it, or someone with access to the store did): refused, or rows that seal into a
/// chain and encode back to the same batch. Never panics.
pub fn audit_outbox(data: &[u8]) {
    let _ = audit_outbox_rows(data);
}

fn audit_outbox_rows(data: &[u8]) -> Result<usize, String> {
    use crate::audit::chain::{self, GENESIS, Head};
    use crate::audit::outbox::{decode_batch, encode_batch};
    let rows = decode_batch(data)?;
    let mut head = Head {
        seq: 0,
        hash: GENESIS.to_owned(),
    };
    for e in &rows {
        let row = chain::seal(&head, e.clone());
        head = Head {
            seq: row.seq,
            hash: row.hash,
        };
    }
    assert_eq!(decode_batch(&encode_batch(&rows)).as_ref(), Ok(&rows));
    Ok(rows.len())
}

/// Resuming, with whatever the shared store and other brokers hand back: a session with both
/// sides in on this broker (so it has resume tokens and a record), then each piece of `data`
/// (split at `0xFF`) is, by its first byte, a session record a new link's `resume` finds in
/// the store (with the helper's, the sharer's or a made-up token), a claim's answer, or a
/// message from another broker. Never panics; a record or message that is not what a broker
/// writes changes nothing but counters.
pub fn resume_records(data: &[u8]) {
    let _ = resume_records_stats(data);
}

fn resume_records_stats(data: &[u8]) -> Option<crate::hub::HubStats> {
    use crate::peers::{BrokerId, ClusterOut, PeerMessage};
    let mut hub = Hub::new(config(None)).ok()?;
    let me = BrokerId::parse("b0")?;
    hub.enable_cluster(me, std::sync::Arc::new(tokio::sync::Notify::new()));
    let now = Instant::now();
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    let who = |name: &str| Identity::local(format!("local:{name}"), Profile::default(), Vec::new());
    let (helper, mut hrx) = hub.open_link(now, who("ada"), ip).ok()?;
    let (sharer, mut srx) = hub.open_link(now, who("sam"), ip).ok()?;
    hub.handle_text(now, helper, r#"{"v":1,"type":"create_code"}"#);
    let mut code = None;
    let mut record = Vec::new();
    let codes = std::cell::RefCell::new(std::collections::HashMap::new());
    let pump = |hub: &mut Hub, record: &mut Vec<u8>| {
        while let Some(out) = hub.poll_cluster() {
            match out {
                ClusterOut::PutCode { key, record, .. } => {
                    codes.borrow_mut().insert(key.clone(), record.encode());
                    hub.handle_code_stored(now, &key, Ok(true));
                }
                ClusterOut::TakeCode { key, link, .. } => {
                    let taken = codes.borrow_mut().remove(&key);
                    hub.handle_code_taken(now, link, Ok(taken));
                }
                ClusterOut::SaveSession {
                    session, record: r, ..
                } => {
                    *record = r.encode();
                    hub.handle_session_saved(session);
                }
                ClusterOut::ClaimSession { link, .. } => hub.handle_session_claimed(
                    now,
                    link,
                    Ok(crate::cluster::Cas::Stored { version: 2 }),
                ),
                _ => {}
            }
        }
    };
    pump(&mut hub, &mut record);
    let mut tokens = Vec::new();
    for rx in [&mut hrx, &mut srx] {
        while let Ok(o) = rx.try_recv() {
            if let Outgoing::Text(t, _) = o
                && let Ok(m) = glass_protocol::decode_server(&t)
            {
                match m {
                    glass_protocol::ServerMessage::Code { code: c, .. } => code = Some(c),
                    glass_protocol::ServerMessage::Resumable { token } => tokens.push(token),
                    _ => {}
                }
            }
        }
    }
    let code = code?;
    // Redeemed on this broker: both sides local, tokens and a record issued.
    hub.handle_text(
        now,
        sharer,
        &format!(r#"{{"v":1,"type":"redeem","code":"{code}","client":"agent"}}"#),
    );
    pump(&mut hub, &mut record);
    for rx in [&mut hrx, &mut srx] {
        while let Ok(o) = rx.try_recv() {
            if let Outgoing::Text(t, _) = o
                && let Ok(glass_protocol::ServerMessage::Resumable { token }) =
                    glass_protocol::decode_server(&t)
            {
                tokens.push(token);
            }
        }
    }
    let live = hub.sessions.keys().next().map_or(0, |k| k.id.0);
    let mut t = now;
    for piece in data.split(|&b| b == 0xFF) {
        t += Duration::from_millis(300);
        let Some((&op, rest)) = piece.split_first() else {
            continue;
        };
        match op % 4 {
            // A link resumes, and the store answers with `rest` as the record.
            0 | 1 => {
                let token = tokens
                    .get(usize::from(op / 4) % 3)
                    .cloned()
                    .unwrap_or_else(|| format!("{live}.made-up"));
                let Ok((link, _rx)) =
                    hub.open_link(t, who(if op % 2 == 0 { "ada" } else { "sam" }), ip)
                else {
                    continue;
                };
                hub.handle_message(
                    t,
                    link,
                    glass_protocol::ClientMessage::Resume {
                        token,
                        chat_after: u64::from(op),
                    },
                );
                let bytes = if rest.is_empty() {
                    record.clone()
                } else {
                    rest.to_vec()
                };
                while let Some(out) = hub.poll_cluster() {
                    if let ClusterOut::LoadSession { link, .. } = out {
                        hub.handle_session_loaded(
                            t,
                            link,
                            Ok(Some((1, bytes.clone(), op & 8 == 0))),
                        );
                    }
                }
                pump(&mut hub, &mut record);
                hub.close_link(t, link, LinkEnd::Lost);
            }
            // Another broker says something about the session.
            2 => {
                if let Ok(mut m) = PeerMessage::decode(rest) {
                    let session = m.session_mut();
                    if *session == 0 {
                        *session = live;
                    }
                    hub.handle_peer(t, m);
                }
                pump(&mut hub, &mut record);
            }
            // A side's link is lost, the store conflicts, or time passes.
            _ => {
                match rest.first().copied().unwrap_or(0) % 3 {
                    0 => hub.handle_session_conflict(t, live),
                    1 => t += Duration::from_secs(11),
                    _ => {}
                }
                hub.handle_timeout(t);
                pump(&mut hub, &mut record);
            }
        }
        while hrx.try_recv().is_ok() {}
        while srx.try_recv().is_ok() {}
    }
    Some(hub.stats())
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
    fn resumes_are_reached_and_strangers_refused() {
        // The helper's own token with the record the hub stored: carried on, nothing refused.
        let s = super::resume_records_stats(&[0x00]).unwrap();
        assert_eq!(s.resumes_refused, 0);
        assert_eq!(s.sessions, 1);
        // A made-up token, then the sharer's token presented by the helper's user: refused.
        let s = super::resume_records_stats(&[0x08, 0xFF, 0x04]).unwrap();
        assert_eq!(s.resumes_refused, 2);
        // Garbage where the record should be: refused, never a panic.
        let s = super::resume_records_stats(b"\x00{\"home\":1}").unwrap();
        assert_eq!(s.resumes_refused, 1);
        super::resume_records(include_bytes!("../../fuzz/seeds/resume-records"));
    }

    #[test]
    fn outbox_batches_are_read_or_refused() {
        let seed = include_bytes!("../../fuzz/seeds/audit-outbox");
        assert_eq!(super::audit_outbox_rows(seed), Ok(2));
        assert!(super::audit_outbox_rows(b"[]").is_err());
        assert!(super::audit_outbox_rows(&seed[..seed.len() / 2]).is_err());
        super::audit_outbox(b"\xff\xfe");
    }

    #[test]
    fn the_peer_message_seed_runs() {
        super::peer_messages(include_bytes!("../../fuzz/seeds/peer-messages"));
    }
}
