//! The cluster driver: moves what the hub queues ([`ClusterOut`]) to the shared store and the
//! other brokers, and what they send back into the hub. Three tasks per broker (outgoing,
//! incoming, presence), so none waits behind another; the hub stays synchronous and sans-IO.
//!
//! - Messages to other brokers are published in the order the hub queued them (one task;
//!   consecutive ones in one pipeline, one round trip), so a session's messages arrive in
//!   order, each once the audit rows recorded before it are durable.
//! - Code writes and lookups run as their own tasks and answer the hub when the store does.
//! - Every 500 ms the broker renews its presence (1.5 s lifetime) and checks that of every
//!   broker it shares a session with; a broker that lets its presence lapse is gone
//!   ([`Hub::handle_broker_gone`]): the other side learns within 2 s that its peer was
//!   lost, as on a single broker.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::{SharedStore, SubEvent};
use crate::hub::Hub;
use crate::peers::{BrokerId, ClusterOut, PeerMessage};

/// What the driver takes from the hub at a time.
const BURST: usize = 256;
/// How often presence is renewed and checked.
const BEAT: Duration = Duration::from_millis(500);
/// How long a presence lasts without renewal.
const PRESENCE_TTL: Duration = Duration::from_millis(1500);

/// Runs until aborted.
pub(crate) async fn run(
    hub: Arc<Mutex<Hub>>,
    store: SharedStore,
    me: BrokerId,
    notify: Arc<Notify>,
    audit: Option<crate::audit::AuditSink>,
) {
    let channel = me.channel();
    let subscription = loop {
        match store.subscribe(std::slice::from_ref(&channel)).await {
            Ok(s) => break s,
            Err(e) => {
                tracing::warn!("cluster: cannot subscribe yet: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    };
    let _ = store
        .heartbeat(&me.presence_key(), b"1", PRESENCE_TTL)
        .await;
    // Presence on a task of its own: a burst of outgoing work (each message one command)
    // must never delay the renewal past its lifetime, or the other brokers would take this
    // one for dead.
    let presence = tokio::spawn(keep_present(hub.clone(), store.clone(), me.clone()));
    let _stop_presence = AbortOnDrop(presence);
    // The inbox on a task of its own too: while the outgoing side waits (for the trail, for
    // Redis), messages from other brokers are still taken in, so the subscription's bounded
    // queue never overflows behind a burst of sends (at 100 new sessions a second it did,
    // and the overflow ends the sessions it may have cut).
    let inbox = tokio::spawn(take_in(hub.clone(), subscription));
    let _stop_inbox = AbortOnDrop(inbox);
    let mut outs = Vec::new();
    loop {
        notify.notified().await;
        loop {
            // What the hub queued, up to a bound, in order.
            outs.clear();
            if let Ok(mut h) = hub.lock() {
                while outs.len() < BURST {
                    match h.poll_cluster() {
                        Some(out) => outs.push(out),
                        None => break,
                    }
                }
            }
            if outs.is_empty() {
                break;
            }
            // Messages leave once the audit rows recorded before them are durable (written,
            // or in the outbox): the other broker acts on them at once. One wait for the
            // burst's last ticket covers every message in it.
            let after = outs
                .iter()
                .filter_map(|o| match o {
                    ClusterOut::Send { after, .. } => Some(*after),
                    _ => None,
                })
                .max();
            if let (Some(sink), Some(after)) = (&audit, after) {
                sink.durable(after).await;
            }
            // Consecutive messages go in one pipeline (one round trip, in order); everything
            // else one at a time, in order.
            let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
            for out in outs.drain(..) {
                if let ClusterOut::Send { to, message, .. } = &out {
                    batch.push((to.channel(), message.encode()));
                    continue;
                }
                publish(&hub, &store, &mut batch).await;
                perform(&hub, &store, out).await;
            }
            publish(&hub, &store, &mut batch).await;
        }
    }
}

/// Publishes `batch` (and empties it); a failure loses its messages, each counted.
async fn publish(hub: &Arc<Mutex<Hub>>, store: &SharedStore, batch: &mut Vec<(String, Vec<u8>)>) {
    if batch.is_empty() {
        return;
    }
    if let Err(e) = store.publish_many(batch).await {
        tracing::warn!(
            messages = batch.len(),
            "cluster: messages to brokers were lost: {e}"
        );
        if let Ok(mut h) = hub.lock() {
            for _ in 0..batch.len() {
                h.peer_send_failed();
            }
        }
    }
    batch.clear();
}

/// Hands what other brokers send into the hub, until aborted.
async fn take_in(hub: Arc<Mutex<Hub>>, mut subscription: super::Subscription) {
    let with_hub = |f: &mut dyn FnMut(&mut Hub)| {
        if let Ok(mut h) = hub.lock() {
            f(&mut h);
        }
    };
    loop {
        match subscription.next().await {
            Some(SubEvent::Message { payload, .. }) => match PeerMessage::decode(&payload) {
                Ok(message) => {
                    let mut message = Some(message);
                    with_hub(&mut |h| {
                        if let Some(m) = message.take() {
                            h.handle_peer(Instant::now(), m);
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!("cluster: unreadable message from a broker: {e}");
                    with_hub(&mut |h| h.peer_unreadable());
                }
            },
            Some(SubEvent::Resubscribed) => {
                // Messages may have been lost while Redis was away: the sessions they
                // belonged to can no longer be trusted to be in step.
                tracing::warn!(
                    "cluster: the broker channel was resubscribed; messages may have been lost"
                );
                with_hub(&mut |h| h.peer_gap(Instant::now()));
            }
            None => {
                tracing::error!("cluster: the subscription ended");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Aborts the task when dropped (the driver is aborted as a whole).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Renews this broker's presence every [`BEAT`] and checks that of every broker it shares a
/// session with.
async fn keep_present(hub: Arc<Mutex<Hub>>, store: SharedStore, me: BrokerId) {
    let mut beat = tokio::time::interval(BEAT);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        beat.tick().await;
        if let Err(e) = store
            .heartbeat(&me.presence_key(), b"1", PRESENCE_TTL)
            .await
        {
            tracing::warn!("cluster: presence not renewed: {e}");
        }
        let peers = match hub.lock() {
            Ok(h) => h.peers_in_use(),
            Err(_) => continue,
        };
        for peer in peers {
            match store.present(&peer.presence_key()).await {
                Ok(Some(_)) => {}
                Ok(None) => {
                    tracing::warn!(broker = %peer, "cluster: a broker is gone");
                    if let Ok(mut h) = hub.lock() {
                        h.handle_broker_gone(Instant::now(), &peer);
                    }
                }
                // The store itself is away: nobody can tell; try again next beat.
                Err(_) => {}
            }
        }
    }
}

async fn perform(hub: &Arc<Mutex<Hub>>, store: &SharedStore, out: ClusterOut) {
    match out {
        // The run loop batches these; one alone is a batch of one.
        ClusterOut::Send { to, message, .. } => {
            publish(hub, store, &mut vec![(to.channel(), message.encode())]).await;
        }
        ClusterOut::PutCode { key, record, ttl } => {
            let (hub, store) = (hub.clone(), store.clone());
            tokio::spawn(async move {
                let stored = store
                    .put_code(&key, &record.encode(), ttl)
                    .await
                    .map_err(|e| tracing::warn!("cluster: code not stored: {e}"));
                if let Ok(mut h) = hub.lock() {
                    h.handle_code_stored(Instant::now(), &key, stored);
                }
            });
        }
        ClusterOut::TakeCode { key, link, lockout } => {
            let (hub, store) = (hub.clone(), store.clone());
            tokio::spawn(async move {
                let locked = async {
                    let user = store.failures(&lockout.user).await?;
                    let addr = store.failures(&lockout.addr).await?;
                    Ok::<_, super::StoreError>(
                        user >= u64::from(lockout.max_user) || addr >= u64::from(lockout.max_addr),
                    )
                };
                let taken = match locked.await {
                    Ok(true) => {
                        if let Ok(mut h) = hub.lock() {
                            h.handle_code_locked(link);
                        }
                        return;
                    }
                    Ok(false) => store.take_code(&key).await,
                    Err(e) => Err(e),
                };
                if let Ok(None) = taken {
                    for counter in [&lockout.user, &lockout.addr] {
                        if let Err(e) = store.count_failure(counter, lockout.window).await {
                            tracing::warn!("cluster: a failed redemption was not counted: {e}");
                        }
                    }
                }
                let taken = taken.map_err(|e| tracing::warn!("cluster: code lookup failed: {e}"));
                if let Ok(mut h) = hub.lock() {
                    h.handle_code_taken(Instant::now(), link, taken);
                }
            });
        }
        // In the order queued, awaited: a session's records are stored one after another,
        // each at the version the hub expects.
        ClusterOut::SaveSession {
            session,
            expected,
            record,
            ttl,
        } => {
            let stored = store
                .store_session(&session.to_string(), expected, &record.encode(), ttl)
                .await;
            match stored {
                Ok(super::Cas::Stored { .. }) => {
                    if let Ok(mut h) = hub.lock() {
                        h.handle_session_saved(session);
                    }
                }
                Ok(super::Cas::Conflict { .. }) => {
                    if let Ok(mut h) = hub.lock() {
                        h.handle_session_conflict(Instant::now(), session);
                    }
                }
                Err(e) => {
                    tracing::warn!(session, "cluster: a session's record was not stored: {e}");
                    if let Ok(mut h) = hub.lock() {
                        h.peer_send_failed();
                    }
                }
            }
        }
        ClusterOut::LoadSession { session, link } => {
            let (hub, store) = (hub.clone(), store.clone());
            tokio::spawn(async move {
                let loaded = async {
                    let Some(v) = store.load_session(&session.to_string()).await? else {
                        return Ok(None);
                    };
                    let alive = match crate::peers::SessionRecord::decode(&v.bytes) {
                        Ok(r) => store.present(&r.home.presence_key()).await?.is_some(),
                        Err(_) => false,
                    };
                    Ok::<_, super::StoreError>(Some((v.version, v.bytes, alive)))
                }
                .await
                .map_err(|e| tracing::warn!("cluster: a session's record was not loaded: {e}"));
                if let Ok(mut h) = hub.lock() {
                    h.handle_session_loaded(Instant::now(), link, loaded);
                }
            });
        }
        ClusterOut::ClaimSession {
            session,
            expected,
            record,
            link,
            ttl,
        } => {
            let claimed = store
                .store_session(&session.to_string(), Some(expected), &record.encode(), ttl)
                .await
                .map_err(|e| tracing::warn!("cluster: a session was not claimed: {e}"));
            if let Ok(mut h) = hub.lock() {
                h.handle_session_claimed(Instant::now(), link, claimed);
            }
        }
        ClusterOut::DropCode { key } => {
            let store = store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.drop_code(&key).await {
                    tracing::warn!(
                        "cluster: a spent code was not dropped (it expires anyway): {e}"
                    );
                }
            });
        }
    }
}
