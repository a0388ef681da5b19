"""Benchmark ``sillok check``: time per record from 1,000 to 10,000 generated bilingual records.

Usage: python scripts/bench_check.py [--sizes 1000 10000] [--runs 3]

Runs the real command (``python -m sillok check``) as a subprocess on a generated archive and
prints the median wall time of several runs, ms per record, and the ratio of ms per record at
the largest size to the smallest (flat cost ⇒ ratio near 1). Target: 10,000 records under 15 s.
Each size is timed three ways: ``--no-cache`` (every record parsed), the first check with the
check cache (parses every record and stores it) and a check with the cache warm (records
unchanged since: only read and hashed), each the median of ``--runs``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate


def time_check(root: Path, runs: int, *options: str, fresh: bool = False) -> float:
    samples = []
    for _ in range(runs):
        if fresh:
            shutil.rmtree(root / ".sillok-cache", ignore_errors=True)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "sillok", "check", "--format", "json", *options, "records"],
            cwd=root,
            capture_output=True,
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
            seconds = time_check(Path(tmp), args.runs, "--no-cache")
            first = time_check(Path(tmp), args.runs, fresh=True)
            warm = time_check(Path(tmp), args.runs)
        rows.append((size, seconds, seconds * 1000 / size))
        print(
            f"{size:>6} records: median {seconds:6.2f} s over {args.runs} runs, {rows[-1][2]:.3f} ms/record "
            f"(--no-cache); first check with the cache {first:.2f} s, warm cache {warm:.2f} s "
            f"({seconds / warm:.1f}x faster)",
            flush=True,
        )
    if len(rows) > 1:
        print(f"ms/record at {rows[-1][0]} vs {rows[0][0]}: {rows[-1][2] / rows[0][2]:.2f}x")


if __name__ == "__main__":
    main()
