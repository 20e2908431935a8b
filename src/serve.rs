//! `vetted serve`: preview the site on 127.0.0.1, rebuilding when the
//! registry or theme changes. Only for local preview; it never binds to
//! another interface.
//!
//! The server is a minimal HTTP/1.1 server for GET and HEAD on `std::net`,
//! written for a preview that a browser (and so any web page the browser
//! opens) can reach:
//!
//! * Only requests whose `Host` names the loopback (`localhost`, `127.x.y.z`,
//!   `[::1]`, any port) are answered; others get 421. This stops DNS
//!   rebinding, where a page on another origin resolves its own name to
//!   127.0.0.1 and reads the preview.
//! * One thread accepts connections and gives each its own thread, up to
//!   [`MAX_CONNECTIONS`] at once; beyond that a connection gets 503 and is
//!   closed at once. Nothing queues behind a slow connection.
//! * Every connection carries one request (`Connection: close`). Its head
//!   (request line and headers) is capped at [`MAX_HEAD`] bytes and must
//!   arrive within [`READ_TIMEOUT`]; the response must be taken within
//!   [`WRITE_TIMEOUT`]. A slow or hostile client therefore holds one slot
//!   for at most about `READ_TIMEOUT + WRITE_TIMEOUT + LINGER`, and never
//!   blocks the others.
//! * The watch-and-rebuild loop runs on the calling thread. The build
//!   publishes by renaming folders, so requests keep being answered from
//!   the old site, then the new one.

use std::fs::File;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use walkdir::WalkDir;

use crate::console::{Inert, Style, visible};
use crate::error::Error;

/// Connections served at once, each on its own thread; more get 503.
pub const MAX_CONNECTIONS: usize = 64;
/// Stack of a connection thread: a request needs a few KiB.
const STACK: usize = 256 * 1024;
/// Time a client has to send its request line and headers.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a client has to take the whole response.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest request line (414 beyond).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longest request head, request line and headers together (431 beyond).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header fields in one request (431 beyond).
pub const MAX_HEADERS: usize = 100;
/// After responding, how long to read and discard what the client still
/// sends (a body, pipelined requests) before closing, so that the close does
/// not reset the connection before the client has read the response.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;
/// How often the watched folders are fingerprinted.
const POLL: Duration = Duration::from_millis(400);
/// How long a request waits for the site folder while a rebuild swaps it.
const SWAP_WAIT: Duration = Duration::from_secs(1);

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
///
/// This is lexical only; [`serve`] also refuses a path whose symlinks lead
/// outside the site folder.
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
        Some("atom") => "application/atom+xml; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        // Evidence files the site serves (the types `[policy.evidence_files]` allows).
        Some("pdf") => "application/pdf",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("pptx") => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

/// Whether a `Host` header value names this machine's loopback: `localhost`,
/// an IPv4 address in 127.0.0.0/8, or `[::1]`, each with an optional port,
/// in any case. Nothing else, so a page served from another name cannot
/// read the preview after pointing its name at 127.0.0.1 (DNS rebinding).
pub fn host_is_loopback(host: &[u8]) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    if let Some(rest) = host.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        return port_ok
            && addr
                .parse::<Ipv6Addr>()
                .is_ok_and(|a| a == Ipv6Addr::LOCALHOST);
    }
    let name = match host.split_once(':') {
        Some((name, port)) if is_port(port) => name,
        Some(_) => return false,
        None => &host,
    };
    name == "localhost" || name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

fn is_port(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 5
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u16>().is_ok()
}

/// Serve `out` on 127.0.0.1:`port` forever, calling `rebuild` whenever the
/// fingerprint of `watch` changes. Each connection is answered on its own
/// thread, at most [`MAX_CONNECTIONS`] at once; `rebuild` runs on the calling
/// thread, and prints `rebuilt` on success or the error and "keeping the last
/// good site" on failure (the build publishes only on success).
pub fn serve(
    out: &Path,
    port: u16,
    watch: &[&Path],
    mut rebuild: impl FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|source| Error::Listen { port, source })?;
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("127.0.0.1:{port}"), |a| a.to_string());
    // Taken before saying we are up, so that no edit made after can be missed.
    let mut seen = fingerprint(watch);
    start(listener, out.to_path_buf()).map_err(|source| Error::ServerStart { source })?;
    crate::say!(
        "serving {} at http://{addr}/ (Ctrl-C to stop); rebuilding on change",
        out.display()
    );
    loop {
        std::thread::sleep(POLL);
        rebuild_if_changed(
            watch,
            &mut seen,
            &mut rebuild,
            &mut Inert::new(io::stderr(), Style::Text),
        );
    }
}

/// One turn of the watch loop: rebuild when the fingerprint of `watch`
/// differs from `seen`, and say how it went on `log`.
fn rebuild_if_changed(
    watch: &[&Path],
    seen: &mut u64,
    rebuild: &mut impl FnMut() -> Result<(), Error>,
    log: &mut impl Write,
) {
    let now = fingerprint(watch);
    if now == *seen {
        return;
    }
    // Taken before the rebuild: an edit made while it runs triggers another.
    *seen = now;
    let _ = match rebuild() {
        Ok(()) => writeln!(log, "rebuilt"),
        // A broken edit keeps the last good site up; the error says why.
        Err(e) => writeln!(
            log,
            "error: {}\nkeeping the last good site",
            visible(&e.to_string(), true)
        ),
    };
}

/// Start the accepting thread on `listener`, serving `root`.
fn start(listener: TcpListener, root: PathBuf) -> io::Result<()> {
    let root = Arc::new(root);
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || accept(&listener, &root))?;
    Ok(())
}

/// Give each connection its own thread, up to [`MAX_CONNECTIONS`] at once;
/// refuse the rest with 503 at once rather than queue them behind slow ones.
fn accept(listener: &TcpListener, root: &Arc<PathBuf>) {
    let open = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(s) => s,
            // Out of file descriptors, say: back off rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let ready = stream
            .set_read_timeout(Some(READ_TIMEOUT))
            .and_then(|()| stream.set_write_timeout(Some(WRITE_TIMEOUT)))
            .and_then(|()| stream.set_nodelay(true));
        if ready.is_err() {
            continue;
        }
        if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            busy(stream);
            continue;
        }
        // Counted here, uncounted when the thread ends, panic or not.
        let slot = Slot::take(&open);
        let root = Arc::clone(root);
        // Should the thread not start, the closure is dropped: the slot is
        // given back and the connection closed.
        let _ = std::thread::Builder::new()
            .name("serve-conn".into())
            .stack_size(STACK)
            .spawn(move || {
                let _slot = slot;
                handle(&root, stream);
            });
    }
}

/// One of the [`MAX_CONNECTIONS`] connection slots, given back on drop.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::AcqRel);
        Slot(Arc::clone(open))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Refuse a connection there is no room for, without ever blocking.
fn busy(mut stream: TcpStream) {
    if stream.set_nonblocking(true).is_ok() {
        let reply = Reply::text(503, "the preview server is busy; try again\n");
        let _ = stream.write(&reply.head(true));
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// Answer the one request on `stream`, then close it.
fn handle(root: &Path, mut stream: TcpStream) {
    let (reply, head_only) = match read_head(&mut stream, Instant::now() + READ_TIMEOUT) {
        Ok(head) => answer(root, &head),
        Err(Some(status)) => (Reply::text(status, reason_text(status)), false),
        Err(None) => return,
    };
    let _ = send(
        &mut stream,
        reply,
        head_only,
        Instant::now() + WRITE_TIMEOUT,
    );
    linger(stream);
}

/// Read up to the end of the request head (the empty line), by `deadline`.
/// Returns the head without its final empty line; `Err(Some(status))` for a
/// head that is too long or too slow, `Err(None)` when the client went away.
fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Vec<u8>, Option<u16>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let mut line_ended = false;
    loop {
        let left = remaining(deadline).ok_or(Some(408))?;
        stream.set_read_timeout(Some(left)).map_err(|_| None)?;
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(None),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(Some(408));
            }
            Err(_) => return Err(None),
        };
        let before = buf.len();
        buf.extend_from_slice(&chunk[..n]);
        if before == 0 {
            // Empty lines before the request line are ignored (RFC 9112 §2.2).
            let blank = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            buf.drain(..blank);
        }
        let from = before.min(buf.len()).saturating_sub(3);
        if let Some(end) = head_end(&buf, from) {
            buf.truncate(end);
            let line = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
            return match () {
                () if line > MAX_REQUEST_LINE => Err(Some(414)),
                () if buf.len() > MAX_HEAD => Err(Some(431)),
                () => Ok(buf),
            };
        }
        line_ended = line_ended || buf[before.min(buf.len())..].contains(&b'\n');
        if !line_ended && buf.len() > MAX_REQUEST_LINE {
            return Err(Some(414));
        }
        if buf.len() > MAX_HEAD {
            return Err(Some(431));
        }
    }
}

/// Where the empty line that ends a head starts, searching from `from`.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    (from..buf.len()).find(|&i| {
        buf[i] == b'\n'
            && (buf.get(i + 1) == Some(&b'\n') || buf.get(i + 1..i + 3) == Some(b"\r\n"))
    })
}

fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// What a parsed request head asks for.
struct Request<'a> {
    method: &'a str,
    target: &'a str,
}

/// Parse and check a request head. Every refusal is a fixed text: nothing
/// from the request is echoed back.
fn parse(head: &[u8]) -> Result<Request<'_>, u16> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let line = std::str::from_utf8(lines.next().unwrap_or_default()).map_err(|_| 400u16)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(400);
    }
    if target.is_empty()
        || target
            .bytes()
            .any(|b| b.is_ascii_control() || !b.is_ascii())
    {
        return Err(400);
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if is_http_version(v) => return Err(505),
        _ => return Err(400),
    };
    let mut host: Option<&[u8]> = None;
    let mut count = 0;
    for line in lines {
        count += 1;
        if count > MAX_HEADERS {
            return Err(431);
        }
        // Obsolete line folding, and a missing or spaced-out name, are errors.
        let colon = line.iter().position(|&b| b == b':').ok_or(400u16)?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.is_empty() || !name.iter().copied().all(is_token) {
            return Err(400);
        }
        if name.eq_ignore_ascii_case(b"host") {
            if host.is_some() {
                return Err(400);
            }
            host = Some(value.trim_ascii());
        }
    }
    match host {
        Some(h) if !host_is_loopback(h) => return Err(421),
        None if !http10 => return Err(400),
        _ => {}
    }
    if method != "GET" && method != "HEAD" {
        return Err(405);
    }
    // Only origin-form: this is not a proxy.
    if !target.starts_with('/') {
        return Err(400);
    }
    Ok(Request { method, target })
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_http_version(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 8
        && v.starts_with("HTTP/")
        && b[5].is_ascii_digit()
        && b[6] == b'.'
        && b[7].is_ascii_digit()
}

/// The reply to a request head, and whether to send its head only (HEAD).
fn answer(root: &Path, head: &[u8]) -> (Reply, bool) {
    let req = match parse(head) {
        Ok(r) => r,
        Err(status) => return (Reply::text(status, reason_text(status)), false),
    };
    let head_only = req.method == "HEAD";
    let reply = match open(root, req.target) {
        Some((file, len, path)) => Reply {
            status: 200,
            content_type: content_type(&path),
            body: Body::File(file, len),
        },
        None => Reply::text(404, reason_text(404)),
    };
    (reply, head_only)
}

/// The file a request target names under `root`, opened, with its length
/// and the path it was asked by. `None` for anything outside `root`
/// (lexically or through a symlink) and anything but a regular file.
fn open(root: &Path, target: &str) -> Option<(File, u64, PathBuf)> {
    if let Some(found) = open_once(root, target) {
        return Some(found);
    }
    // A rebuild swaps the site folder by two renames; between them the folder
    // is briefly missing. Wait for it and look once more.
    let waited = Instant::now();
    while !root.exists() && waited.elapsed() < SWAP_WAIT {
        std::thread::sleep(Duration::from_millis(10));
    }
    open_once(root, target)
}

fn open_once(root: &Path, target: &str) -> Option<(File, u64, PathBuf)> {
    let root = root.canonicalize().ok()?;
    let path = resolve(&root, target)?;
    let real = path.canonicalize().ok()?;
    if !real.starts_with(&root) || !std::fs::metadata(&real).ok()?.is_file() {
        return None;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Never block on a FIFO swapped in since the check, nor follow a
        // symlink swapped in for the file itself.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(&real).ok()?;
    let meta = file.metadata().ok()?;
    meta.is_file().then_some((file, meta.len(), path))
}

enum Body {
    Text(&'static str),
    File(File, u64),
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: Body,
}

impl Reply {
    fn text(status: u16, text: &'static str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Body::Text(text),
        }
    }

    fn len(&self) -> u64 {
        match &self.body {
            Body::Text(t) => t.len() as u64,
            Body::File(_, len) => *len,
        }
    }

    /// The status line and headers; with the body too when it is text and
    /// `with_body`.
    fn head(&self, with_body: bool) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             X-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.len(),
        );
        if self.status == 405 {
            out.push_str("Allow: GET, HEAD\r\n");
        }
        out.push_str("\r\n");
        if let (true, Body::Text(t)) = (with_body, &self.body) {
            out.push_str(t);
        }
        out.into_bytes()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

/// The plain-text body of an error reply.
fn reason_text(status: u16) -> &'static str {
    match status {
        404 => "not found\n",
        405 => "method not allowed: this preview answers GET and HEAD only\n",
        408 => "request timeout\n",
        414 => "request line too long\n",
        421 => "misdirected request: this preview answers only to localhost, 127.0.0.1 and [::1]\n",
        431 => "request headers too large\n",
        505 => "HTTP version not supported\n",
        _ => "bad request\n",
    }
}

/// Write `reply` (its head only when `head_only`) by `deadline`.
fn send(
    stream: &mut TcpStream,
    reply: Reply,
    head_only: bool,
    deadline: Instant,
) -> io::Result<()> {
    let mut buf = reply.head(!head_only);
    let Body::File(file, len) = reply.body else {
        return write_by(stream, &buf, deadline);
    };
    if head_only {
        return write_by(stream, &buf, deadline);
    }
    // Never more than announced, should the file grow meanwhile.
    let mut file = file.take(len);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        buf.extend_from_slice(&chunk[..n]);
        if !buf.is_empty() {
            write_by(stream, &buf, deadline)?;
            buf.clear();
        }
        if n == 0 {
            return Ok(());
        }
    }
}

/// `write_all`, giving up at `deadline` however slowly the client reads.
fn write_by(stream: &mut TcpStream, mut buf: &[u8], deadline: Instant) -> io::Result<()> {
    while !buf.is_empty() {
        let left = remaining(deadline).ok_or(ErrorKind::TimedOut)?;
        stream.set_write_timeout(Some(left))?;
        match stream.write(buf) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Close after a response: stop sending, then read and discard what the
/// client still sends, for a bounded time and amount.
fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 8192];
    let mut read = 0;
    while read < LINGER_BYTES {
        let Some(left) = remaining(deadline) else {
            break;
        };
        if stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_files_are_served_with_their_type() {
        let ty = |name: &str| content_type(Path::new(name));
        assert_eq!(ty("vendors/a/files/0123/report.pdf"), "application/pdf");
        assert_eq!(ty("files/x/summary.csv"), "text/csv; charset=utf-8");
        assert_eq!(ty("changes.atom"), "application/atom+xml; charset=utf-8");
        assert_eq!(ty("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(ty("no-extension"), "application/octet-stream");
    }

    #[test]
    fn requests_cannot_escape_the_site() {
        let root = Path::new("/site");
        assert_eq!(
            resolve(root, "/vendors/a/index.html?x=1"),
            Some(PathBuf::from("/site/vendors/a/index.html"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(root, "/..%2f..%2fetc/passwd"), None);
        assert_eq!(
            resolve(root, "/a%20b.html"),
            Some(PathBuf::from("/site/a b.html"))
        );
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        for good in [
            "localhost",
            "localhost:8000",
            "LocalHost:1",
            "127.0.0.1",
            "127.0.0.1:65535",
            "127.1.2.3",
            "127.255.255.254:80",
            "[::1]",
            "[::1]:8000",
            "[0:0:0:0:0:0:0:1]",
        ] {
            assert!(host_is_loopback(good.as_bytes()), "{good}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:8000",
            "127.0.0.1.evil.example",
            "127.0.0.1.evil.example:8000",
            "localhost.evil.example",
            "localhost.evil.example:8000",
            "evil.localhost",
            "localhost.",
            "localhost:",
            "localhost:65536",
            "localhost:80:80",
            "localhost:+80",
            "localhost@evil.example",
            "127.0.0.1:80@evil.example",
            "127.1",
            "127.0.0.01",
            "0x7f.0.0.1",
            "2130706433",
            "128.0.0.1",
            "0.0.0.0",
            "10.0.0.1",
            "[::1].evil.example",
            "[::1]evil",
            "[::1",
            "::1",
            "[::]",
            "[::ffff:127.0.0.1]",
            "[::1%25lo]",
            "local\u{0130}host",
        ] {
            assert!(!host_is_loopback(bad.as_bytes()), "{bad}");
        }
        assert!(!host_is_loopback(b"localhost\xff"));
    }

    fn status(head: &str) -> u16 {
        parse(head.as_bytes()).map_or_else(|s| s, |_| 200)
    }

    #[test]
    fn request_heads_are_checked() {
        assert_eq!(status("GET / HTTP/1.1\r\nHost: localhost"), 200);
        assert_eq!(status("HEAD /x HTTP/1.1\nhost:127.0.0.1:9"), 200);
        assert_eq!(status("GET / HTTP/1.0"), 200);
        assert_eq!(status("GET / HTTP/1.1"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: evil.example"), 421);
        assert_eq!(status("GET / HTTP/1.0\r\nHost: evil.example"), 421);
        assert_eq!(
            status("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example"),
            400
        );
        assert_eq!(status("GET / HTTP/1.1\r\nHost : localhost"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: localhost\r\n folded"), 400);
        assert_eq!(status("POST / HTTP/1.1\r\nHost: localhost"), 405);
        assert_eq!(status("POST / HTTP/1.1\r\nHost: evil.example"), 421);
        assert_eq!(
            status("GET http://evil.example/ HTTP/1.1\r\nHost: localhost"),
            400
        );
        assert_eq!(status("GET / HTTP/2.0\r\nHost: localhost"), 505);
        assert_eq!(status("GET / SPDY\r\nHost: localhost"), 400);
        assert_eq!(status("GET  / HTTP/1.1\r\nHost: localhost"), 400);
        assert_eq!(status("GET /\x01 HTTP/1.1\r\nHost: localhost"), 400);
        let many = format!(
            "GET / HTTP/1.1\r\nHost: localhost{}",
            "\r\nX: y".repeat(MAX_HEADERS)
        );
        assert_eq!(status(&many), 431);
    }

    #[test]
    fn head_end_finds_the_empty_line() {
        assert_eq!(head_end(b"GET / HTTP/1.0\r\n\r\n", 0), Some(15));
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n", 0), Some(14));
        assert_eq!(head_end(b"GET / HTTP/1.0\r\nA: b\r\n", 0), None);
    }

    #[test]
    fn a_rebuild_says_how_it_went() {
        let dir = tempfile::tempdir().unwrap();
        let watch = [dir.path()];
        let mut seen = fingerprint(&watch);
        let mut log = Vec::new();
        let mut calls = 0;
        rebuild_if_changed(
            &watch,
            &mut seen,
            &mut || panic!("no change, no rebuild"),
            &mut log,
        );
        assert!(log.is_empty());

        std::fs::write(dir.path().join("a.toml"), "x").unwrap();
        rebuild_if_changed(
            &watch,
            &mut seen,
            &mut || {
                calls += 1;
                Ok(())
            },
            &mut log,
        );
        assert_eq!(String::from_utf8_lossy(&log), "rebuilt\n");

        std::fs::write(dir.path().join("a.toml"), "xy").unwrap();
        log.clear();
        rebuild_if_changed(
            &watch,
            &mut seen,
            &mut || {
                calls += 1;
                Err(Error::RegistryHasErrors)
            },
            &mut log,
        );
        assert_eq!(
            String::from_utf8_lossy(&log),
            "error: the registry has errors (above)\nkeeping the last good site\n"
        );
        assert_eq!(calls, 2);

        std::fs::write(dir.path().join("a.toml"), "xyz").unwrap();
        log.clear();
        rebuild_if_changed(
            &watch,
            &mut seen,
            &mut || {
                Err(Error::NoRegistry {
                    path: "reg/\u{1b}[2J\u{202e}x".into(),
                })
            },
            &mut log,
        );
        let log = String::from_utf8_lossy(&log);
        assert!(
            log.starts_with("error: no registry at reg/\\u{1b}[2J\\u{202e}x: pass --registry DIR")
                && log.ends_with("\nkeeping the last good site\n"),
            "{log}"
        );
    }
}
