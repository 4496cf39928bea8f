//! Core errors as Python exceptions.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::error::Error;

/// `rescue._errors.CLASS_BY_STATUS`: the exception class of each stable error number.
static CLASS_BY_STATUS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// The one place where a core error becomes a Python exception: the class registered
/// for the error's stable number, the core's message, and the details some classes carry.
pub(crate) fn to_py_err(py: Python<'_>, error: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let classes = CLASS_BY_STATUS.import(py, "rescue._errors", "CLASS_BY_STATUS")?;
        let code = error.kind().code();
        let class = classes.get_item(code)?.ok_or_else(|| {
            PyRuntimeError::new_err(format!("rescue: no exception class for status {code}"))
        })?;
        let details = PyDict::new(py);
        match error {
            Error::FieldTooLong {
                field,
                length,
                limit,
            } => {
                details.set_item("field", field.name())?;
                details.set_item("length", length)?;
                details.set_item("limit", limit)?;
            }
            Error::HttpStatus(status) => details.set_item("http_status", status)?,
            Error::SoapFault { code, text } => {
                details.set_item("fault_code", code)?;
                details.set_item("fault_text", text)?;
            }
            _ => {}
        }
        let exception = class.call((error.to_string(),), Some(&details))?;
        Ok(PyErr::from_value(exception))
    };
    build().unwrap_or_else(|failure| failure)
}
