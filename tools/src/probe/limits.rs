//! What a process holds and may hold, as the system reports it: its threads and memory (Linux's
//! `/proc/PID/status`), and its limit on open files, raised where the system allows. For the demos
//! and benchmarks that show what a server costs per client.

/// A number from a line of Linux's `/proc/PID/status` (`Threads:  3`, `VmRSS:  2048 kB`): a
/// count, or kB for sizes. `pid` `None` is this process. `None` where the system does not say.
pub fn status(pid: Option<u32>, field: &str) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|line| {
        line.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// How many threads the process `pid` (`None`: this one) has now.
pub fn threads(pid: Option<u32>) -> Option<u64> {
    status(pid, "Threads")
}

/// Raises this process's soft limit on open files (`ulimit -n`) to its hard limit, which any
/// process may do, and returns the soft limit now (child processes inherit it). `None` where the
/// limit cannot be read (not Unix).
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one `rlimit` into memory we own, and touches nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return None;
        }
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            ..limit
        };
        // SAFETY: setrlimit only reads the `rlimit` we pass. (macOS refuses an "unlimited" soft
        // limit; then the old one stays, and is what we report.)
        if limit.rlim_cur < limit.rlim_max
            && unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0
        {
            limit = raised;
        }
        // (`rlim_t` is a u64 on Linux and macOS, another width elsewhere.)
        #[allow(clippy::unnecessary_cast)]
        Some(limit.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// How loaded the machine is: the first three figures of Linux's `/proc/loadavg`, the runnable
/// threads averaged over 1, 5 and 15 minutes (`?` where the system does not say). Benchmarks
/// print it beside their figures.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "?".to_string())
}
