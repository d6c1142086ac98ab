//! Resuming a help session on another link, or on another broker (several brokers only).
//!
//! Once both sides are in, each gets a `resumable` token and the session's home keeps a
//! [`SessionRecord`] in the shared store after every change (compare-and-set on a version).
//! A side whose link is lost (its broker died or drained, or the network cut it) connects
//! again, through the load balancer, to any broker and sends `resume`:
//! - the **helper** makes that broker the session's home: it claims the record (the version
//!   must not have moved), restores the session from its snapshot (consent, level, pause,
//!   chat history), and tells the old home and the sharer's broker ([`PeerMessage::Moved`]);
//! - the **sharer** rejoins the home ([`PeerMessage::Rejoin`]); if the home is dead and the
//!   helper has not claimed the session yet, the sharer's link waits as an *orphan*, checking
//!   the record every 500 ms for a live home.
//!
//! Meanwhile the other side is told `peer_away`, and the session waits [`GRACE`] for the lost
//! side before it ends `lost`. Media never passes through a broker, so it keeps flowing
//! throughout; the sharer's agent keeps enforcing the consent it gave.

use std::time::{Duration, Instant};

use glass_protocol::{EndReason, ServerMessage, Side};
use glass_session::audit::{Actor, AuditEvent, AuditKind};
use glass_session::machine::{Session, Snapshot, State};
use glass_session::{SessionId, SessionKey};
use subtle::ConstantTimeEq;

use super::{ClusterOut, Hub, Link, LinkId, Live, Peer, PeerMessage, RemoteSharer};
use crate::cluster::Cas;
use crate::peers::{BrokerId, SessionRecord, resume_digest, resume_session, resume_token};

/// How long a session waits for a lost side to resume before it ends `lost`.
pub(crate) const GRACE: Duration = Duration::from_secs(10);
/// How long the store keeps a live session's record (renewed with every change).
const SESSION_TTL: Duration = Duration::from_secs(24 * 3600);
/// How long it keeps an ended one (a late `resume` is told `ended`).
const ENDED_TTL: Duration = Duration::from_secs(60);
/// How often an orphan looks for its session's new home.
const ORPHAN_CHECK: Duration = Duration::from_millis(500);
/// Claims that lose a race are retried this often before the client is told `busy`.
const CLAIM_ATTEMPTS: u8 = 3;

/// A sharer link whose session's home is gone, waiting for a new one.
#[derive(Debug, Clone)]
pub(crate) struct Orphan {
    deadline: Instant,
    next_check: Instant,
    /// The client resumed: answer `resumed` and the chat lines after this one once rejoined.
    chat_after: Option<u64>,
    /// The home that was lost (a record still naming it is not rejoined).
    lost: Option<BrokerId>,
}

/// A link waiting for the store.
#[derive(Debug)]
pub(crate) enum Resuming {
    /// A client's `resume`: the record is being loaded.
    Client {
        token: String,
        chat_after: u64,
        attempts: u8,
    },
    /// The helper's claim on the record is being stored.
    Claiming {
        token: String,
        chat_after: u64,
        attempts: u8,
        record: Box<SessionRecord>,
        old_home: BrokerId,
    },
    /// An orphan looking for its session's home.
    Orphan,
}

/// What a live session keeps to be resumed.
#[derive(Debug, Clone)]
pub(crate) struct Resumable {
    helper_token: String,
    sharer_token: String,
    helper_away: Option<Instant>,
    sharer_away: Option<Instant>,
    /// The record's version this broker stored last.
    version: Option<u64>,
    /// The sharer as the policy sees them (for the record).
    sharer: Option<RemoteSharer>,
    /// Where the sharer's link is, or was when it was lost.
    sharer_at: Option<(BrokerId, u64)>,
    /// The two tokens, until the store has the record.
    unsent: Option<(String, String)>,
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn remote_sharer(
    link: &Link,
    client: glass_protocol::Client,
    device_id: Option<String>,
) -> RemoteSharer {
    RemoteSharer {
        user_id: link.identity.user_id.clone(),
        tenant: link.identity.tenant.clone(),
        groups: link.identity.groups.clone(),
        amr: link.identity.amr.clone(),
        addr: link.ip,
        card: link.card.clone(),
        client,
        device_id,
    }
}

fn lost() -> ServerMessage {
    ServerMessage::Ended {
        reason: EndReason::Lost,
    }
}

impl Hub {
    /// Audits a side's link lost or resumed.
    fn audit_link(&mut self, now: Instant, key: &SessionKey, side: Side, back: bool) {
        let Some(live) = self.sessions.get(key) else {
            return;
        };
        let who = match side {
            Side::Helper => Actor::Helper(live.machine.helper().clone()),
            Side::Sharer => match live.machine.sharer() {
                Some(u) => Actor::Sharer(u.clone()),
                None => return,
            },
        };
        let what = if back {
            AuditKind::LinkResumed { side }
        } else {
            AuditKind::LinkLost { side }
        };
        self.audit_event(AuditEvent {
            at: self.wall.unix_ms(now),
            who,
            from: None,
            session: Some(key.id),
            what,
        });
    }

    /// Both sides are in: each gets its token, and the record is stored.
    pub(super) fn issue_resume_tokens(&mut self, key: &SessionKey, client: glass_protocol::Client) {
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        let Some(live) = self.sessions.get(key) else {
            return;
        };
        let (sharer, sharer_at) = match &live.sharer {
            Some(Peer::Local(id)) => match self.links.get(id) {
                Some(l) => (
                    Some(remote_sharer(l, client, live.device_id.clone())),
                    Some((me, id.0)),
                ),
                None => return,
            },
            Some(Peer::Remote {
                broker,
                link,
                sharer,
            }) => (Some((**sharer).clone()), Some((broker.clone(), *link))),
            None => return,
        };
        let session = live.machine.id();
        let (helper_token, sharer_token) = (resume_token(session.0), resume_token(session.0));
        if let Some(live) = self.sessions.get_mut(key) {
            live.resume = Some(Resumable {
                helper_token: resume_digest(&helper_token),
                sharer_token: resume_digest(&sharer_token),
                helper_away: None,
                sharer_away: None,
                version: None,
                sharer,
                sharer_at,
                // Handed out once the store has the record: a token always has a session
                // behind it.
                unsent: Some((helper_token, sharer_token)),
            });
        }
        self.save_session(key);
    }

    /// The key of session `session`, if this broker carries it.
    fn key_of(&self, session: u64) -> Option<SessionKey> {
        self.cluster
            .as_ref()
            .and_then(|c| c.by_id.get(&SessionId(session)).cloned())
    }

    /// The store kept session `session`'s record: the first time, both sides get their
    /// resume tokens.
    pub fn handle_session_saved(&mut self, session: u64) {
        let Some(key) = self.key_of(session) else {
            return;
        };
        let Some(live) = self.sessions.get_mut(&key) else {
            return;
        };
        let Some((helper_token, sharer_token)) = live.resume.as_mut().and_then(|r| r.unsent.take())
        else {
            return;
        };
        let (helper, peer, id) = (live.helper, live.sharer.clone(), live.machine.id());
        self.send(
            helper,
            &ServerMessage::Resumable {
                token: helper_token,
            },
        );
        if let Some(peer) = peer {
            self.send_peer(
                id,
                &peer,
                &ServerMessage::Resumable {
                    token: sharer_token,
                },
            );
        }
    }

    /// Stores the record of `key` (its outputs drained), if it can be resumed.
    pub(super) fn save_session(&mut self, key: &SessionKey) {
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        let Some(live) = self.sessions.get_mut(key) else {
            return;
        };
        let snapshot = live.machine.snapshot();
        let session = live.machine.id().0;
        let Some(r) = live.resume.as_mut() else {
            return;
        };
        if let Some(peer) = &live.sharer {
            r.sharer_at = Some(match peer {
                Peer::Local(id) => (me.clone(), id.0),
                Peer::Remote { broker, link, .. } => (broker.clone(), *link),
            });
        }
        let ended = snapshot.is_ended();
        let record = SessionRecord {
            home: me,
            snapshot: String::from_utf8(snapshot.encode()).unwrap_or_default(),
            helper_token: r.helper_token.clone(),
            sharer_token: r.sharer_token.clone(),
            sharer: r.sharer.clone(),
            sharer_at: r.sharer_at.clone(),
        };
        let expected = r.version;
        r.version = Some(expected.map_or(1, |v| v + 1));
        self.push_cluster(ClusterOut::SaveSession {
            session,
            expected,
            record: Box::new(record),
            ttl: if ended { ENDED_TTL } else { SESSION_TTL },
        });
    }

    /// The store holds a newer record of `session` than this broker wrote: another broker
    /// carries it on now. Let it go here, without ending it.
    pub fn handle_session_conflict(&mut self, now: Instant, session: u64) {
        let Some(key) = self.key_of(session) else {
            return;
        };
        tracing::info!(session, "a session was taken over by another broker");
        self.release(now, &key, None);
    }

    /// Lets session `key` go without ending it (it lives on another broker now). A sharer
    /// here follows it there (`new_home`), or waits as an orphan until the record names it.
    fn release(&mut self, now: Instant, key: &SessionKey, new_home: Option<BrokerId>) {
        let Some(live) = self.sessions.remove(key) else {
            return;
        };
        if let Some(c) = self.cluster.as_mut() {
            c.by_id.remove(&key.id);
            c.away.remove(key);
        }
        self.stats.sessions_moved += 1;
        if let Some(l) = self.links.get_mut(&live.helper)
            && l.session.as_ref().is_some_and(|(k, _)| k == key)
        {
            // A helper link still open here is not the one the session carries on with.
            l.session = None;
            self.send(live.helper, &lost());
        }
        if let Some(Peer::Local(id)) = live.sharer {
            match new_home {
                Some(home) => self.rejoin_from(id, home, None),
                None => self.orphan(now, id),
            }
        }
    }

    /// Sends sharer link `id` (here) to `home` to rejoin its session.
    fn rejoin_from(&mut self, id: LinkId, home: BrokerId, chat_after: Option<u64>) {
        self.rejoin_with(id, home, None, chat_after);
    }

    fn rejoin_with(
        &mut self,
        id: LinkId,
        home: BrokerId,
        token: Option<String>,
        chat_after: Option<u64>,
    ) {
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        let Some(l) = self.links.get_mut(&id) else {
            return;
        };
        let Some((key, Side::Sharer)) = l.session.clone() else {
            return;
        };
        l.home = Some(home.clone());
        l.orphan = None;
        if let Some(c) = self.cluster.as_mut() {
            c.orphans.remove(&id);
        }
        let Some(l) = self.links.get(&id) else {
            return;
        };
        // The home knows the client and device from its record; these are refreshed.
        let sharer = remote_sharer(l, glass_protocol::Client::Agent, None);
        self.peer_send(
            home,
            PeerMessage::Rejoin {
                from: me,
                session: key.id.0,
                link: id.0,
                token,
                sharer: Box::new(sharer),
                chat_after,
            },
        );
    }

    /// A link's `resume`: load the record.
    pub(super) fn resume(&mut self, _now: Instant, id: LinkId, token: &str, chat_after: u64) {
        if self.cluster.is_none() {
            self.stats.not_allowed += 1;
            self.error(id, glass_protocol::ErrorCode::NotAllowed);
            return;
        }
        let Some(session) = resume_session(token) else {
            self.stats.resumes_refused += 1;
            self.send(id, &lost());
            return;
        };
        self.await_store(
            id,
            ClusterOut::LoadSession {
                session,
                link: id.0,
            },
            Resuming::Client {
                token: token.to_owned(),
                chat_after,
                attempts: 0,
            },
        );
    }

    /// Asks the store (`out`) on behalf of link `id`, which then waits in `state` for the
    /// answer; a full queue answers the link `busy` at once.
    fn await_store(&mut self, id: LinkId, out: ClusterOut, state: Resuming) {
        if !self.push_cluster(out) {
            self.error(id, glass_protocol::ErrorCode::Busy);
            return;
        }
        if let Some(c) = self.cluster.as_mut() {
            c.resuming.insert(id, state);
        }
    }

    /// The store answered a [`ClusterOut::LoadSession`] for `link`: the record's version
    /// and bytes, and whether its home is alive (`None`: no such session; `Err`: the store
    /// is away).
    pub fn handle_session_loaded(
        &mut self,
        now: Instant,
        link: u64,
        loaded: Result<Option<(u64, Vec<u8>, bool)>, ()>,
    ) {
        let id = LinkId(link);
        let Some(pending) = self.cluster.as_mut().and_then(|c| c.resuming.remove(&id)) else {
            return;
        };
        if !self.links.contains_key(&id) {
            return;
        }
        let found = match loaded {
            Err(()) => {
                self.stats.store_failures += 1;
                if let Resuming::Client { .. } = pending {
                    self.error(id, glass_protocol::ErrorCode::Busy);
                }
                return;
            }
            Ok(None) => None,
            Ok(Some((version, bytes, alive))) => match SessionRecord::decode(&bytes) {
                Ok(record) => Some((version, record, alive)),
                Err(e) => {
                    tracing::warn!("unreadable session record in the shared store: {e}");
                    None
                }
            },
        };
        let restored = found.and_then(|(version, record, alive)| {
            let snapshot = Snapshot::decode(record.snapshot.as_bytes()).ok()?;
            let machine = Session::restore(snapshot, self.wall, now).ok()?;
            Some((version, record, alive, machine))
        });
        match pending {
            Resuming::Client {
                token,
                chat_after,
                attempts,
            } => self.resume_loaded(now, id, token, chat_after, attempts, restored),
            Resuming::Orphan => self.orphan_loaded(now, id, restored),
            Resuming::Claiming { .. } => {}
        }
    }

    fn resume_loaded(
        &mut self,
        now: Instant,
        id: LinkId,
        token: String,
        chat_after: u64,
        attempts: u8,
        restored: Option<(u64, SessionRecord, bool, Session)>,
    ) {
        let refuse = |hub: &mut Hub| {
            hub.stats.resumes_refused += 1;
            hub.send(id, &lost());
        };
        let (Some((version, record, alive, machine)), Some(me), Some(l)) =
            (restored, self.broker_id().cloned(), self.links.get(&id))
        else {
            refuse(self);
            return;
        };
        if machine.is_ended() {
            refuse(self);
            return;
        }
        let digest = resume_digest(&token);
        let user = &l.identity.user_id;
        let side = if same(&digest, &record.helper_token) && machine.helper().0 == *user {
            Side::Helper
        } else if same(&digest, &record.sharer_token)
            && record.sharer.as_ref().is_some_and(|s| s.user_id == *user)
        {
            Side::Sharer
        } else {
            tracing::warn!("a resume token that is not this user's was refused");
            refuse(self);
            return;
        };
        let key = SessionKey {
            id: machine.id(),
            helper: machine.helper().clone(),
        };
        if record.home == me {
            if !self.sessions.contains_key(&key) {
                refuse(self);
                return;
            }
            match side {
                Side::Helper => self.attach_helper(now, &key, id, chat_after),
                Side::Sharer => self.attach_sharer(now, &key, Peer::Local(id), Some(chat_after)),
            }
            return;
        }
        match side {
            Side::Sharer => {
                if let Some(l) = self.links.get_mut(&id) {
                    l.session = Some((key, Side::Sharer));
                }
                if alive {
                    self.rejoin_with(id, record.home, Some(digest), Some(chat_after));
                } else {
                    // The home is dead and the helper has not carried the session on yet.
                    self.make_orphan(now, id, Some(chat_after), Some(record.home));
                }
            }
            Side::Helper => {
                let old_home = record.home.clone();
                let claimed = SessionRecord { home: me, ..record };
                let session = key.id.0;
                self.await_store(
                    id,
                    ClusterOut::ClaimSession {
                        session,
                        expected: version,
                        record: Box::new(claimed.clone()),
                        link: id.0,
                        ttl: SESSION_TTL,
                    },
                    Resuming::Claiming {
                        token,
                        chat_after,
                        attempts,
                        record: Box::new(claimed),
                        old_home,
                    },
                );
            }
        }
    }

    /// The store answered a [`ClusterOut::ClaimSession`] for `link`.
    pub fn handle_session_claimed(&mut self, now: Instant, link: u64, result: Result<Cas, ()>) {
        let id = LinkId(link);
        let Some(Resuming::Claiming {
            token,
            chat_after,
            attempts,
            record,
            old_home,
        }) = self.cluster.as_mut().and_then(|c| c.resuming.remove(&id))
        else {
            return;
        };
        if !self.links.contains_key(&id) {
            return;
        }
        let version = match result {
            Ok(Cas::Stored { version }) => version,
            Ok(Cas::Conflict { .. }) if attempts + 1 < CLAIM_ATTEMPTS => {
                // The old home wrote meanwhile: read it again.
                let session = resume_session(&token).unwrap_or_default();
                if self.push_cluster(ClusterOut::LoadSession {
                    session,
                    link: id.0,
                }) && let Some(c) = self.cluster.as_mut()
                {
                    c.resuming.insert(
                        id,
                        Resuming::Client {
                            token,
                            chat_after,
                            attempts: attempts + 1,
                        },
                    );
                }
                return;
            }
            Ok(Cas::Conflict { .. }) | Err(()) => {
                self.stats.store_failures += 1;
                self.error(id, glass_protocol::ErrorCode::Busy);
                return;
            }
        };
        let Some(machine) = Snapshot::decode(record.snapshot.as_bytes())
            .ok()
            .and_then(|s| Session::restore(s, self.wall, now).ok())
        else {
            self.stats.resumes_refused += 1;
            self.send(id, &lost());
            return;
        };
        let key = SessionKey {
            id: machine.id(),
            helper: machine.helper().clone(),
        };
        let device_id = record.sharer.as_ref().and_then(|s| s.device_id.clone());
        let device = match &record.sharer {
            Some(s) => self.devices.policy_device(device_id.as_deref(), &s.tenant),
            None => glass_session::policy::Device::unenrolled(),
        };
        let sharer_joined = machine.sharer().is_some();
        self.sessions.insert(
            key.clone(),
            Live {
                machine,
                helper: id,
                sharer: None,
                device,
                device_id,
                code_key: None,
                resume: Some(Resumable {
                    helper_token: record.helper_token.clone(),
                    sharer_token: record.sharer_token.clone(),
                    // Back now (attach_helper, below, records it).
                    helper_away: Some(now + GRACE),
                    sharer_away: sharer_joined.then_some(now + GRACE),
                    version: Some(version),
                    sharer: record.sharer.clone(),
                    sharer_at: record.sharer_at.clone(),
                    unsent: None,
                }),
            },
        );
        if let Some(c) = self.cluster.as_mut() {
            c.by_id.insert(key.id, key.clone());
            if sharer_joined {
                c.away.insert(key.clone());
            }
        }
        self.stats.sessions_resumed += 1;
        tracing::info!(
            session = key.id.0,
            "a session moved here: its helper resumed"
        );
        self.attach_helper(now, &key, id, chat_after);
        let Some(me) = self.broker_id().cloned() else {
            return;
        };
        // Whoever holds the sharer: the session lives here now.
        match record.sharer_at {
            Some((broker, link)) if broker == me => {
                let lid = LinkId(link);
                let chat_after = self
                    .links
                    .get(&lid)
                    .filter(|l| l.session.as_ref().is_some_and(|(k, _)| k.id == key.id))
                    .map(|l| l.orphan.as_ref().and_then(|o| o.chat_after));
                if let Some(chat_after) = chat_after {
                    self.attach_sharer(now, &key, Peer::Local(lid), chat_after);
                }
            }
            Some((broker, _)) if broker != old_home => {
                self.peer_send(
                    broker,
                    PeerMessage::Moved {
                        from: me.clone(),
                        session: key.id.0,
                    },
                );
            }
            _ => {}
        }
        if old_home != me {
            self.peer_send(
                old_home,
                PeerMessage::Moved {
                    from: me,
                    session: key.id.0,
                },
            );
        }
    }

    /// The session's `resumed`, for `side`, and the chat lines after `chat_after`.
    fn resumed_messages(
        &self,
        key: &SessionKey,
        side: Side,
        chat_after: u64,
    ) -> Vec<ServerMessage> {
        let Some(live) = self.sessions.get(key) else {
            return Vec::new();
        };
        let (level, paused) = match live.machine.state() {
            State::Active { level, paused, .. } => (Some(*level), *paused),
            _ => (None, false),
        };
        let peer_present = match (side, &live.resume) {
            (Side::Helper, Some(r)) => r.sharer_away.is_none() && live.sharer.is_some(),
            (Side::Sharer, Some(r)) => r.helper_away.is_none(),
            (_, None) => true,
        };
        let mut out = vec![ServerMessage::Resumed {
            level,
            paused,
            peer_present,
        }];
        out.extend(
            live.machine
                .chat_history()
                .filter(|l| l.seq > chat_after)
                .map(|l| l.message()),
        );
        out
    }

    /// The helper carries on on link `id` here.
    fn attach_helper(&mut self, now: Instant, key: &SessionKey, id: LinkId, chat_after: u64) {
        let Some(live) = self.sessions.get_mut(key) else {
            return;
        };
        let old = std::mem::replace(&mut live.helper, id);
        let was_away = live
            .resume
            .as_mut()
            .is_some_and(|r| r.helper_away.take().is_some());
        let (session, peer) = (live.machine.id(), live.sharer.clone());
        if old != id
            && let Some(l) = self.links.get_mut(&old)
            && l.session.as_ref().is_some_and(|(k, _)| k == key)
        {
            l.session = None;
        }
        if let Some(l) = self.links.get_mut(&id) {
            l.session = Some((key.clone(), Side::Helper));
            l.home = None;
        }
        self.unmark_away(key);
        if was_away {
            self.audit_link(now, key, Side::Helper, true);
        }
        for m in self.resumed_messages(key, Side::Helper, chat_after) {
            self.send(id, &m);
        }
        if let Some(peer) = peer {
            self.send_peer(session, &peer, &ServerMessage::PeerBack);
        }
        self.save_session(key);
    }

    /// The sharer carries on through `peer`; a client that asked gets `resumed` and the chat
    /// lines after `chat_after`.
    fn attach_sharer(
        &mut self,
        now: Instant,
        key: &SessionKey,
        peer: Peer,
        chat_after: Option<u64>,
    ) {
        let Some(live) = self.sessions.get_mut(key) else {
            return;
        };
        let old = live.sharer.replace(peer.clone());
        let mut was_away = false;
        if let Some(r) = live.resume.as_mut() {
            was_away = r.sharer_away.take().is_some();
            if let Peer::Remote { sharer, .. } = &peer {
                let mut known = r.sharer.clone().unwrap_or_else(|| (**sharer).clone());
                // The home's record keeps the client and device the sharer joined with.
                known.addr = sharer.addr;
                r.sharer = Some(known);
            }
        }
        let (session, helper) = (live.machine.id(), live.helper);
        match old {
            Some(Peer::Local(old)) if !matches!(&peer, Peer::Local(p) if *p == old) => {
                if let Some(l) = self.links.get_mut(&old) {
                    l.session = None;
                }
            }
            Some(Peer::Remote { broker, link, .. }) if !matches!(&peer, Peer::Remote { broker: b, link: l, .. } if *b == broker && *l == link) =>
            {
                self.detach_remote(broker, session.0, link, None);
            }
            _ => {}
        }
        if let Peer::Local(id) = &peer
            && let Some(l) = self.links.get_mut(id)
        {
            l.session = Some((key.clone(), Side::Sharer));
            l.home = None;
            l.orphan = None;
            if let Some(c) = self.cluster.as_mut() {
                c.orphans.remove(id);
            }
        }
        self.unmark_away(key);
        // Only a client that lost its link and resumed is a `link_resumed` row; a sharer
        // whose link stayed while the session moved is not.
        if was_away && chat_after.is_some() {
            self.audit_link(now, key, Side::Sharer, true);
        }
        match chat_after {
            Some(after) => {
                for m in self.resumed_messages(key, Side::Sharer, after) {
                    self.send_peer(session, &peer, &m);
                }
            }
            // The sharer's link stayed; it was told the helper was away (its broker, or the
            // session's home, was lost meanwhile).
            None => {
                let helper_here = self
                    .sessions
                    .get(key)
                    .and_then(|l| l.resume.as_ref())
                    .is_some_and(|r| r.helper_away.is_none());
                if helper_here {
                    self.send_peer(session, &peer, &ServerMessage::PeerBack);
                }
            }
        }
        self.send(helper, &ServerMessage::PeerBack);
        self.save_session(key);
    }

    fn unmark_away(&mut self, key: &SessionKey) {
        let away = self
            .sessions
            .get(key)
            .and_then(|l| l.resume.as_ref())
            .is_some_and(|r| r.helper_away.is_some() || r.sharer_away.is_some());
        if !away && let Some(c) = self.cluster.as_mut() {
            c.away.remove(key);
        }
    }

    /// From another broker: the sharer of `session` is on its link `link` now.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn handle_rejoin(
        &mut self,
        now: Instant,
        from: BrokerId,
        session: u64,
        link: u64,
        token: Option<&str>,
        sharer: RemoteSharer,
        chat_after: Option<u64>,
    ) -> bool {
        let Some(key) = self.key_of(session) else {
            self.detach_remote(from, session, link, None);
            return false;
        };
        let Some(live) = self.sessions.get(&key) else {
            return false;
        };
        let Some(r) = live.resume.as_ref() else {
            return false;
        };
        let proven = match token {
            // The client's token, checked by the sender.
            Some(t) => same(t, &r.sharer_token),
            // The link the record names (the sender held the sharer before the move).
            None => r
                .sharer_at
                .as_ref()
                .is_some_and(|(b, l)| *b == from && *l == link),
        };
        if !proven || live.machine.sharer().is_none_or(|u| u.0 != sharer.user_id) {
            tracing::warn!(broker = %from, "a rejoin for a sharer the session does not have was refused");
            self.detach_remote(from, session, link, None);
            return false;
        }
        let peer = Peer::Remote {
            broker: from,
            link,
            sharer: std::sync::Arc::new(sharer),
        };
        self.attach_sharer(now, &key, peer, chat_after);
        true
    }

    /// From a session's new home: it lives there now.
    pub(super) fn handle_moved(&mut self, now: Instant, from: BrokerId, session: u64) -> bool {
        let mut known = false;
        if let Some(key) = self.key_of(session) {
            known = true;
            self.release(now, &key, Some(from.clone()));
        }
        let links: Vec<(LinkId, Option<u64>)> = self
            .links
            .iter()
            .filter(|(_, l)| {
                l.session
                    .as_ref()
                    .is_some_and(|(k, side)| k.id.0 == session && *side == Side::Sharer)
                    && (l.home.is_some() || l.orphan.is_some())
                    && l.home.as_ref() != Some(&from)
            })
            .map(|(id, l)| (*id, l.orphan.as_ref().and_then(|o| o.chat_after)))
            .collect();
        for (id, chat_after) in links {
            known = true;
            self.rejoin_from(id, from.clone(), chat_after);
        }
        known
    }

    /// A link of session `key` here closed (several brokers): the session waits for the side
    /// to resume, if it can be resumed; a link the session no longer uses changes nothing.
    pub(super) fn link_lost_shared(
        &mut self,
        now: Instant,
        key: &SessionKey,
        side: Side,
        id: LinkId,
    ) {
        let Some(live) = self.sessions.get(key) else {
            return;
        };
        let current = match side {
            Side::Helper => live.helper == id,
            Side::Sharer => live
                .sharer
                .as_ref()
                .is_some_and(|p| matches!(p, Peer::Local(l) if *l == id)),
        };
        if !current {
            return;
        }
        self.side_away(now, key, side);
    }

    /// A side of `key` was lost: the other is told `peer_away`, and the session waits.
    /// Sessions that cannot be resumed (no sharer yet) end as on a single broker.
    pub(super) fn side_away(&mut self, now: Instant, key: &SessionKey, side: Side) {
        let Some(live) = self.sessions.get_mut(key) else {
            return;
        };
        let Some(r) = live.resume.as_mut() else {
            let _ = live.machine.handle_link_lost(now, side);
            self.drain(key);
            self.forget_session(key);
            return;
        };
        let already = match side {
            Side::Helper => r.helper_away.replace(now + GRACE).is_some(),
            Side::Sharer => {
                live.sharer = None;
                r.sharer_away.replace(now + GRACE).is_some()
            }
        };
        let (session, helper, peer) = (live.machine.id(), live.helper, live.sharer.clone());
        if let Some(c) = self.cluster.as_mut() {
            c.away.insert(key.clone());
        }
        match side {
            Side::Helper => {
                if let Some(peer) = peer {
                    self.send_peer(session, &peer, &ServerMessage::PeerAway);
                }
            }
            Side::Sharer => self.send(helper, &ServerMessage::PeerAway),
        }
        if !already {
            self.audit_link(now, key, side, false);
        }
        self.save_session(key);
    }

    /// Sharer link `id`'s session's home is gone: wait for a side to carry it on elsewhere.
    pub(super) fn orphan(&mut self, now: Instant, id: LinkId) {
        let lost = self.links.get(&id).and_then(|l| l.home.clone());
        self.make_orphan(now, id, None, lost);
        self.send(id, &ServerMessage::PeerAway);
    }

    fn make_orphan(
        &mut self,
        now: Instant,
        id: LinkId,
        chat_after: Option<u64>,
        lost: Option<BrokerId>,
    ) {
        let Some(l) = self.links.get_mut(&id) else {
            return;
        };
        l.home = None;
        l.orphan = Some(Orphan {
            deadline: now + GRACE,
            next_check: now + ORPHAN_CHECK,
            chat_after,
            lost,
        });
        if let Some(c) = self.cluster.as_mut() {
            c.orphans.insert(id);
        }
    }

    /// An orphan's `leave`: it leaves; whoever carries the session on finds it gone.
    pub(super) fn orphan_left(&mut self, _now: Instant, id: LinkId) {
        self.end_orphan(id, EndReason::Left);
    }

    fn end_orphan(&mut self, id: LinkId, reason: EndReason) {
        if let Some(c) = self.cluster.as_mut() {
            c.orphans.remove(&id);
            c.resuming.remove(&id);
        }
        let Some(l) = self.links.get_mut(&id) else {
            return;
        };
        l.orphan = None;
        l.session = None;
        l.home = None;
        if reason == EndReason::Lost {
            self.send(id, &ServerMessage::PeerLeft { reason });
        }
        self.send(id, &ServerMessage::Ended { reason });
    }

    fn orphan_loaded(
        &mut self,
        now: Instant,
        id: LinkId,
        restored: Option<(u64, SessionRecord, bool, Session)>,
    ) {
        let Some((_, record, alive, machine)) = restored else {
            self.end_orphan(id, EndReason::Lost);
            return;
        };
        if machine.is_ended() {
            self.end_orphan(id, EndReason::Lost);
            return;
        }
        let Some(orphan) = self.links.get(&id).and_then(|l| l.orphan.clone()) else {
            return;
        };
        if Some(&record.home) == self.broker_id() {
            let key = SessionKey {
                id: machine.id(),
                helper: machine.helper().clone(),
            };
            self.attach_sharer(now, &key, Peer::Local(id), orphan.chat_after);
        } else if alive && Some(&record.home) != orphan.lost.as_ref() {
            self.rejoin_from(id, record.home, orphan.chat_after);
        } else if let Some(l) = self.links.get_mut(&id)
            && let Some(o) = l.orphan.as_mut()
        {
            o.next_check = now + ORPHAN_CHECK;
        }
    }

    /// Sessions whose lost side did not come back in time end `lost`; orphans look for
    /// their session's home, and give up after the same grace.
    pub(super) fn resume_timeouts(&mut self, now: Instant) {
        let Some(c) = self.cluster.as_ref() else {
            return;
        };
        if c.away.is_empty() && c.orphans.is_empty() {
            return;
        }
        let due: Vec<(SessionKey, Side)> = c
            .away
            .iter()
            .filter_map(|k| {
                let r = self.sessions.get(k)?.resume.as_ref()?;
                if r.helper_away.is_some_and(|t| t <= now) {
                    Some((k.clone(), Side::Helper))
                } else if r.sharer_away.is_some_and(|t| t <= now) {
                    Some((k.clone(), Side::Sharer))
                } else {
                    None
                }
            })
            .collect();
        for (key, side) in due {
            if let Some(c) = self.cluster.as_mut() {
                c.away.remove(&key);
            }
            if let Some(live) = self.sessions.get_mut(&key) {
                let _ = live.machine.handle_link_lost(now, side);
            }
            self.drain(&key);
            self.forget_session(&key);
        }
        let orphans: Vec<LinkId> = self
            .cluster
            .as_ref()
            .map(|c| c.orphans.iter().copied().collect())
            .unwrap_or_default();
        for id in orphans {
            let Some((deadline, next_check, session)) = self.links.get(&id).and_then(|l| {
                let o = l.orphan.as_ref()?;
                Some((o.deadline, o.next_check, l.session.as_ref()?.0.id.0))
            }) else {
                if let Some(c) = self.cluster.as_mut() {
                    c.orphans.remove(&id);
                }
                continue;
            };
            if deadline <= now {
                self.end_orphan(id, EndReason::Lost);
                continue;
            }
            let busy = self
                .cluster
                .as_ref()
                .is_some_and(|c| c.resuming.contains_key(&id));
            if next_check <= now && !busy {
                if let Some(o) = self.links.get_mut(&id).and_then(|l| l.orphan.as_mut()) {
                    o.next_check = now + ORPHAN_CHECK;
                }
                if self.push_cluster(ClusterOut::LoadSession {
                    session,
                    link: id.0,
                }) && let Some(c) = self.cluster.as_mut()
                {
                    c.resuming.insert(id, Resuming::Orphan);
                }
            }
        }
    }
}
