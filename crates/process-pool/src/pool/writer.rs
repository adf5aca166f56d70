//! The writer thread, one per worker: takes requests from the queue as the
//! window rule allows and writes them to the worker's socket.
//!
//! Writing is the only step that may block (a 16 MiB task fills the socket
//! buffer until the worker reads it), hence a thread of its own: the same
//! worker's reader drains replies meanwhile, so neither direction waits.

use std::io::{self, IoSlice, Write};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::Arc;

use super::state::{MAX_WINDOW, Phase, Sent, Shared, State};
use crate::slot::{RunningCallback, contain};
use crate::task::Task;

/// The writer thread of worker `index` (process `pid`): the start frame,
/// then requests; closes its half of the socket, which tells the worker
/// to exit, when no more work can come (shutdown with an empty queue, or
/// `max_tasks_per_child` reached).
pub(super) fn write_requests<T: Task>(
    shared: &Shared<T>,
    index: usize,
    pid: u32,
    mut socket: UnixStream,
) {
    if socket.write_all(&shared.config.start_frame).is_err() {
        return; // the worker is already gone; its reader reports it
    }
    let max_tasks = shared.config.max_tasks_per_child;
    loop {
        let (frames, running) = {
            let mut state = shared.lock();
            loop {
                let w = &state.workers[index];
                if w.pid != pid || w.phase == Phase::Exited {
                    return;
                }
                let (frames, running) = if w.phase == Phase::Ready {
                    take_requests(&mut state, index, pid, max_tasks)
                } else {
                    Default::default()
                };
                if !frames.is_empty() {
                    break (frames, running);
                }
                let retire = max_tasks.is_some_and(|max| state.workers[index].assigned >= max);
                let no_more_work = !state.accepting && state.queue.is_empty();
                if retire || no_more_work {
                    drop(state);
                    // The worker answers what it holds, then reads end of
                    // input and exits; its reader sees that and reports.
                    let _ = socket.shutdown(Shutdown::Write);
                    return;
                }
                let wake = Arc::clone(&state.workers[index].wake);
                state.workers[index].wake_pending = false;
                state = wake.wait(state).unwrap_or_else(|p| p.into_inner());
                state.workers[index].wake_pending = false;
            }
        };
        // The caller's running callbacks, outside the pool's lock (one may
        // submit), just before the frames go out.
        for callback in running {
            contain("a running callback", || callback(pid));
        }
        let (complete, result) = write_frames(&mut socket, &frames);
        {
            let mut state = shared.lock();
            let w = &mut state.workers[index];
            if w.pid == pid {
                for sent in w.sent.iter_mut().filter(|s| !s.delivered).take(complete) {
                    sent.delivered = true;
                }
            }
        }
        if result.is_err() {
            // Broken pipe: the worker died. The requests not completely
            // written are provably unread; the supervisor re-queues them.
            return;
        }
    }
}

/// Moves requests from the queue to worker `index` as the window rule
/// allows; returns their frames, and the running callbacks to call.
/// Cancelled requests are dropped here.
pub(super) fn take_requests<T: Task>(
    state: &mut State<T>,
    index: usize,
    pid: u32,
    max_tasks_per_child: Option<usize>,
) -> (Vec<Arc<Vec<u8>>>, Vec<RunningCallback>) {
    let mut frames = Vec::new();
    let mut running = Vec::new();
    loop {
        let w = &state.workers[index];
        let limit = if w.short_tasks && state.queue_is_long() {
            MAX_WINDOW
        } else {
            1
        };
        if w.sent.len() >= limit {
            break;
        }
        if max_tasks_per_child.is_some_and(|max| w.assigned >= max) {
            break;
        }
        let Some(job) = state.queue.pop_front() else {
            break;
        };
        let Some(callbacks) = job.completion.start(pid) else {
            continue; // cancelled while queued
        };
        running.extend(callbacks);
        frames.push(Arc::clone(&job.frame));
        let w = &mut state.workers[index];
        w.assigned += 1;
        w.sent.push_back(Sent {
            job,
            delivered: false,
        });
    }
    (frames, running)
}

/// Writes `frames` with as few system calls as possible (one `writev` for
/// the lot, while the socket takes them); returns how many frames went
/// out *completely*, and the error that stopped it, if any.
pub(super) fn write_frames(
    socket: &mut UnixStream,
    frames: &[Arc<Vec<u8>>],
) -> (usize, io::Result<()>) {
    let mut slices: Vec<IoSlice<'_>> = frames.iter().map(|f| IoSlice::new(f)).collect();
    let mut remaining = &mut slices[..];
    let mut written = 0usize;
    let result = loop {
        if remaining.is_empty() {
            break Ok(());
        }
        match socket.write_vectored(remaining) {
            Ok(0) => break Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                written += n;
                IoSlice::advance_slices(&mut remaining, n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    let mut end = 0usize;
    let complete = frames
        .iter()
        .take_while(|f| {
            end += f.len();
            end <= written
        })
        .count();
    (complete, result)
}
