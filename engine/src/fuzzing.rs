//! Entry points for the fuzz targets in `fuzz/`. Not a stable API.

/// Parses `data` as a capture source description (user input from the CLI or an app).
pub fn source_spec(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = s.parse::<crate::capture::SourceSpec>();
    }
}
