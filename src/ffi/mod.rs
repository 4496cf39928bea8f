//! The C ABI, declared in `include/rescue.h` (generated from this module by cbindgen).
//!
//! This layer only converts and guards: C strings become `&str`, results become a
//! [`rescue_status`] plus out-parameters, panics become [`RESCUE_STATUS_PANIC`], and every
//! failure leaves its message for [`rescue_last_error_message`]. All service logic stays in
//! the core ([`crate::Client`]).
//!
//! Conventions, as in rustls-ffi:
//! - every fallible function returns a `rescue_status`; `RESCUE_STATUS_OK` (0) is success;
//! - outputs come last and are written only on success;
//! - text goes into caller buffers; nothing is handed out that C must `free()`;
//! - `rescue_client_free(NULL)` does nothing; NULL elsewhere is `RESCUE_STATUS_INVALID_ARGUMENT`.

// The C names are the API.
#![allow(non_camel_case_types)]

mod client;
mod error;
mod invitation;
mod log;
mod panic;
mod request;
mod status;
mod util;

pub use client::rescue_transport_code::*;
pub use client::{
    rescue_client, rescue_client_free, rescue_client_new, rescue_client_set_allow_plain_http,
    rescue_client_set_ca_file, rescue_client_set_proxy, rescue_client_set_renew_session,
    rescue_client_set_system_roots, rescue_client_set_timeout_ms, rescue_client_set_transport,
    rescue_client_set_use_get, rescue_login, rescue_logout, rescue_transport,
    rescue_transport_code,
};
pub use error::rescue_last_error_message;
pub use invitation::{
    rescue_lens_invitation, rescue_request_lens_pin_invite, RESCUE_SMS_RESULT_BUFFER_LEN,
};
pub use log::{
    rescue_log_callback, rescue_log_level, rescue_log_level_code, rescue_set_log_callback,
};
pub use request::{
    rescue_pin_request, rescue_request_auth_code, rescue_request_lens_pin, rescue_request_pin,
    RESCUE_PIN_BUFFER_LEN,
};
pub use status::rescue_status_code::*;
pub use status::{rescue_status, rescue_status_code, rescue_status_name, rescue_version};

#[cfg(all(test, not(feature = "python")))]
mod header_tests {
    /// The committed headers must be what cbindgen generates from this module.
    fn check(name: &str, generated: &str) {
        let path = format!("{}/include/{name}", env!("CARGO_MANIFEST_DIR"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{path} is stale or missing: regenerate it with \
             `RESCUE_UPDATE_HEADER=1 cargo build` (or `make header`) and commit it"
        );
    }

    #[test]
    fn rescue_h_is_up_to_date() {
        check(
            "rescue.h",
            include_str!(concat!(env!("OUT_DIR"), "/rescue.h")),
        );
    }

    #[test]
    fn rescue_ffi_h_is_up_to_date() {
        check(
            "rescue_ffi.h",
            include_str!(concat!(env!("OUT_DIR"), "/rescue_ffi.h")),
        );
    }
}
