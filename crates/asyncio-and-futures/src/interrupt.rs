//! Ctrl-C: stop the worker processes, let the program shut down cleanly.
//!
//! Threads, tasks and sockets end with the process whatever happens: the
//! kernel closes the port. Worker *processes* do not: a worker in the
//! middle of a long `count` would keep a core busy after the program is
//! gone (it only notices its parent died when it next writes to its
//! socket), and a killed worker that nobody waits for stays a zombie.
//!
//! So the first Ctrl-C, while a process pool runs, stops the pool (SIGKILL
//! to every worker, through the pool's `PoolStopper`) and lets the program
//! unwind: the tasks awaiting those workers get an error, the run stops,
//! and the normal shutdown path stops the server, joins every task and
//! drops the pool, which reaps the killed workers. The program then exits
//! with status 130, the shell's "interrupted". With no pool running, or on
//! a second Ctrl-C, it exits at once (nothing outside the process is left).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use process_pool::{PoolStopper, ProcessPoolExecutor};

use crate::jobs::CountTask;

/// The installed Ctrl-C handler and the pool it should stop.
#[derive(Clone)]
pub struct CtrlC {
    /// The running pool's stopper, if a pool is running. Written by
    /// [`CtrlC::watch`]/[`CtrlC::forget`] (main thread), taken by the
    /// handler (ctrlc's own thread); a std Mutex, held only for a swap.
    stopper: Arc<Mutex<Option<PoolStopper<CountTask>>>>,
    /// Set by the handler on the first Ctrl-C; read by `main` for the exit
    /// status.
    interrupted: Arc<AtomicBool>,
}

impl std::fmt::Debug for CtrlC {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CtrlC")
            .field("interrupted", &self.interrupted())
            .finish_non_exhaustive()
    }
}

impl CtrlC {
    /// Installs the handler (once per process: ctrlc refuses a second).
    pub fn install() -> Result<Self, ctrlc::Error> {
        let ctrl_c = Self {
            stopper: Arc::new(Mutex::new(None)),
            interrupted: Arc::new(AtomicBool::new(false)),
        };
        let handler = ctrl_c.clone();
        ctrlc::set_handler(move || {
            let first = !handler.interrupted.swap(true, Ordering::SeqCst);
            let pool = handler.stopper.lock().ok().and_then(|mut slot| slot.take());
            match pool {
                Some(pool) if first => {
                    pool.stop();
                    eprintln!(
                        "interrupted: worker processes killed, shutting down \
                         (Ctrl-C again to exit at once)"
                    );
                }
                _ => {
                    eprintln!("interrupted");
                    std::process::exit(130);
                }
            }
        })?;
        Ok(ctrl_c)
    }

    /// From now on, Ctrl-C stops `pool`'s workers.
    pub fn watch(&self, pool: &ProcessPoolExecutor<CountTask>) {
        if let Ok(mut slot) = self.stopper.lock() {
            *slot = Some(pool.stopper());
        }
    }

    /// The pool is gone: nothing to stop any more.
    pub fn forget(&self) {
        if let Ok(mut slot) = self.stopper.lock() {
            *slot = None;
        }
    }

    /// Whether Ctrl-C was pressed.
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }
}
