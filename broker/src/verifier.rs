//! Password checks on a small fixed pool of threads.
//!
//! argon2id is slow on purpose (about 20 ms of CPU and 19 MiB per check). Running the checks
//! on a fixed pool bounds how many run at once, so a sign-in flood cannot take every core,
//! and it bounds memory: with `spawn_blocking` each new blocking thread got its own glibc
//! arena holding on to 19 MiB, and the broker's RSS grew from 26 MiB to about 1 GiB after a
//! few hundred sign-ins (measured with `cargo bench -p glass-broker --bench load`). A full
//! queue answers "busy" at once instead of queueing without bound.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::accounts::{BadCredentials, Identity, IdentityProvider};

type Reply = oneshot::Sender<Result<Identity, BadCredentials>>;

struct Job {
    username: String,
    password: String,
    reply: Reply,
}

/// The pool is busy: too many sign-ins are waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Checks passwords on `threads` threads with at most `queue` waiting.
pub struct Verifier {
    jobs: SyncSender<Job>,
}

impl Verifier {
    /// Starts the pool. The threads end when the `Verifier` is dropped.
    pub fn new(
        identity: Arc<dyn IdentityProvider>,
        threads: usize,
        queue: usize,
    ) -> std::io::Result<Verifier> {
        let (jobs, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            let identity = identity.clone();
            std::thread::Builder::new()
                .name(format!("glass-verify-{i}"))
                .spawn(move || work(&rx, identity.as_ref()))?;
        }
        Ok(Verifier { jobs })
    }

    /// Checks a username and password. `Err(Busy)` when the queue is full.
    pub async fn verify(
        &self,
        username: String,
        password: String,
    ) -> Result<Result<Identity, BadCredentials>, Busy> {
        let (reply, answer) = oneshot::channel();
        match self.jobs.try_send(Job {
            username,
            password,
            reply,
        }) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => return Err(Busy),
        }
        answer.await.map_err(|_| Busy)
    }
}

fn work(rx: &Mutex<Receiver<Job>>, identity: &dyn IdentityProvider) {
    loop {
        let job = {
            let Ok(rx) = rx.lock() else { return };
            match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let result = identity.verify_password(&job.username, &job.password);
        let _ = job.reply.send(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Account, LocalAccounts, Profile, hash_password};

    #[tokio::test]
    async fn checks_and_refuses_when_full() {
        let accounts = LocalAccounts::from_accounts(vec![Account {
            username: "ada".into(),
            password_hash: hash_password("long enough").unwrap(),
            profile: Profile {
                name: "Ada".into(),
                ..Profile::default()
            },
            groups: Vec::new(),
        }])
        .unwrap();
        let v = Verifier::new(Arc::new(accounts), 1, 1).unwrap();
        let ok = v.verify("ada".into(), "long enough".into()).await.unwrap();
        assert_eq!(ok.unwrap().user_id, "local:ada");
        assert!(
            v.verify("ada".into(), "wrong".into())
                .await
                .unwrap()
                .is_err()
        );
        // One thread, one queued: a burst gets "busy" for the rest, at once.
        let burst: Vec<_> = (0..6)
            .map(|_| v.verify("ada".into(), "wrong".into()))
            .collect();
        let results = futures_util::future::join_all(burst).await;
        assert!(results.iter().any(|r| r.is_err()), "{results:?}");
        assert!(results.iter().any(|r| r.is_ok()), "{results:?}");
    }
}
