"""One run of a count figure, for measuring in alternation with Rust.

    python3 benches/python/paired.py sequential --item 3 --cpu 0
    python3 benches/python/paired.py processes --workers 2

The Rust driver (`cargo run --release --bin compare`) starts this program
once per Python run and times the same work in Rust right before and right
after it, so that each Python run has Rust runs beside it taken within a
second. On a shared machine each core switches between a fast and a slow
mode, independently of the other core, for seconds at a time; a ratio of
two runs taken back to back on the same core is steady where a ratio of
medians taken minutes apart is not.

Figures (seconds):
  paired/sequential-item    count(item, iterations), once, on the core
                            given by --cpu (pinned there; Linux only)
  paired/processes/<w>      items 1..=N on ProcessPoolExecutor(w), workers
                            started before the clock (as pooling.py)
"""

import concurrent.futures
import os
import sys

from pooling import on_pool, started
from report import Report, parser, positive, timed
from workloads import CHAPTER_ITERATIONS, evaluate


def pin(cpu):
    """Run this process on `cpu` only; exit 2 with one line if it cannot."""
    if not hasattr(os, "sched_setaffinity"):
        print("error: --cpu needs os.sched_setaffinity (Linux)", file=sys.stderr)
        sys.exit(2)
    try:
        os.sched_setaffinity(0, {cpu})
    except (OSError, ValueError) as e:
        print(f"error: cannot pin to CPU {cpu}: {e}", file=sys.stderr)
        sys.exit(2)


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument(
        "--iterations",
        type=positive,
        default=CHAPTER_ITERATIONS,
        help="count loop length (10,000,000)",
    )
    p.add_argument("--cpu", type=int, help="pin this process to this CPU first")
    figure = p.add_subparsers(dest="figure", required=True)
    seq = figure.add_parser("sequential", help="one item of the count workload")
    seq.add_argument("--item", type=positive, default=1, help="which item (1)")
    proc = figure.add_parser("processes", help="the workload on a process pool")
    proc.add_argument("--workers", type=positive, default=2, help="pool size (2)")
    proc.add_argument("--items", type=positive, default=10, help="items 1..=N (10)")
    args = p.parse_args()
    if args.cpu is not None:
        pin(args.cpu)
    n = args.iterations
    out = Report(args.tsv)

    if args.figure == "sequential":
        seconds, result = timed(evaluate, args.item, n)
        assert result == (args.item, args.item * n)
        out.total("paired/sequential-item", seconds, f"count({args.item}, {n:,})")
    else:
        items = list(range(1, args.items + 1))
        w = args.workers
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=w)
        with started(pool, w) as ex:
            seconds, result = timed(on_pool, ex, items, n)
        assert result == [(x, x * n) for x in items]
        out.total(f"paired/processes/{w}", seconds, f"ProcessPoolExecutor({w}), started")


if __name__ == "__main__":
    main()
