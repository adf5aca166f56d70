//! `--clock virtual`: mini's virtual clock behind one flag. Waits end at
//! exact times and take no real time; any other runtime is refused.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use runtimes::Runtime;
use runtimes::clock::Clock;

/// On the virtual clock two tasks' waits of 4 s and 10 s end at exactly
/// 4 s and 10 s on the recorder, and the run takes no real time.
#[test]
fn virtual_waits_end_at_exact_times_at_once() {
    let (run_loop, recorder) = Clock::Virtual.start(Runtime::Mini, false);
    let started = Instant::now();
    let said = recorder.clone();
    run_loop.block_on(async move {
        let short = Runtime::Mini.spawn({
            let said = said.clone();
            async move {
                Runtime::Mini.sleep(Duration::from_secs(4)).await;
                said.say("short", "done");
            }
        });
        Runtime::Mini.sleep(Duration::from_secs(10)).await;
        said.say("long", "done");
        short.await.unwrap();
    });
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(recorder.when("short", "done"), Some(Duration::from_secs(4)));
    assert_eq!(recorder.when("long", "done"), Some(Duration::from_secs(10)));
}

/// The virtual clock is mini's: with any other runtime it is refused with
/// a sentence naming the flag to use; the real clock goes with all of them.
#[test]
fn virtual_needs_mini() {
    for runtime in Runtime::ALL {
        assert_eq!(Clock::Real.check(runtime), Ok(()));
        let virtual_ok = Clock::Virtual.check(runtime);
        if runtime == Runtime::Mini {
            assert_eq!(virtual_ok, Ok(()));
        } else {
            assert!(virtual_ok.unwrap_err().contains("--runtime mini"));
        }
    }
}

/// The real clock runs on the runtime chosen, through its `block_on`.
#[test]
fn real_clock_runs_on_the_runtime() {
    let (run_loop, recorder) = Clock::Real.start(Runtime::Smol, false);
    let waited = run_loop.block_on(async move {
        Runtime::Smol.sleep(Duration::from_millis(5)).await;
        recorder.elapsed()
    });
    assert!(waited >= Duration::from_millis(5));
}
