//! `glass share`'s permission preflight: says what is missing before anything is shared,
//! opens the System Settings pane (or, with `--request-access`, shows the system's request),
//! and watches for grants while sharing. The decisions are the agent's
//! ([`glass::agent::permissions`]); this is only the terminal driver.

use std::time::Instant;

use glass::agent::permissions::{self, Change, Permission, Plan, Watch};
use glass::engine::capture::SourceSpec;
use glass::engine::input::ControlLevel;

/// What the user asked for on the command line.
pub struct Ask {
    /// Open System Settings at the first missing pane the role needs.
    pub open_settings: bool,
    /// Show the system's own request for each missing permission the role needs.
    pub request_access: bool,
}

/// Checks, tells, opens or requests; returns the plan (its `level` is what can be given).
pub fn run(source: &SourceSpec, wanted: ControlLevel, ask: &Ask) -> Plan {
    let plan = permissions::preflight(source, wanted);
    for line in plan.report() {
        eprintln!("glass: {line}");
    }
    if ask.request_access {
        for missing in plan.missing.iter().filter(|m| m.needed) {
            match permissions::request(missing.permission) {
                Ok(true) => eprintln!("glass: {} is allowed", missing.permission),
                Ok(false) => eprintln!(
                    "glass: macOS asked for {}; switch it on in the pane it opened",
                    missing.permission
                ),
                Err(e) => eprintln!("glass: {e}"),
            }
        }
    } else if let Some(pane) = plan.open.filter(|_| ask.open_settings) {
        match permissions::open_settings(pane) {
            Ok(()) => eprintln!(
                "glass: opened System Settings at {pane} ({}); --no-open-settings stops this",
                pane.settings_url()
            ),
            Err(e) => eprintln!("glass: {e}"),
        }
    }
    plan
}

/// Watches the grants while sharing (every second at first, then every 5 s, for 15 min).
pub struct Watcher {
    source: SourceSpec,
    watch: Watch,
    host: permissions::Host,
}

impl Watcher {
    /// From the preflight's answer.
    pub fn new(source: &SourceSpec, plan: &Plan) -> Watcher {
        Watcher {
            source: source.clone(),
            watch: Watch::new(Instant::now(), plan.grants),
            host: permissions::host(),
        }
    }

    /// Checks again when due; prints and returns what changed.
    pub fn poll(&mut self, now: Instant) -> Vec<Change> {
        if self.watch.poll_timeout().is_none_or(|t| now < t) {
            return Vec::new();
        }
        let changes = self
            .watch
            .handle_grants(now, permissions::check(&self.source));
        for change in &changes {
            eprintln!("glass: {}", change.message(&self.host));
        }
        changes
    }
}

/// Whether `changes` made full control possible.
pub fn control_granted(changes: &[Change]) -> bool {
    changes.contains(&Change::Granted(Permission::Accessibility))
}
