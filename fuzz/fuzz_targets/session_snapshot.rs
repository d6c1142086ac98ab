#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_session::fuzzing::session_snapshot(data));
