"""Benchmark the full site build on generated bilingual archives.

Writes N realistic bilingual records from scripts/corpus.py (Korean originals with the □ / ㅇ / * outline, English
translations, a few untranslated or not-archived texts, a few attachments) into a temporary copy
of the project, runs ``sillok build`` on it in a child process, and prints the wall time, the time
per built HTML page and the peak memory of the build. With two sizes it also prints the ratio of
the time per page, which stays near 1 when the build is linear.

    python scripts/bench_site.py                    # 1,000 and 4,000 records
    python scripts/bench_site.py --records 10000    # one size
    python scripts/bench_site.py --records 1000 --records 4000 --keep

Targets: ms/page at 4,000 ≤ 1.3 × ms/page at 1,000; 10,000 records in under 3 minutes and 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import make_project

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from sillok.site.build import build
start = time.perf_counter()
result = build(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "records": len(result.records), "peak_kb": max(self_kb, children_kb), "steps": result.timings}))
"""


def run_build(project: Path) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project)], capture_output=True, text=True, env=env, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"build of {project} failed")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["pages"] = sum(1 for _ in (project / "site").rglob("*.html"))
    figures["ms_per_page"] = figures["seconds"] * 1000 / figures["pages"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, action="append", help="archive size (repeatable; default 1000 and 4000)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and print where")
    args = parser.parse_args(argv)
    sizes = args.records or [1000, 4000]
    parent = Path(tempfile.mkdtemp(prefix="sillok-bench-"))
    results = {}
    try:
        for count in sizes:
            started = time.perf_counter()
            project = make_project(parent, count)
            written = time.perf_counter() - started
            figures = run_build(project)
            results[count] = figures
            print(
                f"{count:>6} records: {figures['pages']} pages in {figures['seconds']:.1f} s = "
                f"{figures['ms_per_page']:.2f} ms/page, peak memory {figures['peak_kb'] / 1024:.0f} MB "
                f"(corpus written in {written:.1f} s)",
                flush=True,
            )
            steps = figures["steps"]
            print("        steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), flush=True)
            data = steps.get("open data", 0.0)
            print(
                f"        open data (datasets, feeds, per-record JSON): {data:.1f} s = "
                f"{100 * data / (figures['seconds'] - data):.1f}% added to the rest of the build (target < 10%)",
                flush=True,
            )
        if len(sizes) >= 2:
            small, large = results[sizes[0]], results[sizes[-1]]
            ratio = large["ms_per_page"] / small["ms_per_page"]
            print(f"ms/page ratio {sizes[-1]} / {sizes[0]}: {ratio:.2f} (target <= 1.30)")
    finally:
        if args.keep:
            print(f"projects kept in {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
