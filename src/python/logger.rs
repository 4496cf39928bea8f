//! The library's events (the `log` facade, target `rescue`) as records of Python's
//! `logging`, under the logger `rescue`.
//!
//! Cheap when disabled: the `log` crate's max level mirrors what `logging.getLogger("rescue")`
//! lets through, so a disabled record costs one atomic load and never the GIL. The mirror is
//! refreshed whenever `logging` clears its own isEnabledFor caches (a level set anywhere,
//! `logging.disable`, `dictConfig`): `rescue/_logging.py` hooks that moment. A record that
//! passes takes the GIL (from any thread) and asks the logger again, so the
//! answer is exactly `isEnabledFor`'s.

use std::cell::Cell;

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use crate::events::TARGET;

/// The name of the Python logger, the same as the `log` target.
const LOGGER_NAME: &str = TARGET;

/// `logging`'s number for TRACE records, which it has no level for: `DEBUG - 5`.
pub(crate) const TRACE: u8 = 5;

/// `logging.getLogger("rescue")`.
static PY_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

thread_local! {
    /// Set while this thread is inside `logging` for a record of ours: a handler that
    /// calls the library logs nothing more (no recursion).
    static IN_LOGGING: Cell<bool> = const { Cell::new(false) };
}

struct PythonLogger;

static LOGGER: PythonLogger = PythonLogger;

/// Makes this module the `log` logger of the extension (off until the level is refreshed).
pub(crate) fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Off);
    }
}

/// `logging`'s number for a `log` level.
fn python_level(level: Level) -> u8 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug => 10,
        Level::Trace => TRACE,
    }
}

fn py_logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    PY_LOGGER
        .get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", (LOGGER_NAME,))
                .map(Bound::unbind)
        })
        .map(|logger| logger.bind(py))
}

/// Sets the `log` crate's max level to the most verbose level the `rescue` logger lets
/// through now. `watched`: whether `logging` will call this again when its levels change;
/// if not, every level stays on and each record asks the logger (slower, never wrong).
#[pyfunction]
#[pyo3(name = "_refresh_log_level")]
pub(crate) fn refresh_log_level(py: Python<'_>, watched: bool) -> PyResult<()> {
    if !watched {
        log::set_max_level(LevelFilter::Trace);
        return Ok(());
    }
    let logger = py_logger(py)?;
    let mut max = LevelFilter::Off;
    for level in [
        Level::Error,
        Level::Warn,
        Level::Info,
        Level::Debug,
        Level::Trace,
    ] {
        let enabled = logger
            .call_method1(intern!(py, "isEnabledFor"), (python_level(level),))?
            .is_truthy()?;
        if !enabled {
            break;
        }
        max = level.to_level_filter();
    }
    log::set_max_level(max);
    Ok(())
}

impl Log for PythonLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only the library's own events: ureq's show request lines, GET queries included.
        metadata.target() == TARGET
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) || IN_LOGGING.with(Cell::get) {
            return;
        }
        // No Python to log to while the interpreter shuts down: the record is dropped.
        Python::try_attach(|py| {
            IN_LOGGING.with(|flag| flag.set(true));
            let _reset = Reset;
            if let Err(error) = emit(py, record) {
                // A handler or filter raised: reported as Python reports what it can't raise.
                error.write_unraisable(py, None);
            }
        });
    }

    fn flush(&self) {}
}

/// Clears `IN_LOGGING` however `emit` ends.
struct Reset;

impl Drop for Reset {
    fn drop(&mut self) {
        IN_LOGGING.with(|flag| flag.set(false));
    }
}

/// Hands `record` to the `rescue` logger as `Logger._log` would, minus its stack walk:
/// `makeRecord`, then `handle` (filters, handlers, propagation).
fn emit(py: Python<'_>, record: &Record<'_>) -> PyResult<()> {
    let logger = py_logger(py)?;
    let level = python_level(record.level());
    if !logger
        .call_method1(intern!(py, "isEnabledFor"), (level,))?
        .is_truthy()?
    {
        return Ok(());
    }
    let made = logger.call_method1(
        intern!(py, "makeRecord"),
        (
            LOGGER_NAME,
            level,
            record.file().unwrap_or("librescue"),
            record.line().unwrap_or(0),
            record.args().to_string(),
            PyTuple::empty(py),
            py.None(),
        ),
    )?;
    logger.call_method1(intern!(py, "handle"), (made,))?;
    Ok(())
}
