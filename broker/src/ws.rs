//! One WebSocket per client: authenticates the upgrade, then moves frames between the socket
//! and the hub. A link silent for `link_timeout` (clients ping every 500 ms) is taken as
//! gone, so the other side of its session knows within 2 s. Every message passes the link's
//! and the user's rate limits first; a refused one is dropped, the client is told once
//! (`rate_limited`), and a link that keeps flooding is closed (`limits::FloodGuard`).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::AppState;
use crate::error::ApiError;
use crate::http::{agent_principal, browser_principal, origin_allowed};
use crate::hub::{LinkEnd, LinkId, Outgoing};
use crate::limits::{EdgeStats, Flood, Limiters};
use crate::proxy::Client;

/// Frames larger than this are cut off by the WebSocket layer itself; the protocol's own
/// limit (64 KiB, answered with `too_large`) is checked by the decoder below it.
const MAX_WS_MESSAGE: usize = 256 * 1024;

/// The socket's read buffer. tungstenite's default (128 KiB, zero-filled, so all resident)
/// was 94 % of a link's memory: 137 KB per idle session, measured with
/// `cargo bench -p glass-broker --bench load`; protocol frames are mostly under 1 KiB and a
/// larger one is read in several passes.
const READ_BUFFER: usize = 4 * 1024;

/// Messages held for a client while their audit rows become durable, at most; then the
/// link's queue (bounded too) holds the rest, and a hub that finds it full drops the link.
const MAX_HELD: usize = 64;

/// Unsent bytes held for a client at most before the link counts as broken (backpressure).
const MAX_WRITE_BUFFER: usize = 1024 * 1024;

pub(crate) async fn upgrade(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        // Stopping: clients go to (and resume on) another broker.
        return Err(ApiError::Busy);
    }
    let principal = match agent_principal(&state, &headers).await {
        Some(p) => p,
        None => {
            // Browsers: the cookie rides along with any page's request, so the page must be
            // ours (cross-site WebSocket hijacking).
            if !origin_allowed(&state, &client, &headers) {
                return Err(ApiError::Forbidden("origin"));
            }
            browser_principal(&state, &headers)
                .await
                .ok_or(ApiError::Unauthorized)?
                .1
        }
    };
    let (id, outgoing) = state
        .hub
        .lock()
        .map_err(|_| ApiError::Internal("hub lock".into()))?
        .open_link_with(
            Instant::now(),
            principal.identity.clone(),
            client.ip,
            principal.device_challenge().map(str::to_owned),
            principal.id_token_shared(),
        )
        .map_err(|_| ApiError::Busy)?;
    let link = LinkCtx {
        hub: state.hub.clone(),
        id,
        user: principal.identity.user_id.clone(),
        limits: state.limits.clone(),
        edge: state.edge.clone(),
        timeout: state.config.link_timeout,
        audit: state.audit.sink.clone(),
    };
    Ok(ws
        .max_message_size(MAX_WS_MESSAGE)
        .max_frame_size(MAX_WS_MESSAGE)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .on_upgrade(move |socket| run(socket, link, outgoing)))
}

/// What a link's task needs besides its socket.
struct LinkCtx {
    hub: Arc<std::sync::Mutex<crate::hub::Hub>>,
    id: LinkId,
    user: String,
    limits: Arc<Limiters>,
    edge: Arc<EdgeStats>,
    timeout: std::time::Duration,
    audit: crate::audit::AuditSink,
}

async fn run(socket: WebSocket, link: LinkCtx, mut outgoing: mpsc::Receiver<Outgoing>) {
    let LinkCtx {
        hub,
        id,
        user,
        limits,
        edge,
        timeout,
        audit,
    } = link;
    // Messages whose audit rows are not durable yet wait here, in order (reading goes on);
    // a pong (ticket 0) passes them.
    let mut held: VecDeque<(String, u64)> = VecDeque::new();
    let bucket = limits.link();
    let mut guard = limits.flood_guard();
    let (mut sink, mut stream) = socket.split();
    let with_hub = |f: &mut dyn FnMut(&mut crate::hub::Hub)| {
        if let Ok(mut h) = hub.lock() {
            f(&mut h);
        }
    };
    let end = loop {
        tokio::select! {
            frame = tokio::time::timeout(timeout, stream.next()) => match frame {
                Err(_) => break LinkEnd::Lost,
                Ok(None) | Ok(Some(Err(_))) => break LinkEnd::Closed,
                Ok(Some(Ok(Message::Close(_)))) => break LinkEnd::Closed,
                // Every other frame passes the limits first, control frames included: axum
                // answers pings itself, so a ping flood costs our upload until it is closed.
                Ok(Some(Ok(message))) => {
                    if limits.message(&bucket, &user).is_err() {
                        match guard.refused(Instant::now()) {
                            Flood::Tell => with_hub(&mut |h| h.rate_limited(id)),
                            Flood::Drop => {}
                            Flood::Close => {
                                EdgeStats::bump(&edge.links_closed_flooding);
                                tracing::info!(user = %user, "link closed for flooding");
                                break LinkEnd::Kicked;
                            }
                        }
                        continue;
                    }
                    match message {
                        Message::Text(text) => {
                            with_hub(&mut |h| h.handle_text(Instant::now(), id, text.as_str()))
                        }
                        Message::Binary(_) => with_hub(&mut |h| h.handle_binary(id)),
                        // Control frames keep the link alive.
                        _ => {}
                    }
                }
            },
            out = outgoing.recv(), if held.len() < MAX_HELD => match out {
                Some(Outgoing::Text(text, after))
                    if after == 0 || (held.is_empty() && audit.is_durable(after)) =>
                {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break LinkEnd::Closed;
                    }
                }
                Some(Outgoing::Text(text, after)) => held.push_back((text, after)),
                Some(Outgoing::Close) | None => break LinkEnd::Kicked,
            },
            () = audit.durable(held.front().map_or(0, |h| h.1)), if !held.is_empty() => {
                let mut failed = false;
                while let Some((text, _)) = held.pop_front_if(|(_, after)| audit.is_durable(*after)) {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        failed = true;
                        break;
                    }
                }
                if failed {
                    break LinkEnd::Closed;
                }
            }
        }
    };
    with_hub(&mut |h| h.close_link(Instant::now(), id, end));
    // Flush what the hub queued for this link (an `error` explaining a kick), then close;
    // what the trail has not made durable within a second is not sent.
    let mut rest = held;
    while let Ok(Outgoing::Text(text, after)) = outgoing.try_recv() {
        rest.push_back((text, after));
    }
    for (text, after) in rest {
        let durable = tokio::time::timeout(Duration::from_secs(1), audit.durable(after)).await;
        if durable.is_err() || sink.send(Message::Text(text.into())).await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}
