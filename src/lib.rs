//! librescue: a client for the LogMeIn Rescue API.
//!
//! It logs a technician in (`login.aspx`) or authenticates with a secret authcode
//! (`requestAuthCode.aspx`), and requests the 6-digit PIN codes that start Rescue Lens
//! (`requestLensPINCode.aspx`) and desktop (`requestPINCode.aspx`) sessions. Every
//! documented return value is a [`Status`]; every client-side failure is its own [`Error`]
//! variant.
//!
//! ```no_run
//! use rescue::{Client, PinRequest};
//!
//! let client = Client::builder().build()?;
//! client.login("tech@example.com", "secret")?;
//! let pin = client.request_lens_pin(&PinRequest::new().cfield0("Ticket 4711"))?;
//! println!("PIN {pin}, join at {}", pin.join_url());
//! # Ok::<(), rescue::Error>(())
//! ```
//!
//! The same core is exported to C (`include/rescue.h`), Python (`import rescue`) and PHP.

mod call;
mod client;
mod cookies;
mod encoding;
mod error;
mod events;
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod interrupt;
mod invitation;
mod pin;
#[cfg(feature = "python")]
mod python;
mod renewal;
mod request;
mod response;
mod secret;
mod soap;
mod status;
mod transport;

pub use client::{Client, ClientBuilder, Method, DEFAULT_BASE_URL};
pub use encoding::{ParseTransportError, Transport};
pub use error::{Error, ErrorKind};
pub use invitation::{LensInvitation, LensPin, LANG_CODES, PHONE_NUMBER_MAX};
pub use pin::{Pin, JOIN_URL_PREFIX};
pub use request::{Field, PinRequest};
pub use status::{ParseStatusError, Status};

/// The library's version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
