//! Local ICE candidates: where each address we advertise comes from, in one place.
//!
//! A candidate is an address a viewer may send to, plus the base: the bound socket the
//! traffic really arrives on and leaves from. Host candidates are the sockets themselves (and
//! a configured public alias of one); server-reflexive ones are what a STUN server saw (the
//! driver asks [`crate::TransportConfig::stun_servers`]); relayed ones are TURN allocations
//! ([`crate::TransportConfig::turn`], [`crate::turn`]): their base is the socket the TURN
//! server is reached from, and the driver wraps what str0m sends from them.

use std::fmt;
use std::net::SocketAddr;

/// Where a [`LocalCandidate`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CandidateSource {
    /// A bound socket's address, or the configured public alias of one
    /// ([`crate::TransportConfig::public_ip`]).
    Host,
    /// Our address as a STUN server saw it (the NAT's mapping of the base).
    ServerReflexive {
        /// The STUN server that reported it.
        server: SocketAddr,
    },
    /// An address allocated on a TURN server ([`crate::turn::TurnRelay`]), which wraps what
    /// str0m sends from this candidate.
    Relayed {
        /// The TURN server holding the allocation.
        server: SocketAddr,
    },
}

/// One address we advertise to viewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalCandidate {
    /// Where it comes from.
    pub source: CandidateSource,
    /// What the viewer sends to.
    pub addr: SocketAddr,
    /// The local socket address behind it (for a host candidate, the socket's own address,
    /// or the socket behind a public alias).
    pub base: SocketAddr,
}

impl LocalCandidate {
    /// A host candidate reached on `addr` and received on the socket bound to `base` (the same
    /// address, unless `addr` is a 1:1 NAT's public alias of it).
    pub const fn host(addr: SocketAddr, base: SocketAddr) -> LocalCandidate {
        LocalCandidate {
            source: CandidateSource::Host,
            addr,
            base,
        }
    }

    /// `addr` is how `server` saw the socket bound to `base`.
    pub fn server_reflexive(
        addr: SocketAddr,
        base: SocketAddr,
        server: SocketAddr,
    ) -> LocalCandidate {
        LocalCandidate {
            source: CandidateSource::ServerReflexive { server },
            addr,
            base,
        }
    }

    /// The short name used in SDP (`typ host`, `typ srflx`, `typ relay`).
    pub fn kind(&self) -> &'static str {
        match self.source {
            CandidateSource::Host => "host",
            CandidateSource::ServerReflexive { .. } => "srflx",
            CandidateSource::Relayed { .. } => "relay",
        }
    }

    /// The str0m candidate (UDP). An address str0m refuses (unspecified, multicast, broadcast,
    /// IPv4 link-local) is an error.
    pub(crate) fn to_str0m(self) -> Result<str0m::Candidate, str0m::error::IceError> {
        match self.source {
            // A host candidate's base is itself for str0m: the address it advertises is the
            // one datagrams arrive on (the driver reports the alias as the destination).
            CandidateSource::Host => str0m::Candidate::host(self.addr, "udp"),
            CandidateSource::ServerReflexive { .. } => {
                str0m::Candidate::server_reflexive(self.addr, self.base, "udp")
            }
            CandidateSource::Relayed { .. } => {
                str0m::Candidate::relayed(self.addr, self.base, "udp")
            }
        }
    }
}

impl fmt::Display for LocalCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind(), self.addr)?;
        if self.addr != self.base {
            write!(f, " (base {})", self.base)?;
        }
        match self.source {
            CandidateSource::Host => Ok(()),
            CandidateSource::ServerReflexive { server } | CandidateSource::Relayed { server } => {
                write!(f, " via {server}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_maps_to_its_sdp_type() {
        let base: SocketAddr = "192.168.1.5:5000".parse().unwrap();
        let public: SocketAddr = "203.0.113.7:41000".parse().unwrap();
        let server: SocketAddr = "198.51.100.1:3478".parse().unwrap();
        let relayed = LocalCandidate {
            source: CandidateSource::Relayed { server },
            addr: public,
            base,
        };
        for (c, typ) in [
            (LocalCandidate::host(base, base), "typ host"),
            (
                LocalCandidate::server_reflexive(public, base, server),
                "typ srflx",
            ),
            (relayed, "typ relay"),
        ] {
            let sdp = c.to_str0m().unwrap().to_sdp_string();
            assert!(sdp.contains(typ), "{sdp}");
            assert!(sdp.contains(&format!(" {} {} ", c.addr.ip(), c.addr.port())));
            assert_eq!(c.kind(), &typ[4..]);
        }
        let srflx = LocalCandidate::server_reflexive(public, base, server);
        assert_eq!(
            srflx.to_string(),
            "srflx 203.0.113.7:41000 (base 192.168.1.5:5000) via 198.51.100.1:3478"
        );
        assert!(
            LocalCandidate::host("0.0.0.0:1".parse().unwrap(), base)
                .to_str0m()
                .is_err()
        );
    }
}
