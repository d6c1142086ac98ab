//! `glass broker` and `glass share --broker`: the help-session commands.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use glass_broker::accounts::{self, Account, LocalAccounts, Profile};
use glass_broker::{Broker, BrokerConfig};

#[derive(clap::Args)]
pub struct BrokerArgs {
    #[command(subcommand)]
    action: Option<BrokerAction>,
    /// HTTP address to serve the web apps, sign-in and the WebSocket on.
    #[arg(long, default_value = "0.0.0.0:8443")]
    listen: std::net::SocketAddr,
    /// Local accounts file (JSON; `glass broker users add` writes it).
    #[arg(long, default_value = "glass-accounts.json", env = "GLASS_ACCOUNTS")]
    accounts: PathBuf,
    /// Seed a demo helper and a demo sharer (in memory, fresh passwords) and print how to
    /// sign in. No accounts file needed.
    #[arg(long)]
    demo: bool,
    /// Minutes a session code stays valid.
    #[arg(long, default_value_t = 10)]
    code_minutes: u64,
    /// Turn chat off.
    #[arg(long)]
    no_chat: bool,
    /// Mark cookies Secure (serve behind a TLS-terminating proxy that is not a
    /// --trusted-proxy; with --tls-cert or from a trusted proxy saying https they are anyway).
    #[arg(long)]
    secure_cookies: bool,
    /// Serve HTTPS with this PEM certificate chain (needs --tls-key); re-read when it changes.
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        env = "GLASS_TLS_CERT"
    )]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_cert",
        env = "GLASS_TLS_KEY"
    )]
    tls_key: Option<PathBuf>,
    /// A reverse proxy (CIDR or address, repeatable) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; headers from anyone else are ignored.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = glass_broker::proxy::parse_cidr)]
    trusted_proxies: Vec<glass_broker::ipnet::IpNet>,
    /// Another origin allowed to use the broker (repeatable): https://help.example.com.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allowed_origins: Vec<String>,
    /// Policy file (TOML: tenants, roles, assignments, rules; docs/policy.md). Re-read on
    /// SIGHUP; a file with an error is reported and the policy in force kept. Without it,
    /// everyone may help everyone in their own tenant.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Enrolled devices (`glass devices` writes it); watched for changes while running.
    #[arg(long, value_name = "FILE", env = "GLASS_DEVICES")]
    devices: Option<PathBuf>,
    /// The audit trail's database: sqlite://PATH?mode=rwc or postgres://USER@HOST:PORT/DB
    /// (default: glass-audit.db next to the accounts file; in memory with --demo).
    #[arg(long, env = "GLASS_AUDIT_DB", hide_env_values = true)]
    audit_db: Option<String>,
    /// Days audit rows are kept.
    #[arg(long, default_value_t = 30)]
    audit_retention_days: u64,
    /// A local file where audit rows are durable before sessions act on them, for one
    /// broker whose trail is in PostgreSQL: rows outlive a crash and wait out an outage
    /// there (with --redis the outbox is in Redis instead).
    #[arg(long, value_name = "FILE", env = "GLASS_AUDIT_SPOOL")]
    audit_spool: Option<PathBuf>,
    /// Configuration file (TOML): local_accounts, public_url, [[oidc]] issuers
    /// (docs/identity.md), [tls], trusted_proxies, [rate_limits] (docs/security.md). Flags
    /// given here override it.
    #[arg(long, value_name = "FILE", env = "GLASS_BROKER_CONFIG")]
    config: Option<PathBuf>,
    /// A TURN relay for both sides of every session (repeatable): turn:HOST:3478?transport=udp,
    /// turns:HOST:443?transport=tcp, stun:HOST:3478. coturn with --use-auth-secret; needs
    /// --turn-secret-file or $GLASS_TURN_SECRET.
    #[arg(long = "turn-url", value_name = "URL")]
    turn_urls: Vec<String>,
    /// The file holding coturn's static-auth-secret (shared with the relays).
    #[arg(long, value_name = "FILE")]
    turn_secret_file: Option<PathBuf>,
    /// Hours a session's TURN credential stays valid.
    #[arg(long, default_value_t = 4)]
    turn_ttl_hours: u64,
    /// Both sides use relayed candidates only: neither learns the other's address.
    #[arg(long)]
    relay_only: bool,
    /// Serve GET /metrics (Prometheus text) on this address; keep it private:
    /// 127.0.0.1:9464.
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<std::net::SocketAddr>,
    /// Share sessions with the other brokers of a deployment through this Redis
    /// (redis://[:PASSWORD@]HOST:6379/0, rediss://… for TLS): a code from any broker can be
    /// redeemed on any other.
    #[arg(
        long,
        value_name = "URL",
        env = "GLASS_REDIS_URL",
        hide_env_values = true
    )]
    redis: Option<String>,
    /// The prefix of every Redis key and channel (one per deployment).
    #[arg(long, value_name = "PREFIX")]
    redis_prefix: Option<String>,
}

fn read_policy(path: &std::path::Path) -> anyhow::Result<glass_session::policy::Policy> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("--policy {}", path.display()))?;
    Ok(glass_session::policy::Policy::parse(
        &text,
        &path.display().to_string(),
    )?)
}

#[derive(clap::Subcommand)]
enum BrokerAction {
    /// Manage local accounts.
    #[command(subcommand)]
    Users(UsersAction),
}

#[derive(clap::Subcommand)]
enum UsersAction {
    /// Add an account, or replace one with the same username. The password comes from
    /// $GLASS_PASSWORD or the first line of standard input.
    Add(UserAddArgs),
}

#[derive(clap::Args)]
struct UserAddArgs {
    /// Sign-in name.
    username: String,
    /// Full name, shown on the card.
    #[arg(long)]
    name: String,
    /// Job title.
    #[arg(long, default_value = "")]
    title: String,
    /// Company.
    #[arg(long, default_value = "")]
    company: String,
    /// Domain (e-mail domain).
    #[arg(long, default_value = "")]
    domain: String,
    /// The domain was checked by whoever adds the account.
    #[arg(long)]
    domain_verified: bool,
    /// Picture: an https: URL or a data:image/… URL.
    #[arg(long)]
    picture: Option<String>,
    /// A local group the user belongs to (role assignments and scopes name groups);
    /// repeat for several.
    #[arg(long = "group")]
    groups: Vec<String>,
    /// Accounts file.
    #[arg(long, default_value = "glass-accounts.json", env = "GLASS_ACCOUNTS")]
    accounts: PathBuf,
}

fn read_secret(what: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("GLASS_PASSWORD") {
        return Ok(p);
    }
    eprint!("{what}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        bail!("{what}: empty (set GLASS_PASSWORD or type it on standard input)");
    }
    Ok(line)
}

/// A username and a password to print.
type SignIn = (String, String);

fn demo_accounts() -> anyhow::Result<(Vec<Account>, [SignIn; 2])> {
    let password = || glass_broker::auth::random_token()[..12].to_owned();
    let (hp, sp) = (password(), password());
    let accounts = vec![
        Account {
            username: "helper".into(),
            password_hash: accounts::hash_password(&hp)?,
            profile: Profile {
                name: "Ada Lovelace".into(),
                title: "IT support engineer".into(),
                company: "Contoso".into(),
                picture: None,
                domain: "contoso.com".into(),
                domain_verified: true,
            },
            groups: vec!["helpdesk".into()],
        },
        Account {
            username: "sharer".into(),
            password_hash: accounts::hash_password(&sp)?,
            profile: Profile {
                name: "Sam Taylor".into(),
                title: "Accountant".into(),
                company: "Contoso".into(),
                picture: None,
                domain: "contoso.com".into(),
                domain_verified: true,
            },
            groups: vec!["staff".into()],
        },
    ];
    Ok((accounts, [("helper".into(), hp), ("sharer".into(), sp)]))
}

pub fn broker(args: BrokerArgs) -> anyhow::Result<()> {
    if let Some(BrokerAction::Users(UsersAction::Add(a))) = args.action {
        let password = read_secret("password")?;
        accounts::add_account(
            &a.accounts,
            &a.username,
            &password,
            Profile {
                name: a.name,
                title: a.title,
                company: a.company,
                picture: a.picture,
                domain: a.domain,
                domain_verified: a.domain_verified,
            },
            &a.groups,
        )?;
        eprintln!(
            "glass: account {} saved in {}",
            a.username,
            a.accounts.display()
        );
        return Ok(());
    }
    let policy = match &args.policy {
        Some(path) => Arc::new(read_policy(path)?),
        None => BrokerConfig::default().policy,
    };
    let mut config = BrokerConfig::default();
    if let Some(path) = &args.config {
        glass_broker::config_file::load(path, &mut config, |name| std::env::var(name).ok())?;
    }
    let turn = if args.turn_urls.is_empty() {
        config.turn.clone()
    } else {
        let secret = match &args.turn_secret_file {
            Some(path) => std::fs::read_to_string(path)
                .with_context(|| format!("--turn-secret-file {}", path.display()))?,
            None => std::env::var(glass_broker::config_file::TURN_SECRET_ENV).map_err(|_| {
                anyhow::anyhow!(
                    "--turn-url: give the relays' secret with --turn-secret-file or ${}",
                    glass_broker::config_file::TURN_SECRET_ENV
                )
            })?,
        };
        Some(glass_session::turn::TurnConfig {
            urls: args.turn_urls.clone(),
            secret: glass_session::turn::TurnSecret::new(secret),
            ttl: Duration::from_secs(args.turn_ttl_hours.saturating_mul(3600)),
            relay_only: args.relay_only,
        })
    };
    let mut turn = turn;
    if args.relay_only {
        match &mut turn {
            Some(t) => t.relay_only = true,
            None => bail!("--relay-only: give the relays with --turn-url (or [turn] in --config)"),
        }
    }
    let redis = match &args.redis {
        Some(url) => Some(
            glass_broker::cluster::RedisUrl::parse(url)
                .map_err(|e| anyhow::anyhow!("--redis: {e}"))?,
        ),
        None => config.redis.clone(),
    };
    let redis_prefix = match &args.redis_prefix {
        Some(p) => {
            glass_broker::cluster::StoreConfig::with_prefix(p)
                .validate()
                .map_err(|e| anyhow::anyhow!("--redis-prefix: {e}"))?;
            p.clone()
        }
        None => config.redis_prefix.clone(),
    };
    let config = BrokerConfig {
        listen: args.listen,
        turn,
        redis,
        redis_prefix,
        metrics_listen: args.metrics_listen.or(config.metrics_listen),
        code_ttl: Duration::from_secs(args.code_minutes.saturating_mul(60)),
        chat: !args.no_chat,
        secure_cookies: args.secure_cookies || config.secure_cookies,
        tls: match (args.tls_cert, args.tls_key) {
            (Some(cert), Some(key)) => Some(glass_broker::tls::TlsConfig { cert, key }),
            _ => config.tls.clone(),
        },
        trusted_proxies: if args.trusted_proxies.is_empty() {
            config.trusted_proxies.clone()
        } else {
            args.trusted_proxies
        },
        allowed_origins: args.allowed_origins,
        policy,
        devices: args.devices.clone(),
        audit_db: match (args.audit_db, args.demo) {
            (Some(url), _) => Some(url.into()),
            (None, true) => None,
            (None, false) => {
                let dir = args.accounts.parent().unwrap_or(std::path::Path::new(""));
                let file = dir.join("glass-audit.db");
                Some(format!("sqlite://{}?mode=rwc", file.display()).into())
            }
        },
        audit_retention: Duration::from_secs(args.audit_retention_days.saturating_mul(86_400)),
        audit_spool: args.audit_spool.clone(),
        ..config
    };
    config.validate().context("broker")?;
    let (identity, demo) = if !config.local_accounts && !args.demo {
        // Local accounts are off: no accounts file needed.
        (LocalAccounts::from_accounts(Vec::new())?, None)
    } else if args.demo {
        let (list, creds) = demo_accounts()?;
        (LocalAccounts::from_accounts(list)?, Some(creds))
    } else {
        let accounts = LocalAccounts::load(&args.accounts).context(
            "--accounts: create it with `glass broker users add NAME --name \"Full Name\"`, or run with --demo",
        )?;
        if accounts.is_empty() {
            bail!("--accounts {}: no accounts", args.accounts.display());
        }
        (accounts, None)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    runtime.block_on(async move {
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let broker = Broker::bind(config, Arc::new(identity)).await?;
        let addr = broker.local_addr();
        let host = if addr.ip().is_unspecified() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        let mut out = std::io::stdout().lock();
        writeln!(out, "helper:  {scheme}://{host}/")?;
        writeln!(
            out,
            "sharer:  {scheme}://{host}/share   or   glass share --broker {scheme}://{host}"
        )?;
        if let Some([(hu, hp), (su, sp)]) = &demo {
            writeln!(out, "demo helper: {hu} / {hp}")?;
            writeln!(out, "demo sharer: {su} / {sp}")?;
        }
        out.flush()?;
        drop(out);
        #[cfg(unix)]
        if let Some(path) = args.policy.clone() {
            let handle = broker.policy();
            let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
                .context("SIGHUP handler")?;
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    match read_policy(&path) {
                        Ok(policy) => {
                            handle.reload_from(policy, &path.display().to_string());
                            eprintln!("glass: policy {} reloaded", path.display());
                        }
                        Err(e) => {
                            eprintln!("glass: policy not reloaded, the one in force stays: {e:#}")
                        }
                    }
                }
            });
        }
        broker
            .serve(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        anyhow::Ok(())
    })
}

/// What `glass share --broker` needs besides the share itself.
pub struct HelpArgs {
    pub broker: String,
    pub user: Option<String>,
    /// Sign in with this OIDC issuer through the system browser (RFC 8252 loopback).
    pub sign_in: Option<String>,
    pub code: Option<String>,
    pub approve_in: ApproveIn,
    pub device_key: Option<PathBuf>,
    /// The issuers trusted to say who the helper is (`--helper-issuer`).
    pub helper_trust: glass::agent::helper_identity::HelperTrust,
}

#[derive(clap::Args)]
pub struct DevicesArgs {
    #[command(subcommand)]
    action: DevicesAction,
    /// The devices file the broker reads (`glass broker --devices`).
    #[arg(
        long,
        global = true,
        default_value = "glass-devices.json",
        env = "GLASS_DEVICES"
    )]
    devices: PathBuf,
}

#[derive(clap::Subcommand)]
enum DevicesAction {
    /// Enrol a device (or update the record of the same key).
    Enroll {
        /// The device's public key, as `glass share --broker … ` prints it (base64url: it may
        /// start with '-', which is taken as the value, not a flag).
        #[arg(long, allow_hyphen_values = true)]
        public_key: String,
        /// A name people recognise: "Sam's laptop".
        #[arg(long)]
        name: String,
        /// The tenant it belongs to (local accounts: "local").
        #[arg(long, default_value = "local")]
        tenant: String,
        /// A device group (what role scopes name); repeat for several.
        #[arg(long = "group")]
        groups: Vec<String>,
    },
    /// Record a device's compliance.
    Compliance {
        /// The device's id (20 hex digits).
        id: String,
        /// compliant, not-compliant or unknown.
        #[arg(value_parser = ["compliant", "not-compliant", "unknown"])]
        state: String,
        /// Why not compliant; repeat for several.
        #[arg(long = "reason")]
        reasons: Vec<String>,
    },
    /// Remove a device.
    Remove {
        /// The device's id.
        id: String,
    },
}

/// `glass devices …`.
pub fn devices(args: DevicesArgs) -> anyhow::Result<()> {
    use glass_broker::devices::{self, ComplianceState, DeviceRecord};
    let path = &args.devices;
    match args.action {
        DevicesAction::Enroll {
            public_key,
            name,
            tenant,
            groups,
        } => {
            let id = devices::enroll(
                path,
                DeviceRecord {
                    public_key,
                    name,
                    tenant,
                    groups,
                    compliance: ComplianceState::Unknown,
                    reasons: Vec::new(),
                },
            )?;
            println!("{id}");
            eprintln!("glass: device {id} enrolled in {}", path.display());
        }
        DevicesAction::Compliance { id, state, reasons } => {
            let state = match state.as_str() {
                "compliant" => ComplianceState::Compliant,
                "not-compliant" => ComplianceState::NotCompliant,
                _ => ComplianceState::Unknown,
            };
            devices::set_compliance(path, &id, state, reasons)?;
            eprintln!("glass: device {id}: {state:?}");
        }
        DevicesAction::Remove { id } => {
            devices::remove(path, &id)?;
            eprintln!("glass: device {id} removed");
        }
    }
    Ok(())
}

/// Where the sharer answers the helper's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ApproveIn {
    /// A page on 127.0.0.1, opened in the default browser.
    Browser,
    /// The terminal: `y` allows, anything else declines.
    Terminal,
}

impl ApproveIn {
    /// The browser when there is a display to show it on and a person at the terminal.
    /// Scripts that pipe standard input drive the terminal prompt, so they keep it.
    pub fn detect() -> ApproveIn {
        use std::io::IsTerminal;
        let display = cfg!(any(target_os = "macos", windows))
            || ["DISPLAY", "WAYLAND_DISPLAY"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
        if display && std::io::stdin().is_terminal() {
            ApproveIn::Browser
        } else {
            ApproveIn::Terminal
        }
    }
}

fn prompt_line(what: &str) -> anyhow::Result<String> {
    eprint!("{what}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

fn card_line(card: &glass_protocol::Card) -> String {
    let verified = if card.domain_verified {
        " ✓"
    } else {
        " (unverified)"
    };
    format!(
        "{} — {}, {} — {}{}",
        card.name, card.title, card.company, card.domain, verified
    )
}

fn identity_line(identity: &glass::agent::helper_identity::HelperIdentity) -> String {
    use glass::agent::helper_identity::HelperIdentity;
    match identity {
        HelperIdentity::Verified { issuer, .. } => {
            format!("identity checked on this computer with {issuer}")
        }
        HelperIdentity::Unverified { reason } => format!("identity NOT verified: {reason}"),
        _ => "identity vouched for by the help desk's server only".to_owned(),
    }
}

/// Starts the approval page (opened once signed in); `None`, and why on the terminal, when it
/// cannot start: the terminal answers then.
fn start_page(
    actions: &tokio::sync::mpsc::Sender<glass::agent::help::LocalAction>,
) -> Option<(
    glass::agent::local_ui::LocalUi,
    tokio::sync::mpsc::Sender<glass::agent::help::AgentEvent>,
)> {
    let (events, events_rx) = tokio::sync::mpsc::channel(64);
    match glass::agent::local_ui::LocalUi::start(events_rx, actions.clone()) {
        Ok(ui) => Some((ui, events)),
        Err(e) => {
            eprintln!("glass: the approval page could not start ({e}): answer here instead");
            None
        }
    }
}

/// Opens the page in the default browser; false (and why, on the terminal) when no browser
/// could be started.
fn open_page(ui: &glass::agent::local_ui::LocalUi) -> bool {
    match glass::agent::local_ui::open_in_browser(&ui.url()) {
        Ok(()) => {
            eprintln!("glass: Open this page to approve: {}", ui.url());
            eprintln!("glass: (it is opening in your browser; Ctrl-C or /stop here stops sharing)");
            true
        }
        Err(e) => {
            eprintln!("glass: no browser could be opened ({e}): answer here instead");
            false
        }
    }
}

/// Joins a help session through a broker. The local approval UI is a page on 127.0.0.1
/// opened in the default browser (`--approve-in browser`) or the terminal: the helper's card
/// is printed and the user types `y` to allow, anything else declines. In both modes the
/// terminal takes `/pause`, `/resume`, `/takeback`, `/stop` (and Ctrl-C); other lines are
/// chat. In browser mode only the page answers requests.
pub fn share_via_broker(args: HelpArgs, share: glass::share::ShareConfig) -> anyhow::Result<()> {
    use glass::agent::help::{AgentEvent, HelpConfig, LocalAction};
    use glass_protocol::Level;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    let (user, password, signed_in) = match &args.sign_in {
        Some(issuer) => {
            let token = runtime.block_on(glass::agent::sign_in::sign_in(
                &args.broker,
                issuer,
                std::time::Duration::from_secs(300),
                |url| {
                    eprintln!("glass: sign in with {issuer} in your browser: {url}");
                    if let Err(e) = glass::agent::local_ui::open_in_browser(url) {
                        eprintln!(
                            "glass: no browser could be opened ({e}): open the address above"
                        );
                    }
                },
            ))?;
            (String::new(), String::new(), Some(token))
        }
        None => {
            let user = match args.user {
                Some(u) => u,
                None => prompt_line("username")?,
            };
            (user, read_secret("password")?, None)
        }
    };
    let code = match args.code {
        Some(c) => c,
        None => prompt_line("code from your helper")?,
    };
    let mut config = HelpConfig::new(&args.broker, &user, &password, &code);
    config.signed_in = signed_in;
    config.share = share;
    config.helper_trust = args.helper_trust.clone();
    let key_path = match args
        .device_key
        .clone()
        .or_else(glass::agent::device::default_path)
    {
        Some(p) => p,
        None => bail!(
            "--device-key: no configuration directory ($HOME) for the device key; give a path"
        ),
    };
    let key = glass::agent::device::load_or_create(&key_path).context("--device-key")?;
    eprintln!(
        "glass: this device is {} (public key {}; an administrator enrols it with `glass devices enroll --public-key …`)",
        key.id(),
        key.public_key()
    );
    config.device_key = Some(Arc::new(key));
    runtime.block_on(async move {
        let (events_tx, mut events) = tokio::sync::mpsc::channel(64);
        let (actions, actions_rx) = tokio::sync::mpsc::channel(64);
        let mut page = match args.approve_in {
            ApproveIn::Browser => start_page(&actions),
            ApproveIn::Terminal => None,
        };
        let mut terminal_answers = page.is_none();
        let session = tokio::spawn(glass::agent::help::run(config, events_tx, actions_rx));
        // Standard input on a thread of its own: lines become local actions.
        let (lines_tx, mut lines) = tokio::sync::mpsc::channel::<String>(16);
        std::thread::Builder::new()
            .name("glass-stdin".into())
            .spawn(move || {
                for line in std::io::stdin().lines() {
                    let Ok(line) = line else { break };
                    if lines_tx.blocking_send(line).is_err() {
                        break;
                    }
                }
            })
            .context("stdin reader")?;
        let mut pending: Option<u64> = None;
        loop {
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break };
                    if let Some((_, to_page)) = &page {
                        let _ = to_page.send(event.clone()).await;
                    }
                    match event {
                        AgentEvent::SignedIn { me } => {
                            eprintln!("glass: signed in as {}", card_line(&me));
                            // Only now: a failed sign-in opens no page.
                            if let Some((ui, _)) = &page && !open_page(ui) {
                                page = None;
                                terminal_answers = true;
                            }
                        }
                        AgentEvent::Joined { helper, identity, chat_kept } => {
                            eprintln!(
                                "glass: your helper is {} — {}",
                                card_line(&helper),
                                identity_line(&identity)
                            );
                            if chat_kept {
                                eprintln!("glass: your organisation keeps what you both write in this session's chat");
                            }
                        }
                        AgentEvent::ConsentAsked { id, level, helper, timeout, .. } => {
                            let what = match level {
                                Level::View => "SEE your screen",
                                Level::Full => "SEE and CONTROL your screen (mouse and keyboard)",
                            };
                            if terminal_answers {
                                eprintln!(
                                    "glass: {} asks to {what}. Allow? [y/N] ({} s)",
                                    helper.name,
                                    timeout.as_secs_f64().ceil() as u64
                                );
                                pending = Some(id);
                            } else {
                                eprintln!(
                                    "glass: {} asks to {what}: answer in the page ({} s)",
                                    helper.name,
                                    timeout.as_secs_f64().ceil() as u64
                                );
                            }
                        }
                        AgentEvent::ConsentExpired { id } => {
                            if pending == Some(id) { pending = None; }
                            eprintln!("glass: no answer in time: declined");
                        }
                        AgentEvent::Sharing { level, paused } => match (level, paused) {
                            (None, _) => eprintln!("glass: not sharing"),
                            (Some(_), true) => eprintln!("glass: PAUSED: nothing is shared (/resume to continue)"),
                            (Some(Level::View), false) => eprintln!("glass: SHARING your screen, view only (/pause /stop)"),
                            (Some(Level::Full), false) => eprintln!("glass: SHARING with FULL CONTROL (/takeback /pause /stop)"),
                        },
                        AgentEvent::Chat { from, name, text, .. } => {
                            let who = if from == glass_protocol::Side::Helper { name } else { "you".into() };
                            eprintln!("[{who}] {text}");
                        }
                        AgentEvent::Error { message, .. } => eprintln!("glass: {message}"),
                        AgentEvent::Connection { state } => match state {
                            Some(glass::agent::help::ConnectionState::Reconnecting) => {
                                eprintln!("glass: the connection to the help desk was lost; reconnecting (sharing goes on as allowed)")
                            }
                            Some(glass::agent::help::ConnectionState::HelperAway) => {
                                eprintln!("glass: the helper lost their connection; waiting for them to come back")
                            }
                            None => eprintln!("glass: connected again"),
                        },
                        AgentEvent::Ended { reason } => {
                            eprintln!("glass: session ended ({reason})");
                            if page.is_some() {
                                // Long enough for the page to show that it is over.
                                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
                line = lines.recv() => {
                    let Some(line) = line else { continue };
                    let action = match (line.trim(), pending) {
                        ("y" | "Y" | "yes", Some(id)) => { pending = None; LocalAction::Answer { id, allow: true } }
                        (_, Some(id)) => { pending = None; LocalAction::Answer { id, allow: false } }
                        ("/pause", _) => LocalAction::Pause,
                        ("/resume", _) => LocalAction::Resume,
                        ("/takeback", _) => LocalAction::TakeBackControl,
                        ("/stop", _) => LocalAction::Stop,
                        ("", _) => continue,
                        (text, _) => LocalAction::Chat(text.to_owned()),
                    };
                    if actions.send(action).await.is_err() { break; }
                }
                _ = tokio::signal::ctrl_c() => {
                    let _ = actions.send(LocalAction::Stop).await;
                }
            }
        }
        match session.await {
            Ok(Ok(outcome)) => {
                if outcome.ignored_claims > 0 || outcome.refused_offers > 0 {
                    eprintln!(
                        "glass: ignored {} broker claims and {} offers without your consent",
                        outcome.ignored_claims, outcome.refused_offers
                    );
                }
                anyhow::Ok(())
            }
            Ok(Err(e)) => Err(e.into()),
            Err(e) => Err(anyhow::anyhow!("session task: {e}")),
        }
    })
}
