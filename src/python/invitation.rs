//! `rescue.LensPin`: what `Client.request_lens_pin_invite` returns.

use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};

use super::errors::to_py_err;
use crate::error::Error;
use crate::invitation::LensPin as CoreLensPin;
use crate::pin::Pin;

/// A Lens PIN and what became of its SMS invitation.
///
/// `pin` is the six-digit PIN (a `str`); it exists whatever became of the SMS.
/// `sms_result` is the service's word for the SMS, e.g.
/// `"sendInvitationForMobileSession_OK"`, or `None` when no SMS was asked for; a word other
/// than `…_OK` means the SMS failed (it is not raised: the PIN was created).
#[pyclass(frozen, eq, hash, module = "rescue", name = "LensPin")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct LensPin {
    #[pyo3(get)]
    pin: String,
    #[pyo3(get)]
    sms_result: Option<String>,
}

impl From<CoreLensPin> for LensPin {
    fn from(lens: CoreLensPin) -> Self {
        let (pin, sms_result) = lens.into_parts();
        LensPin {
            pin: pin.into(),
            sms_result,
        }
    }
}

#[pymethods]
impl LensPin {
    #[new]
    #[pyo3(signature = (pin, sms_result=None))]
    fn new(py: Python<'_>, pin: String, sms_result: Option<String>) -> PyResult<Self> {
        if Pin::parse(&pin).is_none() {
            return Err(to_py_err(
                py,
                &Error::invalid("pin", "is not a PIN code of six ASCII digits"),
            ));
        }
        Ok(LensPin { pin, sms_result })
    }

    /// Whether the service reported the SMS as sent (its word ends in `_OK`).
    #[getter]
    fn sms_sent(&self) -> bool {
        self.sms_result
            .as_deref()
            .is_some_and(|word| word.ends_with("_OK"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let sms_result = match &self.sms_result {
            Some(word) => PyString::new(py, word).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!(
            "rescue.LensPin(pin='{}', sms_result={sms_result})",
            self.pin
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> (Bound<'py, PyType>, (String, Option<String>)) {
        (
            py.get_type::<LensPin>(),
            (self.pin.clone(), self.sms_result.clone()),
        )
    }
}
