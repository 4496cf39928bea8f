//! Any bytes as a service answer: the UTF-8 check and every parse the client does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| rescue::fuzzing::parse_answer(bytes));
