#![no_main]
//! Fuzz target: see `statusrapport::fuzzing::commentary`.

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| statusrapport::fuzzing::commentary(bytes));
