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

/// CPU time of process `root` and all its live descendants, summed (Linux: `/proc/*/stat`
/// utime + stime, in clock ticks; processes that ended are not counted). For an external
/// viewer: Node.js and the headless Chromium it starts (which puts itself in a process group
/// of its own, so groups would miss it). `None` where the kernel does not expose it.
#[cfg(target_os = "linux")]
pub fn process_tree_cpu_time(root: u32) -> Option<Duration> {
    // SAFETY: sysconf takes no pointers.
    let ticks = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) })
        .ok()
        .filter(|&t| t > 0)?;
    // (pid, ppid, utime + stime) of every process.
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // After the command name (in parentheses, may contain spaces): field 3 (state),
        // then ppid (4), ..., utime (14), stime (15).
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() > 12 {
            let n = |i: usize| f[i].parse::<u64>().unwrap_or(0);
            procs.push((pid, n(1) as u32, n(11) + n(12)));
        }
    }
    let mut tree = vec![root];
    let mut total = 0;
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        for &(pid, ppid, cpu) in &procs {
            if pid == parent {
                total += cpu;
            }
            if ppid == parent && !tree.contains(&pid) {
                tree.push(pid);
            }
        }
        i += 1;
    }
    Some(Duration::from_micros(total * 1_000_000 / ticks))
}

/// Process-tree CPU time is not measured on this platform.
#[cfg(not(target_os = "linux"))]
pub fn process_tree_cpu_time(_root: u32) -> Option<Duration> {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn process_tree_cpu_counts_a_busy_grandchild() {
        // sh starts a second sh (a grandchild of ours) that burns CPU for a while.
        let mut child = std::process::Command::new("sh")
            .args([
                "-c",
                "sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'; :",
            ])
            .spawn()
            .expect("sh runs");
        let root = child.id();
        let mut seen = Duration::ZERO;
        while child.try_wait().expect("wait").is_none() {
            seen = seen.max(process_tree_cpu_time(root).expect("linux /proc"));
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(seen >= Duration::from_millis(50), "{seen:?}");
        // Nothing lives in the tree any more.
        assert_eq!(process_tree_cpu_time(root), Some(Duration::ZERO));
    }
}
