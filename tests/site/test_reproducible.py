"""The same records, settings and versions build the same bytes, and staging folders never outlive a build."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers.records import make_site_project

from sillok.site.output.staging import sweep


def _command(project: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "sillok", "build", "--project", str(project), "--site-dir", str(site)]


def _build(project: Path, site: Path) -> subprocess.Popen:
    return subprocess.Popen(_command(project, site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _project(tmp_path: Path, **kwargs) -> Path:
    (tmp_path / "project").mkdir()
    return make_site_project(tmp_path / "project", **kwargs)


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    """Separate processes (another hash seed, another time zone): dict or set order and the clock cannot leak in."""
    project = _project(tmp_path, files={}, own_records=True)
    for site, seed, zone in (("a", "1", "Asia/Seoul"), ("b", "2", "America/Los_Angeles")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
        done = subprocess.run(_command(project, tmp_path / site), env=env, capture_output=True, timeout=600)
        assert done.returncode == 0, done.stderr.decode()
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert len(a) > 100 and "sitemap.xml.gz" in a
    today = dt.date.today().isoformat().encode()
    assert [name for name, data in a.items() if today in data] == []  # nothing dated by the clock


def test_staging_never_outlives_a_build(tmp_path):
    project = _project(tmp_path, own_records=False)
    build = _build(project, tmp_path / "site")
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".site-*")), "the build never staged"
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=60) != 0
    assert list(tmp_path.glob(".site-*")) == []  # removed on SIGTERM

    build = _build(project, tmp_path / "site")
    while not list(tmp_path.glob(".site-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    build.kill()  # SIGKILL: nothing can clean up
    build.wait(timeout=60)
    left = list(tmp_path.glob(".site-*"))  # the staging folder, and the site files' if they were begun
    assert left and sorted(sweep(tmp_path)) == sorted(left)  # the next build's sweep removes them
    assert not any(folder.exists() for folder in left)
    (tmp_path / f".site-{os.getpid()}-live").mkdir()
    assert sweep(tmp_path) == []  # a running build's folder is left alone
