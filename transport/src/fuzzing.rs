//! Entry points for the fuzz targets in `fuzz/` (one-liners there). Not a stable API.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use crate::control::ControlMessage;
use crate::peer::{Peer, PeerConfig};

/// A viewer's SDP offer, as WHEP receives it: must give an answer or an error, never panic.
pub fn sdp_offer(data: &[u8]) {
    let Ok(sdp) = std::str::from_utf8(data) else {
        return;
    };
    let now = Instant::now();
    let local = [SocketAddr::from((Ipv4Addr::LOCALHOST, 5000))];
    let _ = Peer::accept_offer(now, sdp, &local, PeerConfig::default());
}

/// One message on the control channel.
pub fn control_message(data: &[u8]) {
    if let Ok(m) = ControlMessage::decode(data) {
        // Whatever decodes must re-encode to something that decodes to the same message.
        let again = ControlMessage::decode(&m.encode()).ok();
        assert!(
            again.is_some(),
            "re-encoded control message does not decode"
        );
    }
}
