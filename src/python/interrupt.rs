//! Blocking calls that Ctrl-C interrupts.
//!
//! Python runs signal handlers only on the main thread, and only between bytecodes: while
//! the main thread sits in a Rust call, a `KeyboardInterrupt` waits for the call to return
//! (up to its timeout), and the core can't be woken early (ureq retries a read that a
//! signal interrupts). So a call made on the main thread runs on a worker thread instead,
//! and the main thread waits for it in slices of [`SLICE`], running the signal handlers in
//! between. When a handler raises, the call is abandoned: it finishes (within its own
//! timeout) on the worker, which drops its result. Calls from other threads run where they
//! are, as before: no signal handler can run on them.
//!
//! Workers are reused, never spawned per call: one idle worker waits, parked, for the next
//! call of any client; a worker that finds another already idle when its call ends exits,
//! so after an interrupted call's timeout no extra thread is left.

use std::panic::{self, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

/// How long the main thread waits before it runs the signal handlers again: the longest
/// a Ctrl-C waits, apart from getting the GIL back.
const SLICE: Duration = Duration::from_millis(50);

/// The name of the worker threads (`/proc/PID/task/*/comm`, debuggers, log records).
pub(crate) const WORKER_NAME: &str = "rescue-call";

/// Runs `work`, a call of the core, with the GIL released. On the main thread it raises
/// at once what a signal handler raises (`KeyboardInterrupt`), leaving `work` to finish
/// on its worker; a panic in `work` is resumed here, as if `work` had run on this thread.
pub(crate) fn blocking<R, F>(py: Python<'_>, work: F) -> PyResult<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    if !on_main_thread(py) {
        return Ok(py.detach(work));
    }
    let slot = Arc::new(Slot {
        result: Mutex::new(None),
        waiter: thread::current(),
    });
    let filler = Arc::clone(&slot);
    let job: Job = Box::new(move |finished: &mut dyn FnMut()| {
        let result = panic::catch_unwind(AssertUnwindSafe(work));
        // Idle again before the waiter wakes: its next call finds this worker.
        finished();
        filler.fill(result);
    });
    if let Err(job) = submit(job) {
        // No thread to be had (a process limit): run the call here, uninterruptible.
        py.detach(|| job(&mut || {}));
    }
    loop {
        if let Some(result) = py.detach(|| slot.wait(SLICE)) {
            return Ok(result.unwrap_or_else(|panic| panic::resume_unwind(panic)));
        }
        // Returning here abandons the call: the worker drops its result.
        py.check_signals()?;
    }
}

/// Where a worker leaves a call's result for the thread that waits for it.
struct Slot<R> {
    result: Mutex<Option<thread::Result<R>>>,
    waiter: Thread,
}

impl<R> Slot<R> {
    fn fill(&self, result: thread::Result<R>) {
        *lock(&self.result) = Some(result);
        self.waiter.unpark();
    }

    /// The result, or `None` when `slice` passed without one.
    fn wait(&self, slice: Duration) -> Option<thread::Result<R>> {
        let deadline = Instant::now() + slice;
        loop {
            let result = lock(&self.result).take();
            if result.is_some() {
                return result;
            }
            // Woken by `fill`, or spuriously (an unpark left by an abandoned call): the
            // slot says which.
            thread::park_timeout(deadline.checked_duration_since(Instant::now())?);
        }
    }
}

/// A lock whose holder can't leave the data half-written: a poisoned one is still good.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
            // No `threading` (the interpreter is shutting down): call in place.
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

// ===== the workers =====

/// A call for a worker. It runs `finished` when the work is done and the worker is free,
/// before it hands the result over.
type Job = Box<dyn FnOnce(&mut dyn FnMut()) + Send>;

/// Where a worker finds its next call. A mailbox and `unpark` rather than a channel,
/// whose receiver spins and yields before it sleeps: dearer on a 2-CPU machine.
struct Worker {
    job: Mutex<Option<Job>>,
    thread: Thread,
}

/// The idle worker, with the process it belongs to: a worker of the parent process does
/// not exist in a forked child.
struct Idle {
    pid: u32,
    worker: Arc<Worker>,
}

/// At most one idle worker. Lock-free, so that a fork can never leave it locked.
static IDLE: AtomicPtr<Idle> = AtomicPtr::new(ptr::null_mut());

/// Hands `job` to the idle worker, or to a new one; `Err(job)` when no thread can start.
fn submit(job: Job) -> Result<(), Job> {
    let taken = IDLE.swap(ptr::null_mut(), Ordering::AcqRel);
    if !taken.is_null() {
        // SAFETY: every pointer in IDLE comes from `Box::into_raw`, and the swap made this
        // thread its only owner.
        let idle = unsafe { Box::from_raw(taken) };
        // Another process's worker (this is a forked child) has no thread here: dropped.
        if idle.pid == std::process::id() {
            *lock(&idle.worker.job) = Some(job);
            idle.worker.thread.unpark();
            return Ok(());
        }
    }
    let job = Arc::new(Mutex::new(Some(job)));
    let its_job = Arc::clone(&job);
    let started = thread::Builder::new()
        .name(WORKER_NAME.into())
        .spawn(move || {
            let worker = Arc::new(Worker {
                job: Mutex::new(lock(&its_job).take()),
                thread: thread::current(),
            });
            work(&worker);
        });
    match started {
        Ok(_) => Ok(()),
        // The closure never ran, so the job is still there.
        Err(_) => Err(lock(&job)
            .take()
            .expect("the call of a worker that never started")),
    }
}

/// A worker: runs calls until, done with one, it finds another worker already idle.
fn work(worker: &Arc<Worker>) {
    let pid = std::process::id();
    loop {
        let job = loop {
            // Not parked while holding the lock: `submit` takes it to leave the call.
            let job = lock(&worker.job).take();
            match job {
                Some(job) => break job,
                // Woken by `submit`, or spuriously: the mailbox says which.
                None => thread::park(),
            }
        };
        let mut idle = false;
        job(&mut || {
            let me = Box::into_raw(Box::new(Idle {
                pid,
                worker: Arc::clone(worker),
            }));
            idle = IDLE
                .compare_exchange(ptr::null_mut(), me, Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
            if !idle {
                // SAFETY: `me` was never published.
                drop(unsafe { Box::from_raw(me) });
            }
        });
        if !idle {
            super::logger::worker_exits();
            return;
        }
    }
}
