//! Every export runs inside [`guard`]: panics become `RESCUE_STATUS_PANIC`, never an abort or
//! an unwind into C.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use super::error::{self, Failure};
use super::status::rescue_status;

/// Runs `body`, turning its outcome into a status and the thread's last error message.
///
/// `AssertUnwindSafe`: what a call shares survives a panic intact: the client's state sits
/// behind locks that are replaced whole and recover from poisoning.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> rescue_status {
    quiet_panics_inside_guards();
    GUARDED.with(|depth| depth.set(depth.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(body));
    GUARDED.with(|depth| depth.set(depth.get() - 1));
    let outcome = outcome.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Failure::Panic(what))
    });
    // Recording allocates and could itself panic (out of memory); never let that escape.
    catch_unwind(AssertUnwindSafe(|| match outcome {
        Ok(()) => {
            error::clear();
            0
        }
        Err(failure) => error::record(&failure),
    }))
    .unwrap_or(super::status::rescue_status_code::RESCUE_STATUS_PANIC as u32)
}

thread_local! {
    /// How many `guard`s this thread is inside.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// A library must not write to its host's stderr: a panic inside a guard (which becomes
/// `RESCUE_STATUS_PANIC`) goes to the log hook (`rescue_set_log_callback`) instead of the
/// default message. Panics elsewhere keep the hook that was there before.
fn quiet_panics_inside_guards() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.try_with(Cell::get).unwrap_or(0) > 0 {
                log::error!(target: crate::events::TARGET, "internal error in librescue (panic): {info}");
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::rescue_last_error_message;

    fn last_message() -> String {
        let mut buf = [0u8; 256];
        // SAFETY: buf is 256 writable bytes.
        let n = unsafe { rescue_last_error_message(buf.as_mut_ptr().cast(), buf.len()) };
        String::from_utf8_lossy(&buf[..n.min(255)]).into_owned()
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard(|| panic!("boom"));
        assert_eq!(status, 108);
        assert!(last_message().contains("boom"), "{}", last_message());
        assert_eq!(guard(|| Ok(())), 0);
        assert_eq!(last_message(), "");
    }
}
