"""The pooling workload sequentially, on a thread pool and on a process pool, each timed.

Which program: the book's pooling program, circulating as
`concurrent_futures_pooling.py`, `concurrent_Futures_pooling.py` and
`process_pool.py`. Its direct Rust port, line by line, is the process-pool
crate's `src/port.rs` (`cargo run -p process-pool -- --part port`); the
crate's `--part compare` is the same comparison labelled and repeated (the
thread-pool crate's `thread_pool.py` has the first two phases too).

    python3 concurrent_futures_pooling.py                  # the chapter's sizes: 10 items of 10,000,000
    python3 concurrent_futures_pooling.py --items 4 --iterations 100000 --workers 2

Items 1..=10; `evaluate(item)` calls `count(item)`, a loop of 10,000,000
increments that returns `10_000_000 * item`, and prints
`Item <item>, result <result>`. Three phases, each timed: a plain loop,
`ThreadPoolExecutor(max_workers=5)` and `ProcessPoolExecutor(max_workers=5)`.
Only the process pool is faster than the loop, on a machine with more than
one core: each worker process has its own interpreter and its own GIL,
while the threads of the thread pool take turns.

Kept from the original: `count` loops `for i in range(0, n): i = i + 1` and
returns `i * number`; `evaluate` prints its result instead of returning
it; the pools print their items in the order they finish (the workers'
lines), the loop in item order.

What a current Python (3.11+) needed:
- `time.clock()` was removed in 3.8: the phases are timed with
  `time.perf_counter()`, wall-clock time. (`time.clock()` was the parent's
  CPU time on Unix, which counted none of the process pool's work and made
  it look almost free.)
- The workers may be started by "fork" (Linux up to 3.13), "forkserver"
  (Linux from 3.14) or "spawn" (macOS, Windows); the last two import this
  file afresh, so `ITERATIONS` reaches the workers through the pool's
  initializer, not as a global set by the parent.
- Every line is flushed as it is printed: when stdout is a pipe or a file
  it is block-buffered, so a worker's lines would otherwise arrive only when
  it exits, and a forked worker would inherit, and print again, whatever
  the parent had not flushed yet. And `evaluate` prints its line and its
  newline as one string: `print(text)` writes the two separately when
  stdout is unbuffered (`python3 -u`, PYTHONUNBUFFERED), and two workers
  then interleave them (`Item 2, result 20Item 1, result 10` and an
  empty line).
- `--items`, `--iterations` and `--workers` are new (the Rust port's
  flags; defaults 10, 10,000,000 and 5). `--iterations` must be at least 1:
  with 0, the original's `count` would fail (its loop variable is never
  set).
"""

import argparse
import concurrent.futures
import time

ITERATIONS = 10_000_000  # set from --iterations (in workers: by set_iterations)


def set_iterations(iterations):
    global ITERATIONS
    ITERATIONS = iterations


def count(number):
    for i in range(0, ITERATIONS):
        i = i + 1
    return i * number


def evaluate(item):
    result_item = count(item)
    # One string, newline included, written at once (see the header).
    print("Item %s, result %s\n" % (item, result_item), end="", flush=True)


def main(items, workers):
    number_list = list(range(1, items + 1))

    # Sequential execution
    start_time = time.perf_counter()
    for item in number_list:
        evaluate(item)
    print("Sequential Execution in %s seconds" % (time.perf_counter() - start_time), flush=True)

    # Thread pool execution
    start_time = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        for item in number_list:
            executor.submit(evaluate, item)
    print("Thread Pool Execution in %s seconds" % (time.perf_counter() - start_time), flush=True)

    # Process pool execution
    start_time = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        initializer=set_iterations,
        initargs=(ITERATIONS,),
    ) as executor:
        for item in number_list:
            executor.submit(evaluate, item)
    print("Process Pool Execution in %s seconds" % (time.perf_counter() - start_time), flush=True)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %s" % value)
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=positive, default=5,
                        help="workers of each pool: threads, then processes (default 5)")
    parser.add_argument("--items", type=positive, default=10,
                        help="items 1..=ITEMS (default 10)")
    parser.add_argument("--iterations", type=positive, default=10_000_000,
                        help="iterations of the count loop per item (default 10,000,000)")
    args = parser.parse_args()
    set_iterations(args.iterations)
    main(args.items, args.workers)
