//! Choosing the display during a share, on a real X server with two RandR monitors: the
//! helper's "Select monitor" switches the picture (decoded colour and size), where a click
//! lands, and refuses what it should.

use std::time::{Duration, Instant};

use glass::codecs::{VideoFrame, open_decoder};
use glass::engine::input::{Button, ControlLevel, Point};
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;
use glass::transport::control::ControlMessage;
use glass::transport::testing::{PendingViewer, UdpViewer, ViewerEvent};
use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{ChangeWindowAttributesAux, ConnectionExt as _, EventMask};

use crate::cursor::{Desk, XC_HAND2};
use crate::input::{Sender, button};
use crate::util::{close, rgb_at};
use crate::xvfb::Xvfb;

const RED: u32 = 0xd0_20_20;
const BLUE: u32 = 0x20_30_d0;

/// Xvfb 640×240 split into two RandR monitors: `glass-l` 320×240 at the left (red) and
/// `glass-r` 320×200 at the right (blue), each covered by a window that reports clicks.
struct TwoMonitors {
    x: Xvfb,
    desk: Desk,
    right: u32,
}

fn two_monitors() -> TwoMonitors {
    let x = Xvfb::start(640, 240);
    x.run(
        "xrandr",
        &["--setmonitor", "glass-l", "320/80x240/60+0+0", "none"],
    );
    x.run(
        "xrandr",
        &["--setmonitor", "glass-r", "320/80x200/50+320+0", "none"],
    );
    let desk = Desk::open(x.display());
    desk.window(0, 0, 320, 240, RED, XC_HAND2);
    let right = desk.window(320, 0, 320, 200, BLUE, XC_HAND2);
    let clicks = ChangeWindowAttributesAux::new().event_mask(EventMask::BUTTON_PRESS);
    desk.conn.change_window_attributes(right, &clicks).unwrap();
    desk.conn.get_input_focus().unwrap().reply().unwrap();
    TwoMonitors { x, desk, right }
}

fn share(display: &str, switching: bool) -> Share {
    Share::start(ShareConfig {
        source: format!("x11:{display}@glass-l").parse().unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        serve_http: false,
        control: ControlLevel::Full,
        display_switching: switching,
        transport: TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            ..TransportConfig::default()
        },
        ..ShareConfig::default()
    })
    .expect("share starts")
}

/// What the viewer learns until `until` says stop (or 10 s pass): the last `displays`
/// message and the last decoded picture.
#[derive(Default)]
struct Seen {
    current: Option<String>,
    ids: Vec<String>,
    switchable: bool,
    picture: Option<VideoFrame>,
    keyframes: usize,
}

fn watch(
    viewer: &UdpViewer,
    dec: &mut Box<dyn glass::codecs::Decoder>,
    seen: &mut Seen,
    until: impl Fn(&Seen) -> bool,
) {
    let end = Instant::now() + Duration::from_secs(10);
    while !until(seen) && Instant::now() < end {
        match viewer.events().recv_timeout(Duration::from_millis(50)) {
            Ok(ViewerEvent::Control(ControlMessage::Displays {
                displays,
                current,
                switchable,
            })) => {
                seen.ids = displays.into_iter().map(|d| d.id).collect();
                seen.current = Some(current);
                seen.switchable = switchable;
            }
            Ok(ViewerEvent::Frame { data, keyframe, .. }) => {
                seen.keyframes += usize::from(keyframe);
                if let Some(f) = dec.decode(&data).expect("decodes") {
                    seen.picture = Some(f);
                }
            }
            _ => {}
        }
    }
}

fn shows(seen: &Seen, width: u32, height: u32, colour: u32) -> bool {
    let rgb = ((colour >> 16) as u8, (colour >> 8) as u8, colour as u8);
    seen.picture.as_ref().is_some_and(|f| {
        f.width == width
            && f.height == height
            && close(rgb_at(f, width / 2, height / 2), rgb, 24)
            && close(rgb_at(f, 4, 4), rgb, 24)
    })
}

fn join(share: &Share) -> UdpViewer {
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = share.accept_offer(pending.offer_sdp()).unwrap();
    pending.start(&answer).unwrap()
}

/// Two monitors shared from the left one, a viewer joined, until it has been told the
/// displays and sees the left monitor's red. `switchable` starts opposite to what the share
/// allows, so the test sees the share's own word.
fn started(
    switching: bool,
) -> (
    TwoMonitors,
    Share,
    UdpViewer,
    Box<dyn glass::codecs::Decoder>,
    Seen,
) {
    let m = two_monitors();
    let share = share(m.x.display(), switching);
    let viewer = join(&share);
    let mut dec = open_decoder().unwrap();
    let mut seen = Seen {
        switchable: !switching,
        ..Seen::default()
    };
    watch(&viewer, &mut dec, &mut seen, |s| {
        s.current.is_some() && shows(s, 320, 240, RED)
    });
    (m, share, viewer, dec, seen)
}

#[test]
fn select_monitor_switches_the_picture_and_where_a_click_lands() {
    // The sharer chose the left monitor: the helper is told so, and sees red at 320×240.
    let (m, share, viewer, mut dec, mut seen) = started(true);
    assert_eq!(seen.current.as_deref(), Some("glass-l"));
    // Xvfb's own "screen" monitor is listed too.
    assert_eq!(
        seen.ids[..3],
        ["root", "glass-l", "glass-r"],
        "{:?}",
        seen.ids
    );
    assert!(seen.switchable);
    assert!(
        shows(&seen, 320, 240, RED),
        "the left monitor is shown first"
    );

    // An unknown display is refused: told again, nothing changes.
    viewer.send_control(ControlMessage::SelectDisplay {
        id: "HDMI-9".into(),
    });
    seen.current = None;
    watch(&viewer, &mut dec, &mut seen, |s| s.current.is_some());
    assert_eq!(seen.current.as_deref(), Some("glass-l"));

    // "Select monitor": the right one. New size, a keyframe, blue.
    let keyframes = seen.keyframes;
    let switched = Instant::now();
    viewer.send_control(ControlMessage::SelectDisplay {
        id: "glass-r".into(),
    });
    watch(&viewer, &mut dec, &mut seen, |s| {
        s.current.as_deref() == Some("glass-r") && shows(s, 320, 200, BLUE)
    });
    eprintln!("switched in {:?}", switched.elapsed());
    assert_eq!(seen.current.as_deref(), Some("glass-r"));
    assert!(shows(&seen, 320, 200, BLUE), "the right monitor is shown");
    assert!(
        seen.keyframes > keyframes,
        "the new size starts with a keyframe"
    );

    // A click at (100, 50) of the picture lands at (100, 50) of the right monitor.
    let mut out = Sender::new();
    let at = Point::from_pixel(100, 50, 320, 200);
    let end = Instant::now() + Duration::from_secs(5);
    let mut landed = None;
    while landed.is_none() && Instant::now() < end {
        viewer.send_input(false, out.msg(button(at, Button::Left, true)));
        viewer.send_input(false, out.msg(button(at, Button::Left, false)));
        let wait = Instant::now() + Duration::from_millis(200);
        while Instant::now() < wait {
            match m.desk.conn.poll_for_event().unwrap() {
                Some(Event::ButtonPress(e)) if e.event == m.right => {
                    landed = Some((e.event_x, e.event_y, e.root_x, e.root_y));
                    break;
                }
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
    assert_eq!(
        landed,
        Some((100, 50, 420, 50)),
        "the click lands on the right monitor"
    );

    // And back to the whole screen: both colours, 640×240.
    share.select_display("root").expect("the sharer switches");
    watch(&viewer, &mut dec, &mut seen, |s| {
        s.current.as_deref() == Some("root") && s.picture.as_ref().is_some_and(|f| f.width == 640)
    });
    let f = seen.picture.as_ref().expect("a picture");
    assert_eq!((f.width, f.height), (640, 240));
    assert!(close(rgb_at(f, 100, 100), (0xd0, 0x20, 0x20), 24));
    assert!(close(rgb_at(f, 500, 100), (0x20, 0x30, 0xd0), 24));
    share.stop().unwrap();
}

#[test]
fn a_fixed_display_share_refuses_to_switch() {
    let (_m, share, viewer, mut dec, mut seen) = started(false);
    assert!(!seen.switchable, "the viewer is told it cannot switch");
    viewer.send_control(ControlMessage::SelectDisplay {
        id: "glass-r".into(),
    });
    seen.current = None;
    watch(&viewer, &mut dec, &mut seen, |s| s.current.is_some());
    assert_eq!(seen.current.as_deref(), Some("glass-l"));
    // Still red a second later: the switch was refused, not slow.
    let end = Instant::now() + Duration::from_secs(1);
    watch(&viewer, &mut dec, &mut seen, |_| Instant::now() > end);
    assert!(shows(&seen, 320, 240, RED));
    assert!(share.select_display("glass-r").is_err());
    share.stop().unwrap();
}

/// The sharer picks the screen before allowing, in the agent (its UI's radio buttons): it
/// sees each screen's thumbnail, and sharing starts with the one picked.
#[test]
fn the_sharer_picks_the_screen_before_allowing() {
    use crate::help_harness::*;
    use glass::agent::help::{AgentEvent, LocalAction};
    use glass_broker::BrokerConfig;
    use glass_protocol::{ClientMessage, Level};

    let m = two_monitors();
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let display = m.x.display().to_owned();
    let mut agent = TestAgent::start_with(rt, &base, &code, |c| {
        c.share.source = format!("x11:{display}").parse().unwrap();
        c.injector = None;
    });
    let choices = rt.block_on(async {
        match agent
            .until(Duration::from_secs(10), |e| {
                matches!(e, AgentEvent::Displays { .. })
            })
            .await
        {
            AgentEvent::Displays { displays, current } => {
                assert_eq!(current, None, "the whole screen until the user picks");
                displays
            }
            _ => unreachable!(),
        }
    });
    let ids: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids[..3], ["root", "glass-l", "glass-r"], "{ids:?}");
    // Each with a picture of what it shows now: the right one is blue.
    let right = &choices[2];
    let png = {
        use base64::Engine as _;
        let url = right.thumbnail.as_deref().expect("a thumbnail");
        base64::engine::general_purpose::STANDARD
            .decode(
                url.strip_prefix("data:image/png;base64,")
                    .expect("a PNG data URL"),
            )
            .unwrap()
    };
    assert!(png.starts_with(b"\x89PNG"), "a PNG");

    rt.block_on(async {
        agent
            .actions
            .send(LocalAction::SelectDisplay("glass-r".into()))
            .await
            .unwrap();
        let picked = agent
            .until(Duration::from_secs(5), |e| {
                matches!(
                    e,
                    AgentEvent::Displays {
                        current: Some(_),
                        ..
                    }
                )
            })
            .await;
        assert!(
            matches!(&picked, AgentEvent::Displays { current: Some(c), .. } if c == "glass-r"),
            "{picked:?}"
        );
        allowed(&mut helper, &mut agent, Level::View).await;
    });
    let viewer = open_viewer(rt, &mut helper);
    let mut dec = open_decoder().unwrap();
    let mut seen = Seen::default();
    watch(&viewer, &mut dec, &mut seen, |s| {
        s.current.is_some() && shows(s, 320, 200, BLUE)
    });
    assert_eq!(seen.current.as_deref(), Some("glass-r"));
    assert!(
        shows(&seen, 320, 200, BLUE),
        "sharing starts with the screen picked"
    );
    rt.block_on(helper.send(ClientMessage::Leave));
}
