//! Failures at the C boundary and the calling thread's last error message.

use std::cell::RefCell;
use std::ffi::c_char;

use super::status::{rescue_status, rescue_status_code};
use super::util;
use crate::error::Error;

/// Why a C call failed: a core error, or a condition only C has.
#[derive(Debug)]
pub(crate) enum Failure {
    Core(Error),
    /// `name` holds `given` bytes; the text needs `needed` (its NUL included).
    BufferTooSmall {
        name: &'static str,
        needed: usize,
        given: usize,
    },
    Panic(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core(error)
    }
}

impl Failure {
    pub(crate) fn status(&self) -> rescue_status {
        match self {
            Failure::Core(error) => error.kind().code(),
            Failure::BufferTooSmall { .. } => {
                rescue_status_code::RESCUE_STATUS_BUFFER_TOO_SMALL as u32
            }
            Failure::Panic(_) => rescue_status_code::RESCUE_STATUS_PANIC as u32,
        }
    }

    /// The detail; the core's messages never hold a secret.
    fn message(&self) -> String {
        match self {
            Failure::Core(error) => error.to_string(),
            Failure::BufferTooSmall {
                name,
                needed,
                given,
            } => {
                format!("`{name}` holds {given} bytes; the result needs {needed} (with its NUL)")
            }
            Failure::Panic(what) => format!("internal error in librescue (panic): {what}"),
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records `failure` as this thread's last error and returns its status.
pub(crate) fn record(failure: &Failure) -> rescue_status {
    let message = failure.message();
    // `try_with`: during thread teardown the slot may be gone; the status still tells.
    let _ = LAST_ERROR.try_with(|last| *last.borrow_mut() = message);
    failure.status()
}

/// A successful call clears the last error message.
pub(crate) fn clear() {
    let _ = LAST_ERROR.try_with(|last| last.borrow_mut().clear());
}

/// Writes the calling thread's message of its last failed call into `buf`: NUL-terminated,
/// truncated on a UTF-8 character boundary to fit `buf_len` bytes. Returns the length of the
/// whole message (without its NUL), as `snprintf` does: a result `>= buf_len` means it was
/// truncated. `buf` may be NULL and `buf_len` 0 to ask for the length only.
///
/// The message is empty (returns 0) after a successful call and before any call: every
/// function returning `rescue_status` sets it (on failure) or clears it (on success).
/// It never holds a password, authcode or cookie. Thread-safe: each thread has its own.
///
/// # Safety
///
/// `buf` must be NULL or point to at least `buf_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn rescue_last_error_message(buf: *mut c_char, buf_len: usize) -> usize {
    std::panic::catch_unwind(|| {
        LAST_ERROR
            .try_with(|last| {
                let last = last.borrow();
                // SAFETY: the caller's promise about buf and buf_len.
                unsafe { util::write_truncated(buf, buf_len, &last) };
                last.len()
            })
            .unwrap_or(0)
    })
    .unwrap_or(0)
}
