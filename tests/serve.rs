//! `vetted serve` end to end: the real binary, spoken to over plain TCP.
//!
//! Every test starts its own server on a free port of 127.0.0.1 and kills
//! it when done (`Server`'s Drop), passed or failed. Timeouts are generous:
//! they only tell a hang from an answer, they do not measure speed.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long any single exchange may take before the test calls it a hang.
const PATIENCE: Duration = Duration::from_secs(30);

/// Kills the server when the test ends, however it ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    // Dropped in this order: the server first, then its folder.
    _guard: Guard,
    dir: tempfile::TempDir,
}

impl Server {
    /// `vetted serve --port 0` on a copy of the minimal fixture, once it
    /// has said where it listens.
    fn start() -> Server {
        let dir = common::registry("minimal", None);
        let mut child = Command::new(env!("CARGO_BIN_EXE_vetted"))
            .args(["serve", "--port", "0", "--registry", "reg", "--out", "out"])
            .args(["--today", "2026-11-22"])
            .current_dir(dir.path())
            .env_remove("VETTED_TODAY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vetted serve");
        let stderr = child.stderr.take().unwrap();
        let guard = Guard(child);
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        {
            let log = Arc::clone(&log);
            // Keeps reading stderr for the whole run so the server never
            // blocks on a full pipe.
            thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(addr) = bound_address(&line) {
                        let _ = tx.send(addr);
                    }
                    log.lock().unwrap().push(line);
                }
            });
        }
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| {
                panic!(
                    "the server never said where it listens:\n{}",
                    log.lock().unwrap().join("\n")
                )
            });
        Server {
            addr,
            log,
            _guard: guard,
            dir,
        }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn reg(&self) -> PathBuf {
        self.dir.path().join("reg")
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Wait until stderr has a line containing `text` after the first
    /// `skip` lines; returns the number of lines then.
    fn wait_for(&self, text: &str, skip: usize) -> usize {
        let started = Instant::now();
        loop {
            {
                let log = self.log.lock().unwrap();
                if let Some(i) = log.iter().skip(skip).position(|l| l.contains(text)) {
                    return skip + i + 1;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no `{text}` on stderr:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn lines(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    fn get(&self, host: &str, path: &str) -> Response {
        self.send(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    }

    fn send(&self, raw: &[u8]) -> Response {
        exchange(self.addr, raw).unwrap_or_else(|e| panic!("no answer: {e}"))
    }
}

/// The address in "serving … at http://127.0.0.1:PORT/ …".
fn bound_address(line: &str) -> Option<SocketAddr> {
    let rest = line.strip_prefix("serving ")?;
    let at = rest.find(" at http://")?;
    let addr = rest[at + " at http://".len()..].split('/').next()?;
    addr.parse().ok()
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send `raw` on a fresh connection and read the response to its end (the
/// server closes every connection after one response; the requests that
/// must succeed also say `Connection: close`).
fn exchange(addr: SocketAddr, raw: &[u8]) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, PATIENCE)?;
    s.set_read_timeout(Some(PATIENCE))?;
    s.set_write_timeout(Some(PATIENCE))?;
    s.write_all(raw)?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes)?;
    parse_response(&bytes).ok_or_else(|| {
        std::io::Error::other(format!("not HTTP: {:?}", String::from_utf8_lossy(&bytes)))
    })
}

fn parse_response(bytes: &[u8]) -> Option<Response> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8(bytes[..end].to_vec()).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Response {
        status,
        head,
        body: bytes[end + 4..].to_vec(),
    })
}

fn assert_page(r: &Response, what: &str) {
    assert_eq!(r.status, 200, "{what}: {}", r.head);
    assert_eq!(
        r.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{what}"
    );
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert!(r.text().starts_with("<!doctype html>"), "{what}");
    assert!(r.text().contains("Fixture Hospital"), "{what}");
}

#[test]
fn loopback_hosts_get_the_page() {
    let server = Server::start();
    let port = server.addr.port();
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "127.4.5.6".to_string(),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_page(&server.get(&host, "/"), &host);
    }
    let r = server.get("localhost", "/vendors/acme-infusion/?tab=1#top");
    assert_eq!(r.status, 200, "{}", r.head);
    let r = server.get("localhost", "/static/style.css");
    assert_eq!(r.header("content-type"), Some("text/css; charset=utf-8"));

    // HEAD: the same headers, no body.
    let get = server.get("localhost", "/");
    let head = server.send(b"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );

    // HTTP/1.0 may leave Host out; HTTP/1.1 may not.
    assert_page(
        &server.send(b"GET / HTTP/1.0\r\n\r\n"),
        "HTTP/1.0 without Host",
    );
    let r = server.send(b"GET / HTTP/1.1\r\nUser-Agent: test\r\n\r\n");
    assert_eq!(r.status, 400, "{}", r.head);
}

#[test]
fn other_hosts_are_refused_without_echo() {
    let server = Server::start();
    let port = server.addr.port();
    let mut hosts = Vec::new();
    for name in [
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "evil.localhost",
        "0.0.0.0",
        "10.0.0.1",
        "[::]",
        "127.1",
    ] {
        hosts.push(name.to_string());
        hosts.push(format!("{name}:{port}"));
        hosts.push(format!("{name}:80"));
    }
    hosts.push("<script>alert(1)</script>.evil.example".to_string());
    for host in &hosts {
        let r = server.get(host, "/");
        assert!(r.status == 421 || r.status == 403, "{host} got {}", r.head);
        assert_eq!(
            r.header("content-type"),
            Some("text/plain; charset=utf-8"),
            "{host}"
        );
        assert!(
            !r.text().contains("evil"),
            "{host} was echoed: {}",
            r.text()
        );
        assert!(!r.text().contains("script"), "{host} was echoed");
        assert!(!r.head.contains("evil"), "{host} was echoed in the head");
    }
    // Ambiguous: a second Host, or one the loopback check could misread.
    for raw in [
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: evil.example\r\nHost: localhost\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost@evil.example\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:80@evil.example\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \r\n\r\n",
        "GET / HTTP/1.0\r\nHost: evil.example\r\n\r\n",
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    ] {
        let r = server.send(raw.as_bytes());
        assert!(
            matches!(r.status, 400 | 403 | 421),
            "{raw:?} got {}",
            r.head
        );
        assert!(!r.text().contains("evil"), "{raw:?} was echoed");
    }
    // A refused page from another origin is never the site.
    assert!(
        !server
            .get("evil.example", "/")
            .text()
            .contains("Fixture Hospital")
    );
}

#[test]
fn a_client_that_never_reads_does_not_stall_others() {
    let server = Server::start();
    // One client pipelines 1000 requests and never reads a byte.
    let greedy = TcpStream::connect(server.addr).unwrap();
    let mut writer = greedy.try_clone().unwrap();
    let flood = thread::spawn(move || {
        let one = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for _ in 0..1000 {
            // The server may close on it; that is its right.
            if writer.write_all(one).is_err() {
                break;
            }
        }
    });
    // A few others start a request and stall half-way.
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: local").unwrap();
        stalled.push(s);
    }
    // And some connect and say nothing.
    let idle: Vec<_> = (0..2)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    thread::sleep(Duration::from_millis(200));

    // Everyone else is still served.
    for _ in 0..3 {
        let r = exchange(
            server.addr,
            b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .expect("a second client must be served while the first never reads");
        assert_page(&r, "second client");
    }
    let _ = flood.join();
    drop((greedy, stalled, idle));
}

#[test]
fn connections_are_bounded_and_refused_beyond_not_queued() {
    let server = Server::start();
    // More connections than the server will hold, all saying nothing.
    let idle: Vec<_> = (0..vetted::serve::MAX_CONNECTIONS + 10)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    thread::sleep(Duration::from_millis(300));
    // One more gets an answer at once (503 while full), not a place in a
    // queue. (The idle ones hold their slots for READ_TIMEOUT, 10 s.)
    let r = server.get("localhost", "/");
    assert_eq!(r.status, 503, "{}", r.head);
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    // Once they go, the server serves again.
    drop(idle);
    let started = Instant::now();
    loop {
        let r = server.get("localhost", "/");
        if r.status == 200 {
            assert_page(&r, "after the idle connections closed");
            break;
        }
        assert!(started.elapsed() < PATIENCE, "still {}", r.head);
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn nothing_outside_the_site_is_served() {
    let server = Server::start();
    let secret = server.reg().join("vetted.toml");
    assert!(secret.is_file());
    for path in [
        "/../reg/vetted.toml",
        "/vendors/../../reg/vetted.toml",
        "/%2e%2e/reg/vetted.toml",
        "/%2E%2E/reg/vetted.toml",
        "/%2e%2e%2freg%2fvetted.toml",
        "/vendors/..%2f..%2freg%2fvetted.toml",
        "/.%2e/reg/vetted.toml",
        "/..\\reg\\vetted.toml",
        "/%2e%2e%5creg%5cvetted.toml",
        "/%252e%252e/reg/vetted.toml",
        "/..",
        "/%2e%2e",
        "/%",
        "/%zz",
        "/%c0%ae%c0%ae/reg/vetted.toml",
        "/index.html%00.png",
        "//etc/passwd",
        "/nope.html",
    ] {
        let r = server.get("localhost", path);
        assert_eq!(r.status, 404, "{path}: {}", r.head);
        assert!(!r.text().contains("[standards]") && !r.text().contains("name ="));
    }

    // Symlinks out of the site are refused; ones within it are followed.
    let out = server.out();
    std::os::unix::fs::symlink(&secret, out.join("leak.toml")).unwrap();
    std::os::unix::fs::symlink(server.reg(), out.join("leakdir")).unwrap();
    std::os::unix::fs::symlink("../reg/vetted.toml", out.join("rel.toml")).unwrap();
    std::os::unix::fs::symlink("/", out.join("rootdir")).unwrap();
    std::os::unix::fs::symlink("index.html", out.join("alias.html")).unwrap();
    for path in [
        "/leak.toml",
        "/leakdir/vetted.toml",
        "/leakdir/",
        "/rel.toml",
        "/rootdir/etc/hostname",
        "/rootdir/",
    ] {
        let r = server.get("localhost", path);
        assert_eq!(r.status, 404, "{path}: {}", r.head);
    }
    assert_page(
        &server.get("localhost", "/alias.html"),
        "symlink within the site",
    );

    // Not a regular file: never opened (a FIFO would block a worker).
    let fifo = out.join("pipe.html");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let r = server.get("localhost", "/pipe.html");
        assert_eq!(r.status, 404, "{}", r.head);
    }
}

#[test]
fn only_get_and_head_are_allowed() {
    let server = Server::start();
    for raw in [
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello".to_string(),
        "POST / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_string(),
        "PUT /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n".to_string(),
        "DELETE /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n".to_string(),
        "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n".to_string(),
        "get / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_string(),
        format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{}",
            "x".repeat(100_000)
        ),
    ] {
        let r = server.send(raw.as_bytes());
        assert_eq!(r.status, 405, "{}: {}", &raw[..20], r.head);
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
    assert_page(&server.get("localhost", "/"), "after refused methods");
}

/// What is left of a connection after sending `raw`: a status, or `None`
/// when the server closed it. Panics if the server neither answers nor
/// closes within PATIENCE.
fn status_or_close(addr: SocketAddr, raw: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.set_write_timeout(Some(PATIENCE)).unwrap();
    let started = Instant::now();
    // The server may stop reading and close mid-write; that is an answer too.
    let _ = s.write_all(raw);
    let mut bytes = Vec::new();
    match s.read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            panic!("the server hung for {:?}", started.elapsed())
        }
        Err(_) => {} // reset: closed
    }
    parse_response(&bytes).map(|r| r.status)
}

#[test]
fn oversized_requests_are_refused_not_hung() {
    let server = Server::start();
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let status = status_or_close(server.addr, big_header.as_bytes());
    assert!(matches!(status, None | Some(431)), "{status:?}");

    let endless_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}",
        "a".repeat(1024 * 1024)
    );
    let status = status_or_close(server.addr, endless_header.as_bytes());
    assert!(matches!(status, None | Some(431)), "{status:?}");

    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        "X-A: b\r\n".repeat(1000)
    );
    let status = status_or_close(server.addr, many_headers.as_bytes());
    assert!(matches!(status, None | Some(431)), "{status:?}");

    let long_line = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let status = status_or_close(server.addr, long_line.as_bytes());
    assert!(matches!(status, None | Some(414 | 431)), "{status:?}");

    // And the server is still fine.
    assert_page(&server.get("localhost", "/"), "after oversized requests");
}

#[test]
fn the_site_stays_up_while_it_rebuilds() {
    let server = Server::start();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (addr, stop) = (server.addr, Arc::clone(&stop));
        thread::spawn(move || {
            let mut statuses = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = exchange(
                    addr,
                    b"GET /vendors/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                );
                statuses.push(r.map(|r| r.status).map_err(|e| e.to_string()));
                thread::sleep(Duration::from_millis(5));
            }
            statuses
        })
    };
    let vendor = server.reg().join("vendors/acme-infusion/vendor.toml");
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&vendor).unwrap();
        assert!(text.contains(from));
        std::fs::write(&vendor, text.replacen(from, to, 1)).unwrap();
    };

    // A good edit is rebuilt and shows.
    let mut seen = server.lines();
    edit("Acme Infusion Systems", "Acme Infusion Works");
    seen = server.wait_for("rebuilt", seen);
    assert!(
        server
            .get("localhost", "/vendors/")
            .text()
            .contains("Acme Infusion Works"),
        "{}",
        server.log()
    );

    // A broken edit keeps the last good site up, and says so.
    edit("name = \"Acme Infusion Works\"", "name = ");
    let broken = server.wait_for("keeping the last good site", seen);
    let said: Vec<String> = server.log.lock().unwrap()[seen..broken].to_vec();
    assert!(said.iter().any(|l| l.starts_with("error: ")), "{said:#?}");
    assert!(!said.iter().any(|l| l == "rebuilt"), "{said:#?}");
    let r = server.get("localhost", "/vendors/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Acme Infusion Works"));

    // An edit whose syntax error starts inside a multi-byte character once
    // made the renderer panic and the server die: it is an error like any.
    edit("name = ", "name 💩= ");
    let broken = server.wait_for("keeping the last good site", broken);
    assert!(!server.log().contains("panicked"), "{}", server.log());
    assert_eq!(server.get("localhost", "/vendors/").status, 200);

    // Fixed again, it is rebuilt.
    edit("name 💩= ", "name = \"Acme Infusion Labs\"");
    server.wait_for("rebuilt", broken);
    assert!(
        server
            .get("localhost", "/vendors/")
            .text()
            .contains("Acme Infusion Labs")
    );

    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses = poller.join().unwrap();
    assert!(!statuses.is_empty());
    let bad: Vec<_> = statuses.iter().filter(|s| **s != Ok(200)).collect();
    assert!(
        bad.is_empty(),
        "{} of {} requests during rebuilds failed: {bad:?}",
        bad.len(),
        statuses.len()
    );
}

#[test]
fn the_server_listens_on_loopback_only() {
    let server = Server::start();
    assert!(server.addr.ip().is_loopback());
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
}
