"""Time a sharded build against a single build of the same generated archive (issue 13, point 6).

    python scripts/bench_shards.py --records 1000 --runs 3

Prints, as medians of ``--runs``: a cold ``sillok build``; ``scripts/build-shards`` from nothing
(``--shards`` shards of whole years, ``--parallel`` at a time, each job with ``cpus / parallel``
workers, then the merge); and the merge alone (the shards already built, site/ and the build cache
removed). The merged site is compared with the single build's, file for file, on every run. The
load average is printed with the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the one generator of benchmark records

SCRIPTS = Path(__file__).resolve().parent


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def fresh(project: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(project / name, ignore_errors=True)


def same_tree(a: Path, b: Path) -> bool:
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    if files != {p.relative_to(b) for p in b.rglob("*") if p.is_file()}:
        return False
    return all(filecmp.cmp(a / name, b / name, shallow=False) for name in files)


def load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=2)
    args = parser.parse_args()
    sillok = [sys.executable, "-m", "sillok"]
    script = [sys.executable, str(SCRIPTS / "build-shards")]
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        project = corpus.make_project(Path(tmp), args.records)
        shards = subprocess.run(
            [*script, "--project", str(project), "--plan", str(args.shards)], capture_output=True, text=True, check=True
        ).stdout.split()
        print(f"{args.records} records, shards {' '.join(shards)}, {args.parallel} at a time, {os.cpu_count()} CPUs")
        figures: dict[str, list[float]] = {"single cold build": [], "sharded from nothing": [], "merge alone": []}
        for run in range(args.runs):
            fresh(project, "site", ".sillok-cache", "shards")
            figures["single cold build"].append(timed([*sillok, "build", "--project", str(project), "--cold"]))
            single = Path(tmp) / "single"
            fresh(Path(tmp), "single")
            os.replace(project / "site", single)
            fresh(project, ".sillok-cache")
            command = [*script, "--project", str(project), "--parallel", str(args.parallel), *shards]
            figures["sharded from nothing"].append(timed(command))
            if not same_tree(project / "site", single):
                raise SystemExit("the merged site differs from the single build's")
            fresh(project, "site", ".sillok-cache")
            merge = [
                f"--merge={project / 'shards' / name / 'shard'}" for name in sorted(os.listdir(project / "shards"))
            ]
            figures["merge alone"].append(timed([*sillok, "build", "--project", str(project), *merge]))
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in figures.items()) + f" ({load()})")
        print(f"medians of {args.runs} run(s), {load()}:")
        single = statistics.median(figures["single cold build"])
        for name, values in figures.items():
            median = statistics.median(values)
            print(f"  {name}: {median:.1f} s ({median / single:.2f}x the single build)")
        print("  merged site equals the single build's, every file, on every run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
