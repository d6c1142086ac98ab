#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_session::fuzzing::policy_file(data));
