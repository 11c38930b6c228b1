"""Parallel scaling: the default run (``sagemaker-conformance run``) with ``-n 1`` and ``-n 2``, wall time and speed-up.

Each configuration runs in its own ``python -m conformance run`` process, so interpreter start,
collection and worker start-up all count, as they do for a user. The baseline (``-n 1``) is
measured in the same invocation; target speed-up ≥ 1.6.

    python benchmarks/scaling.py [--target reference] [--repeat 1] [--workers 1,2] [-- RUN_ARGS]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from typing import List

TARGET_SPEEDUP = 1.6


def run_once(target: str, workers: int, extra: List[str]) -> float:
    command = [sys.executable, "-m", "conformance", "run", f"--target={target}", "-q", "-n", str(workers), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        tail = "\n".join(done.stdout.splitlines()[-5:])
        raise SystemExit(f"-n {workers}: pytest exit {done.returncode}\n{tail}")
    summary = next((line for line in reversed(done.stdout.splitlines()) if " in " in line and "passed" in line), "")
    print(f"  -n {workers}: {elapsed:7.2f} s   {summary}")
    sys.stdout.flush()
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="reference")
    parser.add_argument("--workers", default="1,2", help="comma-separated -n values; the first is the baseline")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration; the best is kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("run_args", nargs="*", help="extra 'sagemaker-conformance run' arguments (after --)")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    extra = [f"--seed={args.seed}", *args.run_args]
    print(f"# scaling benchmark against {args.target}, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    best = {}
    for _ in range(max(1, args.repeat)):
        for workers in counts:
            elapsed = run_once(args.target, workers, extra)
            best[workers] = min(best.get(workers, elapsed), elapsed)
    baseline = best[counts[0]]
    for workers in counts[1:]:
        speedup = baseline / best[workers]
        verdict = "meets" if speedup >= TARGET_SPEEDUP else "misses"
        print(f"speed-up -n {counts[0]} -> -n {workers}: {baseline:.2f} s / {best[workers]:.2f} s = {speedup:.2f}x "
              f"({verdict} the {TARGET_SPEEDUP}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
