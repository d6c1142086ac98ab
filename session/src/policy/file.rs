//! The policy file: TOML, checked whole before it replaces anything. Every error names the
//! file, the line and column, and the field (`docs/policy.md` describes the format).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Assignment, Network, Permission, Policy, Role, Rule, Scope, Stage, Tenant, TenantSettings,
};

/// Largest policy file accepted.
pub const MAX_POLICY_BYTES: usize = 1 << 20;
const MAX_NAME: usize = 256;
const MAX_ITEMS: usize = 10_000;

/// A policy file that cannot be used: where, which field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line (0: the file as a whole).
    pub line: usize,
    /// 1-based column (0: the file as a whole).
    pub column: usize,
    /// The field or key at fault.
    pub field: String,
    /// What is wrong and what is allowed.
    pub reason: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}: {}", self.file, self.field, self.reason)
        } else {
            write!(
                f,
                "{}:{}:{}: {}: {}",
                self.file, self.line, self.column, self.field, self.reason
            )
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    version: Spanned<u32>,
    #[serde(default)]
    tenants: BTreeMap<Spanned<String>, TenantModel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantModel {
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    allow_unenrolled_devices: bool,
    #[serde(default = "yes")]
    chat: bool,
    #[serde(default)]
    keep_chat_transcripts: bool,
    #[serde(default)]
    require_mfa_for_full_control: bool,
    #[serde(default = "yes")]
    clipboard_to_helper: bool,
    #[serde(default = "yes")]
    clipboard_to_sharer: bool,
    #[serde(default)]
    code_lifetime_minutes: Option<Spanned<u64>>,
    #[serde(default)]
    roles: Vec<RoleModel>,
    #[serde(default)]
    assignments: Vec<AssignmentModel>,
    #[serde(default)]
    rules: Vec<RuleModel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleModel {
    name: Spanned<String>,
    permissions: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentModel {
    role: Spanned<String>,
    #[serde(default)]
    users: Vec<Spanned<String>>,
    #[serde(default)]
    groups: Vec<Spanned<String>>,
    scope: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleModel {
    name: Spanned<String>,
    stages: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    require_mfa: bool,
    #[serde(default)]
    require_compliant_device: bool,
    #[serde(default)]
    networks: Vec<Spanned<String>>,
    #[serde(default)]
    message: Option<String>,
}

struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, field: &str, reason: impl Into<String>) -> PolicyError {
        let (line, column) = line_col(self.text, span.start);
        PolicyError {
            file: self.file.to_owned(),
            line,
            column,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    fn name(&self, s: &Spanned<String>, field: &str) -> Result<String, PolicyError> {
        let v = s.get_ref();
        if v.trim().is_empty() || v.len() > MAX_NAME || v.chars().any(char::is_control) {
            return Err(self.err(
                s.span(),
                field,
                format!("1 to {MAX_NAME} characters, no control characters"),
            ));
        }
        Ok(v.clone())
    }

    fn count<T>(&self, items: &[T], span: Range<usize>, field: &str) -> Result<(), PolicyError> {
        if items.len() > MAX_ITEMS {
            return Err(self.err(span, field, format!("at most {MAX_ITEMS} entries")));
        }
        Ok(())
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

pub(super) fn parse(text: &str, file: &str) -> Result<Policy, PolicyError> {
    let cx = Ctx { text, file };
    if text.len() > MAX_POLICY_BYTES {
        return Err(cx.err(
            0..0,
            "(file)",
            format!("larger than {MAX_POLICY_BYTES} bytes"),
        ));
    }
    let model: FileModel = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let field = text
            .get(span.clone())
            .map(|s| s.trim().chars().take(60).collect::<String>())
            .filter(|s| !s.is_empty() && !s.contains('\n'))
            .unwrap_or_else(|| "(syntax)".to_owned());
        cx.err(span, &field, e.message().trim().to_owned())
    })?;
    if *model.version.get_ref() != 1 {
        return Err(cx.err(model.version.span(), "version", "only version = 1 exists"));
    }
    if model.tenants.len() > MAX_ITEMS {
        return Err(cx.err(0..0, "tenants", format!("at most {MAX_ITEMS}")));
    }
    let mut tenants = BTreeMap::new();
    for (name, t) in model.tenants {
        let tenant_name = cx.name(&name, "tenants")?;
        tenants.insert(tenant_name, tenant(&cx, t)?);
    }
    Ok(Policy {
        tenants,
        open: None,
    })
}

fn tenant(cx: &Ctx<'_>, m: TenantModel) -> Result<Tenant, PolicyError> {
    let code_lifetime = match &m.code_lifetime_minutes {
        None => None,
        Some(v) if (1..=1440).contains(v.get_ref()) => Some(Duration::from_secs(v.get_ref() * 60)),
        Some(v) => {
            return Err(cx.err(v.span(), "code_lifetime_minutes", "1 to 1440 minutes"));
        }
    };
    let mut t = Tenant::with_builtins(TenantSettings {
        enabled: m.enabled,
        allow_unenrolled_devices: m.allow_unenrolled_devices,
        chat: m.chat,
        keep_chat_transcripts: m.keep_chat_transcripts,
        require_mfa_for_full_control: m.require_mfa_for_full_control,
        code_lifetime,
        clipboard_to_helper: m.clipboard_to_helper,
        clipboard_to_sharer: m.clipboard_to_sharer,
    });
    cx.count(&m.roles, 0..0, "roles")?;
    for r in &m.roles {
        let name = cx.name(&r.name, "roles.name")?;
        if t.roles.contains_key(&name) {
            return Err(cx.err(
                r.name.span(),
                "roles.name",
                format!("role {name:?} is already defined (built-in roles: helpdesk_operator, helpdesk_viewer, auditor, administrator)"),
            ));
        }
        let mut permissions = BTreeSet::new();
        cx.count(&r.permissions, r.name.span(), "roles.permissions")?;
        for p in &r.permissions {
            let permission: Permission = p.get_ref().parse().map_err(|()| {
                cx.err(
                    p.span(),
                    "roles.permissions",
                    format!(
                        "unknown permission {:?}; known: {}",
                        p.get_ref(),
                        Permission::ALL.map(Permission::as_str).join(", ")
                    ),
                )
            })?;
            permissions.insert(permission);
        }
        t.roles.insert(name.clone(), Role { name, permissions });
    }
    cx.count(&m.assignments, 0..0, "assignments")?;
    for a in &m.assignments {
        let role = a.role.get_ref();
        if !t.roles.contains_key(role) {
            return Err(cx.err(
                a.role.span(),
                "assignments.role",
                format!("no role named {role:?} in this tenant"),
            ));
        }
        cx.count(&a.users, a.role.span(), "assignments.users")?;
        cx.count(&a.groups, a.role.span(), "assignments.groups")?;
        let mut users = BTreeSet::new();
        for u in &a.users {
            users.insert(cx.name(u, "assignments.users")?);
        }
        let mut groups = BTreeSet::new();
        let mut everyone = false;
        for g in &a.groups {
            let g = cx.name(g, "assignments.groups")?;
            if g == "*" {
                everyone = true;
            } else {
                groups.insert(g);
            }
        }
        if users.is_empty() && groups.is_empty() && !everyone {
            return Err(cx.err(
                a.role.span(),
                "assignments",
                "names nobody: give `users` or `groups` (\"*\" for everyone)",
            ));
        }
        let scope_items = a.scope.get_ref();
        cx.count(scope_items, a.scope.span(), "assignments.scope")?;
        let scope = if scope_items.iter().any(|s| s.get_ref() == "*") {
            if scope_items.len() != 1 {
                return Err(cx.err(
                    a.scope.span(),
                    "assignments.scope",
                    "\"*\" (everyone) stands alone",
                ));
            }
            Scope::All
        } else if scope_items.is_empty() {
            return Err(cx.err(
                a.scope.span(),
                "assignments.scope",
                "empty: list sharer or device groups, or \"*\" for everyone in the tenant",
            ));
        } else {
            let mut groups = BTreeSet::new();
            for s in scope_items {
                groups.insert(cx.name(s, "assignments.scope")?);
            }
            Scope::Groups(groups)
        };
        t.assignments.push(Assignment {
            role: role.clone(),
            users,
            groups,
            everyone,
            scope,
        });
    }
    cx.count(&m.rules, 0..0, "rules")?;
    for r in &m.rules {
        let name = cx.name(&r.name, "rules.name")?;
        let mut stages = BTreeSet::new();
        for s in r.stages.get_ref() {
            let stage = [Stage::IssueCode, Stage::RedeemCode, Stage::Request]
                .into_iter()
                .find(|st| st.as_str() == s.get_ref())
                .ok_or_else(|| {
                    cx.err(
                        s.span(),
                        "rules.stages",
                        format!(
                            "unknown stage {:?}; known: issue_code, redeem_code, request",
                            s.get_ref()
                        ),
                    )
                })?;
            stages.insert(stage);
        }
        if stages.is_empty() {
            return Err(cx.err(
                r.stages.span(),
                "rules.stages",
                "empty: the rule would never apply",
            ));
        }
        cx.count(&r.networks, r.name.span(), "rules.networks")?;
        let mut networks = Vec::new();
        for n in &r.networks {
            networks.push(Network::parse(n.get_ref()).ok_or_else(|| {
                cx.err(
                    n.span(),
                    "rules.networks",
                    format!(
                        "{:?} is not an address or network like 10.0.0.0/8",
                        n.get_ref()
                    ),
                )
            })?);
        }
        if !(r.require_mfa || r.require_compliant_device || !networks.is_empty()) {
            return Err(cx.err(
                r.name.span(),
                "rules",
                "requires nothing: set require_mfa, require_compliant_device or networks",
            ));
        }
        let message = match &r.message {
            Some(m) if m.len() > 1024 || m.chars().any(char::is_control) => {
                return Err(cx.err(
                    r.name.span(),
                    "rules.message",
                    "at most 1024 bytes, no control characters",
                ));
            }
            Some(m) if !m.trim().is_empty() => m.clone(),
            _ => format!("Refused by the access rule \"{name}\"."),
        };
        t.rules.push(Rule {
            name,
            stages,
            require_mfa: r.require_mfa,
            require_compliant_device: r.require_compliant_device,
            networks,
            message,
        });
    }
    Ok(t)
}
