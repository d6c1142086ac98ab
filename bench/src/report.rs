//! What `glass bench` measured: per-frame samples, percentiles, the table, JSON and the SVG
//! plot. Hand-written SVG: a histogram and a time series need no plotting crate.

use std::fmt::Write as _;

/// The stages of one frame's trip, in order. The sum of the stages is the end-to-end
/// latency (each stage is the difference of two consecutive timestamps).
pub const STAGES: [&str; 9] = [
    "capture",    // drawn on screen → captured
    "damage",     // captured → dirty regions found
    "convert",    // → colour converted
    "encode",     // → encoded
    "queue",      // encoded → handed to the transport
    "pacer",      // → the frame's last packet left the pacer (str0m)
    "network",    // → that packet arrived at the viewer (loopback, impairment)
    "reassembly", // → the frame was complete (waiting for repairs; native viewer only)
    "decode",     // → decoded and the probe read
];

/// One frame that made it to the viewer and had its probe read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// When the probe was drawn, µs since the benchmark started.
    pub drawn_us: u64,
    /// Stage durations in µs (see [`STAGES`]); `None` where a timestamp was missing.
    pub stages: [Option<u32>; STAGES.len()],
    /// Drawn → decoded, µs.
    pub total_us: u32,
    /// The decoder's own time for this frame, measured around the decode call apart from
    /// the stage stamps (native viewer; `None` for Chromium): the `decode` stage holds it.
    pub decoder_us: Option<u32>,
}

/// p50, p95, p99, max of a set of µs values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Percentiles {
    /// Values.
    pub n: usize,
    /// Median.
    pub p50: u32,
    /// 95th percentile.
    pub p95: u32,
    /// 99th percentile.
    pub p99: u32,
    /// Largest.
    pub max: u32,
}

impl Percentiles {
    /// Nearest-rank percentiles of `values` (sorted in place).
    pub fn of(values: &mut [u32]) -> Percentiles {
        if values.is_empty() {
            return Percentiles::default();
        }
        values.sort_unstable();
        let n = values.len();
        let at = |q: f64| values[((n as f64 * q).ceil() as usize).clamp(1, n) - 1];
        Percentiles {
            n,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: values[n - 1],
        }
    }
}

/// Everything one run measured.
#[derive(Debug, Clone, Default)]
pub struct BenchReport {
    /// A one-line description of the run (scene, size, viewer, impairment).
    pub title: String,
    /// Seconds measured.
    pub seconds: f64,
    /// Frames the viewer decoded and read a probe from.
    pub samples: Vec<Sample>,
    /// Frames the sharer encoded during the measurement.
    pub frames_encoded: u64,
    /// Frames the viewer received (decoded or not).
    pub frames_received: u64,
    /// Frames dropped on the sharer (stale in the pipeline, congestion, no keyframe yet).
    pub frames_dropped: u64,
    /// Received frames whose probe could not be read (decode failure, damaged code).
    pub probe_unreadable: u64,
    /// The stamped damage, convert and encode stages against the pipeline's own counters
    /// over the measurement (`crate::guard`; empty when not measured).
    pub stage_counters: Vec<crate::guard::CounterFigure>,
    /// Bytes sent by the transport (RTP, RTCP, data channels).
    pub bytes_sent: u64,
    /// CPU time of the sharer (capture, encode, transport, HTTP), seconds.
    pub sharer_cpu_s: f64,
    /// CPU time of the viewer (receive, decode, probe), seconds: for Chromium, every process
    /// it runs (browser, renderer, GPU and utility processes) and the Node.js driver; `None` where it is not measurable.
    pub viewer_cpu_s: Option<f64>,
    /// The configured frame-rate cap.
    pub fps_cap: u32,
    /// How far the Chromium page's clock was from the system's (ms, page minus system; the
    /// mean of the start and the end of the measurement), already taken out of every
    /// Chromium timestamp. `None` for the native viewer.
    pub viewer_clock_skew_ms: Option<f64>,
    /// The encoder at the end of the run: codec, backend, tuning and threads ("H.264 openh264
    /// motion ×1").
    pub encoder: String,
    /// Encoder mode switches the adaptive policy made during the measurement.
    pub mode_switches: u64,
}

impl BenchReport {
    /// Frames received per second.
    pub fn fps(&self) -> f64 {
        self.frames_received as f64 / self.seconds.max(1e-9)
    }

    /// Video plus overhead on the wire, kbit/s.
    pub fn kbps(&self) -> f64 {
        self.bytes_sent as f64 * 8.0 / 1000.0 / self.seconds.max(1e-9)
    }

    /// Percentiles of one stage (`None`: end to end).
    pub fn stage(&self, i: Option<usize>) -> Percentiles {
        let mut v: Vec<u32> = match i {
            Some(i) => self.samples.iter().filter_map(|s| s.stages[i]).collect(),
            None => self.samples.iter().map(|s| s.total_us).collect(),
        };
        Percentiles::of(&mut v)
    }

    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.title);
        let _ = writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>9} {:>9}   (ms)",
            "stage", "p50", "p95", "p99", "max"
        );
        let ms = |us: u32| f64::from(us) / 1000.0;
        for (i, name) in STAGES.iter().enumerate() {
            let p = self.stage(Some(i));
            if p.n == 0 {
                let _ = writeln!(out, "{name:<12} {:>9}", "—");
                continue;
            }
            let _ = writeln!(
                out,
                "{name:<12} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
                ms(p.p50),
                ms(p.p95),
                ms(p.p99),
                ms(p.max)
            );
        }
        let p = self.stage(None);
        let _ = writeln!(
            out,
            "{:<12} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            "end to end",
            ms(p.p50),
            ms(p.p95),
            ms(p.p99),
            ms(p.max)
        );
        let viewer_cpu = self.viewer_cpu_s.map_or("n/a".to_string(), |c| {
            format!("{:.1} %", c / self.seconds.max(1e-9) * 100.0)
        });
        let _ = writeln!(
            out,
            "fps {:.1} (cap {}) · {:.0} kbit/s · CPU sharer {:.1} % viewer {} (of one core) · \
             {} frames: {} received, {} measured, {} dropped by the sharer, {} unreadable",
            self.fps(),
            self.fps_cap,
            self.kbps(),
            self.sharer_cpu_s / self.seconds.max(1e-9) * 100.0,
            viewer_cpu,
            self.frames_encoded,
            self.frames_received,
            self.samples.len(),
            self.frames_dropped,
            self.probe_unreadable,
        );
        if !self.encoder.is_empty() {
            let _ = writeln!(
                out,
                "encoder {} · {} mode switches during the run",
                self.encoder, self.mode_switches
            );
        }
        if let Some(skew) = self.viewer_clock_skew_ms {
            let _ = writeln!(
                out,
                "Chromium's clock {skew:+.2} ms against the system's, taken out of its times"
            );
        }
        out
    }

    /// The raw samples and the summary as JSON.
    pub fn json(&self) -> serde_json::Value {
        let stage = |p: Percentiles| serde_json::json!({"n": p.n, "p50_us": p.p50, "p95_us": p.p95, "p99_us": p.p99, "max_us": p.max});
        let mut stages = serde_json::Map::new();
        for (i, name) in STAGES.iter().enumerate() {
            stages.insert((*name).to_string(), stage(self.stage(Some(i))));
        }
        serde_json::json!({
            "title": self.title,
            "seconds": self.seconds,
            "fps": self.fps(),
            "fps_cap": self.fps_cap,
            "kbps": self.kbps(),
            "sharer_cpu_s": self.sharer_cpu_s,
            "viewer_cpu_s": self.viewer_cpu_s,
            "viewer_clock_skew_ms": self.viewer_clock_skew_ms,
            "encoder": self.encoder,
            "mode_switches": self.mode_switches,
            "frames_encoded": self.frames_encoded,
            "frames_received": self.frames_received,
            "frames_dropped": self.frames_dropped,
            "probe_unreadable": self.probe_unreadable,
            "end_to_end": stage(self.stage(None)),
            "stages": stages,
            "stage_names": STAGES,
            "samples": self.samples.iter().map(|s| serde_json::json!({
                "drawn_us": s.drawn_us,
                "total_us": s.total_us,
                "stages_us": s.stages,
            })).collect::<Vec<_>>(),
        })
    }

    /// An SVG with the end-to-end latency distribution (left) and its time series with the
    /// stages stacked (right).
    pub fn svg(&self) -> String {
        const W: f64 = 960.0;
        const H: f64 = 400.0;
        const M: f64 = 50.0;
        let colors = [
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f",
        ];
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">"#
        );
        let _ = write!(
            s,
            r#"<rect width="100%" height="100%" fill="white"/><text x="{M}" y="18" font-size="13">{}</text>"#,
            xml_escape(&self.title)
        );
        let totals: Vec<u32> = self.samples.iter().map(|s| s.total_us).collect();
        let p = self.stage(None);
        let max_ms = (f64::from(p.max) / 1000.0).max(1.0);
        // Histogram: 40 bins from 0 to max.
        let (hx, hy, hw, hh) = (M, 40.0, W / 2.0 - 2.0 * M, H - 40.0 - M);
        let bins = 40usize;
        let mut counts = vec![0u32; bins];
        for t in &totals {
            let b = ((f64::from(*t) / 1000.0 / max_ms) * bins as f64) as usize;
            counts[b.min(bins - 1)] += 1;
        }
        let cmax = f64::from(counts.iter().copied().max().unwrap_or(1).max(1));
        for (i, c) in counts.iter().enumerate() {
            let bw = hw / bins as f64;
            let h = f64::from(*c) / cmax * hh;
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#4e79a7"/>"##,
                hx + i as f64 * bw,
                hy + hh - h,
                (bw - 1.0).max(0.5),
                h
            );
        }
        axis(
            &mut s,
            (hx, hy, hw, hh),
            &format!("{max_ms:.1}"),
            "",
            "end-to-end latency (ms)",
            "frames",
        );
        for (q, v) in [("p50", p.p50), ("p99", p.p99)] {
            let x = hx + f64::from(v) / 1000.0 / max_ms * hw;
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{hy}" x2="{x:.1}" y2="{:.1}" stroke="#e15759" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" fill="#e15759">{q} {:.1}</text>"##,
                hy + hh,
                x + 3.0,
                hy + 12.0,
                f64::from(v) / 1000.0
            );
        }
        // Time series: stacked stages per frame.
        let (tx, ty, tw, th) = (W / 2.0 + M / 2.0, 40.0, W / 2.0 - 1.5 * M, H - 40.0 - M);
        let t_end = self
            .samples
            .last()
            .map_or(1.0, |s| s.drawn_us as f64)
            .max(1.0);
        let t0 = self.samples.first().map_or(0.0, |s| s.drawn_us as f64);
        for smp in &self.samples {
            let x = tx + (smp.drawn_us as f64 - t0) / (t_end - t0).max(1.0) * tw;
            let mut y = ty + th;
            for (i, st) in smp.stages.iter().enumerate() {
                let h = f64::from(st.unwrap_or(0)) / 1000.0 / max_ms * th;
                if h > 0.0 {
                    let _ = write!(
                        s,
                        r#"<line x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-width="1.2"/>"#,
                        y - h,
                        colors[i % colors.len()]
                    );
                }
                y -= h;
            }
        }
        let secs = format!("{:.1} s", (t_end - t0) / 1e6);
        axis(
            &mut s,
            (tx, ty, tw, th),
            &secs,
            &format!("{max_ms:.1}"),
            "time",
            "ms per stage (stacked)",
        );
        for (i, name) in STAGES.iter().enumerate() {
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{:.1}">{name}</text>"#,
                tx + 8.0,
                ty + 4.0 + i as f64 * 14.0,
                colors[i % colors.len()],
                tx + 22.0,
                ty + 13.0 + i as f64 * 14.0
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

/// Axes of the plot area `(x, y, w, h)`, with the end values of both axes and their names.
fn axis(
    s: &mut String,
    area: (f64, f64, f64, f64),
    x_end: &str,
    y_end: &str,
    xlabel: &str,
    ylabel: &str,
) {
    let (x, y, w, h) = area;
    let _ = write!(
        s,
        r##"<line x1="{x}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/><line x1="{x}" y1="{y}" x2="{x}" y2="{:.1}" stroke="#333"/>"##,
        y + h,
        x + w,
        y + h,
        y + h
    );
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{xlabel}</text><text x="{:.1}" y="{:.1}" transform="rotate(-90 {:.1} {:.1})" text-anchor="middle">{ylabel}</text><text x="{x}" y="{:.1}">0</text><text x="{:.1}" y="{:.1}" text-anchor="end">{x_end}</text><text x="{:.1}" y="{:.1}" text-anchor="end">{y_end}</text>"#,
        x + w / 2.0,
        y + h + 32.0,
        x - 30.0,
        y + h / 2.0,
        x - 30.0,
        y + h / 2.0,
        y + h + 14.0,
        x + w,
        y + h + 14.0,
        x - 4.0,
        y + 10.0,
    );
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> BenchReport {
        let samples = (0..100u32)
            .map(|i| Sample {
                drawn_us: u64::from(i) * 33_000,
                stages: [
                    Some(0),
                    Some(100),
                    Some(400),
                    Some(6000),
                    Some(50),
                    Some(600 + i * 10),
                    Some(390),
                    Some(10),
                    Some(2000),
                ],
                total_us: 9550 + i * 10,
                decoder_us: Some(1900),
            })
            .collect();
        BenchReport {
            title: "typing 1280x720 <native>".into(),
            seconds: 3.3,
            samples,
            frames_encoded: 100,
            frames_received: 100,
            bytes_sent: 412_500,
            sharer_cpu_s: 0.33,
            viewer_cpu_s: Some(0.1),
            fps_cap: 30,
            ..BenchReport::default()
        }
    }

    #[test]
    fn percentiles_nearest_rank() {
        let mut v: Vec<u32> = (1..=100).collect();
        let p = Percentiles::of(&mut v);
        assert_eq!((p.n, p.p50, p.p95, p.p99, p.max), (100, 50, 95, 99, 100));
        assert_eq!(Percentiles::of(&mut []), Percentiles::default());
        let mut one = [7];
        assert_eq!(Percentiles::of(&mut one).p99, 7);
    }

    #[test]
    fn table_json_and_svg() {
        let r = report();
        let t = r.table();
        assert!(t.contains("end to end"), "{t}");
        assert!(t.contains("encode"), "{t}");
        assert!(t.contains("fps 30.3"), "{t}");
        assert!(t.contains("1000 kbit/s"), "{t}");
        assert!(t.contains("sharer 10.0 %"), "{t}");
        let j = r.json();
        assert_eq!(j["end_to_end"]["p50_us"], 9550 + 49 * 10);
        assert_eq!(j["samples"].as_array().unwrap().len(), 100);
        assert_eq!(j["stages"]["encode"]["p99_us"], 6000);
        let svg = r.svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("&lt;native&gt;"));
        assert!(svg.matches("<rect").count() > 40);
    }
}
