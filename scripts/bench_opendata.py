"""Benchmark the open-data step: generate N bilingual records, read them with ``sillok check``,
then time ``write_open_data`` (median of 3) into a fresh folder and again over unchanged output.

    .venv/bin/python scripts/bench_opendata.py            # 10,000 records
    .venv/bin/python scripts/bench_opendata.py --records 1000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

from sillok.check.check import check
from sillok.site.data.opendata import write_open_data

BASE = "https://records.example.go.kr/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sillok-bench-"))
    try:
        started = time.perf_counter()
        generate(work / "archive", args.records, mixed=True)
        print(f"generated {args.records:,} records in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = check([work / "archive" / "records"], progress=False)
        if not result.ok:
            print("\n".join(p.format() for p in result.errors[:10]), file=sys.stderr)
            return 1
        records = result.records
        print(f"read {len(records):,} records with sillok check in {time.perf_counter() - started:.1f} s")
        cold, warm = [], []
        for run in range(args.runs):
            out = work / f"site-{run}"
            started = time.perf_counter()
            written = write_open_data(records, out, BASE)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            rewritten = write_open_data(records, out, BASE)
            warm.append(time.perf_counter() - started)
            assert not rewritten, "unchanged records must not rewrite files"
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"write_open_data, {len(records):,} records: {len(written):,} files, {size / 1e6:.1f} MB")
        print(
            f"  into an empty folder:   median {statistics.median(cold):.2f} s of {args.runs} ({', '.join(f'{t:.2f}' for t in cold)})"
        )
        print(
            f"  over unchanged output:  median {statistics.median(warm):.2f} s of {args.runs} ({', '.join(f'{t:.2f}' for t in warm)})"
        )
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
