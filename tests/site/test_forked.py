"""The site files are made in a forked process: its answers, failures and death reach the build as messages."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.records import make_site_project, site_records
from test_recordpages import assert_same_site  # the one every-file comparison

from sillok.site.build import BuildFailed, build
from sillok.site.output.forked import ChildDied, Forked, Later


def _square(n: int) -> int:
    return n * n


def _fail() -> None:
    raise ValueError("in the child")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_answers_raises_or_dies_and_is_always_reaped():
    assert Forked(_square, 12).result() == 144
    with pytest.raises(ValueError, match="in the child"):
        Forked(_fail).result()
    with pytest.raises(ChildDied, match="signal 9"):
        Forked(_die).result()
    slow = Forked(os.system, "sleep 30")
    pid = slow.pid
    slow.kill()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


@pytest.mark.slow
@pytest.mark.parametrize("how", ["disk full", "killed"])
def test_site_files_that_fail_keep_the_old_site(tmp_path, monkeypatch, how):
    folder = tmp_path / "p"
    folder.mkdir()
    project = make_site_project(folder, site_records(), own_records=False)
    build(project)
    published = {p: p.read_bytes() for p in (project / "site").rglob("*.html")}

    def broken(records, site_dir: Path, *args, **kwargs):
        if how == "killed":  # the out-of-memory killer, say
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError(errno.ENOSPC, "No space left on device", str(site_dir / "bag.tar"))

    monkeypatch.setattr("sillok.site.build.write_site_files", broken)  # the forked process inherits it
    message = "No space left on device" if how == "disk full" else "ended without an answer"
    with pytest.raises(BuildFailed, match=message):
        build(project)
    assert {p: p.read_bytes() for p in (project / "site").rglob("*.html")} == published
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-") and "spare" not in p.name]


def test_a_later_step_runs_when_asked_once_and_not_after_a_kill():
    calls = []
    later = Later(calls.append, "made")
    assert calls == []  # nothing runs until the result is asked for
    assert later.result() is None and calls == ["made"]
    with pytest.raises(RuntimeError):
        later.result()
    killed = Later(calls.append, "never")
    killed.kill()
    with pytest.raises(RuntimeError):
        killed.result()
    assert calls == ["made"]


@pytest.mark.slow
def test_site_files_made_after_the_pages_are_the_site_files_made_beside_them(tmp_path, monkeypatch):
    """A very large archive makes its bag, search index and open data after the record pages, in the build
    process (memory: one copy of the records, not two); the site is the same, byte for byte."""
    import sillok.site.build as building

    folder = tmp_path / "p"
    folder.mkdir()
    project = make_site_project(folder, site_records(), own_records=False)
    build(project, site_dir=tmp_path / "beside", incremental=False)
    monkeypatch.setattr(building, "SITE_FILES_AFTER_PAGES_FROM", 1)
    forks = []
    monkeypatch.setattr(building, "Forked", lambda *args: forks.append(args) or Forked(*args))
    build(project, site_dir=tmp_path / "after", incremental=False)
    assert not forks, "the site files were still made in a fork"
    assert_same_site(tmp_path / "beside", tmp_path / "after")


def _gone(pid: int) -> bool:
    """The process has ended (a zombie left for its new parent to reap counts as ended)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_a_child_dies_with_a_build_killed_outright():
    """``kill -9`` of a build runs no clean-up: its forked child must not go on writing into the staging folder."""
    code = (
        "import sys, time\n"
        "from sillok.site.output.forked import Forked\n"
        "child = Forked(time.sleep, 60)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as build:
        child = int(build.stdout.readline())
        assert not _gone(child)
        build.kill()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the forked child outlived the build"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_a_child_whose_parent_is_already_gone_leaves_at_once():
    code = "from sillok.site.output.forked import die_with_parent\ndie_with_parent(1)\nprint('still here')\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "still here" not in run.stdout
