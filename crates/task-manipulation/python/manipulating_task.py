"""What you can do with an asyncio task: create, await, gather, wait, cancel, time out, schedule.

Which program: the chapter's task-manipulation examples, circulating as
`manipulating_task.py` and `asyncioTaskManipulation.py` (not the book's
`asyncio_task_manipulation.py`: that one is the factorial, fibonacci and
binomial program of the asyncio-tasks crate). The chapter only describes
this program; this is the program it describes, written for this project.
Its Rust port, to read beside it part by part, is `src/port.rs` of the
task-manipulation crate (`worker` and `part_cancel` in `src/cancel.rs`,
`part_exceptions`, `part_timeout` and `part_scheduler` in
`src/exceptions.rs`, `src/timeout.rs` and `src/scheduler.rs`).

    python3 manipulating_task.py                      # every part, about 50 s
    python3 manipulating_task.py --speed 10           # the same, 10 times faster
    python3 manipulating_task.py --part cancel        # one part alone
    python3 manipulating_task.py --part scheduler --task a=1 --task b=2:a --task c=1:a --task d=1:b,c

Every part is built from one kind of job: it prints `started`, awaits
`asyncio.sleep` (standing for I/O), computes `cube(n)` and prints `done`;
if it is cancelled at its await, it prints `cancelled` and lets the
CancelledError go on. The parts (`--part`, default all, in this order):

- create: `asyncio.create_task`, `task.done()`, `await task`, while main
  does work of its own;
- gather: `gather` returns results in argument order, whatever the order
  the jobs finish in; `as_completed` hands them back in completion order;
- first-completed: `asyncio.wait(..., return_when=FIRST_COMPLETED)`; the
  pending tasks keep running; `task.cancel()` for the last one;
- exceptions: `gather(..., return_exceptions=True)` with a job that raises
  and one with a bug; the healthy job finishes; without return_exceptions
  the first exception propagates and the other task keeps running;
- cancel: `task.cancel()` on a ten-step worker after 2.5 steps; the task
  sees CancelledError at the await it was suspended in;
- timeout: `asyncio.wait_for` in time, and timing out (it cancels the job);
  with `asyncio.shield`, a timeout that leaves the task running;
- sequential: three jobs one after another (the sum of their times), then
  together with `gather` (the longest);
- scheduler: tasks with prerequisites (`--task NAME=SECONDS[:PREREQ,...]`),
  run one at a time in dependency order, then each as soon as its
  prerequisites are done (each task awaits its prerequisites' tasks).

Standard library only. Written for Python 3.11+: `asyncio.TimeoutError` is
the built-in `TimeoutError` since 3.11 (earlier, `wait_for` raised a
distinct class). `--speed`, `--part` and `--task` are the Rust port's flags,
with the same meanings; every time printed is a real (scaled) one. Lines
are labelled like the Rust port's: elapsed time, who, the message.
"""

import argparse
import asyncio
import graphlib
import re
import time

SPEED = 1.0  # set from --speed
T0 = time.perf_counter()


def say(who, message):
    print("[%8.3fs] %-14s | %s" % (time.perf_counter() - T0, who, message))


def pace(seconds):
    """A demo duration, scaled by --speed."""
    return seconds / SPEED


def cube(n):
    return n * n * n


async def job(name, seconds, n):
    say(name, "started, waits %.3f s" % pace(seconds))
    try:
        await asyncio.sleep(pace(seconds))
    except asyncio.CancelledError:
        say(name, "cancelled: CancelledError at its await")
        raise
    value = cube(n)
    say(name, "done: cube(%s) = %s" % (n, value))
    return value


async def part_create():
    say("main", "===== create_task and await =====")
    task = asyncio.create_task(job("coffee", 2, 3))
    say("main", "created; task.done() = %s" % task.done())
    await job("main-work", 0.5, 1)
    say("main", "own work done; now await task")
    say("main", "awaited the task: result %s" % await task)


# (name, seconds, n), in argument order: they finish fast, medium, slow.
RACE = [("slow", 3, 1), ("fast", 1, 2), ("medium", 2, 3)]


async def indexed(i, awaitable):
    return i, await awaitable


async def part_gather():
    say("main", "===== gather: results in argument order =====")
    results = await asyncio.gather(*(job(*spec) for spec in RACE))
    say("main", "gather -> %s (argument order)" % results)
    say("main", "as_completed: results in completion order, then re-ordered")
    slots = [None] * len(RACE)
    for next_done in asyncio.as_completed([indexed(i, job(*s)) for i, s in enumerate(RACE)]):
        i, value = await next_done
        say("main", "as_completed -> %s (argument #%s) = %s" % (RACE[i][0], i, value))
        slots[i] = value
    say("main", "as_completed re-ordered -> %s" % slots)


async def part_first_completed():
    say("main", "===== wait(FIRST_COMPLETED) =====")
    tasks = {asyncio.create_task(job(*spec), name=spec[0]): spec[0] for spec in RACE}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for t in done:
        say("main", "first completed -> %s = %s" % (tasks[t], t.result()))
    say("main", "%s still pending, and still running: wait once more" % len(pending))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    for t in done:
        say("main", "first completed -> %s = %s" % (tasks[t], t.result()))
    say("main", "for t in pending: t.cancel() (%s task)" % len(pending))
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    say("main", "cancelled: %s" % ", ".join(tasks[t] for t in pending if t.cancelled()))


async def failing(name, seconds):
    say(name, "started, waits %.3f s; will raise ValueError" % pace(seconds))
    await asyncio.sleep(pace(seconds))
    raise ValueError("%s: bad input (on purpose)" % name)


async def buggy(name, seconds):
    say(name, "started, waits %.3f s; has a bug" % pace(seconds))
    await asyncio.sleep(pace(seconds))
    return 1 / 0  # the bug: ZeroDivisionError


def outcome(result):
    if isinstance(result, BaseException):
        return "raised %s: %s" % (type(result).__name__, result)
    return "returned %s" % result


async def part_exceptions():
    say("main", "===== exceptions: one task fails, the others finish =====")
    say("main", "gather(..., return_exceptions=True): one result per task")
    names = ["healthy", "failing", "buggy"]
    results = await asyncio.gather(
        job("healthy", 1, 2), failing("failing", 0.5), buggy("buggy", 0.75), return_exceptions=True
    )
    for name, result in zip(names, results):
        say("main", "%s: %s" % (name, outcome(result)))
    say("main", "the failure and the bug did not stop the healthy task")
    say("main", "gather(...) without return_exceptions: the first exception propagates")
    healthy = asyncio.create_task(job("healthy-2", 1, 2))
    try:
        await asyncio.gather(healthy, failing("failing-2", 0.5))
    except ValueError as error:
        say("main", "gather raised ValueError: %s; healthy-2 still running: %s" % (error, not healthy.done()))
    say("main", "await healthy-2 -> %s (gather did not cancel it)" % await healthy)


async def worker(steps):
    try:
        for step in range(1, steps + 1):
            await asyncio.sleep(pace(1))
            say("worker", "step %s of %s done" % (step, steps))
    except asyncio.CancelledError:
        say("worker", "cancelled: CancelledError at its await")
        raise


async def part_cancel():
    say("main", "===== cancel =====")
    say("main", "create a 10-step worker (%.3f s a step), cancel it after %.3f s" % (pace(1), pace(2.5)))
    task = asyncio.create_task(worker(10))
    await asyncio.sleep(pace(2.5))
    say("main", "task.cancel()")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        say("main", "await task raised CancelledError; task.cancelled() = %s" % task.cancelled())


async def part_timeout():
    say("main", "===== wait_for: timeouts =====")
    say("main", "wait_for(job %.3f s, timeout=%.3f s)" % (pace(1), pace(2)))
    say("main", "in time: %s" % await asyncio.wait_for(job("quick", 1, 4), timeout=pace(2)))
    say("main", "wait_for(job %.3f s, timeout=%.3f s)" % (pace(5), pace(2)))
    try:
        await asyncio.wait_for(job("late", 5, 5), timeout=pace(2))
    except TimeoutError:
        say("main", "TimeoutError: wait_for cancelled the job")
    say("main", "wait_for(shield(task), timeout=%.3f s) on a %.3f s task" % (pace(2), pace(5)))
    task = asyncio.create_task(job("spawned", 5, 6))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=pace(2))
    except TimeoutError:
        say("main", "timed out, but the task is still running: %s; cancel it" % (not task.done()))
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    say("main", "the task was cancelled: %s" % task.cancelled())


THREE = [("one", 1, 1), ("two", 2, 2), ("three", 3, 3)]


async def part_sequential():
    say("main", "===== sequential versus concurrent =====")
    say("main", "sequential: await each job before starting the next")
    start = time.perf_counter()
    for spec in THREE:
        await job(*spec)
    say("main", "sequential took %.3f s (the sum)" % (time.perf_counter() - start))
    say("main", "concurrent: all three at once with gather")
    start = time.perf_counter()
    await asyncio.gather(*(job(*spec) for spec in THREE))
    say("main", "concurrent took %.3f s (the longest)" % (time.perf_counter() - start))


# ---- the scheduler -------------------------------------------------------

EXAMPLE = ["download=2", "parse=1:download", "thumbnails=3:download", "index=1:parse",
           "publish=1:index,thumbnails"]
NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_task(text):
    """NAME=SECONDS[:PREREQ,PREREQ...] -> (name, seconds, [prereqs])."""
    usage = "expected NAME=SECONDS[:PREREQ,PREREQ...], e.g. `index=1:parse`"
    name, eq, rest = text.partition("=")
    seconds, _, needs = rest.partition(":")
    needs = [n.strip() for n in needs.split(",") if n.strip()]
    if not eq or not NAME.match(name) or not all(NAME.match(n) for n in needs):
        raise argparse.ArgumentTypeError("`%s`: %s" % (text, usage))
    try:
        seconds = float(seconds)
    except ValueError:
        raise argparse.ArgumentTypeError("`%s`: %s" % (text, usage)) from None
    if not seconds >= 0:
        raise argparse.ArgumentTypeError("`%s`: seconds must be 0 or more" % text)
    return name, seconds, needs


def check_graph(tasks):
    """None if the graph is runnable, else what is wrong with it."""
    names = [name for name, _, _ in tasks]
    for name in names:
        if names.count(name) > 1:
            return "task `%s` is defined twice" % name
    for name, _, needs in tasks:
        for need in needs:
            if need not in names:
                return "task `%s` needs `%s`, which is not a task" % (name, need)
    try:
        graphlib.TopologicalSorter({name: needs for name, _, needs in tasks}).prepare()
    except graphlib.CycleError as error:
        # graphlib lists the cycle prerequisite first; say it as "needs".
        return "cyclic dependency: %s" % " -> ".join(reversed(error.args[1]))
    return None


def order(tasks):
    """Repeatedly take the first task, in the order given, whose prerequisites are done."""
    done = []
    while len(done) < len(tasks):
        done.append(next(t for t in tasks if t not in done and all(n in [d[0] for d in done] for n in t[2])))
    return done


async def run_task(name, seconds):
    say(name, "start (%.3f s)" % pace(seconds))
    await asyncio.sleep(pace(seconds))
    say(name, "done")


def overlapping(spans):
    runs = sorted(spans.items(), key=lambda kv: kv[1])
    return ["%s + %s" % (a, b) for i, (a, (a0, a1)) in enumerate(runs)
            for b, (b0, b1) in runs[i + 1:] if a0 < b1 and b0 < a1]


async def part_scheduler(tasks):
    say("main", "===== a simple scheduler =====")
    in_order = order(tasks)
    say("scheduler", "one at a time, in dependency order: %s" % ", ".join(t[0] for t in in_order))
    start = time.perf_counter()
    for name, seconds, _ in in_order:
        await run_task(name, seconds)
    say("scheduler", "took %.3f s (the sum)" % (time.perf_counter() - start))

    say("scheduler", "each task as soon as its prerequisites are done")
    start = time.perf_counter()
    running, spans = {}, {}

    async def when_ready(name, seconds, needs):
        if needs:
            await asyncio.gather(*(running[n] for n in needs))
            say("scheduler", "%s is ready" % name)
        began = time.perf_counter() - start
        await run_task(name, seconds)
        spans[name] = (began, time.perf_counter() - start)

    for name, seconds, needs in tasks:
        running[name] = asyncio.create_task(when_ready(name, seconds, needs))
    await asyncio.gather(*running.values())
    together = overlapping(spans)
    say("scheduler", "took %.3f s (the longest chain); ran together: %s"
        % (time.perf_counter() - start, ", ".join(together) or "none"))


PARTS = {
    "create": part_create,
    "gather": part_gather,
    "first-completed": part_first_completed,
    "exceptions": part_exceptions,
    "cancel": part_cancel,
    "timeout": part_timeout,
    "sequential": part_sequential,
}


async def main(part, tasks):
    for name, run in PARTS.items():
        if part in ("all", name):
            await run()
    if part in ("all", "scheduler"):
        await part_scheduler(tasks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="all", choices=["all", *PARTS, "scheduler"],
                        help="which part to run (default: all of them, in order)")
    parser.add_argument("--speed", type=float, default=1.0, metavar="FACTOR",
                        help="run N times faster than real time: waits are divided by N (default 1)")
    parser.add_argument("--task", type=parse_task, action="append", metavar="NAME=SECS[:NEEDS]",
                        help="a task for the scheduler part (repeat the flag; default: a small "
                             "publishing pipeline)")
    args = parser.parse_args()
    if not args.speed > 0:
        parser.error("--speed must be more than 0")
    tasks = args.task or [parse_task(t) for t in EXAMPLE]
    problem = check_graph(tasks)
    if problem:
        parser.error(problem)
    SPEED = args.speed
    asyncio.run(main(args.part, tasks))
