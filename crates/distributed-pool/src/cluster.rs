//! Everything on one machine: a local server and N worker processes, the
//! counterpart of Dask's `LocalCluster(n_workers=N)`.
//!
//! The workers are this same executable started again with the `worker`
//! subcommand, exactly what a person would type on another machine; they
//! find the queue by its address, nothing else. Every process started here
//! is killed and reaped by [`LocalCluster::shutdown`], by `Drop` on an
//! early return, and by the stop action registered with the Ctrl-C policy
//! (which only sends SIGKILL: the reaping is left to the program's way
//! out, which drops the cluster).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use nix::sys::signal::Signal;

use crate::launch::worker_args;
use crate::server::{LocalServer, signal};
use crate::worker::Faults;
use crate::{PoolError, Settings, lock};

/// A local server and its worker processes.
#[derive(Debug)]
pub struct LocalCluster {
    /// The server; behind a mutex so that [`LocalCluster::restart_server`]
    /// can run while others hold `&self`.
    server: Arc<Mutex<LocalServer>>,
    /// The worker processes still running. Written by `kill_worker` and
    /// `shutdown` (which reap under the lock, so a pid is never signalled
    /// after it was reaped and perhaps reused); read by the Ctrl-C action.
    workers: Arc<Mutex<Vec<Child>>>,
}

impl LocalCluster {
    /// Starts a server and `workers` worker processes running `binary`
    /// (this executable), with `faults` and the queue's `settings`.
    pub fn start(
        binary: PathBuf,
        workers: usize,
        settings: &Settings,
        faults: Faults,
    ) -> Result<Self, PoolError> {
        let server = LocalServer::start()?;
        let cluster = Self {
            server: Arc::new(Mutex::new(server)),
            workers: Arc::new(Mutex::new(Vec::new())),
        };
        let address = cluster.address();
        for _ in 0..workers {
            let mut command = Command::new(&binary);
            command.args(worker_args(&address, settings, faults));
            // With tokio-console built in, every process would serve it on
            // the same port: the workers take any free one.
            #[cfg(feature = "console")]
            command.env("TOKIO_CONSOLE_BIND", "127.0.0.1:0");
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(PoolError::io("starting a worker process"))?;
            lock(&cluster.workers).push(child);
        }
        Ok(cluster)
    }

    /// The server's address, for clients.
    pub fn address(&self) -> String {
        lock(&self.server).address()
    }

    /// The server's process id.
    pub fn server_pid(&self) -> u32 {
        lock(&self.server).pid()
    }

    /// The server's storage folder.
    pub fn store(&self) -> PathBuf {
        lock(&self.server).store().to_path_buf()
    }

    /// The worker processes' ids, in start order.
    pub fn worker_pids(&self) -> Vec<u32> {
        lock(&self.workers).iter().map(Child::id).collect()
    }

    /// A closure that SIGKILLs every process of the cluster: the Ctrl-C
    /// stop action. It only signals; `shutdown` or `Drop` reaps.
    pub fn killer(&self) -> impl Fn() + Send + Sync + 'static {
        let (workers, server) = (Arc::clone(&self.workers), Arc::clone(&self.server));
        move || {
            for child in lock(&workers).iter() {
                signal(child.id(), Signal::SIGKILL);
            }
            signal(lock(&server).pid(), Signal::SIGKILL);
        }
    }

    /// Kills worker `pid` with SIGKILL, as a crash or an out-of-memory
    /// kill would, and reaps it. `false` if no such worker runs.
    pub fn kill_worker(&self, pid: u32) -> bool {
        let mut workers = lock(&self.workers);
        let Some(at) = workers.iter().position(|child| child.id() == pid) else {
            return false;
        };
        let mut child = workers.remove(at);
        let _ = child.kill();
        let _ = child.wait();
        true
    }

    /// Kills the server with SIGKILL and starts it again on the same port
    /// with the same store. Blocks for the restart (a fraction of a second).
    pub fn restart_server(&self) -> Result<(), PoolError> {
        lock(&self.server).restart()
    }

    /// Stops the workers (SIGKILL: once the queue is drained they hold
    /// nothing, every result is saved) and reaps them, then stops the
    /// server.
    pub fn shutdown(&self) {
        for mut child in lock(&self.workers).drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
        lock(&self.server).stop();
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        self.shutdown();
        // The server's own Drop removes its folder.
    }
}
