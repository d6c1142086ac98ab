//! The consumer's side of a subscription, common to both backends: a bounded queue of
//! [`SubEvent`]s and a way to change the channels while it runs.
//!
//! Overflow rule: the producer never waits. When the queue is full, the message is dropped
//! (counted in [`StoreStats`](super::StoreStats)) and the subscription is marked *lagged*;
//! while lagged every further message is dropped too. Once the consumer has drained what was
//! queued before the loss, it gets [`SubEvent::Resubscribed`] and the mark is cleared, so
//! that a consumer resyncing from the snapshots after `Resubscribed` has missed nothing that
//! was published after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{mpsc, oneshot};

use super::memory::Registration;
use super::{StoreError, StoreStats};

/// What a subscription delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubEvent {
    /// A message published to one of the subscription's channels.
    Message {
        /// The channel, as the publisher named it (without the store's prefix).
        channel: String,
        /// The message.
        payload: Vec<u8>,
    },
    /// Messages may have been lost since the previous event (the connection to Redis dropped
    /// and came back, or the consumer fell behind and the queue overflowed): reload the
    /// state that matters from the snapshots. Every channel is subscribed again.
    Resubscribed,
}

/// The producer's side of a subscription's queue.
#[derive(Debug, Clone)]
pub(crate) struct Feed {
    tx: mpsc::Sender<SubEvent>,
    lagged: Arc<AtomicBool>,
    stats: Arc<StoreStats>,
}

impl Feed {
    /// Queues `event` without waiting; `false` once the subscription is gone.
    pub(crate) fn offer(&self, event: SubEvent) -> bool {
        let is_message = matches!(event, SubEvent::Message { .. });
        // A lagged subscription will see `Resubscribed` anyway.
        if self.lagged.load(Ordering::Acquire) {
            if is_message {
                self.stats.drop_message();
            }
            return !self.tx.is_closed();
        }
        match self.tx.try_send(event) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.lagged.store(true, Ordering::Release);
                if is_message {
                    self.stats.drop_message();
                }
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

/// A request to the Redis subscription task; answered once done.
#[derive(Debug)]
pub(crate) enum Control {
    /// Subscribe to this channel too (the caller's name: the task adds the prefix).
    Add(String, oneshot::Sender<()>),
    /// Stop receiving this channel.
    Remove(String, oneshot::Sender<()>),
}

/// How channels are changed: in the memory store's registry, or by the Redis task.
#[derive(Debug)]
pub(crate) enum Channels {
    Memory(Registration),
    Redis(mpsc::Sender<Control>),
}

/// A running subscription: call [`Subscription::next`] in a loop. Dropping it unsubscribes
/// (and, on Redis, closes its connection).
#[derive(Debug)]
pub struct Subscription {
    rx: mpsc::Receiver<SubEvent>,
    lagged: Arc<AtomicBool>,
    channels: Channels,
}

/// A new queue of `capacity` events: the producer's and the consumer's ends.
pub(crate) fn queue(
    capacity: usize,
    stats: Arc<StoreStats>,
) -> (Feed, mpsc::Receiver<SubEvent>, Arc<AtomicBool>) {
    let (tx, rx) = mpsc::channel(capacity);
    let lagged = Arc::new(AtomicBool::new(false));
    let feed = Feed {
        tx,
        lagged: lagged.clone(),
        stats,
    };
    (feed, rx, lagged)
}

impl Subscription {
    pub(crate) fn new(
        rx: mpsc::Receiver<SubEvent>,
        lagged: Arc<AtomicBool>,
        channels: Channels,
    ) -> Subscription {
        Subscription {
            rx,
            lagged,
            channels,
        }
    }

    /// The next event; `None` once the store behind it is gone. Cancel-safe.
    pub async fn next(&mut self) -> Option<SubEvent> {
        match self.rx.try_recv() {
            Ok(event) => return Some(event),
            Err(mpsc::error::TryRecvError::Empty) => {}
            Err(mpsc::error::TryRecvError::Disconnected) => {
                return self
                    .lagged
                    .swap(false, Ordering::AcqRel)
                    .then_some(SubEvent::Resubscribed);
            }
        }
        // Drained what was queued before a loss: now say so.
        if self.lagged.swap(false, Ordering::AcqRel) {
            return Some(SubEvent::Resubscribed);
        }
        self.rx.recv().await
    }

    /// Also receives `channel` from now on. Returns once subscribed; if the connection to
    /// Redis is down, once the channel is recorded: it is subscribed on reconnection, which
    /// is followed by [`SubEvent::Resubscribed`].
    pub async fn add(&mut self, channel: &str) -> Result<(), StoreError> {
        match &mut self.channels {
            Channels::Memory(reg) => {
                reg.add(channel);
                Ok(())
            }
            Channels::Redis(control) => {
                let (ack, done) = oneshot::channel();
                request(control, Control::Add(channel.to_owned(), ack), done).await
            }
        }
    }

    /// Stops receiving `channel` (messages already queued are still delivered).
    pub async fn remove(&mut self, channel: &str) -> Result<(), StoreError> {
        match &mut self.channels {
            Channels::Memory(reg) => {
                reg.remove(channel);
                Ok(())
            }
            Channels::Redis(control) => {
                let (ack, done) = oneshot::channel();
                request(control, Control::Remove(channel.to_owned(), ack), done).await
            }
        }
    }
}

/// Hands `what` to the Redis subscription task and waits for it to be done.
async fn request(
    control: &mpsc::Sender<Control>,
    what: Control,
    done: oneshot::Receiver<()>,
) -> Result<(), StoreError> {
    let gone = || StoreError::Unavailable {
        op: "subscription",
        detail: "the subscription task has stopped".into(),
    };
    control.send(what).await.map_err(|_| gone())?;
    done.await.map_err(|_| gone())
}
