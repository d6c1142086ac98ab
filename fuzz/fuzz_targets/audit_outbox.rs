#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| glass_broker::fuzzing::audit_outbox(data));
