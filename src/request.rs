//! The parameters of a PIN code request, and their documented limits.

use std::fmt;

use crate::error::Error;
use crate::secret::Secret;

/// A text field of a PIN code request, with its documented maximum length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `cfield0`, custom field 0 (at most 64 characters).
    CField0,
    /// `cfield1`, custom field 1 (at most 512 characters).
    CField1,
    /// `cfield2`, custom field 2 (at most 512 characters).
    CField2,
    /// `cfield3`, custom field 3 (at most 256 characters).
    CField3,
    /// `cfield4`, custom field 4 (at most 64 characters).
    CField4,
    /// `cfield5`, custom field 5 (at most 64 characters).
    CField5,
    /// `tracking0`, the tracking field (at most 64 characters).
    Tracking0,
}

impl Field {
    /// Every field, in the order they are sent.
    pub const ALL: [Field; 7] = [
        Field::CField0,
        Field::CField1,
        Field::CField2,
        Field::CField3,
        Field::CField4,
        Field::CField5,
        Field::Tracking0,
    ];

    /// The parameter name, e.g. `"cfield0"`.
    pub const fn name(self) -> &'static str {
        match self {
            Field::CField0 => "cfield0",
            Field::CField1 => "cfield1",
            Field::CField2 => "cfield2",
            Field::CField3 => "cfield3",
            Field::CField4 => "cfield4",
            Field::CField5 => "cfield5",
            Field::Tracking0 => "tracking0",
        }
    }

    /// The documented maximum length, in characters (Unicode scalar values).
    pub const fn limit(self) -> usize {
        match self {
            Field::CField0 => 64,
            Field::CField1 => 512,
            Field::CField2 => 512,
            Field::CField3 => 256,
            Field::CField4 => 64,
            Field::CField5 => 64,
            Field::Tracking0 => 64,
        }
    }

    /// The field called `name` (`"cfield0"` … `"tracking0"`), if there is one.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }
}

/// The parameters of `requestLensPINCode` / `requestPINCode`. All are optional; the
/// default is the empty request, which authenticates with the login session.
///
/// ```
/// use rescue::{Field, PinRequest};
///
/// let request = PinRequest::new()
///     .cfield0("Jane Doe")
///     .tracking0("ticket-4711")
///     .notechconsole(true);
/// assert_eq!(request.get(Field::CField0), Some("Jane Doe"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PinRequest {
    fields: [Option<String>; 7],
    notechconsole: bool,
    authcode: Option<Secret>,
}

macro_rules! field_setters {
    ($($method:ident => $field:ident),*) => {$(
        #[doc = concat!("Sets `", stringify!($method), "`.")]
        pub fn $method(self, value: impl Into<String>) -> Self {
            self.field(Field::$field, value)
        }
    )*};
}

impl PinRequest {
    /// The empty request.
    pub fn new() -> Self {
        Self::default()
    }

    field_setters!(
        cfield0 => CField0, cfield1 => CField1, cfield2 => CField2, cfield3 => CField3,
        cfield4 => CField4, cfield5 => CField5, tracking0 => Tracking0
    );

    /// Sets `field` to `value`.
    pub fn field(mut self, field: Field, value: impl Into<String>) -> Self {
        self.set(field, Some(value.into()));
        self
    }

    /// Sets or clears `field`; a field that is `None` is not sent.
    pub fn set(&mut self, field: Field, value: Option<String>) {
        self.fields[field as usize] = value;
    }

    /// The value of `field`, if set.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields[field as usize].as_deref()
    }

    /// `notechconsole`: `true` lets the PIN be created while the technician's console is
    /// not running. Sent as `notechconsole=1`; `false` (the service's default) is not sent.
    pub fn notechconsole(mut self, value: bool) -> Self {
        self.notechconsole = value;
        self
    }

    /// Whether `notechconsole` is set.
    pub fn is_notechconsole(&self) -> bool {
        self.notechconsole
    }

    /// Authenticates this request with a secret authcode instead of the login session.
    pub fn authcode(mut self, authcode: &str) -> Self {
        self.authcode = Some(Secret::new(authcode));
        self
    }

    /// Whether an authcode is set (its value is never shown).
    pub fn has_authcode(&self) -> bool {
        self.authcode.is_some()
    }

    /// Refuses, before any traffic, what the service must not receive: fields over their
    /// documented length, NUL bytes, an empty authcode.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        for field in Field::ALL {
            if let Some(value) = self.get(field) {
                reject_nul(field.name(), value)?;
                let length = value.chars().count();
                if length > field.limit() {
                    return Err(Error::FieldTooLong {
                        field,
                        length,
                        limit: field.limit(),
                    });
                }
            }
        }
        if let Some(authcode) = &self.authcode {
            reject_nul("authcode", authcode.expose())?;
            if authcode.expose().is_empty() {
                return Err(Error::invalid("authcode", "is empty"));
            }
        }
        Ok(())
    }

    /// The form parameters, in documented order.
    pub(crate) fn params(&self) -> Vec<(&'static str, &str)> {
        let mut params: Vec<(&'static str, &str)> = Field::ALL
            .into_iter()
            .filter_map(|field| Some((field.name(), self.get(field)?)))
            .collect();
        if self.notechconsole {
            params.push(("notechconsole", "1"));
        }
        if let Some(authcode) = &self.authcode {
            params.push(("authcode", authcode.expose()));
        }
        params
    }
}

impl fmt::Debug for PinRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("PinRequest");
        for field in Field::ALL {
            if let Some(value) = self.get(field) {
                out.field(field.name(), &value);
            }
        }
        out.field("notechconsole", &self.notechconsole)
            .field("authcode", &self.authcode)
            .finish()
    }
}

/// A NUL byte can't travel through C strings and is never a meaningful field value.
pub(crate) fn reject_nul(name: &'static str, value: &str) -> Result<(), Error> {
    if value.contains('\0') {
        return Err(Error::invalid(name, "contains a NUL byte"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_characters_not_bytes() {
        let ok = PinRequest::new().cfield0("é".repeat(64));
        assert_eq!(ok.validate(), Ok(()));
        let long = PinRequest::new().cfield0("é".repeat(65));
        assert_eq!(
            long.validate(),
            Err(Error::FieldTooLong {
                field: Field::CField0,
                length: 65,
                limit: 64
            })
        );
    }

    #[test]
    fn debug_hides_the_authcode() {
        let request = PinRequest::new().cfield1("visible").authcode("s3cr3t-code");
        let shown = format!("{request:?}");
        assert!(shown.contains("visible"), "{shown}");
        assert!(!shown.contains("s3cr3t-code"), "{shown}");
    }
}
