//! Fork safety (Unix only; Windows has no fork): a process forked from one that holds a
//! client never uses the connections it inherited, which its parent still talks over.
//!
//! How a call knows it runs in a new process: a process-wide fork generation that a
//! `pthread_atfork` child handler, registered once, bumps in every child. Checking it is
//! one atomic load per call — no system call (glibc stopped caching `getpid()`) and no
//! question of a reused process id. A `fork()` that bypasses the handlers (a raw `clone`
//! system call) is not seen; `posix_spawn`, `vfork` + `exec` and `fork` + `exec` don't
//! matter, since the new program starts afresh (sockets are opened close-on-exec).

use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::Once;

/// How many forks separate this process from the first one that loaded the library.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Runs in the child, in the thread that forked, before `fork()` returns there: only
/// async-signal-safe work is allowed, and an atomic add is.
extern "C" fn forked() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

fn generation() -> u64 {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        // SAFETY: registers a handler that only touches an atomic. glibc unregisters it
        // when this library is dlclose()d. It can fail only for lack of memory, and then
        // forks go unnoticed as before, which is no reason to refuse a client.
        let _ = unsafe { libc::pthread_atfork(None, None, Some(forked)) };
    });
    GENERATION.load(Ordering::Acquire)
}

/// A value that belongs to one process: a call in a forked child gets a fresh one from
/// `make` instead of the one it inherited, which it drops.
pub(crate) struct PerProcess<T> {
    /// Made by the process of this generation.
    current: AtomicPtr<T>,
    owner: AtomicU64,
    /// `generation + 1` of the process whose thread is replacing `current`, 0 when none.
    /// Tagged with the generation because a lock held at fork time by another thread of
    /// the parent would stay held forever in the child: the child's threads take a mark of
    /// an earlier generation over.
    replacing: AtomicU64,
}

// SAFETY: the value is shared between threads exactly as a `&T` would be, and only moved
// (dropped) through `&mut self` or by the one thread that replaces it in a child.
unsafe impl<T: Send + Sync> Send for PerProcess<T> {}
unsafe impl<T: Send + Sync> Sync for PerProcess<T> {}

impl<T> PerProcess<T> {
    pub(crate) fn new(value: T) -> Self {
        PerProcess {
            owner: AtomicU64::new(generation()),
            current: AtomicPtr::new(Box::into_raw(Box::new(value))),
            replacing: AtomicU64::new(0),
        }
    }

    /// This process's value.
    pub(crate) fn get(&self, make: impl FnOnce() -> T) -> &T {
        let now = generation();
        if self.owner.load(Ordering::Acquire) == now {
            // SAFETY: `current` was made in this process and lives as long as `self`.
            return unsafe { &*self.current.load(Ordering::Acquire) };
        }
        self.replace(now, make)
    }

    /// In a forked child, the first call of any thread replaces the inherited value; the
    /// others wait for it (building an agent takes microseconds).
    #[cold]
    fn replace(&self, now: u64, make: impl FnOnce() -> T) -> &T {
        let mark = now + 1;
        loop {
            if self.owner.load(Ordering::Acquire) == now {
                // SAFETY: as in `get`.
                return unsafe { &*self.current.load(Ordering::Acquire) };
            }
            let held = self.replacing.load(Ordering::Acquire);
            if held == mark {
                std::thread::yield_now(); // another thread of this process is at it
            } else if self
                .replacing
                .compare_exchange(held, mark, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                break;
            }
        }
        // Released even if `make` panics, so that other threads don't wait forever.
        struct Release<'a>(&'a AtomicU64);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.store(0, Ordering::Release);
            }
        }
        let _release = Release(&self.replacing);
        if self.owner.load(Ordering::Acquire) != now {
            let fresh = Box::into_raw(Box::new(make()));
            let inherited = self.current.swap(fresh, Ordering::AcqRel);
            self.owner.store(now, Ordering::Release);
            // SAFETY: no thread of this process used `inherited`: they all found `owner`
            // to be another generation's until the store above. The threads of the parent
            // that might have been using it do not exist here.
            drop(unsafe { Box::from_raw(inherited) });
        }
        // SAFETY: as in `get`.
        unsafe { &*self.current.load(Ordering::Acquire) }
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: nothing borrows the value any more.
        drop(unsafe { Box::from_raw(*self.current.get_mut()) });
    }
}
