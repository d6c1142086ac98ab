//! Packetization: an encoded access unit into RTP payloads (str0m's H.264 packetizer, the one
//! the peer's stream uses: FU-A fragments) and back. `cargo bench -p glass-transport`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use str0m::format::CodecExtra;
use str0m::unversioned::{Depacketizer, H264Depacketizer, H264Packetizer, Packetizer};

/// RTP payload budget per packet: a ~1200-byte datagram less RTP header, extensions and SRTP.
const MTU: usize = 1150;

fn packetization(c: &mut Criterion) {
    // Sizes measured at 1080p (docs/performance.md): a typing delta ~1.5 KB, a video delta
    // ~16 KB, a screen keyframe ~150 KB.
    for (name, keyframe, size) in [
        ("typing_delta_1.5KB", false, 1_500),
        ("video_delta_16KB", false, 16_000),
        ("keyframe_150KB", true, 150_000),
    ] {
        let au = glass_transport::fuzzing::access_unit(keyframe, size, 0);
        let mut g = c.benchmark_group(format!("h264/{name}"));
        g.throughput(Throughput::Bytes(au.len() as u64));
        g.bench_function("packetize", |b| {
            let mut p = H264Packetizer::default();
            b.iter(|| p.packetize(MTU, &au).expect("well-formed"));
        });
        let packets = H264Packetizer::default()
            .packetize(MTU, &au)
            .expect("well-formed");
        g.bench_function("depacketize", |b| {
            let mut d = H264Depacketizer::default();
            let mut out = Vec::with_capacity(au.len() + 64);
            let mut extra = CodecExtra::None;
            b.iter(|| {
                out.clear();
                for p in &packets {
                    d.depacketize(p, &mut out, &mut extra).expect("well-formed");
                }
                assert!(out.len() >= size);
            });
        });
        g.finish();
    }
}

criterion_group!(benches, packetization);
criterion_main!(benches);
