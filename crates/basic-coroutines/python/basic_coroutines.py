"""Two coroutines, two futures, two done-callbacks: the chapter's first asyncio program.

Which program: the chapter's "asyncio and futures" recipe. It circulates as
`asyncio_and_futures.py` (the book's name; not to be confused with the
asyncio-and-futures crate, which ports another program) and as
`basic_coroutines.py`. Its Rust port is the basic-coroutines crate.

    python3 basic_coroutines.py 5 10               # the chapter's run: about 4 s
    python3 basic_coroutines.py 5 10 --delay 0.1   # the same, each wait 0.1 s

The first coroutine computes "the sum of N integers" for NUM1, the second
NUM2!; each then sleeps 4 s (--delay) and sets its future's result; a
done-callback prints each result. The two sleeps overlap: about 4 s in all.

Kept from the original, on purpose:
- the "sum" loop only counts to N (`count += 1`), so `5` prints 5, not 15
  (the Rust port computes the real sum, 15);
- no checks on the input: a negative NUM1 gives 0, a negative NUM2 gives 1.

What a current Python (3.11+) needed:
- `@asyncio.coroutine` and `yield from asyncio.sleep(4)` were removed in
  3.11: `async def` and `await asyncio.sleep(...)`.
- `loop.run_until_complete(asyncio.wait([coro1, coro2]))` is refused since
  3.11 ("Passing coroutines is forbidden, use tasks explicitly"): the
  coroutines are wrapped in tasks with `asyncio.create_task`.
- `asyncio.get_event_loop()` outside a running loop is deprecated (3.10 to
  3.13) and so is `asyncio.Future()` created before the loop runs:
  `asyncio.run(main())` creates the loop, and the futures come from
  `loop.create_future()` inside it.
- Since 3.11 (and the security releases of 3.7 to 3.10), `str()` of an int
  of more than 4300 digits raises ValueError; 3000! has 9131 digits, so the
  limit is lifted with `sys.set_int_max_str_digits(0)` to print any
  factorial, as the chapter's Python did.
- `--delay` is new: the chapter's 4 s is its default.
"""

import argparse
import asyncio
import sys


async def first_coroutine(future, num, delay):
    count = 0
    for _ in range(1, num + 1):
        count += 1  # the original's quirk: counts, does not add
    await asyncio.sleep(delay)
    future.set_result("First coroutine (sum of N ints) result = %s" % count)


async def second_coroutine(future, num, delay):
    count = 1
    for i in range(2, num + 1):
        count *= i
    await asyncio.sleep(delay)
    future.set_result("Second coroutine (factorial) result = %s" % count)


def got_result(future):
    print(future.result())


async def main(num1, num2, delay):
    loop = asyncio.get_running_loop()
    future1 = loop.create_future()
    future2 = loop.create_future()
    future1.add_done_callback(got_result)
    future2.add_done_callback(got_result)
    tasks = [
        asyncio.create_task(first_coroutine(future1, num1, delay)),
        asyncio.create_task(second_coroutine(future2, num2, delay)),
    ]
    # The done-callbacks, scheduled by set_result, run before wait returns.
    await asyncio.wait(tasks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("num1", type=int, help="the first coroutine counts to NUM1")
    parser.add_argument("num2", type=int, help="the second coroutine computes NUM2!")
    parser.add_argument(
        "--delay",
        type=float,
        default=4.0,
        metavar="SECONDS",
        help="seconds each coroutine sleeps before setting its result (default 4)",
    )
    args = parser.parse_args()
    if args.delay < 0:
        parser.error("--delay must be 0 or more")
    sys.set_int_max_str_digits(0)
    asyncio.run(main(args.num1, args.num2, args.delay))
