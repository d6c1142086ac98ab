//! TLS served by the broker itself: rustls on aws-lc-rs (the provider str0m and sqlx already
//! link), a PEM certificate chain and key read at start and re-read when either file
//! changes. A new pair is swapped in for the next handshakes; open connections keep theirs.
//! A pair that does not load (half-written, key and certificate not matching) is refused
//! with a warning and the pair in force stays. Errors name the file, never key material.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::limits::EdgeStats;

/// Where the certificate chain and its key are (PEM files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    /// The certificate chain, leaf first (`fullchain.pem`).
    pub cert: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// The certificate file is missing, unreadable or holds no certificate.
    #[error("TLS certificate {path}: {reason}")]
    Cert {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The key file is missing, unreadable or holds no private key.
    #[error("TLS key {path}: {reason}")]
    Key {
        /// The file.
        path: PathBuf,
        /// What is wrong (never the key).
        reason: String,
    },
    /// Both load but do not make a pair rustls accepts (e.g. the key is another
    /// certificate's).
    #[error("TLS certificate {cert} with key {key}: {reason}")]
    Pair {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// What rustls said.
        reason: String,
    },
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Reads and checks the pair: the rustls server config to serve it with.
pub fn load(config: &TlsConfig) -> Result<Arc<ServerConfig>, TlsError> {
    let cert_err = |reason: String| TlsError::Cert {
        path: config.cert.clone(),
        reason,
    };
    let key_err = |reason: &str| TlsError::Key {
        path: config.key.clone(),
        reason: reason.to_owned(),
    };
    let pem = read(&config.cert).map_err(cert_err)?;
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| cert_err(format!("not PEM: {e}")))?;
    if chain.is_empty() {
        return Err(cert_err("no CERTIFICATE section".into()));
    }
    let pem = read(&config.key).map_err(|e| key_err(&e))?;
    // The PEM parser's messages may quote the file's lines: fixed words only for the key.
    let key = PrivateKeyDer::from_pem_slice(&pem)
        .map_err(|_| key_err("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY section"))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|e| TlsError::Pair {
            cert: config.cert.clone(),
            key: config.key.clone(),
            reason: e.to_string(),
        })?;
    // HTTP/1.1 only: the origin checks read the Host header, which HTTP/2 replaces with
    // :authority, and the WebSocket upgrade is an HTTP/1.1 one. The apps are a handful of
    // files; h2 would buy them little.
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(server))
}

/// What changes when a file is replaced (a rename or a rewrite).
fn stamp(path: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

/// Re-reads the pair every `every` when either file changed, and swaps it into `served`.
pub(crate) async fn watch(
    served: axum_server::tls_rustls::RustlsConfig,
    config: TlsConfig,
    every: Duration,
    stats: Arc<EdgeStats>,
) {
    let stamps = |c: &TlsConfig| (stamp(&c.cert), stamp(&c.key));
    let mut seen = stamps(&config);
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let now = stamps(&config);
        if now == seen {
            continue;
        }
        seen = now;
        let loaded = {
            let config = config.clone();
            tokio::task::spawn_blocking(move || load(&config)).await
        };
        match loaded {
            Ok(Ok(server)) => {
                served.reload_from_config(server);
                EdgeStats::bump(&stats.tls_reloads);
                tracing::info!(cert = %config.cert.display(), "TLS certificate reloaded");
            }
            Ok(Err(e)) => {
                EdgeStats::bump(&stats.tls_reloads_refused);
                tracing::warn!("TLS certificate not reloaded, the one in force stays: {e}");
            }
            Err(e) => tracing::error!("TLS reload task: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(dir: &Path, name: &str) -> TlsConfig {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let config = TlsConfig {
            cert: dir.join(format!("{name}.crt")),
            key: dir.join(format!("{name}.key")),
        };
        std::fs::write(&config.cert, c.cert.pem()).unwrap();
        std::fs::write(&config.key, c.signing_key.serialize_pem()).unwrap();
        config
    }

    /// What a reload costs (reading, parsing and checking the pair), for docs/security.md:
    /// `cargo test -p glass-broker --lib -- --ignored --nocapture tls::tests::cost`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn cost() {
        let dir = tempfile::tempdir().unwrap();
        let a = pair(dir.path(), "a");
        let n = 200u32;
        let t = std::time::Instant::now();
        for _ in 0..n {
            load(&a).unwrap();
        }
        println!("load a P-256 pair: {:?}", t.elapsed() / n);
    }

    #[test]
    fn a_good_pair_loads_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = pair(dir.path(), "a");
        let b = pair(dir.path(), "b");
        let served = load(&a).unwrap();
        assert_eq!(served.alpn_protocols, [b"http/1.1".to_vec()]);

        let missing = TlsConfig {
            cert: dir.path().join("nope.crt"),
            ..a.clone()
        };
        let e = load(&missing).unwrap_err().to_string();
        assert!(
            e.starts_with("TLS certificate ") && e.contains("nope.crt"),
            "{e}"
        );

        let key_as_cert = TlsConfig {
            cert: a.key.clone(),
            ..a.clone()
        };
        let e = load(&key_as_cert).unwrap_err().to_string();
        assert!(e.contains("a.key") && e.contains("no CERTIFICATE"), "{e}");

        let cert_as_key = TlsConfig {
            key: a.cert.clone(),
            ..a.clone()
        };
        let e = load(&cert_as_key).unwrap_err().to_string();
        assert!(e.starts_with("TLS key ") && e.contains("a.crt"), "{e}");

        let crossed = TlsConfig {
            cert: a.cert.clone(),
            key: b.key.clone(),
        };
        let e = load(&crossed).unwrap_err().to_string();
        assert!(e.contains("a.crt") && e.contains("b.key"), "{e}");
        let key_pem = std::fs::read_to_string(&b.key).unwrap();
        let secret_line = key_pem.lines().nth(1).unwrap();
        assert!(!e.contains(secret_line), "no key material in errors");
    }
}
