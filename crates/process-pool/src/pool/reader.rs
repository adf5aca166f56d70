//! The reader thread, one per worker: reads replies and stores each outcome
//! in its handle; at end of input it reports to the supervisor.
//!
//! It never waits for the worker, so a worker can always write its reply,
//! however large. It survives the caller's code it runs (done callbacks,
//! the output's `Deserialize`): a panic there becomes that task's error;
//! should the thread end anyway, a guard still tells the supervisor.

use std::io::{self, BufReader};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::state::{Event, Job, Phase, SHORT_TASK, Shared};
use crate::error::Fault;
use crate::protocol::{self, ProtocolError, ReplyHead, decode_body, split_head};
use crate::task::Task;

/// The reader thread of worker `index` (process `pid`).
pub(super) fn read_replies<T: Task>(
    shared: &Shared<T>,
    index: usize,
    pid: u32,
    socket: UnixStream,
) {
    // Reports to the supervisor when this function ends, however it ends.
    let mut report = ExitReport {
        shared,
        index,
        pid,
        problem: None,
    };
    let max_frame = shared.config.max_frame;
    let mut input = BufReader::with_capacity(64 * 1024, socket);
    report.problem = loop {
        let payload = match protocol::read_frame(&mut input, max_frame) {
            Ok(Some(payload)) => payload,
            Ok(None) => break None,
            Err(ProtocolError::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                break None; // died mid-reply: the exit status will say why
            }
            Err(e) => break Some(e.to_string()),
        };
        let (head, body): (ReplyHead, &[u8]) = match split_head(&payload) {
            Ok(split) => split,
            Err(e) => break Some(format!("bad reply header: {e}")),
        };
        match head {
            ReplyHead::Ready { .. } => {
                let mut state = shared.lock();
                state.startup_failures = 0;
                let w = &mut state.workers[index];
                w.phase = Phase::Ready;
                w.wake_pending = true;
                w.wake.notify_one();
                drop(state);
                shared.changed.notify_all();
            }
            ReplyHead::Initializing => {
                shared.lock().workers[index].phase = Phase::Initializing;
            }
            ReplyHead::InitializerFailed => {
                let why = decode_body::<String>(body)
                    .unwrap_or_else(|e| format!("initializer failed (undecodable message: {e})"));
                shared.lock().workers[index].init_failure = Some(why);
            }
            ReplyHead::Done { id, .. }
            | ReplyHead::Undeliverable { id }
            | ReplyHead::TooLarge { id, .. } => {
                let Some(job) = take_answered(shared, index, id, &head) else {
                    break Some(format!("reply to request {id}, which it was not running"));
                };
                // Decode and store outside the lock: a big result takes a
                // while, and the caller's callbacks run here.
                settle(&job, &head, body, max_frame);
            }
        }
    };
}

/// Takes request `id` off worker `index`'s list, if it is the one the
/// worker was running (the oldest), and lets the writer send more.
fn take_answered<T: Task>(
    shared: &Shared<T>,
    index: usize,
    id: u64,
    head: &ReplyHead,
) -> Option<Job<T>> {
    let mut state = shared.lock();
    let w = &mut state.workers[index];
    if w.sent.front().is_none_or(|sent| sent.job.id != id) {
        return None;
    }
    if let ReplyHead::Done { run_micros, .. } = head {
        w.short_tasks = Duration::from_micros(*run_micros) < SHORT_TASK;
    }
    let sent = w.sent.pop_front().map(|s| s.job);
    // Room in the window: let the writer send more.
    w.wake_pending = true;
    w.wake.notify_one();
    sent
}

/// Stores the outcome a reply carries in its handle (or chunk).
fn settle<T: Task>(job: &Job<T>, head: &ReplyHead, body: &[u8], max_frame: usize) {
    match head {
        ReplyHead::Done { .. } => job.completion.deliver(body),
        ReplyHead::TooLarge { size, .. } => {
            let tasks = job.completion.tasks();
            let what = if tasks == 1 {
                "the task's result is".to_owned()
            } else {
                format!("the results of this chunk of {tasks} tasks are")
            };
            job.completion.fail(Fault::Protocol(format!(
                "{what} {size} bytes encoded, more than the pool's maximum frame \
                 of {max_frame} bytes (PoolBuilder::max_frame_bytes): the task ran, \
                 but its result cannot be sent back"
            )));
        }
        _ => {
            let why =
                decode_body::<String>(body).unwrap_or_else(|e| format!("undecodable message: {e}"));
            job.completion.fail(Fault::Protocol(why));
        }
    }
}

/// Tells the supervisor that worker `index` must be reaped when the reader
/// ends, also by unwinding, so that no worker is left running unwatched
/// and `drop(pool)` never waits for ever.
struct ExitReport<'a, T: Task> {
    shared: &'a Shared<T>,
    index: usize,
    pid: u32,
    /// What went wrong on the socket, if anything.
    problem: Option<String>,
}

impl<T: Task> Drop for ExitReport<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.problem = Some("the pool's reader thread for it panicked".to_owned());
        }
        if self.problem.is_some() {
            // A worker that breaks the protocol (or whose reader is gone)
            // cannot be trusted with more work. It is not reaped yet (the
            // supervisor does that after this event), so the pid is still
            // ours to kill.
            let _ = kill(Pid::from_raw(self.pid as i32), Signal::SIGKILL);
        }
        let _ = self.shared.events.send(Event::Exited {
            index: self.index,
            pid: self.pid,
            problem: self.problem.take(),
        });
    }
}
