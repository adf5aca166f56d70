//! The one output recorder: labelled lines, printed and kept, and the spans
//! of work they belong to.
//!
//! ```text
//! [   4.001s] callback       | First coroutine (sum of N ints) result = 15
//! ```
//!
//! A [`Recorder`] prints each line (`common::clock::format_line`) and keeps
//! it for tests. Asked to ([`Recorder::keep_spans`]; no cost otherwise), it
//! also keeps *spans*, when a unit of work started and ended on which lane:
//! what a timeline is drawn from. Its clock is `tokio::time::Instant`:
//! std's, except in a `#[tokio::test(start_paused = true)]`, where it is
//! tokio's *virtual* clock, so a test can assert "this line came at exactly
//! 4.000 s" and finish in a millisecond (create the recorder *inside* the
//! paused runtime). A loop with a clock of its own (mini's virtual one)
//! passes it with [`Recorder::with_clock`].

use std::fmt::Display;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// One line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Time since the recorder started.
    pub at: Duration,
    /// Who printed it (a task, a callback, a worker, `main`).
    pub who: String,
    /// What it said.
    pub message: String,
}

/// What kind of time a span stands for (drawn differently on a timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Doing the work (computing, running a callback).
    Work,
    /// Waiting without holding a thread (an awaited sleep, a timer).
    Wait,
    /// Holding the thread while doing nothing useful (blocking the loop).
    Block,
}

/// One unit of work: on which lane, what, from when to when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The lane: who ran it (a thread, a task, a worker process).
    pub lane: String,
    /// What it was (an item, a state, a callback's name).
    pub what: String,
    /// Work, waiting, or blocking.
    pub kind: SpanKind,
    /// When it started, since the recorder started.
    pub start: Duration,
    /// When it ended; `None` while it runs (or if the run stopped first).
    pub end: Option<Duration>,
}

/// A moment worth marking on a lane (a callback's scheduled time, a kill).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The lane it belongs to.
    pub lane: String,
    /// What happened then.
    pub what: String,
    /// When, since the recorder started.
    pub at: Duration,
}

/// The handle of a started span, to end it with [`Recorder::end`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanId(Option<usize>);

/// Where the printed lines go.
type Printer = Box<dyn Fn(&str) + Send + Sync>;

/// The recorder's clock: time since the recorder started.
type ClockFn = Box<dyn Fn() -> Duration + Send + Sync>;

/// A shared, cloneable recorder of labelled lines and spans. Clone it into
/// every task and thread: clones share one record.
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<Inner>,
}

struct Inner {
    /// Time since the start; set once, read by every line and span.
    clock: ClockFn,
    /// Where lines are printed, `None` to print nothing (tests).
    printer: Option<Printer>,
    /// Whether spans are kept (off by default: no cost on measured paths).
    /// Set before the run by [`Recorder::keep_spans`], read by every span.
    spans_on: AtomicBool,
    /// Every line and span so far, in order. Written from any task or
    /// thread, read by tests and timelines. A `std::sync::Mutex`, not an
    /// async one: it is held only to push or copy, never across an `.await`.
    record: Mutex<Record>,
}

#[derive(Default)]
struct Record {
    lines: Vec<Line>,
    /// Each span with its `tracing` span, for `--trace` (a disabled one
    /// when no trace is being written), closed at `end`.
    spans: Vec<(Span, tracing::Span)>,
    marks: Vec<Mark>,
    /// One `tracing` span per lane, parent of the lane's units, so that a
    /// trace viewer draws each lane as one track.
    lanes: Vec<(String, tracing::Span)>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let record = self.lock();
        f.debug_struct("Recorder")
            .field("lines", &record.lines.len())
            .field("spans", &record.spans.len())
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// A recorder whose clock starts now and which prints every line.
    pub fn printing() -> Self {
        Self::build(Some(Box::new(print_line)), tokio_clock())
    }

    /// A recorder whose clock starts now and which prints nothing (tests).
    pub fn quiet() -> Self {
        Self::build(None, tokio_clock())
    }

    /// A recorder that hands each printed line to `printer` (a progress
    /// bar's `println`, so lines and bar never mix).
    pub fn with_printer(printer: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self::build(Some(Box::new(printer)), tokio_clock())
    }

    /// A recorder on a clock of the caller's (time since the run started),
    /// printing or not.
    pub fn with_clock(print: bool, clock: impl Fn() -> Duration + Send + Sync + 'static) -> Self {
        let printer = print.then(|| Box::new(print_line) as Printer);
        Self::build(printer, Box::new(clock))
    }

    fn build(printer: Option<Printer>, clock: ClockFn) -> Self {
        Self {
            inner: Arc::new(Inner {
                clock,
                printer,
                spans_on: AtomicBool::new(false),
                record: Mutex::new(Record::default()),
            }),
        }
    }

    /// From now on, keep spans too (a timeline or a trace was asked for).
    pub fn keep_spans(&self) -> &Self {
        self.inner.spans_on.store(true, Ordering::Relaxed);
        self
    }

    /// Time since the recorder started.
    pub fn elapsed(&self) -> Duration {
        (self.inner.clock)()
    }

    /// Says one line as `who`, printed as `[elapsed] who | message`.
    pub fn say(&self, who: &str, message: impl Display) {
        let line = Line {
            at: self.elapsed(),
            who: who.to_owned(),
            message: message.to_string(),
        };
        let mut record = self.lock();
        if let Some(print) = &self.inner.printer {
            // Printed while holding the lock, so lines appear on stdout in
            // the same order as in the record.
            print(&common::clock::format_line(line.at, who, &line.message));
        }
        record.lines.push(line);
    }

    /// Says one line as the current thread (see `common::clock::thread_label`).
    pub fn say_here(&self, message: impl Display) {
        self.say(&common::clock::thread_label(), message);
    }

    /// Starts a span of `kind` on `lane`; end it with [`Recorder::end`].
    /// Without [`Recorder::keep_spans`] this records nothing.
    pub fn start(&self, lane: &str, what: impl Display, kind: SpanKind) -> SpanId {
        self.start_earlier(lane, what, kind, Duration::ZERO)
    }

    /// Starts a span that began `ago` before now: for a unit of work that
    /// ran where this process cannot watch it start (a worker process
    /// reports how long its job took). The timeline draws it from then; the
    /// trace, whose clock is the present, opens it now.
    pub fn start_earlier(
        &self,
        lane: &str,
        what: impl Display,
        kind: SpanKind,
        ago: Duration,
    ) -> SpanId {
        if !self.keeps_spans() {
            return SpanId(None);
        }
        let span = Span {
            lane: lane.to_owned(),
            what: what.to_string(),
            kind,
            start: self.elapsed().saturating_sub(ago),
            end: None,
        };
        let mut record = self.lock();
        let lane_span = match record.lanes.iter().find(|(name, _)| name == lane) {
            Some((_, lane_span)) => lane_span.clone(),
            None => {
                let lane_span = tracing::info_span!(target: "run", parent: None, "lane", lane);
                record.lanes.push((lane.to_owned(), lane_span.clone()));
                lane_span
            }
        };
        let traced = tracing::info_span!(target: "run", parent: &lane_span, "unit",
            lane, what = span.what.as_str(), kind = ?kind);
        record.spans.push((span, traced));
        SpanId(Some(record.spans.len() - 1))
    }

    /// Ends a span started with [`Recorder::start`] (a second end is ignored).
    pub fn end(&self, id: SpanId) {
        let Some(index) = id.0 else { return };
        let now = self.elapsed();
        let mut record = self.lock();
        let traced = record.spans.get_mut(index).map(|(span, traced)| {
            span.end.get_or_insert(now);
            std::mem::replace(traced, tracing::Span::none())
        });
        drop(record);
        // Dropping the `tracing` span closes it: the trace's end of the unit.
        drop(traced);
    }

    /// Closes the lanes' `tracing` spans (at the end of a traced run, so
    /// that each lane's track ends in the trace too).
    pub fn close_lanes(&self) {
        let lanes = std::mem::take(&mut self.lock().lanes);
        drop(lanes);
    }

    /// Starts a span that ends when the returned guard is dropped: also
    /// when the task holding it is cancelled or panics, so a cancelled
    /// task's bar ends where it was cancelled.
    pub fn span(&self, lane: &str, what: impl Display, kind: SpanKind) -> SpanGuard {
        SpanGuard {
            recorder: self.clone(),
            id: self.start(lane, what, kind),
        }
    }

    /// Marks the moment `at` on `lane` (kept only with [`Recorder::keep_spans`]):
    /// drawn on a timeline as a tick, e.g. when a callback was due.
    pub fn mark_at(&self, lane: &str, what: impl Display, at: Duration) {
        if self.keeps_spans() {
            self.lock().marks.push(Mark {
                lane: lane.to_owned(),
                what: what.to_string(),
                at,
            });
        }
    }

    /// Marks this moment on `lane` (see [`Recorder::mark_at`]).
    pub fn mark(&self, lane: &str, what: impl Display) {
        self.mark_at(lane, what, self.elapsed());
    }

    /// Whether spans are being kept (a timeline or trace was asked for).
    pub fn keeps_spans(&self) -> bool {
        self.inner.spans_on.load(Ordering::Relaxed)
    }

    /// A copy of every mark so far.
    pub fn marks(&self) -> Vec<Mark> {
        self.lock().marks.clone()
    }

    /// A copy of every line so far.
    pub fn lines(&self) -> Vec<Line> {
        self.lock().lines.clone()
    }

    /// A copy of every span so far.
    pub fn spans(&self) -> Vec<Span> {
        let record = self.lock();
        record.spans.iter().map(|(span, _)| span.clone()).collect()
    }

    /// Just the messages `who` said, in order.
    pub fn messages_of(&self, who: &str) -> Vec<String> {
        self.lock()
            .lines
            .iter()
            .filter(|line| line.who == who)
            .map(|line| line.message.clone())
            .collect()
    }

    /// When `who` first said a message containing `text`, if ever.
    pub fn when(&self, who: &str, text: &str) -> Option<Duration> {
        self.lock()
            .lines
            .iter()
            .find(|line| line.who == who && line.message.contains(text))
            .map(|line| line.at)
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        // A panic while holding the lock leaves a consistent record (a push
        // either happened or not), so a poisoned lock is still usable.
        self.inner
            .record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Ends its span when dropped (see [`Recorder::span`]).
#[derive(Debug)]
pub struct SpanGuard {
    recorder: Recorder,
    id: SpanId,
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        self.recorder.end(self.id);
    }
}

/// Prints one line on stdout. Not `println!`, which panics when stdout is
/// closed (`program | head`): a task that panics there would leave the
/// rest of the run waiting for it. A closed stdout is ignored instead.
fn print_line(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Time since now on tokio's clock (`std`'s unless a test paused it).
fn tokio_clock() -> ClockFn {
    let start = tokio::time::Instant::now();
    Box::new(move || start.elapsed())
}
