//! The supervisor thread: owns the worker processes. It starts them, and
//! for every worker that ends it stops that worker's threads, reaps the
//! process (`wait`: no zombies), settles the requests the worker held (the
//! fault policy in [`crate::pool`]) and starts a replacement.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use nix::sys::signal::Signal;

use super::reader::read_replies;
use super::state::{Event, Job, MAX_STARTUP_FAILURES, Phase, Shared, WorkerState};
use super::writer::write_requests;
use crate::error::Fault;
use crate::task::Task;
use crate::worker::{MAX_FRAME_ENV, PARENT_ENV, WORKER_ARGS, WORKER_ENV};

/// What the supervisor owns for a live worker.
pub(super) struct Proc {
    pub(super) child: Child,
    pub(super) reader: JoinHandle<()>,
    pub(super) writer: JoinHandle<()>,
}

/// Starts one worker process at position `index`, with its reader and
/// writer threads.
pub(super) fn spawn_worker<T: Task>(shared: &Arc<Shared<T>>, index: usize) -> io::Result<Proc> {
    // A connected pair of sockets, both close-on-exec (std sets
    // SOCK_CLOEXEC): only the child we start gets its end, as its fd 0,
    // because `Command` dup2()s it there in the child, which clears the
    // flag on that one copy. A process started at the same moment by
    // another thread inherits neither end.
    let (ours, theirs) = UnixStream::pair()?;
    let mut command = Command::new(&shared.config.exe);
    command
        .args(WORKER_ARGS)
        .env(WORKER_ENV, std::any::type_name::<T>())
        .env(MAX_FRAME_ENV, shared.config.max_frame.to_string())
        .env(PARENT_ENV, std::process::id().to_string())
        .stdin(Stdio::from(OwnedFd::from(theirs)));
    let mut child = command.spawn()?;
    // Dropping the command closes our copy of the worker's end, so that
    // the worker's death is seen as end of input on ours.
    drop(command);
    let pid = child.id();
    {
        let mut state = shared.lock();
        state.workers[index] = WorkerState::new(pid);
        if state.stopping.is_some() {
            // A stop came while we were starting it, after it had killed
            // the workers it knew of: this one is killed now, and reaped
            // like the others when its reader reports.
            let _ = child.kill();
        }
    }

    let threads = (|| {
        let read_half = ours.try_clone()?;
        let reader = {
            let shared = Arc::clone(shared);
            std::thread::Builder::new()
                .name(format!("pool-reader-{index}"))
                .spawn(move || read_replies(&shared, index, pid, read_half))?
        };
        let writer = {
            let shared = Arc::clone(shared);
            std::thread::Builder::new()
                .name(format!("pool-writer-{index}"))
                .spawn(move || write_requests(&shared, index, pid, ours))?
        };
        Ok::<_, io::Error>((reader, writer))
    })();
    match threads {
        Ok((reader, writer)) => Ok(Proc {
            child,
            reader,
            writer,
        }),
        Err(e) => {
            // No threads means nobody would ever reap it: do it now. A
            // reader that did start ends when the child's socket closes.
            shared.lock().workers[index].phase = Phase::Exited;
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

/// The supervisor thread. Returns (and so lets `shutdown` return) once the
/// pool no longer accepts work and every worker has been reaped.
pub(super) fn supervise<T: Task>(shared: &Arc<Shared<T>>, events: &mpsc::Receiver<Event>) {
    let positions = shared.lock().workers.len();
    let mut procs: Vec<Option<Proc>> = (0..positions).map(|_| None).collect();
    for (index, proc) in procs.iter_mut().enumerate() {
        if shared.lock().stopping.is_some() {
            break;
        }
        match spawn_worker(shared, index) {
            Ok(p) => *proc = Some(p),
            Err(e) => {
                break_pool(shared, format!("cannot start a worker process: {e}"));
                break;
            }
        }
    }
    loop {
        let finished = {
            let mut state = shared.lock();
            state.finished = !state.accepting && procs.iter().all(Option::is_none);
            state.finished
        };
        if finished {
            // `shutdown(wait)` waits for this (with its grace period).
            shared.changed.notify_all();
            return;
        }
        let Ok(event) = events.recv() else {
            return; // cannot happen: `shared` holds a sender
        };
        let Event::Exited {
            index,
            pid,
            problem,
        } = event
        else {
            continue;
        };
        let Some(proc) = procs.get_mut(index).and_then(Option::take) else {
            continue;
        };
        settle_exit(shared, index, pid, proc, problem);
        // Replace it, unless the pool is stopping or broken, or shutting
        // down with nothing left to do.
        let respawn = {
            let state = shared.lock();
            state.stopping.is_none()
                && state.broken.is_none()
                && (state.accepting || !state.queue.is_empty())
        };
        if respawn {
            match spawn_worker(shared, index) {
                Ok(p) => procs[index] = Some(p),
                Err(e) => break_pool(shared, format!("cannot restart a worker process: {e}")),
            }
        }
    }
}

/// After worker `index` (process `pid`) ended: stop its threads, reap it,
/// and settle the requests it held.
pub(super) fn settle_exit<T: Task>(
    shared: &Shared<T>,
    index: usize,
    pid: u32,
    mut proc: Proc,
    problem: Option<String>,
) {
    // 1. Mark it exited (its pid is off limits for `kill` from now on) and
    //    stop its writer: waiting, it sees `Exited`; writing, it gets a
    //    broken pipe, since the worker's end is closed.
    let phase = {
        let mut state = shared.lock();
        let w = &mut state.workers[index];
        let phase = w.phase;
        w.phase = Phase::Exited;
        w.wake.notify_one();
        phase
    };
    let _ = proc.writer.join();
    let _ = proc.reader.join();
    // 2. Reap it: no zombie. It has closed its socket, so it is exiting.
    let status = proc.child.wait();
    let cause = match &status {
        Ok(status) => describe_exit(*status),
        Err(e) => format!("could not be waited for: {e}"),
    };
    let cause = match problem {
        Some(problem) => format!("{cause}, after a protocol error: {problem}"),
        None => cause,
    };
    // 3. Settle its requests: the oldest delivered one was running, the
    //    rest never started and go back to the front of the queue.
    let (blamed, broken, cancelled, cause) = {
        let mut state = shared.lock();
        let stopping = state.stopping.clone();
        // The stop killed it: say so, beside the signal.
        let cause = match &stopping {
            Some(why) => format!("{cause} ({why})"),
            None => cause,
        };
        let w = &mut state.workers[index];
        let mut sent = std::mem::take(&mut w.sent);
        let init_failure = w.init_failure.take();
        let blamed = match sent.front() {
            Some(oldest) if oldest.delivered => sent.pop_front().map(|s| s.job),
            _ => None,
        };
        let mut cancelled: Vec<Job<T>> = sent.into_iter().map(|s| s.job).collect();
        cancelled.iter().for_each(|job| job.completion.requeue());
        // A stopping pool starts no replacement: what never ran is
        // cancelled instead of re-queued.
        if stopping.is_none() {
            for job in cancelled.drain(..).rev() {
                state.queue.push_front(job);
            }
        }
        let broken = if stopping.is_some() {
            None
        } else if let Some(why) = init_failure {
            Some(why)
        } else if phase == Phase::Initializing {
            // As in Python, an initializer that fails breaks the pool; one
            // that kills its process (abort, exit) fails too.
            Some(format!(
                "worker process {pid} {cause} while running the initializer"
            ))
        } else if phase == Phase::Starting && {
            // A worker killed while starting is just replaced; but failing
            // at the first start, or several times in a row, means workers
            // cannot start at all (no hook, or the executable is gone).
            state.startup_failures += 1;
            !state.started || state.startup_failures >= MAX_STARTUP_FAILURES
        } {
            Some(startup_failure(pid, &cause, &status))
        } else {
            None
        };
        (blamed, broken, cancelled, cause)
    };
    for job in cancelled {
        job.completion.cancel();
    }
    if let Some(job) = blamed {
        job.completion.fail(Fault::WorkerDied { pid, cause });
    }
    if let Some(why) = broken {
        break_pool(shared, why);
    }
    shared.changed.notify_all();
}

/// Why worker `pid` could not start. A worker whose program lacks the hook
/// runs that program instead of serving, and *exits*; only then is the
/// missing hook the likely cause, and named.
fn startup_failure(pid: u32, cause: &str, status: &io::Result<ExitStatus>) -> String {
    let exited = status.as_ref().is_ok_and(|s| s.code().is_some());
    if exited {
        format!(
            "worker process {pid} {cause} before it said it was ready: \
             does the program call process_pool::worker_entry first in main \
             (or worker_test_hook! in this test file)?"
        )
    } else {
        format!("worker process {pid} {cause} before it said it was ready")
    }
}

/// Marks the pool broken: no more submissions, every queued request fails.
pub(super) fn break_pool<T: Task>(shared: &Shared<T>, why: String) {
    let failed: Vec<Job<T>> = {
        let mut state = shared.lock();
        if state.broken.is_none() {
            state.broken = Some(why.clone());
        }
        state.accepting = false;
        state.wake_all_writers();
        state.queue.drain(..).collect()
    };
    for job in failed {
        job.completion.fail(Fault::Broken(why.clone()));
    }
    shared.changed.notify_all();
}

/// "killed by signal SIGKILL", "exited with status 3", ...
pub(super) fn describe_exit(status: ExitStatus) -> String {
    if let Some(signal) = status.signal() {
        let name = Signal::try_from(signal)
            .map(|s| s.as_str().to_owned())
            .unwrap_or_else(|_| format!("signal {signal}"));
        let core = if status.core_dumped() {
            " (core dumped)"
        } else {
            ""
        };
        format!("was killed by signal {name}{core}")
    } else if let Some(code) = status.code() {
        format!("exited with status {code}")
    } else {
        format!("ended ({status})")
    }
}
