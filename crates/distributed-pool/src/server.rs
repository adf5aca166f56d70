//! A local `nats-server` with JetStream, started and stopped by this
//! program: for `cargo run -p distributed-pool`, the benchmark and the
//! tests. On several machines you start the server yourself (see the page).
//!
//! The server is a child process, listening on loopback only
//! (`-a 127.0.0.1`) on a port the operating system picks (`-p -1`; the
//! server logs which), keeping its streams in a folder of its own
//! (`-sd`), which is what lets [`LocalServer::restart`] show that a
//! restarted server still has every job it was given. Dropping the
//! `LocalServer` stops the server, reaps it, and removes the folder.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::PoolError;

/// How long the server gets to say it is ready.
const START_LIMIT: Duration = Duration::from_secs(10);

/// A running `nats-server -js`, ours to stop.
#[derive(Debug)]
pub struct LocalServer {
    /// The executable (see [`available`]).
    binary: PathBuf,
    /// The running server; `None` between a kill and a restart.
    child: Option<Child>,
    /// The reader of the server's log (its stderr), joined once it exits.
    log_reader: Option<std::thread::JoinHandle<()>>,
    /// The client port, fixed at the first start so a restart keeps it.
    port: u16,
    /// The server's storage folder (removed on drop).
    store: PathBuf,
}

/// The `nats-server` to start: `$NATS_SERVER_BIN` if set, else the first
/// one on `PATH` that is recent enough ([`recent_enough`]; an old one
/// found first, such as Debian's in `/usr/sbin`, is passed over).
pub fn available() -> Result<PathBuf, PoolError> {
    if let Some(path) = std::env::var_os("NATS_SERVER_BIN") {
        let path = PathBuf::from(path);
        if !is_executable(&path) {
            let shown = common::cli::echo(&path.to_string_lossy());
            return Err(PoolError::NoServerAt(shown));
        }
        return check_version(&path).map(|()| path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path).map(|folder| folder.join("nats-server"));
    let mut first_refusal = None;
    for candidate in found.filter(|candidate| is_executable(candidate)) {
        match check_version(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(refused) => first_refusal = first_refusal.or(Some(refused)),
        }
    }
    Err(first_refusal.unwrap_or(PoolError::NoServer))
}

/// Whether `version` (`2.9.10`, `v2.15.1`) is 2.10 or newer: the oldest
/// server whose JetStream replies async-nats 0.51 reads (Debian 12's
/// package, 2.9.10, answers the results bucket's creation in a form it
/// cannot parse).
pub fn recent_enough(version: &str) -> bool {
    let mut numbers = version
        .trim_start_matches('v')
        .split('.')
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    (major, minor) >= (2, 10)
}

/// `binary --version` (`nats-server: v2.15.1`), checked with [`recent_enough`].
fn check_version(binary: &Path) -> Result<(), PoolError> {
    let said = Command::new(binary)
        .arg("--version")
        .output()
        .map_err(PoolError::io("asking nats-server its version"))?;
    // A probe that failed (or was killed, by a Ctrl-C for one) said
    // nothing about the version: say so, not "too old".
    if !said.status.success() {
        return Err(PoolError::io("asking nats-server its version")(
            std::io::Error::other(format!(
                "`{} --version` ended with {}",
                binary.display(),
                said.status
            )),
        ));
    }
    let text = String::from_utf8_lossy(&said.stdout);
    let version = text.rsplit(' ').next().unwrap_or("").trim().to_owned();
    if recent_enough(&version) {
        Ok(())
    } else {
        Err(PoolError::TooOld {
            what: binary.display().to_string(),
            version,
        })
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

impl LocalServer {
    /// Starts a server on a free loopback port, with an empty store.
    pub fn start() -> Result<Self, PoolError> {
        let binary = available()?;
        // A folder per server: this process's id and a counter (tests start
        // several servers in one process).
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let store = std::env::temp_dir().join(format!(
            "distributed-pool-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&store).map_err(PoolError::io("creating the server's folder"))?;
        let mut server = Self {
            binary,
            child: None,
            log_reader: None,
            port: 0,
            store,
        };
        server.spawn()?;
        Ok(server)
    }

    /// Starts the process and waits for its "ready" line (and, the first
    /// time, for the port it chose).
    fn spawn(&mut self) -> Result<(), PoolError> {
        let port = if self.port == 0 {
            "-1".to_owned() // "any free port": the log says which
        } else {
            self.port.to_string()
        };
        let mut child = Command::new(&self.binary)
            .args(["-js", "-a", "127.0.0.1", "-p", &port, "-sd"])
            .arg(&self.store)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(PoolError::io("starting nats-server"))?;
        let log = child.stderr.take().expect("stderr is piped");
        let (lines, seen) = mpsc::channel();
        // The server logs to stderr for as long as it runs: read it to the
        // end (a full pipe would stop the server), passing each line on
        // until it is ready.
        let reader = std::thread::Builder::new()
            .name("nats-server-log".into())
            .spawn(move || {
                for line in BufReader::new(log).lines().map_while(Result::ok) {
                    let _ = lines.send(line);
                }
            })
            .map_err(PoolError::io("starting the log reader"))?;
        self.child = Some(child);
        self.log_reader = Some(reader);
        let mut last = "no output".to_owned();
        while let Ok(line) = seen.recv_timeout(START_LIMIT) {
            if let Some(address) = line.split("Listening for client connections on ").nth(1) {
                let port = address.trim().rsplit(':').next();
                self.port = port.and_then(|p| p.parse().ok()).unwrap_or(self.port);
            }
            if line.contains("Server is ready") && self.port != 0 {
                return Ok(());
            }
            last = line;
        }
        // No ready line in time, or the server exited (its log ended).
        self.kill();
        Err(PoolError::ServerStart(format!(
            "no \"Server is ready\" line within {} s (last line: {last})",
            START_LIMIT.as_secs()
        )))
    }

    /// The address clients connect to: `nats://127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// The server's process id (0 while it is stopped).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The folder the server keeps its streams in.
    pub fn store(&self) -> &Path {
        &self.store
    }

    /// Kills the server with SIGKILL, as a crash would, and reaps it. What
    /// it had written to its store stays there.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(reader) = self.log_reader.take() {
            let _ = reader.join();
        }
    }

    /// A crash and a restart: kills the server and starts it again on the
    /// same port with the same store, as an operator (or systemd) would.
    pub fn restart(&mut self) -> Result<(), PoolError> {
        self.kill();
        self.spawn()
    }

    /// Stops the server as its operator would (SIGTERM: it closes its
    /// streams cleanly), killing it if it has not stopped within 2 s.
    pub fn stop(&mut self) {
        if let Some(child) = &mut self.child {
            signal(child.id(), Signal::SIGTERM);
            for _ in 0..200 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        self.kill();
    }
}

/// Sends `signal` to process `pid` (0: nobody), ignoring a process that
/// has already gone.
pub(crate) fn signal(pid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pid)
        && raw > 0
    {
        let _ = kill(Pid::from_raw(raw), signal);
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}
