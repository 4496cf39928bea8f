//! The Python extension module `rescue._rescue`, built by maturin (`pyproject.toml`).
//!
//! It only adapts the core to Python: it extracts arguments, runs the blocking call with
//! the GIL released (interruptible by Ctrl-C on the main thread, `interrupt.rs`), and turns
//! core errors into the exceptions of `python/rescue/_errors.py`.
//! The public package is `python/rescue/`, which re-exports what users need.

mod client;
mod errors;
mod interrupt;
mod invitation;
mod logger;

/// Private: the compiled half of the `rescue` package. Import `rescue` instead.
#[pyo3::pymodule(name = "_rescue")]
mod module {
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    use crate::error::ErrorKind;
    use crate::pin::{Pin, JOIN_URL_PREFIX};
    use crate::status::Status;

    #[pymodule_export]
    use super::client::Client;

    #[pymodule_export]
    use super::invitation::LensPin;

    #[pymodule_export]
    use super::logger::refresh_log_level;

    #[pymodule_export]
    use super::interrupt::{call_cancellable, set_interrupt_check, Cancel};

    /// The `logging` level of the library's TRACE records (`logging.DEBUG - 5`).
    #[pymodule_export]
    const TRACE: u8 = super::logger::TRACE;

    /// The library's version, as in `Cargo.toml`.
    #[pymodule_export]
    const VERSION: &str = crate::VERSION;

    /// The public Rescue service.
    #[pymodule_export]
    const DEFAULT_BASE_URL: &str = crate::DEFAULT_BASE_URL;

    /// The link a customer opens to join the session with `pin` (six ASCII digits).
    #[pyfunction]
    fn join_url(py: Python<'_>, pin: &Bound<'_, pyo3::types::PyString>) -> PyResult<String> {
        let pin = super::client::text(py, "pin", pin)?;
        Pin::parse(&pin).map(|pin| pin.join_url()).ok_or_else(|| {
            super::errors::to_py_err(
                py,
                &crate::Error::InvalidArgument {
                    name: "pin",
                    reason: "is not a PIN code of six ASCII digits".into(),
                },
            )
        })
    }

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        // Every class of error with its stable number and name, the same in every language;
        // `rescue.Status` is checked against this table by the tests.
        let codes = PyDict::new(m.py());
        let kinds = Status::ALL
            .into_iter()
            .map(ErrorKind::Service)
            .chain(ErrorKind::CLIENT_SIDE);
        for kind in kinds {
            codes.set_item(kind.name(), kind.code())?;
        }
        m.add("STATUS_CODES", codes)?;
        m.add("JOIN_URL_PREFIX", JOIN_URL_PREFIX)?;
        // Off until `rescue._logging` has read the `rescue` logger's level.
        super::logger::install();
        Ok(())
    }
}
