"""What asyncio's machinery costs: tasks and timers on one event loop.

    python3 benches/python/asyncio_costs.py

Figures:
  async/spawn-cube           create_task + gather, per task (seconds/task)
  async/spawn-noop/<n>       create_task + gather of n no-op tasks (total)
  async/timers/<n>           n concurrent asyncio.sleep(0.01) tasks (total;
                             the ideal is 10 ms)

The loop is created once (asyncio.run) and not measured. The Rust
counterparts are in benches/support/machinery.rs.
"""

import asyncio
import time

from report import Report, parser, positive


async def cube(x):
    return x**3


async def noop():
    return None


async def measure(args, out):
    # A small unmeasured batch first, as the Rust side does: the loop's
    # first tasks pay for one-time set-up.
    await asyncio.gather(*[asyncio.create_task(cube(i)) for i in range(100)])

    n = args.tasks
    start = time.perf_counter()
    results = await asyncio.gather(*[asyncio.create_task(cube(i)) for i in range(n)])
    seconds = time.perf_counter() - start
    assert sum(results) == sum(i**3 for i in range(n))
    out.per_task("async/spawn-cube", seconds, n, "asyncio.create_task + gather")

    n = args.noop_tasks
    start = time.perf_counter()
    await asyncio.gather(*[asyncio.create_task(noop()) for _ in range(n)])
    seconds = time.perf_counter() - start
    out.total(f"async/spawn-noop/{n}", seconds, f"{n:,} no-op tasks, created and gathered")

    for n in args.timers:
        start = time.perf_counter()
        await asyncio.gather(*[asyncio.create_task(asyncio.sleep(0.010)) for _ in range(n)])
        seconds = time.perf_counter() - start
        out.total(f"async/timers/{n}", seconds, f"{n:,} concurrent 10 ms sleeps (ideal 10 ms)")


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--tasks", type=positive, default=10_000, help="cube tasks (10,000)")
    p.add_argument("--noop-tasks", type=positive, default=100_000, help="no-op tasks (100,000)")
    p.add_argument(
        "--timers", type=positive, nargs="+", default=[1_000, 10_000], help="(1000 10000)"
    )
    args = p.parse_args()
    asyncio.run(measure(args, Report(args.tsv)))


if __name__ == "__main__":
    main()
