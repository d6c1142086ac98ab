//! Who may help whom, at what level: roles, scopes, tenant settings and conditional-access
//! rules, as pure functions over plain data.
//!
//! A [`Policy`] comes from a policy file ([`Policy::parse`], TOML, see `docs/policy.md`) or
//! is the embedded default ([`Policy::embedded_default`]: one open tenant for a broker run
//! without a file). Every decision takes the acting [`Subject`] (and, from redemption on,
//! the other side and the sharer's [`Device`]) and answers a [`Decision`]: allowed, with
//! warnings for the helper, or refused with a reason a person can read. The broker asks at
//! every step — issuing a code, redeeming it, each requested level, escalation, reports —
//! and again for every live session whenever the policy or a device's record changes, so a
//! removed role takes effect at once ([`Policy::max_level`]).
//!
//! Nothing here reads a clock, a file or a socket: the broker reads the file and passes the
//! text, and the policy is swapped whole on reload.

mod file;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use glass_protocol::{Client, Level};

pub use file::PolicyError;

/// What a role lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// Start a help session: get a code.
    OfferHelp,
    /// See the sharer's screen (`view`).
    ViewScreen,
    /// Control the sharer's mouse and keyboard (`full`).
    FullControl,
    /// Help without a sharer present. Reserved: no code path grants it yet.
    Unattended,
    /// Read session reports.
    ViewReports,
    /// Manage devices and policy through the API.
    Manage,
}

impl Permission {
    /// Every permission, in file order.
    pub const ALL: [Permission; 6] = [
        Permission::OfferHelp,
        Permission::ViewScreen,
        Permission::FullControl,
        Permission::Unattended,
        Permission::ViewReports,
        Permission::Manage,
    ];

    /// The name used in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OfferHelp => "offer_help",
            Permission::ViewScreen => "view_screen",
            Permission::FullControl => "full_control",
            Permission::Unattended => "unattended",
            Permission::ViewReports => "view_reports",
            Permission::Manage => "manage",
        }
    }

    /// The permission a level needs.
    pub fn for_level(level: Level) -> Permission {
        match level {
            Level::View => Permission::ViewScreen,
            Level::Full => Permission::FullControl,
        }
    }
}

impl std::str::FromStr for Permission {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(())
    }
}

/// A named set of permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// Its name (unique within a tenant).
    pub name: String,
    /// What it allows.
    pub permissions: BTreeSet<Permission>,
}

/// The built-in roles every tenant has, mirroring the reference product's: a help-desk
/// operator (view and full control), a viewer-only operator, a read-only auditor and an
/// administrator.
pub fn builtin_roles() -> Vec<Role> {
    use Permission::*;
    let role = |name: &str, permissions: &[Permission]| Role {
        name: name.to_owned(),
        permissions: permissions.iter().copied().collect(),
    };
    vec![
        role("helpdesk_operator", &[OfferHelp, ViewScreen, FullControl]),
        role("helpdesk_viewer", &[OfferHelp, ViewScreen]),
        role("auditor", &[ViewReports]),
        role(
            "administrator",
            &[OfferHelp, ViewScreen, FullControl, ViewReports, Manage],
        ),
    ]
}

/// Which sharers and devices an assignment covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everyone in the tenant (`scope = ["*"]`).
    All,
    /// Sharers or devices in any of these groups.
    Groups(BTreeSet<String>),
}

impl Scope {
    fn covers(&self, sharer: &Subject<'_>, device: &Device) -> bool {
        match self {
            Scope::All => true,
            Scope::Groups(groups) => sharer
                .groups
                .iter()
                .chain(device.groups.iter())
                .any(|g| groups.contains(g)),
        }
    }
}

/// A role given to users and groups, limited to a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The role's name.
    pub role: String,
    /// User ids it applies to.
    pub users: BTreeSet<String>,
    /// Groups it applies to (the identity provider's `groups`/`roles`, or local groups).
    pub groups: BTreeSet<String>,
    /// Applies to every user of the tenant (`groups = ["*"]`).
    pub everyone: bool,
    /// Whom the holder may help.
    pub scope: Scope,
}

impl Assignment {
    fn holds(&self, who: &Subject<'_>) -> bool {
        self.everyone
            || self.users.contains(who.user_id)
            || who.groups.iter().any(|g| self.groups.contains(g))
    }
}

/// Where in a session a rule is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Before a code is issued (the helper acts).
    IssueCode,
    /// Before a code is redeemed (the sharer acts).
    RedeemCode,
    /// Before a level is requested, first or escalation (the helper acts).
    Request,
}

impl Stage {
    /// The name used in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::IssueCode => "issue_code",
            Stage::RedeemCode => "redeem_code",
            Stage::Request => "request",
        }
    }
}

/// An IPv4 or IPv6 network: address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128).
    pub fn parse(s: &str) -> Option<Network> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|&p| p <= max)?
            }
            Some(_) => return None,
            None => max,
        };
        Some(Network { addr, prefix })
    }

    /// Whether `ip` is inside (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let (a, b, bits) = match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) as u128, u32::from(b) as u128, 32),
            (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
            _ => return false,
        };
        if self.prefix == 0 {
            return true;
        }
        let shift = bits - u32::from(self.prefix);
        (a >> shift) == (b >> shift)
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A conditional-access rule: requirements on the acting user's sign-in, address and device,
/// checked at some stages. Any requirement not met refuses, with the rule's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Its name (in audit rows and logs).
    pub name: String,
    /// Where it applies.
    pub stages: BTreeSet<Stage>,
    /// The user signed in with multi-factor authentication (`amr` contains `mfa`).
    pub require_mfa: bool,
    /// The sharer's device is enrolled and compliant (checked from redemption on).
    pub require_compliant_device: bool,
    /// The acting user's address is in one of these (empty: anywhere).
    pub networks: Vec<Network>,
    /// What the refused user is told.
    pub message: String,
}

/// A tenant's switches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantSettings {
    /// Remote help is on for this tenant.
    pub enabled: bool,
    /// Devices that are not enrolled (and web sharers) may be helped, with a warning.
    pub allow_unenrolled_devices: bool,
    /// Chat is on.
    pub chat: bool,
    /// Chat text is kept in the audit trail.
    pub keep_chat_transcripts: bool,
    /// Full control needs a multi-factor sign-in by the helper.
    pub require_mfa_for_full_control: bool,
    /// How long a code stays valid (`None`: the broker's setting).
    pub code_lifetime: Option<Duration>,
    /// What the sharer copies may reach the helper (with full control only).
    pub clipboard_to_helper: bool,
    /// What the helper copies may be pasted on the sharer's machine (full control only).
    pub clipboard_to_sharer: bool,
}

impl Default for TenantSettings {
    /// The reference product's defaults for a tenant named in a policy file: on (naming it
    /// is turning it on), unenrolled devices refused, chat on, no transcripts, no MFA rule.
    fn default() -> Self {
        TenantSettings {
            enabled: true,
            allow_unenrolled_devices: false,
            chat: true,
            keep_chat_transcripts: false,
            require_mfa_for_full_control: false,
            code_lifetime: None,
            clipboard_to_helper: true,
            clipboard_to_sharer: true,
        }
    }
}

/// One tenant's policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    /// Switches.
    pub settings: TenantSettings,
    /// Roles by name: the built-ins plus the file's.
    pub roles: BTreeMap<String, Role>,
    /// Who holds which role, for whom.
    pub assignments: Vec<Assignment>,
    /// Conditional-access rules.
    pub rules: Vec<Rule>,
}

impl Tenant {
    fn with_builtins(settings: TenantSettings) -> Tenant {
        Tenant {
            settings,
            roles: builtin_roles()
                .into_iter()
                .map(|r| (r.name.clone(), r))
                .collect(),
            assignments: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// Whether `who` holds `permission` anywhere in the tenant (for permissions without a
    /// sharer: offering help, reports, management).
    fn holds(&self, who: &Subject<'_>, permission: Permission) -> bool {
        self.assignments
            .iter()
            .filter(|a| a.holds(who))
            .any(|a| self.grants(a, permission))
    }

    /// Whether `helper` holds `permission` with a scope covering `sharer` and `device`.
    fn holds_for(
        &self,
        helper: &Subject<'_>,
        permission: Permission,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> bool {
        self.assignments
            .iter()
            .filter(|a| a.holds(helper) && a.scope.covers(sharer, device))
            .any(|a| self.grants(a, permission))
    }

    fn grants(&self, a: &Assignment, permission: Permission) -> bool {
        self.roles
            .get(&a.role)
            .is_some_and(|r| r.permissions.contains(&permission))
    }

    fn check_rules(
        &self,
        stage: Stage,
        actor: &Subject<'_>,
        device: Option<&Device>,
    ) -> Result<(), Refusal> {
        for rule in self.rules.iter().filter(|r| r.stages.contains(&stage)) {
            let mfa_ok = !rule.require_mfa || actor.has_mfa();
            let device_ok = !rule.require_compliant_device
                || device.is_none_or(|d| d.enrolled && d.compliance == Compliance::Compliant);
            let net_ok =
                rule.networks.is_empty() || rule.networks.iter().any(|n| n.contains(actor.addr));
            if !(mfa_ok && device_ok && net_ok) {
                return Err(Refusal {
                    reason: RefusalReason::Rule(rule.name.clone()),
                    message: rule.message.clone(),
                });
            }
        }
        Ok(())
    }
}

/// A signed-in user acting (or acted for), as the policy sees them.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// Stable user id.
    pub user_id: &'a str,
    /// Tenant.
    pub tenant: &'a str,
    /// Groups.
    pub groups: &'a [String],
    /// Authentication methods (`amr`).
    pub amr: &'a [String],
    /// Where the request comes from.
    pub addr: IpAddr,
}

impl Subject<'_> {
    fn has_mfa(&self) -> bool {
        self.amr.iter().any(|m| m == "mfa")
    }
}

/// What is recorded about a device's health.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compliance {
    /// Meets the organisation's rules.
    Compliant,
    /// Does not; why.
    NotCompliant(Vec<String>),
    /// Nobody recorded anything.
    Unknown,
}

/// The sharer's device, as the broker knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Enrolled by an administrator.
    pub enrolled: bool,
    /// Its recorded health.
    pub compliance: Compliance,
    /// Device groups (for scopes).
    pub groups: Vec<String>,
}

impl Device {
    /// A device nobody enrolled: every web sharer, and an agent without an enrolled key.
    pub fn unenrolled() -> Device {
        Device {
            enrolled: false,
            compliance: Compliance::Unknown,
            groups: Vec::new(),
        }
    }
}

/// What the helper is shown before choosing a level. Never blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The device is not enrolled (or the sharer uses the web app).
    DeviceNotEnrolled,
    /// The device is not compliant, with the recorded reasons.
    DeviceNotCompliant(Vec<String>),
    /// Nobody recorded the device's compliance.
    DeviceComplianceUnknown,
}

/// Why the policy refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefusalReason {
    /// The user's tenant has no policy, or remote help is off for it.
    TenantDisabled,
    /// Helper and sharer are in different tenants.
    CrossTenant,
    /// No role grants this.
    NoPermission(Permission),
    /// A role grants it, but not for this sharer or device.
    OutOfScope(Permission),
    /// The device is not enrolled and the tenant does not allow that.
    DeviceNotEnrolled,
    /// Full control needs a multi-factor sign-in.
    MfaRequired,
    /// A conditional-access rule refused (its name).
    Rule(String),
}

impl RefusalReason {
    /// A stable snake_case name (audit detail, logs, counters).
    pub fn name(&self) -> &'static str {
        match self {
            RefusalReason::TenantDisabled => "tenant_disabled",
            RefusalReason::CrossTenant => "cross_tenant",
            RefusalReason::NoPermission(_) => "no_permission",
            RefusalReason::OutOfScope(_) => "out_of_scope",
            RefusalReason::DeviceNotEnrolled => "device_not_enrolled",
            RefusalReason::MfaRequired => "mfa_required",
            RefusalReason::Rule(_) => "rule",
        }
    }
}

/// A refusal: why, and the sentence the refused user reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Why.
    pub reason: RefusalReason,
    /// For people: the rule's message, or a fixed English sentence. Never internals.
    pub message: String,
}

impl Refusal {
    fn fixed(reason: RefusalReason) -> Refusal {
        let message = match &reason {
            RefusalReason::TenantDisabled => {
                "Remote help is not turned on for your organisation.".to_owned()
            }
            RefusalReason::CrossTenant => {
                "You can only help people in your own organisation.".to_owned()
            }
            RefusalReason::NoPermission(p) => format!(
                "Your role does not allow this ({}). Ask your administrator.",
                p.as_str()
            ),
            RefusalReason::OutOfScope(p) => format!(
                "Your role does not allow this ({}) for this person or device.",
                p.as_str()
            ),
            RefusalReason::DeviceNotEnrolled => {
                "This device is not enrolled, and your organisation only allows help on enrolled devices."
                    .to_owned()
            }
            RefusalReason::MfaRequired => {
                "Full control needs a sign-in with multi-factor authentication.".to_owned()
            }
            RefusalReason::Rule(name) => format!("Refused by the access rule \"{name}\"."),
        };
        Refusal { reason, message }
    }
}

/// The policy's answer: allowed (with the warnings to show the helper), or refused.
pub type Decision = Result<Vec<Warning>, Refusal>;

/// The whole policy: per-tenant settings, roles, assignments and rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    tenants: BTreeMap<String, Tenant>,
    /// Applies to any tenant not listed (the embedded default only).
    open: Option<Tenant>,
}

impl Policy {
    /// The policy of a broker run without a policy file: every signed-in user of any tenant
    /// holds `helpdesk_operator` for everyone in their tenant, unenrolled devices are allowed
    /// (with a warning), chat is on. For trying Glass out and for small teams; an
    /// organisation writes a file.
    pub fn embedded_default() -> Policy {
        let mut open = Tenant::with_builtins(TenantSettings {
            allow_unenrolled_devices: true,
            ..TenantSettings::default()
        });
        open.assignments.push(Assignment {
            role: "helpdesk_operator".into(),
            users: BTreeSet::new(),
            groups: BTreeSet::new(),
            everyone: true,
            scope: Scope::All,
        });
        Policy {
            tenants: BTreeMap::new(),
            open: Some(open),
        }
    }

    /// Parses and validates a policy file's text; `file` names it in errors (with line and
    /// field).
    pub fn parse(text: &str, file: &str) -> Result<Policy, PolicyError> {
        file::parse(text, file)
    }

    /// A tenant's policy: listed, or the embedded default's open tenant.
    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.get(name).or(self.open.as_ref())
    }

    /// The tenants a file lists.
    pub fn tenant_names(&self) -> impl Iterator<Item = &str> {
        self.tenants.keys().map(String::as_str)
    }

    fn enabled_tenant(&self, name: &str) -> Result<&Tenant, Refusal> {
        self.tenant(name)
            .filter(|t| t.settings.enabled)
            .ok_or_else(|| Refusal::fixed(RefusalReason::TenantDisabled))
    }

    /// Whether `who` holds `permission` for anyone in their tenant.
    fn tenant_grants(&self, who: &Subject<'_>, permission: Permission) -> bool {
        self.tenant(who.tenant)
            .is_some_and(|t| t.holds(who, permission))
    }

    /// May `helper` get a code? Needs `offer_help` and the `issue_code` rules.
    pub fn may_issue_code(&self, helper: &Subject<'_>) -> Decision {
        let t = self.enabled_tenant(helper.tenant)?;
        if !self.tenant_grants(helper, Permission::OfferHelp) {
            return Err(Refusal::fixed(RefusalReason::NoPermission(
                Permission::OfferHelp,
            )));
        }
        t.check_rules(Stage::IssueCode, helper, None)?;
        Ok(Vec::new())
    }

    /// May `sharer`, on `device`, join `helper`'s session? Same tenant; the helper may offer
    /// help and view this sharer; the device is enrolled or the tenant allows unenrolled
    /// ones; the `redeem_code` rules pass for the sharer. The warnings are the helper's.
    pub fn may_join(
        &self,
        helper: &Subject<'_>,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> Decision {
        if helper.tenant != sharer.tenant {
            return Err(Refusal::fixed(RefusalReason::CrossTenant));
        }
        let t = self.enabled_tenant(sharer.tenant)?;
        for p in [Permission::OfferHelp, Permission::ViewScreen] {
            if !t.holds_for(helper, p, sharer, device) {
                let reason = if self.tenant_grants(helper, p) {
                    RefusalReason::OutOfScope(p)
                } else {
                    RefusalReason::NoPermission(p)
                };
                return Err(Refusal::fixed(reason));
            }
        }
        if !device.enrolled && !t.settings.allow_unenrolled_devices {
            return Err(Refusal::fixed(RefusalReason::DeviceNotEnrolled));
        }
        t.check_rules(Stage::RedeemCode, sharer, Some(device))?;
        Ok(device_warnings(device))
    }

    /// May `helper` ask `sharer` for `level` (the first request or an escalation)? The
    /// permission for the level in scope, MFA for full control where the tenant asks for it,
    /// and the `request` rules for the helper.
    pub fn may_request(
        &self,
        level: Level,
        helper: &Subject<'_>,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> Decision {
        let t = self.level_allowed(level, helper, sharer, device)?;
        t.check_rules(Stage::Request, helper, Some(device))?;
        Ok(device_warnings(device))
    }

    fn level_allowed(
        &self,
        level: Level,
        helper: &Subject<'_>,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> Result<&Tenant, Refusal> {
        if helper.tenant != sharer.tenant {
            return Err(Refusal::fixed(RefusalReason::CrossTenant));
        }
        let t = self.enabled_tenant(helper.tenant)?;
        let p = Permission::for_level(level);
        if !t.holds_for(helper, p, sharer, device) {
            let reason = if self.tenant_grants(helper, p) {
                RefusalReason::OutOfScope(p)
            } else {
                RefusalReason::NoPermission(p)
            };
            return Err(Refusal::fixed(reason));
        }
        if level == Level::Full && t.settings.require_mfa_for_full_control && !helper.has_mfa() {
            return Err(Refusal::fixed(RefusalReason::MfaRequired));
        }
        if !device.enrolled && !t.settings.allow_unenrolled_devices {
            return Err(Refusal::fixed(RefusalReason::DeviceNotEnrolled));
        }
        Ok(t)
    }

    /// The highest level `helper` may hold over `sharer` on `device` now (`None`: the helper
    /// may not help at all any more). Re-evaluated for live sessions when the policy or a
    /// device changes; the address rules are the request's and are not re-evaluated.
    pub fn max_level(
        &self,
        helper: &Subject<'_>,
        sharer: &Subject<'_>,
        device: &Device,
    ) -> Option<Level> {
        [Level::Full, Level::View]
            .into_iter()
            .find(|&l| self.level_allowed(l, helper, sharer, device).is_ok())
    }

    /// May `who` read reports?
    pub fn may_view_reports(&self, who: &Subject<'_>) -> bool {
        self.enabled_tenant(who.tenant).is_ok() && self.tenant_grants(who, Permission::ViewReports)
    }

    /// May `who` manage devices?
    pub fn may_manage(&self, who: &Subject<'_>) -> bool {
        self.enabled_tenant(who.tenant).is_ok() && self.tenant_grants(who, Permission::Manage)
    }

    /// A tenant's chat switch (off when the tenant is unknown or disabled).
    pub fn chat(&self, tenant: &str) -> bool {
        self.tenant(tenant).is_some_and(|t| t.settings.chat)
    }

    /// Whether a tenant keeps chat transcripts in the audit trail (off when the tenant is
    /// unknown or disabled, or its chat is off).
    pub fn keep_chat_transcripts(&self, tenant: &str) -> bool {
        self.tenant(tenant)
            .is_some_and(|t| t.settings.chat && t.settings.keep_chat_transcripts)
    }

    /// Which way clipboard text may go in a tenant's sessions (neither when the tenant is
    /// unknown or disabled).
    pub fn clipboard(&self, tenant: &str) -> (bool, bool) {
        self.tenant(tenant)
            .filter(|t| t.settings.enabled)
            .map_or((false, false), |t| {
                (
                    t.settings.clipboard_to_helper,
                    t.settings.clipboard_to_sharer,
                )
            })
    }

    /// A tenant's code lifetime, if it sets one.
    pub fn code_lifetime(&self, tenant: &str) -> Option<Duration> {
        self.tenant(tenant).and_then(|t| t.settings.code_lifetime)
    }

    /// Which web-visible levels a web sharer supports: view only.
    pub fn client_max(client: Client) -> Level {
        match client {
            Client::Agent => Level::Full,
            Client::Web => Level::View,
        }
    }
}

fn device_warnings(device: &Device) -> Vec<Warning> {
    if !device.enrolled {
        return vec![Warning::DeviceNotEnrolled];
    }
    match &device.compliance {
        Compliance::Compliant => Vec::new(),
        Compliance::NotCompliant(reasons) => vec![Warning::DeviceNotCompliant(reasons.clone())],
        Compliance::Unknown => vec![Warning::DeviceComplianceUnknown],
    }
}

#[cfg(test)]
mod tests;
