"""Benchmark memory: a cold ``sillok build`` at N generated records, peak memory per process, no Hugo.

For each size, writes N generated bilingual records (``corpus.make_project``, timed: records per
second) unless ``--project`` names one already written, then runs ``sillok build --cold`` once and
samples every process of the build (the main process, its check, record-page and search workers,
the MkDocs child) four times a second from ``/proc``: each process's high-water mark (``VmHWM``)
and the largest sum over the tree. It prints the peak of the largest process (issue 13's target:
≤ 1.5 GB at 100,000 records), the peak of the whole tree, the time of each step (so a peak can be
placed in one), the wall time, and the files and bytes of the built site.

    python scripts/bench_memory.py --records 1000 --records 10000
    nice python scripts/bench_memory.py --records 100000        # 100,000 records: run once, ~1 h on 2 cores
    python scripts/bench_memory.py --project /tmp/archive-100000 # an archive written before

The previous site and cache are renamed aside, into a ``trash-*`` folder beside the project, not deleted
(deleting a 100,000-record site takes this disk a quarter of an hour, and slows it for a while after): delete
those folders when nothing is being measured. Linux only (``/proc``). The load average is printed, because time depends on it and memory does not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from bench_scale import set_aside, site_size  # the scale benchmark's count of files and bytes, and its set-aside

INTERVAL = 0.25


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(x) for x in handle.read().split()]
    except OSError:
        pass
    return found


def _status(pid: int) -> tuple[int, int] | None:
    """(VmHWM, VmRSS) of a process in MB, or None when it is gone."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    name, kb = line.split()[:2]
                    values[name] = int(kb) // 1024
    except OSError:
        return None
    return values.get("VmHWM:", 0), values.get("VmRSS:", 0)


def _pss(pid: int) -> int:
    """The process's proportional share of memory in MB (a page shared by n processes counts 1/n)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode(errors="replace")
    except OSError:
        return "?"


def _role(pid: int, main: int) -> str:
    command = _command(pid)
    if pid == main:
        return "sillok build (main)"
    if "run_mkdocs" in command or "mkdocs build" in command.replace("\0", " "):
        return "mkdocs build"
    return "forked (site files, record-page or search worker)"


def sampled_run(
    command: list[str], cwd: Path
) -> tuple[int, float, dict[int, tuple[str, int, float]], tuple[int, int, list[tuple[str, int]]], str]:
    """Run ``command``; returns exit code, seconds, {pid: (role, peak MB, seconds at sample)}, the peak sums
    over the tree (of RSS, which counts a page shared by forked processes in each, and of PSS), stderr."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        peaks: dict[int, tuple[str, int, float]] = {}
        total = shared = 0
        at_peak: list[tuple[str, int]] = []
        while child.poll() is None:
            tree, todo = [], [(child.pid, 0)]
            while todo:
                pid, depth = todo.pop()
                tree.append((pid, depth))
                todo += [(grandchild, depth + 1) for grandchild in _children(pid)]
            now = time.perf_counter() - start
            rss_sum = pss_sum = 0
            sample = []
            for pid, depth in tree:
                status = _status(pid)
                if status is None:
                    continue
                hwm, rss = status
                rss_sum += rss
                pss = _pss(pid)
                pss_sum += pss
                sample.append((f"{_role(pid, child.pid)} [depth {depth}]", pss))
                if hwm > peaks.get(pid, ("", -1, 0.0))[1]:
                    peaks[pid] = (peaks[pid][0] if pid in peaks else _role(pid, child.pid), hwm, now)
            total = max(total, rss_sum)
            if pss_sum > shared:
                shared, at_peak = pss_sum, [(f"{name} at {now:.0f} s", pss) for name, pss in sample]
            time.sleep(INTERVAL)
        seconds = time.perf_counter() - start
        err.seek(0)
        return child.returncode, seconds, peaks, (total, shared, at_peak), err.read()


def measure(project: Path, count: int) -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"{count} records, sillok build --cold ({uptime})", flush=True)
    set_aside(project / "site")  # deleting 227,000 files first would take a quarter of an hour
    set_aside(project / ".sillok-cache")
    env_command = [sys.executable, "-m", "sillok", "build", "--cold"]
    code, seconds, peaks, total, stderr = sampled_run(env_command, project)
    if code != 0:
        sys.stderr.write(stderr[-3000:])
        raise SystemExit(f"sillok build of {project} failed (exit {code})")
    steps = re.search(r"\((check .*?)\)\n", stderr)
    largest = max(peaks.values(), key=lambda p: p[1])
    by_role: dict[str, tuple[int, float]] = {}
    for role, peak, at in peaks.values():
        if peak > by_role.get(role, (-1, 0.0))[0]:
            by_role[role] = (peak, at)
    files, size = site_size(project / "site")
    print(f"  wall {seconds:.1f} s; steps: {steps.group(1) if steps else '?'}", flush=True)
    print(f"  peak of the largest process: {largest[1]} MB ({largest[0]}, at {largest[2]:.0f} s)", flush=True)
    for role, (peak, at) in sorted(by_role.items(), key=lambda item: -item[1][0]):
        print(f"    {role}: {peak} MB (at {at:.0f} s)")
    print(
        f"  peak of all processes together: {total[1]} MB proportional (PSS), {total[0]} MB summing each "
        f"process's RSS (pages a fork shares counted in each); {len(peaks)} processes",
        flush=True,
    )
    for name, pss in total[2]:
        print(f"    at that moment: {name}: {pss} MB PSS")
    print(f"  site: {files} files ({files / max(count, 1):.2f} per record), {size / 1e6:.0f} MB", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, action="append", help="archive size (repeatable; default 1000)")
    parser.add_argument("--project", type=Path, help="build this project (records already written) instead")
    args = parser.parse_args(argv)
    if args.project:
        count = sum(1 for year in (args.project / "records").iterdir() if year.is_dir() for _ in year.iterdir())
        measure(args.project.resolve(), count)
        return 0
    parent = Path(tempfile.mkdtemp(prefix="sillok-memory-"))
    try:
        for count in args.records or [1000]:
            start = time.perf_counter()
            project = corpus.make_project(parent, count)
            written = time.perf_counter() - start
            print(f"{count} records written in {written:.1f} s ({count / written:.0f} records/s)", flush=True)
            measure(project, count)
            shutil.rmtree(project, ignore_errors=True)
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
