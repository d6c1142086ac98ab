//! The `glass` command line as a user runs it.

use std::process::Command;

fn glass() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glass"))
}

fn ffprobe(args: &[&str]) -> String {
    let out = Command::new("ffprobe")
        .args(args)
        .output()
        .expect("ffprobe not found: install ffmpeg (scripts/setup.sh does)");
    assert!(
        out.status.success(),
        "ffprobe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn record_writes_a_stream_players_open() {
    let dir = std::env::temp_dir().join(format!("glass-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("typing.h264");
    let out = glass()
        .args([
            "record",
            "--source",
            "synthetic:typing:640x360@30",
            "--seconds",
            "1.5",
            "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let written: u64 = stderr
        .split("wrote ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no frame count in {stderr}"));
    let probe = ffprobe(&[
        "-v",
        "error",
        "-count_frames",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=codec_name,width,height,nb_read_frames",
        "-of",
        "csv=p=0",
        file.to_str().unwrap(),
    ]);
    assert_eq!(probe.trim(), format!("h264,640,360,{written}"));

    // VP8 goes into IVF, which players open as they are (no VP8 backend on macOS).
    if !cfg!(target_os = "linux") {
        std::fs::remove_dir_all(&dir).ok();
        return;
    }
    let file = dir.join("typing.ivf");
    let out = glass()
        .args([
            "record",
            "--codec",
            "vp8",
            "--source",
            "synthetic:typing:640x360@30",
            "--seconds",
            "1",
            "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("libvpx VP8"), "{stderr}");
    let written: u64 = stderr
        .split("wrote ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no frame count in {stderr}"));
    let probe = ffprobe(&[
        "-v",
        "error",
        "-count_frames",
        "-show_entries",
        "stream=codec_name,width,height,nb_read_frames",
        "-of",
        "csv=p=0",
        file.to_str().unwrap(),
    ]);
    assert_eq!(probe.trim(), format!("vp8,640,360,{written}"));
    std::fs::remove_dir_all(&dir).ok();
}

fn fails_with(args: &[&str], needle: &str) {
    let out = glass().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "one-line error, got: {stderr}"
    );
}

#[test]
fn bad_input_gets_one_line_and_a_non_zero_exit() {
    let out = std::env::temp_dir().join("glass-never-written.h264");
    let out = out.to_str().unwrap();
    fails_with(
        &[
            "record",
            "--source",
            "vnc:1",
            "--seconds",
            "1",
            "--out",
            out,
        ],
        "unknown source",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic:dancing",
            "--seconds",
            "1",
            "--out",
            out,
        ],
        "unknown synthetic scene",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic:typing:99999x1",
            "--seconds",
            "1",
            "--out",
            out,
        ],
        "out of range",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic",
            "--seconds=-1",
            "--out",
            out,
        ],
        "--seconds",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic",
            "--seconds",
            "1",
            "--out",
            "/nonexistent/dir/x.h264",
        ],
        "cannot create",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic",
            "--fps",
            "0",
            "--seconds",
            "1",
            "--out",
            out,
        ],
        "max_fps",
    );
    fails_with(
        &[
            "record",
            "--source",
            "synthetic",
            "--seconds",
            "-1",
            "--out",
            out,
        ],
        "unexpected argument",
    );
    fails_with(&["record", "--bogus"], "--bogus");
    fails_with(&["record", "--seconds", "1"], "--out");
    // No X server on display :87.
    let o = glass()
        .env_remove("DISPLAY")
        .args([
            "record",
            "--source",
            "x11::87",
            "--seconds",
            "1",
            "--out",
            out,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains(":87"), "names the display: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn displays_lists_sources() {
    let out = glass()
        .arg("displays")
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("synthetic"), "{stdout}");
    assert!(
        stdout.contains("x11") && stdout.contains("unavailable"),
        "says why X11 is not there: {stdout}"
    );
}

#[test]
fn share_bad_input_gets_one_line_and_a_non_zero_exit() {
    fails_with(
        &["share", "--source", "synthetic", "--listen", "nowhere"],
        "--listen",
    );
    fails_with(
        &[
            "share",
            "--source",
            "synthetic",
            "--fps",
            "0",
            "--listen",
            "127.0.0.1:0",
        ],
        "fps",
    );
    fails_with(
        &[
            "share",
            "--source",
            "synthetic",
            "--bind",
            "not-an-ip",
            "--listen",
            "127.0.0.1:0",
        ],
        "--bind",
    );
    // A relay CA that cannot be read, or holds no certificate.
    fails_with(
        &[
            "share",
            "--source",
            "synthetic",
            "--turn-ca",
            "/nonexistent/relay-ca.pem",
            "--listen",
            "127.0.0.1:0",
        ],
        "--turn-ca /nonexistent/relay-ca.pem",
    );
    let not_pem = std::env::temp_dir().join(format!("glass-cli-ca-{}.pem", std::process::id()));
    std::fs::write(&not_pem, "hello").unwrap();
    fails_with(
        &[
            "share",
            "--source",
            "synthetic",
            "--turn-ca",
            not_pem.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ],
        "no certificate",
    );
    std::fs::remove_file(&not_pem).ok();
    // The HTTP port is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    fails_with(
        &[
            "share",
            "--source",
            "synthetic:static:320x240",
            "--listen",
            &addr,
        ],
        &addr,
    );
    // No X server on display :87.
    let o = glass()
        .env_remove("DISPLAY")
        .args(["share", "--source", "x11::87", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains(":87"), "names the display: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn bench_bad_input_gets_one_line_and_a_non_zero_exit() {
    fails_with(&["bench", "--codec", "av1"], "--codec");
    fails_with(&["share", "--codec", "vp9"], "--codec");
    fails_with(
        &[
            "record",
            "--codec",
            "h265",
            "--out",
            "/tmp/glass-never.h264",
        ],
        "--codec",
    );
    fails_with(&["bench", "--size", "12"], "--size");
    fails_with(&["bench", "--size", "64x64"], "64x64");
    fails_with(&["bench", "--loss", "80"], "--loss");
    fails_with(&["bench", "--delay", "5000"], "--delay");
    fails_with(&["bench", "--max-ratio", "0.5"], "--max-ratio");
    fails_with(&["bench", "--slack-ms=-1"], "--slack-ms");
    // A malformed baseline is refused before the run, naming the field.
    let dir = std::env::temp_dir().join(format!("glass-bad-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/baseline.json"),
    )
    .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&committed).unwrap();
    v["figures_ms"]["end_to_end_p50"] = "fast".into();
    let bad = dir.join("baseline.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    fails_with(
        &["bench", "--baseline", bad.to_str().unwrap()],
        "figures_ms.end_to_end_p50",
    );
    fails_with(
        &["bench", "--baseline", "/nonexistent/baseline.json"],
        "--baseline",
    );
    let _ = std::fs::remove_dir_all(&dir);
    fails_with(&["bench", "--scene", "nope"], "nope");
    fails_with(&["bench", "--source", "x12"], "x12");
    fails_with(&["bench", "--source", "x11:"], "x11:");
    fails_with(
        &["bench", "--source", "x11:249", "--seconds", "1"],
        "X display :249",
    );
    fails_with(&["bench", "--seconds", "0"], "seconds");
    fails_with(&["bench", "--json", "/nonexistent-dir/x.json"], "x.json");
}

#[test]
fn bench_prints_a_table_and_writes_json_and_svg() {
    let dir = std::env::temp_dir().join(format!("glass-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (json, svg) = (dir.join("b.json"), dir.join("b.svg"));
    let o = glass()
        .args([
            "bench",
            "--scene",
            "scroll",
            "--size",
            "640x360",
            "--seconds",
            "1",
        ])
        .arg("--json")
        .arg(&json)
        .arg("--plot")
        .arg(&svg)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for stage in [
        "capture",
        "encode",
        "pacer",
        "network",
        "reassembly",
        "decode",
        "end to end",
    ] {
        assert!(stdout.contains(stage), "{stdout}");
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(v["samples"].as_array().unwrap().len() > 5, "{v}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("</svg>"));
    assert!(stdout.contains("encoder H.264 openh264"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(target_os = "linux")] // no VP8 backend there
fn bench_says_which_codec_it_measured() {
    let o = glass()
        .args([
            "bench",
            "--codec",
            "vp8",
            "--scene",
            "typing",
            "--size",
            "640x360",
            "--seconds",
            "1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("encoder VP8 libvpx"), "{stdout}");
    assert!(stdout.contains("end to end"), "{stdout}");
}
