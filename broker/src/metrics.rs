//! `GET /metrics` in the Prometheus text format (version 0.0.4), on its own listener
//! (`BrokerConfig::metrics_listen`, e.g. `127.0.0.1:9464`) so the counters never reach the
//! public port.
//!
//! The counters already live in the hub's [`HubStats`], the audit writer's [`AuditStats`]
//! and the OIDC failure map; rendering them is a few lines, so no metrics registry mirrors
//! them (a registry crate would keep a second copy of every counter and need each one
//! registered and updated twice).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::audit::AuditStats;
use crate::hub::HubStats;

/// The metrics page for one snapshot.
pub fn render(
    hub: &HubStats,
    audit: &AuditStats,
    sign_in_failures: &BTreeMap<&'static str, u64>,
) -> String {
    let mut out = String::with_capacity(4096);
    let mut gauge = |name: &str, help: &str, v: u64| {
        let _ = writeln!(
            out,
            "# HELP glass_{name} {help}\n# TYPE glass_{name} gauge\nglass_{name} {v}"
        );
    };
    gauge("links", "Open WebSocket links.", hub.links as u64);
    gauge("sessions", "Live help sessions.", hub.sessions as u64);
    gauge(
        "audit_rows_queued",
        "Audit rows waiting to be written (alert when it grows: the database is behind or down).",
        audit.queued,
    );
    gauge(
        "audit_outbox_rows",
        "Audit rows durable in the outbox (Redis or the spool), not yet in the trail.",
        audit.backlog,
    );
    gauge(
        "audit_unacknowledged_rows",
        "Audit rows recorded whose decisions wait for them to be durable.",
        audit.accepted.saturating_sub(audit.durable),
    );
    gauge(
        "audit_outage",
        "1 while the audit database cannot be reached (rows are held, not lost).",
        audit.outage,
    );
    let counters: [(&str, &str, u64); 38] = [
        (
            "peer_late_total",
            "Messages from other brokers that arrived after their session or link ended here.",
            hub.peer_late,
        ),
        (
            "sessions_refused_unauditable_total",
            "New sessions refused because the audit trail had no room (its database away).",
            hub.audit_refused,
        ),
        (
            "sessions_resumed_total",
            "Sessions carried on here after their helper resumed on this broker.",
            hub.sessions_resumed,
        ),
        (
            "resumes_refused_total",
            "Resumes refused (unknown or ended session, a token not the user's).",
            hub.resumes_refused,
        ),
        (
            "sessions_moved_total",
            "Sessions let go to another broker that carries them on.",
            hub.sessions_moved,
        ),
        (
            "remote_joins_total",
            "Sharers here joined to a session on another broker.",
            hub.remote_joins,
        ),
        (
            "peer_messages_total",
            "Messages from other brokers handled.",
            hub.peer_messages,
        ),
        (
            "peer_refused_total",
            "Messages from other brokers refused.",
            hub.peer_refused,
        ),
        (
            "store_failures_total",
            "Requests the shared store (Redis) could not serve.",
            hub.store_failures,
        ),
        (
            "peers_lost_total",
            "Sessions ended because the other side's broker went away.",
            hub.peers_lost,
        ),
        (
            "codes_issued_total",
            "Session codes issued.",
            hub.codes_issued,
        ),
        (
            "redeem_refused_total",
            "Code redemptions refused.",
            hub.redeem_refused,
        ),
        (
            "consents_requested_total",
            "Levels asked of sharers.",
            hub.consents_requested,
        ),
        (
            "consents_allowed_total",
            "Requests sharers allowed.",
            hub.consents_allowed,
        ),
        (
            "consents_declined_total",
            "Requests declined or refused.",
            hub.consents_declined,
        ),
        (
            "consents_timed_out_total",
            "Requests nobody answered in time.",
            hub.consents_timed_out,
        ),
        (
            "sessions_ended_total",
            "Sessions ended.",
            hub.sessions_ended,
        ),
        (
            "chat_messages_total",
            "Chat messages relayed.",
            hub.chat_messages,
        ),
        (
            "turn_credentials_total",
            "TURN credentials handed out.",
            hub.turn_credentials,
        ),
        (
            "messages_total",
            "WebSocket messages handled.",
            hub.messages,
        ),
        ("malformed_total", "Unreadable messages.", hub.malformed),
        (
            "not_allowed_total",
            "Messages refused in their state.",
            hub.not_allowed,
        ),
        (
            "links_refused_total",
            "Links refused at a limit.",
            hub.links_refused,
        ),
        ("links_lost_total", "Links gone silent.", hub.links_lost),
        (
            "slow_links_total",
            "Links closed for not reading.",
            hub.slow_links,
        ),
        (
            "policy_refused_total",
            "Steps the policy refused.",
            hub.policy_refused,
        ),
        (
            "policy_limited_total",
            "Sessions a policy change limited or ended.",
            hub.policy_limited,
        ),
        (
            "policy_reloads_total",
            "Policy reloads.",
            hub.policy_reloads,
        ),
        (
            "device_proofs_verified_total",
            "Device proofs verified.",
            hub.device_proofs_verified,
        ),
        (
            "device_proofs_refused_total",
            "Device proofs refused.",
            hub.device_proofs_refused,
        ),
        (
            "sign_ins_rate_limited_total",
            "Sign-ins over a rate limit.",
            hub.sign_ins_rate_limited,
        ),
        (
            "redeems_rate_limited_total",
            "Redemptions over a rate limit.",
            hub.redeems_rate_limited,
        ),
        (
            "messages_rate_limited_total",
            "WebSocket messages over a rate limit.",
            hub.messages_rate_limited,
        ),
        (
            "links_closed_flooding_total",
            "Links closed for flooding.",
            hub.links_closed_flooding,
        ),
        (
            "audit_rows_written_total",
            "Audit rows committed.",
            audit.written,
        ),
        (
            "audit_rows_dropped_total",
            "Audit rows refused at a full queue.",
            audit.dropped,
        ),
        (
            "audit_rows_failed_total",
            "Audit rows given up after retries.",
            audit.failed,
        ),
        (
            "audit_write_retries_total",
            "Audit batch writes that failed and were retried.",
            audit.retries,
        ),
    ];
    for (name, help, v) in counters {
        let _ = writeln!(
            out,
            "# HELP glass_{name} {help}\n# TYPE glass_{name} counter\nglass_{name} {v}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP glass_oidc_sign_in_failures_total OIDC sign-ins refused, by reason.\n# TYPE glass_oidc_sign_in_failures_total counter"
    );
    for (reason, v) in sign_in_failures {
        let _ = writeln!(
            out,
            "glass_oidc_sign_in_failures_total{{reason=\"{reason}\"}} {v}"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_has_its_type_and_the_values_are_the_counters() {
        let hub = HubStats {
            sessions: 3,
            consents_allowed: 7,
            turn_credentials: 2,
            ..HubStats::default()
        };
        let audit = AuditStats {
            written: 11,
            retries: 5,
            queued: 40,
            ..AuditStats::default()
        };
        let failures = BTreeMap::from([("wrong_tenant", 4)]);
        let text = render(&hub, &audit, &failures);
        assert!(text.contains("\nglass_sessions 3\n"));
        assert!(text.contains("\nglass_consents_allowed_total 7\n"));
        assert!(text.contains("\nglass_turn_credentials_total 2\n"));
        assert!(text.contains("\nglass_audit_rows_written_total 11\n"));
        assert!(text.contains("\nglass_audit_write_retries_total 5\n"));
        assert!(text.contains("\nglass_audit_rows_queued 40\n"));
        assert!(text.contains("\nglass_audit_outage 0\n"));
        assert!(text.contains("glass_oidc_sign_in_failures_total{reason=\"wrong_tenant\"} 4\n"));
        // Exposition format: every sample's metric has a TYPE line before it.
        let mut typed = std::collections::HashSet::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                typed.insert(rest.split(' ').next().unwrap().to_owned());
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap();
                assert!(typed.contains(name), "{name} has no TYPE line");
                let value = line.rsplit(' ').next().unwrap();
                assert!(value.parse::<u64>().is_ok(), "{line}");
            }
        }
    }
}
