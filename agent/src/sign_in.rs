//! Sign-in with an OIDC issuer through the system browser (RFC 8252, loopback redirect).
//!
//! The agent listens on `127.0.0.1:<free port>`, opens the broker's start route in the
//! browser with that loopback address, a fresh `state` and the challenge
//! `BASE64URL(SHA-256(verifier))`. The broker runs the authorization-code flow with the
//! issuer and, when it has verified the ID token, redirects the browser to the loopback with
//! a one-time code (60 s, single use). The agent checks `state`, then trades the code and
//! the verifier at `POST /api/token/oidc` for its bearer token. The code alone is useless to
//! whoever sees it (the browser's history, another local process): the verifier never left
//! this process.

use std::time::Duration;

use base64::Engine as _;
use glass_protocol::TokenResponse;
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::help::HelpError;

fn random_b64(bytes: usize) -> Result<String, HelpError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| HelpError::Broker(format!("randomness: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// `BASE64URL(SHA-256(verifier))` (RFC 7636 S256).
pub fn challenge_of(verifier: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match bytes[i] {
            b'%' => bytes
                .get(i + 1)
                .and_then(|h| hex(*h))
                .zip(bytes.get(i + 2).and_then(|l| hex(*l)))
                .map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (decoded, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the browser brought back to the loopback.
enum Redirect {
    Code(String),
    Refused,
}

/// Reads one request from the browser; answers it; `None` for requests that are not the
/// redirect (a favicon).
async fn one_request(stream: &mut tokio::net::TcpStream, state: &str) -> Option<Redirect> {
    let mut buf = vec![0u8; 8192];
    let mut n = 0;
    // The request line and headers; a browser sends them at once, a stranger gets 5 s.
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        while n < buf.len() {
            let m = stream.read(&mut buf[n..]).await.ok()?;
            if m == 0 {
                break;
            }
            n += m;
            if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        Some(())
    })
    .await;
    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
    let target = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("GET "))
        .and_then(|l| l.split(' ').next())
        .unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let ours = read.is_ok()
        && path == "/callback"
        && query_value(query, "state")
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(state.as_bytes())));
    let (status, body, outcome) = if !ours {
        ("404 Not Found", "Not found.", None)
    } else if let Some(code) = query_value(query, "code").filter(|c| !c.is_empty()) {
        (
            "200 OK",
            "Signed in to Glass. You can close this tab and go back to the terminal.",
            Some(Redirect::Code(code)),
        )
    } else {
        (
            "200 OK",
            "Sign-in did not succeed. Go back to the terminal and try again.",
            Some(Redirect::Refused),
        )
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    outcome
}

/// Signs in with `issuer` (its id at the broker) through the system browser: `open` is
/// given the address to open (print it too, for headless use). Waits at most `timeout` for
/// the browser to come back, then trades the one-time code for the agent's bearer token.
pub async fn sign_in(
    broker: &str,
    issuer: &str,
    timeout: Duration,
    open: impl FnOnce(&str),
) -> Result<TokenResponse, HelpError> {
    let broker = broker.trim_end_matches('/');
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| HelpError::Broker(format!("loopback listener: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| HelpError::Broker(format!("loopback listener: {e}")))?
        .port();
    let state = random_b64(32)?;
    let verifier = random_b64(32)?;
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let issuer_id: String = issuer
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let url = format!(
        "{broker}/auth/oidc/{issuer_id}/start?agent_redirect={}&agent_state={state}&agent_challenge={}",
        redirect.replace(':', "%3A").replace('/', "%2F"),
        challenge_of(&verifier)
    );
    open(&url);
    let code = tokio::time::timeout(timeout, async {
        loop {
            let Ok((mut stream, peer)) = listener.accept().await else {
                continue;
            };
            if !peer.ip().is_loopback() {
                continue;
            }
            match one_request(&mut stream, &state).await {
                Some(Redirect::Code(code)) => return Ok(code),
                Some(Redirect::Refused) => {
                    return Err(HelpError::SignIn("the sign-in did not succeed".to_owned()));
                }
                None => continue,
            }
        }
    })
    .await
    .map_err(|_| HelpError::SignIn("no sign-in within the time allowed".to_owned()))??;
    let (status, text) = crate::help::post_json(
        &format!("{broker}/api/token/oidc"),
        serde_json::json!({ "code": code, "verifier": verifier }).to_string(),
    )
    .await?;
    if !status.is_success() {
        return Err(HelpError::SignIn(
            "the broker refused the sign-in code".to_owned(),
        ));
    }
    glass_protocol::decode_body(&text).map_err(|e| HelpError::Broker(format!("token: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc_7636() {
        // RFC 7636 appendix B.
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(
            query_value("code=a%2Fb+c&state=s", "code").as_deref(),
            Some("a/b c")
        );
        assert_eq!(query_value("code=%zz%", "code").as_deref(), Some("%zz%"));
        assert_eq!(query_value("x=1", "code"), None);
    }
}
