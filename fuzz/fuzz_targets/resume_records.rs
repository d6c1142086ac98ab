#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_broker::fuzzing::resume_records(data));
