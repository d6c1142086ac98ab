#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_engine::fuzzing::input_messages(data));
