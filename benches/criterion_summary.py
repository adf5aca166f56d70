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


def human(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    rows = []
    for bench in sorted(root.glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        if wanted not in meta["full_id"]:
            continue
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        median = estimates["median"]["point_estimate"]
        elements = (meta.get("throughput") or {}).get("Elements")
        per = human(median / elements) if elements else ""
        rows.append((meta["full_id"], human(median), per))
    if not rows:
        sys.exit(f"no criterion results under {root} matching {wanted!r}: run `cargo bench` first")
    print("| Benchmark | Median | Per element |")
    print("|---|---:|---:|")
    for full_id, median, per in rows:
        print(f"| {full_id} | {median} | {per} |")


if __name__ == "__main__":
    main()
