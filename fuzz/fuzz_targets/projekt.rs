#![no_main]
//! Fuzz target: see `statusrapport::fuzzing::project`.

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| statusrapport::fuzzing::project(bytes));
