//! The real `Transport` over loopback UDP, with a native str0m viewer on its own thread
//! (`glass::transport::testing`): H.264 from openh264 goes in, decodable frames come out;
//! a killed viewer is noticed within the heartbeat; `close()` reaches the viewer at once.

use std::time::{Duration, Instant};

use glass::codecs::{
    Codec, EncoderConfig, FrameParams, FramePool, PixelFormat, open_decoder, open_encoder,
};
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::convert::Converter;
use glass::transport::testing::{PendingViewer, UdpViewer, ViewerEvent};
use glass::transport::{
    Error, SessionId, Transport, TransportConfig, TransportEvent, VideoFrameOut,
};

use crate::util::to_i420;

const W: u32 = 320;
const H: u32 = 240;

fn loopback_transport() -> Transport {
    Transport::start(TransportConfig {
        bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        ..TransportConfig::default()
    })
    .unwrap()
}

fn connect(t: &Transport) -> (SessionId, UdpViewer) {
    let pending = PendingViewer::new().unwrap();
    let (id, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    let viewer = pending.start(&answer).unwrap();
    wait_event(t, Duration::from_secs(5), |e| {
        *e == TransportEvent::ViewerJoined(id)
    });
    (id, viewer)
}

fn wait_event(
    t: &Transport,
    limit: Duration,
    f: impl Fn(&TransportEvent) -> bool,
) -> TransportEvent {
    let end = Instant::now() + limit;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match t.events().recv_timeout(left) {
            Ok(e) if f(&e) => return e,
            Ok(_) => {}
            Err(_) => panic!("no matching transport event within {limit:?}"),
        }
    }
}

/// Encodes `n` frames of a typing scene at ~30 fps; a keyframe when the transport asks.
pub(crate) struct Source {
    src: SyntheticCapturer,
    enc: Box<dyn glass::codecs::Encoder>,
    pool: FramePool,
    conv: Converter,
    start: Instant,
}

impl Source {
    pub(crate) fn new() -> Source {
        Source::with_codec(Codec::H264)
    }

    /// A source encoding in `codec`.
    pub(crate) fn with_codec(codec: Codec) -> Source {
        let mut config = EncoderConfig::low_latency(W, H);
        config.codec = codec;
        Source {
            src: SyntheticCapturer::new(SyntheticConfig {
                scene: Scene::Typing,
                width: W,
                height: H,
                fps: 30,
            })
            .unwrap(),
            enc: open_encoder(&config).unwrap(),
            pool: FramePool::new(PixelFormat::I420, W, H, 4),
            conv: Converter::new(),
            start: Instant::now(),
        }
    }

    pub(crate) fn next(&mut self, keyframe: bool) -> VideoFrameOut {
        loop {
            let Some(bgra) = self.src.step(Instant::now()) else {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            };
            let yuv = to_i420(&bgra, &self.pool, &mut self.conv);
            if keyframe {
                self.enc.request_keyframe();
            }
            let params = FrameParams::new(yuv.id, yuv.capture_time, yuv.capture_time - self.start);
            self.enc.send_frame(&yuv, params).unwrap();
            if let Some(p) = self.enc.receive_packet().unwrap() {
                return VideoFrameOut {
                    codec: glass::share::wire_codec(p.codec).unwrap(),
                    data: p.data.clone(),
                    keyframe: p.keyframe,
                    capture_time: p.params.capture_time,
                    pts: p.params.pts,
                };
            }
        }
    }
}

/// VP8 beside H.264 (no VP8 backend on macOS).
#[cfg(target_os = "linux")]
mod codec_choice {
    use super::*;
    use glass::codecs::open_decoder_for;
    use glass::transport::testing::ViewerOptions;
    use glass::transport::{CodecSet, VideoCodec};

    fn connect_offering(t: &Transport, codecs: CodecSet) -> Result<(SessionId, UdpViewer), Error> {
        let pending = PendingViewer::with(ViewerOptions {
            codecs: Some(codecs),
            ..ViewerOptions::default()
        })
        .unwrap();
        let (id, answer) = t.accept_offer(pending.offer_sdp())?;
        let viewer = pending.start(&answer).unwrap();
        Ok((id, viewer))
    }

    /// Sends frames from `source` for `for_`, keyframes when asked, and returns what `viewer` got
    /// from its first frame in `codec` on: (codec, keyframe, bytes) of each.
    fn stream_to(
        t: &Transport,
        source: &mut Source,
        viewer: &UdpViewer,
        codec: VideoCodec,
        for_: Duration,
    ) -> Vec<(VideoCodec, bool, Vec<u8>)> {
        let mut got = Vec::new();
        let end = Instant::now() + for_;
        let mut want_keyframe = true;
        while Instant::now() < end {
            while let Ok(e) = t.events().try_recv() {
                want_keyframe |= matches!(e, TransportEvent::KeyframeRequested(_));
            }
            t.send_frame(source.next(std::mem::take(&mut want_keyframe)));
            std::thread::sleep(Duration::from_millis(33));
            while let Ok(e) = viewer.events().try_recv() {
                if let ViewerEvent::Frame {
                    codec: c,
                    keyframe,
                    data,
                    ..
                } = e
                    && (c == codec || !got.is_empty())
                {
                    got.push((c, keyframe, data));
                }
            }
        }
        got
    }

    /// The stream's codec follows the viewers (crate::codec's rule, docs/protocol.md): H.264 for a
    /// viewer that takes both, VP8 once a VP8-only viewer joins (both viewers get it, from a
    /// keyframe on, and decode it), a viewer that shares no codec with them is refused, and
    /// H.264 again when the VP8-only viewer leaves.
    #[test]
    fn the_stream_codec_follows_the_viewers() {
        let t = loopback_transport();
        let (both_id, both) = connect_offering(&t, CodecSet::ALL).unwrap();
        wait_event(&t, Duration::from_secs(5), |e| {
            *e == TransportEvent::ViewerJoined(both_id)
        });
        let mut source = Source::new();
        let got = stream_to(
            &t,
            &mut source,
            &both,
            VideoCodec::H264,
            Duration::from_millis(500),
        );
        assert!(
            got.len() >= 3 && got[0].1,
            "H.264 from a keyframe: {} frames",
            got.len()
        );

        // Firefox without OpenH264: VP8 only. The transport asks for VP8.
        let (vp8_id, vp8) = connect_offering(&t, CodecSet::only(VideoCodec::Vp8)).unwrap();
        wait_event(&t, Duration::from_secs(5), |e| {
            *e == TransportEvent::VideoCodec(VideoCodec::Vp8)
        });
        // Safari without VP8 now shares nothing with the VP8-only viewer.
        let Err(Error::BadOffer(reason)) = connect_offering(&t, CodecSet::only(VideoCodec::H264))
        else {
            panic!("an H.264-only offer was accepted beside a VP8-only viewer");
        };
        assert!(
            reason.contains("H.264") && reason.contains("VP8"),
            "{reason}"
        );
        wait_event(&t, Duration::from_secs(5), |e| {
            *e == TransportEvent::ViewerJoined(vp8_id)
        });
        let mut source = Source::with_codec(Codec::Vp8);
        let (to_both, to_vp8) = std::thread::scope(|s| {
            let h = s.spawn(|| {
                let end = Instant::now() + Duration::from_millis(800);
                let mut got = Vec::new();
                while Instant::now() < end {
                    if let Ok(ViewerEvent::Frame {
                        codec,
                        keyframe,
                        data,
                        ..
                    }) = both.events().recv_timeout(Duration::from_millis(50))
                        && (codec == VideoCodec::Vp8 || !got.is_empty())
                    {
                        got.push((codec, keyframe, data));
                    }
                }
                got
            });
            let to_vp8 = stream_to(
                &t,
                &mut source,
                &vp8,
                VideoCodec::Vp8,
                Duration::from_millis(800),
            );
            (h.join().unwrap(), to_vp8)
        });
        for (who, got) in [("both", &to_both), ("VP8 only", &to_vp8)] {
            assert!(got.len() >= 3, "{who}: {} VP8 frames", got.len());
            assert!(got[0].1, "{who}: VP8 starts with a keyframe");
            assert!(
                got.iter().all(|f| f.0 == VideoCodec::Vp8),
                "{who}: VP8 only after the switch"
            );
            let mut dec = open_decoder_for(Codec::Vp8).unwrap();
            for (_, _, data) in got.iter() {
                let pic = dec.decode(data).unwrap().expect("a picture per frame");
                assert_eq!((pic.width, pic.height), (W, H));
            }
        }

        // The VP8-only viewer leaves: back to H.264.
        assert!(t.close(vp8_id));
        wait_event(&t, Duration::from_secs(5), |e| {
            *e == TransportEvent::VideoCodec(VideoCodec::H264)
        });
        drop(vp8);
        drop(both);
        t.shutdown();
    }
}

#[test]
fn viewer_receives_decodable_frames_over_loopback() {
    let t = loopback_transport();
    let (id, viewer) = connect(&t);
    let mut source = Source::new();
    let mut sent = Vec::new();
    let mut want_keyframe = false;
    for _ in 0..30 {
        while let Ok(e) = t.events().try_recv() {
            want_keyframe |= e == TransportEvent::KeyframeRequested(id);
        }
        let f = source.next(std::mem::take(&mut want_keyframe));
        sent.push(f.data.clone());
        t.send_frame(f);
        std::thread::sleep(Duration::from_millis(33));
    }
    // Receive and decode what arrived.
    let mut dec = open_decoder().unwrap();
    let mut frames = Vec::new();
    let end = Instant::now() + Duration::from_secs(2);
    while Instant::now() < end && frames.len() < 10 {
        if let Ok(ViewerEvent::Frame {
            data,
            keyframe,
            contiguous,
            ..
        }) = viewer.events().recv_timeout(Duration::from_millis(100))
        {
            frames.push((data, keyframe, contiguous));
        }
    }
    while let Ok(ViewerEvent::Frame {
        data,
        keyframe,
        contiguous,
        ..
    }) = viewer.events().try_recv()
    {
        frames.push((data, keyframe, contiguous));
    }
    assert!(frames.len() >= 10, "only {} frames arrived", frames.len());
    assert!(frames[0].1, "the first frame a viewer gets is a keyframe");
    let mut decoded = 0;
    for (data, _, contiguous) in &frames {
        assert!(contiguous);
        assert!(
            sent.iter().any(|s| s[..] == data[..]),
            "frame bytes changed in transit"
        );
        if let Some(pic) = dec.decode(data).unwrap() {
            assert_eq!((pic.width, pic.height), (W, H));
            decoded += 1;
        }
    }
    assert_eq!(decoded, frames.len());
    let stats = t.stats();
    assert_eq!(stats.sessions, 1);
    assert!(
        stats.frames_sent >= 10 && stats.packets_sent > 10,
        "{stats:?}"
    );
    assert!(t.sessions() == vec![id]);
    drop(viewer);
    t.shutdown();
}

#[test]
fn killed_viewer_is_noticed_within_heartbeat() {
    let t = loopback_transport();
    let (id, viewer) = connect(&t);
    // Let pings flow for a moment: a live viewer is not dropped.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(t.sessions(), vec![id]);
    let killed = Instant::now();
    viewer.kill();
    let e = wait_event(&t, Duration::from_secs(4), |e| {
        matches!(e, TransportEvent::ViewerLeft { .. })
    });
    let took = killed.elapsed();
    eprintln!("dead viewer noticed after {took:?}");
    assert_eq!(
        e,
        TransportEvent::ViewerLeft {
            id,
            reason: "timeout".into()
        }
    );
    // The bound: a peer that leaves is noticed within 2 s.
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(t.sessions().is_empty());
    t.shutdown();
}

#[test]
fn close_reaches_the_viewer_at_once() {
    let t = loopback_transport();
    let (id, viewer) = connect(&t);
    std::thread::sleep(Duration::from_millis(200));
    let closed = Instant::now();
    assert!(t.close(id));
    assert!(!t.close(id), "already gone");
    let mut bye = false;
    let mut saw_closed = false;
    while !(bye && saw_closed) {
        match viewer.events().recv_timeout(Duration::from_secs(2)) {
            Ok(ViewerEvent::Control(glass::transport::control::ControlMessage::Bye { .. })) => {
                bye = true
            }
            Ok(ViewerEvent::Closed) => saw_closed = true,
            Ok(_) => {}
            Err(_) => panic!("viewer saw bye={bye} closed={saw_closed} within 2 s"),
        }
    }
    let took = closed.elapsed();
    eprintln!("viewer saw bye + close after {took:?}");
    assert!(took < Duration::from_millis(500), "{took:?}");
    wait_event(&t, Duration::from_secs(1), |e| {
        *e == TransportEvent::ViewerLeft {
            id,
            reason: "closed".into(),
        }
    });
    t.shutdown();
}

#[test]
fn viewer_bye_and_close_end_the_session() {
    let t = loopback_transport();
    let (a, va) = connect(&t);
    let (b, vb) = connect(&t);
    assert_eq!(t.sessions().len(), 2);
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    va.bye();
    wait_event(&t, Duration::from_secs(1), |e| {
        *e == TransportEvent::ViewerLeft {
            id: a,
            reason: "bye".into(),
        }
    });
    vb.close();
    wait_event(
        &t,
        Duration::from_secs(1),
        |e| matches!(e, TransportEvent::ViewerLeft { id, .. } if *id == b),
    );
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    t.shutdown();
}

#[test]
fn malformed_offers_are_rejected() {
    let t = loopback_transport();
    for bad in [
        "",
        "v=0",
        "garbage\r\nm=video 9",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n",
    ] {
        assert!(
            matches!(t.accept_offer(bad), Err(Error::BadOffer(_))),
            "{bad:?}"
        );
    }
    assert!(t.sessions().is_empty());
    t.shutdown();
}

#[test]
fn config_is_validated() {
    let bad = TransportConfig {
        heartbeat_timeout: Duration::from_millis(10),
        ..TransportConfig::default()
    };
    assert!(matches!(
        Transport::start(bad),
        Err(Error::Config {
            field: "heartbeat_timeout",
            ..
        })
    ));
    assert!("00000000000000zz".parse::<SessionId>().is_err());
    let id: SessionId = "00000000000000ab".parse().unwrap();
    assert_eq!(id.to_string(), "00000000000000ab");
}

/// The impairment layer (for `glass bench --loss --delay`): 40 ms each way shows up in the
/// round trip, 5 % loss is repaired by NACK/RTX or a keyframe, and the drops are counted.
#[test]
fn impaired_link_adds_delay_and_loses_packets() {
    let t = Transport::start(TransportConfig {
        bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        impairment: Some(glass::transport::Impairment {
            loss: 0.05,
            delay: Duration::from_millis(40),
        }),
        ..TransportConfig::default()
    })
    .unwrap();
    let (id, viewer) = connect(&t);
    let mut source = Source::new();
    let mut want_keyframe = false;
    let mut arrived = 0;
    let mut first_sent: Option<Instant> = None;
    let mut first_at: Option<Instant> = None;
    for _ in 0..60 {
        while let Ok(e) = t.events().try_recv() {
            want_keyframe |= e == TransportEvent::KeyframeRequested(id);
        }
        let f = source.next(std::mem::take(&mut want_keyframe));
        first_sent.get_or_insert_with(Instant::now);
        t.send_frame(f);
        std::thread::sleep(Duration::from_millis(33));
        while let Ok(e) = viewer.events().try_recv() {
            if let ViewerEvent::Frame { at, .. } = e {
                arrived += 1;
                first_at.get_or_insert(at);
            }
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    arrived += viewer
        .events()
        .try_iter()
        .filter(|e| matches!(e, ViewerEvent::Frame { .. }))
        .count();
    let stats = t.stats();
    let rtt = stats.per_session[0].rtt.expect("rtt measured");
    eprintln!("impaired: {arrived} of 60 frames, rtt {rtt:?}, {stats:?}");
    assert!(rtt >= Duration::from_millis(80), "rtt {rtt:?}");
    assert!(
        first_at.unwrap() - first_sent.unwrap() >= Duration::from_millis(40),
        "first frame arrived before the one-way delay"
    );
    assert!(stats.impairment_dropped > 0, "{stats:?}");
    assert!(arrived >= 30, "only {arrived} of 60 frames arrived");
    t.shutdown();
}
