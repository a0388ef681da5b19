"""Benchmark record pages alone: CPU milliseconds per page, as the build's workers make and write them.

On a project built before (``sillok build``, or ``--build`` here: the page shells MkDocs rendered are
read from its ``.sillok-cache/``), checks the records once (not timed), then renders and writes the
pages of the first ``--records`` records (two languages each) in this process, as one worker of
``sillok build`` does (``write._render``: hold the bodies, ``render.record_page_parts``, fill the shell,
refuse inline scripts, write the file), ``--runs`` times into fresh folders. Prints the CPU time
(user and system, ``getrusage``) per page of each run and their medians, with the load average.

    python scripts/bench_record_pages.py --project /work/bench/p1k --records 1000 --runs 5
    python scripts/bench_record_pages.py --project /tmp/x --build --records 30

The folders it writes (``record-pages-bench-*``) sit inside the project and are removed after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
from pathlib import Path

from sillok.check.check import check
from sillok.record.model import Record
from sillok.site.integrity import PublicLedger
from sillok.site.recordpages import cache, write
from sillok.site.render import Neighbours
from sillok.site.settings import read_mkdocs_yml


def load(project: Path, count: int) -> tuple[list[tuple[Record, Neighbours]], dict]:
    """The first ``count`` records (in the archive's order) with their neighbours, and a worker's state."""
    result = check([project / "records"], cache_file=project / cache.FOLDER / "check.sqlite3")
    ordered = sorted(result.records, key=Record.sort_key)[:count]
    items = [
        (record, Neighbours(ordered[n - 1] if n else None, ordered[n + 1] if n + 1 < len(ordered) else None))
        for n, record in enumerate(ordered)
    ]
    shells = write.shells_from_json(json.loads((project / cache.FOLDER / cache.SHELLS).read_text("utf-8")))
    state = {
        "shells": shells,
        "settings": read_mkdocs_yml(project / "mkdocs.yml"),
        "integrity": PublicLedger.read(project / "records"),
    }
    return items, state


def run_once(project: Path, items: list, state: dict, number: int) -> tuple[float, float, int]:
    """User and system CPU seconds to render and write the pages of ``items`` into a fresh folder, and the
    pages written (system time is mostly making the folders and files: it grows with the machine's load)."""
    out = project / f"record-pages-bench-{os.getpid()}-{number}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    try:
        write._start({**state, "site": out})
        before = resource.getrusage(resource.RUSAGE_SELF)
        pages = write._render(items)
        after = resource.getrusage(resource.RUSAGE_SELF)
        return after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime, pages
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, required=True, help="a project built before (or with --build)")
    parser.add_argument("--records", type=int, default=1000, help="render the pages of the first N records")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="build the project first (sillok build, cold)")
    args = parser.parse_args()
    project = args.project.resolve()
    if args.build:
        from sillok.site.build import build

        build(project, incremental=False)
    items, state = load(project, args.records)
    print(f"load average {os.getloadavg()[0]:.2f} before; {len(items)} records")
    times, users, systems = [], [], []
    for number in range(args.runs):
        user, system, pages = run_once(project, items, state, number)
        times.append((user + system) / pages * 1000)
        users.append(user / pages * 1000)
        systems.append(system / pages * 1000)
        print(
            f"run {number + 1}: {user + system:.2f} CPU s for {pages} pages = {times[-1]:.3f} ms/page "
            f"(user {users[-1]:.3f}, system {systems[-1]:.3f})"
        )
    print(
        f"median: {statistics.median(times):.3f} ms/page CPU over {args.runs} runs "
        f"(user {statistics.median(users):.3f}, system {statistics.median(systems):.3f})"
    )
    print(f"load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
