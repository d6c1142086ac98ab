#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_protocol::fuzzing::decode(data));
