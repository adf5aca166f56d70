"""Prints the medians of the last `cargo bench` run as a Markdown table.

    python3 benches/criterion_summary.py            # every benchmark
    python3 benches/criterion_summary.py scaling    # ids containing "scaling"

Criterion keeps each benchmark's latest estimates in
target/criterion/<id>/new/estimates.json (times in nanoseconds) next to
benchmark.json (its id and throughput). For benchmarks with a throughput
in elements (the per-task ones), the table also gives the time per
element: the cost of one task. Standard library only.
"""

import json
import pathlib
import sys


ROOT = pathlib.Path(__file__).resolve().parent.parent


def estimates(wanted=""):
    """Yields (id, median in seconds, elements or None) for every benchmark
    of the last run whose id contains `wanted` (also used by
    check_targets.py)."""
    for bench in sorted((ROOT / "target" / "criterion").glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        if wanted in meta["full_id"]:
            est = json.loads((bench.parent / "estimates.json").read_text())
            elements = (meta.get("throughput") or {}).get("Elements")
            yield meta["full_id"], est["median"]["point_estimate"] / 1e9, elements


def human(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def main():
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    rows = [
        (full_id, human(median), human(median / elements) if elements else "")
        for full_id, median, elements in estimates(wanted)
    ]
    if not rows:
        sys.exit(f"no criterion results under {ROOT / 'target' / 'criterion'} matching {wanted!r}: run `cargo bench` first")
    print_table(("Benchmark", "Median", "Per element"), "|---|---:|---:|", rows)


def print_table(header, rule, rows):
    """Prints a Markdown table (also used by check_targets.py)."""
    for cells in (header, *rows):
        print(f"| {' | '.join(cells)} |")
        if cells is header:
            print(rule)


if __name__ == "__main__":
    main()
