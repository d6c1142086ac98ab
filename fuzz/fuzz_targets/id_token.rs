#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_identity::fuzzing::id_token(data));
