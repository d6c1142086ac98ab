#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_codecs::fuzzing::h264_parsers(data));
