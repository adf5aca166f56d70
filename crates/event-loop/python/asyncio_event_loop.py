"""Callbacks task A, B and C on an event loop, each blocking it: the chapter's event-loop program.

Which program: the chapter's event-loop program, circulating as
`asyncio_event_loop.py` (the book's name) and `asyncioEventLoop.py`. Its
Rust port is the event-loop crate.

    python3 asyncio_event_loop.py              # the chapter's run: about 60 s
    python3 asyncio_event_loop.py --speed 10   # the same in about 6 s

The loop runs task A at once (`call_soon`) and sets `end_time` to
`loop.time() + 60`. Each callback prints that it was called, blocks the
loop with `time.sleep(randint(0, 5))`, then schedules the next one 1 s later
(A -> B -> C -> A ...) with `loop.call_later`, or, once
`loop.time() + 1 >= end_time`, stops the loop.

Kept from the original, on purpose: `time.sleep` inside a callback blocks
the whole loop, so nothing else on it runs meanwhile and every timer that
falls due during the block runs late. (The chain itself is never late: each
callback schedules the next one after its own block.) The block times are
whole seconds, `randint(0, 5)`, scaled by --speed.

What a current Python (3.11+) needed:
- `loop = asyncio.get_event_loop()` with no running loop is deprecated
  (3.10 to 3.13; 3.14 raises): `asyncio.new_event_loop()` makes the loop,
  which this program needs itself (`run_forever`, `stop`), and
  `loop.close()` closes it, as in the original.
- `--speed`, `--seed` and `--duration` are new (the Rust port's flags):
  `--speed N` divides every wait and every block by N; `--seed` makes the
  block times replayable (without it they are unseeded, as in the chapter;
  the Rust port's default seed is 1, and its ChaCha8 draws differ from
  Python's `random` for the same seed); `--duration` is the 60 s.
"""

import argparse
import asyncio
import random
import time

SPEED = 1.0  # set from --speed: every wait and block is divided by it


def task_A(end_time, loop):
    print("task_A called")
    time.sleep(random.randint(0, 5) / SPEED)  # blocks the loop
    if (loop.time() + 1.0 / SPEED) < end_time:
        loop.call_later(1 / SPEED, task_B, end_time, loop)
    else:
        loop.stop()


def task_B(end_time, loop):
    print("task_B called")
    time.sleep(random.randint(0, 5) / SPEED)
    if (loop.time() + 1.0 / SPEED) < end_time:
        loop.call_later(1 / SPEED, task_C, end_time, loop)
    else:
        loop.stop()


def task_C(end_time, loop):
    print("task_C called")
    time.sleep(random.randint(0, 5) / SPEED)
    if (loop.time() + 1.0 / SPEED) < end_time:
        loop.call_later(1 / SPEED, task_A, end_time, loop)
    else:
        loop.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0, metavar="FACTOR",
                        help="run N times faster: every wait and every block is divided by N (default 1)")
    parser.add_argument("--seed", type=int, help="seed of the random block times (default: unseeded)")
    parser.add_argument("--duration", type=float, default=60.0, metavar="SECONDS",
                        help="seconds until the end time (default 60)")
    args = parser.parse_args()
    if not args.speed > 0:
        parser.error("--speed must be more than 0")
    if not args.duration > 0:
        parser.error("--duration must be more than 0")
    if args.seed is not None:
        random.seed(args.seed)
    SPEED = args.speed

    loop = asyncio.new_event_loop()
    end_loop = loop.time() + args.duration / SPEED
    loop.call_soon(task_A, end_loop, loop)
    loop.run_forever()
    loop.close()
