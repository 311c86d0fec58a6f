#![no_main]
//! Fuzz target: see `statusrapport::fuzzing::csv`.

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| statusrapport::fuzzing::csv(bytes));
