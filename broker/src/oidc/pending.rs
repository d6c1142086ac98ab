//! Sign-ins in progress and the agents' one-time codes: bounded, short-lived, single use.
//! Pure data over `now`; the routes read the clock.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

use crate::accounts::Identity;

/// Which web app a browser sign-in returns to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum App {
    /// `/`.
    Helper,
    /// `/share`.
    Sharer,
}

impl App {
    /// The app's path.
    pub fn path(self) -> &'static str {
        match self {
            App::Helper => "/",
            App::Sharer => "/share",
        }
    }
}

/// Where a finished sign-in goes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    /// A browser session for a web app.
    Web(App),
    /// A native agent waiting on a loopback redirect (RFC 8252).
    Agent {
        /// `http://127.0.0.1:PORT/path` (checked at start).
        redirect: String,
        /// The agent's state, echoed back.
        state: String,
        /// BASE64URL(SHA-256(verifier)): the agent proves it started this sign-in.
        challenge: String,
    },
}

/// One sign-in between `/start` and `/callback`.
pub struct Flow {
    /// Index of the issuer.
    pub issuer: usize,
    /// The nonce sent in the authorization request.
    pub nonce: String,
    /// The PKCE verifier for the code exchange.
    pub pkce_verifier: String,
    /// The value of the browser's binding cookie.
    pub binding: String,
    /// Where it goes when done.
    pub target: Target,
    started: Instant,
}

impl fmt::Debug for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field("issuer", &self.issuer)
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl Flow {
    /// A flow started `now`.
    pub fn new(
        now: Instant,
        issuer: usize,
        nonce: String,
        pkce_verifier: String,
        binding: String,
        target: Target,
    ) -> Flow {
        Flow {
            issuer,
            nonce,
            pkce_verifier,
            binding,
            target,
            started: now,
        }
    }

    /// Whether `presented` is this flow's binding cookie (constant time).
    pub fn bound_to(&self, presented: &str) -> bool {
        !presented.is_empty() && bool::from(self.binding.as_bytes().ct_eq(presented.as_bytes()))
    }
}

/// A one-time code handed to an agent's loopback redirect.
struct AgentCode {
    identity: Identity,
    id_token: String,
    challenge: String,
    expires: Instant,
}

/// Limits of the [`Pending`] store.
#[derive(Clone, Debug)]
pub struct PendingLimits {
    /// Flows at most (new starts are refused beyond it).
    pub max_flows: usize,
    /// How long a flow may take.
    pub flow_ttl: Duration,
    /// Agent codes at most.
    pub max_codes: usize,
    /// How long an agent code lives.
    pub code_ttl: Duration,
}

impl Default for PendingLimits {
    fn default() -> Self {
        PendingLimits {
            max_flows: 10_000,
            flow_ttl: Duration::from_secs(600),
            max_codes: 1_000,
            code_ttl: Duration::from_secs(60),
        }
    }
}

/// The store is full: refuse the start (a stranger can fill it, but not evict others' flows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// Flows by `state`, agent codes by code.
pub struct Pending {
    flows: HashMap<String, Flow>,
    codes: HashMap<String, AgentCode>,
    limits: PendingLimits,
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("flows", &self.flows.len())
            .field("codes", &self.codes.len())
            .finish()
    }
}

impl Pending {
    /// An empty store.
    pub fn new(limits: PendingLimits) -> Pending {
        Pending {
            flows: HashMap::new(),
            codes: HashMap::new(),
            limits,
        }
    }

    fn prune(&mut self, now: Instant) {
        let ttl = self.limits.flow_ttl;
        self.flows.retain(|_, f| now < f.started + ttl);
        self.codes.retain(|_, c| now < c.expires);
    }

    /// Records a flow under `state`.
    pub fn start(&mut self, now: Instant, state: String, flow: Flow) -> Result<(), Full> {
        self.prune(now);
        if self.flows.len() >= self.limits.max_flows {
            return Err(Full);
        }
        self.flows.insert(state, flow);
        Ok(())
    }

    /// Takes the flow of `state` (single use: gone whatever happens next), if live.
    pub fn take(&mut self, now: Instant, state: &str) -> Option<Flow> {
        let flow = self.flows.remove(state)?;
        (now < flow.started + self.limits.flow_ttl).then_some(flow)
    }

    /// Issues a one-time code for an agent.
    pub fn issue_code(
        &mut self,
        now: Instant,
        identity: Identity,
        id_token: String,
        challenge: String,
    ) -> Result<String, Full> {
        self.prune(now);
        if self.codes.len() >= self.limits.max_codes {
            return Err(Full);
        }
        let code = crate::auth::random_token();
        self.codes.insert(
            code.clone(),
            AgentCode {
                identity,
                id_token,
                challenge,
                expires: now + self.limits.code_ttl,
            },
        );
        Ok(code)
    }

    /// Redeems an agent code with the verifier whose challenge it was bound to. The code is
    /// gone after any attempt, right or wrong: a stolen code cannot be tried twice.
    pub fn redeem_code(
        &mut self,
        now: Instant,
        code: &str,
        challenge_of_verifier: &str,
    ) -> Option<(Identity, String)> {
        let c = self.codes.remove(code)?;
        let ok = now < c.expires
            && bool::from(
                c.challenge
                    .as_bytes()
                    .ct_eq(challenge_of_verifier.as_bytes()),
            );
        ok.then_some((c.identity, c.id_token))
    }

    /// Live flows (tests, stats).
    pub fn flows(&self) -> usize {
        self.flows.len()
    }
}

/// Sign-ins in progress and agent codes in the store every broker shares (several brokers):
/// the issuer's redirect back, or the agent's code exchange, may reach any broker. Kept under
/// digests of the `state` and of the code (never the secrets), single use (`GETDEL`), and
/// expiring with their lifetime.
pub mod shared {
    use super::*;
    use crate::cluster::SharedStore;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StoredFlow {
        issuer: usize,
        nonce: String,
        pkce_verifier: String,
        binding: String,
        target: Target,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StoredCode {
        identity: Identity,
        id_token: String,
        challenge: String,
    }

    fn key(kind: &str, secret: &str) -> String {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(format!("glass-oidc-{kind}-v1:{secret}").as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Records a flow under `state` for `ttl`.
    pub async fn start(
        store: &SharedStore,
        state: &str,
        flow: Flow,
        ttl: Duration,
    ) -> Result<(), Full> {
        let stored = StoredFlow {
            issuer: flow.issuer,
            nonce: flow.nonce,
            pkce_verifier: flow.pkce_verifier,
            binding: flow.binding,
            target: flow.target,
        };
        let bytes = serde_json::to_vec(&stored).map_err(|_| Full)?;
        match store.put_code(&key("flow", state), &bytes, ttl).await {
            Ok(true) => Ok(()),
            _ => Err(Full),
        }
    }

    /// Takes the flow of `state` (single use), if live.
    pub async fn take(store: &SharedStore, now: Instant, state: &str) -> Option<Flow> {
        if state.is_empty() || state.len() > 256 {
            return None;
        }
        let bytes = store.take_code(&key("flow", state)).await.ok()??;
        let f: StoredFlow = serde_json::from_slice(&bytes).ok()?;
        Some(Flow::new(
            now,
            f.issuer,
            f.nonce,
            f.pkce_verifier,
            f.binding,
            f.target,
        ))
    }

    /// Issues a one-time code for an agent, good for `ttl`.
    pub async fn issue_code(
        store: &SharedStore,
        identity: Identity,
        id_token: String,
        challenge: String,
        ttl: Duration,
    ) -> Result<String, Full> {
        let code = crate::auth::random_token();
        let bytes = serde_json::to_vec(&StoredCode {
            identity,
            id_token,
            challenge,
        })
        .map_err(|_| Full)?;
        match store.put_code(&key("code", &code), &bytes, ttl).await {
            Ok(true) => Ok(code),
            _ => Err(Full),
        }
    }

    /// Redeems an agent code (gone after any attempt) with the verifier's challenge.
    pub async fn redeem_code(
        store: &SharedStore,
        code: &str,
        challenge_of_verifier: &str,
    ) -> Option<(Identity, String)> {
        if code.is_empty() || code.len() > 128 {
            return None;
        }
        let bytes = store.take_code(&key("code", code)).await.ok()??;
        let c: StoredCode = serde_json::from_slice(&bytes).ok()?;
        let ok = bool::from(
            c.challenge
                .as_bytes()
                .ct_eq(challenge_of_verifier.as_bytes()),
        );
        ok.then_some((c.identity, c.id_token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Profile;

    fn flow(now: Instant) -> Flow {
        Flow::new(
            now,
            0,
            "nonce".into(),
            "verifier".into(),
            "cookie".into(),
            Target::Web(App::Helper),
        )
    }

    #[test]
    fn flows_are_single_use_bounded_and_expire() {
        let t0 = Instant::now();
        let mut p = Pending::new(PendingLimits {
            max_flows: 2,
            ..PendingLimits::default()
        });
        p.start(t0, "a".into(), flow(t0)).unwrap();
        p.start(t0, "b".into(), flow(t0)).unwrap();
        assert_eq!(p.start(t0, "c".into(), flow(t0)), Err(Full));
        let a = p.take(t0, "a").unwrap();
        assert!(a.bound_to("cookie"));
        assert!(!a.bound_to("cookie2"));
        assert!(!a.bound_to(""));
        assert!(p.take(t0, "a").is_none(), "single use");
        assert!(
            p.take(t0 + Duration::from_secs(600), "b").is_none(),
            "10 min TTL"
        );
        // Expired flows free their room.
        p.start(t0, "d".into(), flow(t0)).unwrap();
        let later = t0 + Duration::from_secs(601);
        p.start(later, "e".into(), flow(later)).unwrap();
        p.start(later, "f".into(), flow(later)).unwrap();
        assert_eq!(p.flows(), 2);
    }

    #[test]
    fn agent_codes_are_single_use_bound_and_short_lived() {
        let t0 = Instant::now();
        let id = Identity::local("local:a", Profile::default(), Vec::new());
        let mut p = Pending::new(PendingLimits::default());
        let code = p
            .issue_code(t0, id.clone(), "tok".into(), "chal".into())
            .unwrap();
        assert!(p.redeem_code(t0, &code, "wrong").is_none());
        assert!(
            p.redeem_code(t0, &code, "chal").is_none(),
            "gone after a wrong try"
        );
        let code = p
            .issue_code(t0, id.clone(), "tok".into(), "chal".into())
            .unwrap();
        assert!(
            p.redeem_code(t0 + Duration::from_secs(60), &code, "chal")
                .is_none(),
            "60 s"
        );
        let code = p.issue_code(t0, id, "tok".into(), "chal".into()).unwrap();
        let (who, token) = p.redeem_code(t0, &code, "chal").unwrap();
        assert_eq!(who.user_id, "local:a");
        assert_eq!(token, "tok");
        assert!(p.redeem_code(t0, &code, "chal").is_none(), "single use");
    }
}
