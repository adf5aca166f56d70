//! The worker side: the same executable, started again in *worker mode*.
//!
//! Forking a multi-threaded Rust program is unsound (only the forking
//! thread survives, perhaps while another held the allocator's lock), so
//! the pool does what Python's `spawn` does: it runs *its own executable*
//! again, with [`WORKER_ENV`] set, and the program lets the worker take
//! over before it does anything else:
//!
//! ```no_run
//! # #[derive(serde::Serialize, serde::Deserialize)] struct MyTask;
//! # impl process_pool::Task for MyTask {
//! #     type Output = (); type Error = String;
//! #     fn run(self) -> Result<(), String> { Ok(()) } }
//! fn main() {
//!     // First line of main: in a worker this serves tasks and never returns;
//!     // in the normal program it returns at once.
//!     process_pool::worker_entry::<MyTask>();
//!     // ... the program proper, which may create pools of MyTask ...
//! }
//! ```
//!
//! Under `cargo test` the executable is libtest's: the pool passes
//! [`WORKER_ARGS`], which run only the test [`worker_test_hook!`](crate::worker_test_hook)
//! defines (benches and doc-tests: `docs/process-pool.md` says how).
//! Without a hook the worker exits and the pool says it was never ready;
//! a pool inside a worker is refused ([`crate::PoolError::InsideWorker`]),
//! so a missing hook can never become a fork bomb.
//!
//! In a worker, fd 0 is the pool's socket (taken over at once, `/dev/null`
//! put in its place); stdout and stderr are the parent's, so a task's
//! `println!` shows where the program's output goes. A worker never
//! outlives the pool's process: an idle one reads end of input, a busy one
//! gets the parent-death signal (`die_with_parent`).

use crate::protocol::{
    self, ReplyHead, RequestHead, WireOutcome, decode_body, encode_frame, split_head,
};
use crate::task::Task;
use runner::panic_hook::payload_text;
use std::cell::RefCell;
use std::io::{BufReader, BufWriter, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

/// Set in a worker's environment to the task type's name
/// (`std::any::type_name`): its presence is what "worker mode" means.
pub const WORKER_ENV: &str = "PROCESS_POOL_WORKER";

/// Set in a worker's environment to the pool's maximum frame size in bytes.
pub const MAX_FRAME_ENV: &str = "PROCESS_POOL_MAX_FRAME";

/// Set in a worker's environment to the pid of the pool's process (see
/// `die_with_parent`).
pub const PARENT_ENV: &str = "PROCESS_POOL_PARENT";

/// The name of the test [`worker_test_hook!`](crate::worker_test_hook) defines; the pool passes it to
/// the executable as a libtest filter.
pub const TEST_HOOK_NAME: &str = "__process_pool_worker";

/// The arguments a worker is started with: ignored by a program whose
/// `main` calls [`worker_entry`] first; a libtest binary runs only the
/// [`worker_test_hook!`](crate::worker_test_hook) test.
pub const WORKER_ARGS: [&str; 3] = [TEST_HOOK_NAME, "--nocapture", "--test-threads=1"];

/// True in a worker process (the environment has [`WORKER_ENV`]).
pub fn is_worker() -> bool {
    std::env::var_os(WORKER_ENV).is_some()
}

/// The worker hook, first thing in `main`: returns at once in the normal
/// program; in a worker of a pool of `T`, serves tasks until the pool
/// closes the socket and exits, never returning. A worker started for
/// another task type exits with status 3, running nothing.
pub fn worker_entry<T: Task>() {
    let Some(wanted) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    let ours = std::any::type_name::<T>();
    if wanted != ours {
        eprintln!(
            "process-pool worker: the pool wants tasks of type {}, \
             but this executable's worker_entry serves {ours}",
            wanted.to_string_lossy()
        );
        std::process::exit(3);
    }
    let code = match serve::<T>() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("process-pool worker {}: {e}", std::process::id());
            1
        }
    };
    // `exit` skips destructors: flush what the tasks printed first.
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// Defines the test that makes a libtest binary usable as a worker: put
/// `process_pool::worker_test_hook!(MyTask);` at the top level of every
/// test file that creates a pool of `MyTask`. As an ordinary test it
/// does nothing and passes.
#[macro_export]
macro_rules! worker_test_hook {
    ($task:ty) => {
        /// Worker entry for processes started by a process pool (see
        /// `process_pool::worker`); does nothing in a normal test run.
        #[test]
        fn __process_pool_worker() {
            $crate::worker_entry::<$task>();
        }
    };
}

/// Why a worker stopped serving.
#[derive(Debug, thiserror::Error)]
enum ServeError {
    #[error("stdin is not the pool's socket (worker mode is for processes a pool starts)")]
    NotASocket,
    #[error("{0}")]
    Protocol(#[from] protocol::ProtocolError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Nix(#[from] nix::Error),
    #[error("the pool's first request was not the start request")]
    NoStart(RequestHead),
    #[error("the pool's process had died before this worker could start")]
    Orphaned,
}

/// The worker's main loop: take over the socket, run the initializer, then
/// read requests and answer them in order until end of input.
fn serve<T: Task>() -> Result<(), ServeError> {
    let max_frame = std::env::var(MAX_FRAME_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(protocol::DEFAULT_MAX_FRAME);
    let socket = take_socket()?;
    die_with_parent()?;
    block_sigint()?;
    install_quiet_panic_hook();

    let mut input = BufReader::with_capacity(64 * 1024, socket.try_clone()?);
    let mut output = BufWriter::with_capacity(64 * 1024, socket);

    // 1. Start: run the initializer, if any, then say we are ready.
    let Some(first) = protocol::read_frame(&mut input, max_frame)? else {
        return Ok(());
    };
    let (head, body): (RequestHead, _) = split_head(&first)?;
    let RequestHead::Start { has_initializer } = head else {
        return Err(ServeError::NoStart(head));
    };
    if has_initializer {
        // Said first, so that an initializer which kills its worker (an
        // abort, an exit) is reported as that, not as a missing hook.
        send(&mut output, &notice(&ReplyHead::Initializing, max_frame)?)?;
        let failure = match decode_body::<T>(body) {
            Err(e) => Some(format!("cannot decode the initializer: {e}")),
            Ok(init) => match run_one(init) {
                WireOutcome::Ok(_) => None,
                WireOutcome::Failed(e) => Some(format!("initializer failed: {e}")),
                WireOutcome::Panicked(p) => Some(format!("initializer panicked: {p}")),
                WireOutcome::Protocol(p) => Some(p),
            },
        };
        if let Some(message) = failure {
            let frame = encode_frame(&ReplyHead::InitializerFailed, Some(&message), max_frame)?;
            return send(&mut output, &frame);
        }
    }
    let pid = std::process::id();
    send(&mut output, &notice(&ReplyHead::Ready { pid }, max_frame)?)?;

    // 2. Serve: one request at a time, strictly in order. The pool relies on
    // that order to know which task a dead worker was running.
    while let Some(payload) = protocol::read_frame(&mut input, max_frame)? {
        let (head, body): (RequestHead, _) = split_head(&payload)?;
        let started = Instant::now();
        let frame = match head {
            RequestHead::Run { id } => {
                let outcome = match decode_body::<T>(body) {
                    Ok(task) => run_one(task),
                    Err(e) => WireOutcome::Protocol(format!("cannot decode the task: {e}")),
                };
                encode_reply(id, started, &outcome, max_frame)?
            }
            RequestHead::RunChunk { id } => match decode_body::<Vec<T>>(body) {
                Ok(tasks) => {
                    let outcomes: Vec<_> = tasks.into_iter().map(run_one).collect();
                    encode_reply(id, started, &outcomes, max_frame)?
                }
                Err(e) => undeliverable(id, format!("cannot decode the chunk: {e}"), max_frame)?,
            },
            RequestHead::Start { .. } => return Err(ServeError::NoStart(head)),
        };
        send(&mut output, &frame)?;
    }
    Ok(())
}

/// Writes a frame and flushes it at once: a result must reach the pool as
/// soon as its task is done, not after the next (maybe long) task.
fn send(output: &mut impl Write, frame: &[u8]) -> Result<(), ServeError> {
    output.write_all(frame)?;
    Ok(output.flush()?)
}

/// A reply with no body.
fn notice(head: &ReplyHead, max_frame: usize) -> Result<Vec<u8>, protocol::ProtocolError> {
    encode_frame::<_, ()>(head, None, max_frame)
}

/// Encodes a `Done` reply. A result too large for one frame becomes the
/// fixed-size `TooLarge` notice, one that cannot be encoded an
/// `Undeliverable` reply naming the problem: the task ran, but its result
/// cannot travel.
fn encode_reply<B: serde::Serialize>(
    id: u64,
    started: Instant,
    body: &B,
    max_frame: usize,
) -> Result<Vec<u8>, ServeError> {
    let run_micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    match encode_frame(&ReplyHead::Done { id, run_micros }, Some(body), max_frame) {
        Ok(frame) => Ok(frame),
        Err(protocol::ProtocolError::TooLarge { size, .. }) => {
            let size = u64::try_from(size).unwrap_or(u64::MAX);
            Ok(notice(&ReplyHead::TooLarge { id, size }, max_frame)?)
        }
        Err(e) => undeliverable(
            id,
            format!("the result cannot be sent back: {e}"),
            max_frame,
        ),
    }
}

/// An `Undeliverable` reply for request `id`, its message cut so that the
/// frame fits however small the maximum is (the pool refuses maxima below
/// [`protocol::MIN_FRAME`], which leaves room for a few words).
fn undeliverable(id: u64, message: String, max_frame: usize) -> Result<Vec<u8>, ServeError> {
    let head = ReplyHead::Undeliverable { id };
    let mut message = message;
    loop {
        match encode_frame(&head, Some(&message), max_frame) {
            Err(protocol::ProtocolError::TooLarge { size, max }) if !message.is_empty() => {
                // Shorter by what is over, plus a little for the length
                // prefix of the string itself, on a character boundary.
                let keep = message.len().saturating_sub(size - max + 4);
                let cut = (0..=keep)
                    .rev()
                    .find(|&at| message.is_char_boundary(at))
                    .unwrap_or(0);
                message.truncate(cut);
            }
            other => return Ok(other?),
        }
    }
}

/// Runs one task, turning a panic into [`WireOutcome::Panicked`] so the
/// worker survives it (Python: the exception is pickled back, the worker
/// goes on).
fn run_one<T: Task>(task: T) -> WireOutcome<T::Output, T::Error> {
    match panic::catch_unwind(AssertUnwindSafe(|| task.run())) {
        Ok(Ok(value)) => WireOutcome::Ok(value),
        Ok(Err(error)) => WireOutcome::Failed(error),
        Err(payload) => {
            let message = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_else(|| payload_text(payload.as_ref()));
            WireOutcome::Panicked(message)
        }
    }
}

thread_local! {
    /// The last panic's message and location, recorded by the hook below
    /// and taken by `run_one`. Thread-local: only the worker's serving
    /// thread runs tasks.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default panic hook (which prints to stderr) by one that
/// records the message with its location, so a panicking task is reported
/// once, through its handle, like a Python exception.
fn install_quiet_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let message = payload_text(info.payload());
        let text = match info.location() {
            Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
            None => message,
        };
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(text));
    }));
}

/// Takes the pool's socket from fd 0 and puts `/dev/null` there instead.
///
/// `try_clone_to_owned` duplicates with `F_DUPFD_CLOEXEC`, so the copy we
/// keep is close-on-exec: a program the task starts does not inherit it
/// (or a dead worker's socket would stay open in its grandchild, and the
/// pool would never see end of input).
fn take_socket() -> Result<UnixStream, ServeError> {
    let stdin = std::io::stdin();
    let stat = nix::sys::stat::fstat(stdin.as_fd())?;
    if stat.st_mode & nix::libc::S_IFMT != nix::libc::S_IFSOCK {
        return Err(ServeError::NotASocket);
    }
    let socket = stdin.as_fd().try_clone_to_owned()?;
    let null = std::fs::File::open("/dev/null")?;
    nix::unistd::dup2_stdin(&null)?;
    Ok(UnixStream::from(socket))
}

/// Asks the kernel to kill this worker (SIGKILL) when the pool's process
/// dies (Linux: `prctl(PR_SET_PDEATHSIG)`), so that a worker busy in a task
/// that never returns does not live on under pid 1 after a `kill -9` of its
/// parent (an idle one reads end of input anyway).
///
/// The signal is tied to the *thread* that started the worker, the pool's
/// supervisor, which outlives every worker: it never fires early. And if
/// the parent died before this call, we were re-parented: the check after
/// the call catches that.
#[cfg(target_os = "linux")]
fn die_with_parent() -> Result<(), ServeError> {
    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)?;
    let pool = std::env::var(PARENT_ENV)
        .ok()
        .and_then(|pid| pid.parse::<i32>().ok());
    match pool {
        Some(pool) if nix::unistd::getppid().as_raw() != pool => Err(ServeError::Orphaned),
        _ => Ok(()),
    }
}

/// Elsewhere there is no parent-death signal: an idle worker still exits
/// when the pool's sockets close, a busy one after its task.
#[cfg(not(target_os = "linux"))]
fn die_with_parent() -> Result<(), ServeError> {
    Ok(())
}

/// Blocks SIGINT in the worker: Ctrl-C in a terminal signals the whole
/// process group, and it is the *parent* that decides what an interrupt
/// means (it stops the pool, which ends its workers). Called before any
/// other thread exists, so every thread of the worker inherits the mask.
/// (Under libtest the harness's own thread still takes SIGINT; that only
/// matters for tests.)
fn block_sigint() -> Result<(), nix::Error> {
    use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// However long the message and however small the maximum frame (down
    /// to the pool's minimum), an `Undeliverable` notice fits and still
    /// says as much as fits; a result too large becomes the fixed-size
    /// `TooLarge` notice.
    #[test]
    fn notices_always_fit_the_frame() {
        let long = "the chunk could not be decoded: ".repeat(20) + "é";
        for max in [protocol::MIN_FRAME, 100, 1000] {
            let frame = undeliverable(7, long.clone(), max).expect("it fits");
            let payload = protocol::read_frame(&mut &frame[..], max)
                .expect("a whole frame")
                .expect("not empty");
            let (head, body): (ReplyHead, _) = split_head(&payload).expect("a head");
            assert_eq!(head, ReplyHead::Undeliverable { id: 7 });
            let message: String = decode_body(body).expect("a message");
            assert!(
                !message.is_empty() && long.starts_with(&message),
                "{message}"
            );
        }
        let big = "x".repeat(500);
        let frame = encode_reply(3, Instant::now(), &big, protocol::MIN_FRAME).expect("a notice");
        let payload = protocol::read_frame(&mut &frame[..], protocol::MIN_FRAME)
            .expect("a whole frame")
            .expect("not empty");
        let (head, _): (ReplyHead, &[u8]) = split_head(&payload).expect("a head");
        assert!(matches!(head, ReplyHead::TooLarge { id: 3, size } if size > 500));
    }
}
