"""Benchmark ``sillok check``: time per record from 1,000 to 10,000 generated bilingual records.

Usage: python scripts/bench_check.py [--sizes 1000 10000] [--runs 3]

Runs the real command (``python -m sillok check``) as a subprocess on a generated archive and
prints the median wall time of several runs, ms per record, and the ratio of ms per record at
the largest size to the smallest (flat cost ⇒ ratio near 1). Target: 10,000 records under 15 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate


def time_check(root: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "sillok", "check", "--format", "json", "records"], cwd=root, capture_output=True
        )
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"check failed on generated records:\n{done.stdout.decode()[:2000]}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), size)
            seconds = time_check(Path(tmp), args.runs)
        rows.append((size, seconds, seconds * 1000 / size))
        print(
            f"{size:>6} records: median {seconds:6.2f} s over {args.runs} runs, {rows[-1][2]:.3f} ms/record", flush=True
        )
    if len(rows) > 1:
        print(f"ms/record at {rows[-1][0]} vs {rows[0][0]}: {rows[-1][2] / rows[0][2]:.2f}x")


if __name__ == "__main__":
    main()
