//! The web apps (`web/`), embedded in the binary and served under a strict Content Security
//! Policy: scripts and styles from this origin only, no inline code, no `eval`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

static LIB: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/lib");
static HELPER: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/helper");
static SHARER: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/sharer");
static I18N: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/i18n");
static VENDOR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/vendor");

/// The existing viewer modules the helper app reuses (input capture, wire format).
const VIEWER: &[(&str, &str)] = &[
    ("input.js", include_str!("../../web/input.js")),
    ("wire.js", include_str!("../../web/wire.js")),
    ("cursor.js", include_str!("../../web/cursor.js")),
];

/// The policy on every response. `connect-src 'self'` covers the same-origin WebSocket;
/// pictures on cards may be `data:` or `https:` URLs.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; connect-src 'self'; media-src 'self' blob: mediastream:; \
    font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS, sent only on responses to requests that came over TLS: a year, this host only
/// (subdomains and preload are the operator's call, at their proxy).
pub const HSTS: &str = "max-age=31536000";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "ftl" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The embedded file for a request path, if any.
pub fn asset(path: &str) -> Option<(&'static [u8], &'static str)> {
    let path = path.trim_start_matches('/');
    let (dir, rest) = match path {
        "" | "index.html" => return file(&HELPER, "index.html"),
        "share" | "share/" => return file(&SHARER, "index.html"),
        "reports" | "reports/" => return file(&HELPER, "reports.html"),
        _ => path.split_once('/')?,
    };
    if rest.split('/').any(|seg| seg.is_empty() || seg == "..") {
        return None;
    }
    match dir {
        "lib" => file(&LIB, rest),
        "helper" => file(&HELPER, rest),
        "sharer" => file(&SHARER, rest),
        "i18n" => file(&I18N, rest),
        "vendor" => file(&VENDOR, rest),
        "viewer" => VIEWER
            .iter()
            .find(|(name, _)| *name == rest)
            .map(|(name, body)| (body.as_bytes(), content_type(name))),
        _ => None,
    }
}

fn file(dir: &'static Dir<'static>, path: &str) -> Option<(&'static [u8], &'static str)> {
    dir.get_file(path)
        .map(|f| (f.contents(), content_type(path)))
}

/// Security headers for every response.
pub fn security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
}

/// Serves an embedded file or 404.
pub fn serve(path: &str) -> Response {
    match asset(path) {
        Some((body, ct)) => (
            [
                (header::CONTENT_TYPE, ct),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_the_apps_and_nothing_else() {
        assert_eq!(asset("/").unwrap().1, "text/html; charset=utf-8");
        assert!(asset("/share").is_some());
        assert_eq!(asset("/reports").unwrap().1, "text/html; charset=utf-8");
        assert!(asset("/helper/reports.js").is_some());
        assert!(asset("/viewer/input.js").is_some());
        // input.js imports ./cursor.js, which imports /lib/cursor.js.
        assert!(asset("/viewer/cursor.js").is_some());
        assert!(asset("/lib/cursor.js").is_some());
        assert!(asset("/viewer/../../Cargo.toml").is_none());
        assert!(asset("/lib/../helper/index.html").is_none());
        assert!(asset("/i18n//en.ftl").is_none());
        assert!(asset("/nowhere/x").is_none());
        assert!(asset("/i18n/en.ftl").is_some());
    }
}
