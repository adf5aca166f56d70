"""The chapter's pooling workload beyond one machine, with Dask.

concurrent_futures_pooling.py runs evaluate(1..10) on a
ProcessPoolExecutor; a Python programmer whose work outgrows one machine
moves the same code to dask.distributed, whose Client is a
concurrent.futures-style executor: client.submit, client.map,
as_completed, future.result(timeout=...). LocalCluster starts a scheduler
and worker processes on this machine; Client("tcp://host:8786") would
reach a cluster spread over several.

The Rust counterpart is crates/distributed-pool/src/port.rs: the same
program on a NATS JetStream work queue.

Run: python3 dask_pooling.py [--workers 3] [--items 10] [--iterations N]
Needs dask.distributed (pip install "dask[distributed]"); without it the
program says so and exits with status 2.
"""

import argparse
import os
import socket
import sys
import time


def count(number, iterations):
    # The chapter's CPU-bound loop: `iterations` increments, then a product.
    i = 0
    for i in range(0, iterations):
        i += 1
    return i * number


def evaluate(x, iterations):
    # Returns what the Rust worker reports too: the result, and who ran it.
    result_item = count(x, iterations)
    return x, result_item, os.getpid(), socket.gethostname()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=10_000_000)
    args = parser.parse_args()
    if args.workers < 1 or args.items < 1 or args.iterations < 0:
        parser.error("--workers and --items must be at least 1, --iterations at least 0")
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        print('error: dask.distributed is not installed: pip install "dask[distributed]"',
              file=sys.stderr)
        sys.exit(2)

    number_list = list(range(1, args.items + 1))
    # One process per worker, one thread each: like the process pool, and
    # like the Rust workers (the GIL would serialize threads anyway).
    with LocalCluster(n_workers=args.workers, threads_per_worker=1,
                      processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        start_time = time.perf_counter()
        # pure=False: each call is its own task, even for equal arguments.
        futures = client.map(evaluate, number_list,
                             iterations=args.iterations, pure=False)
        for future in as_completed(futures):
            item, result, pid, host = future.result(timeout=60)
            print(f"Item {item}, result {result} (pid {pid}@{host})")
        print(f"Distributed execution in {time.perf_counter() - start_time:.3f} seconds"
              f" on {args.workers} workers")


if __name__ == "__main__":
    main()
