"""The chapter's workloads, as its Python programs write them.

These are the functions the Rust side takes from the `common` crate
(`common::count`, `common::evaluate_item`, `common::cube`). They live in a
module of their own, not in the benchmark scripts, because
ProcessPoolExecutor sends a function to its workers *by name*: the workers
must be able to find it as `workloads.count`.
"""

# The chapter's loop length: `for i in range(0, 10000000)`.
CHAPTER_ITERATIONS = 10_000_000

# The chapter's items: `number_list = [1, 2, ..., 10]`.
CHAPTER_ITEMS = list(range(1, 11))


def count(number, iterations=CHAPTER_ITERATIONS):
    """The chapter's CPU-bound loop: `iterations` increments, then a multiply.

    CPython runs every iteration (it has no optimizer that could remove the
    loop), which is what the Rust side needs `black_box` for.
    """
    i = 0
    for i in range(0, iterations):
        i += 1
    return i * number


def evaluate(x, iterations=CHAPTER_ITERATIONS):
    """The chapter's `evaluate(item)`, returning its line instead of printing
    it (printing would be measured too, on one side only)."""
    return (x, count(x, iterations))


def cube(x):
    """The chapter's trivial task."""
    return x**3


def noop(_=None):
    """Does nothing: used to make a pool start its workers before timing."""
    return None
