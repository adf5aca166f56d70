"""The chapter's pooling comparison, measured: the count workload run
sequentially, on ThreadPoolExecutor and on ProcessPoolExecutor.

    python3 benches/python/pooling.py                 # the chapter's sizes
    python3 benches/python/pooling.py --workers 2 --iterations 1000000

Figures (totals, seconds):
  count/sequential             items 1..=10 one after another
  count/threads/<w>            ThreadPoolExecutor(w): about the sequential
                               time whatever w is, because of the GIL
  count/processes/<w>          ProcessPoolExecutor(w), workers already started
  count/processes-startup/<w>  the same, including starting the pool and
                               shutting it down (the `with` block as a whole)

The Rust counterparts are in benches/support/cpu.rs.
"""

import concurrent.futures
import os

from report import Report, parser, positive, timed
from workloads import CHAPTER_ITERATIONS, evaluate, noop


def sequential(items, iterations):
    return [evaluate(x, iterations) for x in items]


def on_pool(executor, items, iterations):
    """Submit every item, then collect the results in order (the chapter
    submits and lets the `with` block wait; we also check the results)."""
    futures = [executor.submit(evaluate, x, iterations) for x in items]
    return [f.result() for f in futures]


def started(executor, workers):
    """Make the pool start its workers before the clock starts.

    ThreadPoolExecutor starts a thread per submit until it has max_workers;
    ProcessPoolExecutor (fork start method, Linux's default in 3.11) starts
    all its processes at the first submit. A round of no-op tasks does both.
    """
    list(executor.map(noop, range(4 * workers)))
    return executor


def processes_with_startup(workers, items, iterations):
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as executor:
        return on_pool(executor, items, iterations)


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--items", type=positive, default=10, help="items 1..=N (10)")
    p.add_argument(
        "--iterations",
        type=positive,
        default=CHAPTER_ITERATIONS,
        help="count loop length (10,000,000)",
    )
    p.add_argument(
        "--workers",
        type=positive,
        nargs="+",
        default=[1, 2, 4, 8],
        help="pool sizes to measure (1 2 4 8)",
    )
    p.add_argument(
        "--startup-workers",
        type=positive,
        default=os.cpu_count() or 2,
        help="pool size for the start-up figure (the core count)",
    )
    args = p.parse_args()
    items = list(range(1, args.items + 1))
    n = args.iterations
    # What every run must return: count(x) is iterations * x.
    expected = [(x, x * n) for x in items]
    out = Report(args.tsv)

    seconds, result = timed(sequential, items, n)
    assert result == expected
    out.total("count/sequential", seconds, f"{len(items)} items, count({n:,}) each")

    for w in args.workers:
        with started(concurrent.futures.ThreadPoolExecutor(max_workers=w), w) as ex:
            seconds, result = timed(on_pool, ex, items, n)
        assert result == expected
        out.total(f"count/threads/{w}", seconds, f"ThreadPoolExecutor({w}): one GIL")

    for w in args.workers:
        with started(concurrent.futures.ProcessPoolExecutor(max_workers=w), w) as ex:
            seconds, result = timed(on_pool, ex, items, n)
        assert result == expected
        out.total(f"count/processes/{w}", seconds, f"ProcessPoolExecutor({w}), started")

    w = args.startup_workers
    seconds, result = timed(processes_with_startup, w, items, n)
    assert result == expected
    out.total(
        f"count/processes-startup/{w}",
        seconds,
        f"ProcessPoolExecutor({w}): start, run, shut down",
    )


if __name__ == "__main__":
    main()
