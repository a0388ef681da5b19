"""Every benchmark in scripts/ still runs, on a few dozen records, and prints its figures.

The figures in guide/decisions/ come from these scripts at full size; this smoke test keeps them
reproducible (a renamed function or option breaks the test, not the next measurement). Timings are
not asserted: they are measurements, and belong in the scripts' output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from helpers.records import ROOT

SCRIPTS = ROOT / "scripts"
FIGURE = re.compile(r"\d+(\.\d+)? ?(s|ms|MB|KB|ms/page|ms/record|x)\b")


def run(script: str, *args: str, timeout: int = 900) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / script), *args], capture_output=True, text=True, check=False, timeout=timeout
    )
    assert done.returncode == 0, f"{script} {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert FIGURE.search(done.stdout), f"{script} printed no figures:\n{done.stdout}"
    return done.stdout


def test_every_script_is_covered():
    tested = set(re.findall(r'run\("([a-z_]+\.py)"', (ROOT / "tests/scripts/test_benchmarks.py").read_text("utf-8")))
    not_benchmarks = {"corpus.py", "write_guide.py"}
    assert {p.name for p in SCRIPTS.glob("*.py")} - not_benchmarks == tested, "a script in scripts/ has no smoke test"


def test_corpus_is_valid_and_the_same_every_time(tmp_path):
    sys.path.insert(0, str(SCRIPTS))
    try:
        import corpus
    finally:
        sys.path.remove(str(SCRIPTS))
    from sillok.check.check import check

    corpus.generate(tmp_path, 40, mixed=True)
    result = check([tmp_path / "records"], progress=False)
    assert (len(result.records), result.problems) == (40, [])
    on_disk = {
        p.relative_to(tmp_path / "records").as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
    }
    assert corpus.archive_files(40, mixed=True) == on_disk
    assert {r.id for r in corpus.records(40, mixed=True)} == {r.id for r in result.records}


def test_bench_check():
    assert "30 records: median" in run("bench_check.py", "--sizes", "30", "--runs", "1")


def test_bench_integrity():
    out = run("bench_integrity.py", "--records", "30", "--runs", "1", "--jobs", "1")
    assert "sha256sum -c manifest-sha256.txt" in out and "sillok check --base" in out


def test_bench_opendata():
    out = run("bench_opendata.py", "--records", "24", "--runs", "1")
    assert "open data, 24 records:" in out and "cold: median" in out and "+1 record: median" in out
    assert "+1 output identical to a cold write: True" in out and "'encoded': 1" in out


def test_bench_record_pages(tmp_path, built_site):
    project = tmp_path / "project"
    shutil.copytree(built_site, project, symlinks=True)  # the benchmark checks (and caches) the records
    out = run("bench_record_pages.py", "--project", str(project), "--records", "50", "--runs", "2")
    assert "run 2:" in out and "median:" in out and "ms/page CPU" in out
    assert not list(project.glob("record-pages-bench-*"))


@pytest.mark.slow
@pytest.mark.browser
def test_bench_search(browser):
    out = run("bench_search.py", "--records", "30", "--runs", "1", "--builds", "1")
    assert "median over queries" in out
    assert " 0 shards" not in out  # the shards of every tier are counted (s/<tier>/<n>.sidx)


@pytest.mark.slow
@pytest.mark.browser
def test_bench_page_weight(browser):
    out = run("bench_page_weight.py", "--records", "16", "--records", "30", "--runs", "1", "--slow")
    assert "ratio" in out and "DOMContentLoaded" in out and "Material's script started" in out


@pytest.mark.browser
def test_measure_search_page(browser, built_site):
    assert "first result" in run("measure_search_page.py", str(built_site / "site"), "--runs", "1")


def test_bench_scale():
    out = run("bench_scale.py", "--records", "20", "--runs", "1", "--no-hugo", "--baseline")
    assert "sillok cold: median" in out and "+1 record, incremental: median" in out and "per record" in out
    assert "an edited record's page served: median" in out and "MkDocs rendering record pages: median" in out


@pytest.mark.browser
def test_screenshots(browser, built_site, tmp_path):
    out = run("screenshots.py", str(built_site / "site"), "--out", str(tmp_path))
    assert len(list(tmp_path.glob("*.png"))) == 24 and "record-ko-phone.png" in out  # 6 pages, 2 languages, 2 screens
    assert "tag-en-phone.png" in out and "tags-ko-desktop.png" in out


def test_bench_shards():
    out = run("bench_shards.py", "--records", "20", "--runs", "1")
    assert "merge alone" in out and "merged site equals the single build's" in out


def test_bench_memory():
    out = run("bench_memory.py", "--records", "30")
    assert "30 records written in" in out and "peak of the largest process:" in out and "sillok build (main)" in out


def test_bench_search_index(tmp_path):
    sys.path.insert(0, str(SCRIPTS))
    try:
        import corpus
    finally:
        sys.path.remove(str(SCRIPTS))
    project = corpus.make_project(tmp_path, 30)
    out = run("bench_search_index.py", "--project", str(project), "--added", "2", "--verify")
    assert "cold:" in out and "+1 median" in out and "incremental == cold: yes" in out
