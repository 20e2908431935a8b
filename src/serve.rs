//! `vetted serve`: preview the site on 127.0.0.1, rebuilding when the
//! registry or theme changes. Only for local preview; it never binds to
//! another interface.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;

use crate::Error;

/// A cheap fingerprint of a folder tree: every file's path, size and mtime.
pub fn fingerprint(dirs: &[&Path]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for dir in dirs {
        for e in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            if let Ok(m) = e.metadata() {
                e.path().hash(&mut h);
                m.len().hash(&mut h);
                m.modified().unwrap_or(SystemTime::UNIX_EPOCH).hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The file under `root` a request path names, or `None` if it would escape.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/atom+xml; charset=utf-8",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Serve `out` on 127.0.0.1:`port` forever, calling `rebuild` whenever the
/// fingerprint of `watch` changes. Requests are answered between checks.
pub fn serve(
    out: &Path,
    port: u16,
    watch: &[&Path],
    mut rebuild: impl FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| Error::Io(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("127.0.0.1:{port}"), |a| a.to_string());
    eprintln!(
        "serving {} at http://{addr}/ (Ctrl-C to stop); rebuilding on change",
        out.display()
    );
    let mut seen = fingerprint(watch);
    loop {
        if let Some(req) = server
            .recv_timeout(Duration::from_millis(400))
            .map_err(|e| Error::Io(format!("server error: {e}")))?
        {
            let response = match resolve(out, req.url())
                .and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            {
                Some((p, body)) => {
                    let r = tiny_http::Response::from_data(body);
                    match tiny_http::Header::from_bytes(
                        &b"Content-Type"[..],
                        content_type(&p).as_bytes(),
                    ) {
                        Ok(h) => r.with_header(h),
                        Err(()) => r,
                    }
                }
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = req.respond(response);
        }
        let now = fingerprint(watch);
        if now != seen {
            seen = now;
            match rebuild() {
                Ok(()) => eprintln!("rebuilt"),
                // A broken edit keeps the last good site up; the error says why.
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_escape_the_site() {
        let root = Path::new("/site");
        assert_eq!(
            resolve(root, "/vendors/a/index.html?x=1"),
            Some(PathBuf::from("/site/vendors/a/index.html"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(
            resolve(root, "/a%20b.html"),
            Some(PathBuf::from("/site/a b.html"))
        );
    }
}
