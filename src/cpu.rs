//! Process and thread CPU time, for the CPU figures of `glass record` and `glass bench`.

use std::time::Duration;

/// User plus system CPU time this process has used so far (all threads).
#[cfg(unix)]
pub fn process_cpu_time() -> Duration {
    rusage(libc::RUSAGE_SELF)
}

/// User plus system CPU time of `who` (`RUSAGE_SELF`, `RUSAGE_THREAD`) from getrusage(2).
#[cfg(unix)]
fn rusage(who: libc::c_int) -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete `rusage` into the valid pointer we pass; on failure
    // the zeroed value is left, which reads as zero time.
    let usage = unsafe {
        libc::getrusage(who, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv =
        |t: libc::timeval| Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.max(0) as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time is not measured on this platform.
#[cfg(not(unix))]
pub fn process_cpu_time() -> Duration {
    Duration::ZERO
}

/// User plus system CPU time of the calling thread so far.
#[cfg(target_os = "linux")]
pub fn thread_cpu_time() -> Duration {
    rusage(libc::RUSAGE_THREAD)
}

/// Per-thread CPU time is not measured on this platform.
#[cfg(not(target_os = "linux"))]
pub fn thread_cpu_time() -> Duration {
    Duration::ZERO
}

/// CPU time of each thread of this process whose name starts with `prefix`, summed (Linux:
/// `/proc/self/task/*/schedstat`, nanosecond run time; threads that ended are not counted).
/// `None` where the kernel does not expose it.
#[cfg(target_os = "linux")]
pub fn threads_cpu_time(prefix: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let path = task.path();
        let Ok(comm) = std::fs::read_to_string(path.join("comm")) else {
            continue;
        };
        if !comm.trim_end().starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(path.join("schedstat")).ok()?;
        let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
        total += Duration::from_nanos(ns);
    }
    Some(total)
}

/// Per-thread CPU time is not measured on this platform.
#[cfg(not(target_os = "linux"))]
pub fn threads_cpu_time(_prefix: &str) -> Option<Duration> {
    None
}
