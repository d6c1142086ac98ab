//! The hub: every open WebSocket (a *link*) and every help session, driven through the
//! sans-IO rules of `glass-session`. Synchronous and short: each call takes `now`, handles
//! one event and queues what must be sent on bounded per-link queues. A link whose queue is
//! full is a client that does not read: it is closed, never waited for.

use std::collections::HashMap;
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

/// Messages queued per link before the link counts as not reading.
const LINK_QUEUE: usize = 256;

/// A link's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkId(u64);

/// What the socket task sends.
#[derive(Debug)]
pub enum Outgoing {
    /// One text frame.
    Text(String),
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
}

struct Live {
    machine: Session,
    helper: LinkId,
    sharer: Option<LinkId>,
    /// The sharer's device as the policy sees it (an agent without an enrolled key and every
    /// web sharer: unenrolled).
    device: Device,
    /// The device the sharer's agent proved it runs on, if any.
    device_id: Option<String>,
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
    sessions: HashMap<SessionKey, Live>,
    devices: Arc<DeviceRegistry>,
    stats: HubStats,
    audit: crate::audit::HubAudit,
    /// Redemption rate limits (the broker's; none in unit tests).
    limits: Option<Arc<crate::limits::Limiters>>,
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
            },
        );
        *self.per_ip.entry(ip).or_default() += 1;
        Ok((id, rx))
    }

    fn send(&mut self, id: LinkId, message: &ServerMessage) {
        let Some(link) = self.links.get(&id) else {
            return;
        };
        if link
            .tx
            .try_send(Outgoing::Text(encode_server(message)))
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
        self.stats.policy_refused += 1;
        let rule = match &refusal.reason {
            RefusalReason::Rule(name) => Some(name.clone()),
            _ => None,
        };
        let from = self.links.get(&id).map(|l| l.ip);
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
        self.send(
            id,
            &ServerMessage::Error {
                code: ErrorCode::Forbidden,
                message: refusal.message,
            },
        );
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
            (message, Some((key, side))) => self.session_event(now, &key, side, message),
            (_, None) => {
                self.stats.not_allowed += 1;
                self.error(id, ErrorCode::NotAllowed);
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
        let ttl = self
            .config
            .policy
            .code_lifetime(&link.identity.tenant)
            .unwrap_or(self.config.code_ttl);
        let issued = match self.codes.issue_os_for(now, helper, ttl) {
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
        self.sessions.insert(
            issued.key.clone(),
            Live {
                machine,
                helper: id,
                sharer: None,
                device: Device::unenrolled(),
                device_id: None,
            },
        );
        if let Some(link) = self.links.get_mut(&id) {
            link.session = Some((issued.key.clone(), Side::Helper));
        }
        self.stats.codes_issued += 1;
        self.send(id, &issued.message());
        self.drain(&issued.key);
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
        let (ip, card) = (link.ip, link.card.clone());
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
        let Some(live) = self.sessions.get(&key) else {
            self.error(id, ErrorCode::CodeInvalid);
            return;
        };
        // Now the helper is known: may this helper help this sharer, on this device?
        let decision = match (self.links.get(&live.helper), self.links.get(&id)) {
            (Some(h), Some(sh)) => {
                let (helper, sharer) = (subject(h), subject(sh));
                self.config
                    .policy
                    .may_join(&helper, &sharer, &device)
                    .map(|w| (w, self.config.policy.max_level(&helper, &sharer, &device)))
            }
            _ => Err(Refusal {
                reason: RefusalReason::NoPermission(glass_session::policy::Permission::OfferHelp),
                message: ErrorCode::CodeInvalid.english().to_owned(),
            }),
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
                self.refused(
                    now,
                    id,
                    Actor::Sharer(user),
                    Stage::RedeemCode,
                    Some(session),
                    refusal,
                );
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
        if live
            .machine
            .handle_sharer_joined_with(now, user, card, client, warnings, max_level)
            .is_err()
        {
            self.stats.not_allowed += 1;
            self.error(id, ErrorCode::NotAllowed);
            return;
        }
        live.sharer = Some(id);
        let (helper_link, session) = (live.helper, live.machine.id());
        if let Some(link) = self.links.get_mut(&id) {
            link.session = Some((key.clone(), Side::Sharer));
        }
        self.drain(&key);
        // The relays both sides may use, with a credential good for this session only.
        if let Some(turn) = &self.config.turn {
            let message = ServerMessage::IceServers {
                ice_servers: turn.ice_servers(&session.to_string(), self.wall.unix_ms(now) / 1000),
                relay_only: turn.relay_only,
            };
            self.stats.turn_credentials += 1;
            self.send(helper_link, &message);
            self.send(id, &message);
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
        let link = match side {
            Side::Helper => Some(live.helper),
            Side::Sharer => live.sharer,
        };
        let is_chat = matches!(message, ClientMessage::Chat { .. });
        match live.machine.handle_message(now, side, message) {
            Ok(()) => {
                if is_chat {
                    self.stats.chat_messages += 1;
                }
            }
            Err(e) => {
                self.stats.not_allowed += 1;
                if let Some(link) = link {
                    self.error(link, e.code());
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
        let (Some(h), Some(sh)) = (
            self.links.get(&live.helper),
            live.sharer.and_then(|s| self.links.get(&s)),
        ) else {
            return Ok(());
        };
        self.config
            .policy
            .may_request(level, &subject(h), &subject(sh), &live.device)
            .map(drop)
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
        SessionPolicy {
            chat,
            keep_chat_transcripts: chat && self.config.policy.keep_chat_transcripts(tenant),
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
            if let Some(tenant) = live
                .sharer
                .and_then(|s| self.links.get(&s))
                .map(|l| l.identity.tenant.clone())
            {
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
            let (Some(h), Some(sh)) = (
                self.links.get(&live.helper),
                live.sharer.and_then(|s| self.links.get(&s)),
            ) else {
                continue;
            };
            let max = self
                .config
                .policy
                .max_level(&subject(h), &subject(sh), &live.device);
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

    /// Sends what the session produced; ends it when it says so.
    fn drain(&mut self, key: &SessionKey) {
        let mut ended = false;
        loop {
            let Some(live) = self.sessions.get_mut(key) else {
                return;
            };
            let (helper, sharer) = (live.helper, live.sharer);
            let Some(output) = live.machine.poll_output() else {
                break;
            };
            match output {
                Output::Send { to, message } => {
                    let link = match to {
                        Side::Helper => Some(helper),
                        Side::Sharer => sharer,
                    };
                    if let Some(link) = link {
                        self.send(link, &message);
                    }
                }
                Output::Audit(event) => self.audit_event(event),
                Output::End => ended = true,
            }
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
        if let Some(live) = self.sessions.remove(key) {
            for id in [Some(live.helper), live.sharer].into_iter().flatten() {
                if let Some(link) = self.links.get_mut(&id)
                    && link.session.as_ref().is_some_and(|(k, _)| k == key)
                {
                    link.session = None;
                }
            }
        }
    }

    /// A link's socket ended.
    pub fn close_link(&mut self, now: Instant, id: LinkId, end: LinkEnd) {
        let Some(link) = self.links.remove(&id) else {
            return;
        };
        if let Some(n) = self.per_ip.get_mut(&link.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_ip.remove(&link.ip);
            }
        }
        if end == LinkEnd::Lost {
            self.stats.links_lost += 1;
        }
        if let Some((key, side)) = link.session {
            if let Some(live) = self.sessions.get_mut(&key) {
                let _ = live.machine.handle_link_lost(now, side);
            }
            self.drain(&key);
            // Ending on a lost link is always legal while the session lives, so `drain` has
            // dropped it; this only makes sure no session outlives its link.
            self.forget_session(&key);
        }
        self.audit.link_closed(&link.identity);
    }

    /// Timers: consent deadlines, code expiry, pruning.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.codes.handle_timeout(now);
        self.drain_codes();
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
