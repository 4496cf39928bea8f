//! Lens invitations: `rescue_lens_invitation` and `rescue_request_lens_pin_invite`.

use std::ffi::c_char;

use super::client::{client_arg, rescue_client};
use super::panic::guard;
use super::request::{rescue_pin_request, RESCUE_PIN_BUFFER_LEN};
use super::status::rescue_status;
use super::util::{check_buffer, opt_str_arg, write_str, write_truncated};
use crate::error::Error;
use crate::invitation::LensInvitation;
use crate::request::PinRequest;

/// The size of an SMS result buffer: the service's word (`sendInvitationForMobileSession_OK`
/// is 33 bytes) with a wide margin, and the NUL.
pub const RESCUE_SMS_RESULT_BUFFER_LEN: usize = 128;

// ===== impl rescue_lens_invitation =====

/// What a Lens PIN request adds for an invitation. Every member is optional (NULL); a
/// zero-initialised struct is the plain request. Strings are UTF-8, borrowed for the call.
#[repr(C)]
pub struct rescue_lens_invitation {
    /// The customer's phone number: the service texts the PIN and its join link there.
    /// At most 32 characters, no control characters; the service decides what is valid.
    /// Personal data: never in error messages. NULL: no SMS.
    pub phone_number: *const c_char,
    /// The invitation's language: `de`, `en`, `es`, `fr`, `nl` or `pt-br` (any case).
    /// NULL: the service's default (en).
    pub lang_code: *const c_char,
    /// The technician the PIN is created for (`NodeId`, decimal digits); HTTP POST and GET
    /// only (`RESCUE_STATUS_INVALID_ARGUMENT` over SOAP). NULL: the calling technician.
    pub node_id: *const c_char,
}

impl rescue_lens_invitation {
    /// # Safety
    ///
    /// Every member is NULL or NUL-terminated.
    unsafe fn to_core(&self) -> Result<LensInvitation, Error> {
        let mut invitation = LensInvitation::new();
        // SAFETY: the caller's promise, for the three members.
        unsafe {
            if let Some(number) = opt_str_arg(self.phone_number, "phone_number")? {
                invitation = invitation.phone_number(number);
            }
            if let Some(lang) = opt_str_arg(self.lang_code, "lang_code")? {
                invitation = invitation.lang_code(lang);
            }
            if let Some(node_id) = opt_str_arg(self.node_id, "node_id")? {
                invitation = invitation.node_id(node_id);
            }
        }
        Ok(invitation)
    }
}

/// `requestLensPINCode` with an invitation: `_v3` when `invitation` has a phone number or a
/// language, `_v4` when it has a NodeId, the plain page when it is NULL or empty (then as
/// `rescue_request_lens_pin`); over SOAP, `requestLensPINCodeV3`. Writes the PIN with its
/// NUL into `pin_out` (at least `RESCUE_PIN_BUFFER_LEN` bytes) and the service's SMS result
/// into `sms_result_out` (at least `RESCUE_SMS_RESULT_BUFFER_LEN` bytes): `""` when the
/// answer has none, else the service's word as text (`sendInvitationForMobileSession_OK`
/// when the SMS was sent; any other word means it was not, and the PIN is still valid).
/// `sms_result_out` may be NULL with length 0 when the result is not wanted; a longer
/// word than the buffer holds is cut on a UTF-8 boundary rather than lose the PIN.
///
/// Outputs are written only on success; buffer sizes and every argument are checked before
/// any traffic. Errors: as `rescue_request_lens_pin`, plus `RESCUE_STATUS_INVALID_ARGUMENT`
/// for a bad phone number, language or NodeId (and a NodeId over SOAP).
///
/// # Safety
///
/// `client` is NULL or a live client; `request` and `invitation` are NULL or valid structs
/// whose strings are NULL or NUL-terminated; `pin_out` is NULL or holds `pin_out_len`
/// writable bytes; `sms_result_out` is NULL or holds `sms_result_out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn rescue_request_lens_pin_invite(
    client: *mut rescue_client,
    request: *const rescue_pin_request,
    invitation: *const rescue_lens_invitation,
    pin_out: *mut c_char,
    pin_out_len: usize,
    sms_result_out: *mut c_char,
    sms_result_out_len: usize,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        check_buffer(pin_out, pin_out_len, RESCUE_PIN_BUFFER_LEN, "pin_out")?;
        if !(sms_result_out.is_null() && sms_result_out_len == 0) {
            check_buffer(
                sms_result_out,
                sms_result_out_len,
                RESCUE_SMS_RESULT_BUFFER_LEN,
                "sms_result_out",
            )?;
        }
        // SAFETY: the caller's promise.
        let request = match unsafe { request.as_ref() } {
            // SAFETY: the caller's promise.
            Some(request) => unsafe { request.to_core() }?,
            None => PinRequest::new(),
        };
        // SAFETY: the caller's promise.
        let invitation = match unsafe { invitation.as_ref() } {
            // SAFETY: the caller's promise.
            Some(invitation) => unsafe { invitation.to_core() }?,
            None => LensInvitation::new(),
        };
        let lens = client
            .current()
            .request_lens_pin_invite(&request, &invitation)?;
        // SAFETY: pin_out holds pin_out_len bytes by the caller's promise.
        unsafe { write_str(pin_out, pin_out_len, lens.pin().as_str(), "pin_out") }?;
        // SAFETY: sms_result_out is NULL or holds sms_result_out_len bytes.
        unsafe {
            write_truncated(
                sms_result_out,
                sms_result_out_len,
                lens.sms_result().unwrap_or(""),
            )
        };
        Ok(())
    })
}
