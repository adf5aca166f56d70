//! The Ctrl-C policy's flag, future and stop actions, raised by hand.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use runner::interrupt::{EXIT_CODE, Interrupt, Interrupted};

/// Raising runs the registered actions once, completes the future, and
/// an action registered afterwards runs at once; a dropped
/// registration's action does not run.
#[test]
fn raise_runs_actions_and_completes_the_future() {
    let interrupt = Interrupt::new();
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    let _kept = interrupt.on_interrupt(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let dropped = interrupt.on_interrupt(|| panic!("unregistered actions never run"));
    drop(dropped);
    assert!(interrupt.check().is_ok());
    assert_eq!(interrupt.exit_code(), ExitCode::SUCCESS);

    interrupt.raise();
    assert!(interrupt.raised());
    assert_eq!(interrupt.check(), Err(Interrupted));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    futures::executor::block_on(interrupt.cancelled()); // completes at once

    let late = Arc::clone(&runs);
    let _late = interrupt.on_interrupt(move || {
        late.fetch_add(10, Ordering::SeqCst);
    });
    assert_eq!(runs.load(Ordering::SeqCst), 11);
    assert_eq!(interrupt.exit_code(), ExitCode::from(EXIT_CODE));
}

/// `install_or_exit` installs the process's one handler: the same flag
/// that `install` returns afterwards.
#[test]
fn install_or_exit_gives_the_installed_handler() {
    let first = Interrupt::install_or_exit();
    let again = Interrupt::install().expect("installed already: returns the same one");
    assert!(!again.raised());
    first.raise();
    assert!(again.raised());
}

/// `raised_within` gives up after its wait when nothing comes, returns as
/// soon as another thread raises the flag, and at once once it is raised.
#[test]
fn raised_within_waits_for_a_raise_on_another_thread() {
    use std::time::{Duration, Instant};
    let interrupt = Interrupt::new();
    assert!(!interrupt.raised_within(Duration::from_millis(20)));
    let raiser = interrupt.clone();
    let started = Instant::now();
    let thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        raiser.raise();
    });
    assert!(interrupt.raised_within(Duration::from_secs(10)));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "returned on the raise"
    );
    thread.join().unwrap();
    assert!(interrupt.raised_within(Duration::ZERO), "already raised");
}
