"""factorial, fibonacci and binomial_coefficient as three concurrent tasks.

Which program: the chapter's asyncio.Task program, circulating as
`asyncio_task_manipulation.py` (the book's name; not to be confused with the
task-manipulation crate, which ports another program) and as
`asyncio_tasks.py`. Its Rust port is the asyncio-tasks crate.

    python3 asyncio_tasks.py                 # the chapter's run: about 10 s
    python3 asyncio_tasks.py --delay 0.01    # the same, 0.01 s per step

Each task prints a line per step and sleeps 1 s (--delay); the three take
turns at every `await`, so their lines interleave and the run takes about
the longest task (10 steps), not the sum (29).

Kept from the original, on purpose: binomial_coefficient divides with `/`,
which is float division in Python 3, so it prints `184756.0` (and for large
n and k, a float that has lost digits). The Rust port divides exactly.

What a current Python (3.11+) needed:
- `@asyncio.coroutine` and `yield from asyncio.sleep(1)` were removed in
  3.11: `async def` and `await asyncio.sleep(...)`.
- `asyncio.Task(coro)` before any loop runs, then
  `asyncio.get_event_loop().run_until_complete(asyncio.wait(tasks))`, is
  deprecated without a running loop (3.10 to 3.13): the tasks are made with
  `asyncio.create_task` inside `asyncio.run(main())`.
- Since 3.11, `str()` of an int of more than 4300 digits raises ValueError:
  `sys.set_int_max_str_digits(0)` lets `--factorial 2000` print every digit.
- `--delay`, `--factorial`, `--fibonacci`, `--binomial-n` and `--binomial-k`
  are new (the Rust port's flags); their defaults are the chapter's values.
"""

import argparse
import asyncio
import sys


async def factorial(number, delay):
    fact = 1
    for i in range(2, number + 1):
        print("Compute factorial(%s)" % i)
        await asyncio.sleep(delay)
        fact *= i
    print("factorial(%s) = %s" % (number, fact))


async def fibonacci(number, delay):
    a, b = 0, 1
    for i in range(number):
        print("Compute fibonacci(%s)" % i)
        await asyncio.sleep(delay)
        a, b = b, a + b
    print("fibonacci(%s) = %s" % (number, a))


async def binomial_coefficient(n, k, delay):
    result = 1
    for i in range(1, k + 1):
        result = result * (n - i + 1) / i  # the original's float division
        print("Compute binomial_coefficient(%s)" % i)
        await asyncio.sleep(delay)
    print("binomial_coefficient(%s, %s) = %s" % (n, k, result))


async def main(args):
    tasks = [
        asyncio.create_task(factorial(args.factorial, args.delay)),
        asyncio.create_task(fibonacci(args.fibonacci, args.delay)),
        asyncio.create_task(binomial_coefficient(args.binomial_n, args.binomial_k, args.delay)),
    ]
    await asyncio.wait(tasks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                        help="seconds each step sleeps (default 1)")
    parser.add_argument("--factorial", type=int, default=10, help="n for factorial(n) (default 10)")
    parser.add_argument("--fibonacci", type=int, default=10, help="n for fibonacci(n) (default 10)")
    parser.add_argument("--binomial-n", type=int, default=20,
                        help="n for binomial_coefficient(n, k) (default 20)")
    parser.add_argument("--binomial-k", type=int, default=10,
                        help="k for binomial_coefficient(n, k), its number of steps (default 10)")
    args = parser.parse_args()
    if args.delay < 0:
        parser.error("--delay must be 0 or more")
    sys.set_int_max_str_digits(0)
    asyncio.run(main(args))
