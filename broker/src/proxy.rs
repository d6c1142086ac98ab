//! Who is asking: the client's address and whether it came over TLS, behind trusted reverse
//! proxies or not. One pure function, [`client`], decides both for every request; rate
//! limits, the audit trail and the policy's network rules all use its answer.
//!
//! The socket peer is the client, unless the peer is a trusted proxy: then the client is the
//! right-most address in `X-Forwarded-For` that is not itself a trusted proxy (every hop
//! appends the address it saw, so only the entries added by our own proxies can be believed;
//! anything to their left was written by the client). Without `X-Forwarded-For`, the
//! `for=` parameters of `Forwarded` (RFC 7239) are read the same way. A proxy that sets
//! only `Forwarded` must drop an incoming `X-Forwarded-For`. Headers from a peer that is not
//! trusted are ignored.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client behind a request, as the broker acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The address limits, audit rows and network rules key on.
    pub ip: IpAddr,
    /// Whether the client reached us over TLS: our own listener, or a trusted proxy that says
    /// `X-Forwarded-Proto: https` (or `Forwarded: proto=https`). Cookies get `Secure` and
    /// responses HSTS.
    pub https: bool,
}

/// Parses a trusted-proxy entry: a CIDR (`10.0.0.0/8`, `2001:db8::/32`) or one address.
pub fn parse_cidr(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{s:?} is not a CIDR like 10.0.0.0/8 or an address"))
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    let ip = ip.to_canonical();
    proxies.iter().any(|net| net.contains(&ip))
}

/// One `for=` / X-Forwarded-For entry: `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80`.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']')?.0.parse::<IpAddr>().ok();
    }
    // IPv4 with a port.
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The values of every `name` header line, in order, split at commas.
fn list<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// `param` (`for`, `proto`) of each element of the `Forwarded` header, in order.
fn forwarded_params<'a>(headers: &'a HeaderMap, param: &str) -> Vec<&'a str> {
    list(headers, "forwarded")
        .into_iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case(param).then_some(v.trim())
            })
        })
        .collect()
}

/// The address requests from `peer` are accounted to (see the module docs).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted(peer, proxies) {
        return peer;
    }
    let mut hops = list(headers, "x-forwarded-for");
    if hops.is_empty() {
        hops = forwarded_params(headers, "for");
    }
    let mut client = peer;
    for hop in hops.iter().rev() {
        match parse_node(hop) {
            Some(ip) => {
                client = ip;
                if !trusted(ip, proxies) {
                    break;
                }
            }
            // A hop our own proxy could not name (`unknown`, an obfuscated id): the last
            // address we can vouch for stands.
            None => break,
        }
    }
    client
}

/// Whether the request reached the broker over TLS (see [`Client::https`]).
pub fn client(peer: IpAddr, tls: bool, headers: &HeaderMap, proxies: &[IpNet]) -> Client {
    let ip = client_ip(peer, headers, proxies);
    let https = tls || {
        trusted(peer, proxies) && {
            let mut protos = list(headers, "x-forwarded-proto");
            if protos.is_empty() {
                protos = forwarded_params(headers, "proto");
            }
            // The value our proxy (the last hop) wrote.
            protos
                .last()
                .is_some_and(|p| p.trim_matches('"').eq_ignore_ascii_case("https"))
        }
    };
    Client { ip, https }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| parse_cidr(s).unwrap()).collect()
    }

    #[test]
    fn a_spoofed_header_from_an_untrusted_peer_is_ignored() {
        let proxies = nets(&["10.0.0.0/8"]);
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-proto", "https"),
            ("forwarded", "for=198.51.100.8;proto=https"),
        ]);
        let c = client(ip("203.0.113.9"), false, &h, &proxies);
        assert_eq!(c.ip, ip("203.0.113.9"));
        assert!(!c.https, "only a trusted proxy says https");
        assert_eq!(client_ip(ip("203.0.113.9"), &h, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_hop_of_a_chain() {
        let proxies = nets(&["10.0.0.0/8", "192.0.2.10"]);
        // client → CDN (192.0.2.10, trusted) → load balancer (10.1.1.1) → broker; the client
        // put a forged entry first.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.5, 192.0.2.10")]);
        assert_eq!(client_ip(ip("10.1.1.1"), &h, &proxies), ip("203.0.113.5"));
        // Split over two header lines: same answer.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.5, 192.0.2.10"),
        ]);
        assert_eq!(client_ip(ip("10.1.1.1"), &h, &proxies), ip("203.0.113.5"));
        // Every hop trusted: the left-most.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 192.0.2.10")]);
        assert_eq!(client_ip(ip("10.1.1.1"), &h, &proxies), ip("10.9.9.9"));
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(
            client_ip(ip("10.1.1.1"), &HeaderMap::new(), &proxies),
            ip("10.1.1.1")
        );
        // Garbage our proxy passed on: the last address it vouched for.
        let h = headers(&[("x-forwarded-for", "203.0.113.5, unknown")]);
        assert_eq!(client_ip(ip("10.1.1.1"), &h, &proxies), ip("10.1.1.1"));
    }

    #[test]
    fn forwarded_and_ipv6() {
        let proxies = nets(&["::1/128", "127.0.0.1"]);
        let h = headers(&[(
            "forwarded",
            "for=198.51.100.1;proto=http, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        let c = client(ip("::1"), false, &h, &proxies);
        assert_eq!(c.ip, ip("2001:db8:cafe::17"));
        assert!(c.https);
        // An IPv4-mapped peer counts as its IPv4 address.
        let h = headers(&[("x-forwarded-for", "198.51.100.2:5555")]);
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &h, &proxies),
            ip("198.51.100.2")
        );
    }

    #[test]
    fn https_from_our_listener_or_a_trusted_proxy() {
        let proxies = nets(&["10.0.0.0/8"]);
        assert!(client(ip("203.0.113.9"), true, &HeaderMap::new(), &proxies).https);
        let h = headers(&[("x-forwarded-proto", "https")]);
        assert!(client(ip("10.0.0.2"), false, &h, &proxies).https);
        let h = headers(&[("x-forwarded-proto", "https, http")]);
        assert!(!client(ip("10.0.0.2"), false, &h, &proxies).https);
    }

    #[test]
    fn cidr_parsing() {
        assert_eq!(parse_cidr("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse_cidr("192.0.2.1").unwrap().to_string(), "192.0.2.1/32");
        assert_eq!(parse_cidr("::1").unwrap().to_string(), "::1/128");
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("proxy.local").is_err());
    }
}
