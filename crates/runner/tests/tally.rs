//! The tally's summary says what finished, what was cut and what never
//! started, counted from several threads.

use runner::Tally;

/// Phases planned, finished, cut and never started, in their order.
#[test]
fn summary_names_every_phase() {
    let tally = Tally::new();
    assert_eq!(tally.summary(), "nothing had started");
    for name in ["threads", "sequential", "thread pool", "process pool"] {
        tally.plan(name);
    }
    tally.start("threads", 0);
    tally.finish();
    tally.start("sequential", 10);
    for _ in 0..10 {
        tally.item_done();
    }
    tally.finish();
    tally.start("thread pool", 10);
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let tally = tally.clone();
            std::thread::spawn(move || tally.item_done())
        })
        .collect();
    for thread in threads {
        thread.join().expect("the counting thread does not panic");
    }
    assert_eq!(
        tally.summary(),
        "threads done; sequential done (10 items); thread pool cut after 3 of 10 items; \
         not started: process pool"
    );
}

/// `phase` finishes a phase that succeeds, leaves one that fails cut,
/// and times the work.
#[test]
fn phase_runs_and_times_the_work() {
    let tally = Tally::new();
    let (value, took) = tally
        .phase("first", 2, || {
            tally.item_done();
            tally.item_done();
            std::thread::sleep(std::time::Duration::from_millis(5));
            Ok::<_, ()>(7)
        })
        .expect("the phase succeeds");
    assert_eq!(value, 7);
    assert!(took >= std::time::Duration::from_millis(5), "{took:?}");
    assert_eq!(
        tally.phase("second", 3, || Err::<(), _>("stopped")),
        Err("stopped")
    );
    assert_eq!(
        tally.summary(),
        "first done (2 items); second cut after 0 of 3 items"
    );
}

/// A phase not counted in items is cut short; an item with no phase
/// running counts nowhere.
#[test]
fn uncounted_phases_are_cut_short() {
    let tally = Tally::new();
    tally.item_done();
    tally.start("api", 0);
    assert_eq!(tally.summary(), "api cut short");
}
