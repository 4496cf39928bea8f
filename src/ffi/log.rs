//! `rescue_set_log_callback`: the library's events (and caught panics) for a C callback.
//!
//! One process-wide hook. The callback's pointer and user data are copied out under a lock
//! and called without it, so a callback may even replace itself; records logged while the
//! same thread is inside the callback are dropped, so a callback that calls back into
//! librescue can't recurse.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CString};
use std::sync::{Mutex, OnceLock};

use log::{Level, LevelFilter, Log, Metadata, Record};

use super::panic::guard;
use super::status::rescue_status;
use crate::events::TARGET;

/// How much a log record matters: one of the `rescue_log_level_code` values.
pub type rescue_log_level = u32;

/// The values of `rescue_log_level`; the numbers are stable.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rescue_log_level_code {
    /// A call failed on this side, a renewal was refused, a panic was caught.
    RESCUE_LOG_ERROR = 1,
    /// Failures of exchanges (network, timeout, TLS, HTTP, unexpected answers).
    RESCUE_LOG_WARN = 2,
    /// Logins, logouts and session renewals.
    RESCUE_LOG_INFO = 3,
    /// Each exchange sent and answered, with its timing.
    RESCUE_LOG_DEBUG = 4,
    /// Parameter names with their lengths (never values of secrets).
    RESCUE_LOG_TRACE = 5,
}

/// The callback: `user_data` as given, the record's level, and its message (NUL-terminated
/// UTF-8, valid only during the call).
pub type rescue_log_callback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: rescue_log_level, message: *const c_char),
>;

#[derive(Clone, Copy)]
struct Hook {
    callback: unsafe extern "C" fn(*mut c_void, rescue_log_level, *const c_char),
    /// Opaque to the library; the caller vouches it may be used from any thread.
    user_data: usize,
}

static HOOK: Mutex<Option<Hook>> = Mutex::new(None);
/// Whether our logger became the process's `log` logger (tried once).
static INSTALLED: OnceLock<bool> = OnceLock::new();

thread_local! {
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

struct CallbackLogger;

static LOGGER: CallbackLogger = CallbackLogger;

impl Log for CallbackLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only the library's own events: ureq's debug output could show headers.
        metadata.target().starts_with(TARGET)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) || IN_CALLBACK.with(Cell::get) {
            return;
        }
        let Some(hook) = *HOOK.lock().unwrap_or_else(|e| e.into_inner()) else {
            return;
        };
        let text = record.args().to_string().replace('\0', " ");
        let Ok(message) = CString::new(text) else {
            return;
        };
        IN_CALLBACK.with(|flag| flag.set(true));
        // SAFETY: the caller of rescue_set_log_callback vouched for the function and its
        // user data on any thread; the message lives until the call returns.
        unsafe {
            (hook.callback)(
                hook.user_data as *mut c_void,
                level_code(record.level()),
                message.as_ptr(),
            )
        };
        IN_CALLBACK.with(|flag| flag.set(false));
    }

    fn flush(&self) {}
}

fn level_code(level: Level) -> rescue_log_level {
    use rescue_log_level_code::*;
    (match level {
        Level::Error => RESCUE_LOG_ERROR,
        Level::Warn => RESCUE_LOG_WARN,
        Level::Info => RESCUE_LOG_INFO,
        Level::Debug => RESCUE_LOG_DEBUG,
        Level::Trace => RESCUE_LOG_TRACE,
    }) as rescue_log_level
}

fn level_filter(level: rescue_log_level) -> Option<LevelFilter> {
    Some(match level {
        1 => LevelFilter::Error,
        2 => LevelFilter::Warn,
        3 => LevelFilter::Info,
        4 => LevelFilter::Debug,
        5 => LevelFilter::Trace,
        _ => return None,
    })
}

/// Sends the library's events at `min_level` and above to `callback`, process-wide, from
/// now on; NULL turns logging off. The callback runs on the thread that made the call being
/// logged (any thread), synchronously: keep it short. `user_data` is passed back as given;
/// it must be usable from any thread. Messages never hold a password, authcode, cookie,
/// URL or field value (a phone number shows only its last two digits).
///
/// A callback may call librescue, even this function; records logged by those calls, on
/// the callback's own thread, are dropped rather than delivered back into the callback.
/// A panic caught at any function's boundary is reported here at `RESCUE_LOG_ERROR`, never
/// printed to the process's stderr.
///
/// Errors: `RESCUE_STATUS_INVALID_ARGUMENT` for a level outside 1–5, or when the process
/// already has another Rust logger for the `log` crate (only possible when librescue is
/// linked into a Rust program as a crate, not through the C library).
///
/// # Safety
///
/// `callback` is NULL or a function that may be called from any thread with `user_data`
/// until logging is turned off or replaced.
#[no_mangle]
pub unsafe extern "C" fn rescue_set_log_callback(
    callback: rescue_log_callback,
    user_data: *mut c_void,
    min_level: rescue_log_level,
) -> rescue_status {
    guard(|| {
        let filter = level_filter(min_level).ok_or_else(|| {
            crate::error::Error::invalid("min_level", "is not a RESCUE_LOG_* level (1-5)")
        })?;
        if !*INSTALLED.get_or_init(|| log::set_logger(&LOGGER).is_ok()) {
            return Err(crate::error::Error::invalid(
                "callback",
                "another logger is installed for Rust's log crate in this process",
            )
            .into());
        }
        let hook = callback.map(|callback| Hook {
            callback,
            user_data: user_data as usize,
        });
        *HOOK.lock().unwrap_or_else(|e| e.into_inner()) = hook;
        log::set_max_level(if hook.is_some() {
            filter
        } else {
            LevelFilter::Off
        });
        Ok(())
    })
}
