//! Cutting a blocking call short on the thread that makes it (issue 24): Python's Ctrl-C
//! on the main thread, and a cancelled `AsyncClient` await on its executor thread.
//!
//! A binding arms a *check* for the length of one call ([`with_check`]). While the call
//! waits — for a DNS answer, a connection, a write, a read, another caller's session
//! renewal — it wakes at least every [`SLICE`], and at once when a signal interrupts a
//! system call (`EINTR`), and runs the check. When the check says stop, the wait fails
//! with [`Interrupted`] and the call ends there: its connection is dropped and any answer
//! is lost, as when its deadline passes, which is how the client treats it (a renewal cut
//! short is forgotten; the next call renews). Unarmed (C, PHP, .NET, Rust, Python calls
//! from other threads), nothing changes: waits are not sliced and the check is a
//! thread-local read.
//!
//! Only the calling thread takes part: no thread is started and none is left behind,
//! so a call costs what it did (a worker thread to hand calls to cost ~10 µs a call).
//! Waits the kernel can't cut short are bounded by the call's own deadline as ever: a
//! DNS lookup in progress is left to finish on its own thread (see `resolver.rs`).

use std::cell::Cell;
use std::fmt;
use std::io;
use std::time::Duration;

use crate::error::Error;

/// The longest an armed wait goes without running the check: how late a signal that
/// arrives between two system calls (and so interrupts none) is seen.
pub(crate) const SLICE: Duration = Duration::from_millis(50);

/// A check: `true` when the call must stop now.
pub(crate) type Check<'a> = &'a (dyn Fn() -> bool + 'a);

thread_local! {
    /// The armed check, its lifetime erased: [`with_check`] sets it and takes it back,
    /// unwinding included, before the check it points to goes away.
    static ARMED: Cell<Option<Check<'static>>> = const { Cell::new(None) };
    /// Whether the armed check said stop during this call.
    static FIRED: Cell<bool> = const { Cell::new(false) };
}

/// The wait of an armed call whose check said stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the caller interrupted the call")
    }
}

impl std::error::Error for Interrupted {}

impl From<Interrupted> for io::Error {
    fn from(interrupted: Interrupted) -> Self {
        // Not `ErrorKind::Interrupted`, which means "try again" to whoever reads it.
        io::Error::other(interrupted)
    }
}

impl From<Interrupted> for ureq::Error {
    fn from(interrupted: Interrupted) -> Self {
        ureq::Error::Io(interrupted.into())
    }
}

impl From<Interrupted> for Error {
    /// A `TIMEOUT`: like a deadline, it ended the call before its answer. No caller ever
    /// sees it: the binding that armed the check raises what the check found instead (a
    /// `KeyboardInterrupt`), or nobody awaits the call any more (a cancelled await).
    fn from(interrupted: Interrupted) -> Self {
        Error::Timeout(interrupted.to_string())
    }
}

/// Runs `call` with `check` armed on this thread.
#[cfg_attr(not(feature = "python"), allow(dead_code))] // armed by the Python binding only
pub(crate) fn with_check<R>(check: Check<'_>, call: impl FnOnce() -> R) -> R {
    /// Puts back what was armed before, however `call` ends.
    struct Restore(Option<Check<'static>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ARMED.with(|armed| armed.set(self.0));
            FIRED.with(|fired| fired.set(self.1));
        }
    }
    // SAFETY: only the lifetime is changed; `Restore` takes the reference out of ARMED
    // before this function returns or unwinds, so it is never used after `check` is gone.
    let erased = unsafe { std::mem::transmute::<Check<'_>, Check<'static>>(check) };
    let _restore = Restore(
        ARMED.with(|armed| armed.replace(Some(erased))),
        FIRED.with(|fired| fired.replace(false)),
    );
    call()
}

/// Whether a check is armed on this thread: its waits are sliced.
pub(crate) fn armed() -> bool {
    ARMED.with(Cell::get).is_some()
}

/// Whether the armed check said stop during this call.
pub(crate) fn fired() -> bool {
    FIRED.with(Cell::get)
}

/// Runs the armed check (nothing when unarmed). Once it said stop, it says so again
/// without running: whatever it found waits for the binding.
pub(crate) fn check() -> Result<(), Interrupted> {
    let Some(check) = ARMED.with(Cell::get) else {
        return Ok(());
    };
    if fired() || check() {
        FIRED.with(|fired| fired.set(true));
        return Err(Interrupted);
    }
    Ok(())
}

/// How long an armed wait sleeps at most, `left` being what the deadline leaves
/// (`None`: no deadline): `left` itself when unarmed.
pub(crate) fn slice(left: Option<Duration>) -> Option<Duration> {
    if armed() {
        Some(left.map_or(SLICE, |left| left.min(SLICE)))
    } else {
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unarmed_checks_pass_and_waits_are_whole() {
        assert!(!armed());
        assert_eq!(check(), Ok(()));
        assert_eq!(slice(None), None);
        assert_eq!(
            slice(Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn a_check_that_fires_stays_fired_for_the_call_only() {
        let runs = Cell::new(0);
        let stop_on_second = || {
            runs.set(runs.get() + 1);
            runs.get() == 2
        };
        with_check(&stop_on_second, || {
            assert!(armed());
            assert_eq!(slice(None), Some(SLICE));
            assert_eq!(
                slice(Some(Duration::from_millis(7))),
                Some(Duration::from_millis(7))
            );
            assert_eq!(check(), Ok(()));
            assert_eq!(check(), Err(Interrupted));
            // Not run again: what it found (a Python exception) is kept by its owner.
            assert_eq!(check(), Err(Interrupted));
            assert!(fired());
        });
        assert_eq!(runs.get(), 2);
        assert!(!armed() && !fired());
    }

    #[test]
    fn nested_checks_restore_the_outer_one_even_on_panic() {
        let never = || false;
        let always = || true;
        with_check(&never, || {
            let inner = std::panic::catch_unwind(|| {
                with_check(&always, || {
                    assert_eq!(check(), Err(Interrupted));
                    panic!("unwinds through with_check");
                })
            });
            assert!(inner.is_err());
            assert!(armed());
            assert_eq!(check(), Ok(()));
            assert!(!fired());
        });
        assert!(!armed());
    }
}
