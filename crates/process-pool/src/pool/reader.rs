//! The reader thread, one per worker: reads replies and stores each outcome
//! in its handle; at end of input it reports to the supervisor.
//!
//! It never does anything that could wait for the worker, so a worker can
//! always write its reply, however large, and never waits for the caller
//! to collect a result.

use std::io::{self, BufReader};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::state::{Event, Phase, SHORT_TASK, Shared};
use crate::error::Fault;
use crate::protocol::{self, ProtocolError, ReplyHead, decode_body, split_head};
use crate::task::Task;

/// The reader thread of one worker: stores each reply's outcome in its
/// handle, in order; at end of input (or a protocol error) reports to the
/// supervisor and ends.
pub(super) fn read_replies<T: Task>(
    shared: &Shared<T>,
    index: usize,
    pid: u32,
    socket: UnixStream,
) {
    let max_frame = shared.config.max_frame;
    let mut input = BufReader::with_capacity(64 * 1024, socket);
    let problem = loop {
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
            ReplyHead::InitializerFailed => {
                let why = decode_body::<String>(body)
                    .unwrap_or_else(|e| format!("initializer failed (undecodable message: {e})"));
                shared.lock().workers[index].init_failure = Some(why);
            }
            ReplyHead::Done { id, .. } | ReplyHead::Undeliverable { id } => {
                let job = {
                    let mut state = shared.lock();
                    let w = &mut state.workers[index];
                    match w.sent.front() {
                        Some(sent) if sent.job.id == id => {}
                        _ => {
                            drop(state);
                            break Some(format!("reply to request {id}, which it was not running"));
                        }
                    }
                    if let ReplyHead::Done { run_micros, .. } = head {
                        w.short_tasks = Duration::from_micros(run_micros) < SHORT_TASK;
                    }
                    let sent = w.sent.pop_front().map(|s| s.job);
                    // Room in the window: let the writer send more.
                    w.wake_pending = true;
                    w.wake.notify_one();
                    sent
                };
                // Decode and store outside the lock: a big result takes a
                // while, and the caller's callbacks run here.
                if let Some(job) = job {
                    match head {
                        ReplyHead::Done { .. } => job.completion.deliver(body),
                        _ => {
                            let why = decode_body::<String>(body)
                                .unwrap_or_else(|e| format!("undecodable message: {e}"));
                            job.completion.fail(Fault::Protocol(why));
                        }
                    }
                }
            }
        }
    };
    if problem.is_some() {
        // A worker that breaks the protocol cannot be trusted with more
        // work. It is not reaped yet (the supervisor does that after this
        // event), so the pid is still ours to kill.
        let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    let _ = shared.events.send(Event::Exited {
        index,
        pid,
        problem,
    });
}
