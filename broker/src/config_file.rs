//! The broker's configuration file (`glass broker --config broker.toml`): local accounts on or
//! off, the public URL and the OIDC issuers. Read and checked once at start; every error
//! names the file, the line and the field, and says what is allowed.
//!
//! ```toml
//! local_accounts = false
//! public_url = "https://help.example.com"
//!
//! [[oidc]]
//! id = "entra"
//! name = "Contoso"
//! issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
//! client_id = "6731de76-14a6-49ae-97bc-6eba6914391e"
//! client_secret_file = "/etc/glass/entra.secret"   # or $GLASS_OIDC_ENTRA_CLIENT_SECRET
//! tenant = "contoso"
//! entra_tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
//! verified_domain = "contoso.com"
//!
//! # HTTPS served by the broker (both files PEM; re-read when they change).
//! [tls]
//! cert = "/etc/glass/fullchain.pem"
//! key = "/etc/glass/privkey.pem"
//! reload_check_ms = 2000
//!
//! # Or behind a reverse proxy: whose X-Forwarded-For / -Proto to believe.
//! trusted_proxies = ["10.0.0.0/8", "2001:db8::1"]
//!
//! # Any limit left out keeps its default (docs/security.md).
//! [rate_limits]
//! sign_in_per_ip = { per_minute = 60, burst = 20 }
//! messages_per_link = { per_minute = 3000, burst = 200 }
//! flood_close_after = 100
//! ```
//!
//! Secrets never sit in the file itself: `client_secret_file` names a file holding it, or the
//! environment variable `GLASS_OIDC_<ID>_CLIENT_SECRET` carries it (`<ID>` upper-cased, `-`
//! as `_`). An issuer with neither is a public client (PKCE alone).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::BrokerConfig;
use crate::oidc::{OidcIssuerConfig, Secret};

/// A configuration file that cannot be used: where and why.
#[derive(Debug, thiserror::Error)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (0: the file as a whole).
    pub line: usize,
    /// The field (`oidc[0].issuer`), when one is at fault.
    pub field: Option<String>,
    /// What is wrong and what is allowed.
    pub reason: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    local_accounts: Option<bool>,
    public_url: Option<Spanned<String>>,
    #[serde(default)]
    oidc: Vec<Spanned<Section>>,
    tls: Option<Spanned<TlsSection>>,
    trusted_proxies: Option<Vec<Spanned<String>>>,
    rate_limits: Option<Spanned<crate::limits::RateLimits>>,
    turn: Option<Spanned<TurnSection>>,
    metrics_listen: Option<Spanned<String>>,
    /// Redis shared with the other brokers (`redis://…`); better in `$GLASS_REDIS_URL` when
    /// it carries a password.
    redis_url: Option<Spanned<String>>,
    redis_prefix: Option<Spanned<String>>,
}

/// `[turn]`: relays (coturn with `--use-auth-secret`); the secret from `secret_file` or
/// `$GLASS_TURN_SECRET`, never the file itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TurnSection {
    urls: Vec<String>,
    secret: Option<Spanned<String>>,
    secret_file: Option<Spanned<String>>,
    ttl_s: Option<u64>,
    #[serde(default)]
    relay_only: bool,
}

/// The environment variable holding the TURN secret.
pub const TURN_SECRET_ENV: &str = "GLASS_TURN_SECRET";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsSection {
    cert: PathBuf,
    key: PathBuf,
    reload_check_ms: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    id: Spanned<String>,
    name: Spanned<String>,
    issuer: Spanned<String>,
    client_id: Spanned<String>,
    /// Refused with a hint: secrets do not belong in the file.
    client_secret: Option<Spanned<String>>,
    client_secret_file: Option<Spanned<String>>,
    tenant: Spanned<String>,
    entra_tenant_id: Option<Spanned<String>>,
    verified_domain: Option<Spanned<String>>,
    scopes: Option<Spanned<Vec<String>>>,
}

fn line_of(text: &str, span: &Range<usize>) -> usize {
    text.get(..span.start.min(text.len()))
        .map_or(0, |before| before.matches('\n').count() + 1)
}

/// Reads `path` and applies it to `config` (fields the file does not set keep their
/// values). `env` looks up environment variables (secrets).
pub fn load(
    path: &Path,
    config: &mut BrokerConfig,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(), FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| FileError {
        path: path.to_owned(),
        line: 0,
        field: None,
        reason: e.to_string(),
    })?;
    apply(path, &text, config, env)
}

fn apply(
    path: &Path,
    text: &str,
    config: &mut BrokerConfig,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(), FileError> {
    let err = |span: Option<&Range<usize>>, field: Option<String>, reason: String| FileError {
        path: path.to_owned(),
        line: span.map_or(0, |s| line_of(text, s)),
        field,
        reason,
    };
    let file: File = toml::from_str(text)
        .map_err(|e| err(e.span().as_ref(), None, e.message().trim_end().to_owned()))?;
    if let Some(l) = file.local_accounts {
        config.local_accounts = l;
    }
    if let Some(u) = &file.public_url {
        config.public_url = Some(u.get_ref().clone());
    }
    if let Some(t) = &file.tls {
        let t = t.get_ref();
        config.tls = Some(crate::tls::TlsConfig {
            cert: t.cert.clone(),
            key: t.key.clone(),
        });
        if let Some(ms) = t.reload_check_ms {
            config.tls_poll = std::time::Duration::from_millis(ms);
        }
    }
    if let Some(list) = &file.trusted_proxies {
        config.trusted_proxies = list
            .iter()
            .map(|p| {
                crate::proxy::parse_cidr(p.get_ref())
                    .map_err(|reason| err(Some(&p.span()), Some("trusted_proxies".into()), reason))
            })
            .collect::<Result<_, _>>()?;
    }
    if let Some(r) = &file.rate_limits {
        config.rate_limits = r.get_ref().clone();
    }
    if let Some(m) = &file.metrics_listen {
        config.metrics_listen = Some(m.get_ref().parse().map_err(|_| {
            err(
                Some(&m.span()),
                Some("metrics_listen".into()),
                format!("{:?} is not an address like 127.0.0.1:9464", m.get_ref()),
            )
        })?);
    }
    if let Some(u) = &file.redis_url {
        config.redis = Some(
            crate::cluster::RedisUrl::parse(u.get_ref())
                .map_err(|e| err(Some(&u.span()), Some("redis_url".into()), e.to_string()))?,
        );
    }
    if let Some(p) = &file.redis_prefix {
        let prefix = p.get_ref();
        crate::cluster::StoreConfig::with_prefix(prefix)
            .validate()
            .map_err(|e| err(Some(&p.span()), Some("redis_prefix".into()), e.to_string()))?;
        config.redis_prefix = prefix.clone();
    }
    if let Some(t) = &file.turn {
        let section = t.get_ref();
        if let Some(s) = &section.secret {
            return Err(err(
                Some(&s.span()),
                Some("turn.secret".into()),
                format!(
                    "secrets do not belong in the file: put it in a file named by secret_file, or in ${TURN_SECRET_ENV}"
                ),
            ));
        }
        let secret = match &section.secret_file {
            Some(f) => std::fs::read_to_string(f.get_ref()).map_err(|e| {
                err(
                    Some(&f.span()),
                    Some("turn.secret_file".into()),
                    format!("{}: {e}", f.get_ref()),
                )
            })?,
            None => env(TURN_SECRET_ENV).unwrap_or_default(),
        };
        config.turn = Some(glass_session::turn::TurnConfig {
            urls: section.urls.clone(),
            secret: glass_session::turn::TurnSecret::new(secret),
            ttl: std::time::Duration::from_secs(section.ttl_s.unwrap_or(4 * 3600)),
            relay_only: section.relay_only,
        });
    }
    let mut issuers = Vec::new();
    for (i, section) in file.oidc.iter().enumerate() {
        let s = section.get_ref();
        let field = |name: &str| Some(format!("oidc[{i}].{name}"));
        if let Some(secret) = &s.client_secret {
            return Err(err(
                Some(&secret.span()),
                field("client_secret"),
                format!(
                    "secrets do not belong in the file: put it in a file named by client_secret_file, or in ${}",
                    secret_env(s.id.get_ref())
                ),
            ));
        }
        let client_secret = match &s.client_secret_file {
            Some(f) => {
                let secret = std::fs::read_to_string(f.get_ref()).map_err(|e| {
                    err(
                        Some(&f.span()),
                        field("client_secret_file"),
                        format!("{}: {e}", f.get_ref()),
                    )
                })?;
                let secret = secret.trim().to_owned();
                if secret.is_empty() {
                    return Err(err(
                        Some(&f.span()),
                        field("client_secret_file"),
                        format!("{}: empty", f.get_ref()),
                    ));
                }
                Secret::new(secret)
            }
            None => env(&secret_env(s.id.get_ref()))
                .map(|v| Secret::new(v.trim()))
                .unwrap_or_default(),
        };
        let mut c = OidcIssuerConfig::new(
            s.id.get_ref().clone(),
            s.name.get_ref().clone(),
            s.issuer.get_ref().clone(),
            s.client_id.get_ref().clone(),
            s.tenant.get_ref().clone(),
        );
        c.client_secret = client_secret;
        c.entra_tenant_id = s.entra_tenant_id.as_ref().map(|t| t.get_ref().clone());
        c.verified_domain = s.verified_domain.as_ref().map(|d| d.get_ref().clone());
        if let Some(scopes) = &s.scopes {
            c.scopes = scopes.get_ref().clone();
        }
        if let Err((name, reason)) = c.validate() {
            let span = match name {
                "id" => Some(s.id.span()),
                "name" => Some(s.name.span()),
                "issuer" => Some(s.issuer.span()),
                "client_id" => Some(s.client_id.span()),
                "tenant" => Some(s.tenant.span()),
                "entra_tenant_id" => s.entra_tenant_id.as_ref().map(|t| t.span()),
                "verified_domain" => s.verified_domain.as_ref().map(|t| t.span()),
                "scopes" => s.scopes.as_ref().map(|t| t.span()),
                _ => Some(section.span()),
            };
            return Err(err(span.as_ref(), field(name), reason));
        }
        if issuers.iter().any(|o: &OidcIssuerConfig| o.id == c.id) {
            return Err(err(
                Some(&s.id.span()),
                field("id"),
                format!("{:?}: another [[oidc]] has this id", c.id),
            ));
        }
        issuers.push(c);
    }
    config.oidc = issuers;
    if let Err(e) = config.validate() {
        let span = match e.field {
            "public_url" => file.public_url.as_ref().map(|u| u.span()),
            "tls_poll" => file.tls.as_ref().map(|t| t.span()),
            f if f.starts_with("rate_limits.") => file.rate_limits.as_ref().map(|r| r.span()),
            f if f.starts_with("turn.") => file.turn.as_ref().map(|t| t.span()),
            _ => None,
        };
        return Err(err(span.as_ref(), Some(e.field.to_owned()), e.reason));
    }
    Ok(())
}

/// The environment variable holding issuer `id`'s client secret.
pub fn secret_env(id: &str) -> String {
    format!(
        "GLASS_OIDC_{}_CLIENT_SECRET",
        id.to_ascii_uppercase().replace('-', "_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BrokerConfig, FileError> {
        let mut c = BrokerConfig::default();
        apply(Path::new("broker.toml"), text, &mut c, |name| match name {
            "GLASS_OIDC_ENTRA_CLIENT_SECRET" => Some("s3cret".to_owned()),
            "GLASS_TURN_SECRET" => Some("relay-secret-from-the-env".to_owned()),
            _ => None,
        })
        .map(|()| c)
    }

    const GOOD: &str = r#"
local_accounts = false
public_url = "https://help.example.com"

[[oidc]]
id = "entra"
name = "Contoso"
issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
client_id = "app"
tenant = "contoso"
entra_tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
verified_domain = "contoso.com"

[[oidc]]
id = "keycloak"
name = "Keycloak"
issuer = "https://sso.example.org/realms/staff"
client_id = "glass"
tenant = "example"
scopes = ["profile", "email", "roles"]
"#;

    #[test]
    fn a_good_file() {
        let c = parse(GOOD).unwrap();
        assert!(!c.local_accounts);
        assert_eq!(c.public_url.as_deref(), Some("https://help.example.com"));
        assert_eq!(c.oidc.len(), 2);
        assert_eq!(c.oidc[0].client_secret.expose(), "s3cret");
        assert_eq!(c.oidc[1].client_secret.expose(), "", "public client");
        assert_eq!(c.oidc[1].scopes, ["profile", "email", "roles"]);
        assert!(parse("").unwrap().local_accounts, "default on");
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let bad = GOOD.replace(
            "issuer = \"https://sso.example.org/realms/staff\"",
            "issuer = \"http://sso.example.org/realms/staff\"",
        );
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.starts_with("broker.toml:17: oidc[1].issuer: "), "{e}");
        assert!(e.contains("https://"), "{e}");

        let e = parse(&GOOD.replace("tenant = \"example\"", "tenant = \"example\"\ncolour = 3"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broker.toml:20: "), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");

        let e = parse(&GOOD.replace(
            "client_id = \"glass\"",
            "client_id = \"glass\"\nclient_secret = \"hunter2\"",
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("oidc[1].client_secret"), "{e}");
        assert!(e.contains("GLASS_OIDC_KEYCLOAK_CLIENT_SECRET"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");

        let e = parse(&GOOD.replace("id = \"keycloak\"", "id = \"entra\""))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broker.toml:15: oidc[1].id"), "{e}");

        let e = parse("public_url = \"help.example.com\"")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broker.toml:1: public_url"), "{e}");

        let e = parse("local_accounts = \"no\"").unwrap_err().to_string();
        assert!(e.starts_with("broker.toml:1"), "{e}");
    }

    #[test]
    fn turn_relays_with_the_secret_from_the_environment() {
        let c = parse(
            "[turn]\nurls = [\"turn:relay.example.com:3478?transport=udp\"]\nrelay_only = true\nttl_s = 7200\n",
        )
        .unwrap();
        let t = c.turn.unwrap();
        assert!(t.relay_only);
        assert_eq!(t.ttl, std::time::Duration::from_secs(7200));
        assert_eq!(
            t.secret,
            glass_session::turn::TurnSecret::new("relay-secret-from-the-env")
        );
        let e = parse("[turn]\nurls = [\"turn:x\"]\nsecret = \"in-the-file-0123456789\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("turn.secret") && !e.contains("in-the-file"),
            "{e}"
        );
        let e = parse("[turn]\nurls = [\"http://x\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broker.toml:1: turn.urls"), "{e}");
    }

    #[test]
    fn tls_proxies_and_limits() {
        let c = parse(
            r#"
trusted_proxies = ["10.0.0.0/8", "::1"]

[tls]
cert = "/etc/glass/fullchain.pem"
key = "/etc/glass/privkey.pem"
reload_check_ms = 500

[rate_limits]
sign_in_per_ip = { per_minute = 5, burst = 2 }
flood_close_after = 7
"#,
        )
        .unwrap();
        let tls = c.tls.unwrap();
        assert_eq!(tls.key, Path::new("/etc/glass/privkey.pem"));
        assert_eq!(c.tls_poll, std::time::Duration::from_millis(500));
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.rate_limits.sign_in_per_ip.burst, 2);
        assert_eq!(c.rate_limits.flood_close_after, 7);
        let defaults = crate::limits::RateLimits::default();
        assert_eq!(c.rate_limits.messages_per_user, defaults.messages_per_user);

        let e = parse("trusted_proxies = [\"10.0.0.0/8\", \"proxy.local\"]")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broker.toml:1: trusted_proxies: "), "{e}");
        let e = parse("[tls]\ncert = \"a.pem\"").unwrap_err().to_string();
        assert!(e.contains("missing field `key`"), "{e}");
        let e = parse("[rate_limits]\nredeem_per_user = { per_minute = 0, burst = 1 }")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rate_limits.redeem_per_user"), "{e}");
        let e = parse("[rate_limits]\nredeem_per_usr = { per_minute = 1, burst = 1 }")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `redeem_per_usr`"), "{e}");
    }

    #[test]
    fn the_secret_file_is_read_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("s");
        std::fs::write(&secret, "from-file\n").unwrap();
        let text = GOOD.replace(
            "client_id = \"glass\"",
            &format!(
                "client_id = \"glass\"\nclient_secret_file = {:?}",
                secret.display().to_string()
            ),
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.oidc[1].client_secret.expose(), "from-file");
        assert!(!format!("{c:?}").contains("from-file"));
        assert!(!format!("{c:?}").contains("s3cret"));
        let e = parse(&text.replace(&secret.display().to_string(), "/nonexistent/s"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("oidc[1].client_secret_file"), "{e}");
    }
}
