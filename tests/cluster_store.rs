//! The shared store between brokers (`glass_broker::cluster`): the same conformance tests on
//! the in-memory backend and on a real `redis-server` started here on loopback; then what
//! only Redis can do wrong (bad URLs, a server that is down, a server restarted under a
//! running broker), and the round-trip cost on loopback.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use glass_broker::cluster::{
    Cas, RedisUrl, SharedStore, StoreConfig, StoreError, SubEvent, Subscription, Versioned,
};

// The server's start-up is std only, beside the audit tests' PostgreSQL.
#[path = "../broker/testing/redis.rs"]
pub(crate) mod redis_server;
use redis_server::{REDIS_SERVER, RedisServer};

/// Where the stores under test come from.
enum Backend {
    Memory,
    Redis(String),
}

impl Backend {
    /// `n` brokers sharing one state: clones of one memory store, or `n` connections to the
    /// same Redis under a prefix of the test's own (so tests never see each other's keys).
    async fn cluster(&self, test: &str, n: usize, config: StoreConfig) -> Vec<SharedStore> {
        let config = StoreConfig {
            prefix: format!("t:{test}:"),
            ..config
        };
        match self {
            Backend::Memory => {
                let store = SharedStore::memory_with(&config).unwrap();
                vec![store; n]
            }
            Backend::Redis(url) => {
                let url = RedisUrl::parse(url).unwrap();
                let mut stores = Vec::new();
                for _ in 0..n {
                    stores.push(
                        SharedStore::connect_redis_with(&url, &config)
                            .await
                            .unwrap(),
                    );
                }
                stores
            }
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

const LONG: Duration = Duration::from_secs(60);

/// The next event, or a panic naming what was awaited after 5 s.
async fn next(sub: &mut Subscription, what: &str) -> SubEvent {
    match tokio::time::timeout(Duration::from_secs(5), sub.next()).await {
        Ok(Some(event)) => event,
        Ok(None) => panic!("{what}: subscription ended"),
        Err(_) => panic!("{what}: nothing in 5 s"),
    }
}

/// Nothing arrives for a short while.
async fn quiet(sub: &mut Subscription, what: &str) {
    if let Ok(event) = tokio::time::timeout(Duration::from_millis(150), sub.next()).await {
        panic!("{what}: unexpected {event:?}");
    }
}

fn msg(channel: &str, payload: &[u8]) -> SubEvent {
    SubEvent::Message {
        channel: channel.to_owned(),
        payload: payload.to_vec(),
    }
}

async fn codes_are_taken_once(b: &Backend) {
    let brokers = b.cluster("codes", 2, StoreConfig::default()).await;
    let (one, two) = (&brokers[0], &brokers[1]);
    assert!(one.put_code("c1", b"session-1", LONG).await.unwrap());
    // NX: a code in use is refused, whichever broker asks, and keeps its value.
    assert!(!two.put_code("c1", b"session-2", LONG).await.unwrap());
    // 50 tasks on two brokers race to redeem it: exactly one gets it.
    let mut racers = Vec::new();
    for i in 0..50 {
        let store = brokers[i % 2].clone();
        racers.push(tokio::spawn(async move { store.take_code("c1").await }));
    }
    let mut winners = Vec::new();
    for racer in racers {
        if let Some(value) = racer.await.unwrap().unwrap() {
            winners.push(value);
        }
    }
    assert_eq!(winners, vec![b"session-1".to_vec()]);
    assert_eq!(one.take_code("c1").await.unwrap(), None);
    // Free again once taken; dropped codes are gone.
    assert!(two.put_code("c1", b"session-3", LONG).await.unwrap());
    one.drop_code("c1").await.unwrap();
    assert_eq!(two.take_code("c1").await.unwrap(), None);
    one.drop_code("never-there").await.unwrap();
    // Binary values come back as they were.
    let bytes: Vec<u8> = (0..=255).collect();
    assert!(one.put_code("c2", &bytes, LONG).await.unwrap());
    assert_eq!(two.take_code("c2").await.unwrap(), Some(bytes));
}

async fn codes_expire(b: &Backend) {
    let brokers = b.cluster("expiry", 1, StoreConfig::default()).await;
    let s = &brokers[0];
    assert!(
        s.put_code("c", b"v", Duration::from_millis(150))
            .await
            .unwrap()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.take_code("c").await.unwrap(), None);
    assert!(
        s.put_code("c", b"w", Duration::from_millis(150))
            .await
            .unwrap()
    );
}

async fn sessions_are_compare_and_set(b: &Backend) {
    let brokers = b.cluster("cas", 2, StoreConfig::default()).await;
    let (one, two) = (&brokers[0], &brokers[1]);
    assert_eq!(one.load_session("s").await.unwrap(), None);
    assert_eq!(
        one.store_session("s", None, b"created", LONG)
            .await
            .unwrap(),
        Cas::Stored { version: 1 }
    );
    // Create-only refuses an existing session.
    assert_eq!(
        two.store_session("s", None, b"again", LONG).await.unwrap(),
        Cas::Conflict { current: Some(1) }
    );
    assert_eq!(
        two.load_session("s").await.unwrap(),
        Some(Versioned {
            version: 1,
            bytes: b"created".to_vec()
        })
    );
    // Two brokers apply a transition from version 1 at the same time: one wins.
    let (a, b2) = tokio::join!(
        one.store_session("s", Some(1), b"from one", LONG),
        two.store_session("s", Some(1), b"from two", LONG)
    );
    let mut outcomes = [a.unwrap(), b2.unwrap()];
    outcomes.sort_by_key(|c| matches!(c, Cas::Conflict { .. }));
    assert_eq!(
        outcomes,
        [
            Cas::Stored { version: 2 },
            Cas::Conflict { current: Some(2) }
        ]
    );
    // Many racers from version 2: exactly one, and its snapshot is the one stored.
    let mut racers = Vec::new();
    for i in 0..20u8 {
        let store = brokers[usize::from(i) % 2].clone();
        racers.push(tokio::spawn(async move {
            (i, store.store_session("s", Some(2), &[i], LONG).await)
        }));
    }
    let mut stored = Vec::new();
    for racer in racers {
        let (i, outcome) = racer.await.unwrap();
        match outcome.unwrap() {
            Cas::Stored { version } => stored.push((i, version)),
            Cas::Conflict { current } => assert_eq!(current, Some(3)),
        }
    }
    assert_eq!(stored.len(), 1, "{stored:?}");
    let (winner, version) = stored[0];
    assert_eq!(version, 3);
    assert_eq!(
        one.load_session("s").await.unwrap(),
        Some(Versioned {
            version: 3,
            bytes: vec![winner]
        })
    );
    // Stale and missing versions.
    assert_eq!(
        one.store_session("s", Some(7), b"x", LONG).await.unwrap(),
        Cas::Conflict { current: Some(3) }
    );
    assert_eq!(
        one.store_session("nope", Some(1), b"x", LONG)
            .await
            .unwrap(),
        Cas::Conflict { current: None }
    );
    assert_eq!(one.load_session("nope").await.unwrap(), None);
    // Removal is compare-and-set too.
    assert_eq!(
        two.remove_session("s", 2).await.unwrap(),
        Cas::Conflict { current: Some(3) }
    );
    assert_eq!(
        two.remove_session("s", 3).await.unwrap(),
        Cas::Stored { version: 3 }
    );
    assert_eq!(one.load_session("s").await.unwrap(), None);
    assert_eq!(
        one.remove_session("s", 3).await.unwrap(),
        Cas::Conflict { current: None }
    );
    // Snapshots expire; every store renews the TTL.
    // (Margins of 200 ms or more everywhere: CI machines are loaded.)
    let short = Duration::from_millis(400);
    one.store_session("t", None, b"1", short).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    one.store_session("t", Some(1), b"2", short).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        one.load_session("t").await.unwrap().map(|v| v.version),
        Some(2)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(one.load_session("t").await.unwrap(), None);
}

async fn failures_count_in_a_fixed_window(b: &Backend) {
    let brokers = b.cluster("lockout", 2, StoreConfig::default()).await;
    let (one, two) = (&brokers[0], &brokers[1]);
    let window = Duration::from_millis(600);
    let start = Instant::now();
    assert_eq!(one.count_failure("ip:1", window).await.unwrap(), 1);
    assert_eq!(two.count_failure("ip:1", window).await.unwrap(), 2);
    assert_eq!(one.count_failure("ip:2", window).await.unwrap(), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Later failures do not extend the window.
    assert_eq!(two.count_failure("ip:1", window).await.unwrap(), 3);
    assert_eq!(one.failures("ip:1").await.unwrap(), 3);
    tokio::time::sleep(
        (start + Duration::from_millis(700)).saturating_duration_since(Instant::now()),
    )
    .await;
    assert_eq!(one.failures("ip:1").await.unwrap(), 0);
    assert_eq!(one.count_failure("ip:1", window).await.unwrap(), 1);
    one.clear_failures("ip:1").await.unwrap();
    assert_eq!(two.failures("ip:1").await.unwrap(), 0);
    assert_eq!(two.failures("never").await.unwrap(), 0);
}

async fn presence_lives_while_heartbeats_come(b: &Backend) {
    let brokers = b.cluster("presence", 2, StoreConfig::default()).await;
    let (one, two) = (&brokers[0], &brokers[1]);
    let ttl = Duration::from_millis(400);
    one.heartbeat("b:1", b"10.0.0.1:9000", ttl).await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        one.heartbeat("b:1", b"10.0.0.1:9000", ttl).await.unwrap();
        assert_eq!(
            two.present("b:1").await.unwrap().as_deref(),
            Some(&b"10.0.0.1:9000"[..])
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(two.present("b:1").await.unwrap(), None);
    one.heartbeat("b:2", b"x", LONG).await.unwrap();
    two.absent("b:2").await.unwrap();
    assert_eq!(one.present("b:2").await.unwrap(), None);
}

async fn pubsub_delivers_once_in_order(b: &Backend) {
    let brokers = b.cluster("pubsub", 3, StoreConfig::default()).await;
    let (one, two, three) = (&brokers[0], &brokers[1], &brokers[2]);
    let mut both = one
        .subscribe(&["a".to_owned(), "b".to_owned()])
        .await
        .unwrap();
    let mut only_a = two.subscribe(&["a".to_owned()]).await.unwrap();
    // Publishing to a channel nobody hears is fine.
    three.publish("nobody", b"lost").await.unwrap();
    for i in 0..100u32 {
        three.publish("a", &i.to_be_bytes()).await.unwrap();
        three.publish("b", &i.to_be_bytes()).await.unwrap();
    }
    let mut seen: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for _ in 0..200 {
        let SubEvent::Message { channel, payload } = next(&mut both, "a and b").await else {
            panic!("unexpected resubscription");
        };
        let n = u32::from_be_bytes(payload.try_into().unwrap());
        seen.entry(channel).or_default().push(n);
    }
    let expected: Vec<u32> = (0..100).collect();
    assert_eq!(seen["a"], expected);
    assert_eq!(seen["b"], expected);
    for i in 0..100u32 {
        assert_eq!(
            next(&mut only_a, "a only").await,
            msg("a", &i.to_be_bytes())
        );
    }
    quiet(&mut both, "after 200").await;
    quiet(&mut only_a, "after 100").await;
    // Many at once, in one round trip: in order, each once.
    let many: Vec<(String, Vec<u8>)> = (0..50u32)
        .map(|i| {
            (
                ["a", "b"][i as usize % 2].to_owned(),
                i.to_be_bytes().to_vec(),
            )
        })
        .collect();
    three.publish_many(&many).await.unwrap();
    for (channel, payload) in &many {
        assert_eq!(next(&mut both, "many").await, msg(channel, payload));
    }
    for (_, payload) in many.iter().filter(|(c, _)| c == "a") {
        assert_eq!(next(&mut only_a, "many on a").await, msg("a", payload));
    }
    quiet(&mut both, "after many").await;
    quiet(&mut only_a, "after many on a").await;

    // Channels change while running.
    only_a.add("b").await.unwrap();
    three.publish("b", b"b1").await.unwrap();
    assert_eq!(next(&mut only_a, "added b").await, msg("b", b"b1"));
    assert_eq!(next(&mut both, "b1").await, msg("b", b"b1"));
    only_a.remove("a").await.unwrap();
    three.publish("a", b"a1").await.unwrap();
    three.publish("b", b"b2").await.unwrap();
    assert_eq!(next(&mut only_a, "removed a").await, msg("b", b"b2"));
    quiet(&mut only_a, "removed a").await;
    assert_eq!(next(&mut both, "a1").await, msg("a", b"a1"));
    assert_eq!(next(&mut both, "b2").await, msg("b", b"b2"));
    // Adding twice or removing what is not there changes nothing.
    only_a.add("b").await.unwrap();
    only_a.remove("zzz").await.unwrap();
    three.publish("b", b"b3").await.unwrap();
    assert_eq!(next(&mut only_a, "b3").await, msg("b", b"b3"));
    quiet(&mut only_a, "b3 once").await;
    // A subscription to nothing yet.
    let mut later = two.subscribe(&[]).await.unwrap();
    later.add("c").await.unwrap();
    one.publish("c", b"c1").await.unwrap();
    assert_eq!(next(&mut later, "c1").await, msg("c", b"c1"));
    // Dropped subscriptions are unsubscribed; the others carry on.
    drop(both);
    three.publish("b", b"b4").await.unwrap();
    assert_eq!(next(&mut only_a, "b4").await, msg("b", b"b4"));
}

async fn a_slow_subscriber_loses_messages_and_is_told(b: &Backend) {
    let config = StoreConfig {
        subscription_capacity: 8,
        ..StoreConfig::default()
    };
    let brokers = b.cluster("overflow", 2, config).await;
    let (one, two) = (&brokers[0], &brokers[1]);
    let mut sub = two.subscribe(&["x".to_owned()]).await.unwrap();
    let dropped_before = two.stats().snapshot().dropped;
    for i in 0..20u8 {
        one.publish("x", &[i]).await.unwrap();
    }
    // Let the subscription's task take all 20 off the wire.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..8u8 {
        assert_eq!(next(&mut sub, "queued").await, msg("x", &[i]));
    }
    assert_eq!(next(&mut sub, "overflow").await, SubEvent::Resubscribed);
    assert_eq!(two.stats().snapshot().dropped - dropped_before, 12);
    one.publish("x", b"after").await.unwrap();
    assert_eq!(next(&mut sub, "after").await, msg("x", b"after"));
    quiet(&mut sub, "after").await;
}

/// The conformance suite: the same tests, in order, on one backend.
fn suite(b: &Backend) {
    runtime().block_on(async {
        codes_are_taken_once(b).await;
        codes_expire(b).await;
        sessions_are_compare_and_set(b).await;
        failures_count_in_a_fixed_window(b).await;
        presence_lives_while_heartbeats_come(b).await;
        pubsub_delivers_once_in_order(b).await;
        a_slow_subscriber_loses_messages_and_is_told(b).await;
    });
}

#[test]
fn cluster_store_on_memory() {
    suite(&Backend::Memory);
}

#[test]
fn cluster_store_on_redis() {
    let Some(server) = RedisServer::start().expect("redis-server") else {
        eprintln!("SKIPPED: no {REDIS_SERVER} (apt-get install redis-server)");
        return;
    };
    suite(&Backend::Redis(server.url()));
}

#[test]
fn cluster_store_refuses_bad_urls_and_absent_servers() {
    runtime().block_on(async {
        for url in ["http://x", "redis://:hunter2@h/x", "nonsense"] {
            match SharedStore::connect_redis(url, "glass:").await {
                Err(StoreError::Config { field, detail }) => {
                    assert_eq!(field, "redis_url");
                    assert!(!detail.contains("hunter2"), "{detail}");
                }
                other => panic!("{url}: {other:?}"),
            }
        }
        match SharedStore::connect_redis("redis://127.0.0.1:6379/0", "has space").await {
            Err(StoreError::Config { field, .. }) => assert_eq!(field, "redis_prefix"),
            other => panic!("{other:?}"),
        }
        // Nothing listens on a port just freed: unavailable, within the connect timeout.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = Instant::now();
        let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
        match SharedStore::connect_redis(&url, "glass:").await {
            Err(e @ StoreError::Unavailable { .. }) => {
                let text = e.to_string();
                assert!(!text.contains("hunter2"), "{text}");
                assert!(text.contains(&port.to_string()), "{text}");
            }
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(4));
    });
}

#[test]
fn cluster_store_survives_a_redis_restart() {
    let Some(mut server) = RedisServer::start().expect("redis-server") else {
        eprintln!("SKIPPED: no {REDIS_SERVER} (apt-get install redis-server)");
        return;
    };
    let url = RedisUrl::parse(&server.url()).unwrap();
    let config = StoreConfig {
        command_timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
        // Pings the idle pub/sub connection often, so keepalives run here too.
        keepalive: Duration::from_millis(100),
        ..StoreConfig::with_prefix("restart:")
    };
    runtime().block_on(async {
        let store = SharedStore::connect_redis_with(&url, &config)
            .await
            .unwrap();
        let mut sub = store.subscribe(&["b:1".to_owned()]).await.unwrap();
        store.publish("b:1", b"before").await.unwrap();
        assert_eq!(next(&mut sub, "before").await, msg("b:1", b"before"));

        // Hung (connections open, no answers): commands give up at their timeout; once the
        // server answers again, so do they, on the same connection.
        server.freeze(true);
        let started = Instant::now();
        match store.put_code("h", b"v", LONG).await {
            Err(StoreError::Unavailable { .. }) => {}
            other => panic!("with Redis hung: {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_millis(1500));
        server.freeze(false);
        let started = Instant::now();
        while store.put_code("h2", b"v", LONG).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "no recovery");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Whatever the pub/sub task made of the silence (a missed keepalive means a
        // reconnection and `Resubscribed`), it hears "b:1" again.
        loop {
            store.publish("b:1", b"thawed").await.unwrap();
            match next(&mut sub, "thawed").await {
                SubEvent::Resubscribed => continue,
                event => {
                    assert_eq!(event, msg("b:1", b"thawed"));
                    break;
                }
            }
        }
        while let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_millis(200), sub.next()).await
        {
            assert!(
                matches!(&event, SubEvent::Message { payload, .. } if payload == b"thawed")
                    || event == SubEvent::Resubscribed,
                "{event:?}"
            );
        }

        server.kill();
        // Down: commands fail cleanly within their timeout, never hang.
        for _ in 0..3 {
            let started = Instant::now();
            match store.put_code("c", b"v", LONG).await {
                Err(StoreError::Unavailable { .. }) => {}
                other => panic!("with Redis down: {other:?}"),
            }
            assert!(started.elapsed() < Duration::from_millis(1500));
        }
        // Channels may change while the connection is down.
        sub.add("b:2").await.unwrap();

        server.restart().unwrap();
        // Commands recover: the first may still fail, each within its timeout.
        let started = Instant::now();
        let mut failures = 0;
        loop {
            let attempt = Instant::now();
            match store.put_code("c", b"v", LONG).await {
                Ok(stored) => {
                    assert!(stored);
                    break;
                }
                Err(StoreError::Unavailable { .. }) => failures += 1,
                Err(e) => panic!("after restart: {e:?}"),
            }
            assert!(attempt.elapsed() < Duration::from_millis(1500));
            assert!(started.elapsed() < Duration::from_secs(15), "no recovery");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        eprintln!(
            "commands recovered {} ms after the restart, {failures} failed meanwhile",
            started.elapsed().as_millis()
        );
        assert_eq!(store.take_code("c").await.unwrap(), Some(b"v".to_vec()));
        // The subscription says messages may be lost, then hears both channels again.
        let event = tokio::time::timeout(Duration::from_secs(10), sub.next()).await;
        assert_eq!(event.unwrap(), Some(SubEvent::Resubscribed));
        store.publish("b:1", b"after").await.unwrap();
        store.publish("b:2", b"added while down").await.unwrap();
        assert_eq!(next(&mut sub, "after").await, msg("b:1", b"after"));
        assert_eq!(
            next(&mut sub, "added while down").await,
            msg("b:2", b"added while down")
        );
        let stats = store.stats().snapshot();
        assert!(stats.reconnects >= 1 && stats.errors >= 3, "{stats:?}");
    });
}

/// Round-trip cost on loopback Redis (printed, not asserted: timing is too noisy to gate).
#[test]
fn cluster_store_round_trips_on_loopback() {
    let Some(server) = RedisServer::start().expect("redis-server") else {
        eprintln!("SKIPPED: no {REDIS_SERVER} (apt-get install redis-server)");
        return;
    };
    runtime().block_on(async {
        let store = SharedStore::connect_redis(&server.url(), "timing:")
            .await
            .unwrap();
        let n = 2000u32;
        let snapshot = vec![7u8; 512];
        let per_op = |started: Instant, ops: u32| started.elapsed().as_micros() / u128::from(ops);

        let started = Instant::now();
        for i in 0..n {
            assert!(
                store
                    .put_code(&i.to_string(), b"session", LONG)
                    .await
                    .unwrap()
            );
        }
        let put = per_op(started, n);
        let started = Instant::now();
        for i in 0..n {
            assert!(store.take_code(&i.to_string()).await.unwrap().is_some());
        }
        let take = per_op(started, n);
        store
            .store_session("s", None, &snapshot, LONG)
            .await
            .unwrap();
        let started = Instant::now();
        for v in 1..=u64::from(n) {
            assert_eq!(
                store
                    .store_session("s", Some(v), &snapshot, LONG)
                    .await
                    .unwrap(),
                Cas::Stored { version: v + 1 }
            );
        }
        let cas = per_op(started, n);
        let started = Instant::now();
        for _ in 0..n {
            store.load_session("s").await.unwrap().unwrap();
        }
        let load = per_op(started, n);
        // Concurrency: 16 tasks sharing the one multiplexed connection.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for t in 0..16u32 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..n / 16 {
                    let code = format!("{t}-{i}");
                    store.put_code(&code, b"s", LONG).await.unwrap();
                    store.take_code(&code).await.unwrap().unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let elapsed = started.elapsed().as_secs_f64();
        eprintln!(
            "loopback Redis, one connection, sequential: put_code {put} µs, take_code {take} µs, \
             store_session (512 B, CAS script) {cas} µs, load_session {load} µs; \
             16 tasks put+take: {:.0} codes/s",
            f64::from(n) / elapsed
        );
    });
}

/// The audit outbox on a real Redis: batches kept in order until removed, a removal counted
/// once however many drainers remove it, one drainer at a time, and a batch that is not
/// one (written by someone else) read back as unreadable rather than trusted or fatal.
#[test]
fn the_audit_outbox_keeps_batches_until_written_and_has_one_drainer() {
    use glass_broker::audit::outbox::Outbox;
    use glass_broker::audit::{ActorRef, BrokerEvent};
    let Some(server) = RedisServer::start().expect("redis-server") else {
        eprintln!("SKIPPED: no {REDIS_SERVER} (apt-get install redis-server)");
        return;
    };
    let row = |i: u64| BrokerEvent::SignedOut.entry(i, "local", &ActorRef::broker(), None);
    runtime().block_on(async {
        let stores = Backend::Redis(server.url())
            .cluster("outbox", 2, StoreConfig::default())
            .await;
        let outbox: Vec<Outbox> = stores
            .into_iter()
            .map(|s| match s {
                SharedStore::Redis(r) => Outbox::Redis(r),
                SharedStore::Memory(_) => unreachable!(),
            })
            .collect();
        let a = outbox[0].push(&[row(1), row(2)]).await.unwrap();
        let b = outbox[1].push(&[row(3)]).await.unwrap();
        assert_eq!(outbox[1].backlog().await.unwrap(), 3);
        let read = outbox[1].read(10).await.unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].key, a);
        assert_eq!(read[0].entries.as_ref().unwrap(), &vec![row(1), row(2)]);
        assert_eq!((read[1].key.as_str(), read[1].rows), (b.as_str(), 1));
        assert_ne!(read[0].id, read[1].id);
        assert!(!outbox[0].drained(&a).await.unwrap());
        // Two drainers remove the first batch: subtracted once.
        outbox[0].ack(&read[..1]).await.unwrap();
        outbox[1].ack(&read[..1]).await.unwrap();
        assert!(outbox[0].drained(&a).await.unwrap());
        assert!(!outbox[0].drained(&b).await.unwrap());
        assert_eq!(outbox[0].backlog().await.unwrap(), 1);
        // One drainer at a time; the holder keeps its lease.
        assert!(outbox[0].lead("broker-a").await.unwrap());
        assert!(!outbox[1].lead("broker-b").await.unwrap());
        assert!(outbox[0].lead("broker-a").await.unwrap());
        // A stopping broker gives the lease up (only its own): the other drains at once.
        outbox[1].release("broker-b").await.unwrap();
        assert!(!outbox[1].lead("broker-b").await.unwrap());
        outbox[0].release("broker-a").await.unwrap();
        assert!(outbox[1].lead("broker-b").await.unwrap());
        // Something that is not a batch, written by hand.
        let port = server.url().rsplit(':').next().unwrap().to_owned();
        let out = std::process::Command::new("redis-cli")
            .args([
                "-p",
                &port,
                "XADD",
                "t:outbox:audit:outbox",
                "*",
                "n",
                "2",
                "r",
                "{nope",
            ])
            .output()
            .expect("redis-cli runs");
        assert!(out.status.success());
        let read = outbox[0].read(10).await.unwrap();
        assert_eq!(read.len(), 2);
        assert!(read[1].entries.is_err(), "{:?}", read[1]);
        outbox[0].ack(&read).await.unwrap();
        assert!(outbox[0].read(10).await.unwrap().is_empty());
    });
}
