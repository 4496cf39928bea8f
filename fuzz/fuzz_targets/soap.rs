//! Any bytes as a SOAP answer to every call in both versions: the XML reading (no DTD, no
//! entity expanded), the result words, the padded PIN, the fault and its bounded text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| rescue::fuzzing::parse_soap_answer(bytes));
