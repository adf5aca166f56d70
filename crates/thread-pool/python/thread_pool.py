"""Threads and a thread pool: threading.Thread, ThreadPoolExecutor, and the pooling workload.

Which program: the chapter's thread-pool section, circulating as
`thread_pool.py`; its third part is the book's pooling program
(`concurrent_futures_pooling.py`, also `concurrent_Futures_pooling.py`)
without its process pool, which the process-pool crate's
`concurrent_futures_pooling.py` keeps. Its Rust port is the thread-pool
crate: `src/port.rs` ports parts 2 and 3 line by line, and
`src/chapter/threads.rs` part 1.

    python3 thread_pool.py                                   # all three parts, the chapter's sizes
    python3 thread_pool.py --part compare --items 4 --iterations 100000 --workers 2

Part 1 (threads): `threading.Thread(target, args)`, `start()`, `join()`,
`is_alive()`, named threads, a daemon thread, `os.getpid()`.
Part 2 (executor): `ThreadPoolExecutor(max_workers=2)`: `submit(cube, 3)`
then `result()` is 27; `done()` before and after a task finishes;
`map(cube, [2, 4, 6, 8])` is `[8, 64, 216, 512]`, in input order;
`cube(3_000_000)`, a big int here (the Rust port's i64 refuses it as an
overflow); a task that raises, and the tasks around it still finishing;
`shutdown()`.
Part 3 (compare): items 1..=10; `evaluate(item)` calls `count(item)`, a
loop of 10,000,000 increments returning `10_000_000 * item`, and prints
`Item <item>, result <result>`; run sequentially, then on
`ThreadPoolExecutor(max_workers=5)`, each phase timed. The pool is no
faster: the loop is Python bytecode and the GIL lets one thread at a time
run it. (The Rust port's threads run on every core.)

Kept from the original: `count` loops `for i in range(0, n): i = i + 1`
and returns `i * number`; the thread pool phase prints its items in the
order they finish, the sequential one in item order.

What a current Python (3.11+) needed:
- `time.clock()` was removed in 3.8: the phases are timed with
  `time.perf_counter()` (wall-clock time; `time.clock()` was CPU time on
  Unix, which made pools look faster or slower than they were).
- `--part`, `--items`, `--iterations` and `--workers` are new (the Rust
  port's flags; defaults: all parts, 10 items, 10,000,000 iterations,
  5 workers). `--iterations` must be at least 1: with 0, the original's
  `count` would fail (its loop variable is never set).
- The daemon thread is stopped before the program ends: a daemon thread
  still printing while the interpreter shuts down can crash it.
"""

import argparse
import concurrent.futures
import os
import threading
import time

ITERATIONS = 10_000_000  # set from --iterations


def say(text):
    # One string, newline included: `print(text)` writes the text and the
    # newline separately when stdout is unbuffered (python3 -u,
    # PYTHONUNBUFFERED), and two threads could then interleave them.
    print(text + "\n", end="")


def cube(x):
    return x * x * x


# ---- Part 1: threading.Thread ------------------------------------------


def cube_target(x, go):
    go.wait()  # held until main has looked at is_alive()
    # A thread's target returns nothing to anyone: it prints instead.
    say("%s: target: cube(%s) = %s" % (threading.current_thread().name, x, cube(x)))


def hello():
    me = threading.current_thread()
    say("hello from %r in process %s" % (me.name, os.getpid()))


def ticker(stop):
    n = 0
    while not stop.wait(0.02):
        n += 1
        say("daemon: tick %s (nobody will join me)" % n)
    say("daemon: asked to stop: saying goodbye")


def part_threads():
    say("\n== Part 1: threads (threading.Thread) ==")
    say("process id (os.getpid()): %s" % os.getpid())
    go = threading.Event()
    t = threading.Thread(target=cube_target, args=(3, go), name="cube-thread")
    t.start()
    say("started %r; is_alive() = %s" % (t.name, t.is_alive()))
    go.set()
    t.join()
    say("joined %r; is_alive() = %s" % (t.name, t.is_alive()))
    named = [threading.Thread(target=hello, name="named-%s" % i) for i in range(1, 4)]
    for t in named:
        t.start()
    for t in named:
        t.join()
    stop = threading.Event()
    daemon = threading.Thread(target=ticker, args=(stop,), name="daemon", daemon=True)
    daemon.start()
    time.sleep(0.07)
    say("daemon=%s: if the program ended now, the daemon would die mid-tick; "
          "we stop it cleanly instead" % daemon.daemon)
    stop.set()
    daemon.join()


# ---- Part 2: ThreadPoolExecutor ----------------------------------------


def wait_then_cube(gate, x):
    gate.wait()
    return cube(x)


def fail():
    raise RuntimeError("this task failed on purpose")


def part_executor():
    say("\n== Part 2: ThreadPoolExecutor ==")
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    future = executor.submit(cube, 3)
    say("submit(cube, 3).result() = %s" % future.result())

    gate = threading.Event()
    held = executor.submit(wait_then_cube, gate, 5)
    before = held.done()
    gate.set()
    result = held.result()
    say("done() while held: %s; after it ran: %s; result %s" % (before, held.done(), result))

    say("map(cube, [2, 4, 6, 8]) = %s (input order)" % list(executor.map(cube, [2, 4, 6, 8])))

    around = [executor.submit(cube, 7), executor.submit(cube, 3_000_000),
              executor.submit(fail), executor.submit(cube, 9)]
    say("cube(3000000) -> %s (a Python int does not overflow)" % around[1].result())
    say("raising task -> exception(): %r" % around[2].exception())
    say("the tasks around them still finished: %s" % [around[0].result(), around[3].result()])

    executor.shutdown(wait=True)
    say("shutdown(): every task done: %s" % all(f.done() for f in [future, held, *around]))


# ---- Part 3: the pooling workload (concurrent_futures_pooling.py) -------


def count(number):
    for i in range(0, ITERATIONS):
        i = i + 1
    return i * number


def evaluate(item):
    result_item = count(item)
    say("Item %s, result %s" % (item, result_item))


def part_compare(items, workers):
    say("\n== Part 3: sequential vs. thread pool (concurrent_futures_pooling.py) ==")
    number_list = list(range(1, items + 1))

    start_time = time.perf_counter()
    for item in number_list:
        evaluate(item)
    say("Sequential Execution in %s seconds" % (time.perf_counter() - start_time))

    start_time = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        for item in number_list:
            executor.submit(evaluate, item)
    say("Thread Pool Execution in %s seconds" % (time.perf_counter() - start_time))


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %s" % value)
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["threads", "executor", "compare"],
                        help="run one part only (default: all three, in order)")
    parser.add_argument("--workers", type=positive, default=5,
                        help="workers in the comparison's pool (default 5)")
    parser.add_argument("--items", type=positive, default=10,
                        help="items 1..=ITEMS in the comparison (default 10)")
    parser.add_argument("--iterations", type=positive, default=10_000_000,
                        help="iterations of the count loop per item (default 10,000,000)")
    args = parser.parse_args()
    ITERATIONS = args.iterations
    if args.part in (None, "threads"):
        part_threads()
    if args.part in (None, "executor"):
        part_executor()
    if args.part in (None, "compare"):
        part_compare(args.items, args.workers)
