//! Sign-in with a real OIDC issuer: `oauth2-mock-server` (tests/browser/oidc-issuer.mjs) in
//! front of a real broker on loopback, driven over HTTP like a browser that keeps cookies
//! (the mock's `/authorize` redirects at once, no login page).
//!
//! Needs Node.js and `tests/browser/node_modules` (`npm ci --prefix tests/browser`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use glass_broker::BrokerConfig;
use glass_broker::oidc::OidcIssuerConfig;
use glass_identity::CacheConfig;
use serde_json::{Value, json};

use crate::browser::browser_dir;
use crate::help_harness::{PASSWORD, TestBroker};

const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/// The mock issuer, stopped on drop.
pub(crate) struct Issuer {
    child: Child,
    pub(crate) url: String,
    control: String,
}

impl Issuer {
    pub(crate) fn start() -> Issuer {
        let mut child = Command::new("node")
            .arg("oidc-issuer.mjs")
            .current_dir(browser_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node tests/browser/oidc-issuer.mjs (npm ci --prefix tests/browser)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        Issuer {
            child,
            url: v["issuer"].as_str().unwrap().to_owned(),
            control: format!("http://127.0.0.1:{}", v["control"]),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}{path}", self.control))
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub(crate) async fn claims(&self, claims: Value) {
        self.post("/claims", claims).await;
    }
}

impl Drop for Issuer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn ada_claims() -> Value {
    json!({
        "tid": TENANT_ID,
        "oid": "00000000-0000-0000-66f3-3332eca7ea81",
        "name": "Ada Lovelace",
        "jobTitle": "Support engineer",
        "companyName": "Contoso",
        "groups": ["helpdesk", "staff"],
        "amr": ["pwd", "mfa"],
        "email": "ada@contoso.com",
    })
}

pub(crate) fn config(issuer: &str, local_accounts: bool) -> BrokerConfig {
    let mut c = OidcIssuerConfig::new("mock", "Contoso ID", issuer, "glass-web", "contoso");
    c.entra_tenant_id = Some(TENANT_ID.into());
    c.verified_domain = Some("contoso.com".into());
    c.cache = CacheConfig {
        // The test rotates keys seconds after start.
        unknown_kid_interval: Duration::ZERO,
        ..CacheConfig::default()
    };
    BrokerConfig {
        oidc: vec![c],
        local_accounts,
        ..BrokerConfig::default()
    }
}

/// A browser: follows nothing by itself, keeps cookies per host:port.
pub(crate) struct Browser {
    http: reqwest::Client,
    cookies: HashMap<String, HashMap<String, String>>,
}

pub(crate) struct Hop {
    pub(crate) status: u16,
    pub(crate) location: String,
    set_cookies: Vec<String>,
}

impl Browser {
    pub(crate) fn new() -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    fn origin(url: &str) -> String {
        url.split('/').take(3).collect::<Vec<_>>().join("/")
    }

    pub(crate) async fn get(&mut self, url: &str) -> Hop {
        let origin = Self::origin(url);
        let jar = self.cookies.entry(origin).or_default();
        let mut request = self.http.get(url);
        if !jar.is_empty() {
            let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header("cookie", header.join("; "));
        }
        let response = request.send().await.unwrap();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in &set_cookies {
            let (kv, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                jar.remove(k);
            } else {
                jar.insert(k.to_owned(), v.to_owned());
            }
        }
        Hop {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            set_cookies,
        }
    }

    fn forget(&mut self, origin: &str, name: &str) {
        if let Some(jar) = self.cookies.get_mut(origin) {
            jar.remove(name);
        }
    }

    pub(crate) fn cookie(&self, origin: &str, name: &str) -> Option<&String> {
        self.cookies.get(origin)?.get(name)
    }

    /// Start → issuer → the callback URL the issuer sends the browser to (not followed).
    pub(crate) async fn follow_to_callback(&mut self, broker: &str, start: &str) -> String {
        let hop = self.get(&format!("{broker}{start}")).await;
        assert_eq!(hop.status, 303, "start redirects to the issuer");
        assert!(!hop.location.starts_with('/'), "{}", hop.location);
        assert!(hop.location.contains("code_challenge="), "PKCE");
        assert!(hop.location.contains("code_challenge_method=S256"));
        assert!(hop.location.contains("nonce="), "nonce");
        let flow_cookie = hop
            .set_cookies
            .iter()
            .find(|c| c.starts_with("glass_oidc="))
            .expect("binding cookie");
        assert!(flow_cookie.contains("HttpOnly") && flow_cookie.contains("SameSite=Lax"));
        let hop = self.get(&hop.location).await;
        assert_eq!(hop.status, 302, "the mock's /authorize redirects at once");
        assert!(
            hop.location
                .starts_with(&format!("{broker}/auth/oidc/callback?"))
        );
        hop.location
    }

    /// The whole sign-in; returns where the broker sent the browser at the end.
    async fn sign_in(&mut self, broker: &str, app: &str) -> String {
        let callback = self
            .follow_to_callback(broker, &format!("/auth/oidc/mock/start?app={app}"))
            .await;
        let hop = self.get(&callback).await;
        assert_eq!(hop.status, 303);
        hop.location
    }

    pub(crate) async fn me(&mut self, broker: &str) -> (u16, Value) {
        let jar = self.cookies.entry(broker.to_owned()).or_default();
        let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let r = self
            .http
            .get(format!("{broker}/api/me"))
            .header("cookie", header.join("; "))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// Waits until the broker has discovered the issuer (its start route redirects there).
pub(crate) async fn wait_discovered(broker: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    loop {
        let r = http
            .get(format!("{broker}/auth/oidc/mock/start"))
            .send()
            .await
            .unwrap();
        let location = r.headers().get("location").unwrap().to_str().unwrap();
        if !location.starts_with('/') {
            return;
        }
        assert!(Instant::now() < deadline, "issuer not discovered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) fn setup(local_accounts: bool) -> (Issuer, TestBroker) {
    let issuer = Issuer::start();
    let broker = TestBroker::start(config(&issuer.url, local_accounts));
    (issuer, broker)
}

#[test]
fn signed_in_user_sees_the_card_from_the_claims_with_vouched_marks() {
    let (issuer, broker) = setup(true);
    let base = broker.url();
    broker.rt.block_on(async {
        wait_discovered(&base).await;
        issuer.claims(ada_claims()).await;
        let providers: Value = reqwest::get(format!("{base}/api/auth/providers"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            providers,
            json!({"local": true, "providers": [{"id": "mock", "name": "Contoso ID"}]})
        );
        let mut browser = Browser::new();
        let callback = browser
            .follow_to_callback(&base, "/auth/oidc/mock/start?app=sharer")
            .await;
        let hop = browser.get(&callback).await;
        assert_eq!((hop.status, hop.location.as_str()), (303, "/share"));
        let session = hop
            .set_cookies
            .iter()
            .find(|c| c.starts_with("glass_session="))
            .expect("the broker's own session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));
        assert!(
            hop.set_cookies.iter().all(|c| !c.contains("eyJ")),
            "no token in any cookie"
        );
        let (status, me) = browser.me(&base).await;
        assert_eq!(status, 200);
        assert_eq!(
            me["card"],
            json!({
                "name": "Ada Lovelace", "title": "Support engineer", "company": "Contoso",
                "picture": null, "domain": "contoso.com", "domain_verified": true,
                "vouched": {"name": true, "title": true, "company": true, "picture": false,
                            "domain": false},
            }),
            "e-mail not verified: the configured domain, vouched by the administrator"
        );
        assert!(
            !me.to_string().contains("eyJ"),
            "no token reaches page scripts"
        );
        // The sign-in is in the trail, as a password sign-in would be.
        assert!(broker.audit.flush().await);
        let mut signed_in = Vec::new();
        broker
            .audit
            .store
            .walk(|_, rows| {
                signed_in.extend(
                    rows.iter()
                        .filter(|r| r.entry.name == "signed_in")
                        .map(|r| (r.entry.actor_name.clone(), r.entry.detail.clone())),
                );
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(
            signed_in,
            [(
                "Ada Lovelace".to_owned(),
                r#"{"client":"web","method":"oidc"}"#.to_owned()
            )]
        );
        // A verified e-mail: its domain, vouched by the issuer.
        let mut claims = ada_claims();
        claims["email"] = "ada@lovelace.example".into();
        claims["email_verified"] = true.into();
        issuer.claims(claims).await;
        let mut browser = Browser::new();
        assert_eq!(browser.sign_in(&base, "helper").await, "/");
        let (_, me) = browser.me(&base).await;
        assert_eq!(me["card"]["domain"], "lovelace.example");
        assert_eq!(me["card"]["vouched"]["domain"], true);
        assert_eq!(refusals(&broker), Vec::<String>::new());
    });
}

/// Refused sign-ins besides the "not discovered yet" of `wait_discovered`.
fn refusals(broker: &TestBroker) -> Vec<String> {
    broker
        .stats
        .sign_in_failures()
        .into_iter()
        .filter(|(k, _)| *k != "issuer_unavailable")
        .map(|(k, n)| format!("{k}: {n}"))
        .collect()
}

#[test]
fn tampered_state_missing_cookie_and_replayed_code_are_refused() {
    let (issuer, broker) = setup(true);
    let base = broker.url();
    broker.rt.block_on(async {
        wait_discovered(&base).await;
        issuer.claims(ada_claims()).await;
        let start = "/auth/oidc/mock/start?app=helper";

        // Missing binding cookie (another browser finishing this one's sign-in).
        let mut browser = Browser::new();
        let callback = browser.follow_to_callback(&base, start).await;
        browser.forget(&base, "glass_oidc");
        let hop = browser.get(&callback).await;
        assert_eq!(hop.location, "/?sign_in=failed");
        assert!(browser.cookie(&base, "glass_session").is_none());

        // Another browser's binding cookie.
        let mut browser = Browser::new();
        let callback = browser.follow_to_callback(&base, start).await;
        browser
            .cookies
            .get_mut(&base)
            .unwrap()
            .insert("glass_oidc".into(), "A".repeat(43));
        let hop = browser.get(&callback).await;
        assert_eq!(hop.location, "/?sign_in=failed");

        // Tampered state.
        let mut browser = Browser::new();
        let callback = browser.follow_to_callback(&base, start).await;
        let tampered = callback.replace("state=", "state=x");
        let hop = browser.get(&tampered).await;
        assert_eq!(hop.location, "/?sign_in=failed");
        assert!(browser.cookie(&base, "glass_session").is_none());

        // Replayed callback (same code and state) after a good sign-in.
        let mut browser = Browser::new();
        let callback = browser.follow_to_callback(&base, start).await;
        let hop = browser.get(&callback).await;
        assert_eq!(hop.location, "/");
        browser.forget(&base, "glass_session");
        let hop = browser.get(&callback).await;
        assert_eq!(hop.location, "/?sign_in=failed");
        assert!(browser.cookie(&base, "glass_session").is_none());
        assert_eq!(browser.me(&base).await.0, 401);

        // Unknown issuer, junk agent redirect: the same answer.
        let mut browser = Browser::new();
        let hop = browser.get(&format!("{base}/auth/oidc/nope/start")).await;
        assert_eq!(hop.location, "/?sign_in=failed");
        let hop = browser
            .get(&format!(
                "{base}/auth/oidc/mock/start?agent_redirect=https://evil.example/&agent_state=aaaaaaaaaaaaaaaaaaaa&agent_challenge={}",
                "c".repeat(43)
            ))
            .await;
        assert_eq!(hop.location, "/?sign_in=failed", "never to a non-loopback URI");

        let failures = broker.stats.sign_in_failures();
        assert_eq!(failures.get("cookie"), Some(&2), "{failures:?}");
        assert_eq!(failures.get("state"), Some(&2), "{failures:?}");
        assert_eq!(failures.get("unknown_issuer"), Some(&1), "{failures:?}");
        assert_eq!(failures.get("bad_start"), Some(&1), "{failures:?}");
    });
}

#[test]
fn a_token_for_another_tenant_is_refused() {
    let (issuer, broker) = setup(true);
    let base = broker.url();
    broker.rt.block_on(async {
        wait_discovered(&base).await;
        let mut claims = ada_claims();
        claims["tid"] = "0b9b6e0d-0000-4000-8000-000000000000".into();
        issuer.claims(claims).await;
        let mut browser = Browser::new();
        assert_eq!(
            browser.sign_in(&base, "sharer").await,
            "/share?sign_in=failed"
        );
        assert_eq!(browser.me(&base).await.0, 401);
        assert_eq!(
            broker.stats.sign_in_failures().get("wrong_tenant"),
            Some(&1)
        );
    });
}

#[test]
fn sign_in_survives_the_issuer_rotating_its_key() {
    let (issuer, broker) = setup(true);
    let base = broker.url();
    broker.rt.block_on(async {
        wait_discovered(&base).await;
        issuer.claims(ada_claims()).await;
        let mut browser = Browser::new();
        assert_eq!(browser.sign_in(&base, "helper").await, "/");
        let rotated = issuer.post("/rotate", json!({})).await;
        assert!(rotated["kid"].is_string());
        // The next token names a kid the broker has not seen: it refreshes and accepts.
        let mut browser = Browser::new();
        assert_eq!(browser.sign_in(&base, "helper").await, "/");
        let (status, me) = browser.me(&base).await;
        assert_eq!(status, 200);
        assert_eq!(me["card"]["name"], "Ada Lovelace");
        assert_eq!(refusals(&broker), Vec::<String>::new());
    });
}

#[test]
fn local_sign_in_is_refused_when_turned_off() {
    let (_issuer, broker) = setup(false);
    let base = broker.url();
    broker.rt.block_on(async {
        let http = reqwest::Client::new();
        let providers: Value = http
            .get(format!("{base}/api/auth/providers"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(providers["local"], false);
        for path in ["/api/login", "/api/token"] {
            let r = http
                .post(format!("{base}{path}"))
                .header("content-type", "application/json")
                .body(format!(r#"{{"username":"ada","password":"{PASSWORD}"}}"#))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401, "{path}: as for wrong credentials");
        }
    });
}

#[test]
fn local_accounts_work_while_the_issuer_is_down() {
    // An issuer nobody answers for: discovery keeps retrying, local sign-in works.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let broker = TestBroker::start(config(&format!("http://localhost:{port}"), true));
    let base = broker.url();
    broker.rt.block_on(async {
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{base}/api/login"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"username":"ada","password":"{PASSWORD}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let mut browser = Browser::new();
        let hop = browser
            .get(&format!("{base}/auth/oidc/mock/start?app=helper"))
            .await;
        assert_eq!(hop.location, "/?sign_in=failed");
        assert_eq!(
            broker.stats.sign_in_failures().get("issuer_unavailable"),
            Some(&1)
        );
    });
}

#[test]
fn the_agent_signs_in_through_the_browser_with_a_loopback_redirect() {
    let (issuer, broker) = setup(true);
    let base = broker.url();
    broker.rt.block_on(async {
        wait_discovered(&base).await;
        issuer.claims(ada_claims()).await;
        let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
        let broker_url = base.clone();
        let agent = tokio::spawn(async move {
            glass::agent::sign_in::sign_in(&broker_url, "mock", Duration::from_secs(30), |url| {
                let _ = url_tx.send(url.to_owned());
            })
            .await
        });
        // The system browser: the address the agent opened.
        let start = url_rx.await.unwrap();
        assert!(
            start.starts_with(&format!(
                "{base}/auth/oidc/mock/start?agent_redirect=http%3A%2F%2F127.0.0.1%3A"
            )),
            "{start}"
        );
        let mut browser = Browser::new();
        let hop = browser.get(&start).await;
        assert_eq!(hop.status, 303);
        let hop = browser.get(&hop.location).await;
        let hop = browser.get(&hop.location).await;
        assert_eq!(hop.status, 303);
        assert!(
            hop.location.starts_with("http://127.0.0.1:"),
            "back to the agent's loopback: {}",
            hop.location
        );
        assert!(
            !hop.location.contains("eyJ"),
            "a one-time code, not a token"
        );
        let code = hop
            .location
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("code="))
            .unwrap()
            .to_owned();
        let page = browser.get(&hop.location).await;
        assert_eq!(page.status, 200, "the agent's loopback page");
        let token = agent.await.unwrap().expect("signed in");
        assert_eq!(token.card.name, "Ada Lovelace");
        assert!(token.card.vouched.name && token.card.vouched.title);
        assert!(
            browser.cookie(&base, "glass_session").is_none(),
            "no browser session"
        );
        // The code was single use, and useless without the agent's verifier anyway.
        let r = reqwest::Client::new()
            .post(format!("{base}/api/token/oidc"))
            .body(json!({"code": code, "verifier": "v".repeat(43)}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        // The token opens the agent's WebSocket.
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                format!("ws://{}/api/ws", broker.addr),
            )
            .unwrap();
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", token.token).parse().unwrap(),
        );
        let (_ws, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(response.status(), 101);
    });
}

/// Several brokers behind a load balancer: the issuer's redirect back may reach another
/// broker than the one the sign-in started on. The flow is in Redis, so it finishes there,
/// once; the sign-in it makes is honoured by both.
#[test]
fn a_sign_in_started_on_one_broker_finishes_on_another() {
    let redis = crate::cluster_store::redis_server::RedisServer::start()
        .expect("redis-server starts")
        .expect("redis-server is installed (scripts/setup.sh)");
    let issuer = Issuer::start();
    // One public address for both, as behind the balancer.
    let public = "http://glass.test";
    let broker = || {
        TestBroker::start(BrokerConfig {
            redis: Some(glass_broker::cluster::RedisUrl::parse(&redis.url()).unwrap()),
            public_url: Some(public.into()),
            ..config(&issuer.url, false)
        })
    };
    let (a, b) = (broker(), broker());
    let (a_url, b_url) = (a.url(), b.url());
    b.rt.block_on(async {
        wait_discovered(&a_url).await;
        wait_discovered(&b_url).await;
        issuer.claims(ada_claims()).await;
        let mut browser = Browser::new();
        let hop = browser
            .get(&format!("{a_url}/auth/oidc/mock/start?app=helper"))
            .await;
        assert_eq!(hop.status, 303);
        let hop = browser.get(&hop.location).await;
        assert_eq!(hop.status, 302);
        assert!(
            hop.location
                .starts_with(&format!("{public}/auth/oidc/callback?"))
        );
        // The balancer sends the browser (and its cookies, one origin) to broker B.
        let jar = browser.cookies.get(&a_url).cloned().unwrap_or_default();
        browser.cookies.insert(b_url.clone(), jar);
        let callback = hop.location.replace(public, &b_url);
        let done = browser.get(&callback).await;
        assert_eq!((done.status, done.location.as_str()), (303, "/"));
        let (status, me) = browser.me(&b_url).await;
        assert_eq!(status, 200);
        assert_eq!(me["card"]["name"], "Ada Lovelace");
        // Signed in on both.
        let jar = browser.cookies.get(&b_url).cloned().unwrap_or_default();
        browser.cookies.insert(a_url.clone(), jar);
        assert_eq!(browser.me(&a_url).await.0, 200);
        // The flow was single use everywhere: replayed on A, refused.
        browser.forget(&a_url, "glass_session");
        let replay = browser.get(&callback.replace(&b_url, &a_url)).await;
        assert_eq!(replay.location, "/?sign_in=failed");
    });
    assert_eq!(a.stats.sign_in_failures().get("state"), Some(&1));
}
