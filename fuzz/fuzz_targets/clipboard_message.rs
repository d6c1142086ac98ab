#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_transport::fuzzing::clipboard_message(data));
