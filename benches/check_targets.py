"""Checks the targets of issue 7 against the last runs, as a Markdown table.

    cargo bench && cargo run --release --bin compare && python3 benches/check_targets.py

Reads criterion's medians (target/criterion/**/new/estimates.json) and the
samples of the last `compare` run (target/compare/samples.tsv, or the file
given as the first argument). A target whose figures are missing is listed
as "not measured". Standard library only.
"""

import pathlib
import statistics
import sys

from criterion_summary import ROOT, estimates, human as fmt, print_table


def criterion_medians():
    """Seconds, per element for throughput benchmarks."""
    return {full_id: median / (elements or 1) for full_id, median, elements in estimates()}


def compare_medians(path):
    samples = {}
    for line in path.read_text().splitlines()[1:]:
        side, figure, _round, seconds = line.split("\t")
        samples.setdefault((side, figure), []).append(float(seconds))
    return {key: statistics.median(values) for key, values in samples.items()}


def main():
    c = criterion_medians()
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/compare/samples.tsv"
    p = compare_medians(path) if path.exists() else {}
    rows = []

    def row(target, measured, ok):
        rows.append((target, measured, "yes" if ok else "**no**"))

    def missing(target):
        rows.append((target, "not measured", "-"))

    # 1. CPU-bound speedups (criterion `pooling`, both sizes).
    for size in ("count-10M", "count-100M"):
        seq = c.get(f"pooling/{size}/sequential")
        for name, goal in (
            ("std-scope/2", 1.8),
            ("thread-pool/2", 1.8),
            ("rayon/2", 1.8),
            ("process-pool/2", 1.8),
            ("process-pool+startup/2", 1.5),
        ):
            t = c.get(f"pooling/{size}/{name}")
            target = f"pooling {size}: {name} speedup >= {goal}x"
            if seq and t:
                row(target, f"{seq / t:.2f}x ({fmt(seq)} / {fmt(t)})", seq / t >= goal)
            else:
                missing(target)

    # 2. Per-task overhead (criterion `overhead`, per element).
    for name, goal in (
        ("overhead/cube/tokio-spawn/current-thread", 0.5e-6),
        ("overhead/cube/tokio-spawn/multi-thread/2", 0.5e-6),
        ("overhead/cube/async-std-spawn", 0.5e-6),
        ("overhead/cube/smol-spawn", 0.5e-6),
        ("overhead/cube/rayon-par_iter/2", 0.3e-6),
        ("overhead/cube/rayon-scope-spawn/2", 0.3e-6),
        ("overhead/cube/tokio-spawn_blocking", 10e-6),
        ("overhead/cube/async-std-spawn_blocking", 10e-6),
        ("overhead/cube/process-pool-submit/2", 5e-6),
        ("overhead/cube/process-pool-map/2-workers/chunksize/1", 5e-6),
        ("overhead/cube/process-pool-map/2-workers/chunksize/64", 0.2e-6),
        ("overhead/cube/process-pool-map/2-workers/chunksize/1024", 0.2e-6),
    ):
        target = f"{name.removeprefix('overhead/cube/')} <= {fmt(goal)} per task"
        if name in c:
            row(target, fmt(c[name]), c[name] <= goal)
        else:
            missing(target)
    for runtime in ("tokio-current-thread", "tokio-multi-thread"):
        name = f"machinery/timers-10ms/{runtime}/1000"
        target = f"1,000 concurrent 10 ms timers on {runtime} <= 13 ms (criterion)"
        if name in c:
            row(target, fmt(c[name]), c[name] <= 13e-3)
        else:
            missing(target)

    # 3. Python side by side (compare).
    def pair(target, py_id, rs_id, goal):
        py, rs = p.get(("Python", py_id)), p.get(("Rust", rs_id))
        if py and rs:
            row(target, f"{py / rs:.1f}x ({fmt(py)} / {fmt(rs)})", py / rs >= goal)
        else:
            missing(target)

    pair("Rust sequential >= 80x faster than Python's", "count/sequential", "count/sequential", 80)
    py_best = min((v for (s, f), v in p.items() if s == "Python" and f.startswith("count/processes/")), default=None)
    rs_best = min(
        (v for (s, f), v in p.items()
         if s == "Rust" and f.startswith("count/") and f != "count/sequential" and "startup" not in f),
        default=None,
    )
    target = "Rust's best parallel run >= 80x faster than Python's process pool"
    if py_best and rs_best:
        row(target, f"{py_best / rs_best:.1f}x ({fmt(py_best)} / {fmt(rs_best)})", py_best / rs_best >= 80)
    else:
        missing(target)
    # The same two targets from the runs made in pairs (compare::paired):
    # each Python run between Rust runs of the same work, the sequential
    # ones pinned to one core; the ratio is the median of the pairs'.
    def paired(target, ratio_id, py_id, rs_id):
        r = p.get(("Rust", ratio_id))
        py, rs = p.get(("Python", py_id)), p.get(("Rust", rs_id))
        if r and py and rs:
            row(target, f"{r:.1f}x (median of the pairs; {fmt(py)} / {fmt(rs)})", r >= 80)
        else:
            missing(target)

    paired("Rust sequential >= 80x faster than Python's (in pairs, one core)",
           "paired-ratio/sequential", "paired/sequential", "paired/sequential")
    ratio_ids = sorted(f for (s, f) in p if s == "Rust" and f.startswith("paired-ratio/processes-rayon/"))
    if ratio_ids:
        w = ratio_ids[0].rsplit("/", 1)[1]
        paired(f"Rust parallel (rayon/{w}) >= 80x faster than Python's process pool (in pairs)",
               ratio_ids[0], f"paired/processes/{w}", f"paired/rayon/{w}")
    else:
        missing("Rust parallel >= 80x faster than Python's process pool (in pairs)")
    pair("process pool per item at chunksize 1 <= 1/20 of ProcessPoolExecutor's",
         "task/process-pool-map/1", "task/process-pool-map/1", 20)
    pair("tokio (current-thread) spawn+await <= 1/15 of asyncio create_task+gather",
         "async/spawn-cube", "async/spawn-cube/tokio-current-thread", 15)
    pair("tokio (multi-thread) spawn+await <= 1/15 of asyncio create_task+gather",
         "async/spawn-cube", "async/spawn-cube/tokio-multi-thread", 15)
    for runtime in ("tokio-current-thread", "tokio-multi-thread"):
        t = p.get(("Rust", f"async/timers/1000/{runtime}"))
        py = p.get(("Python", "async/timers/1000"))
        target = f"1,000 concurrent 10 ms timers on {runtime} <= 13 ms (compare; asyncio beside it)"
        if t:
            row(target, f"{fmt(t)} (asyncio {fmt(py) if py else '-'})", t <= 13e-3)
        else:
            missing(target)

    print_table(("Target (issue 7)", "Measured", "Met"), "|---|---|---|", rows)


if __name__ == "__main__":
    main()
