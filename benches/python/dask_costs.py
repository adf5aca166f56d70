"""What a task costs on Dask, and its throughput with 1, 2 and 4 workers.

    python3 benches/python/dask_costs.py                  # measure (needs dask.distributed)
    python3 benches/python/dask_costs.py calibrate --item-seconds 0.0075

The Dask side of compare's queue section (benches/support/compare/queue.rs),
beside the NATS queue of crates/distributed-pool and the process pool. One
LocalCluster of worker processes (one thread each, as the process pool
and the queue's workers run one item at a time), started before the clock;
each figure runs on the first 1, 2 or 4 of its workers (Dask's `workers=`
restriction), so one cluster serves every figure.

Figures (seconds per task, or seconds):
  queue/dask/single       client.submit(count, i, 0).result(), one at a time, 1 worker
  queue/dask/in-flight    client.map(count, ...) then client.gather, 1 worker
  queue/dask/sequential   the throughput items one after another, in this process
  queue/dask/count/<w>    the same items with client.map + gather on <w> workers

`calibrate` imports dask.distributed and prints `queue/dask/available` (1, or
0 if it cannot be imported: compare then skips Dask) and, if it can,
`queue/dask/iterations`: the loop length at which one of this Python's
items lasts --item-seconds, as long as one of Rust's, so that Dask's
speedups are over items of the same duration as the other two engines'.
"""

import sys
import time

from report import Report, parser, positive, timed
from workloads import count


def calibrate(item_seconds, report):
    try:
        import dask.distributed  # noqa: F401
    except ImportError as error:
        print(f"dask_costs.py: cannot import dask.distributed: {error}", file=sys.stderr)
        report.total("queue/dask/available", 0, "dask.distributed is not importable")
        return
    report.total("queue/dask/available", 1, "dask.distributed is importable")
    probe = 200_000
    best = min(timed(count, 1, probe)[0] for _ in range(5))
    iterations = max(1, round(item_seconds / (best / probe)))
    # A loop length, not seconds: the driver reads it back as a number.
    print(f"queue/dask/iterations\t{iterations}" if report.tsv else
          f"loop length for {item_seconds * 1e3:.3f} ms an item: {iterations}", flush=True)


def check(results, items, iterations):
    expected = [x * iterations for x in items]
    if results != expected:
        raise SystemExit(f"dask_costs.py: wrong results: {results[:5]}... for {items[:5]}...")


def measure(args, report):
    from dask.distributed import Client, LocalCluster

    workers = sorted(set(args.workers))
    with LocalCluster(n_workers=max(workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(max(workers))
        addresses = sorted(client.scheduler_info()["workers"])
        first = addresses[:1]
        # Warm-up, not measured: each worker has run a task.
        for address in addresses:
            client.submit(count, 1, 0, pure=False, workers=[address]).result()

        # pure=False: every call is a task of its own (Dask would otherwise
        # reuse the result of an equal call).
        start = time.perf_counter()
        for i in range(args.single):
            got = client.submit(count, i, 0, pure=False, workers=first).result()
            check([got], [i], 0)
        report.per_task("queue/dask/single", time.perf_counter() - start, args.single,
                        "submit + result, one at a time, 1 worker")

        inputs = list(range(args.tasks))
        start = time.perf_counter()
        futures = client.map(count, inputs, [0] * args.tasks, pure=False, workers=first)
        check(client.gather(futures), inputs, 0)
        report.per_task("queue/dask/in-flight", time.perf_counter() - start, args.tasks,
                        "map + gather, 1 worker")

        items = list(range(1, args.items + 1))
        n = args.iterations
        seconds, results = timed(lambda: [count(x, n) for x in items])
        check(results, items, n)
        report.total("queue/dask/sequential", seconds, f"{args.items} items x count({n})")
        for w in workers:
            start = time.perf_counter()
            futures = client.map(count, items, [n] * len(items), pure=False,
                                 workers=addresses[:w])
            check(client.gather(futures), items, n)
            report.total(f"queue/dask/count/{w}", time.perf_counter() - start,
                         f"map + gather on {w} workers")


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("mode", nargs="?", choices=["measure", "calibrate"], default="measure")
    p.add_argument("--item-seconds", type=float, default=0.0075,
                   help="calibrate: how long one item should last (7.5 ms)")
    p.add_argument("--single", type=positive, default=100, help="tasks one at a time (100)")
    p.add_argument("--tasks", type=positive, default=500, help="tasks in flight (500)")
    p.add_argument("--items", type=positive, default=120, help="throughput items (120)")
    p.add_argument("--iterations", type=int, default=250_000,
                   help="throughput: each item's loop length (250,000)")
    p.add_argument("--workers", type=positive, nargs="+", default=[1, 2, 4], help="(1 2 4)")
    args = p.parse_args()
    if args.iterations < 0 or not args.item_seconds > 0:
        p.error("--iterations must be at least 0 and --item-seconds above 0")
    report = Report(args.tsv)
    if args.mode == "calibrate":
        calibrate(args.item_seconds, report)
    else:
        measure(args, report)


if __name__ == "__main__":
    main()
