//! Sign-in state: browser sessions (cookie + CSRF token), agent bearer tokens and the
//! failed-sign-in limiter. Pure data structures over `now`; the HTTP layer reads the clock.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use subtle::ConstantTimeEq;

use crate::accounts::Identity;

/// Name of the browser session cookie.
pub const COOKIE: &str = "glass_session";

/// What a credential was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A browser session (cookie); state-changing requests also need the CSRF token.
    Browser,
    /// A native agent's bearer token.
    Agent,
}

/// A signed-in principal, as a request handler gets it.
#[derive(Clone)]
pub struct Principal {
    /// Who.
    pub identity: Identity,
    /// How they signed in.
    pub kind: CredentialKind,
    csrf: String,
    /// Agents: a random challenge the agent signs with its device key when redeeming.
    device_challenge: Option<String>,
    /// The issuer-signed ID token behind an OIDC sign-in, kept server-side (the sharer's
    /// agent will verify the helper's token itself); never sent to the page.
    id_token: Option<std::sync::Arc<str>>,
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("user_id", &self.identity.user_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Principal {
    /// The CSRF token of a browser session (sent to the page, echoed in `X-CSRF-Token`).
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// An agent sign-in's device challenge (`None` for browsers).
    pub fn device_challenge(&self) -> Option<&str> {
        self.device_challenge.as_deref()
    }

    /// The raw ID token of an OIDC sign-in (None for local accounts), shared.
    pub fn id_token_shared(&self) -> Option<std::sync::Arc<str>> {
        self.id_token.clone()
    }

    /// The raw ID token of an OIDC sign-in (None for local accounts).
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// Whether `presented` is this session's CSRF token (constant time).
    pub fn csrf_matches(&self, presented: &str) -> bool {
        !self.csrf.is_empty() && bool::from(self.csrf.as_bytes().ct_eq(presented.as_bytes()))
    }
}

struct Entry {
    principal: Principal,
    expires: Instant,
}

/// Issued credentials, in memory, bounded.
pub struct Credentials {
    entries: HashMap<String, Entry>,
    ttl: Duration,
    max: usize,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("live", &self.entries.len())
            .finish()
    }
}

/// A fresh 256-bit secret, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Credentials {
    /// A store whose credentials live `ttl`, at most `max` at once.
    pub fn new(ttl: Duration, max: usize) -> Self {
        Credentials {
            entries: HashMap::new(),
            ttl,
            max,
        }
    }

    /// Issues a credential; returns the secret to hand out. When the store is full the
    /// oldest-expiring credential is dropped (its holder signs in again).
    pub fn issue(&mut self, now: Instant, identity: Identity, kind: CredentialKind) -> String {
        self.issue_with_id_token(now, identity, kind, None)
    }

    /// [`Credentials::issue`] for an OIDC sign-in: the raw ID token stays attached to the
    /// principal.
    pub fn issue_with_id_token(
        &mut self,
        now: Instant,
        identity: Identity,
        kind: CredentialKind,
        id_token: Option<String>,
    ) -> String {
        self.prune(now);
        if self.entries.len() >= self.max
            && let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.expires)
                .map(|(k, _)| k.clone())
        {
            self.entries.remove(&oldest);
        }
        let token = random_token();
        let (csrf, device_challenge) = match kind {
            CredentialKind::Browser => (random_token(), None),
            CredentialKind::Agent => (String::new(), Some(random_token())),
        };
        self.entries.insert(
            token.clone(),
            Entry {
                principal: Principal {
                    identity,
                    kind,
                    csrf,
                    device_challenge,
                    id_token: id_token.map(std::sync::Arc::from),
                },
                expires: now + self.ttl,
            },
        );
        token
    }

    /// The principal a secret stands for, if it is live and of the expected kind.
    pub fn lookup(&self, now: Instant, token: &str, kind: CredentialKind) -> Option<Principal> {
        let e = self.entries.get(token)?;
        (e.expires > now && e.principal.kind == kind).then(|| e.principal.clone())
    }

    /// Ends a credential (sign-out).
    pub fn revoke(&mut self, token: &str) -> bool {
        self.entries.remove(token).is_some()
    }

    /// Drops expired credentials.
    pub fn prune(&mut self, now: Instant) {
        self.entries.retain(|_, e| e.expires > now);
    }

    /// Live credentials.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none are live.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Where sign-ins live: this broker's memory, or the store every broker shares (a sign-in
/// made through the load balancer on one broker is honoured by all, and a sign-out ends it
/// on all at once). The shared store keeps each sign-in under the digest of its secret, never
/// the secret itself.
pub enum SignIns {
    /// One broker.
    Local(std::sync::Mutex<Credentials>),
    /// Many brokers.
    Shared {
        /// The store.
        store: crate::cluster::SharedStore,
        /// How long a sign-in lives.
        ttl: Duration,
    },
}

impl fmt::Debug for SignIns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignIns::Local(_) => f.write_str("SignIns::Local"),
            SignIns::Shared { .. } => f.write_str("SignIns::Shared"),
        }
    }
}

/// A sign-in as the shared store keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredSignIn {
    identity: Identity,
    agent: bool,
    csrf: String,
    device_challenge: Option<String>,
    id_token: Option<String>,
}

/// The shared store's name for a sign-in secret.
fn sign_in_digest(token: &str) -> String {
    use sha2::Digest as _;
    let d = sha2::Sha256::digest(format!("glass-signin-v1:{token}").as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The shared store did not answer: the sign-in could not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreDown;

impl SignIns {
    /// Issues a sign-in; returns its secret and principal.
    pub async fn issue(
        &self,
        identity: Identity,
        kind: CredentialKind,
        id_token: Option<String>,
    ) -> Result<(String, Principal), StoreDown> {
        match self {
            SignIns::Local(creds) => {
                let mut creds = creds.lock().map_err(|_| StoreDown)?;
                let now = Instant::now();
                let token = creds.issue_with_id_token(now, identity, kind, id_token);
                let principal = creds.lookup(now, &token, kind).ok_or(StoreDown)?;
                Ok((token, principal))
            }
            SignIns::Shared { store, ttl } => {
                let token = random_token();
                let (csrf, device_challenge) = match kind {
                    CredentialKind::Browser => (random_token(), None),
                    CredentialKind::Agent => (String::new(), Some(random_token())),
                };
                let stored = StoredSignIn {
                    identity,
                    agent: kind == CredentialKind::Agent,
                    csrf,
                    device_challenge,
                    id_token,
                };
                let bytes = serde_json::to_vec(&stored).map_err(|_| StoreDown)?;
                store
                    .put_sign_in(&sign_in_digest(&token), &bytes, *ttl)
                    .await
                    .map_err(|e| {
                        tracing::warn!("sign-in not kept: {e}");
                        StoreDown
                    })?;
                Ok((token, principal_of(stored)))
            }
        }
    }

    /// The principal a secret stands for, if it is live and of the expected kind (a store
    /// that does not answer counts as not signed in, and is logged).
    pub async fn lookup(&self, token: &str, kind: CredentialKind) -> Option<Principal> {
        match self {
            SignIns::Local(creds) => creds.lock().ok()?.lookup(Instant::now(), token, kind),
            SignIns::Shared { store, .. } => {
                if token.is_empty() || token.len() > 128 {
                    return None;
                }
                let bytes = match store.sign_in(&sign_in_digest(token)).await {
                    Ok(b) => b?,
                    Err(e) => {
                        tracing::warn!("sign-in not looked up: {e}");
                        return None;
                    }
                };
                let stored: StoredSignIn = match serde_json::from_slice(&bytes) {
                    Ok(s) => s,
                    Err(_) => {
                        tracing::warn!("an unreadable sign-in in the shared store was refused");
                        return None;
                    }
                };
                let principal = principal_of(stored);
                (principal.kind == kind).then_some(principal)
            }
        }
    }

    /// Ends a sign-in (sign-out), on every broker.
    pub async fn revoke(&self, token: &str) -> Result<(), StoreDown> {
        match self {
            SignIns::Local(creds) => {
                creds.lock().map_err(|_| StoreDown)?.revoke(token);
                Ok(())
            }
            SignIns::Shared { store, .. } => store
                .drop_sign_in(&sign_in_digest(token))
                .await
                .map_err(|_| StoreDown),
        }
    }
}

fn principal_of(s: StoredSignIn) -> Principal {
    Principal {
        identity: s.identity,
        kind: if s.agent {
            CredentialKind::Agent
        } else {
            CredentialKind::Browser
        },
        csrf: s.csrf,
        device_challenge: s.device_challenge,
        id_token: s.id_token.map(std::sync::Arc::from),
    }
}

/// Failed sign-ins per source address: `max_failures` within `window` refuse that address
/// until the window has passed. Bounded: at `max_tracked` addresses the oldest is forgotten.
#[derive(Debug)]
pub struct SignInLimiter {
    failures: HashMap<IpAddr, (u32, Instant)>,
    max_failures: u32,
    window: Duration,
    max_tracked: usize,
}

impl SignInLimiter {
    /// A limiter.
    pub fn new(max_failures: u32, window: Duration, max_tracked: usize) -> Self {
        SignInLimiter {
            failures: HashMap::new(),
            max_failures,
            window,
            max_tracked,
        }
    }

    /// Whether `ip` may try now.
    pub fn allowed(&self, now: Instant, ip: IpAddr) -> bool {
        match self.failures.get(&ip) {
            Some(&(n, since)) => n < self.max_failures || now >= since + self.window,
            None => true,
        }
    }

    /// Records a failure.
    pub fn failed(&mut self, now: Instant, ip: IpAddr) {
        let window = self.window;
        self.failures.retain(|_, (_, since)| now < *since + window);
        if self.failures.len() >= self.max_tracked
            && !self.failures.contains_key(&ip)
            && let Some(oldest) = self
                .failures
                .iter()
                .min_by_key(|(_, (_, s))| *s)
                .map(|(k, _)| *k)
        {
            self.failures.remove(&oldest);
        }
        let e = self.failures.entry(ip).or_insert((0, now));
        e.0 += 1;
    }

    /// Forgets an address's failures (after a successful sign-in).
    pub fn succeeded(&mut self, ip: IpAddr) {
        self.failures.remove(&ip);
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Profile;

    fn ada() -> Identity {
        Identity::local(
            "local:ada",
            Profile {
                name: "Ada".into(),
                ..Profile::default()
            },
            Vec::new(),
        )
    }

    #[test]
    fn credentials_expire_and_are_kind_bound() {
        let t0 = Instant::now();
        let mut c = Credentials::new(Duration::from_secs(60), 10);
        let browser = c.issue(t0, ada(), CredentialKind::Browser);
        let agent = c.issue(t0, ada(), CredentialKind::Agent);
        let p = c.lookup(t0, &browser, CredentialKind::Browser).unwrap();
        assert!(p.csrf_matches(p.csrf()));
        assert!(!p.csrf_matches("forged"));
        assert!(!p.csrf_matches(""));
        assert!(c.lookup(t0, &browser, CredentialKind::Agent).is_none());
        let a = c.lookup(t0, &agent, CredentialKind::Agent).unwrap();
        assert!(!a.csrf_matches(""), "agents have no CSRF token to match");
        assert!(
            c.lookup(
                t0 + Duration::from_secs(61),
                &browser,
                CredentialKind::Browser
            )
            .is_none()
        );
        assert!(c.revoke(&agent));
        assert!(c.lookup(t0, &agent, CredentialKind::Agent).is_none());
        assert!(
            !format!("{p:?}").contains(p.csrf()),
            "Debug redacts the CSRF token"
        );
    }

    #[test]
    fn credentials_are_bounded() {
        let t0 = Instant::now();
        let mut c = Credentials::new(Duration::from_secs(60), 3);
        let first = c.issue(t0, ada(), CredentialKind::Agent);
        for i in 1..10 {
            c.issue(t0 + Duration::from_millis(i), ada(), CredentialKind::Agent);
        }
        assert_eq!(c.len(), 3);
        assert!(c.lookup(t0, &first, CredentialKind::Agent).is_none());
    }

    #[test]
    fn limiter_locks_out_then_forgives() {
        let t0 = Instant::now();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let mut l = SignInLimiter::new(5, Duration::from_secs(60), 100);
        for _ in 0..5 {
            assert!(l.allowed(t0, ip));
            l.failed(t0, ip);
        }
        assert!(!l.allowed(t0, ip));
        assert!(l.allowed(t0, other));
        assert!(l.allowed(t0 + Duration::from_secs(60), ip));
        l.succeeded(ip);
        assert!(l.allowed(t0, ip));
    }

    #[test]
    fn cookie_parsing() {
        assert_eq!(
            cookie_value("a=1; glass_session=xyz; b=2", COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie_value("glass_sessionx=1", COOKIE), None);
        assert_eq!(cookie_value("", COOKIE), None);
    }
}
