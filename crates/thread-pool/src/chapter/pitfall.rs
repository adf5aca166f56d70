//! Part 4, a pitfall: blocking a pool's worker on the same pool, two ways,
//! each on a pool of two workers, stalled for [`STALL`], detected, released
//! and then written the way that works (the page, `docs/thread-pool.md`,
//! tells the whole story):
//!
//! 1. **A task waits for a task of its own pool** (rayon#904; Python's
//!    `ThreadPoolExecutor` stalls the same way): both workers wait, and the
//!    inner tasks they wait for are queued behind them. Fixed by waiting
//!    the rayon way: a worker waiting in `rayon::scope` runs queued work.
//! 2. **A lock held while waiting on the pool** (rayon#592): task L holds
//!    a lock across `rayon::join`, and while L waits, its thread runs task
//!    C, which wants the lock: C waits for L, and L, paused beneath C on
//!    the same thread's stack, cannot go on before C returns. The price of
//!    work stealing: Python's pool never runs another task on a waiting
//!    thread. Fixed by releasing the lock before calling into rayon.
//!
//! Each stall ends so that the part finishes: in scene 1 main tells the
//! waiting tasks to give up; in scene 2 C takes the lock with a deadline.
//! Channels and a barrier force the order of events (never a guessed
//! sleep), so each scene stalls on every run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex, TryLockError};
use std::time::{Duration, Instant};

use common::clock::thread_label;
use common::{WorkloadError, cube};
use thread_pool::{TaskError, TaskHandle, ThreadPoolExecutor};

use super::{ChapterError, Run};

/// How long a stalled task waits before it gives up.
pub const STALL: Duration = Duration::from_millis(200);

/// A bound on the waits that only order the scene's steps (they end in
/// microseconds; this only keeps a broken scene from hanging).
const STEP: Duration = Duration::from_secs(5);

/// The pool's size in both scenes.
const WORKERS: usize = 2;

/// What a task that waited for something got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waited {
    /// What it waited for came.
    Got(i64),
    /// It gave up after [`STALL`]: what it waited for never came.
    GaveUp,
}

/// What scene 1 observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPoolReport {
    /// Tasks still waiting [`STALL`] after they started waiting.
    pub waiting: usize,
    /// Inner tasks started by then.
    pub inner_started: usize,
    /// The inner tasks' results, taken after the waiters gave up.
    pub inner_after: Vec<i64>,
    /// The same two tasks waiting in `rayon::scope` instead.
    pub scoped: Vec<i64>,
}

/// What scene 2 observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockReport {
    /// The thread that held the lock (task L's).
    pub holder: String,
    /// The thread task C ran on.
    pub c_ran_on: String,
    /// What C got: the lock's value, or nothing after [`STALL`].
    pub c_got: Waited,
    /// With the lock released before `join`: where C ran, what it got.
    pub fixed: (String, Waited),
}

/// Runs part 4: both scenes, each stalled, released, then fixed.
pub fn run(run: &Run) -> Result<(OwnPoolReport, LockReport), ChapterError> {
    let own_pool = wait_on_own_pool(run)?;
    let lock = lock_across_join(run)?;
    Ok((own_pool, lock))
}

/// Scene 1: two tasks, one per worker, each waiting for a task it
/// submitted to the same pool.
pub fn wait_on_own_pool(run: &Run) -> Result<OwnPoolReport, ChapterError> {
    run.say(format!(
        "scene 1: {WORKERS} tasks on a pool of {WORKERS}, each waiting for a task it \
         submits to the same pool"
    ));
    // The pool is shared with its own tasks, which submit to it.
    let pool = Arc::new(ThreadPoolExecutor::new(WORKERS)?);
    // Both waiting tasks are running (so both workers are busy) before
    // either submits its inner task: the stall is certain, not likely.
    let both_running = Arc::new(Barrier::new(WORKERS));
    // Inner tasks started so far: written by the inner tasks, read by
    // main when it looks for the stall.
    let inner_started = Arc::new(AtomicUsize::new(0));
    let (mut give_up, mut waiters) = (Vec::new(), Vec::new());
    for n in 1..=WORKERS as i64 {
        // A waiting task's word: its inner task is done (never, here), or
        // main saw the stall and tells it to give up.
        let (send, receive) = mpsc::channel::<()>();
        give_up.push(send.clone());
        let (own_pool, both_running, started, run) = (
            Arc::clone(&pool),
            Arc::clone(&both_running),
            Arc::clone(&inner_started),
            run.clone(),
        );
        waiters.push(pool.submit(move || {
            both_running.wait();
            let inner = own_pool.submit(move || {
                started.fetch_add(1, Ordering::SeqCst);
                let value = cube(n)?;
                let _ = send.send(());
                Ok::<_, WorkloadError>(value)
            });
            drop(own_pool); // only main may end the pool (it joins the workers)
            // Python: `inner.result()`, which here would never return.
            let _bar = run.block_bar(format!("waits for cube({n})"));
            let _ = receive.recv_timeout(STEP);
            Ok::<_, WorkloadError>(inner)
        }));
    }
    // Nothing can happen now, so nothing does: main waits `STALL`, then
    // looks. (`recv_timeout` on a channel nobody sends on: a wait that a
    // reader can see is bounded.)
    let (_never, nothing) = mpsc::channel::<()>();
    let _ = nothing.recv_timeout(STALL);
    let waiting = waiters.iter().filter(|waiter| !waiter.done()).count();
    let started = inner_started.load(Ordering::SeqCst);
    run.say(format!(
        "stalled: after {:.1} s, {waiting} of {WORKERS} tasks still wait and {started} of \
         {WORKERS} inner tasks have started: they are queued behind the tasks waiting for \
         them, and no worker is left to run them (rayon#904)",
        STALL.as_secs_f64()
    ));
    // Released: the waiting tasks are told to give up, which frees their
    // workers, which then run the queued inner tasks.
    for send in give_up {
        let _ = send.send(());
    }
    let inners = results(waiters)?;
    let inner_after = results(inners)?;
    run.say(format!(
        "released: main told the waiting tasks to give up; their workers then ran the inner \
         tasks: {inner_after:?}"
    ));
    // Every task dropped its clone of the pool before it finished, and
    // every task has finished; were one still held, the last drop (which
    // joins the workers) would fall to that task.
    if let Ok(pool) = Arc::try_unwrap(pool) {
        pool.shutdown();
    }

    // The way out: let rayon wait. A worker waiting at the end of a
    // `rayon::scope` runs the scope's queued tasks itself.
    let pool = ThreadPoolExecutor::new(WORKERS)?;
    let both_running = Arc::new(Barrier::new(WORKERS));
    let waiters: Vec<_> = (1..=WORKERS as i64)
        .map(|n| {
            let both_running = Arc::clone(&both_running);
            pool.submit(move || {
                both_running.wait();
                let mut inner = None;
                rayon::scope(|scope| scope.spawn(|_| inner = Some(cube(n))));
                inner.expect("rayon::scope returns only once its tasks have run")
            })
        })
        .collect();
    let scoped = results(waiters)?;
    pool.shutdown();
    run.say(format!(
        "fixed: the same tasks waiting in rayon::scope finished at once: {scoped:?} (a worker \
         waiting in a scope runs the queued tasks itself)"
    ));
    Ok(OwnPoolReport {
        waiting,
        inner_started: started,
        inner_after,
        scoped,
    })
}

/// Every handle's result, in order, or the first error.
fn results<T, E>(handles: Vec<TaskHandle<T, E>>) -> Result<Vec<T>, TaskError<E>> {
    handles.into_iter().map(TaskHandle::result).collect()
}

/// Scene 2: task L holds a lock across `rayon::join`; task C, which
/// wants the lock, runs on L's thread while L waits inside the join.
pub fn lock_across_join(run: &Run) -> Result<LockReport, ChapterError> {
    run.say(
        "scene 2: task L takes a lock, then calls rayon::join while holding it; task C wants \
         the same lock",
    );
    let (holder, c_ran_on, c_got) = lock_scene(run, true)?;
    match &c_got {
        Waited::GaveUp if c_ran_on == holder => run.say(format!(
            "stalled: C ran on {c_ran_on}, the thread holding the lock, while L waited inside \
             join beneath it; C gave up after {:.1} s; with lock() it would wait for ever, \
             since L cannot go on before C returns (rayon#592)",
            STALL.as_secs_f64()
        )),
        Waited::GaveUp => run.say(format!(
            "C, on {c_ran_on}, could not take the lock held by L on {holder} in {:.1} s",
            STALL.as_secs_f64()
        )),
        Waited::Got(_) => run.say(format!(
            "this time C ran on {c_ran_on} and got the lock; L held it on {holder}"
        )),
    }
    let fixed = lock_scene(run, false)?;
    let (_, fixed_on, fixed_got) = &fixed;
    run.say(format!(
        "fixed: L released the lock before calling join; C ran on {fixed_on} again and {}",
        match fixed_got {
            Waited::Got(_) => "took the lock at once",
            Waited::GaveUp => "still could not take it",
        }
    ));
    Ok(LockReport {
        holder,
        c_ran_on,
        c_got,
        fixed: (fixed.1, fixed.2),
    })
}

/// One run of scene 2, with L holding the lock across its `join` or not:
/// the lock holder's thread, C's thread, and what C got.
fn lock_scene(run: &Run, hold_across_join: bool) -> Result<(String, String, Waited), ChapterError> {
    let pool = ThreadPoolExecutor::new(WORKERS)?;
    let total = Arc::new(Mutex::new(0_i64));
    // The steps are ordered by messages: b, L's slow half, tells main it
    // runs on the other worker; main then queues C and lets a, L's other
    // half, return, so that L's thread goes looking for work while it
    // waits for b; main lets b finish once C is done.
    let (b_started, b_runs) = mpsc::channel::<()>();
    let (c_queued, wait_for_c) = mpsc::channel::<()>();
    let (c_done, wait_c_done) = mpsc::channel::<()>();
    let (l_run, l_total) = (run.clone(), Arc::clone(&total));
    let l = pool.submit(move || {
        let me = thread_label();
        let _bar = l_run.work_bar("L");
        l_run.out.mark(&me, "L takes the lock");
        let mut total = l_total.lock().unwrap_or_else(|p| p.into_inner());
        *total += 1;
        // The fix is one line: release the lock before calling into rayon
        // (nothing in the join needs it).
        let held = if hold_across_join {
            Some(total)
        } else {
            drop(total);
            l_run.out.mark(&me, "L releases the lock, before join");
            None
        };
        let (a, b) = rayon::join(
            move || {
                let _ = wait_for_c.recv_timeout(STEP);
                cube(2)
            },
            move || {
                let _ = b_started.send(());
                let _ = wait_c_done.recv_timeout(STEP);
                cube(3)
            },
        );
        if held.is_some() {
            drop(held);
            l_run.out.mark(&me, "L releases the lock, after join");
        }
        Ok::<_, WorkloadError>((me, a? + b?))
    });
    let _ = b_runs.recv_timeout(STEP);
    let (c_run, c_total) = (run.clone(), Arc::clone(&total));
    let c = pool.submit(move || {
        let me = thread_label();
        let _bar = c_run.block_bar("C waits for the lock");
        // `lock()` with a deadline: try, and retry every millisecond.
        let deadline = Instant::now() + STALL;
        let got = loop {
            match c_total.try_lock() {
                Ok(guard) => break Waited::Got(*guard),
                Err(TryLockError::Poisoned(poisoned)) => break Waited::Got(*poisoned.into_inner()),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(TryLockError::WouldBlock) => break Waited::GaveUp,
            }
        };
        Ok::<_, WorkloadError>((me, got))
    });
    let _ = c_queued.send(());
    let (c_ran_on, c_got) = c.result()?;
    let _ = c_done.send(());
    let (holder, _) = l.result()?;
    pool.shutdown();
    Ok((holder, c_ran_on, c_got))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Scene 1 stalls on every run: after the stall both tasks still wait
    /// and no inner task has started; released, the inner tasks run; the
    /// rayon::scope version finishes.
    #[test]
    fn a_task_waiting_on_its_own_pool_stalls_then_is_released() {
        let run = Run::quiet();
        let started = Instant::now();
        let report = wait_on_own_pool(&run).unwrap();
        assert_eq!((report.waiting, report.inner_started), (2, 0));
        assert_eq!(report.inner_after, [1, 8]);
        assert_eq!(report.scoped, [1, 8]);
        assert!(started.elapsed() >= STALL, "the waits really waited");
    }

    /// Scene 2: C runs on L's own thread, inside L's join, and cannot
    /// take the lock L holds; with the lock released first, it can.
    #[test]
    fn a_lock_held_across_join_is_wanted_on_its_own_thread() {
        let run = Run::quiet();
        let report = lock_across_join(&run).unwrap();
        assert_eq!(
            report.c_ran_on, report.holder,
            "C ran on the holder's thread"
        );
        assert_eq!(report.c_got, Waited::GaveUp);
        let (fixed_on, fixed_got) = &report.fixed;
        assert!(fixed_on.starts_with("worker-"), "{fixed_on}");
        assert_eq!(*fixed_got, Waited::Got(1));
        let said = run.out.messages_of(&thread_label());
        assert!(said.iter().any(|m| m.contains("(rayon#592)")), "{said:?}");
    }
}
