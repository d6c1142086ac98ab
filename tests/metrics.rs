//! `GET /metrics` (Prometheus text) on its own address: the counters of a real session, and
//! nothing of it on the public port.

use std::time::Duration;

use glass_broker::BrokerConfig;
use glass_protocol::{ClientMessage, ServerMessage};

use crate::help_harness::{TestBroker, login, web_session_allowed};

fn sample(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} not in {text}"))
        .parse()
        .unwrap()
}

#[test]
fn a_sessions_counters_are_on_the_metrics_port_only() {
    let broker = TestBroker::start(BrokerConfig {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let metrics = format!("http://{}/metrics", broker.metrics.unwrap());
    broker.rt.block_on(async {
        let t = Duration::from_secs(5);
        let (mut helper, sharer) = web_session_allowed(
            &base,
            &login(&base, "ada").await,
            &login(&base, "sam").await,
        )
        .await;
        sharer.send(ClientMessage::Leave).await;
        helper
            .until(t, |m| {
                matches!(
                    m,
                    ServerMessage::PeerLeft { .. } | ServerMessage::Ended { .. }
                )
            })
            .await;
        let response = reqwest::get(&metrics).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let text = response.text().await.unwrap();
        assert_eq!(sample(&text, "glass_codes_issued_total"), 1);
        assert_eq!(sample(&text, "glass_consents_requested_total"), 1);
        assert_eq!(sample(&text, "glass_consents_allowed_total"), 1);
        assert_eq!(sample(&text, "glass_sessions_ended_total"), 1);
        assert_eq!(sample(&text, "glass_links"), 2);
        // The public port does not serve them.
        let public = reqwest::get(format!("{base}/metrics")).await.unwrap();
        assert_eq!(public.status(), 404);
    });
}
