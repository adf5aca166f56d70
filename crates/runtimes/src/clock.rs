//! `--clock virtual`: a run whose times are exact, the same on every run.
//!
//! A page's picture of a run (`--timeline`) is drawn again by a test and
//! compared byte for byte. On the real clock no two runs agree (a wait of
//! 4 s ends at 4.001 s, then at 4.003 s). On the mini executor's *virtual*
//! clock ([`mini::Executor::new_virtual`]) a wait takes no real time and
//! ends at exactly the time it asked for, and computing takes none: every
//! line and bar falls on the same time on every run, on every machine
//! (tokio's paused test clock does the same inside tests).
//!
//! A chapter takes `--clock` with `#[arg(long, value_enum, default_value_t
//! = Clock::Real)] clock: Clock`, refuses a virtual clock on another
//! runtime with [`Clock::check`], and runs with [`Clock::start`]:
//!
//! ```
//! use runtimes::{Runtime, clock::Clock};
//! let (run_loop, recorder) = Clock::Virtual.start(Runtime::Mini, false);
//! let waited = run_loop.block_on(async move {
//!     Runtime::Mini.sleep(std::time::Duration::from_secs(4)).await;
//!     recorder.elapsed()
//! });
//! assert_eq!(waited, std::time::Duration::from_secs(4)); // exactly, at once
//! ```

use std::future::Future;

use runner::{Interrupt, Recorder, output::OutputArgs};

use crate::{Runtime, mini};

/// Which clock a run's times come from (`--clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Clock {
    /// Real time: a wait takes as long as it says (the default).
    #[default]
    Real,
    /// The mini executor's virtual clock (with `--runtime mini` only): waits
    /// take no real time and end at exact times, so a run's output and its
    /// timeline are the same every time.
    Virtual,
}

impl Clock {
    /// Whether a run on `runtime` can use this clock: the virtual clock is
    /// the mini executor's. `Err` is the sentence of the usage error.
    pub fn check(self, runtime: Runtime) -> Result<(), String> {
        match (self, runtime) {
            (Clock::Virtual, Runtime::Mini) | (Clock::Real, _) => Ok(()),
            (Clock::Virtual, other) => Err(format!(
                "--clock virtual is the mini executor's virtual clock: \
                 run it with --runtime mini, not --runtime {other}"
            )),
        }
    }

    /// The loop a run goes on, and a recorder whose times come from that
    /// loop's clock (printing its lines if `print`).
    ///
    /// # Panics
    /// For [`Clock::Virtual`] with a runtime other than mini: call
    /// [`Clock::check`] first.
    pub fn start(self, runtime: Runtime, print: bool) -> (RunLoop, Recorder) {
        match self {
            Clock::Real => {
                let recorder = if print {
                    Recorder::printing()
                } else {
                    Recorder::quiet()
                };
                (RunLoop::Runtime(runtime), recorder)
            }
            Clock::Virtual => {
                assert_eq!(
                    runtime,
                    Runtime::Mini,
                    "--clock virtual needs --runtime mini"
                );
                let executor = mini::Executor::new_virtual();
                let handle = executor.handle();
                // The recorder reads the loop's clock: 0 when the run starts,
                // moved only by the loop jumping to its next timer.
                let recorder = Recorder::with_clock(print, move || handle.now());
                (RunLoop::Virtual(executor), recorder)
            }
        }
    }

    /// How a chapter on `--runtime` and `--clock` starts, in this order: a
    /// clock the runtime cannot give is refused as a usage error of the
    /// command line `C` (exit status 2); tokio-console's subscriber starts
    /// where the chapter was built with `--features console`; the Ctrl-C
    /// policy is installed; then [`Clock::start`], printing every line.
    pub fn start_chapter<C: clap::CommandFactory>(
        self,
        runtime: Runtime,
        output: &OutputArgs,
    ) -> (RunLoop, Recorder, Interrupt) {
        if let Err(why) = self.check(runtime) {
            runner::flags::conflict::<C>(why);
        }
        output.start_console::<C>(runtime == Runtime::Tokio);
        let interrupt = Interrupt::install_or_exit();
        let (run_loop, recorder) = self.start(runtime, true);
        (run_loop, recorder, interrupt)
    }
}

/// Where a run's main future goes: a runtime's `block_on`, or a mini
/// executor on the virtual clock.
#[derive(Debug)]
pub enum RunLoop {
    /// [`Runtime::block_on`] on the real clock.
    Runtime(Runtime),
    /// A mini executor on its virtual clock.
    Virtual(mini::Executor),
}

impl RunLoop {
    /// Runs `future` to completion (Python: `asyncio.run(main())`), then
    /// closes the loop, which cancels any task still on it.
    pub fn block_on<F>(self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            RunLoop::Runtime(runtime) => runtime.block_on(future),
            RunLoop::Virtual(executor) => executor.block_on(future),
        }
    }
}
