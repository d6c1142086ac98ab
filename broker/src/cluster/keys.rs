//! Key and channel names in Redis, all under the configured prefix (e.g. `glass:`), so that an
//! operator can find them with `SCAN MATCH glass:*` and tenants and tests can share a server.
//!
//! | what | name |
//! |---|---|
//! | code | `{prefix}code:{digest}` (string, `PX` = the code's lifetime) |
//! | failure counter | `{prefix}fail:{key}` (integer, `PX` = the window) |
//! | session snapshot | `{prefix}session:{id}` (hash: `v` version, `s` snapshot) |
//! | presence | `{prefix}presence:{key}` (string, `PX` = the heartbeat's lifetime) |
//! | sign-in | `{prefix}signin:{digest}` (string, `PX` = the sign-in's lifetime) |
//! | audit outbox | `{prefix}audit:outbox` (stream: `n` rows, `r` the batch as JSON) |
//! | audit outbox backlog | `{prefix}audit:outbox:rows` (integer: rows not yet in the trail) |
//! | audit drainer lease | `{prefix}audit:drainer` (string: the broker, `PX` = the lease) |
//! | pub/sub channel | `{prefix}{channel}` (channels live apart from keys in Redis) |

/// The key of code `digest`.
pub fn code(prefix: &str, digest: &str) -> String {
    format!("{prefix}code:{digest}")
}

/// The key of failure counter `key`.
pub fn failures(prefix: &str, key: &str) -> String {
    format!("{prefix}fail:{key}")
}

/// The key of session `id`'s snapshot.
pub fn session(prefix: &str, id: &str) -> String {
    format!("{prefix}session:{id}")
}

/// The key of presence `key`.
pub fn presence(prefix: &str, key: &str) -> String {
    format!("{prefix}presence:{key}")
}

/// The key of the sign-in whose secret has digest `digest`.
pub fn sign_in(prefix: &str, digest: &str) -> String {
    format!("{prefix}signin:{digest}")
}

/// The audit outbox stream.
pub fn outbox(prefix: &str) -> String {
    format!("{prefix}audit:outbox")
}

/// The count of rows in the audit outbox.
pub fn outbox_rows(prefix: &str) -> String {
    format!("{prefix}audit:outbox:rows")
}

/// The lease of the broker that moves the outbox into the trail.
pub fn outbox_drainer(prefix: &str) -> String {
    format!("{prefix}audit:drainer")
}

/// The Redis channel for `channel`.
pub fn channel(prefix: &str, channel: &str) -> String {
    format!("{prefix}{channel}")
}

/// The caller's channel name for a Redis channel; `None` if it is not under `prefix`.
pub fn unprefixed_channel<'a>(prefix: &str, redis_channel: &'a str) -> Option<&'a str> {
    redis_channel.strip_prefix(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_prefixed_and_apart() {
        assert_eq!(code("glass:", "ab12"), "glass:code:ab12");
        assert_eq!(failures("glass:", "ip:10.0.0.1"), "glass:fail:ip:10.0.0.1");
        assert_eq!(session("t1:", "s9"), "t1:session:s9");
        assert_eq!(presence("glass:", "b:7"), "glass:presence:b:7");
        let ch = channel("glass:", "b:7");
        assert_eq!(ch, "glass:b:7");
        assert_eq!(unprefixed_channel("glass:", &ch), Some("b:7"));
        assert_eq!(unprefixed_channel("other:", &ch), None);
        // The same caller key in different namespaces never collides.
        let all = [
            code("p:", "x"),
            failures("p:", "x"),
            session("p:", "x"),
            presence("p:", "x"),
            sign_in("p:", "x"),
            outbox("p:"),
            outbox_rows("p:"),
            outbox_drainer("p:"),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
