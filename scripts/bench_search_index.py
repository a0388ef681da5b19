"""Benchmark the search-index step of a build alone: cold, one record added, memory, files and bytes.

On a project written before (``corpus.make_project``, e.g. a ``cp -a`` of ``/work/bench/archive-10000``),
checks the records once (not timed), then times ``write_search`` as ``sillok build`` runs it:

- **cold**: into a fresh folder, no previous site, writing the build cache (``.sillok-cache/``);
- **+1**: one record added (``bench_scale.add_record``, the newest), checked again, and the index written
  into a fresh folder with the previous one and the cache, as an incremental build does (``--added``
  more for more runs; each run adds one record);
- the peak resident memory of the step (the main process and its workers, sampled from ``/proc``
  every 20 ms: the largest process and the largest sum), the files and bytes of ``_search/``.

``--verify`` also writes the last +1 index cold and compares every file byte for byte.

    python scripts/bench_search_index.py --project /work/bench/search-1k
    python scripts/bench_search_index.py --project /work/bench/search-10k --added 3 --verify

The folders it writes (``search-bench-*``) sit inside the project and are replaced on each run.
Linux only (``/proc``). The load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_memory import _children  # the processes of this one
from bench_scale import add_record, site_size  # the benchmarks' one way to add the newest record, count files

from sillok.check.check import check
from sillok.record.model import Record
from sillok.site import urls
from sillok.site.output.reuse import BuildCache
from sillok.site.recordpages import cache
from sillok.site.search.index import INDEX_FOLDER, write_search
from sillok.site.settings import read_mkdocs_yml


class Sampler:
    """The largest resident set of this process, of any child, and of their sum, while it runs."""

    def __init__(self) -> None:
        self.largest = self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [_rss(pid) for pid in [os.getpid(), *_children(os.getpid())]]
            self.largest = max(self.largest, *sizes)
            self.total = max(self.total, sum(sizes))
            self._stop.wait(0.02)


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024**2
    except OSError:
        return 0


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the step's workers end with it)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def records_of(project: Path) -> list[Record]:
    result = check([project / "records"])
    if not result.ok:
        raise SystemExit(f"{project}: the records do not pass the check")
    return result.records


def run(project: Path, records: list[Record], target: Path, previous: Path | None, jobs: int | None) -> dict:
    """One search step as ``sillok build`` runs it; the cache is saved as the build saves it after the swap."""
    settings = read_mkdocs_yml(project / "mkdocs.yml")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    files_cache = BuildCache(project / cache.FOLDER, previous, cache.code_digest())
    baseline = _rss(os.getpid())
    cpu = _cpu()
    with Sampler() as sampler:
        start = time.perf_counter()
        write_search(
            records,
            target,
            urls.site_path(settings.site_url),
            reuse=files_cache.files("search", settings.site_url or ""),
            jobs=jobs,
        )
        seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    files_cache.save()
    files, size = site_size(target / INDEX_FOLDER)
    reused = files_cache.kinds["search"].reused
    return {
        "seconds": seconds,
        "cpu": cpu,
        "files": files,
        "bytes": size,
        "reused": reused,
        "baseline_mb": baseline,
        "largest_mb": sampler.largest,
        "total_mb": sampler.total,
    }


def report(name: str, figures: dict, count: int) -> None:
    print(
        f"{name}: {figures['seconds']:.2f} s ({figures['cpu']:.2f} s of CPU, workers included); _search/ {figures['files']} files ({figures['files'] / count:.3f} per record),"
        f" {figures['bytes'] / 1e6:.1f} MB, {figures['reused']} reused; memory: main {figures['baseline_mb']} MB before,"
        f" largest process {figures['largest_mb']} MB, all processes {figures['total_mb']} MB",
        flush=True,
    )


def same_files(a: Path, b: Path) -> list[str]:
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    other = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = sorted(names ^ other)
    differ += [n for n in sorted(names & other) if (a / n).read_bytes() != (b / n).read_bytes()]
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, required=True, help="a project folder (it gets new records)")
    parser.add_argument("--added", type=int, default=1, help="incremental runs, one record added before each")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--verify", action="store_true", help="compare the last +1 index with a cold one")
    parser.add_argument("--no-cold", action="store_true", help="start from the last run's folder and cache")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    started = time.perf_counter()
    records = records_of(project)
    print(f"{len(records)} records checked in {time.perf_counter() - started:.1f} s (not timed below)", flush=True)
    site = project / "search-bench-site"
    if not args.no_cold:
        report("cold", run(project, records, site, None, args.jobs), len(records))
    timings = []
    for _ in range(args.added):
        existing = (
            sum(1 for _ in (project / "records" / "2025").glob("*-opc-new*"))
            if (project / "records" / "2025").exists()
            else 0
        )
        add_record(project, 9000 + existing)
        records = records_of(project)
        fresh = project / "search-bench-next"
        figures = run(project, records, fresh, site, args.jobs)
        report(f"+1 ({len(records)} records)", figures, len(records))
        timings.append(figures["seconds"])
        shutil.rmtree(site)
        os.replace(fresh, site)
    if timings:
        print(f"+1 median {statistics.median(timings):.2f} s of {len(timings)}", flush=True)
    if args.verify:
        cold = project / "search-bench-cold"
        report("cold of the same records", run(project, records, cold, None, args.jobs), len(records))
        differ = same_files(site / INDEX_FOLDER, cold / INDEX_FOLDER)
        print("incremental == cold: " + ("yes" if not differ else f"NO, {len(differ)} files differ: {differ[:5]}"))
        shutil.rmtree(cold)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
