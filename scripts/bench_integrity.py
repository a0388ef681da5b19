"""Benchmark the integrity checks on a generated archive of N sealed records (default 10,000).

Reports, as medians of several runs on the same files:
  * full fixity verification (hash every record file, compare with the ledger, verify the seal
    chain) against ``sha256sum -c manifest-sha256.txt`` on the same ledger and files, and the ratio;
  * the whole ``sillok check`` once, for scale;
  * ``sillok check --base REF`` (a real subprocess, as CI runs it) for a change that adds one record.

Usage: .venv/bin/python scripts/bench_integrity.py [--records 10000] [--runs 5] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import archive_files

from sillok.ledger import fixity
from sillok.ledger import formats as L
from sillok.ledger.seal import append_lines, write_seal
from sillok.record.problems import errors


def write(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def seal_files(root: Path, files: dict[str, bytes]) -> None:
    """Append ledger lines and a seal exactly as sillok seal does (skipping the check, which the benchmark does not time)."""
    archive = fixity.read_archive(root, [])
    first = archive.archive.ledger.count(b"\n") + 1
    append_lines(
        root,
        [L.LedgerLine(first + i, L.sha256(data), path) for i, (path, data) in enumerate(sorted(files.items()))],
    )
    write_seal(root, archive.seals)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def timed(func, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for hashing (default: one per CPU)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="build the archive here and keep it")
    args = parser.parse_args()

    repo = args.keep or Path(tempfile.mkdtemp(prefix="sillok-bench-"))
    root = repo / "records"
    try:
        start = time.perf_counter()
        files = archive_files(args.records)
        write(root, files)
        seal_files(root, files)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "sealed archive")
        base = git(repo, "rev-parse", "HEAD").strip()
        ledger_bytes = (root / L.LEDGER).stat().st_size
        print(
            f"archive: {args.records} records, {len(files)} files, ledger {ledger_bytes:,} bytes; generated, sealed and committed in {time.perf_counter() - start:.1f} s"
        )

        subprocess.run(
            ["sha256sum", "--quiet", "--strict", "-c", L.LEDGER], cwd=root, check=True
        )  # warm the page cache

        def sha256sum() -> None:
            subprocess.run(["sha256sum", "--quiet", "--strict", "-c", L.LEDGER], cwd=root, check=True)

        def verify(jobs: int):
            def run() -> None:
                problems = []
                fixity.verify(root, fixity.archive_states(root, jobs=jobs), problems)
                assert not errors(problems), problems[:3]

            return run

        # Interleave the runs (ours, then sha256sum, on the same warm files) so that load from other
        # processes on a shared machine hits both alike; report medians and the median paired ratio.
        for jobs in sorted({1, args.jobs}):
            ours, reference, ratios = [], [], []
            for _ in range(args.runs):
                ours.append(timed(verify(jobs), 1)[0])
                reference.append(timed(sha256sum, 1)[0])
                ratios.append(ours[-1] / reference[-1])
            print(
                f"sillok fixity verification, {jobs} process(es): median {statistics.median(ours):.3f} s {[round(t, 3) for t in ours]}"
            )
            print(
                f"sha256sum -c manifest-sha256.txt (interleaved):    median {statistics.median(reference):.3f} s {[round(t, 3) for t in reference]}"
            )
            print(
                f"  ratio of medians {statistics.median(ours) / statistics.median(reference):.2f}x, median of paired ratios {statistics.median(ratios):.2f}x (target <= 2x)"
            )

        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "sillok", "check", "records"], cwd=repo, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        print(
            f"sillok check records (the whole check: parsing, schema, fixity, in worker processes), one run: {time.perf_counter() - start:.2f} s"
        )

        added = archive_files(1, first=args.records)
        write(root, added)
        seal_files(root, added)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "one new record")
        sillok = [sys.executable, "-m", "sillok", "check", "--base", base]

        def base_check() -> None:
            done = subprocess.run(sillok, cwd=repo, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr

        took, runs = timed(base_check, args.runs)
        print(
            f"sillok check --base (one record added, whole command in a subprocess): median {took:.3f} s {[round(t, 3) for t in runs]}; target < 2 s"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(repo, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
