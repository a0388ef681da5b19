"""Benchmark the open-data step as ``sillok build`` runs it: cold, then one record added, with peak memory.

Copies a project (``--project``, e.g. a copy of ``/work/bench/archive-10000``; it is never changed) or
generates one (``--records N``, ``corpus.make_project``) into a temporary folder, checks its records once
(the check's file digests are what the step keys records by), and measures in a fresh child process each:

- **cold**: ``write_open_data`` into an empty folder with a build cache but no previous site (what
  ``sillok build --cold`` does: reads no cache, writes one);
- **+1**: one record added (``bench_scale.add_record``, the newest), checked again, and the step run
  with the cold folder as the previous site; its output is compared byte for byte with a cold write
  of the same records.

For each: wall time, the step's CPU time in its own process and in its workers, and its peak memory (the
process's peak resident set counted from just before the step, the largest worker's separately). The
load average is printed too, because the wall time depends on it.

    .venv/bin/python scripts/bench_opendata.py --records 1000
    .venv/bin/python scripts/bench_opendata.py --project /work/bench/me-10k --runs 3

Targets (issue 13, on the 2-core machine): cold ≤ 3 s and +1 ≤ 1 s at 10,000 records; data/ ≤ ~300 files.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale  # add_record: the same new record as the build benchmark
import corpus

_CHECK = """
import pickle, sys
from pathlib import Path
from sillok.check.check import check
from sillok.site.data.publish import KnownDigests
result = check([Path(sys.argv[1])], progress=False)
if not result.ok:
    sys.exit("\\n".join(p.format() for p in result.errors[:10]))
Path(sys.argv[2]).write_bytes(pickle.dumps((result.records, KnownDigests.from_states(result.states))))
"""

_STEP = """
import json, pickle, resource, sys, time
from pathlib import Path
from sillok.site.data.publish import write_open_data
from sillok.site.output.reuse import BuildCache
from sillok.site.settings import read_mkdocs_yml
records, digests = pickle.loads(Path(sys.argv[1]).read_bytes())
settings = read_mkdocs_yml(Path(sys.argv[2]))
out, cache, previous = Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]) if sys.argv[5] else None
def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name):
            return int(line.split()[1]) / 1024
before = status("VmRSS:")
try:
    open("/proc/self/clear_refs", "w").write("5")  # the peak from here on (Linux)
except OSError:
    pass
self0, children0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
build_cache = BuildCache(cache, previous, "bench")
report = {}
write_open_data(records, out, settings.site_url, settings.rights, site_name=settings.name["ko"],
                reuse=build_cache.files("open-data", repr(settings)), digests=digests, report=report)
build_cache.save()
seconds = time.perf_counter() - start
self1, children1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "seconds": seconds, "records": len(records), "report": report,
    "cpu": self1.ru_utime + self1.ru_stime - self0.ru_utime - self0.ru_stime,
    "worker_cpu": children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime,
    "rss_before_mb": before, "peak_mb": status("VmHWM:"), "worker_peak_mb": children1.ru_maxrss / 1024,
}))
"""


def run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return done.stdout


def checked(project: Path, work: Path) -> Path:
    records = work / "records.pickle"
    run(_CHECK, str(project / "records"), str(records))
    return records


def step(records: Path, project: Path, out: Path, cache: Path, previous: Path | None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(run(_STEP, str(records), str(project / "mkdocs.yml"), str(out), str(cache), str(previous or "")))


def same_files(a: Path, b: Path) -> bool:
    names_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    names_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return names_a == names_b and all(filecmp.cmp(a / n, b / n, shallow=False) for n in names_a)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def describe(name: str, runs: list[dict]) -> str:
    seconds = [r["seconds"] for r in runs]
    last = runs[-1]
    return (
        f"{name}: median {statistics.median(seconds):.2f} s of {len(runs)} ({', '.join(f'{s:.2f}' for s in seconds)}); "
        f"CPU {last['cpu']:.2f} s in the step's process + {last['worker_cpu']:.2f} s in workers; "
        f"peak {last['peak_mb']:.0f} MB (held {last['rss_before_mb']:.0f} MB before the step), "
        f"largest worker {last['worker_peak_mb']:.0f} MB; {last['report']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--records", type=int, default=1000, help="generate a project of N records (default 1000)")
    source.add_argument("--project", type=Path, help="copy this project instead (never changed)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sillok-bench-opendata-"))
    try:
        if args.project:
            project = work / "project"
            shutil.copytree(
                args.project, project, symlinks=True, ignore=shutil.ignore_patterns("site", ".sillok-cache")
            )
        else:
            project = corpus.make_project(work, args.records)
        records = checked(project, work)
        print(f"load average {load()}")
        cold = [step(records, project, work / "cold", work / f"cache-{run}", None) for run in range(args.runs)]
        files = sum(1 for p in (work / "cold").rglob("*") if p.is_file())
        data = sum(1 for p in (work / "cold" / "data").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (work / "cold").rglob("*") if p.is_file())
        print(f"open data, {cold[0]['records']:,} records: {files} files ({data} under data/), {size / 1e6:.1f} MB")
        print(describe("cold", cold))
        bench_scale.add_record(project, 1)
        records = checked(project, work)
        print(f"load average {load()}")
        added = []
        for run in range(args.runs):  # each from the cold build's cache, as the first build after it
            shutil.copytree(work / f"cache-{args.runs - 1}", work / f"cache-added-{run}")
            added.append(step(records, project, work / "added", work / f"cache-added-{run}", work / "cold"))
        step(records, project, work / "reference", work / "cache-reference", None)
        print(describe("+1 record", added))
        print(f"+1 output identical to a cold write: {same_files(work / 'added', work / 'reference')}")
        print(f"load average {load()}")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
