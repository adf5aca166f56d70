"""CPU-bound work off the event loop with run_in_executor, while HTTP I/O stays on it; futures both ways.

Which program: the chapter's "asyncio and futures" section on combining
asyncio with concurrent.futures, circulating as `asyncioAndFuture.py` (not
the book's `asyncio_and_futures.py`: that one is the two-coroutine program
of the basic-coroutines crate). The chapter only describes this program;
this is the program it describes, written for this project beside its
Rust port, the asyncio-and-futures crate.

    python3 asyncio_and_executors.py                             # every mode, then futures both ways
    python3 asyncio_and_executors.py --mode direct --part table  # the mistake, alone
    python3 asyncio_and_executors.py --requests 40 --concurrency 4 --jobs 3 --iterations 200000

What it does:
1. An HTTP server on 127.0.0.1 (a random free port), on an event loop of
   its own in a thread of its own: it stands for the remote web site, so the
   latencies below are the client's own. It answers `GET /echo/<n>` with
   `echo <n>`, keeping connections alive.
2. For each `--mode`, on the program's event loop and at the same moment:
   `--jobs` CPU-bound jobs (job k computes `count(k, iterations)` =
   `k * iterations` with a real loop); `--requests` HTTP requests over
   `--concurrency` keep-alive connections, every answer checked and every
   latency timed from the moment the request was due; and a ticker that
   wakes every millisecond and counts its ticks while a job is running.
   The modes:
     direct            `count(...)` called inside a coroutine: the mistake;
                       the loop runs nothing else until it returns
     default-executor  `await loop.run_in_executor(None, count, ...)`: the
                       loop's default ThreadPoolExecutor
     thread-pool       `await loop.run_in_executor(ThreadPoolExecutor(--pool-workers), ...)`
     process-pool      `await loop.run_in_executor(ProcessPoolExecutor(--pool-workers), ...)`
   Then a table: responses, latency p50/p99/max, when the jobs were done,
   ticks seen while jobs ran, whether every result was right, and whether
   any task was left on the loop.
3. Futures both ways: `asyncio.wrap_future` turns the process pool's
   `concurrent.futures.Future` into an awaitable (awaited in time, then
   with a timeout that stops the waiting but not the job);
   `asyncio.run_coroutine_threadsafe` hands a coroutine to the loop from a
   plain thread, which waits with `future.result(timeout)` (in time, then
   timing out and cancelling the task).
4. Shutdown: the server stops and its port refuses connections; the pools
   are shut down and their worker processes are gone.

Standard library only, Python 3.11+. The chapter's example makes its HTTP
requests with aiohttp, which is not part of the standard library: here the
client and the server are a few lines each on asyncio's streams
(`asyncio.open_connection`, `asyncio.start_server`), speaking just enough
HTTP/1.1 for `GET /echo/<n>`. The process pool starts its workers with
"spawn", not "fork" (Linux's default up to 3.13): a forked worker inherits
the program's open sockets, so the server's listening socket would go on
accepting connections after the server closed it; and forking a process
that has threads (the server's, the executors') is deprecated since 3.12
(`os.fork` warns that the child may deadlock).

The flags are the Rust port's, with the same meanings, where they apply:
`--requests`, `--concurrency`, `--jobs`, `--iterations`, `--mode`,
`--pool-workers`, `--part`. The modes keep asyncio's names: the Rust port's
`spawn-blocking` is `default-executor` here and its `rayon` is
`thread-pool`. `--iterations` defaults to 10,000,000 (the chapter's count
size; the Rust port's default, 200,000,000, takes its compiled loop a
similar time). `--runtime`, `--flavor` and `--workers` do not exist here:
asyncio has one event loop, on one thread.
"""

import argparse
import asyncio
import concurrent.futures
import multiprocessing
import os
import re
import threading
import time

T0 = time.perf_counter()
MODES = ["direct", "default-executor", "thread-pool", "process-pool"]


def say(who, message):
    # One string, newline included: the server thread prints too.
    print("[%8.3fs] %-14s | %s\n" % (time.perf_counter() - T0, who, message), end="", flush=True)


def count(number, iterations):
    i = 0
    for _ in range(iterations):
        i += 1
    return i * number


def count_job(k, iterations, parent_pid):
    """One job; says where it ran. Top level, so a process pool can pickle it."""
    start = time.perf_counter()
    result = count(k, iterations)
    pid = os.getpid()
    where = "pid %s" % pid if pid != parent_pid else threading.current_thread().name
    return k, result, where, time.perf_counter() - start


# ---- the server: the remote site, on a loop of its own -------------------


class Server:
    """An HTTP/1.1 echo server on 127.0.0.1, run by its own thread and loop.

    `requests` and `connections` are counted by that thread and read by the
    main thread only after `stop()` has joined it."""

    def __init__(self):
        self.started = threading.Event()
        self.requests = self.connections = 0
        self.thread = threading.Thread(target=asyncio.run, args=(self.serve(),), name="http-server")
        self.thread.start()
        if not self.started.wait(timeout=10):
            raise RuntimeError("the HTTP server did not start")

    async def serve(self):
        self.loop = asyncio.get_running_loop()
        self.stopping = asyncio.Event()
        server = await asyncio.start_server(self.connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self.started.set()
        async with server:  # closes the listening socket on the way out
            await self.stopping.wait()

    async def connection(self, reader, writer):
        self.connections += 1
        try:
            while request_line := await reader.readline():
                while await reader.readline() not in (b"\r\n", b""):
                    pass  # the request's headers: nothing in them matters here
                match = re.fullmatch(rb"GET /echo/(\d+) HTTP/1\.1\r\n", request_line)
                status, body = ("200 OK", b"echo " + match[1]) if match else ("404 Not Found", b"")
                head = "HTTP/1.1 %s\r\nContent-Length: %s\r\n\r\n" % (status, len(body))
                writer.write(head.encode() + body)
                await writer.drain()
                self.requests += 1
        except ConnectionError:
            pass
        finally:
            writer.close()

    def stop(self):
        self.loop.call_soon_threadsafe(self.stopping.set)  # the only thread-safe way in
        self.thread.join()


async def get(reader, writer, n):
    """GET /echo/<n> on an open connection; True if the answer was `echo <n>`."""
    writer.write(b"GET /echo/%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % n)
    await writer.drain()
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status.split()[1:2] == [b"200"] and body == b"echo %d" % n


# ---- one mode: jobs, requests and the ticker at once ---------------------


class Run:
    """What one mode's run measured. Written by the lanes, the jobs and the
    ticker, all coroutines on the loop's one thread: no lock is needed."""

    def __init__(self):
        self.latencies = []  # seconds per request, from when it was due
        self.answered = 0  # answers that were `echo <n>`
        self.jobs_running = 0  # jobs started and not yet done
        self.ticks = 0  # ticker wake-ups seen while jobs_running > 0


async def lane(port, numbers, run, start):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    due = start  # a request is due when the previous answer arrived
    for n in numbers:
        # Not `run.answered += await get(...)`: that reads run.answered
        # before the await and writes it back after, losing the other lanes'
        # counts in between.
        ok = await get(reader, writer, n)
        run.answered += ok
        now = time.perf_counter()
        run.latencies.append(now - due)
        due = now
    writer.close()
    await writer.wait_closed()


async def ticker(run, stop):
    while not stop.is_set():
        await asyncio.sleep(0.001)
        run.ticks += run.jobs_running > 0


async def job(mode, k, args, pools, run):
    if mode == "direct":
        # The mistake: a CPU loop inside a coroutine. Nothing else on the
        # loop runs until it returns, so jobs_running is never seen above 0.
        run.jobs_running += 1
        outcome = count_job(k, args.iterations, os.getpid())
        run.jobs_running -= 1
    else:
        loop = asyncio.get_running_loop()
        run.jobs_running += 1
        try:
            outcome = await loop.run_in_executor(pools[mode], count_job, k, args.iterations, os.getpid())
        finally:
            run.jobs_running -= 1
    k, result, where, seconds = outcome
    say(where, "job %s done: count = %s (loop took %.3fs)" % (k, result, seconds))
    return outcome


def percentile(sorted_values, p):
    """Nearest rank."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


async def run_mode(mode, args, port, pools):
    say("main", "mode %s: start" % mode)
    run, stop = Run(), asyncio.Event()
    start = time.perf_counter()
    tick = asyncio.create_task(ticker(run, stop))
    numbers = range(args.requests)
    lanes = [asyncio.create_task(lane(port, numbers[i::args.concurrency], run, start))
             for i in range(args.concurrency)]
    outcomes = await asyncio.gather(*(job(mode, k, args, pools, run) for k in range(1, args.jobs + 1)))
    jobs_done = time.perf_counter() - start
    await asyncio.gather(*lanes)
    stop.set()
    await tick
    left = len(asyncio.all_tasks()) - 1  # all but this one
    lat = sorted(run.latencies)
    row = {
        "mode": mode,
        "responses": "%s/%s" % (run.answered, args.requests),
        "p50": "%.1f ms" % (percentile(lat, 50) * 1000),
        "p99": "%.1f ms" % (percentile(lat, 99) * 1000),
        "max": "%.1f ms" % (lat[-1] * 1000),
        "jobs done": "%.3f s" % jobs_done,
        "ticks/jobs-ms": "%s/%s" % (run.ticks, round(jobs_done * 1000)),
        "results": "ok" if all(r == k * args.iterations for k, r, _, _ in outcomes) else "WRONG",
        "tasks left": "none" if left == 0 else str(left),
    }
    say("main", "mode %s: %s responses, p50 %s, p99 %s, jobs done after %s"
        % (mode, row["responses"], row["p50"], row["p99"], row["jobs done"]))
    return row, {where for _, _, where, _ in outcomes}


def table(rows):
    """Columns as wide as their widest cell; the numbers right-aligned."""
    cells = [list(rows[0])] + [list(row.values()) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    for line in cells:
        text = "  ".join(c.rjust(w) if 0 < i < 7 else c.ljust(w)
                         for i, (c, w) in enumerate(zip(line, widths)))
        print(text.rstrip(), flush=True)


# ---- futures both ways ---------------------------------------------------


async def part_futures(args, port, process_pool):
    say("main", "futures both ways: await a process pool's future (asyncio.wrap_future), timeout 10 s")
    future = process_pool.submit(count_job, 1, args.iterations, os.getpid())
    _, result, where, seconds = await asyncio.wait_for(asyncio.wrap_future(future), timeout=10)
    say("main", "in time: count = %s from %s (loop took %.3fs)" % (result, where, seconds))

    say("main", "again with a job 10 times longer and a timeout of 1 ms")
    started = time.perf_counter()
    wrapped = asyncio.wrap_future(process_pool.submit(count_job, 1, 10 * args.iterations, os.getpid()))
    try:
        # shield: on timeout wait_for cancels the shield, not `wrapped`, so
        # the result can still be collected. (Cancelling `wrapped` would
        # cancel the pool's future, which stops a job only if it has not
        # started: a running job cannot be stopped.)
        await asyncio.wait_for(asyncio.shield(wrapped), timeout=0.001)
        say("main", "in time (the machine is fast)")
    except TimeoutError:
        _, result, _, _ = await wrapped
        say("main", "timed out: the wait stopped, the job did not; it finished after %.3fs with "
            "count = %s" % (time.perf_counter() - started, result))

    loop = asyncio.get_running_loop()

    async def fetch(n, delay=0.0):
        await asyncio.sleep(delay)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        ok = await get(reader, writer, n)
        writer.close()
        await writer.wait_closed()
        return "echo %s" % n if ok else "a wrong answer"

    def plain_thread():
        say("plain-thread", "run_coroutine_threadsafe(fetch /echo/42), then .result(timeout=10)")
        future = asyncio.run_coroutine_threadsafe(fetch(42), loop)
        say("plain-thread", "result: %s" % future.result(timeout=10))
        say("plain-thread", "run_coroutine_threadsafe(sleep 10 s, then fetch), then .result(timeout=0.02)")
        future = asyncio.run_coroutine_threadsafe(fetch(43, delay=10), loop)
        try:
            future.result(timeout=0.02)
        except TimeoutError:  # concurrent.futures.TimeoutError is TimeoutError since 3.11
            # Cancelling this future cancels the task on the loop, at its sleep.
            say("plain-thread", "TimeoutError; future.cancel() = %s: the task is cancelled at its "
                "sleep" % future.cancel())

    thread = threading.Thread(target=plain_thread, name="plain-thread")
    thread.start()
    # The loop must keep running while the thread waits for it: join the
    # thread on the default executor, not here.
    await loop.run_in_executor(None, thread.join)
    await asyncio.sleep(0)  # let the cancelled task finish cancelling
    return where


# ---- the program -----------------------------------------------------------


async def main(args):
    server = Server()
    say("main", "HTTP server listening on http://127.0.0.1:%s (thread http-server)" % server.port)
    pools = {
        "default-executor": None,  # run_in_executor(None, ...): the loop's default executor
        "thread-pool": concurrent.futures.ThreadPoolExecutor(args.pool_workers, "thread-pool"),
        "process-pool": concurrent.futures.ProcessPoolExecutor(
            args.pool_workers, mp_context=multiprocessing.get_context("spawn")),
    }
    # Start the worker processes now, not inside the first process-pool run.
    for f in [pools["process-pool"].submit(os.getpid) for _ in range(args.pool_workers)]:
        f.result()
    say("main", "process pool: %s worker processes started (spawn)" % args.pool_workers)
    pids = set()  # the workers' pids, as the jobs report them
    say("main", "%s requests over %s connections while %s jobs count(k, %s) run"
        % (args.requests, args.concurrency, args.jobs, args.iterations))
    if args.part in ("table", "all"):
        rows = []
        for mode in MODES if args.mode == "all" else [args.mode]:
            row, places = await run_mode(mode, args, server.port, pools)
            rows.append(row)
            pids |= {p for p in places if p.startswith("pid ")}
        table(rows)
    if args.part in ("futures", "all"):
        pids.add(await part_futures(args, server.port, pools["process-pool"]))

    server.stop()
    try:
        await asyncio.open_connection("127.0.0.1", server.port)
        port_state = "still open"
    except ConnectionRefusedError:
        port_state = "closed (connect refused)"
    say("main", "server stopped: %s requests on %s connections; port %s %s"
        % (server.requests, server.connections, server.port, port_state))
    pools["thread-pool"].shutdown(wait=True)
    pools["process-pool"].shutdown(wait=True)
    alive = [p for p in sorted(pids) if os.path.exists("/proc/%s" % p.split()[1])]
    say("main", "process pool shut down: workers %s, %s still alive" % (", ".join(sorted(pids)) or "none",
                                                                          len(alive)))


def at_least_1(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %s" % value)
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=at_least_1, default=1000, help="requests to send in all (default 1000)")
    parser.add_argument("--concurrency", type=at_least_1, default=20,
                        help="requests in flight at once, one keep-alive connection each; at most --requests "
                             "(default 20)")
    parser.add_argument("--jobs", type=at_least_1, default=4,
                        help="CPU-bound jobs; job k computes count(k, iterations) (default 4)")
    parser.add_argument("--iterations", type=at_least_1, default=10_000_000,
                        help="steps of each job's loop (default 10,000,000)")
    parser.add_argument("--mode", default="all", choices=[*MODES, "all"], help="how the jobs run (default all)")
    parser.add_argument("--pool-workers", type=at_least_1, default=2,
                        help="threads of the thread pool, and worker processes of the process pool (default 2)")
    parser.add_argument("--part", default="all", choices=["table", "futures", "all"],
                        help="the experiment and its table, futures both ways, or both (default all)")
    args = parser.parse_args()
    if args.concurrency > args.requests:
        parser.error("--concurrency %s is more than --requests %s" % (args.concurrency, args.requests))
    asyncio.run(main(args))
