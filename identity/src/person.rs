//! Verified claims → who the user is: a stable id, a tenant, groups, `amr` and a card whose
//! fields say which ones the issuer vouched for.
//!
//! Users are identified by issuer + subject, never by e-mail (an address can be reassigned,
//! and issuers let users edit it). For Entra ID the id is tenant id + object id (`tid` +
//! `oid`): `sub` is pairwise per application, `oid` is the user across the tenant.

use glass_protocol::{Card, Vouched, picture_ok};
use serde_json::{Map, Value};

use crate::verify::VerifiedClaims;

/// Most groups (from `groups` plus `roles`) kept; the rest are dropped and counted.
pub const MAX_GROUPS: usize = 256;
/// Longest group name, `amr` value or card field kept (characters).
pub const MAX_FIELD_CHARS: usize = 256;

/// How an issuer's claims map to an identity: from configuration.
#[derive(Clone, Debug, Default)]
pub struct IdentityMapping {
    /// The tenant every user of this issuer belongs to.
    pub tenant: String,
    /// Entra ID: the tenant id the `tid` claim must carry. Turns on `tid` + `oid` ids.
    pub entra_tenant_id: Option<String>,
    /// The tenant's verified domain, shown on cards when the token has no verified e-mail.
    pub verified_domain: Option<String>,
}

/// A verified user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Stable id: `entra:<tid>/<oid>` or `oidc:<issuer>#<sub>`.
    pub user_id: String,
    /// The tenant (from configuration).
    pub tenant: String,
    /// `groups` and `roles` claims, deduplicated, in order.
    pub groups: Vec<String>,
    /// `amr` values (`pwd`, `mfa`, `otp`, ...).
    pub amr: Vec<String>,
    /// The card, with the fields the issuer vouched for marked.
    pub card: Card,
    /// Groups dropped over [`MAX_GROUPS`], or an overage claim (Entra sends
    /// `_claim_names.groups` instead of `groups` past 200): role mapping may be incomplete.
    pub groups_incomplete: bool,
}

/// Claims that cannot make an identity.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// `tid` is missing or not the configured tenant's: a token from another tenant.
    #[error("token from another tenant")]
    WrongTenant,
    /// Entra: `oid` missing or malformed.
    #[error("missing or malformed oid claim")]
    MissingObjectId,
}

impl IdentityError {
    /// A short fixed label for counters and logs.
    pub fn label(&self) -> &'static str {
        match self {
            IdentityError::WrongTenant => "wrong_tenant",
            IdentityError::MissingObjectId => "missing_oid",
        }
    }
}

fn string<'a>(all: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    match all.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim()),
        _ => None,
    }
}

/// A claim value fit for a card: trimmed, no control characters, bounded.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(MAX_FIELD_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn strings(all: &Map<String, Value>, name: &str, out: &mut Vec<String>, dropped: &mut bool) {
    let Some(value) = all.get(name) else { return };
    let items: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        // Some issuers send a single value as a string.
        v @ Value::String(_) => vec![v],
        _ => return,
    };
    for item in items {
        let Value::String(s) = item else { continue };
        let s = clean(s);
        if s.is_empty() || out.contains(&s) {
            continue;
        }
        if out.len() >= MAX_GROUPS {
            *dropped = true;
            return;
        }
        out.push(s);
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The domain of a verified e-mail address, lowercased.
fn email_domain(all: &Map<String, Value>) -> Option<String> {
    // `email_verified` is a boolean in OIDC; a few issuers (Cognito) send "true".
    let verified = match all.get("email_verified") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    };
    if !verified {
        return None;
    }
    let email = string(all, "email")?;
    let (local, domain) = email.rsplit_once('@')?;
    let domain = domain.to_ascii_lowercase();
    let ok = !local.is_empty()
        && domain.len() <= 253
        && domain.contains('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    ok.then_some(domain)
}

/// Makes a [`Person`] from a verified token's claims.
pub fn identify(
    claims: &VerifiedClaims,
    mapping: &IdentityMapping,
) -> Result<Person, IdentityError> {
    let all = &claims.all;
    let user_id = match &mapping.entra_tenant_id {
        Some(tenant_id) => {
            let tid = string(all, "tid").ok_or(IdentityError::WrongTenant)?;
            if !tid.eq_ignore_ascii_case(tenant_id) {
                return Err(IdentityError::WrongTenant);
            }
            let oid = string(all, "oid")
                .filter(|o| valid_id(o))
                .ok_or(IdentityError::MissingObjectId)?;
            format!(
                "entra:{}/{}",
                tid.to_ascii_lowercase(),
                oid.to_ascii_lowercase()
            )
        }
        None => format!("oidc:{}#{}", claims.issuer, claims.subject),
    };

    let mut groups = Vec::new();
    let mut incomplete = all
        .get("_claim_names")
        .and_then(Value::as_object)
        .is_some_and(|n| n.contains_key("groups"));
    strings(all, "groups", &mut groups, &mut incomplete);
    strings(all, "roles", &mut groups, &mut incomplete);
    let mut amr = Vec::new();
    let mut amr_dropped = false;
    strings(all, "amr", &mut amr, &mut amr_dropped);

    let mut vouched = Vouched::default();
    let name = string(all, "name")
        .map(clean)
        .or_else(|| {
            let given = string(all, "given_name").map(clean).unwrap_or_default();
            let family = string(all, "family_name").map(clean).unwrap_or_default();
            let both = format!("{given} {family}").trim().to_owned();
            (!both.is_empty()).then_some(both)
        })
        .or_else(|| string(all, "preferred_username").map(clean))
        .filter(|n| !n.is_empty());
    vouched.name = name.is_some();
    // Without any name claim the card shows the subject, not vouched as a name.
    let name = name.unwrap_or_else(|| clean(&claims.subject));
    let title = ["jobTitle", "job_title"]
        .iter()
        .find_map(|c| string(all, c))
        .map(clean)
        .unwrap_or_default();
    vouched.title = !title.is_empty();
    let company = ["companyName", "company", "org"]
        .iter()
        .find_map(|c| string(all, c))
        .map(clean)
        .unwrap_or_default();
    vouched.company = !company.is_empty();
    let picture = string(all, "picture")
        .filter(|p| picture_ok(p))
        .map(str::to_owned);
    vouched.picture = picture.is_some();
    let (domain, domain_verified) = match email_domain(all) {
        Some(d) => {
            vouched.domain = true;
            (d, true)
        }
        // The administrator vouches for the tenant's domain, not the issuer.
        None => match &mapping.verified_domain {
            Some(d) => (d.clone(), true),
            None => (String::new(), false),
        },
    };
    Ok(Person {
        user_id,
        tenant: mapping.tenant.clone(),
        groups,
        amr,
        card: Card {
            name,
            title,
            company,
            picture,
            domain,
            domain_verified,
            vouched,
        },
        groups_incomplete: incomplete,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::*;
    use crate::test_keys::{ISSUER, TestKey, claims, jwks_set};
    use crate::verify::{IssuerPolicy, verify_id_token};

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn verified(extra: serde_json::Value) -> VerifiedClaims {
        let k = TestKey::p256("e");
        let mut c = claims(now());
        for (key, v) in extra.as_object().unwrap() {
            c.insert(key.clone(), v.clone());
        }
        let policy = IssuerPolicy::new(ISSUER, "glass", &["ES256"]).unwrap();
        verify_id_token(&k.sign(&c), &policy, &jwks_set(&[&k]), now(), None).unwrap()
    }

    fn entra() -> IdentityMapping {
        IdentityMapping {
            tenant: "contoso".into(),
            entra_tenant_id: Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into()),
            verified_domain: Some("contoso.com".into()),
        }
    }

    #[test]
    fn entra_claims_make_a_vouched_card() {
        let c = verified(serde_json::json!({
            "tid": "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "name": "Ada Lovelace",
            "jobTitle": "Support engineer",
            "companyName": "Contoso",
            "groups": ["helpdesk", "staff", "helpdesk"],
            "roles": ["Glass.Helper"],
            "amr": ["pwd", "mfa"],
            "email": "ada@lovelace.example",
            "picture": "javascript:alert(1)",
        }));
        let p = identify(&c, &entra()).unwrap();
        assert_eq!(
            p.user_id,
            "entra:72f988bf-86f1-41af-91ab-2d7cd011db47/00000000-0000-0000-66f3-3332eca7ea81"
        );
        assert_eq!(p.tenant, "contoso");
        assert_eq!(p.groups, ["helpdesk", "staff", "Glass.Helper"]);
        assert_eq!(p.amr, ["pwd", "mfa"]);
        assert_eq!(p.card.name, "Ada Lovelace");
        assert_eq!(p.card.title, "Support engineer");
        assert_eq!(p.card.company, "Contoso");
        assert_eq!(p.card.picture, None, "only https or data pictures");
        // e-mail not verified: the tenant's configured domain, vouched by the administrator.
        assert_eq!(p.card.domain, "contoso.com");
        assert!(p.card.domain_verified);
        assert_eq!(
            p.card.vouched,
            Vouched {
                name: true,
                title: true,
                company: true,
                picture: false,
                domain: false,
            }
        );
    }

    #[test]
    fn another_tenant_is_refused() {
        let c = verified(serde_json::json!({"tid": "another-tenant", "oid": "abc"}));
        assert_eq!(identify(&c, &entra()), Err(IdentityError::WrongTenant));
        let c = verified(serde_json::json!({"oid": "abc"}));
        assert_eq!(identify(&c, &entra()), Err(IdentityError::WrongTenant));
        let c = verified(serde_json::json!({"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47"}));
        assert_eq!(identify(&c, &entra()), Err(IdentityError::MissingObjectId));
    }

    #[test]
    fn generic_issuer_uses_issuer_and_subject_never_email() {
        let mapping = IdentityMapping {
            tenant: "acme".into(),
            ..IdentityMapping::default()
        };
        let c = verified(serde_json::json!({
            "email": "Grace@Hopper.Example", "email_verified": true,
            "given_name": "Grace", "family_name": "Hopper",
            "picture": "https://pics.example/g.png", "job_title": "Admiral", "org": "Navy",
        }));
        let p = identify(&c, &mapping).unwrap();
        assert_eq!(p.user_id, format!("oidc:{ISSUER}#user-1"));
        assert_eq!(p.card.name, "Grace Hopper");
        assert_eq!(p.card.domain, "hopper.example");
        assert!(p.card.domain_verified);
        assert!(p.card.vouched.domain && p.card.vouched.picture && p.card.vouched.name);
        assert_eq!(p.card.title, "Admiral");
        assert_eq!(p.card.company, "Navy");
        // Unverified e-mail, no configured domain: no domain at all.
        let c = verified(serde_json::json!({"email": "x@evil.example", "email_verified": false}));
        let p = identify(&c, &mapping).unwrap();
        assert_eq!(p.card.domain, "");
        assert!(!p.card.domain_verified);
        assert_eq!(p.card.name, "user-1", "no name claim: the subject");
        assert!(!p.card.vouched.name);
    }

    #[test]
    fn hostile_claims_are_bounded() {
        let many: Vec<String> = (0..1000).map(|i| format!("g{i}")).collect();
        let c = verified(serde_json::json!({
            "groups": many, "name": "A\u{0}\u{1b}[31mB", "amr": "pwd",
        }));
        let p = identify(&c, &IdentityMapping::default()).unwrap();
        assert_eq!(p.groups.len(), MAX_GROUPS);
        assert!(p.groups_incomplete);
        assert_eq!(p.card.name, "A[31mB", "control characters dropped");
        assert_eq!(p.amr, ["pwd"]);
        let c = verified(serde_json::json!({"_claim_names": {"groups": "src1"}}));
        assert!(
            identify(&c, &IdentityMapping::default())
                .unwrap()
                .groups_incomplete
        );
    }
}
