"""Attack class 6 and 7: the build writes only into its own folder, and every failure is a message.

Before: ``sillok build --site-dir records`` (or ``docs``, or ``.``) replaced the archive; a ``site``
that was a symbolic link had its target replaced; a ``records/`` committed as a symbolic link to a
folder outside the repository was checked and published; two builds at once, or a full disk, ended
in a Python traceback.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.records import RECORD_DIR, make_site_project, valid_record

from sillok.check.check import check
from sillok.site.build import BuildFailed, SiteDirRefused, build, build_lock


def new_project(root: Path, files: dict) -> Path:
    root.mkdir(parents=True)
    return make_site_project(root, files, own_records=False)


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "project", valid_record())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("site_dir", ["records", "docs", ".", "..", "overrides", "docs/site", "records/2021", ".git"])
def test_a_site_folder_that_is_or_holds_the_archive_is_refused(project, site_dir, monkeypatch):
    (project / ".git").mkdir()
    before = snapshot(project)
    monkeypatch.chdir(project)
    with pytest.raises(SiteDirRefused, match="--site-dir"):
        build(project, site_dir=Path(site_dir))
    assert snapshot(project) == before


def test_a_symlinked_site_folder_is_refused_and_its_target_kept(project, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    (project / "site").symlink_to(precious)
    with pytest.raises(SiteDirRefused, match="symbolic link"):
        build(project)
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_a_site_folder_under_a_symlinked_parent_is_refused(project, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (project / "out").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SiteDirRefused, match="symbolic link"):
        build(project, site_dir=project / "out" / "site")


def test_an_existing_folder_that_is_not_a_site_is_not_replaced(project, tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("dear")
    with pytest.raises(SiteDirRefused, match="not a sillok site"):
        build(project, site_dir=documents)
    assert (documents / "letter.txt").read_text() == "dear"


def test_a_symlinked_records_folder_is_refused_by_check_and_build(tmp_path):
    outside = new_project(tmp_path / "outside", valid_record()) / "records"
    project = new_project(tmp_path / "project", {})
    (project / "records").symlink_to(outside)
    result = check([project / "records"])
    assert [p.code for p in result.errors] == ["symlink"] and result.records == []
    with pytest.raises(BuildFailed, match="symbolic link"):
        build(project)
    assert not (project / "site").exists()


def test_a_second_build_at_the_same_time_is_refused_cleanly(project):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sillok.site.build import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)",
            str(project),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        run = subprocess.run(
            [sys.executable, "-m", "sillok", "build", "--project", str(project)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert run.returncode == 2, run.stderr
    assert "another sillok build" in run.stderr and f"pid {holder.pid}" in run.stderr and "Traceback" not in run.stderr
    with build_lock(project):  # the lock dies with its holder
        pass


def test_a_full_disk_is_a_message_and_the_old_site_stays(project):
    build(project)
    before = snapshot(project / "site")
    (project / RECORD_DIR / "ko.md").write_text((project / RECORD_DIR / "ko.md").read_text() + "\n추가.\n")
    limit = 64 * 1024  # no file larger than this can be written: the generated pages and the bag fail

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "sillok", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=small_disk,
        timeout=300,
    )
    assert time.monotonic() - started < 300
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "previous site" in run.stderr, run.stderr[-2000:]
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


def test_an_unwritable_site_folder_is_a_message(project):
    (project / "site.txt").write_text("x")
    with pytest.raises(SiteDirRefused, match="is a file"):
        build(project, site_dir=project / "site.txt")
    (project / "docs" / "records").write_text("not a folder")  # generation cannot write its pages
    with pytest.raises(BuildFailed, match=r"cannot write|not a folder|Not a directory"):
        build(project)
    assert os.path.isfile(project / "docs" / "records")
