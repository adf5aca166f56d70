//! A small single-threaded executor written with `std` alone: what an
//! event loop is from the inside. A teaching model, not a production
//! runtime (no I/O reactor, one thread, a plain mutex per queue).
//!
//! It has the four parts every event loop has (asyncio's `BaseEventLoop`
//! has the same ones under other names):
//!
//! | part          | here                              | asyncio                      |
//! |---------------|-----------------------------------|------------------------------|
//! | ready queue   | `Shared::ready` (a `VecDeque`)    | `loop._ready` (a deque)      |
//! | timers        | `Shared::timers` (a `BTreeMap`)   | `loop._scheduled` (a heapq)  |
//! | wake-ups      | [`std::task::Waker`] per task     | `Handle`s put back in `_ready` |
//! | idle sleep    | `Condvar::wait_timeout`           | `selector.select(timeout)`   |
//!
//! One turn of the loop ([`Executor::run`]) polls the tasks that were woken
//! (nothing is polled "just in case"), wakes the timers that are due, and,
//! if nothing is ready, sleeps until the next deadline or until another
//! thread wakes a task; it stops when no task is left.
//!
//! A waker is the only link between a future and the loop: a future that
//! cannot finish yet keeps a clone of its task's waker somewhere (a timer
//! entry, a channel, another thread) and returns `Pending`; calling
//! `wake()` later puts the task back in the ready queue. That is why the
//! same future (a tokio-util `CancellationToken`, a `futures` channel) runs
//! on this loop, on tokio, on async-std or on smol alike.
//!
//! The clock is either real or *virtual*: with [`Executor::new_virtual`]
//! the loop never sleeps, it jumps the clock to the next deadline, which is
//! what tokio's paused clock does in tests. Timers then fire at exact times.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A boxed task future: what [`Handle::spawn`] stores.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Locks a mutex, ignoring poisoning: a panicking task must not take the
/// whole loop down with a second panic while it reports the first.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The loop's clock.
#[derive(Debug)]
enum Clock {
    /// Real time since the executor was created.
    Real(Instant),
    /// Virtual time: only moves when the loop jumps to a deadline or a
    /// task "blocks" ([`Handle::block`]). Written by the loop thread only.
    Virtual(Mutex<Duration>),
}

/// The state shared by the loop, its handles, its tasks' wakers and any
/// thread that wakes a task.
#[derive(Debug)]
struct Shared {
    /// Tasks to poll, in the order they were woken. Pushed by wakers (from
    /// any thread), popped by the loop. Paired with `wakeup`.
    ready: Mutex<VecDeque<Arc<Task>>>,
    /// Signalled after a push to `ready`, so a loop sleeping in
    /// `wait_timeout` wakes up at once.
    wakeup: Condvar,
    /// Pending timers: the waker to call, by deadline and then by a
    /// sequence number, so that timers with the same deadline fire in the
    /// order they were set (asyncio does the same). Inserted by [`Sleep`]
    /// futures while they are polled, taken out by the loop when due.
    timers: Mutex<BTreeMap<(Duration, u64), Waker>>,
    /// The next timer's sequence number.
    next_seq: AtomicU64,
    /// Tasks spawned and not yet finished. The loop stops at 0.
    live: AtomicUsize,
    /// Every task spawned (weakly), so that dropping the executor can drop
    /// the unfinished ones. Pushed by `spawn`, drained by `Drop`.
    all: Mutex<Vec<Weak<Task>>>,
    /// The loop's clock.
    clock: Clock,
}

impl Shared {
    /// The time on the loop's clock.
    fn now(&self) -> Duration {
        match &self.clock {
            Clock::Real(start) => start.elapsed(),
            Clock::Virtual(now) => *lock(now),
        }
    }
}

/// A spawned task: its future and a way back to the loop.
struct Task {
    /// The future; `None` once it has finished. Locked only while polled.
    future: Mutex<Option<BoxFuture>>,
    /// Whether the task is already in the ready queue, so that two wakes
    /// before one poll queue it once.
    queued: AtomicBool,
    /// The loop. Weak, so that tasks left in queues when the executor is
    /// dropped do not keep it alive in a reference cycle.
    shared: Weak<Shared>,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("queued", &self.queued)
            .finish()
    }
}

/// Waking a task = putting it back in the ready queue. This is the whole
/// contract between a future and the loop.
impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let Some(shared) = self.shared.upgrade() else {
            return; // the loop is gone: nothing to run the task on
        };
        if self.queued.swap(true, Ordering::AcqRel) {
            return; // already queued
        }
        lock(&shared.ready).push_back(self);
        shared.wakeup.notify_one();
    }
}

/// The executor: owns the loop. Create it, spawn tasks through a
/// [`Handle`], then [`Executor::run`] or [`Executor::block_on`].
#[derive(Debug)]
pub struct Executor {
    /// Everything the loop needs, shared with handles and wakers.
    shared: Arc<Shared>,
}

/// A cheap, cloneable way to reach the loop from inside tasks (spawn,
/// timers, the clock): `asyncio.get_running_loop()`.
#[derive(Debug, Clone)]
pub struct Handle {
    /// The loop's shared state.
    shared: Arc<Shared>,
}

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

impl Executor {
    /// An executor on the real clock.
    pub fn new() -> Self {
        Self::with_clock(Clock::Real(Instant::now()))
    }

    /// An executor on a virtual clock starting at 0: it never sleeps, it
    /// jumps to the next deadline. For tests.
    pub fn new_virtual() -> Self {
        Self::with_clock(Clock::Virtual(Mutex::new(Duration::ZERO)))
    }

    fn with_clock(clock: Clock) -> Self {
        Self {
            shared: Arc::new(Shared {
                ready: Mutex::new(VecDeque::new()),
                wakeup: Condvar::new(),
                timers: Mutex::new(BTreeMap::new()),
                next_seq: AtomicU64::new(0),
                live: AtomicUsize::new(0),
                all: Mutex::new(Vec::new()),
                clock,
            }),
        }
    }

    /// A handle to this executor.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Runs until no task is left (Python: `loop.run_forever()` until the
    /// last callback is done; there is no `stop()` here, a program stops
    /// the loop by finishing its tasks).
    pub fn run(&self) {
        self.run_until(|| false);
    }

    /// Runs `future` as a task and returns its output when it finishes
    /// (Python: `loop.run_until_complete(coro)`). Other tasks still
    /// pending then stay in the executor, and are dropped (cancelled) when
    /// the executor is.
    pub fn block_on<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> T {
        let slot = Arc::new(Mutex::new(None));
        let out = Arc::clone(&slot);
        self.handle().spawn(async move {
            let value = future.await;
            *lock(&out) = Some(value);
        });
        self.run_until(|| lock(&slot).is_some());
        let value = lock(&slot).take();
        // `run_until` only returns early when the slot is filled or no task
        // is left; the main task is one of them, so it finished.
        value.expect("block_on: the main task finished before the loop stopped")
    }

    /// The loop itself: one turn per pass, as the module docs say.
    fn run_until(&self, done: impl Fn() -> bool) {
        let shared = &self.shared;
        // While the loop runs, tasks on it can reach it with
        // `Handle::current()` (what `tokio::spawn` does with tokio's
        // runtime context); the guard restores the previous one on return.
        let _current = CurrentGuard::enter(self.handle());
        loop {
            // 1. Poll every ready task. Take one at a time, so that tasks
            //    woken while we poll are run in this same turn.
            loop {
                let next = lock(&shared.ready).pop_front();
                let Some(task) = next else { break };
                Self::poll_task(shared, &task);
            }
            if done() || shared.live.load(Ordering::Acquire) == 0 {
                return;
            }
            // 2. Fire every due timer, earliest first.
            if self.fire_due_timers() > 0 {
                continue;
            }
            // 3. Idle: sleep until the next deadline or an outside wake-up.
            let next_deadline = lock(&shared.timers).first_key_value().map(|(t, _)| t.0);
            let ready = lock(&shared.ready);
            if !ready.is_empty() {
                continue; // woken from another thread meanwhile
            }
            match (&shared.clock, next_deadline) {
                (Clock::Virtual(now), Some(deadline)) => {
                    drop(ready);
                    // Jump: nobody is ready, so nothing can happen before.
                    let mut now = lock(now);
                    *now = (*now).max(deadline);
                }
                (Clock::Real(_), Some(deadline)) => {
                    let wait = deadline.saturating_sub(shared.now());
                    // Releases `ready` while asleep; a waker's push + notify
                    // ends the wait early.
                    drop(shared.wakeup.wait_timeout(ready, wait));
                }
                (_, None) => {
                    // No timer: only another thread can make progress.
                    drop(shared.wakeup.wait(ready));
                }
            }
        }
    }

    /// Polls one task once.
    fn poll_task(shared: &Arc<Shared>, task: &Arc<Task>) {
        task.queued.store(false, Ordering::Release);
        let waker = Waker::from(Arc::clone(task));
        let mut cx = Context::from_waker(&waker);
        let mut slot = lock(&task.future);
        // `None`: the task finished earlier, and this is a stale wake-up.
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            *slot = None;
            shared.live.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Wakes every timer whose deadline has passed, earliest first; returns
    /// how many.
    fn fire_due_timers(&self) -> usize {
        let now = self.shared.now();
        let due = {
            let mut timers = lock(&self.shared.timers);
            // Keys from (now, MAX) on are later; the rest is due.
            let later = timers.split_off(&(now, u64::MAX));
            std::mem::replace(&mut *timers, later)
        };
        let fired = due.len();
        due.into_values().for_each(Waker::wake);
        fired
    }
}

/// Closing the loop (Python: `loop.close()` with tasks still pending):
/// every unfinished task's future is dropped, which cancels it and runs its
/// destructors. Without this, a pending task that (through its own future)
/// holds a clone of its waker would keep itself alive in a reference cycle.
impl Drop for Executor {
    fn drop(&mut self) {
        let tasks: Vec<Weak<Task>> = std::mem::take(&mut *lock(&self.shared.all));
        for task in tasks.iter().filter_map(Weak::upgrade) {
            // Take the future out first and drop it after the lock is
            // released: its destructor may wake tasks.
            let future = lock(&task.future).take();
            drop(future);
        }
        lock(&self.shared.ready).clear();
        lock(&self.shared.timers).clear();
    }
}

thread_local! {
    /// The loop running on this thread, if any: set by `run_until`, read by
    /// [`Handle::current`]. A loop runs on one thread only, so a
    /// thread-local is exactly "the running loop".
    static CURRENT: std::cell::RefCell<Option<Handle>> = const { std::cell::RefCell::new(None) };
}

/// Sets [`CURRENT`] for as long as it lives, then puts back the handle that
/// was current before (a loop run inside a loop).
struct CurrentGuard(Option<Handle>);

impl CurrentGuard {
    fn enter(handle: Handle) -> Self {
        Self(CURRENT.with(|current| current.replace(Some(handle))))
    }
}

impl Drop for CurrentGuard {
    fn drop(&mut self) {
        CURRENT.with(|current| current.replace(self.0.take()));
    }
}

impl Handle {
    /// The loop running this task (Python: `asyncio.get_running_loop()`),
    /// or `None` outside one.
    pub fn current() -> Option<Handle> {
        CURRENT.with(|current| current.borrow().clone())
    }

    /// Spawns a task (Python: `loop.create_task(coro)`; a callback is a
    /// task that does not await). It runs on the loop's next turn.
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            queued: AtomicBool::new(false),
            shared: Arc::downgrade(&self.shared),
        });
        self.shared.live.fetch_add(1, Ordering::AcqRel);
        {
            let mut all = lock(&self.shared.all);
            if all.len() >= 64 {
                all.retain(|t| t.strong_count() > 0); // forget dead tasks
            }
            all.push(Arc::downgrade(&task));
        }
        task.wake();
    }

    /// The loop's clock (Python: `loop.time()`).
    pub fn now(&self) -> Duration {
        self.shared.now()
    }

    /// A future that completes `duration` from now (Python:
    /// `asyncio.sleep`; with a callback, `loop.call_later`).
    pub fn sleep(&self, duration: Duration) -> Sleep {
        Sleep {
            shared: Arc::clone(&self.shared),
            deadline: self.now() + duration,
            registered: None,
        }
    }

    /// Keeps the loop's thread busy for `duration` (Python: `time.sleep`
    /// inside a callback). On the real clock the thread sleeps; on the
    /// virtual clock time jumps forward, and nothing else runs meanwhile.
    pub fn block(&self, duration: Duration) {
        match &self.shared.clock {
            Clock::Real(_) => std::thread::sleep(duration),
            Clock::Virtual(now) => *lock(now) += duration,
        }
    }

    /// Whether this loop runs on the virtual clock.
    pub fn is_virtual(&self) -> bool {
        matches!(self.shared.clock, Clock::Virtual(_))
    }
}

/// The future returned by [`Handle::sleep`].
#[derive(Debug)]
pub struct Sleep {
    /// The loop whose timers and clock it uses.
    shared: Arc<Shared>,
    /// When it completes, on the loop's clock.
    deadline: Duration,
    /// The waker registered with the timers, if any; registered again only if the
    /// future is polled by a different task.
    registered: Option<Waker>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shared.now() >= self.deadline {
            return Poll::Ready(());
        }
        let registered = self.registered.as_ref();
        if registered.is_none_or(|waker| !waker.will_wake(cx.waker())) {
            let seq = self.shared.next_seq.fetch_add(1, Ordering::Relaxed);
            let key = (self.deadline, seq);
            lock(&self.shared.timers).insert(key, cx.waker().clone());
            self.registered = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Runs blocking `work` on a new thread and returns a future for its result
/// (Python: `loop.run_in_executor(None, work)`; tokio: `spawn_blocking`).
///
/// The thread calls the task's waker when it is done: the waker is what
/// lets another thread hand a result back to the loop.
pub fn unblock<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Unblock<T> {
    let state = Arc::new(Mutex::new(UnblockState {
        value: None,
        waker: None,
    }));
    let theirs = Arc::clone(&state);
    let thread = std::thread::Builder::new()
        .name("mini-blocking".into())
        .spawn(move || {
            let value = work();
            let waker = {
                let mut state = lock(&theirs);
                state.value = Some(value);
                state.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
    Unblock {
        state,
        thread: thread.ok(),
    }
}

/// What [`unblock`]'s thread and future share.
#[derive(Debug)]
struct UnblockState<T> {
    /// The result, set by the thread.
    value: Option<T>,
    /// The waiting task's waker, set by the future, taken by the thread.
    waker: Option<Waker>,
}

/// The future returned by [`unblock`].
#[derive(Debug)]
pub struct Unblock<T> {
    /// Shared with the worker thread.
    state: Arc<Mutex<UnblockState<T>>>,
    /// The worker thread, joined when the future is dropped (no leak), or
    /// `None` if the thread could not be started.
    thread: Option<JoinHandle<()>>,
}

impl<T> Future for Unblock<T> {
    /// `None` only if the thread could not be started.
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.thread.is_none() {
            return Poll::Ready(None);
        }
        let mut state = lock(&self.state);
        match state.value.take() {
            Some(value) => Poll::Ready(Some(value)),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for Unblock<T> {
    fn drop(&mut self) {
        // A blocking job cannot be interrupted; wait for it so that no
        // thread outlives its future.
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
