//! Local accounts: the broker's embedded identity provider (no external service).
//!
//! Accounts live in a JSON file: one entry per user with an argon2id password hash (PHC
//! string) and the card both sides of a session see. `glass broker users add` writes it;
//! the broker reads it once at start. The next identity provider (OIDC) plugs in behind
//! [`IdentityProvider`] next to [`LocalAccounts`].

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

/// Who a signed-in user is, as the rest of the broker sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Stable id, unique within the provider (`local:<username>`; for an OIDC issuer its
    /// issuer and subject, never an e-mail address).
    pub user_id: String,
    /// The card shown to the other side.
    pub profile: Profile,
    /// The tenant the user belongs to: helper, sharer and device must share one.
    pub tenant: String,
    /// Group names (local groups, or an issuer's `groups`/`roles` claims): what role
    /// assignments and scopes refer to.
    pub groups: Vec<String>,
    /// How the user authenticated (the issuer's `amr` claim, e.g. `pwd`, `mfa`); empty for
    /// local accounts.
    pub amr: Vec<String>,
    /// Which card fields the identity issuer vouched for (none for local accounts).
    pub vouched: glass_protocol::Vouched,
}

/// The tenant of local accounts.
pub const LOCAL_TENANT: &str = "local";

impl Identity {
    /// A local account's identity: tenant [`LOCAL_TENANT`], password sign-in.
    pub fn local(user_id: impl Into<String>, profile: Profile, groups: Vec<String>) -> Identity {
        Identity {
            user_id: user_id.into(),
            profile,
            tenant: LOCAL_TENANT.to_owned(),
            groups,
            amr: vec!["pwd".to_owned()],
            vouched: glass_protocol::Vouched::default(),
        }
    }
}

/// The card fields of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Full name.
    pub name: String,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Company.
    #[serde(default)]
    pub company: String,
    /// Picture: a `data:` or `https:` URL.
    #[serde(default)]
    pub picture: Option<String>,
    /// The user's domain (e-mail domain, tenant domain).
    #[serde(default)]
    pub domain: String,
    /// Whether the domain was verified by whoever created the account.
    #[serde(default)]
    pub domain_verified: bool,
}

/// One stored account.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Sign-in name.
    pub username: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Card fields.
    #[serde(flatten)]
    pub profile: Profile,
    /// Local groups (what role assignments and scopes name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .field("profile", &self.profile)
            .field("groups", &self.groups)
            .finish()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    users: Vec<Account>,
}

/// Why accounts could not be loaded or changed (the operator's fault or the OS's).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountsError {
    /// The file could not be read or written.
    #[error("accounts file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("accounts file {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong (names the field or the user).
        reason: String,
    },
    /// A new account's field is not acceptable.
    #[error("{field}: {reason}")]
    Field {
        /// Which field.
        field: &'static str,
        /// What is allowed.
        reason: String,
    },
}

/// A sign-in that did not succeed. One variant on purpose: the answer is the same whatever
/// the cause (unknown user, wrong password), so names cannot be probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("wrong username or password")]
pub struct BadCredentials;

/// Something that turns credentials into an [`Identity`]. Blocking (password hashing is
/// deliberately slow): call it on a blocking thread.
pub trait IdentityProvider: Send + Sync + 'static {
    /// Checks a username and password.
    fn verify_password(&self, username: &str, password: &str) -> Result<Identity, BadCredentials>;
    /// Looks a user up by id (for tokens issued earlier).
    fn identity(&self, user_id: &str) -> Option<Identity>;
}

/// Accounts from a file, held in memory.
pub struct LocalAccounts {
    by_name: HashMap<String, Account>,
    /// A hash verified when the user is unknown, so both cases take the same time.
    dummy_hash: String,
}

impl fmt::Debug for LocalAccounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalAccounts")
            .field("users", &self.by_name.len())
            .finish()
    }
}

/// argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane): ~20 ms here.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id and a fresh random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AccountsError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountsError::Field {
        field: "password",
        reason: format!("no randomness for the salt: {e}"),
    })?;
    hasher()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountsError::Field {
            field: "password",
            reason: e.to_string(),
        })
}

thread_local! {
    /// argon2's working memory (19 MiB with our parameters), kept per thread and reused: a
    /// fresh allocation per check left glibc arenas holding ~1 GiB after a few thousand
    /// sign-ins (measured with the broker's load bench). Checks run on the verifier pool's
    /// two threads, so two buffers exist at most.
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `password` matches the PHC string `hash` (any argon2 variant and parameters).
fn verify(hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::new(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version {
        Some(v) => match Version::try_from(v) {
            Ok(v) => v,
            Err(_) => return false,
        },
        None => Version::default(),
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    // Refuse parameters that would take unbounded memory or time from a tampered file.
    if params.m_cost() > 256 * 1024 || params.t_cost() > 16 || params.p_cost() > 8 {
        return false;
    }
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.as_bytes().len()];
    let hashed = BLOCKS.with(|cell| {
        let mut memory = cell.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, argon2::Block::default());
        }
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt.as_ref(),
                &mut out,
                &mut memory[..blocks],
            )
            .is_ok()
    });
    hashed && bool::from(subtle::ConstantTimeEq::ct_eq(&out[..], expected.as_bytes()))
}

impl LocalAccounts {
    /// Accounts from a list (tests, `--demo`).
    pub fn from_accounts(accounts: Vec<Account>) -> Result<Self, AccountsError> {
        let mut by_name = HashMap::new();
        for a in accounts {
            validate_username(&a.username)?;
            if PasswordHash::new(&a.password_hash).is_err() {
                return Err(AccountsError::Field {
                    field: "password_hash",
                    reason: format!("user {:?}: not a PHC string", a.username),
                });
            }
            if by_name.insert(a.username.clone(), a).is_some() {
                return Err(AccountsError::Field {
                    field: "username",
                    reason: "duplicate user".into(),
                });
            }
        }
        Ok(LocalAccounts {
            by_name,
            dummy_hash: hash_password("glass-dummy-password")?,
        })
    }

    /// Reads the accounts file. A missing file is an error naming it.
    pub fn load(path: &Path) -> Result<Self, AccountsError> {
        let file = read_file(path)?;
        Self::from_accounts(file.users).map_err(|e| AccountsError::Invalid {
            path: path.to_owned(),
            reason: e.to_string(),
        })
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

fn read_file(path: &Path) -> Result<AccountsFile, AccountsError> {
    let text = std::fs::read_to_string(path).map_err(|source| AccountsError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| AccountsError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

fn validate_username(name: &str) -> Result<(), AccountsError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if ok {
        Ok(())
    } else {
        Err(AccountsError::Field {
            field: "username",
            reason: format!("{name:?}: 1-64 characters of letters, digits, '.', '-', '_' or '@'"),
        })
    }
}

/// Adds (or replaces) an account in the file, creating the file if needed. The password is
/// hashed here; it is never stored or logged in the clear.
pub fn add_account(
    path: &Path,
    username: &str,
    password: &str,
    profile: Profile,
    groups: &[String],
) -> Result<(), AccountsError> {
    validate_username(username)?;
    if let Some(g) = groups
        .iter()
        .find(|g| g.is_empty() || g.len() > 128 || g.chars().any(char::is_control))
    {
        return Err(AccountsError::Field {
            field: "group",
            reason: format!("{g:?}: 1-128 characters, no control characters"),
        });
    }
    if password.chars().count() < 8 {
        return Err(AccountsError::Field {
            field: "password",
            reason: "at least 8 characters".into(),
        });
    }
    if profile.name.trim().is_empty() {
        return Err(AccountsError::Field {
            field: "name",
            reason: "the full name shown on the card must not be empty".into(),
        });
    }
    let mut file = if path.exists() {
        read_file(path)?
    } else {
        AccountsFile::default()
    };
    file.users.retain(|a| a.username != username);
    file.users.push(Account {
        username: username.to_owned(),
        password_hash: hash_password(password)?,
        profile,
        groups: groups.to_vec(),
    });
    let text = serde_json::to_string_pretty(&file).map_err(|e| AccountsError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    write_private(path, text.as_bytes()).map_err(|source| AccountsError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Writes a file readable by its owner only (it holds password hashes).
fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        std::io::Write::write_all(&mut f, data)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

impl IdentityProvider for LocalAccounts {
    fn verify_password(&self, username: &str, password: &str) -> Result<Identity, BadCredentials> {
        match self.by_name.get(username) {
            Some(a) if verify(&a.password_hash, password) => Ok(Identity::local(
                format!("local:{}", a.username),
                a.profile.clone(),
                a.groups.clone(),
            )),
            Some(_) => Err(BadCredentials),
            None => {
                // Same work as a wrong password: timing does not tell whether the name exists.
                let _ = verify(&self.dummy_hash, password);
                Err(BadCredentials)
            }
        }
    }

    fn identity(&self, user_id: &str) -> Option<Identity> {
        let name = user_id.strip_prefix("local:")?;
        self.by_name
            .get(name)
            .map(|a| Identity::local(user_id, a.profile.clone(), a.groups.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        Profile {
            name: name.into(),
            title: "Support engineer".into(),
            company: "Contoso".into(),
            picture: None,
            domain: "contoso.com".into(),
            domain_verified: true,
        }
    }

    #[test]
    fn add_then_sign_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json");
        add_account(&path, "ada", "correct horse", profile("Ada Lovelace"), &[]).unwrap();
        add_account(&path, "bob", "battery staple", profile("Bob"), &[]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("$argon2id$"), "stored as argon2id");
        assert!(!text.contains("correct horse"), "never in the clear");
        let accounts = LocalAccounts::load(&path).unwrap();
        assert_eq!(accounts.len(), 2);
        let id = accounts.verify_password("ada", "correct horse").unwrap();
        assert_eq!(id.user_id, "local:ada");
        assert_eq!(id.profile.name, "Ada Lovelace");
        assert_eq!(accounts.identity("local:ada"), Some(id));
        assert_eq!(
            accounts.verify_password("ada", "wrong"),
            Err(BadCredentials)
        );
        assert_eq!(
            accounts.verify_password("nobody", "correct horse"),
            Err(BadCredentials)
        );
        assert!(!format!("{accounts:?}").contains("argon2"));
    }

    #[test]
    fn verifies_any_argon2_phc_string_and_refuses_tampered_costs() {
        let other = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x10,
            Params::new(8 * 1024, 3, 2, Some(24)).unwrap(),
        )
        .hash_password_with_salt(b"pass word", b"0123456789abcdef")
        .unwrap()
        .to_string();
        assert!(verify(&other, "pass word"));
        assert!(!verify(&other, "pass wore"));
        let ours = hash_password("pass word").unwrap();
        assert!(verify(&ours, "pass word"));
        // A file edited to demand 4 GiB per check is refused, not obeyed.
        let greedy = ours.replace("m=19456", "m=4194304");
        assert_ne!(greedy, ours);
        assert!(!verify(&greedy, "pass word"));
        assert!(!verify(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA",
            "pass word"
        ));
        assert!(!verify("not a hash", "pass word"));
    }

    #[test]
    fn replaces_an_existing_user() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        add_account(&path, "ada", "first password", profile("Ada"), &[]).unwrap();
        add_account(&path, "ada", "second password", profile("Ada L"), &[]).unwrap();
        let accounts = LocalAccounts::load(&path).unwrap();
        assert_eq!(accounts.len(), 1);
        assert!(accounts.verify_password("ada", "first password").is_err());
        assert!(accounts.verify_password("ada", "second password").is_ok());
    }

    #[test]
    fn bad_input_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let e = add_account(&path, "a b", "long enough", profile("A"), &[]).unwrap_err();
        assert!(e.to_string().starts_with("username:"), "{e}");
        let e = add_account(&path, "ab", "short", profile("A"), &[]).unwrap_err();
        assert!(e.to_string().starts_with("password:"), "{e}");
        let e = add_account(&path, "ab", "long enough", profile(" "), &[]).unwrap_err();
        assert!(e.to_string().starts_with("name:"), "{e}");
        std::fs::write(
            &path,
            r#"{"users":[{"username":"x","password_hash":"nope","name":"X"}]}"#,
        )
        .unwrap();
        let e = LocalAccounts::load(&path).unwrap_err();
        assert!(e.to_string().contains("password_hash"), "{e}");
        std::fs::write(&path, r#"{"users":[],"extra":1}"#).unwrap();
        assert!(LocalAccounts::load(&path).is_err(), "unknown keys refused");
        let e = LocalAccounts::load(&dir.path().join("missing.json")).unwrap_err();
        assert!(e.to_string().contains("missing.json"), "{e}");
    }
}
