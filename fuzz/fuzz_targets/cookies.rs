//! Any bytes as `Set-Cookie` headers (one per line) stored in the session's cookie jar.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| rescue::fuzzing::store_cookies(bytes));
