use std::net::IpAddr;

use super::*;

const FILE: &str = r#"
version = 1

[tenants.contoso]
allow_unenrolled_devices = false
require_mfa_for_full_control = false
code_lifetime_minutes = 15

[[tenants.contoso.roles]]
name = "tier1"
permissions = ["offer_help", "view_screen"]

[[tenants.contoso.assignments]]
role = "helpdesk_operator"
groups = ["helpdesk"]
scope = ["staff"]

[[tenants.contoso.assignments]]
role = "tier1"
users = ["local:trainee"]
scope = ["*"]

[[tenants.contoso.assignments]]
role = "auditor"
groups = ["audit"]
scope = ["*"]

[tenants.fabrikam]
allow_unenrolled_devices = true
require_mfa_for_full_control = true
keep_chat_transcripts = true

[[tenants.fabrikam.assignments]]
role = "helpdesk_operator"
groups = ["*"]
scope = ["*"]

[[tenants.fabrikam.rules]]
name = "office"
stages = ["issue_code"]
networks = ["10.0.0.0/8", "2001:db8::/32"]
message = "Offer help from the office network."

[tenants.closed]
enabled = false
"#;

fn policy() -> Policy {
    Policy::parse(FILE, "policy.toml").unwrap()
}

struct Who {
    id: &'static str,
    tenant: &'static str,
    groups: Vec<String>,
    amr: Vec<String>,
    addr: IpAddr,
}

fn who(id: &'static str, tenant: &'static str, groups: &[&str]) -> Who {
    Who {
        id,
        tenant,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        amr: vec!["pwd".into()],
        addr: IpAddr::from([10, 1, 2, 3]),
    }
}

impl Who {
    fn s(&self) -> Subject<'_> {
        Subject {
            user_id: self.id,
            tenant: self.tenant,
            groups: &self.groups,
            amr: &self.amr,
            addr: self.addr,
        }
    }
}

fn enrolled(compliance: Compliance, groups: &[&str]) -> Device {
    Device {
        enrolled: true,
        compliance,
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

fn reason(d: Decision) -> &'static str {
    match d {
        Ok(_) => "allowed",
        Err(r) => r.reason.name(),
    }
}

/// The table the issue asks for: (helper role, scope, sharer, device, level) → allowed or
/// refused, and why.
#[test]
fn who_may_help_whom_table() {
    let p = policy();
    let op = who("local:ada", "contoso", &["helpdesk"]);
    let trainee = who("local:trainee", "contoso", &[]);
    let auditor = who("local:aud", "contoso", &["audit"]);
    let staff = who("local:sam", "contoso", &["staff"]);
    let exec = who("local:eve", "contoso", &["executives"]);
    let other = who("local:fab", "fabrikam", &["staff"]);
    let ok_dev = enrolled(Compliance::Compliant, &[]);
    let exec_dev_in_staff = enrolled(Compliance::Compliant, &["staff"]);
    let bad_dev = enrolled(
        Compliance::NotCompliant(vec!["disk not encrypted".into()]),
        &[],
    );
    let unenrolled = Device::unenrolled();
    let cases: Vec<(&Who, &Who, &Device, Level, &str)> = vec![
        // operator: view and full within scope "staff"
        (&op, &staff, &ok_dev, Level::View, "allowed"),
        (&op, &staff, &ok_dev, Level::Full, "allowed"),
        // … out of scope for someone not in staff, unless the device is in a staff group
        (&op, &exec, &ok_dev, Level::View, "out_of_scope"),
        (&op, &exec, &exec_dev_in_staff, Level::Full, "allowed"),
        // trainee (tier1, everyone): view yes, full no
        (&trainee, &exec, &ok_dev, Level::View, "allowed"),
        (&trainee, &exec, &ok_dev, Level::Full, "no_permission"),
        // auditor cannot help at all
        (&auditor, &staff, &ok_dev, Level::View, "no_permission"),
        // no help across tenants
        (&op, &other, &ok_dev, Level::View, "cross_tenant"),
        // contoso refuses unenrolled devices; non-compliant ones are warned, not refused
        (&op, &staff, &unenrolled, Level::View, "device_not_enrolled"),
        (&op, &staff, &bad_dev, Level::Full, "allowed"),
    ];
    for (i, (helper, sharer, device, level, want)) in cases.into_iter().enumerate() {
        let got = reason(p.may_request(level, &helper.s(), &sharer.s(), device));
        assert_eq!(
            got, want,
            "case {i}: {} → {} {level:?}",
            helper.id, sharer.id
        );
    }
}

#[test]
fn joining_checks_tenant_scope_and_device_and_warns() {
    let p = policy();
    let op = who("local:ada", "contoso", &["helpdesk"]);
    let staff = who("local:sam", "contoso", &["staff"]);
    let bad = enrolled(Compliance::NotCompliant(vec!["old OS".into()]), &[]);
    assert_eq!(
        p.may_join(&op.s(), &staff.s(), &bad).unwrap(),
        vec![Warning::DeviceNotCompliant(vec!["old OS".into()])]
    );
    assert_eq!(
        p.may_join(&op.s(), &staff.s(), &enrolled(Compliance::Unknown, &[]))
            .unwrap(),
        vec![Warning::DeviceComplianceUnknown]
    );
    assert_eq!(
        reason(p.may_join(&op.s(), &staff.s(), &Device::unenrolled())),
        "device_not_enrolled"
    );
    // fabrikam allows unenrolled devices: a warning, not a refusal.
    let f_op = who("local:fop", "fabrikam", &[]);
    let f_sharer = who("local:fsam", "fabrikam", &[]);
    assert_eq!(
        p.may_join(&f_op.s(), &f_sharer.s(), &Device::unenrolled())
            .unwrap(),
        vec![Warning::DeviceNotEnrolled]
    );
}

#[test]
fn issuing_needs_offer_help_an_enabled_tenant_and_the_rules() {
    let p = policy();
    assert!(
        p.may_issue_code(&who("local:ada", "contoso", &["helpdesk"]).s())
            .is_ok()
    );
    assert_eq!(
        reason(p.may_issue_code(&who("local:aud", "contoso", &["audit"]).s())),
        "no_permission"
    );
    assert_eq!(
        reason(p.may_issue_code(&who("local:x", "closed", &[]).s())),
        "tenant_disabled"
    );
    assert_eq!(
        reason(p.may_issue_code(&who("local:x", "unlisted", &[]).s())),
        "tenant_disabled"
    );
    // fabrikam: only from the office networks, and the rule's message is what the user reads.
    let mut f = who("local:fop", "fabrikam", &[]);
    assert!(p.may_issue_code(&f.s()).is_ok());
    f.addr = "2001:db8::5".parse().unwrap();
    assert!(p.may_issue_code(&f.s()).is_ok());
    f.addr = "192.0.2.1".parse().unwrap();
    let refusal = p.may_issue_code(&f.s()).unwrap_err();
    assert_eq!(refusal.reason, RefusalReason::Rule("office".into()));
    assert_eq!(refusal.message, "Offer help from the office network.");
    // IPv4-mapped IPv6 is its IPv4 address.
    f.addr = "::ffff:10.9.9.9".parse().unwrap();
    assert!(p.may_issue_code(&f.s()).is_ok());
}

#[test]
fn mfa_is_required_for_full_control_where_the_tenant_says_so() {
    let p = policy();
    let mut op = who("local:fop", "fabrikam", &[]);
    let sharer = who("local:fsam", "fabrikam", &[]);
    let dev = Device::unenrolled();
    assert!(
        p.may_request(Level::View, &op.s(), &sharer.s(), &dev)
            .is_ok()
    );
    assert_eq!(
        reason(p.may_request(Level::Full, &op.s(), &sharer.s(), &dev)),
        "mfa_required"
    );
    assert_eq!(p.max_level(&op.s(), &sharer.s(), &dev), Some(Level::View));
    op.amr.push("mfa".into());
    assert!(
        p.may_request(Level::Full, &op.s(), &sharer.s(), &dev)
            .is_ok()
    );
    assert_eq!(p.max_level(&op.s(), &sharer.s(), &dev), Some(Level::Full));
}

#[test]
fn a_removed_role_lowers_the_max_level() {
    let before = policy();
    let after = Policy::parse(
        &FILE.replace(
            "role = \"helpdesk_operator\"\ngroups = [\"helpdesk\"]",
            "role = \"tier1\"\ngroups = [\"helpdesk\"]",
        ),
        "policy.toml",
    )
    .unwrap();
    let op = who("local:ada", "contoso", &["helpdesk"]);
    let staff = who("local:sam", "contoso", &["staff"]);
    let dev = enrolled(Compliance::Compliant, &[]);
    assert_eq!(
        before.max_level(&op.s(), &staff.s(), &dev),
        Some(Level::Full)
    );
    // tier1 has no scope limit but no full control
    assert_eq!(
        after.max_level(&op.s(), &staff.s(), &dev),
        Some(Level::View)
    );
    let gone = Policy::parse(&FILE.replace("[\"helpdesk\"]", "[\"nobody\"]"), "p").unwrap();
    assert_eq!(gone.max_level(&op.s(), &staff.s(), &dev), None);
}

#[test]
fn reports_and_management() {
    let p = policy();
    assert!(p.may_view_reports(&who("local:aud", "contoso", &["audit"]).s()));
    assert!(!p.may_view_reports(&who("local:ada", "contoso", &["helpdesk"]).s()));
    assert!(!p.may_manage(&who("local:aud", "contoso", &["audit"]).s()));
}

#[test]
fn the_embedded_default_lets_everyone_help_everyone_in_their_tenant() {
    let p = Policy::embedded_default();
    let a = who("local:ada", "local", &[]);
    let b = who("local:sam", "local", &[]);
    let c = who("oidc:x", "contoso", &[]);
    assert!(p.may_issue_code(&a.s()).is_ok());
    assert_eq!(
        p.may_join(&a.s(), &b.s(), &Device::unenrolled()).unwrap(),
        vec![Warning::DeviceNotEnrolled]
    );
    assert!(
        p.may_request(Level::Full, &a.s(), &b.s(), &Device::unenrolled())
            .is_ok()
    );
    assert_eq!(
        reason(p.may_join(&a.s(), &c.s(), &Device::unenrolled())),
        "cross_tenant"
    );
    assert!(p.chat("local"));
    assert!(!p.may_view_reports(&a.s()));
}

#[test]
fn settings_are_read() {
    let p = policy();
    assert_eq!(
        p.code_lifetime("contoso"),
        Some(std::time::Duration::from_secs(15 * 60))
    );
    assert_eq!(p.code_lifetime("fabrikam"), None);
    assert!(p.chat("contoso"));
    assert!(!p.chat("unlisted"));
    // Transcripts: only where the tenant says so (off by default, and for unknown tenants).
    assert!(p.keep_chat_transcripts("fabrikam"));
    assert!(!p.keep_chat_transcripts("contoso"));
    assert!(!p.keep_chat_transcripts("unlisted"));
    let no_chat = Policy::parse(
        &FILE.replace(
            "keep_chat_transcripts = true\n",
            "keep_chat_transcripts = true\nchat = false\n",
        ),
        "policy.toml",
    )
    .unwrap();
    assert!(
        !no_chat.keep_chat_transcripts("fabrikam"),
        "no chat, nothing to keep"
    );
    // Clipboard: both ways unless a tenant turns a way off; nothing for unknown tenants.
    assert_eq!(p.clipboard("contoso"), (true, true));
    assert_eq!(p.clipboard("unlisted"), (false, false));
    assert_eq!(p.clipboard("closed"), (false, false), "a disabled tenant");
    let one_way = Policy::parse(
        &FILE.replace(
            "keep_chat_transcripts = true\n",
            "keep_chat_transcripts = true\nclipboard_to_sharer = false\n",
        ),
        "policy.toml",
    )
    .unwrap();
    assert_eq!(one_way.clipboard("fabrikam"), (true, false));
    assert_eq!(Policy::embedded_default().clipboard("any"), (true, true));
}

fn err(text: &str) -> PolicyError {
    Policy::parse(text, "p.toml").unwrap_err()
}

#[test]
fn errors_name_file_line_and_field() {
    let e = err("version = 1\n[tenants.a]\nenabled = \"yes\"\n");
    assert_eq!((e.file.as_str(), e.line), ("p.toml", 3), "{e}");
    assert!(e.to_string().starts_with("p.toml:3:"), "{e}");

    let e = err("version = 1\n[tenants.a]\nbogus = 1\n");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.reason.contains("bogus"), "{e}");

    let e = err(
        "version = 1\n[[tenants.a.assignments]]\nrole = \"nope\"\ngroups = [\"g\"]\nscope = [\"*\"]\n",
    );
    assert_eq!((e.line, e.field.as_str()), (3, "assignments.role"), "{e}");

    let e = err(
        "version = 1\n[[tenants.a.roles]]\nname = \"r\"\npermissions = [\"view_screen\", \"fly\"]\n",
    );
    assert_eq!((e.line, e.field.as_str()), (4, "roles.permissions"), "{e}");
    assert!(e.reason.contains("\"fly\""), "{e}");

    let e = err(
        "version = 1\n[[tenants.a.rules]]\nname = \"r\"\nstages = [\"request\"]\nnetworks = [\"10.0.0.0/33\"]\n",
    );
    assert_eq!((e.line, e.field.as_str()), (5, "rules.networks"), "{e}");

    let e = err("version = 1\n[[tenants.a.assignments]]\nrole = \"auditor\"\nscope = [\"*\"]\n");
    assert_eq!(e.field, "assignments", "{e}");

    let e = err(
        "version = 1\n[[tenants.a.assignments]]\nrole = \"auditor\"\ngroups = [\"g\"]\nscope = []\n",
    );
    assert_eq!((e.line, e.field.as_str()), (5, "assignments.scope"), "{e}");

    let e = err("version = 2\n");
    assert_eq!((e.line, e.field.as_str()), (1, "version"), "{e}");

    let e = err("version = 1\n[tenants.a]\ncode_lifetime_minutes = 0\n");
    assert_eq!(
        (e.line, e.field.as_str()),
        (3, "code_lifetime_minutes"),
        "{e}"
    );

    let e = err("version = 1\n[[tenants.a.roles]]\nname = \"auditor\"\npermissions = []\n");
    assert_eq!((e.line, e.field.as_str()), (3, "roles.name"), "{e}");

    let e = err("[tenants.a\n");
    assert_eq!(e.line, 1, "{e}");

    let e = err("");
    assert!(e.reason.contains("version"), "{e}");
}

#[test]
fn networks_parse_and_match() {
    let n = Network::parse("10.0.0.0/8").unwrap();
    assert!(n.contains("10.255.0.1".parse().unwrap()));
    assert!(!n.contains("11.0.0.1".parse().unwrap()));
    assert!(!n.contains("2001:db8::1".parse().unwrap()));
    assert!(
        Network::parse("0.0.0.0/0")
            .unwrap()
            .contains("1.2.3.4".parse().unwrap())
    );
    assert!(
        Network::parse("::/0")
            .unwrap()
            .contains("2001:db8::1".parse().unwrap())
    );
    let one = Network::parse("192.0.2.7").unwrap();
    assert!(one.contains("192.0.2.7".parse().unwrap()));
    assert!(!one.contains("192.0.2.8".parse().unwrap()));
    for bad in [
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "x/8",
        "10.0.0.0/+8",
        "::/129",
        "",
    ] {
        assert!(Network::parse(bad).is_none(), "{bad}");
    }
}

proptest::proptest! {
    /// Whatever the text, parsing answers (never panics), and errors point inside the text.
    #[test]
    fn parse_never_panics(text in "\\PC{0,400}") {
        if let Err(e) = Policy::parse(&text, "p") {
            proptest::prop_assert!(e.line <= text.lines().count() + 1);
        }
    }
}
