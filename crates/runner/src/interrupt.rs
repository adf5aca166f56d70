//! The one Ctrl-C policy of every chapter binary, sync or async.
//!
//! 1. The first Ctrl-C *stops gracefully*: [`Interrupt::raised`] turns true,
//!    every future from [`Interrupt::cancelled`] completes (on any
//!    executor: it is a tokio-util `CancellationToken`, which only needs a
//!    waker), and every stop action registered with
//!    [`Interrupt::on_interrupt`] runs (a process pool kills its workers, a
//!    thread pool stops taking work). The program notices, cancels what is
//!    left, prints a one-line summary of what it did and did not finish,
//!    and exits with [`EXIT_CODE`] (130, the shell's "killed by SIGINT").
//! 2. If the program has not exited [`GRACE`] later (a CPU loop that cannot
//!    stop mid-way), or on a second Ctrl-C, the process ends at once: the
//!    stop actions run once more (so no worker process outlives it), the
//!    summary set with [`Interrupt::set_summary`] is printed, exit 130.
//!
//! Python's counterpart is `KeyboardInterrupt`, raised in the main thread
//! at the next bytecode; Rust has no such exception, so the program checks
//! a flag or awaits a future at the points where it can stop.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// The exit status of an interrupted run: 128 + SIGINT, as a shell reports.
pub const EXIT_CODE: u8 = 130;

/// What the first Ctrl-C prints on stderr, at once.
pub const STOPPING: &str = "interrupted: stopping (Ctrl-C again to stop at once)";

/// How long the program gets to stop by itself after the first Ctrl-C;
/// short enough that every binary has ended within a second.
pub const GRACE: Duration = Duration::from_millis(700);

/// A stop action: runs on the first Ctrl-C (and again before a forced exit).
type Action = Arc<dyn Fn() + Send + Sync>;

/// The Ctrl-C flag, its future, and what to do when it is raised. Clones
/// share one state.
#[derive(Clone, Default)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Raised once, by the handler (or a test's [`Interrupt::raise`]);
    /// read by the program between steps.
    raised: AtomicBool,
    /// Cancelled when raised: what async code awaits.
    token: CancellationToken,
    /// Registered stop actions. Guarded by the mutex, which `raise` holds
    /// while it runs them, so an action registered at the same moment is
    /// either run by it or sees the flag and runs itself.
    actions: Mutex<Vec<Action>>,
    /// What the forced exit prints: a line saying how far the run got.
    summary: Mutex<Option<Box<dyn Fn() -> String + Send + Sync>>>,
    /// What the forced exit does last, before exiting: write out what the
    /// run recorded so far (a timeline, a trace).
    at_exit: Mutex<Vec<Action>>,
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interrupt")
            .field("raised", &self.raised())
            .finish_non_exhaustive()
    }
}

/// Locks, ignoring poisoning: the handler must work even after a panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Interrupt {
    /// A flag that only [`Interrupt::raise`] raises: for tests, and for
    /// library code handed an `Interrupt` by its binary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The process's Ctrl-C handler, installed on the first call (later
    /// calls return the same one): the policy in the module docs.
    pub fn install() -> Result<Self, ctrlc::Error> {
        static INSTALLED: OnceLock<Interrupt> = OnceLock::new();
        if let Some(installed) = INSTALLED.get() {
            return Ok(installed.clone());
        }
        let interrupt = Self::new();
        let handler = interrupt.clone();
        // ctrlc runs this on a thread of its own, one signal at a time.
        ctrlc::set_handler(move || {
            if handler.raised() {
                handler.force_exit();
            }
            // Said before the flag is raised: a run that stops quickly
            // once raised could otherwise exit before the line is out.
            eprintln!("{STOPPING}");
            handler.raise();
            let forced = handler.clone();
            // The grace timer runs on its own thread, so that a second
            // Ctrl-C reaches the handler while it waits.
            let timer = std::thread::Builder::new()
                .name("ctrl-c-grace".into())
                .spawn(move || {
                    std::thread::sleep(GRACE);
                    forced.force_exit();
                });
            if timer.is_err() {
                handler.force_exit();
            }
        })?;
        Ok(INSTALLED.get_or_init(|| interrupt).clone())
    }

    /// [`Interrupt::install`] for a binary's `main`: if the handler cannot
    /// be installed (the operating system refused it), prints one `error:`
    /// line and exits with status 1, as a program that could not start.
    pub fn install_or_exit() -> Self {
        Self::install().unwrap_or_else(|error| {
            eprintln!("error: cannot install the Ctrl-C handler: {error}");
            std::process::exit(1)
        })
    }

    /// Raises the flag: cancels the token and runs every stop action.
    pub fn raise(&self) {
        let actions = lock(&self.inner.actions);
        self.inner.raised.store(true, Ordering::SeqCst);
        self.inner.token.cancel();
        for action in actions.iter() {
            action();
        }
    }

    /// True once Ctrl-C was pressed.
    pub fn raised(&self) -> bool {
        self.inner.raised.load(Ordering::SeqCst)
    }

    /// Waits at most `wait` for the first Ctrl-C; true if it came. For a
    /// child that died of the terminal's SIGINT: the same signal is on its
    /// way to this process's handler, which may not have run yet.
    pub fn raised_within(&self, wait: Duration) -> bool {
        let (came, arrival) = std::sync::mpsc::channel();
        let _registered = self.on_interrupt(move || {
            let _ = came.send(());
        });
        arrival.recv_timeout(wait).is_ok()
    }

    /// Completes on the first Ctrl-C (at once if it already came).
    pub fn cancelled(&self) -> WaitForCancellationFutureOwned {
        self.inner.token.clone().cancelled_owned()
    }

    /// The cancellation token itself, to hand to code that takes one.
    pub fn token(&self) -> CancellationToken {
        self.inner.token.clone()
    }

    /// Runs `action` on Ctrl-C (at once if it already came) until the
    /// returned registration is dropped.
    pub fn on_interrupt(&self, action: impl Fn() + Send + Sync + 'static) -> Registration {
        let action: Action = Arc::new(action);
        let mut actions = lock(&self.inner.actions);
        if self.raised() {
            action();
        }
        actions.push(Arc::clone(&action));
        Registration {
            interrupt: self.clone(),
            action,
        }
    }

    /// What the forced exit prints after `interrupted: `, computed then
    /// (for example how many items had finished).
    pub fn set_summary(&self, summary: impl Fn() -> String + Send + Sync + 'static) {
        *lock(&self.inner.summary) = Some(Box::new(summary));
    }

    /// Runs `action` if the process is ended by force (the grace period ran
    /// out, or a second Ctrl-C), after the stop actions: the place to save
    /// what the run recorded so far.
    pub fn at_forced_exit(&self, action: impl Fn() + Send + Sync + 'static) {
        lock(&self.inner.at_exit).push(Arc::new(action));
    }

    /// `Err(Interrupted)` once Ctrl-C was pressed: `interrupt.check()?`
    /// between the steps of a loop.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.raised() {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    /// The exit code for a run that has ended: 130 if it was interrupted.
    pub fn exit_code(&self) -> ExitCode {
        if self.raised() {
            ExitCode::from(EXIT_CODE)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Ends the process now: stop actions once more, the summary, exit 130.
    fn force_exit(&self) -> ! {
        // Copied out first: an action may register or unregister another.
        let actions = lock(&self.inner.actions).clone();
        let at_exit = lock(&self.inner.at_exit).clone();
        for action in actions.iter().chain(&at_exit) {
            action();
        }
        match lock(&self.inner.summary).as_ref() {
            Some(summary) => eprintln!("interrupted: {}", summary()),
            None => eprintln!("interrupted"),
        }
        std::process::exit(i32::from(EXIT_CODE));
    }
}

/// A registered stop action; dropping it unregisters the action.
#[must_use = "dropping the registration unregisters the action at once"]
pub struct Registration {
    interrupt: Interrupt,
    /// The registered action itself: unregistering finds it by address.
    action: Action,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").finish_non_exhaustive()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.interrupt.inner.actions).retain(|action| !Arc::ptr_eq(action, &self.action));
    }
}

/// The error of a step that stopped because Ctrl-C was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by Ctrl-C")]
pub struct Interrupted;
