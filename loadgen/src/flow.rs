//! One complete help session, both sides driven from one task: sign-in, code, redeem,
//! view requested and allowed, chat both ways, control requested and allowed, a hold, and a
//! leave from one side. Every step's latency is taken from the instant the request was queued
//! to the instant the answer came off the other socket.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use glass_protocol::{Client, ClientMessage, Level, ServerMessage, Side};

use crate::Shared;
use crate::client::{Arrival, Failure, Link, sign_in};

/// The signalling steps, in the order of a session (the report's rows).
pub const STEPS: [&str; 9] = [
    "sign-in",
    "create_code→code",
    "redeem→joined",
    "redeem→sharer_joined",
    "request→consent_request",
    "consent→consent_result",
    "chat→peer",
    "leave→peer_left",
    "leave→ended",
];

const SIGN_IN: usize = 0;
const CODE: usize = 1;
const JOINED: usize = 2;
const SHARER_JOINED: usize = 3;
const REQUEST: usize = 4;
const CONSENT: usize = 5;
const CHAT: usize = 6;
const PEER_LEFT: usize = 7;
const ENDED: usize = 8;

/// What one session saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (step index, microseconds).
    pub samples: Vec<(usize, u64)>,
    /// The session id (`joined.session`), once the sharer joined.
    pub session: Option<String>,
    /// When the sharer joined (the session is held from then until both ended).
    pub established: Option<Instant>,
    /// Whether helper and sharer were signed in on different brokers (known when the load
    /// balancer sets a stickiness cookie).
    pub cross_broker: Option<bool>,
    /// Chat lines this session's sides should each have seen (both sides' lines).
    pub chat_expected_per_side: u64,
    /// Distinct chat lines each side saw (of those sent).
    pub chat_seen: [u64; 2],
    /// Lines seen again.
    pub chat_duplicated: u64,
    /// Lines whose `seq` differs between the two sides, or a `seq` set that is not 1..=n.
    pub chat_seq_errors: u64,
    /// `ended` messages per side (exactly one each is right).
    pub ended: [u32; 2],
    /// Whether the side that did not leave got `peer_left`.
    pub peer_left: bool,
    /// Messages that arrived after a side's `ended`.
    pub after_ended: u64,
    /// The step that failed, if one did.
    pub failure: Option<Failure>,
    /// Broker `error` messages and other surprises, by kind.
    pub surprises: Vec<String>,
    /// Sign-ins retried after 429/503.
    pub retries: u32,
}

/// One side's view: the chat lines it saw and how its session ended.
struct SideView {
    side: Side,
    seen: HashMap<String, u64>,
    duplicated: u64,
    ended: u32,
    peer_left: u32,
    after_ended: u64,
    chat_us: Vec<u64>,
}

impl SideView {
    fn new(side: Side) -> SideView {
        SideView {
            side,
            seen: HashMap::new(),
            duplicated: 0,
            ended: 0,
            peer_left: 0,
            after_ended: 0,
            chat_us: Vec::new(),
        }
    }

    /// Takes in chat lines and end messages; hands back anything else.
    fn observe(
        &mut self,
        (at, m): Arrival,
        sent: &HashMap<String, Instant>,
    ) -> Option<(Instant, ServerMessage)> {
        if self.ended > 0 {
            self.after_ended += 1;
        }
        match m {
            ServerMessage::ChatMessage {
                seq, from, text, ..
            } => {
                if self.seen.contains_key(&text) {
                    self.duplicated += 1;
                } else {
                    if from != self.side
                        && let Some(t0) = sent.get(&text)
                    {
                        self.chat_us.push(micros(at, *t0));
                    }
                    self.seen.insert(text, seq);
                }
                None
            }
            ServerMessage::Ended { .. } => {
                self.ended += 1;
                Some((at, m))
            }
            ServerMessage::PeerLeft { .. } => {
                self.peer_left += 1;
                Some((at, m))
            }
            other => Some((at, other)),
        }
    }
}

fn micros(at: Instant, t0: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(t0).as_micros()).unwrap_or(u64::MAX)
}

/// The address slot `slot`'s `side` connects from: 127.10.x.y for helpers, 127.20.x.y for
/// sharers (every address in 127/8 is loopback), so per-address limits see one user each.
pub fn source_ip(side: Side, slot: usize) -> IpAddr {
    let base = if side == Side::Helper { 10 } else { 20 };
    let b = base + (slot / 62_500) as u8;
    let c = 1 + ((slot / 250) % 250) as u8;
    let d = 1 + (slot % 250) as u8;
    IpAddr::V4(Ipv4Addr::new(127, b, c, d))
}

/// Reads `link` until a message `want` accepts, feeding chat lines and end messages to
/// `view`. A broker `error`, an unexpected `ended` or the link closing fails `step`.
async fn wait(
    link: &mut Link,
    view: &mut SideView,
    sent: &HashMap<String, Instant>,
    step: &str,
    limit: Duration,
    want: impl Fn(&ServerMessage) -> bool,
) -> Result<(Instant, ServerMessage), Failure> {
    let end = Instant::now() + limit;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let arrival = match link.next(left).await {
            Ok(Some(a)) => a,
            Ok(None) => return Err(Failure::new(format!("closed: {step}"))),
            Err(()) => return Err(Failure::new(format!("timeout: {step}"))),
        };
        let Some((at, m)) = view.observe(arrival, sent) else {
            continue;
        };
        if want(&m) {
            return Ok((at, m));
        }
        match m {
            ServerMessage::Error { code, .. } => {
                return Err(Failure::new(format!("{step}: error {}", code.as_str())));
            }
            ServerMessage::Ended { reason } => {
                return Err(Failure::new(format!("{step}: ended {reason:?}")));
            }
            ServerMessage::PeerLeft { reason } => {
                return Err(Failure::new(format!("{step}: peer_left {reason:?}")));
            }
            // ice_servers (a broker with relays), sharer_state …: not this flow's business.
            _ => {}
        }
    }
}

/// Reads until `view` holds `n` distinct chat lines (or the time is up).
async fn collect_chat(
    link: &mut Link,
    view: &mut SideView,
    sent: &HashMap<String, Instant>,
    n: usize,
    limit: Duration,
) -> Result<(), Failure> {
    let end = Instant::now() + limit;
    while view.seen.len() < n {
        let left = end.saturating_duration_since(Instant::now());
        let arrival = match link.next(left).await {
            Ok(Some(a)) => a,
            Ok(None) => return Err(Failure::new("closed: chat")),
            Err(()) => return Err(Failure::new("timeout: chat")),
        };
        if let Some((_, m)) = view.observe(arrival, sent) {
            match m {
                ServerMessage::Error { code, .. } => {
                    return Err(Failure::new(format!("chat: error {}", code.as_str())));
                }
                ServerMessage::Ended { reason } => {
                    return Err(Failure::new(format!("chat: ended {reason:?}")));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Runs session `index` on account slot `slot`.
pub async fn session(shared: Arc<Shared>, index: usize, slot: usize) -> Outcome {
    let mut out = Outcome::default();
    let mut helper_view = SideView::new(Side::Helper);
    let mut sharer_view = SideView::new(Side::Sharer);
    let mut sent = HashMap::new();
    let mut links = None;
    let result = steps(
        &shared,
        index,
        slot,
        &mut out,
        &mut helper_view,
        &mut sharer_view,
        &mut sent,
        &mut links,
    )
    .await;
    if let Err(f) = result {
        out.failure = Some(f);
    }
    if out.established.is_some() {
        shared.concurrent.fetch_sub(1, Ordering::Relaxed);
    }
    // Close both links; anything still arriving (a duplicate line, a second `ended`) counts.
    if let Some((helper, sharer)) = links {
        let limit = Duration::from_secs(2);
        let (hv, sv, sent) = (&mut helper_view, &mut sharer_view, &sent);
        tokio::join!(
            Link::close(helper, limit, |a| {
                hv.observe(a, sent);
            }),
            Link::close(sharer, limit, |a| {
                sv.observe(a, sent);
            }),
        );
    }
    let expected = out.chat_expected_per_side;
    let mut seq_errors = 0;
    if expected > 0 {
        for (text, seq) in &helper_view.seen {
            if sharer_view.seen.get(text).is_some_and(|s| s != seq) {
                seq_errors += 1;
            }
        }
        for v in [&helper_view, &sharer_view] {
            let mut seqs: Vec<u64> = v
                .seen
                .iter()
                .filter(|(t, _)| sent.contains_key(*t))
                .map(|(_, s)| *s)
                .collect();
            let total = seqs.len();
            seqs.sort_unstable();
            seqs.dedup();
            if seqs.len() != total || seqs.iter().any(|s| *s == 0 || *s > expected) {
                seq_errors += 1;
            }
        }
    }
    let count = |v: &SideView| v.seen.keys().filter(|t| sent.contains_key(*t)).count() as u64;
    out.chat_seen = [count(&helper_view), count(&sharer_view)];
    out.chat_duplicated = helper_view.duplicated + sharer_view.duplicated;
    out.chat_seq_errors = seq_errors;
    out.ended = [helper_view.ended, sharer_view.ended];
    out.after_ended = helper_view.after_ended + sharer_view.after_ended;
    for us in helper_view.chat_us.iter().chain(&sharer_view.chat_us) {
        out.samples.push((CHAT, *us));
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn steps(
    shared: &Shared,
    index: usize,
    slot: usize,
    out: &mut Outcome,
    hv: &mut SideView,
    sv: &mut SideView,
    sent: &mut HashMap<String, Instant>,
    links: &mut Option<(Link, Link)>,
) -> Result<(), Failure> {
    let o = &shared.options;
    let limit = o.step_timeout;
    let helper_user = format!("{}-h{slot}", o.user_prefix);
    let sharer_user = format!("{}-s{slot}", o.user_prefix);
    let (hip, sip) = if o.source_ips {
        (
            Some(source_ip(Side::Helper, slot)),
            Some(source_ip(Side::Sharer, slot)),
        )
    } else {
        (None, None)
    };
    let target = &shared.target;

    // Sign-in, both sides at once (two people at two computers).
    let (mut hr, mut sr) = (0, 0);
    let t0 = Instant::now();
    let (h, s) = tokio::join!(
        async {
            let r = sign_in(target, hip, &helper_user, &o.password, limit, &mut hr).await;
            (r, Instant::now())
        },
        async {
            let r = sign_in(target, sip, &sharer_user, &o.password, limit, &mut sr).await;
            (r, Instant::now())
        },
    );
    out.retries = hr + sr;
    let (h_in, s_in) = (h.0?, s.0?);
    out.samples.push((SIGN_IN, micros(h.1, t0)));
    out.samples.push((SIGN_IN, micros(s.1, t0)));
    out.cross_broker = match (&h_in.balancer, &s_in.balancer) {
        (Some(a), Some(b)) => Some(a != b),
        _ => None,
    };

    let (helper, sharer) = tokio::join!(
        Link::connect(target, hip, &h_in, o.ping, limit),
        Link::connect(target, sip, &s_in, o.ping, limit),
    );
    let (helper, sharer) = links.insert((helper?, sharer?));

    // The helper's code.
    let t0 = helper.send(&ClientMessage::CreateCode);
    let (at, m) = wait(helper, hv, sent, "create_code→code", limit, |m| {
        matches!(m, ServerMessage::Code { .. })
    })
    .await?;
    out.samples.push((CODE, micros(at, t0)));
    let ServerMessage::Code { display, .. } = m else {
        unreachable!("matched above")
    };

    // The sharer types it (as shown, with its space).
    let t0 = sharer.send(&ClientMessage::Redeem {
        code: display,
        client: Client::Agent,
        device: None,
    });
    let (at, m) = wait(sharer, sv, sent, "redeem→joined", limit, |m| {
        matches!(m, ServerMessage::Joined { .. })
    })
    .await?;
    out.samples.push((JOINED, micros(at, t0)));
    if let ServerMessage::Joined { session, .. } = m {
        out.session = Some(session);
    }
    out.established = Some(at);
    let now = shared.concurrent.fetch_add(1, Ordering::Relaxed) + 1;
    shared.peak.fetch_max(now, Ordering::Relaxed);
    let (at, _) = wait(helper, hv, sent, "redeem→sharer_joined", limit, |m| {
        matches!(m, ServerMessage::SharerJoined { .. })
    })
    .await?;
    out.samples.push((SHARER_JOINED, micros(at, t0)));

    for level in [Level::View, Level::Full] {
        let t0 = helper.send(&ClientMessage::Request { level });
        let (at, m) = wait(sharer, sv, sent, "request→consent_request", limit, |m| {
            matches!(m, ServerMessage::ConsentRequest { .. })
        })
        .await?;
        out.samples.push((REQUEST, micros(at, t0)));
        let ServerMessage::ConsentRequest {
            id, level: asked, ..
        } = m
        else {
            unreachable!("matched above")
        };
        if asked != level {
            return Err(Failure::new("consent_request: wrong level"));
        }
        let t0 = sharer.send(&ClientMessage::Consent {
            id,
            allow: true,
            reason: None,
        });
        let (at, m) = wait(helper, hv, sent, "consent→consent_result", limit, |m| {
            matches!(m, ServerMessage::ConsentResult { .. })
        })
        .await?;
        out.samples.push((CONSENT, micros(at, t0)));
        if !matches!(m, ServerMessage::ConsentResult { allow: true, .. }) {
            return Err(Failure::new("consent_result: not allowed"));
        }

        if level == Level::View && o.chat_lines > 0 {
            // Both sides write at once; each line must reach each side once.
            for i in 0..o.chat_lines {
                let text = format!("help {index} line {i} from the helper");
                let at = helper.send(&ClientMessage::Chat { text: text.clone() });
                sent.insert(text, at);
                let text = format!("sharer {index} line {i}: it works now, ça marche");
                let at = sharer.send(&ClientMessage::Chat { text: text.clone() });
                sent.insert(text, at);
            }
            let n = 2 * o.chat_lines;
            out.chat_expected_per_side = n as u64;
            collect_chat(helper, hv, sent, n, limit).await?;
            collect_chat(sharer, sv, sent, n, limit).await?;
        }
    }

    // Both stay connected (heartbeats running) for the hold time.
    tokio::time::sleep(o.hold).await;

    // One side leaves: the helper in even sessions, the sharer in odd ones.
    let (leaver, lv, other, ov) = if index.is_multiple_of(2) {
        (helper, hv, sharer, sv)
    } else {
        (sharer, sv, helper, hv)
    };
    let t0 = leaver.send(&ClientMessage::Leave);
    let (at, _) = wait(other, ov, sent, "leave→peer_left", limit, |m| {
        matches!(m, ServerMessage::PeerLeft { .. })
    })
    .await?;
    out.peer_left = true;
    out.samples.push((PEER_LEFT, micros(at, t0)));
    let (at, _) = wait(leaver, lv, sent, "leave→ended", limit, |m| {
        matches!(m, ServerMessage::Ended { .. })
    })
    .await?;
    out.samples.push((ENDED, micros(at, t0)));
    wait(other, ov, sent, "peer ended", limit, |m| {
        matches!(m, ServerMessage::Ended { .. })
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_addresses_are_distinct_loopback_addresses() {
        let mut seen = std::collections::HashSet::new();
        for slot in 0..70_000 {
            for side in [Side::Helper, Side::Sharer] {
                let ip = source_ip(side, slot);
                assert!(ip.is_loopback());
                assert_ne!(ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
                assert!(seen.insert(ip), "{ip} twice");
            }
        }
    }
}
