"""Sharded builds (issue 13, point 6): shards merged into one site equal the single build, byte for byte.

The archive (about 45 records from 2000 to 2024) is built as three shards by years, with records on
every shard boundary (their previous/next pages are in another shard), Korean-only records and a
logged redaction; then one shard's year gets a new record and only that shard renders pages again.
Refusals (a bad shard, a missing or foreign shard folder, overlapping shards) exit 2 with a message.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers.integrity import commit, git, redact_phone
from helpers.records import (
    RECORD_ID,
    ROOT,
    VALID_KO,
    make_site_project,
    site_records,
    valid_record,
    write_tree,
)
from test_recordpages import assert_same_site, files_of  # the one every-file comparison

from sillok.check.check import check
from sillok.ledger.mask import MARK
from sillok.ledger.seal import seal
from sillok.record.model import Record
from sillok.site.build import build
from sillok.site.output.shards import MANIFEST, Merge, ShardRefused, ShardSpec

sys.path.insert(0, str(ROOT / "scripts"))
import corpus  # the benchmarks' one record generator, beside them in scripts/

SHARDS = ("year:-2015", "year:2016-2021", "year:2022-")
OLD_ID = "2007-05-09-opc-09000"
OLD_RECORD = {
    f"records/2007/{OLD_ID}/record.yml": (
        f'id: {OLD_ID}\ntype: meeting-record\ndate: 2007-05-09\ntime: "11:00"\ntimezone: Asia/Seoul\n'
        "office:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n"
        "original_language: ko\nillustrative: true\n"
    ),
    f"records/2007/{OLD_ID}/ko.md": "---\ntitle: 뒤늦게 찾은 2007년 회의록\n---\n\n- □ 보관소에 늦게 들어온 회의록이다.\n",
}


def _project(tmp: Path, files: dict) -> Path:
    (tmp / "p").mkdir()
    return make_site_project(tmp / "p", files, own_records=False)


def _shard_dirs(tmp: Path) -> list[Path]:
    return [tmp / "shards" / ShardSpec.parse(spec).folder_name for spec in SHARDS]


def _build_shards(project: Path, tmp: Path) -> None:
    for spec, folder in zip(SHARDS, _shard_dirs(tmp), strict=True):
        build(project, shard=ShardSpec.parse(spec), site_dir=folder, jobs=1)


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file's bytes, and each page's inode: a page reused from the last run is the same file."""
    return {
        name: (path.stat().st_ino if name.endswith(".html") else 0, path.read_bytes())
        for name, path in files_of(folder).items()
    }


def _sealed_and_redacted_project(tmp: Path) -> Path:
    ko_with_phone = VALID_KO.rstrip("\n") + "\n\n담당자 휴대전화 010-2345-6789\n"
    generated = {f"records/{path}": data for path, data in corpus.archive_files(40, mixed=True, seed=11).items()}
    files = generated | site_records() | valid_record(ko_md=ko_with_phone)
    project = _project(tmp, files)
    records = project / "records"
    seal(records, check([records]))
    git(project, "init", "-q", "-b", "main")
    commit(project, "Sealed")
    redact_phone(project, ko_with_phone, "010-2345-6789")
    return project


@pytest.mark.slow
def test_sharded_build_equals_single_build_and_a_change_rebuilds_one_shard(tmp_path, capfd):
    project = _sealed_and_redacted_project(tmp_path)
    result = check([project / "records"])
    assert result.ok
    ordered = sorted(result.records, key=Record.sort_key)
    specs = [ShardSpec.parse(spec) for spec in SHARDS]
    shard_of = [next(n for n, spec in enumerate(specs) if record in spec) for record in ordered]
    assert 40 <= len(ordered) <= 60 and len(set(shard_of)) == 3
    assert sum(a != b for a, b in itertools.pairwise(shard_of)) == 2  # two boundaries, neighbours across them
    assert any(not (project / "records" / f"{r.year}" / r.id / "en.md").exists() for r in ordered)  # Korean only

    # 1. three shards, merged: every file equals the single build's, and every shard page was reused
    _build_shards(project, tmp_path)
    capfd.readouterr()
    build(project, merge=_shard_dirs(tmp_path), site_dir=tmp_path / "merged")
    pages = 2 * len(ordered) + sum(len(record.attachments) for record in ordered)  # attachments go with the pages
    assert (
        f"{pages} of their {pages} files (pages, attachments) reused, 0 record pages rendered here"
        in capfd.readouterr().err
    )
    build(project, site_dir=tmp_path / "single", incremental=False)
    assert_same_site(tmp_path / "merged", tmp_path / "single")
    redacted = (tmp_path / "merged" / "records" / RECORD_ID / "index.html").read_text("utf-8")
    assert "010-2345-6789" not in redacted and MARK in redacted

    # 2. a record added in 2007: its shard renders it and its two neighbours; the others reuse every
    #    page from their last run and come out byte for byte (and file for file) as they were
    before = {folder: _snapshot(folder) for folder in _shard_dirs(tmp_path)}
    write_tree(project, OLD_RECORD)
    capfd.readouterr()
    _build_shards(project, tmp_path)
    err = capfd.readouterr().err
    assert "shard year:-2015: " in err and "(6 rendered, " in err, err
    assert err.count("(0 rendered, ") == 2, err
    first, *others = _shard_dirs(tmp_path)
    assert _snapshot(first) != before[first]
    for folder in others:
        assert _snapshot(folder) == before[folder], f"{folder} changed though none of its records did"

    build(project, merge=_shard_dirs(tmp_path), site_dir=tmp_path / "merged")
    build(project, site_dir=tmp_path / "single", incremental=False)
    assert_same_site(tmp_path / "merged", tmp_path / "single")
    assert (tmp_path / "merged" / "records" / OLD_ID / "index.html").is_file()

    # 3. a shard made with another theme or settings (another salt) is not reused, and the merge says so
    manifest = first / MANIFEST
    data = json.loads(manifest.read_text("utf-8"))
    manifest.write_text(json.dumps(data | {"salt": "0" * 64}), "utf-8")
    capfd.readouterr()
    build(project, merge=_shard_dirs(tmp_path), site_dir=tmp_path / "merged")
    err = capfd.readouterr().err
    assert "shard year:-2015 " in err and "other settings or another theme" in err
    assert f"{len(data['pages'])} record pages rendered here" in err
    assert_same_site(tmp_path / "merged", tmp_path / "single")


# --------------------------------------------------------------------------- refusals (exit 2)


def _fake_shard(folder: Path, spec: str = "year:2020", **changes: object) -> Path:
    """A shard folder with one page and a manifest from this sillok (no build needed to test refusals)."""
    from sillok.site.output.shards import FORMAT, toolchain

    page = "records/2020-01-01-x/index.html"
    (folder / page).parent.mkdir(parents=True)
    (folder / page).write_text("<html></html>", "utf-8")
    manifest = {"format": FORMAT, "shard": spec, **toolchain(), "salt": "s", "pages": {page: "k"}} | changes
    (folder / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    return folder


def sillok(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sillok", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("spec", "first", "last", "name"),
    [
        ("year:2020", 2020, 2020, "year:2020"),
        ("year:2018-2020", 2018, 2020, "year:2018-2020"),
        ("year:2024-", 2024, None, "year:2024-"),
        ("year:-2015", None, 2015, "year:-2015"),
    ],
)
def test_shard_specs(spec, first, last, name):
    parsed = ShardSpec.parse(spec)
    assert (parsed.first, parsed.last, str(parsed)) == (first, last, name)
    assert ShardSpec.parse(str(parsed)) == parsed


@pytest.mark.parametrize("spec", ["2020", "1/3", "year:", "year:-", "year:2021-2019", "year:20", "id:a-b"])
def test_a_bad_shard_is_a_usage_error(tmp_path, spec):
    _project(tmp_path, {})
    done = sillok("build", "--shard", spec, cwd=tmp_path / "p")
    assert done.returncode == 2, done.stderr
    assert f"--shard {spec!r}" in done.stderr and ("year:2020" in done.stderr or "year:2019-2021" in done.stderr)
    assert "Traceback" not in done.stderr and not (tmp_path / "p" / "shards").exists()


def test_shard_folders_that_cannot_be_merged_are_refused(tmp_path):
    good = _fake_shard(tmp_path / "good")
    cases = {
        "no such folder": tmp_path / "absent",
        f"no {MANIFEST}": (tmp_path / "empty").mkdir() or tmp_path / "empty",
        "another sillok version": _fake_shard(tmp_path / "old", sillok="0.0.1"),
        "another sillok code": _fake_shard(tmp_path / "code", code="0" * 64),
        "not a record page": _fake_shard(tmp_path / "escape", pages={"../../etc/passwd": "k"}),
        "missing (an incomplete artifact?)": _fake_shard(tmp_path / "gone", pages={"records/y/index.html": "k"}),
        "not a shard manifest": _fake_shard(tmp_path / "format", format=99),
        "overlaps shard year:2020": _fake_shard(tmp_path / "overlap", spec="year:2019-2021"),
    }
    for message, folder in cases.items():
        with pytest.raises(ShardRefused, match=re.escape(message)):
            Merge.read([good, folder] if "overlap" in message else [folder])
    assert len(Merge.read([good, _fake_shard(tmp_path / "next", spec="year:2021-")]).artifacts) == 2


def test_merge_refusals_exit_2_before_anything_is_built(tmp_path):
    project = _project(tmp_path, {})
    old = _fake_shard(tmp_path / "old", sillok="0.0.1")
    for args, message in [
        (("--merge", str(old)), "made by another sillok version"),
        (("--merge", str(tmp_path / "absent")), "no such folder"),
        (("--merge", str(old), "--shard", "year:2020"), "either one shard's job or the merge"),
        (("--merge", str(old), "--cold"), "--cold reuses nothing"),
    ]:
        done = sillok("build", *args, cwd=project)
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (project / "site").exists()
    (tmp_path / "notashard").mkdir()
    (tmp_path / "notashard" / "keep.txt").write_text("mine", "utf-8")
    done = sillok("build", "--shard", "year:2020", "--site-dir", str(tmp_path / "notashard"), cwd=project)
    assert done.returncode == 2 and "not a sillok shard" in done.stderr
    assert (tmp_path / "notashard" / "keep.txt").read_text("utf-8") == "mine"
    assert os.listdir(tmp_path / "notashard") == ["keep.txt"]


# --------------------------------------------------------------------------- scripts/build-shards


def build_shards(*args: str, project: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build-shards"), "--project", str(project), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_local_script_runs_the_workflow_steps_and_keeps_unchanged_shards(tmp_path):
    (tmp_path / "p").mkdir()
    project = make_site_project(tmp_path / "p", {})  # the 16 sample records, 2019-2024
    shards = build_shards("--plan", "2", project=project).split()
    assert shards == ["year:-2022", "year:2023-"]
    keys = [build_shards("--key", shard, project=project).strip() for shard in shards]

    out = build_shards(*shards, "--parallel", "2", project=project)
    assert "merged 2 shard(s): 33 of their 33 files (pages, attachments) reused, 0 record pages rendered here" in out, (
        out
    )
    build(project, site_dir=tmp_path / "single", incremental=False)
    assert_same_site(project / "site", tmp_path / "single")

    # a new record in 2023: only that shard's key changes, so only that shard is built again
    write_tree(
        project, {path.replace("2007", "2023"): text.replace("2007", "2023") for path, text in OLD_RECORD.items()}
    )
    assert build_shards("--key", shards[0], project=project).strip() == keys[0]
    assert build_shards("--key", shards[1], project=project).strip() != keys[1]
    out = build_shards(*shards, project=project)
    assert f"shard year:-2022: unchanged ({keys[0]}), kept" in out and "shard year:2023-: 7 records' pages" in out
    assert (project / "site" / "records" / "2023-05-09-opc-09000" / "index.html").is_file()


def test_the_workflow_shards_hold_every_year_once_and_run_the_scripts_steps():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "build-sharded.yml").read_text("utf-8"))
    specs = [ShardSpec.parse(text) for text in workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]]
    for year in range(1900, 2200):  # every year in exactly one shard: no record is left to the merge
        assert sum(spec.holds(year) for spec in specs) == 1, year
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("scripts/build-shards --key" in run for run in runs)
    assert any(run.startswith(".venv/bin/sillok build --shard") for run in runs)
    assert any(run.startswith(".venv/bin/sillok build --merge") for run in runs)
