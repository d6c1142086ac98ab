//! The hub: every open WebSocket (a *link*) and every help session, driven through the
//! sans-IO rules of `glass-session`. Synchronous and short: each call takes `now`, handles
//! one event and queues what must be sent on bounded per-link queues. A link whose queue is
//! full is a client that does not read: it is closed, never waited for.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use glass_protocol::{
    Card, ClientMessage, DeviceWarning, ErrorCode, Level, ServerMessage, Side, decode_client,
    encode_server,
};
use glass_session::audit::{Actor, AuditEvent, AuditKind};
use glass_session::code::{CodeBook, CodeBookConfig};
use glass_session::machine::{Output, Session, SessionConfig, SessionPolicy};
use glass_session::policy::{Device, Policy, Refusal, RefusalReason, Stage, Subject, Warning};
use glass_session::{SessionKey, UserId, WallClock};
use tokio::sync::mpsc;

use crate::accounts::Identity;
use crate::devices::DeviceRegistry;
use crate::peers::{BrokerId, ClusterOut, CodeRecord, PeerMessage, RemoteSharer, code_key};

/// Messages queued per link before the link counts as not reading.
const LINK_QUEUE: usize = 256;

/// Requests queued for the cluster driver at most; past this the hub refuses new work
/// (`busy`) rather than queue without bound.
const CLUSTER_OUTBOX: usize = 65_536;

/// Sessions remembered as lately ended (to tell a late peer message from a hostile one).
const RECENTLY_ENDED: usize = 10_000;

/// A link's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkId(u64);

/// What the socket task sends.
#[derive(Debug)]
pub enum Outgoing {
    /// One text frame, and the ticket of the last audit row recorded before it: it leaves
    /// once that row is durable ([`crate::audit::AuditSink::durable`]), so no peer learns
    /// of a decision the trail could still lose.
    Text(String, u64),
    /// Close the socket (the hub has dropped the link).
    Close,
}

/// Why a link ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEnd {
    /// Closed by the client or the network.
    Closed,
    /// Silent for longer than the link timeout.
    Lost,
    /// Closed by the hub.
    Kicked,
}

/// Settings of the hub (from [`crate::BrokerConfig`]).
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Code lifetime.
    pub code_ttl: Duration,
    /// Time the sharer has to answer.
    pub consent_timeout: Duration,
    /// Chat on or off.
    pub chat: bool,
    /// Links at most.
    pub max_links: usize,
    /// Links at most per address.
    pub max_links_per_ip: usize,
    /// Who may help whom (swapped whole by [`Hub::set_policy`]).
    pub policy: Arc<Policy>,
    /// Relays handed to both sides of every session (TURN credentials scoped to it).
    pub turn: Option<glass_session::turn::TurnConfig>,
}

/// Counters, for tests, metrics and the closing numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubStats {
    /// Links open now.
    pub links: usize,
    /// Sessions live now.
    pub sessions: usize,
    /// Links refused at a limit.
    pub links_refused: u64,
    /// Messages handled.
    pub messages: u64,
    /// Messages refused (malformed, too large, wrong version, binary).
    pub malformed: u64,
    /// Messages refused by the session rules (wrong state or role).
    pub not_allowed: u64,
    /// Codes issued.
    pub codes_issued: u64,
    /// Redemptions refused (invalid, locked out, busy).
    pub redeem_refused: u64,
    /// Links closed because they did not read their queue.
    pub slow_links: u64,
    /// Links lost to silence.
    pub links_lost: u64,
    /// Chat messages relayed.
    pub chat_messages: u64,
    /// TURN credentials handed out (one per session, to both sides).
    pub turn_credentials: u64,
    /// Levels asked of sharers.
    pub consents_requested: u64,
    /// Requests the sharer allowed.
    pub consents_allowed: u64,
    /// Requests the sharer declined, or the policy refused.
    pub consents_declined: u64,
    /// Requests nobody answered in time.
    pub consents_timed_out: u64,
    /// Sessions ended (any reason).
    pub sessions_ended: u64,
    /// Audit events emitted.
    pub audit_events: u64,
    /// Actions the organisation's policy refused (codes, joins, levels).
    pub policy_refused: u64,
    /// Live sessions whose level the policy lowered, or ended, after a policy change.
    pub policy_limited: u64,
    /// Policy reloads applied.
    pub policy_reloads: u64,
    /// Device proofs that did not verify (the device counted as unenrolled).
    pub device_proofs_refused: u64,
    /// Redemptions with a verified device proof.
    pub device_proofs_verified: u64,
    /// Device-file reloads applied.
    pub device_reloads: u64,
    /// Sign-in attempts refused by the rate limits (429).
    pub sign_ins_rate_limited: u64,
    /// Code redemptions refused by the rate limits.
    pub redeems_rate_limited: u64,
    /// WebSocket messages refused by the rate limits (dropped).
    pub messages_rate_limited: u64,
    /// Links closed for flooding after being told `rate_limited`.
    pub links_closed_flooding: u64,
    /// TLS certificate reloads applied.
    pub tls_reloads: u64,
    /// TLS certificate reloads refused (the pair in force stayed).
    pub tls_reloads_refused: u64,
    /// Sharers joined to a session living on another broker (sent from here).
    pub remote_joins: u64,
    /// Messages from other brokers handled.
    pub peer_messages: u64,
    /// Messages from other brokers refused (unreadable, or about a session or link the
    /// sender has no part in).
    pub peer_refused: u64,
    /// Messages from other brokers that arrived after their session or link ended here
    /// (normal at the end of sessions; not acted on).
    pub peer_late: u64,
    /// Requests the shared store could not serve (the client was told `busy`).
    pub store_failures: u64,
    /// Sessions ended because the broker holding the other side stopped answering.
    pub peers_lost: u64,
    /// Sessions carried on here after their helper resumed (moved from another broker).
    pub sessions_resumed: u64,
    /// Resumes refused (unknown or ended session, a token not the user's).
    pub resumes_refused: u64,
    /// Sessions let go to another broker that carries them on.
    pub sessions_moved: u64,
    /// New sessions refused because the audit trail had no room (its database away).
    pub audit_refused: u64,
}

struct Link {
    identity: Identity,
    card: Card,
    ip: IpAddr,
    /// The sign-in's device challenge (agents), for the device proof at redemption.
    device_challenge: Option<String>,
    /// The issuer's ID token behind the sign-in, if any: a helper's goes to the sharer's
    /// agent, which verifies it itself.
    id_token: Option<Arc<str>>,
    tx: mpsc::Sender<Outgoing>,
    session: Option<(SessionKey, Side)>,
    /// The broker the link's session lives on, when not this one (a sharer joined there).
    home: Option<BrokerId>,
    /// A sharer whose session's home is gone: waiting (until the deadline) for a side to
    /// resume it somewhere, checked again at `next_check`.
    orphan: Option<resume::Orphan>,
}

/// The sharer of a session: a link here, or one on another broker.
#[derive(Clone, Debug)]
enum Peer {
    Local(LinkId),
    Remote {
        broker: BrokerId,
        link: u64,
        /// Shared, so handing the peer around per message copies nothing.
        sharer: Arc<RemoteSharer>,
    },
}

/// A redemption waiting for the shared store.
struct Redeeming {
    code: glass_session::code::Code,
    device: Device,
    device_id: Option<String>,
    client: glass_protocol::Client,
}

/// What the hub keeps to work with other brokers.
struct Cluster {
    me: BrokerId,
    outbox: VecDeque<ClusterOut>,
    /// Woken when the outbox gets something.
    notify: Arc<tokio::sync::Notify>,
    /// Codes issued here whose store write is pending: code key → session, and the `code`
    /// message the helper gets once it is kept.
    storing: HashMap<String, (SessionKey, ServerMessage)>,
    /// Links whose code is being looked up.
    redeeming: HashMap<LinkId, Redeeming>,
    /// Sessions living here, by id (other brokers name them by id).
    by_id: HashMap<glass_session::SessionId, SessionKey>,
    /// Links waiting for a session's record to resume it.
    resuming: HashMap<LinkId, resume::Resuming>,
    /// Sharer links whose session's home is gone.
    orphans: std::collections::HashSet<LinkId>,
    /// Sessions here waiting for a lost side to resume.
    away: std::collections::HashSet<SessionKey>,
    /// Sessions that ended here lately, and the broker their sharer was on.
    ended: crate::peers::Recent,
}

pub(crate) struct Live {
    machine: Session,
    helper: LinkId,
    sharer: Option<Peer>,
    /// The sharer's device as the policy sees it (an agent without an enrolled key and every
    /// web sharer: unenrolled).
    device: Device,
    /// The device the sharer's agent proved it runs on, if any.
    device_id: Option<String>,
    /// The code's key in the shared store, while it may still be redeemed.
    code_key: Option<String>,
    /// What lets the session resume on another link or broker (several brokers only).
    resume: Option<resume::Resumable>,
}

fn subject(link: &Link) -> Subject<'_> {
    Subject {
        user_id: &link.identity.user_id,
        tenant: &link.identity.tenant,
        groups: &link.identity.groups,
        amr: &link.identity.amr,
        addr: link.ip,
    }
}

fn remote_subject(r: &RemoteSharer) -> Subject<'_> {
    Subject {
        user_id: &r.user_id,
        tenant: &r.tenant,
        groups: &r.groups,
        amr: &r.amr,
        addr: r.addr,
    }
}

fn wire_warning(w: Warning) -> DeviceWarning {
    match w {
        Warning::DeviceNotEnrolled => DeviceWarning::DeviceNotEnrolled,
        Warning::DeviceNotCompliant(reasons) => DeviceWarning::DeviceNotCompliant {
            reasons: reasons
                .into_iter()
                .take(16)
                .map(|r| r.chars().take(200).collect())
                .collect(),
        },
        Warning::DeviceComplianceUnknown => DeviceWarning::DeviceComplianceUnknown,
    }
}

/// The broker's core.
pub struct Hub {
    config: HubConfig,
    wall: WallClock,
    links: HashMap<LinkId, Link>,
    per_ip: HashMap<IpAddr, usize>,
    next_link: u64,
    codes: CodeBook,
    pub(crate) sessions: HashMap<SessionKey, Live>,
    devices: Arc<DeviceRegistry>,
    stats: HubStats,
    audit: crate::audit::HubAudit,
    /// Redemption rate limits (the broker's; none in unit tests).
    limits: Option<Arc<crate::limits::Limiters>>,
    /// Working with other brokers through a shared store (`None`: this broker alone).
    cluster: Option<Cluster>,
}

/// The refusal for a join whose helper or sharer link closed meanwhile.
fn gone() -> Refusal {
    Refusal {
        reason: RefusalReason::NoPermission(glass_session::policy::Permission::OfferHelp),
        message: ErrorCode::CodeInvalid.english().to_owned(),
    }
}

/// The link limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtLimit;

pub(crate) fn card_of(identity: &Identity) -> Card {
    let p = &identity.profile;
    Card {
        name: p.name.clone(),
        title: p.title.clone(),
        company: p.company.clone(),
        picture: p
            .picture
            .clone()
            .filter(|pic| glass_protocol::picture_ok(pic)),
        domain: p.domain.clone(),
        domain_verified: p.domain_verified,
        vouched: identity.vouched,
    }
}

impl Hub {
    /// An empty hub. The config was validated by [`crate::BrokerConfig::validate`].
    pub fn new(config: HubConfig) -> Result<Hub, glass_session::ConfigError> {
        let wall = WallClock::system();
        Ok(Hub {
            codes: CodeBook::new(
                CodeBookConfig {
                    ttl: config.code_ttl,
                    ..CodeBookConfig::default()
                },
                wall,
            )?,
            config,
            wall,
            links: HashMap::new(),
            per_ip: HashMap::new(),
            next_link: 1,
            sessions: HashMap::new(),
            devices: Arc::new(DeviceRegistry::default()),
            stats: HubStats::default(),
            audit: crate::audit::HubAudit::default(),
            limits: None,
            cluster: None,
        })
    }

    /// Counters now.
    pub fn stats(&self) -> HubStats {
        HubStats {
            links: self.links.len(),
            sessions: self.sessions.len(),
            ..self.stats.clone()
        }
    }

    /// Applies the broker's rate limits to code redemptions.
    pub fn set_limits(&mut self, limits: Arc<crate::limits::Limiters>) {
        self.limits = Some(limits);
    }

    /// Tells a link its message was dropped by the rate limit (`rate_limited`).
    pub fn rate_limited(&mut self, id: LinkId) {
        self.error(id, ErrorCode::RateLimited);
    }

    /// Sends audit rows to `sink` (without one, events only go to the log).
    pub fn set_audit(&mut self, sink: crate::audit::AuditSink) {
        self.audit.set_sink(sink);
    }

    /// One audit event: counted, logged and queued for the store.
    fn audit_event(&mut self, event: glass_session::audit::AuditEvent) {
        use glass_session::audit::AuditKind as K;
        self.stats.audit_events += 1;
        match event.what {
            K::ConsentRequested { .. } => self.stats.consents_requested += 1,
            K::ConsentAllowed { .. } => self.stats.consents_allowed += 1,
            K::ConsentDeclined { .. }
            | K::ConsentNotSupported { .. }
            | K::ConsentForbidden { .. } => self.stats.consents_declined += 1,
            K::ConsentTimedOut { .. } => self.stats.consents_timed_out += 1,
            K::SessionEnded { .. } => self.stats.sessions_ended += 1,
            _ => {}
        }
        self.audit.record(&event);
    }

    /// Registers a new link for a signed-in identity.
    pub fn open_link(
        &mut self,
        now: Instant,
        identity: Identity,
        ip: IpAddr,
    ) -> Result<(LinkId, mpsc::Receiver<Outgoing>), AtLimit> {
        self.open_link_with(now, identity, ip, None, None)
    }

    /// [`Hub::open_link`] with what the sign-in carries: an agent's device challenge (which
    /// its device proof signs) and the issuer's ID token (which a helper's sharer verifies).
    pub fn open_link_with(
        &mut self,
        _now: Instant,
        identity: Identity,
        ip: IpAddr,
        device_challenge: Option<String>,
        id_token: Option<Arc<str>>,
    ) -> Result<(LinkId, mpsc::Receiver<Outgoing>), AtLimit> {
        let from_ip = self.per_ip.get(&ip).copied().unwrap_or(0);
        if self.links.len() >= self.config.max_links || from_ip >= self.config.max_links_per_ip {
            self.stats.links_refused += 1;
            return Err(AtLimit);
        }
        let id = LinkId(self.next_link);
        self.next_link += 1;
        let (tx, rx) = mpsc::channel(LINK_QUEUE);
        self.audit.link_opened(&identity);
        self.links.insert(
            id,
            Link {
                card: card_of(&identity),
                identity,
                ip,
                device_challenge,
                id_token,
                tx,
                session: None,
                home: None,
                orphan: None,
            },
        );
        *self.per_ip.entry(ip).or_default() += 1;
        Ok((id, rx))
    }

    fn send(&mut self, id: LinkId, message: &ServerMessage) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        // A pong carries no decision: it never waits for the trail (ticket 0), so a client
        // does not take its link for dead while a database outage holds the rest.
        let ticket = match message {
            ServerMessage::Pong { .. } => 0,
            _ => self.audit.ticket(),
        };
        if link
            .tx
            .try_send(Outgoing::Text(encode_server(message), ticket))
            .is_err()
        {
            // Not reading (or gone): drop it rather than queue without bound.
            self.stats.slow_links += 1;
            let _ = link.tx.try_send(Outgoing::Close);
        }
    }

    /// Answers a policy refusal (`forbidden`, with the refusal's sentence), counts and audits
    /// it.
    fn refused(
        &mut self,
        now: Instant,
        id: LinkId,
        who: Actor,
        stage: Stage,
        session: Option<glass_session::SessionId>,
        refusal: Refusal,
    ) {
        let from = self.links.get(&id).map(|l| l.ip);
        let message = self.record_refusal(now, who, from, stage, session, refusal);
        self.send(id, &message);
    }

    /// Counts and audits a policy refusal; returns the `forbidden` answer, with the
    /// refusal's sentence.
    fn record_refusal(
        &mut self,
        now: Instant,
        who: Actor,
        from: Option<IpAddr>,
        stage: Stage,
        session: Option<glass_session::SessionId>,
        refusal: Refusal,
    ) -> ServerMessage {
        self.stats.policy_refused += 1;
        let rule = match &refusal.reason {
            RefusalReason::Rule(name) => Some(name.clone()),
            _ => None,
        };
        self.audit(AuditEvent {
            at: self.wall.unix_ms(now),
            who,
            from,
            session,
            what: AuditKind::PolicyRefused {
                stage,
                reason: refusal.reason.name(),
                rule,
            },
        });
        ServerMessage::Error {
            code: ErrorCode::Forbidden,
            message: refusal.message,
        }
    }

    /// One audit row.
    fn audit(&mut self, event: AuditEvent) {
        self.audit_event(event);
    }

    fn error(&mut self, id: LinkId, code: ErrorCode) {
        self.send(
            id,
            &ServerMessage::Error {
                code,
                message: code.english().to_owned(),
            },
        );
    }

    /// A binary frame: not part of the protocol.
    pub fn handle_binary(&mut self, id: LinkId) {
        self.stats.malformed += 1;
        self.error(id, ErrorCode::Malformed);
    }

    /// One text frame from a link.
    pub fn handle_text(&mut self, now: Instant, id: LinkId, text: &str) {
        self.stats.messages += 1;
        let message = match decode_client(text) {
            Ok(m) => m,
            Err(e) => {
                self.stats.malformed += 1;
                self.error(id, e.code());
                return;
            }
        };
        self.handle_message(now, id, message);
    }

    /// One decoded message from a link.
    pub fn handle_message(&mut self, now: Instant, id: LinkId, message: ClientMessage) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        let session = link.session.clone();
        let home = link.home.clone();
        let orphan = link.orphan.is_some();
        if self
            .cluster
            .as_ref()
            .is_some_and(|c| c.redeeming.contains_key(&id) || c.resuming.contains_key(&id))
            && !matches!(message, ClientMessage::Ping { .. })
        {
            // One thing at a time: the code is being looked up.
            self.stats.not_allowed += 1;
            self.error(id, ErrorCode::NotAllowed);
            return;
        }
        match (message, session) {
            (ClientMessage::Ping { t }, _) => self.send(id, &ServerMessage::Pong { t }),
            (ClientMessage::CreateCode, None) => self.create_code(now, id),
            (
                ClientMessage::Redeem {
                    code,
                    client,
                    device,
                },
                None,
            ) => self.redeem(now, id, &code, client, device),
            (ClientMessage::Leave, None) => {}
            (ClientMessage::Resume { token, chat_after }, None) => {
                self.resume(now, id, &token, chat_after)
            }
            // The session's home is gone and nobody carries it on yet: not lost silently.
            (ClientMessage::Leave, Some(_)) if orphan => {
                self.orphan_left(now, id);
            }
            (_, Some(_)) if orphan => self.error(id, ErrorCode::Busy),
            (message, Some((key, side))) => match home {
                // The session lives on another broker: forward it there.
                Some(home) => self.forward(id, &key, home, &message),
                None => self.session_event(now, &key, side, message),
            },
            (_, None) => {
                self.stats.not_allowed += 1;
                self.error(id, ErrorCode::NotAllowed);
            }
        }
    }

    /// Shares this hub's sessions with other brokers through a store: codes are kept there,
    /// sharers may join from any broker, and work for the store and the other brokers is
    /// queued for [`Hub::poll_cluster`] (`notify` is woken when there is some).
    pub fn enable_cluster(&mut self, me: BrokerId, notify: Arc<tokio::sync::Notify>) {
        self.cluster = Some(Cluster {
            me,
            outbox: VecDeque::new(),
            notify,
            storing: HashMap::new(),
            redeeming: HashMap::new(),
            by_id: HashMap::new(),
            resuming: HashMap::new(),
            orphans: std::collections::HashSet::new(),
            away: std::collections::HashSet::new(),
            ended: crate::peers::Recent::new(RECENTLY_ENDED),
        });
    }

    /// This broker's id, when it works with others.
    pub fn broker_id(&self) -> Option<&BrokerId> {
        self.cluster.as_ref().map(|c| &c.me)
    }

    /// The next thing for the cluster driver to do.
    pub fn poll_cluster(&mut self) -> Option<ClusterOut> {
        self.cluster.as_mut()?.outbox.pop_front()
    }

    /// The brokers this one has sessions with (their sharers, or the homes of sharers
    /// here): the driver watches that they stay alive ([`Hub::handle_broker_gone`]).
    pub fn peers_in_use(&self) -> Vec<BrokerId> {
        let mut peers: Vec<BrokerId> = self
            .links
            .values()
            .filter_map(|l| l.home.clone())
            .chain(self.sessions.values().filter_map(|l| match &l.sharer {
                Some(Peer::Remote { broker, .. }) => Some(broker.clone()),
                _ => None,
            }))
            .collect();
        peers.sort();
        peers.dedup();
        peers
    }

    /// Queues work for the cluster driver; `false` when the queue is full (counted).
    fn push_cluster(&mut self, out: ClusterOut) -> bool {
        let Some(c) = self.cluster.as_mut() else {
            return false;
        };
        if c.outbox.len() >= CLUSTER_OUTBOX {
            self.stats.store_failures += 1;
            return false;
        }
        c.outbox.push_back(out);
        c.notify.notify_one();
        true
    }

    fn peer_send(&mut self, to: BrokerId, message: PeerMessage) -> bool {
        let after = self.audit.ticket();
        self.push_cluster(ClusterOut::Send { to, message, after })
    }

    /// A message from a sharer here whose session lives on `home`.
    fn forward(&mut self, id: LinkId, key: &SessionKey, home: BrokerId, message: &ClientMessage) {
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        let sent = self.peer_send(
            home,
            PeerMessage::Event {
                from: me,
                session: key.id.0,
                link: id.0,
                text: glass_protocol::encode(message),
            },
        );
        if !sent {
            self.error(id, ErrorCode::Busy);
        }
    }

    /// Sends `message` to a session's sharer, here or on another broker.
    fn send_peer(
        &mut self,
        session: glass_session::SessionId,
        peer: &Peer,
        message: &ServerMessage,
    ) {
        match peer {
            Peer::Local(id) => self.send(*id, message),
            Peer::Remote { broker, link, .. } => {
                let Some(me) = self.broker_id().cloned() else {
                    return;
                };
                self.peer_send(
                    broker.clone(),
                    PeerMessage::Deliver {
                        from: me,
                        session: session.0,
                        link: *link,
                        text: encode_server(message),
                    },
                );
            }
        }
    }

    fn create_code(&mut self, now: Instant, id: LinkId) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        let helper = UserId::new(link.identity.user_id.clone());
        let card = link.card.clone();
        let helper_token = link.id_token.as_deref().map(str::to_owned);
        let chat_policy = self.chat_policy(&link.identity.tenant);
        if let Err(refusal) = self.config.policy.may_issue_code(&subject(link)) {
            self.refused(
                now,
                id,
                Actor::Helper(helper),
                Stage::IssueCode,
                None,
                refusal,
            );
            return;
        }
        if self
            .cluster
            .as_ref()
            .is_some_and(|c| c.outbox.len() >= CLUSTER_OUTBOX)
        {
            self.error(id, ErrorCode::Busy);
            return;
        }
        // No session starts that could not be audited: while the trail's queue is nearly
        // full (its database away), new ones are refused; running ones keep the reserve.
        if !self.audit.has_room() {
            self.stats.audit_refused += 1;
            self.error(id, ErrorCode::Busy);
            return;
        }
        let ttl = self
            .config
            .policy
            .code_lifetime(&link.identity.tenant)
            .unwrap_or(self.config.code_ttl);
        let issued = match self.codes.issue_os_for(now, helper.clone(), ttl) {
            Ok(issued) => issued,
            Err(e) => {
                tracing::warn!("no code issued: {e}");
                self.error(id, e.code());
                return;
            }
        };
        self.drain_codes();
        // A helper has one live code: a session waiting on the old one ends.
        if let Some(old) = issued.revoked.clone() {
            self.end_session(now, &old);
        }
        let session = Session::new(
            issued.key.clone(),
            card,
            issued.expires,
            self.wall,
            SessionConfig {
                consent_timeout: self.config.consent_timeout,
                policy: chat_policy,
            },
        );
        let machine = match session {
            Ok(mut m) => {
                m.set_helper_token(helper_token);
                m
            }
            Err(e) => {
                tracing::error!("session config: {e}");
                self.error(id, ErrorCode::Internal);
                return;
            }
        };
        // Leaving an earlier session on this link ends it.
        if let Some((key, side)) = self.links.get(&id).and_then(|l| l.session.clone()) {
            self.session_event(now, &key, side, ClientMessage::Leave);
        }
        let key = self.cluster.as_ref().map(|c| {
            (
                code_key(&issued.code.canonical()),
                CodeRecord {
                    session: issued.key.id.0,
                    helper: helper.0.clone(),
                    home: c.me.clone(),
                },
            )
        });
        self.sessions.insert(
            issued.key.clone(),
            Live {
                machine,
                helper: id,
                sharer: None,
                device: Device::unenrolled(),
                device_id: None,
                code_key: key.as_ref().map(|(k, _)| k.clone()),
                resume: None,
            },
        );
        if let Some(link) = self.links.get_mut(&id) {
            link.session = Some((issued.key.clone(), Side::Helper));
        }
        self.stats.codes_issued += 1;
        match key {
            // The code goes to the helper once the store holds it (any broker may redeem it).
            Some((key, record)) => {
                if let Some(c) = self.cluster.as_mut() {
                    c.by_id.insert(issued.key.id, issued.key.clone());
                    c.storing
                        .insert(key.clone(), (issued.key.clone(), issued.message()));
                }
                self.push_cluster(ClusterOut::PutCode { key, record, ttl });
            }
            None => self.send(id, &issued.message()),
        }
        self.drain(&issued.key);
    }

    /// The store answered a [`ClusterOut::PutCode`]: `Ok(true)` kept, `Ok(false)` the key was
    /// taken (a code another broker issued: 1 in 2^40), `Err` unavailable. The helper gets
    /// the code, or `busy` and the session ends.
    pub fn handle_code_stored(&mut self, now: Instant, key: &str, stored: Result<bool, ()>) {
        let Some((session, message)) = self.cluster.as_mut().and_then(|c| c.storing.remove(key))
        else {
            return;
        };
        let Some(live) = self.sessions.get(&session) else {
            return;
        };
        let helper = live.helper;
        if stored == Ok(true) {
            self.send(helper, &message);
            return;
        }
        self.stats.store_failures += 1;
        tracing::warn!(stored = ?stored, "a code could not be kept in the shared store");
        self.codes.revoke(now, &session.helper);
        self.drain_codes();
        if let Some(live) = self.sessions.get_mut(&session) {
            live.code_key = None;
        }
        self.end_session(now, &session);
        self.error(helper, ErrorCode::Busy);
    }

    /// Audit rows from the code book (issued, redeemed, refused, locked out).
    fn drain_codes(&mut self) {
        while let Some(event) = self.codes.poll_audit() {
            self.audit_event(event);
        }
    }

    fn redeem(
        &mut self,
        now: Instant,
        id: LinkId,
        text: &str,
        client: glass_protocol::Client,
        proof: Option<glass_protocol::DeviceProof>,
    ) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        // Before any work (the device proof is a signature check): the rate limits.
        if let Some(limits) = &self.limits
            && limits.redeem(link.ip, &link.identity.user_id).is_err()
        {
            self.error(id, ErrorCode::RateLimited);
            return;
        }
        // Which device the agent proves it runs on; a proof that fails counts as none.
        let device_id = match (&proof, client) {
            (Some(proof), glass_protocol::Client::Agent) => {
                match glass_session::device::verify_proof(
                    proof,
                    link.device_challenge.as_deref(),
                    text,
                ) {
                    Ok((device, _)) => {
                        self.stats.device_proofs_verified += 1;
                        Some(device)
                    }
                    Err(e) => {
                        self.stats.device_proofs_refused += 1;
                        tracing::warn!("device proof refused: {e}");
                        None
                    }
                }
            }
            _ => None,
        };
        let Some(link) = self.links.get(&id) else {
            return;
        };
        let device = self
            .devices
            .policy_device(device_id.as_deref(), &link.identity.tenant);
        let user = UserId::new(link.identity.user_id.clone());
        let ip = link.ip;
        if self.cluster.is_some() {
            self.redeem_shared(now, id, &user, ip, text, client, device, device_id);
            return;
        }
        let redeemed = self.codes.redeem(now, &user, ip, text);
        self.drain_codes();
        let key = match redeemed {
            Ok(key) => key,
            Err(e) => {
                self.stats.redeem_refused += 1;
                self.error(id, e.code());
                return;
            }
        };
        self.join(now, id, key, client, device, device_id);
    }

    /// [`Hub::redeem`] with codes in the shared store: the same lockouts here, then the
    /// store is asked ([`ClusterOut::TakeCode`], answered by [`Hub::handle_code_taken`]).
    #[allow(clippy::too_many_arguments)]
    fn redeem_shared(
        &mut self,
        now: Instant,
        id: LinkId,
        user: &UserId,
        ip: IpAddr,
        text: &str,
        client: glass_protocol::Client,
        device: Device,
        device_id: Option<String>,
    ) {
        let admitted = self.codes.admit(now, user, ip);
        self.drain_codes();
        if let Err(e) = admitted {
            self.stats.redeem_refused += 1;
            self.error(id, e.code());
            return;
        }
        let Ok(code) = glass_session::code::Code::parse(text) else {
            self.codes.failed(now, user, ip);
            self.drain_codes();
            self.stats.redeem_refused += 1;
            self.error(id, ErrorCode::CodeInvalid);
            return;
        };
        let key = code_key(&code.canonical());
        let lockout = crate::peers::Lockout::new(&user.0, ip, self.codes.config());
        if !self.push_cluster(ClusterOut::TakeCode {
            key,
            link: id.0,
            lockout,
        }) {
            self.error(id, ErrorCode::Busy);
            return;
        }
        if let Some(c) = self.cluster.as_mut() {
            c.redeeming.insert(
                id,
                Redeeming {
                    code,
                    device,
                    device_id,
                    client,
                },
            );
        }
    }

    /// The shared lockout counters refused `link`'s redemption (too many failures by this
    /// user or from this address, counted on every broker).
    pub fn handle_code_locked(&mut self, link: u64) {
        let id = LinkId(link);
        if self
            .cluster
            .as_mut()
            .and_then(|c| c.redeeming.remove(&id))
            .is_none()
        {
            return;
        }
        self.stats.redeem_refused += 1;
        self.error(id, ErrorCode::LockedOut);
    }

    /// The store answered a [`ClusterOut::TakeCode`] for `link`: the record the code led to
    /// (now gone from the store: nobody else can redeem it), `None` for no such code, `Err`
    /// unavailable (the sharer is told `busy`, and may try again).
    pub fn handle_code_taken(
        &mut self,
        now: Instant,
        link: u64,
        taken: Result<Option<Vec<u8>>, ()>,
    ) {
        let id = LinkId(link);
        let Some(pending) = self.cluster.as_mut().and_then(|c| c.redeeming.remove(&id)) else {
            return;
        };
        let Some(l) = self.links.get(&id) else {
            if let Ok(Some(_)) = taken {
                tracing::warn!("a code was redeemed by a link that closed meanwhile");
            }
            return;
        };
        let (user, ip) = (UserId::new(l.identity.user_id.clone()), l.ip);
        let record = match taken.map(|t| t.map(|b| CodeRecord::decode(&b))) {
            Err(()) => {
                self.stats.store_failures += 1;
                self.error(id, ErrorCode::Busy);
                return;
            }
            Ok(Some(Ok(record))) => Some(record),
            Ok(Some(Err(e))) => {
                tracing::warn!("unreadable code record in the shared store: {e}");
                None
            }
            Ok(None) => None,
        };
        let Some(record) = record else {
            self.codes.failed(now, &user, ip);
            self.drain_codes();
            self.stats.redeem_refused += 1;
            self.error(id, ErrorCode::CodeInvalid);
            return;
        };
        let session = glass_session::SessionId(record.session);
        self.codes.redeemed(now, &user, ip, session);
        self.drain_codes();
        let key = SessionKey {
            id: session,
            helper: UserId::new(record.helper),
        };
        if self.broker_id() == Some(&record.home) {
            self.codes.forget(pending.code);
            if let Some(live) = self.sessions.get_mut(&key) {
                live.code_key = None;
            }
            self.join(
                now,
                id,
                key,
                pending.client,
                pending.device,
                pending.device_id,
            );
            return;
        }
        // The session lives on another broker: join it from here.
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        let Some(l) = self.links.get_mut(&id) else {
            return;
        };
        l.session = Some((key.clone(), Side::Sharer));
        l.home = Some(record.home.clone());
        let sharer = RemoteSharer {
            user_id: l.identity.user_id.clone(),
            tenant: l.identity.tenant.clone(),
            groups: l.identity.groups.clone(),
            amr: l.identity.amr.clone(),
            addr: l.ip,
            card: l.card.clone(),
            client: pending.client,
            device_id: pending.device_id,
        };
        self.stats.remote_joins += 1;
        let sent = self.peer_send(
            record.home,
            PeerMessage::Join {
                from: me,
                session: session.0,
                link: id.0,
                sharer: Box::new(sharer),
            },
        );
        if !sent {
            if let Some(l) = self.links.get_mut(&id) {
                l.session = None;
                l.home = None;
            }
            self.error(id, ErrorCode::Busy);
        }
    }

    /// A sharer joins the session `key` lives on here: the policy decides, then the session.
    fn join(
        &mut self,
        now: Instant,
        id: LinkId,
        key: SessionKey,
        client: glass_protocol::Client,
        device: Device,
        device_id: Option<String>,
    ) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        let user = UserId::new(link.identity.user_id.clone());
        let card = link.card.clone();
        let Some(live) = self.sessions.get(&key) else {
            self.error(id, ErrorCode::CodeInvalid);
            return;
        };
        // Now the helper is known: may this helper help this sharer, on this device?
        let decision = match (self.links.get(&live.helper), self.links.get(&id)) {
            (Some(h), Some(sh)) => self.decide(&subject(h), &subject(sh), &device),
            _ => Err(gone()),
        };
        self.admit_sharer(
            now,
            key,
            Peer::Local(id),
            user,
            card,
            client,
            device,
            device_id,
            decision,
        );
    }

    /// A sharer on another broker redeemed the code of a session here.
    fn join_remote(
        &mut self,
        now: Instant,
        from: BrokerId,
        session: u64,
        link: u64,
        sharer: RemoteSharer,
    ) {
        let Some(key) = self
            .cluster
            .as_ref()
            .and_then(|c| c.by_id.get(&glass_session::SessionId(session)).cloned())
        else {
            self.detach_remote(from, session, link, Some(ErrorCode::CodeInvalid));
            return;
        };
        let waiting = self
            .sessions
            .get(&key)
            .is_some_and(|l| l.sharer.is_none() && l.machine.sharer().is_none());
        if !waiting {
            self.detach_remote(from, session, link, Some(ErrorCode::CodeInvalid));
            return;
        }
        if let Some(live) = self.sessions.get_mut(&key) {
            live.code_key = None;
        }
        // The code was redeemed elsewhere: its copy here must not be redeemed again.
        if let Some(code) = self.codes.code_of(&key) {
            self.codes.forget(code);
        }
        let tenant = sharer.tenant.clone();
        let device = self
            .devices
            .policy_device(sharer.device_id.as_deref(), &tenant);
        let decision = match self
            .sessions
            .get(&key)
            .and_then(|l| self.links.get(&l.helper))
        {
            Some(h) => self.decide(&subject(h), &remote_subject(&sharer), &device),
            None => Err(gone()),
        };
        let (user, card, client, device_id) = (
            UserId::new(sharer.user_id.clone()),
            sharer.card.clone(),
            sharer.client,
            sharer.device_id.clone(),
        );
        let peer = Peer::Remote {
            broker: from,
            link,
            sharer: Arc::new(sharer),
        };
        self.admit_sharer(
            now, key, peer, user, card, client, device, device_id, decision,
        );
    }

    fn decide(
        &self,
        helper: &Subject<'_>,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> Result<(Vec<Warning>, Option<Level>), Refusal> {
        self.config
            .policy
            .may_join(helper, sharer, device)
            .map(|w| (w, self.config.policy.max_level(helper, sharer, device)))
    }

    fn detach_remote(&mut self, to: BrokerId, session: u64, link: u64, error: Option<ErrorCode>) {
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        self.peer_send(
            to,
            PeerMessage::Detach {
                from: me,
                session,
                link,
                error,
            },
        );
    }

    /// Tells a sharer (here or elsewhere) `error`.
    fn peer_error(&mut self, session: glass_session::SessionId, peer: &Peer, code: ErrorCode) {
        self.send_peer(session, peer, &ServerMessage::error(code));
    }

    #[allow(clippy::too_many_arguments)]
    fn admit_sharer(
        &mut self,
        now: Instant,
        key: SessionKey,
        peer: Peer,
        user: UserId,
        card: Card,
        client: glass_protocol::Client,
        device: Device,
        device_id: Option<String>,
        decision: Result<(Vec<Warning>, Option<Level>), Refusal>,
    ) {
        let Some(live) = self.sessions.get(&key) else {
            return;
        };
        let (warnings, max_level) = match decision {
            Ok((w, Some(max))) => (w, max),
            Ok((_, None)) | Err(_) => {
                let refusal = decision.err().unwrap_or(Refusal {
                    reason: RefusalReason::NoPermission(
                        glass_session::policy::Permission::ViewScreen,
                    ),
                    message: "Your organisation's policy does not allow this.".to_owned(),
                });
                let (helper_link, session) = (live.helper, live.machine.id());
                // The code is spent: the helper's session cannot go on with this sharer.
                self.refused_peer(now, &peer, user, session, refusal);
                self.send(helper_link, &ServerMessage::error(ErrorCode::Forbidden));
                if let Some(live) = self.sessions.get_mut(&key) {
                    let _ = live.machine.handle_limit(now, None);
                }
                self.drain(&key);
                return;
            }
        };
        let Some(live) = self.sessions.get_mut(&key) else {
            return;
        };
        live.device = device;
        live.device_id = device_id;
        let warnings = warnings.into_iter().map(wire_warning).collect();
        let session = live.machine.id();
        if live
            .machine
            .handle_sharer_joined_with(now, user, card, client, warnings, max_level)
            .is_err()
        {
            self.stats.not_allowed += 1;
            self.peer_error(session, &peer, ErrorCode::NotAllowed);
            if let Peer::Remote { broker, link, .. } = &peer {
                self.detach_remote(
                    broker.clone(),
                    session.0,
                    *link,
                    Some(ErrorCode::NotAllowed),
                );
            }
            return;
        }
        live.sharer = Some(peer.clone());
        let helper_link = live.helper;
        if let Peer::Local(id) = peer
            && let Some(link) = self.links.get_mut(&id)
        {
            link.session = Some((key.clone(), Side::Sharer));
        }
        self.drain(&key);
        self.issue_resume_tokens(&key, client);
        // The relays both sides may use, with a credential good for this session only.
        if let Some(turn) = &self.config.turn {
            let message = ServerMessage::IceServers {
                ice_servers: turn.ice_servers(&session.to_string(), self.wall.unix_ms(now) / 1000),
                relay_only: turn.relay_only,
            };
            self.stats.turn_credentials += 1;
            self.send(helper_link, &message);
            self.send_peer(session, &peer, &message);
        }
    }

    /// [`Hub::refused`] for a sharer who may be on another broker (whose link then leaves
    /// the session).
    fn refused_peer(
        &mut self,
        now: Instant,
        peer: &Peer,
        user: UserId,
        session: glass_session::SessionId,
        refusal: Refusal,
    ) {
        match peer {
            Peer::Local(id) => self.refused(
                now,
                *id,
                Actor::Sharer(user),
                Stage::RedeemCode,
                Some(session),
                refusal,
            ),
            Peer::Remote {
                broker,
                link,
                sharer,
            } => {
                let message = self.record_refusal(
                    now,
                    Actor::Sharer(user),
                    Some(sharer.addr),
                    Stage::RedeemCode,
                    Some(session),
                    refusal,
                );
                let (broker, link) = (broker.clone(), *link);
                self.send_peer(session, peer, &message);
                self.detach_remote(broker, session.0, link, None);
            }
        }
    }

    /// A message from another broker ([`crate::peers::PeerMessage::decode`]d). Anything
    /// about a session or link the sender has no part in is refused (counted), never acted
    /// on.
    pub fn handle_peer(&mut self, now: Instant, message: PeerMessage) {
        if self.cluster.is_none() {
            return;
        }
        self.stats.peer_messages += 1;
        // A message that crossed the end of its session or link on the way (the sharer's
        // `closed` after the home ended the session, a `deliver` for a link that has just
        // closed here) is late, not hostile: counted apart.
        let late = self.is_late(&message);
        let ok = match message {
            PeerMessage::Join {
                from,
                session,
                link,
                sharer,
            } => {
                self.join_remote(now, from, session, link, *sharer);
                true
            }
            PeerMessage::Event {
                from,
                session,
                link,
                text,
            } => match self.remote_sharer_of(&from, session, link) {
                Some(key) => {
                    match decode_client(&text) {
                        Ok(message) => self.session_event(now, &key, Side::Sharer, message),
                        Err(e) => {
                            self.stats.malformed += 1;
                            if let Some(peer) =
                                self.sessions.get(&key).and_then(|l| l.sharer.clone())
                            {
                                self.peer_error(key.id, &peer, e.code());
                            }
                        }
                    }
                    true
                }
                None => false,
            },
            PeerMessage::Closed {
                from,
                session,
                link,
            } => match self.remote_sharer_of(&from, session, link) {
                Some(key) => {
                    self.side_away(now, &key, Side::Sharer);
                    true
                }
                None => false,
            },
            PeerMessage::Rejoin {
                from,
                session,
                link,
                token,
                sharer,
                chat_after,
            } => self.handle_rejoin(
                now,
                from,
                session,
                link,
                token.as_deref(),
                *sharer,
                chat_after,
            ),
            PeerMessage::Moved { from, session } => self.handle_moved(now, from, session),
            PeerMessage::Deliver {
                from,
                session,
                link,
                text,
            } => {
                // The home broker published it once its rows were durable; rows this broker
                // recorded meanwhile go first all the same.
                let ticket = self.audit.ticket();
                let id = LinkId(link);
                match self.links.get(&id) {
                    Some(l)
                        if l.home.as_ref() == Some(&from)
                            && l.session.as_ref().is_some_and(|(k, _)| k.id.0 == session) =>
                    {
                        if l.tx.try_send(Outgoing::Text(text, ticket)).is_err() {
                            self.stats.slow_links += 1;
                            let _ = l.tx.try_send(Outgoing::Close);
                        }
                        true
                    }
                    _ => false,
                }
            }
            PeerMessage::Detach {
                from,
                session,
                link,
                error,
            } => {
                let id = LinkId(link);
                match self.links.get_mut(&id) {
                    Some(l)
                        if l.home.as_ref() == Some(&from)
                            && l.session.as_ref().is_some_and(|(k, _)| k.id.0 == session) =>
                    {
                        l.session = None;
                        l.home = None;
                        if let Some(code) = error {
                            self.error(id, code);
                        }
                        true
                    }
                    _ => false,
                }
            }
        };
        if !ok && late {
            self.stats.peer_late += 1;
        } else if !ok {
            self.stats.peer_refused += 1;
        }
    }

    /// Whether `message` names a session that ended here with its sharer on the sender, or
    /// a link of this broker that has closed.
    fn is_late(&self, message: &PeerMessage) -> bool {
        let Some(c) = self.cluster.as_ref() else {
            return false;
        };
        match message {
            PeerMessage::Event { from, session, .. }
            | PeerMessage::Closed { from, session, .. }
            | PeerMessage::Rejoin { from, session, .. } => {
                c.ended.get(session).is_some_and(|b| b == from)
            }
            PeerMessage::Deliver { link, .. } | PeerMessage::Detach { link, .. } => {
                *link < self.next_link && !self.links.contains_key(&LinkId(*link))
            }
            PeerMessage::Join { .. } | PeerMessage::Moved { .. } => false,
        }
    }

    /// A message from another broker could not be read (counted).
    pub fn peer_unreadable(&mut self) {
        self.stats.peer_refused += 1;
    }

    /// A message to another broker could not be sent (the store was away; counted).
    pub fn peer_send_failed(&mut self) {
        self.stats.store_failures += 1;
    }

    /// Messages from other brokers may have been lost (the store connection dropped and came
    /// back): every session shared with another broker ends as if its other side was lost,
    /// cleanly and with a reason, rather than go on out of step.
    pub fn peer_gap(&mut self, now: Instant) {
        for broker in self.peers_in_use() {
            let keys: Vec<SessionKey> = self
                .sessions
                .iter()
                .filter(|(_, l)| {
                    matches!(&l.sharer, Some(Peer::Remote { broker: b, .. }) if *b == broker)
                })
                .map(|(k, _)| k.clone())
                .collect();
            for key in keys {
                self.stats.peers_lost += 1;
                if let Some(live) = self.sessions.get_mut(&key) {
                    let _ = live.machine.handle_link_lost(now, Side::Sharer);
                }
                self.drain(&key);
                self.forget_session(&key);
            }
            let links: Vec<LinkId> = self
                .links
                .iter()
                .filter(|(_, l)| l.home.as_ref() == Some(&broker))
                .map(|(id, _)| *id)
                .collect();
            for id in links {
                self.stats.peers_lost += 1;
                if let Some(l) = self.links.get_mut(&id) {
                    l.session = None;
                    l.home = None;
                }
                let reason = glass_protocol::EndReason::Lost;
                self.send(id, &ServerMessage::PeerLeft { reason });
                self.send(id, &ServerMessage::Ended { reason });
            }
        }
    }

    /// The session `session` lives here and its sharer is `from`'s link `link`.
    fn remote_sharer_of(&self, from: &BrokerId, session: u64, link: u64) -> Option<SessionKey> {
        let key = self
            .cluster
            .as_ref()?
            .by_id
            .get(&glass_session::SessionId(session))?;
        match &self.sessions.get(key)?.sharer {
            Some(Peer::Remote {
                broker, link: l, ..
            }) if broker == from && *l == link => Some(key.clone()),
            _ => None,
        }
    }

    /// `broker` stopped keeping itself alive in the store: sessions with a side there end
    /// as if that side's link was lost, so the other side knows.
    pub fn handle_broker_gone(&mut self, now: Instant, broker: &BrokerId) {
        let keys: Vec<SessionKey> = self
            .sessions
            .iter()
            .filter(
                |(_, l)| matches!(&l.sharer, Some(Peer::Remote { broker: b, .. }) if b == broker),
            )
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            self.stats.peers_lost += 1;
            self.side_away(now, &key, Side::Sharer);
        }
        let links: Vec<LinkId> = self
            .links
            .iter()
            .filter(|(_, l)| l.home.as_ref() == Some(broker))
            .map(|(id, _)| *id)
            .collect();
        for id in links {
            self.stats.peers_lost += 1;
            self.orphan(now, id);
        }
    }

    fn session_event(
        &mut self,
        now: Instant,
        key: &SessionKey,
        side: Side,
        message: ClientMessage,
    ) {
        if let (Side::Helper, ClientMessage::Request { level }) = (side, &message)
            && let Err(refusal) = self.check_request(key, *level)
            && let Some(live) = self.sessions.get(key)
        {
            let (helper, session) = (live.helper, live.machine.id());
            let who = Actor::Helper(live.machine.helper().clone());
            self.refused(now, helper, who, Stage::Request, Some(session), refusal);
            return;
        }
        let Some(live) = self.sessions.get_mut(key) else {
            return;
        };
        let peer = match side {
            Side::Helper => Some(Peer::Local(live.helper)),
            Side::Sharer => live.sharer.clone(),
        };
        let session = live.machine.id();
        let is_chat = matches!(message, ClientMessage::Chat { .. });
        match live.machine.handle_message(now, side, message) {
            Ok(()) => {
                if is_chat {
                    self.stats.chat_messages += 1;
                }
            }
            Err(e) => {
                self.stats.not_allowed += 1;
                if let Some(peer) = peer {
                    self.peer_error(session, &peer, e.code());
                }
            }
        }
        self.drain(key);
    }

    /// The policy's answer to the helper of `key` asking for `level` now. A session without
    /// a sharer yet is left to the session rules (`not_allowed`).
    fn check_request(&self, key: &SessionKey, level: Level) -> Result<(), Refusal> {
        let Some(live) = self.sessions.get(key) else {
            return Ok(());
        };
        let (Some(h), Some(sh)) = (self.links.get(&live.helper), self.sharer_subject(live)) else {
            return Ok(());
        };
        self.config
            .policy
            .may_request(level, &subject(h), &sh, &live.device)
            .map(drop)
    }

    /// The sharer of `live` as the policy sees them.
    fn sharer_subject<'a>(&'a self, live: &'a Live) -> Option<Subject<'a>> {
        match live.sharer.as_ref()? {
            Peer::Local(id) => self.links.get(id).map(subject),
            Peer::Remote { sharer, .. } => Some(remote_subject(sharer)),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &Arc<Policy> {
        &self.config.policy
    }

    /// Replaces the policy (a reload) and applies it to every live session at once: a helper
    /// who lost full control drops to view, one who lost view (or the tenant) is ended
    /// (`revoked`). Sessions the new policy still allows go on untouched.
    pub fn set_policy(&mut self, now: Instant, policy: Arc<Policy>) {
        self.config.policy = policy;
        self.stats.policy_reloads += 1;
        self.recheck(now);
    }

    /// Replaces the device records (the devices file changed) and applies them to every
    /// live session at once, like a policy change.
    pub fn set_devices(&mut self, now: Instant, devices: Arc<DeviceRegistry>) {
        self.devices = devices;
        self.stats.device_reloads += 1;
        self.recheck(now);
    }

    /// Chat and transcript keeping for sessions of `tenant` (the helper's: the session's),
    /// under the broker's switch and the policy in force.
    fn chat_policy(&self, tenant: &str) -> SessionPolicy {
        let chat = self.config.chat && self.config.policy.chat(tenant);
        let (to_helper, to_sharer) = self.config.policy.clipboard(tenant);
        SessionPolicy {
            chat,
            keep_chat_transcripts: chat && self.config.policy.keep_chat_transcripts(tenant),
            clipboard: glass_protocol::ClipboardRule {
                to_helper,
                to_sharer,
            },
        }
    }

    /// Re-evaluates every session against the policy and device records in force: chat
    /// settings for all, levels for those with a sharer.
    fn recheck(&mut self, now: Instant) {
        let keys: Vec<SessionKey> = self.sessions.keys().cloned().collect();
        for key in keys {
            let Some(live) = self.sessions.get(&key) else {
                continue;
            };
            // Chat and transcripts follow a reload at once: turned off, the next line is
            // refused or not kept.
            if let Some(tenant) = self
                .links
                .get(&live.helper)
                .map(|l| l.identity.tenant.clone())
            {
                let chat_policy = self.chat_policy(&tenant);
                if let Some(live) = self.sessions.get_mut(&key) {
                    live.machine.set_policy(chat_policy);
                }
            }
            let Some(live) = self.sessions.get(&key) else {
                continue;
            };
            if let Some(tenant) = self.sharer_subject(live).map(|s| s.tenant.to_owned()) {
                let device = self
                    .devices
                    .policy_device(live.device_id.as_deref(), &tenant);
                if let Some(live) = self.sessions.get_mut(&key) {
                    live.device = device;
                }
            }
            let Some(live) = self.sessions.get(&key) else {
                continue;
            };
            let (Some(h), Some(sh)) = (self.links.get(&live.helper), self.sharer_subject(live))
            else {
                continue;
            };
            let max = self.config.policy.max_level(&subject(h), &sh, &live.device);
            let before = live.machine.level();
            let ended_before = live.machine.is_ended();
            let Some(live) = self.sessions.get_mut(&key) else {
                continue;
            };
            if live.machine.handle_limit(now, max).is_ok()
                && (max.is_none() || live.machine.level() != before)
                && !ended_before
            {
                self.stats.policy_limited += 1;
            }
            self.drain(&key);
        }
    }

    /// Sends what the session produced; ends it when it says so. Its audit rows are
    /// recorded first, so every message of the step waits for all of them to be durable
    /// (a row the core emits after its message still comes before the message leaves).
    fn drain(&mut self, key: &SessionKey) {
        let mut ended = false;
        let mut produced = false;
        let mut outputs = Vec::new();
        loop {
            let Some(live) = self.sessions.get_mut(key) else {
                return;
            };
            let Some(output) = live.machine.poll_output() else {
                break;
            };
            produced = true;
            match output {
                Output::Audit(event) => self.audit_event(event),
                other => outputs.push(other),
            }
        }
        for output in outputs {
            let Some(live) = self.sessions.get(key) else {
                return;
            };
            let (helper, sharer, session) = (live.helper, live.sharer.clone(), live.machine.id());
            match output {
                Output::Send { to, message } => match to {
                    Side::Helper => self.send(helper, &message),
                    Side::Sharer => {
                        if let Some(peer) = sharer {
                            self.send_peer(session, &peer, &message);
                        }
                    }
                },
                Output::Audit(event) => self.audit_event(event),
                Output::End => ended = true,
            }
        }
        if produced {
            self.save_session(key);
        }
        if ended {
            self.forget_session(key);
        }
    }

    fn end_session(&mut self, now: Instant, key: &SessionKey) {
        if let Some(live) = self.sessions.get_mut(key) {
            let _ = live.machine.handle_stop(now);
        }
        self.drain(key);
        self.forget_session(key);
    }

    fn forget_session(&mut self, key: &SessionKey) {
        let Some(live) = self.sessions.remove(key) else {
            return;
        };
        if let Some(c) = self.cluster.as_mut() {
            c.by_id.remove(&key.id);
        }
        // A code nobody redeemed must not lead anywhere from any broker.
        if let Some(code_key) = live.code_key {
            self.push_cluster(ClusterOut::DropCode { key: code_key });
        }
        let sharer = match live.sharer {
            Some(Peer::Local(id)) => Some(id),
            Some(Peer::Remote { broker, link, .. }) => {
                if let Some(c) = self.cluster.as_mut() {
                    c.ended.insert(key.id.0, broker.clone());
                }
                self.detach_remote(broker, key.id.0, link, None);
                None
            }
            None => None,
        };
        for id in [Some(live.helper), sharer].into_iter().flatten() {
            if let Some(link) = self.links.get_mut(&id)
                && link.session.as_ref().is_some_and(|(k, _)| k == key)
            {
                link.session = None;
            }
        }
    }

    /// The broker is stopping: every link is closed (its client connects again through
    /// the load balancer and resumes there). Returns how many.
    pub fn begin_drain(&mut self) -> usize {
        for link in self.links.values() {
            let _ = link.tx.try_send(Outgoing::Close);
        }
        self.links.len()
    }

    /// A link's socket ended.
    pub fn close_link(&mut self, now: Instant, id: LinkId, end: LinkEnd) {
        let Some(link) = self.links.remove(&id) else {
            return;
        };
        if let Some(c) = self.cluster.as_mut() {
            c.redeeming.remove(&id);
        }
        if let Some(n) = self.per_ip.get_mut(&link.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_ip.remove(&link.ip);
            }
        }
        if end == LinkEnd::Lost {
            self.stats.links_lost += 1;
        }
        if let Some(c) = self.cluster.as_mut() {
            c.resuming.remove(&id);
        }
        match (link.session, link.home) {
            // A sharer whose session's home is gone: nobody to tell.
            (Some(_), _) if link.orphan.is_some() => {}
            // A sharer whose session lives on another broker: tell it.
            (Some((key, _)), Some(home)) => {
                if let Some(me) = self.broker_id().cloned() {
                    self.peer_send(
                        home,
                        PeerMessage::Closed {
                            from: me,
                            session: key.id.0,
                            link: id.0,
                        },
                    );
                }
            }
            // Several brokers: the session waits for the side to resume.
            (Some((key, side)), None) if self.cluster.is_some() => {
                self.link_lost_shared(now, &key, side, id);
            }
            (Some((key, side)), None) => {
                if let Some(live) = self.sessions.get_mut(&key) {
                    let _ = live.machine.handle_link_lost(now, side);
                }
                self.drain(&key);
                // Ending on a lost link is always legal while the session lives, so `drain`
                // has dropped it; this only makes sure no session outlives its link.
                self.forget_session(&key);
            }
            (None, _) => {}
        }
        self.audit.link_closed(&link.identity);
    }

    /// Timers: consent deadlines, code expiry, pruning.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.codes.handle_timeout(now);
        self.drain_codes();
        self.resume_timeouts(now);
        let due: Vec<SessionKey> = self
            .sessions
            .iter()
            .filter(|(_, l)| l.machine.poll_timeout().is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in due {
            if let Some(live) = self.sessions.get_mut(&key) {
                live.machine.handle_timeout(now);
            }
            self.drain(&key);
        }
    }
}

/// Runs the hub's timers every 100 ms until aborted.
pub(crate) async fn tick(hub: Arc<Mutex<Hub>>) {
    let mut interval = tokio::time::interval(Duration::from_millis(100));
    loop {
        interval.tick().await;
        if let Ok(mut h) = hub.lock() {
            h.handle_timeout(Instant::now());
        }
    }
}

mod resume;

#[cfg(test)]
mod cluster_tests;
