"""Timing and output shared by the benchmark scripts in this folder.

Every script measures a few *figures* (named like `count/sequential`) and
prints one line per figure. By default the lines are for people; with
`--tsv` they are `name<TAB>seconds`, which is what the Rust driver
(`cargo run --release --bin compare`) reads. A figure is either a total
time (seconds) or a cost per task (seconds per task), as its name says.
"""

import argparse
import time


def timed(fn, *args):
    """Runs fn(*args) once; returns (seconds, its result).

    `time.perf_counter` is the clock for intervals: monotonic, the finest
    resolution available (the Rust side uses `std::time::Instant`).
    """
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def parser(description):
    """An argument parser with the flags every script shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--tsv",
        action="store_true",
        help="print `name<TAB>seconds` lines (for the Rust driver)",
    )
    return p


def positive(text):
    """An argparse type: an integer >= 1 (exit 2 with a clear message otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


class Report:
    """Collects figures and prints them, in the order they were measured."""

    def __init__(self, tsv):
        self.tsv = tsv

    def total(self, name, seconds, what):
        """A total time: printed in milliseconds for people."""
        self._emit(name, seconds, f"{seconds * 1e3:10.3f} ms       ", what)

    def per_task(self, name, seconds, tasks, what):
        """A batch of `tasks` that took `seconds`: printed per task."""
        each = seconds / tasks
        self._emit(name, each, f"{each * 1e6:10.3f} us/task  ", what)

    def _emit(self, name, seconds, shown, what):
        if self.tsv:
            print(f"{name}\t{seconds!r}", flush=True)
        else:
            print(f"{name:36} {shown} {what}", flush=True)
