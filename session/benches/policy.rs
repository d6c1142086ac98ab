//! What a policy decision costs: parsing a realistic file, and the per-step questions the
//! broker asks (issue a code, join, a level, the max level of a live session on reload).
//! `cargo bench -p glass-session --bench policy`.

use std::hint::black_box;
use std::net::IpAddr;

use criterion::{Criterion, criterion_group, criterion_main};
use glass_protocol::Level;
use glass_session::policy::{Compliance, Device, Policy, Subject};

/// 50 tenants, each with 3 custom roles, 20 assignments and 2 rules: a large organisation.
fn file() -> String {
    let mut s = String::from("version = 1\n");
    for t in 0..50 {
        s += &format!("[tenants.t{t}]\nallow_unenrolled_devices = true\n");
        for r in 0..3 {
            s += &format!(
                "[[tenants.t{t}.roles]]\nname = \"r{r}\"\npermissions = [\"offer_help\", \"view_screen\"]\n"
            );
        }
        for a in 0..20 {
            s += &format!(
                "[[tenants.t{t}.assignments]]\nrole = \"helpdesk_operator\"\ngroups = [\"g{a}\"]\nscope = [\"s{a}\", \"s{}\"]\n",
                a + 1
            );
        }
        s += &format!(
            "[[tenants.t{t}.rules]]\nname = \"office\"\nstages = [\"issue_code\", \"request\"]\nnetworks = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n"
        );
        s += &format!(
            "[[tenants.t{t}.rules]]\nname = \"mfa\"\nstages = [\"request\"]\nrequire_mfa = true\n"
        );
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = file();
    c.bench_function("policy/parse_50_tenants", |b| {
        b.iter(|| Policy::parse(black_box(&text), "p.toml").unwrap())
    });
    let p = Policy::parse(&text, "p.toml").unwrap();
    let (hg, sg, amr) = (
        vec!["x".to_owned(), "g19".to_owned()],
        vec!["s20".to_owned()],
        vec!["pwd".to_owned(), "mfa".to_owned()],
    );
    let addr: IpAddr = "10.1.2.3".parse().unwrap();
    let helper = Subject {
        user_id: "oidc:h",
        tenant: "t42",
        groups: &hg,
        amr: &amr,
        addr,
    };
    let sharer = Subject {
        user_id: "oidc:s",
        tenant: "t42",
        groups: &sg,
        amr: &amr,
        addr,
    };
    let device = Device {
        enrolled: true,
        compliance: Compliance::Compliant,
        groups: Vec::new(),
    };
    c.bench_function("policy/may_issue_code", |b| {
        b.iter(|| p.may_issue_code(black_box(&helper)).unwrap())
    });
    c.bench_function("policy/may_join", |b| {
        b.iter(|| p.may_join(black_box(&helper), &sharer, &device).unwrap())
    });
    c.bench_function("policy/may_request_full", |b| {
        b.iter(|| {
            p.may_request(Level::Full, black_box(&helper), &sharer, &device)
                .unwrap()
        })
    });
    c.bench_function("policy/max_level", |b| {
        b.iter(|| p.max_level(black_box(&helper), &sharer, &device))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
