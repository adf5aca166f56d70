//! `--trace FILE.json`: the run as a Chrome trace-event file (for
//! ui.perfetto.dev or `chrome://tracing`), through `tracing-chrome`.
//!
//! The [`Recorder`](crate::Recorder) turns each unit of work it keeps into
//! a `tracing` span, a child of one span per lane, named after the unit
//! (`item 3`, `State 2`), each thread that took part named: async slices,
//! since a unit may start on one thread and end on another. Without
//! `--trace` no subscriber is installed, and a `tracing` span costs one
//! check of a disabled callsite.

use std::fs::File;
use std::path::Path;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_chrome::{ChromeLayerBuilder, EventOrSpan, FlushGuard, TraceStyle};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{Layer, Registry};

/// The open trace file; dropping it finishes the file.
pub struct Trace {
    /// Joins tracing-chrome's writer thread (which closes the JSON array)
    /// when dropped.
    _guard: FlushGuard,
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace").finish_non_exhaustive()
    }
}

/// Starts writing every span of this process into `path` (once per
/// process: the subscriber is the global default from now on).
pub fn to_file(path: &Path) -> std::io::Result<Trace> {
    let file = File::create(path)?;
    let (chrome, guard) = ChromeLayerBuilder::new()
        .writer(file)
        // A span's start and end may be on different threads (a task moved,
        // a callback finished elsewhere): async slices, matched by id.
        .trace_style(TraceStyle::Async)
        .include_args(true)
        .include_locations(false)
        .name_fn(Box::new(|event_or_span| match event_or_span {
            EventOrSpan::Span(span) => span
                .extensions()
                .get::<Named>()
                .map_or_else(|| span.name().to_owned(), |named| named.0.clone()),
            EventOrSpan::Event(event) => event.metadata().name().to_owned(),
        }))
        .build();
    // Only the recorder's spans (target "run"): libraries that log through
    // `tracing` themselves (async-nats, hyper) would bury the run's units
    // under hundreds of their own events.
    let only_the_run = filter_fn(|metadata| metadata.target() == "run");
    let subscriber = Registry::default()
        .with(NameLayer)
        .with(chrome.with_filter(only_the_run));
    tracing::subscriber::set_global_default(subscriber).map_err(|error| {
        std::io::Error::other(format!("a trace is already being written: {error}"))
    })?;
    Ok(Trace { _guard: guard })
}

/// A span's display name, taken from its `what` (a unit) or `lane` (a
/// lane) field: `tracing` span names are fixed at compile time, ours are
/// the units' names.
struct Named(String);

/// Stores [`Named`] in each new span's extensions, before the chrome layer
/// (which comes after it in the stack) names the span.
struct NameLayer;

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for NameLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut visitor = NameVisitor(None);
        attrs.record(&mut visitor);
        if let (Some(name), Some(span)) = (visitor.0, ctx.span(id)) {
            span.extensions_mut().insert(Named(name));
        }
    }
}

/// Finds the `what` or `lane` field among a span's fields.
struct NameVisitor(Option<String>);

impl Visit for NameVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "what" || (field.name() == "lane" && self.0.is_none()) {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}
