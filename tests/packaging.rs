//! `packaging/macos`: the app bundle's Info.plist, the hardened-runtime entitlements, the PPPC
//! profile and the two scripts. Every check is a function that lists problems, and each is
//! also run on a broken copy, so a check that can no longer fail is noticed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use glass::engine::permissions::{Host, MIN_MACOS};
use plist::{Dictionary, Value};

const INFO: &str = "Info.plist";
const ENTITLEMENTS: &str = "glass.entitlements";
const PPPC: &str = "glass-pppc.mobileconfig";
const SCRIPTS: [&str; 2] = ["build-app.sh", "sign-and-notarize.sh"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/macos")
}

fn load(name: &str) -> Dictionary {
    let path = dir().join(name);
    match Value::from_file(&path) {
        Ok(Value::Dictionary(d)) => d,
        Ok(other) => panic!(
            "{}: top level is not a dictionary: {other:?}",
            path.display()
        ),
        Err(e) => panic!("{}: does not parse: {e}", path.display()),
    }
}

/// Problems are collected, not asserted one by one, so a broken file shows all of them.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.0.push(what.into());
        }
    }

    fn string<'a>(&mut self, d: &'a Dictionary, key: &str) -> Option<&'a str> {
        let s = d.get(key).and_then(Value::as_string);
        self.check(
            s.is_some_and(|s| !s.is_empty()),
            format!("{key}: not a non-empty string"),
        );
        s
    }

    fn equals(&mut self, d: &Dictionary, key: &str, want: &str) {
        if let Some(got) = self.string(d, key) {
            self.check(got == want, format!("{key}: {got:?}, expected {want:?}"));
        }
    }
}

const BUNDLE_ID: &str = "org.glass.agent";

fn info_problems(info: &Dictionary) -> Vec<String> {
    let mut p = Problems::default();
    p.equals(info, "CFBundleIdentifier", BUNDLE_ID);
    // The binary Cargo builds (the root package's name).
    p.equals(info, "CFBundleExecutable", "glass");
    p.equals(info, "CFBundlePackageType", "APPL");
    p.equals(info, "CFBundleInfoDictionaryVersion", "6.0");
    p.string(info, "CFBundleName");
    p.string(info, "CFBundleShortVersionString");
    p.string(info, "CFBundleVersion");
    // ScreenCaptureKit's floor, the same as the code's.
    p.equals(
        info,
        "LSMinimumSystemVersion",
        &format!("{}.{}", MIN_MACOS.major, MIN_MACOS.minor),
    );
    p.check(
        info.get("LSUIElement").and_then(Value::as_boolean) == Some(true),
        "LSUIElement: not the boolean true",
    );
    p.string(info, "NSLocalNetworkUsageDescription");
    // Only usage descriptions for what Glass does; Screen Recording and Accessibility have none
    // (a made-up key such as NSScreenCaptureUsageDescription would be ignored by macOS).
    for key in info.keys().filter(|k| k.ends_with("UsageDescription")) {
        p.check(
            key == "NSLocalNetworkUsageDescription",
            format!("{key}: not a usage description Glass needs"),
        );
    }
    p.0
}

fn entitlements_problems(e: &Dictionary) -> Vec<String> {
    let mut p = Problems::default();
    const ON: [&str; 2] = [
        "com.apple.security.network.client",
        "com.apple.security.network.server",
    ];
    // Hardened-runtime exceptions Glass does not take (absent or false).
    const OFF: [&str; 6] = [
        "com.apple.security.cs.allow-jit",
        "com.apple.security.cs.allow-unsigned-executable-memory",
        "com.apple.security.cs.disable-library-validation",
        "com.apple.security.cs.allow-dyld-environment-variables",
        "com.apple.security.cs.disable-executable-page-protection",
        "com.apple.security.get-task-allow",
    ];
    for key in ON {
        p.check(
            e.get(key).and_then(Value::as_boolean) == Some(true),
            format!("{key}: not true"),
        );
    }
    for key in OFF {
        p.check(
            e.get(key).is_none_or(|v| v.as_boolean() == Some(false)),
            format!("{key}: must be absent or false"),
        );
    }
    for (key, value) in e {
        p.check(
            value.as_boolean().is_some(),
            format!("{key}: not a boolean"),
        );
        p.check(
            ON.contains(&key.as_str()) || OFF.contains(&key.as_str()),
            format!("{key}: an entitlement nobody justified (docs/macos.md, Entitlements)"),
        );
    }
    p.0
}

/// `identifier "X"` of a code requirement.
fn requirement_identifier(requirement: &str) -> Option<&str> {
    let rest = requirement.strip_prefix("identifier \"")?;
    rest.split_once('"').map(|(id, _)| id)
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Every `PayloadUUID` anywhere in the profile.
fn payload_uuids<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Dictionary(d) => {
            for (k, v) in d {
                match (k.as_str(), v.as_string()) {
                    ("PayloadUUID", Some(u)) => out.push(u),
                    _ => payload_uuids(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| payload_uuids(v, out)),
        _ => {}
    }
}

fn pppc_problems(profile: &Dictionary, bundle_id: &str) -> Vec<String> {
    let mut p = Problems::default();
    p.equals(profile, "PayloadType", "Configuration");
    p.equals(profile, "PayloadScope", "System");
    p.string(profile, "PayloadIdentifier");
    p.string(profile, "PayloadDisplayName");
    p.check(
        profile
            .get("PayloadVersion")
            .and_then(Value::as_signed_integer)
            == Some(1),
        "PayloadVersion: not the integer 1",
    );

    let mut uuids = Vec::new();
    let whole = Value::Dictionary(profile.clone());
    payload_uuids(&whole, &mut uuids);
    p.check(
        uuids.len() == 2,
        format!("{} PayloadUUIDs, expected 2", uuids.len()),
    );
    for u in &uuids {
        p.check(is_uuid(u), format!("PayloadUUID {u:?}: not a UUID"));
    }
    let distinct: HashSet<String> = uuids.iter().map(|u| u.to_ascii_uppercase()).collect();
    p.check(distinct.len() == uuids.len(), "PayloadUUIDs are not unique");

    let content = profile.get("PayloadContent").and_then(Value::as_array);
    let payloads: Vec<&Dictionary> = content
        .into_iter()
        .flatten()
        .filter_map(Value::as_dictionary)
        .collect();
    p.check(
        payloads.len() == 1,
        "PayloadContent: not exactly one payload",
    );
    let Some(tcc) = payloads.first() else {
        return p.0;
    };
    p.equals(
        tcc,
        "PayloadType",
        "com.apple.TCC.configuration-profile-policy",
    );
    p.string(tcc, "PayloadIdentifier");
    p.check(
        tcc.get("PayloadVersion").and_then(Value::as_signed_integer) == Some(1),
        "TCC PayloadVersion: not the integer 1",
    );
    p.check(
        tcc.get("PayloadIdentifier") != profile.get("PayloadIdentifier"),
        "the payload's PayloadIdentifier equals the profile's",
    );
    let Some(services) = tcc.get("Services").and_then(Value::as_dictionary) else {
        p.check(false, "Services: not a dictionary");
        return p.0;
    };
    let mut names: Vec<&str> = services.keys().map(String::as_str).collect();
    names.sort_unstable();
    p.check(
        names == ["Accessibility", "ScreenCapture"],
        format!("Services: {names:?}, expected exactly Accessibility and ScreenCapture"),
    );
    for (service, authorization) in [
        ("Accessibility", "Allow"),
        ("ScreenCapture", "AllowStandardUserToSetSystemService"),
    ] {
        let entries: Vec<&Dictionary> = services
            .get(service)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_dictionary)
            .collect();
        p.check(
            entries.len() == 1,
            format!("{service}: not exactly one entry"),
        );
        for entry in entries {
            p.equals(entry, "Identifier", bundle_id);
            p.equals(entry, "IdentifierType", "bundleID");
            p.equals(entry, "Authorization", authorization);
            // `Allowed` is the pre-macOS 11 key; with `Authorization` it must not be there.
            p.check(
                entry.get("Allowed").is_none(),
                format!("{service}: has the legacy Allowed key"),
            );
            if let Some(req) = p.string(entry, "CodeRequirement") {
                p.check(
                    requirement_identifier(req) == Some(bundle_id),
                    format!("{service}: the code requirement does not name {bundle_id}: {req}"),
                );
                for part in [
                    "anchor apple generic",
                    "certificate 1[field.1.2.840.113635.100.6.2.6] exists",
                    "certificate leaf[field.1.2.840.113635.100.6.1.13] exists",
                    "certificate leaf[subject.OU] = \"TEAMID\"",
                ] {
                    p.check(
                        req.contains(part),
                        format!("{service}: the code requirement lacks {part:?}"),
                    );
                }
            }
        }
    }
    p.0
}

#[test]
fn info_plist_has_the_keys_macos_needs() {
    let problems = info_problems(&load(INFO));
    assert!(problems.is_empty(), "{INFO}: {problems:#?}");
}

#[test]
fn info_plist_checks_can_fail() {
    let good = load(INFO);
    let mut broken = good.clone();
    broken.insert(
        "LSMinimumSystemVersion".into(),
        Value::String("12.0".into()),
    );
    broken.insert("LSUIElement".into(), Value::String("YES".into()));
    broken.remove("CFBundleExecutable");
    broken.insert(
        "NSScreenCaptureUsageDescription".into(),
        Value::String("not a real key".into()),
    );
    let problems = info_problems(&broken);
    for key in [
        "LSMinimumSystemVersion",
        "LSUIElement",
        "CFBundleExecutable",
        "NSScreenCaptureUsageDescription",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(key)),
            "{key} not caught: {problems:#?}"
        );
    }
}

#[test]
fn the_bundle_name_is_what_the_preflight_tells_users_to_switch_on() {
    let info = load(INFO);
    let name = info
        .get("CFBundleName")
        .and_then(Value::as_string)
        .expect("CFBundleName");
    let exe = info
        .get("CFBundleExecutable")
        .and_then(Value::as_string)
        .expect("CFBundleExecutable");
    let path = format!("/Applications/{name}.app/Contents/MacOS/{exe}");
    assert_eq!(
        Host::from_exe(Path::new(&path)),
        Host::Bundle { name: name.into() }
    );
}

#[test]
fn entitlements_take_no_unneeded_exception() {
    let problems = entitlements_problems(&load(ENTITLEMENTS));
    assert!(problems.is_empty(), "{ENTITLEMENTS}: {problems:#?}");
    let mut broken = load(ENTITLEMENTS);
    broken.insert(
        "com.apple.security.cs.disable-library-validation".into(),
        Value::Boolean(true),
    );
    broken.insert(
        "com.apple.security.device.camera".into(),
        Value::Boolean(true),
    );
    broken.remove("com.apple.security.network.client");
    assert_eq!(entitlements_problems(&broken).len(), 3);
}

#[test]
fn pppc_profile_grants_exactly_what_glass_needs() {
    let info = load(INFO);
    let bundle_id = info
        .get("CFBundleIdentifier")
        .and_then(Value::as_string)
        .expect("CFBundleIdentifier");
    let problems = pppc_problems(&load(PPPC), bundle_id);
    assert!(problems.is_empty(), "{PPPC}: {problems:#?}");
}

#[test]
fn pppc_checks_can_fail() {
    let good = load(PPPC);
    // Another app's identifier: every requirement and identifier mismatches.
    assert!(!pppc_problems(&good, "org.example.other").is_empty());

    let mut broken = good.clone();
    let tcc = broken
        .get_mut("PayloadContent")
        .and_then(Value::as_array_mut)
        .and_then(|a| a.first_mut())
        .and_then(Value::as_dictionary_mut)
        .expect("the TCC payload");
    // The same UUID as the profile, and Screen Recording "allowed" (which TCC ignores).
    tcc.insert(
        "PayloadUUID".into(),
        good.get("PayloadUUID").cloned().expect("PayloadUUID"),
    );
    let services = tcc
        .get_mut("Services")
        .and_then(Value::as_dictionary_mut)
        .expect("Services");
    let screen = services
        .get_mut("ScreenCapture")
        .and_then(Value::as_array_mut)
        .and_then(|a| a.first_mut())
        .and_then(Value::as_dictionary_mut)
        .expect("ScreenCapture entry");
    screen.insert("Authorization".into(), Value::String("Allow".into()));
    services.insert("PostEvent".into(), Value::Array(Vec::new()));
    let problems = pppc_problems(&broken, BUNDLE_ID);
    for want in ["not unique", "Authorization: \"Allow\"", "Services: "] {
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "{want:?} not caught: {problems:#?}"
        );
    }
    assert!(!is_uuid("0BE8C891-7A49-4A4A-A3F1-7D7A5A603FD"));
    assert!(!is_uuid("TEAMID"));
    assert_eq!(
        requirement_identifier("identifier \"org.glass.agent\" and anchor apple"),
        Some("org.glass.agent")
    );
}

fn bash(args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .args(args)
        .env_remove("GLASS_SIGN_IDENTITY")
        .env_remove("GLASS_TEAM_ID")
        .env_remove("GLASS_NOTARY_PROFILE")
        .env_remove("GLASS_APPLE_ID")
        .env_remove("GLASS_APP_PASSWORD")
        .output()
        .expect("bash runs")
}

#[test]
fn scripts_are_executable_and_parse() {
    for name in SCRIPTS {
        let path = dir().join(name);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect(name).permissions().mode();
            assert_eq!(mode & 0o111, 0o111, "{name}: not executable ({mode:o})");
        }
        let out = bash(&["-n", path.to_str().expect("utf-8 path")]);
        assert!(
            out.status.success(),
            "{name}: bash -n: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn build_app_assembles_the_bundle() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A stand-in for the Mac binary: only its Mach-O magic is looked at.
    let binary = tmp.path().join("glass");
    std::fs::write(&binary, [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 1]).expect("write");
    let script = dir().join("build-app.sh");
    let out_dir = tmp.path().join("dist");
    let out = bash(&[
        script.to_str().expect("utf-8"),
        "--binary",
        binary.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "build-app.sh: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = out_dir.join("Glass.app/Contents");
    let info = match Value::from_file(app.join("Info.plist")) {
        Ok(Value::Dictionary(d)) => d,
        other => panic!("the bundle's Info.plist: {other:?}"),
    };
    assert!(info_problems(&info).is_empty());
    for key in ["CFBundleShortVersionString", "CFBundleVersion"] {
        assert_eq!(
            info.get(key).and_then(Value::as_string),
            Some(env!("CARGO_PKG_VERSION")),
            "{key}"
        );
    }
    assert_eq!(
        std::fs::read(app.join("MacOS/glass")).expect("the binary"),
        std::fs::read(&binary).expect("the stand-in")
    );
    assert_eq!(
        std::fs::read(app.join("PkgInfo")).expect("PkgInfo"),
        b"APPL????"
    );

    // A Linux binary is refused, with the reason.
    std::fs::write(&binary, b"\x7fELF\x02\x01\x01\x00").expect("write");
    let out = bash(&[
        script.to_str().expect("utf-8"),
        "--binary",
        binary.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a macOS executable"));
}

#[test]
fn sign_and_notarize_refuses_without_identity_or_off_macos() {
    let script = dir().join("sign-and-notarize.sh");
    let script = script.to_str().expect("utf-8");
    let out = bash(&[script]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for var in [
        "GLASS_SIGN_IDENTITY",
        "GLASS_TEAM_ID",
        "GLASS_NOTARY_PROFILE",
    ] {
        assert!(err.contains(var), "{var} not named: {err}");
    }
    if cfg!(not(target_os = "macos")) {
        let out = Command::new("bash")
            .arg(script)
            .env(
                "GLASS_SIGN_IDENTITY",
                "Developer ID Application: Example (ABCDE12345)",
            )
            .env("GLASS_TEAM_ID", "ABCDE12345")
            .env("GLASS_NOTARY_PROFILE", "glass-notary")
            .output()
            .expect("bash runs");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs macOS"), "{err}");
    }
}
