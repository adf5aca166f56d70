"""A finite state machine made of coroutines: the chapter's FSM program.

Which program: the chapter's finite state machine, circulating as
`asyncio_coroutine.py` (the book's name), `finite_state_machine.py` and
`asyncioCoRoutine.py` (a name also given to the chapter's aiohttp
example, which the asyncio-and-futures crate ports). Its Rust port is the
fsm crate.

    python3 finite_state_machine.py                          # 1 s per state, as in the chapter
    python3 finite_state_machine.py --seed 7 --delay 0.01    # a replayable, fast walk

States start, 1, 2, 3 and end, each a coroutine that draws a random 0 or 1,
waits, and awaits the next state:

    start:   0 -> state 2, 1 -> state 1
    state 1: 0 -> state 3, 1 -> state 2
    state 2: 0 -> state 1, 1 -> state 3
    state 3: 0 -> state 1, 1 -> end

States 1, 2 and 3 print `...evaluating...` after their wait; the start state
prints none. Each state returns its line of the resume, built on the way
back up the chain of awaits, and the start state prints it all.

Kept from the original, on purpose: the waits are `time.sleep`, a blocking
call inside a coroutine, which freezes the event loop for every wait (here
nothing else runs on the loop, so nothing shows it; the Rust port's
`--blocking` and its ticker do). A correct program awaits
`asyncio.sleep(...)` instead.

What a current Python (3.11+) needed:
- `@asyncio.coroutine` and `result = yield from state2(...)` were removed
  in 3.11: `async def` and `result = await state2(...)`.
- `loop = asyncio.get_event_loop(); loop.run_until_complete(start_state())`
  warns (deprecated without a running loop, 3.10 to 3.13): `asyncio.run`.
- `--seed` and `--delay` are new. Without them the walk is unseeded and
  each state waits 1 s, as in the chapter. With the same seed, Python's
  `random` and the Rust port's ChaCha8 take different walks; both follow the
  table above.
"""

import argparse
import asyncio
import time
from random import randint, seed

DELAY = 1.0  # seconds per state; set from --delay


async def start_state():
    print("Start State called\n")
    input_value = randint(0, 1)
    time.sleep(DELAY)  # the original's blocking wait
    if input_value == 0:
        result = await state2(input_value)
    else:
        result = await state1(input_value)
    print("Resume of the Transition : \nStart State calling " + result)


async def state1(transition_value):
    output_value = "State 1 with transition value = %s\n" % transition_value
    input_value = randint(0, 1)
    time.sleep(DELAY)
    print("...evaluating...")
    if input_value == 0:
        result = await state3(input_value)
    else:
        result = await state2(input_value)
    return output_value + "State 1 calling %s" % result


async def state2(transition_value):
    output_value = "State 2 with transition value = %s\n" % transition_value
    input_value = randint(0, 1)
    time.sleep(DELAY)
    print("...evaluating...")
    if input_value == 0:
        result = await state1(input_value)
    else:
        result = await state3(input_value)
    return output_value + "State 2 calling %s" % result


async def state3(transition_value):
    output_value = "State 3 with transition value = %s\n" % transition_value
    input_value = randint(0, 1)
    time.sleep(DELAY)
    print("...evaluating...")
    if input_value == 0:
        result = await state1(input_value)
    else:
        result = await end_state(input_value)
    return output_value + "State 3 calling %s" % result


async def end_state(transition_value):
    output_value = "End State with transition value = %s\n" % transition_value
    print("...stop computation...")
    return output_value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, help="seed of the random draws (default: unseeded)")
    parser.add_argument(
        "--delay",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds each state waits (default 1)",
    )
    args = parser.parse_args()
    if args.delay < 0:
        parser.error("--delay must be 0 or more")
    if args.seed is not None:
        if args.seed < 0:
            parser.error("--seed must be 0 or more")
        seed(args.seed)
    DELAY = args.delay
    print("Finite State Machine simulation with Asyncio Coroutine")
    asyncio.run(start_state())
