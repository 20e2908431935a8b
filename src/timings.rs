//! Stage timers for profiling a build: with `VETTED_TIMINGS=1` in the
//! environment, each stage's wall time (since the previous lap) goes to
//! standard error as `vetted timings: <stage> <seconds>`. Off by default;
//! never changes any output file.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Whether `VETTED_TIMINGS` is set (to anything but `0` or empty).
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("VETTED_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Report the time since the previous lap (or since the first call) as `stage`.
pub fn lap(stage: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let Ok(mut last) = LAST.lock() else {
        return;
    };
    if let Some(prev) = *last {
        eprintln!("vetted timings: {stage} {:.3}", (now - prev).as_secs_f64());
    }
    *last = Some(now);
}

/// A sum of per-item times across threads (reported with [`Sum::report`]).
#[derive(Default)]
pub struct Sum(AtomicU64);

impl Sum {
    pub const fn new() -> Sum {
        Sum(AtomicU64::new(0))
    }

    /// Run `f`, adding its time to the sum when timings are on.
    pub fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        if !enabled() {
            return f();
        }
        let t = Instant::now();
        let out = f();
        let ns = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(ns, Ordering::Relaxed);
        out
    }

    /// Report the sum (thread time, not wall time) as `name`, and reset it.
    pub fn report(&self, name: &str) {
        if enabled() {
            let ns = self.0.swap(0, Ordering::Relaxed);
            eprintln!(
                "vetted timings:   {name} (summed over threads) {:.3}",
                ns as f64 / 1e9
            );
        }
    }
}
