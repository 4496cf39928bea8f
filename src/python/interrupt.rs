//! Blocking calls that Ctrl-C interrupts.
//!
//! Python runs signal handlers only on the main thread, and only between bytecodes: while
//! the main thread sits in a Rust call, a `KeyboardInterrupt` would wait for the call to
//! return (up to its timeout). So a call made on the main thread arms the core's interrupt
//! check (`crate::interrupt`): whenever a signal interrupts one of the call's waits, and
//! at least every 50 ms while it waits, the check takes the GIL back and runs the signal
//! handlers. When one raises (`KeyboardInterrupt`, or whatever a handler raises), the
//! call stops there, as if its deadline had passed, and the exception is raised.
//!
//! The call runs on the calling thread throughout: nothing is handed to another thread,
//! which cost ~10 µs a call (issue 24), and nothing is left running once it is stopped.
//! Calls from other threads run unarmed: no signal handler can run on them.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

use pyo3::prelude::*;

use crate::interrupt;

/// Runs `work`, a call of the core, with the GIL released. On the main thread a signal
/// handler that raises stops it and its exception is raised instead of `work`'s result.
pub(crate) fn blocking<R, F>(py: Python<'_>, work: F) -> PyResult<R>
where
    F: FnOnce() -> R + Send,
    R: Send,
{
    if !ARMING.load(Ordering::Relaxed) || !on_main_thread(py) {
        return Ok(py.detach(work));
    }
    // What a handler raised. A Mutex only to be `Sync`: one thread ever touches it.
    let raised: Mutex<Option<PyErr>> = Mutex::new(None);
    let check = || match Python::attach(|py| py.check_signals()) {
        Ok(()) => false,
        Err(error) => {
            *raised.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            true
        }
    };
    let result = py.detach(|| interrupt::with_check(&check, work));
    match raised.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(error) => Err(error),
        None => Ok(result),
    }
}

// ===== AsyncClient's cancellation =====

/// Private: the cancellation flag of one `AsyncClient` call (`rescue/_async.py`).
#[pyclass(frozen, module = "rescue._rescue", name = "_Cancel")]
pub(crate) struct Cancel(AtomicBool);

#[pymethods]
impl Cancel {
    #[new]
    fn new() -> Self {
        Cancel(AtomicBool::new(false))
    }

    /// Stops the call: it ends at its next wait, within 50 ms.
    fn set(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Private: runs `call()` (a `Client` method, on an executor thread) with the core's
/// interrupt check armed on `cancel`, so that a cancelled await stops the call underneath
/// too instead of leaving it to run until its timeout. The call then fails (`Timeout`), an
/// outcome nobody awaits any more.
#[pyfunction]
#[pyo3(name = "_call_cancellable")]
pub(crate) fn call_cancellable(
    cancel: &Bound<'_, Cancel>,
    call: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let cancel = cancel.get();
    let check = || cancel.0.load(Ordering::Acquire);
    // `blocking` off the main thread keeps this check armed through the call.
    interrupt::with_check(&check, || call.call0()).map(Bound::unbind)
}

/// Whether main-thread calls arm the check (`_set_interrupt_check`).
static ARMING: AtomicBool = AtomicBool::new(true);

/// Private, for `make bench` (issue 24): turns the Ctrl-C check of main-thread calls off
/// (`False`) or on again, so that the same calls can be timed with and without it in one
/// run. Returns the previous setting. Not for applications: without the check, Ctrl-C
/// waits for the call to end.
#[pyfunction]
#[pyo3(name = "_set_interrupt_check")]
pub(crate) fn set_interrupt_check(enabled: bool) -> bool {
    ARMING.swap(enabled, Ordering::Relaxed)
}

// ===== the main thread =====

/// The process and `threading.get_ident()` of the main thread, read with the GIL held.
/// After a fork the forking thread is the child's main thread: a new process id means
/// the ident is read again.
static MAIN_PID: AtomicU32 = AtomicU32::new(0);
static MAIN_IDENT: AtomicU64 = AtomicU64::new(0);

/// Whether the calling thread is the one that runs Python's signal handlers.
fn on_main_thread(py: Python<'_>) -> bool {
    // SAFETY: no arguments; part of the stable ABI.
    #[allow(clippy::useless_conversion)] // `c_ulong` is only 32 bits on Windows
    let me = u64::from(unsafe { pyo3::ffi::PyThread_get_thread_ident() });
    let pid = std::process::id();
    if MAIN_PID.load(Ordering::Acquire) != pid {
        match main_thread_ident(py) {
            Ok(ident) => {
                MAIN_IDENT.store(ident, Ordering::Release);
                MAIN_PID.store(pid, Ordering::Release);
            }
            // No `threading` (the interpreter is shutting down): call unarmed.
            Err(_) => return false,
        }
    }
    MAIN_IDENT.load(Ordering::Acquire) == me
}

fn main_thread_ident(py: Python<'_>) -> PyResult<u64> {
    py.import("threading")?
        .call_method0("main_thread")?
        .getattr("ident")?
        .extract()
}
