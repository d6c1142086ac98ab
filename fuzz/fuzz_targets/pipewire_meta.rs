#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_engine::fuzzing::pipewire_meta(data));
