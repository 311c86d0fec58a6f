#![no_main]
//! Fuzz target: see `statusrapport::fuzzing::formula`.

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| statusrapport::fuzzing::formula(bytes));
