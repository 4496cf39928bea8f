//! A local, faithful simulation of the LogMeIn Rescue API (`login.aspx`, `logout.aspx`,
//! `requestAuthCode.aspx`, `requestLensPINCode.aspx`, `requestPINCode.aspx`, the Lens
//! invitation pages `requestLensPINCode_v3.aspx` / `_v4.aspx`, and their SOAP 1.1/1.2 twin
//! `API.asmx` with its WSDL) over real HTTP(S), for tests and demos in every language the
//! client supports.
//!
//! Start one in-process with [`Sandbox::start`], or run the `rescue-sandbox` binary,
//! which prints its base URL as its only line of output. The crate README lists the
//! built-in accounts, the fault variants and the assumptions made where the vendor's
//! documentation is silent.
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let sandbox = rescue_sandbox::Sandbox::start(Default::default()).unwrap();
//! let mut tcp = std::net::TcpStream::connect(sandbox.addr()).unwrap();
//! let code = "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd"; // tech@sandbox.test
//! write!(tcp, "GET /API/requestLensPINCode.aspx?authcode={code} HTTP/1.1\r\n\
//!              Host: x\r\nConnection: close\r\n\r\n").unwrap();
//! let mut reply = String::new();
//! tcp.read_to_string(&mut reply).unwrap();
//! assert!(reply.contains("OK\r\nPINCODE:"));
//! assert_eq!(sandbox.sessions().len(), 1);
//! ```

mod accounts;
mod api;
pub mod cli;
mod config;
mod faults;
mod http;
mod invitation;
mod server;
mod soap;
mod state;
mod tls;
mod wsdl;

pub use accounts::{
    builtin_accounts, parse_accounts, Account, Behaviour, BUILTIN_PASSWORD, FIRST_NODE_ID,
};
pub use config::Config;
pub use invitation::{FAILING_PREFIX, JOIN_URL, SMS_FAILED, SMS_SENT};
pub use server::Sandbox;
pub use state::{
    InvitationRecord, LoginAttempts, SessionRecord, LOGIN_LIMIT, LOGIN_WINDOW,
    MAX_RECORDED_SESSIONS,
};
