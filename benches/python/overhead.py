"""What one task costs: a trivial task (cube) run many times on threads,
ThreadPoolExecutor and ProcessPoolExecutor.

    python3 benches/python/overhead.py

Figures (seconds per task; the whole batch is submitted, then collected):
  task/thread-spawn-join            threading.Thread start + join
  task/thread-pool-submit           ThreadPoolExecutor(2) submit + result
  task/thread-pool-map              ThreadPoolExecutor(2) map
  task/process-pool-submit          ProcessPoolExecutor(2) submit + result
  task/process-pool-map/<chunksize> ProcessPoolExecutor(2) map(chunksize=...)
  handoff/ping-pong                 one hand-off between two threads through
                                    queue.SimpleQueue (a ping-pong; seconds
                                    per hand-off)

The Rust counterparts are in benches/support/overhead.rs.
"""

import concurrent.futures
import queue
import threading

from report import Report, parser, positive, timed
from workloads import cube, noop


def threads(n):
    started = []
    for i in range(n):
        t = threading.Thread(target=cube, args=(i,))
        t.start()
        started.append(t)
    for t in started:
        t.join()


def submit_all(executor, n):
    futures = [executor.submit(cube, i) for i in range(n)]
    return sum(f.result() for f in futures)


def map_all(executor, n, chunksize=1):
    return sum(executor.map(cube, range(n), chunksize=chunksize))


def ping_pong(round_trips):
    """Two threads hand a number back and forth: every hand-off wakes the
    other thread (and, in CPython, hands it the GIL)."""
    to_echo, to_caller = queue.SimpleQueue(), queue.SimpleQueue()

    def echo():
        while (value := to_echo.get()) is not None:
            to_caller.put(value + 1)

    echoer = threading.Thread(target=echo)
    echoer.start()
    value = 0
    for _ in range(round_trips):
        to_echo.put(value)
        value = to_caller.get()
    to_echo.put(None)  # tells the echo thread to stop
    echoer.join()
    assert value == round_trips


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--workers", type=positive, default=2, help="pool size (2)")
    p.add_argument("--threads", type=positive, default=1_000, help="threads started (1,000)")
    p.add_argument("--tasks", type=positive, default=10_000, help="thread-pool tasks (10,000)")
    p.add_argument(
        "--process-tasks", type=positive, default=10_000, help="process-pool tasks (10,000)"
    )
    p.add_argument(
        "--chunksizes", type=positive, nargs="+", default=[1, 64, 1024], help="(1 64 1024)"
    )
    p.add_argument(
        "--round-trips", type=positive, default=2_000, help="ping-pong round trips (2,000)"
    )
    args = p.parse_args()
    w = args.workers
    out = Report(args.tsv)

    seconds, _ = timed(ping_pong, args.round_trips)
    out.per_task("handoff/ping-pong", seconds, 2 * args.round_trips, "queue.SimpleQueue between 2 threads")

    seconds, _ = timed(threads, args.threads)
    out.per_task("task/thread-spawn-join", seconds, args.threads, "Thread(...).start(); join()")

    n = args.tasks
    expected = sum(i**3 for i in range(n))
    with concurrent.futures.ThreadPoolExecutor(max_workers=w) as ex:
        map_all(ex, 4 * w)  # start the threads before timing
        seconds, total = timed(submit_all, ex, n)
        assert total == expected
        out.per_task("task/thread-pool-submit", seconds, n, f"ThreadPoolExecutor({w}).submit")
        seconds, total = timed(map_all, ex, n)
        assert total == expected
        out.per_task("task/thread-pool-map", seconds, n, f"ThreadPoolExecutor({w}).map")

    n = args.process_tasks
    expected = sum(i**3 for i in range(n))
    with concurrent.futures.ProcessPoolExecutor(max_workers=w) as ex:
        list(ex.map(noop, range(4 * w)))  # start the processes before timing
        seconds, total = timed(submit_all, ex, n)
        assert total == expected
        out.per_task("task/process-pool-submit", seconds, n, f"ProcessPoolExecutor({w}).submit")
        for c in args.chunksizes:
            seconds, total = timed(map_all, ex, n, c)
            assert total == expected
            out.per_task(
                f"task/process-pool-map/{c}", seconds, n, f"ProcessPoolExecutor({w}).map, chunksize={c}"
            )


if __name__ == "__main__":
    main()
