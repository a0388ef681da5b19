"""Open data written part by part: an incremental write equals a cold one byte for byte, reuses what it can,
and falls back to encoding when the previous site is not what its layout says."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.opendata import BASE, corpus_files, press_release, read_archive
from helpers.records import write_tree

from sillok.check.check import check
from sillok.site.data import publish
from sillok.site.data.publish import KnownDigests, write_open_data
from sillok.site.output.reuse import BuildCache

SALT = "test"
NEW_ID = "2020-02-10-briefing-40"


def same_tree(a: Path, b: Path) -> None:
    files_a = {p.relative_to(a).as_posix(): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix(): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert sorted(files_a) == sorted(files_b)
    assert [name for name in files_a if files_a[name] != files_b[name]] == []


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    files = corpus_files()
    for index in range(40):  # one a day from 2020-01-01: January and part of February 2020
        files |= press_release(index)
    write_tree(tmp_path / "archive", files)
    return tmp_path / "archive"


def checked(archive: Path):
    result = check([archive / "records"])
    assert result.errors == []
    return result.records, KnownDigests.from_states(result.states)


def write(records, digests, out: Path, cache: Path, previous: Path | None, **options) -> dict[str, int]:
    """One build's open-data step into a fresh folder, as ``sillok build`` runs it; the cache saved after."""
    build_cache = BuildCache(cache, previous, SALT)
    report: dict[str, int] = {}
    write_open_data(records, out, BASE, reuse=build_cache.files("open-data"), digests=digests, report=report, **options)
    build_cache.save()
    return report


def add_record(archive: Path) -> None:
    write_tree(archive, press_release(40))


def test_one_record_added_encodes_one_record_links_other_months_and_equals_a_cold_write(tmp_path, archive):
    records, digests = checked(archive)
    cache = tmp_path / "cache"
    first = write(records, digests, tmp_path / "one", cache, None, jobs=1)
    assert first["encoded"] == len(records) and first["linked"] == 0
    add_record(archive)
    records, digests = checked(archive)
    report = write(records, digests, tmp_path / "two", cache, tmp_path / "one", jobs=1)
    write_open_data(records, tmp_path / "cold", BASE, jobs=1)
    same_tree(tmp_path / "two", tmp_path / "cold")
    assert report["encoded"] == 1, "only the new record is encoded; every other part is copied"
    inode = lambda site, path: (site / path).stat().st_ino  # noqa: E731
    for month in ("data/records/2020/01.json", "data/records/2021/01.json", "data/records/2022/06.json"):
        assert inode(tmp_path / "two", month) == inode(tmp_path / "one", month), f"{month} is linked, not written"
    for changed in ("data/records/2020/02.json", "data/ko/records.csv", "data/en/records.jsonl", "sitemap-records.xml"):
        assert inode(tmp_path / "two", changed) != inode(tmp_path / "one", changed), changed
    again = write(records, digests, tmp_path / "three", cache, tmp_path / "two", jobs=1)
    assert again == {"encoded": 0, "linked": again["linked"], "written": 0}, "nothing changed: every file linked"
    same_tree(tmp_path / "three", tmp_path / "cold")


def test_a_previous_file_of_another_size_is_not_copied_from(tmp_path, archive):
    records, digests = checked(archive)
    cache = tmp_path / "cache"
    write(records, digests, tmp_path / "one", cache, None, jobs=1)
    bulk = tmp_path / "one/data/ko/records.jsonl"
    bulk.write_bytes(bulk.read_bytes()[:-100])  # cut short (the next build must not copy from it)
    add_record(archive)
    records, digests = checked(archive)
    report = write(records, digests, tmp_path / "two", cache, tmp_path / "one", jobs=1)
    write_open_data(records, tmp_path / "cold", BASE, jobs=1)
    same_tree(tmp_path / "two", tmp_path / "cold")
    assert report["encoded"] == len(records)


def test_a_cold_write_reads_no_cache_but_writes_one(tmp_path, archive):
    records, digests = checked(archive)
    cache = tmp_path / "cache"
    write(records, digests, tmp_path / "one", cache, None, jobs=1)
    assert "layout" in json.loads((cache / "open-data.json").read_text("utf-8"))["extra"]
    report = write(records, digests, tmp_path / "two", cache, None, jobs=1)  # no previous site: a cold build
    assert report["encoded"] == len(records) and report["linked"] == 0


def test_digests_from_the_check_give_the_same_files_as_hashing(tmp_path, archive):
    records, digests = checked(archive)
    write_open_data(records, tmp_path / "known", BASE, digests=digests, jobs=1)
    write_open_data(records, tmp_path / "hashed", BASE, jobs=1)
    same_tree(tmp_path / "known", tmp_path / "hashed")
    folder = os.fspath(records[0].path)
    assert folder in digests.folders, "the check's states are keyed by the records' own folders"


def test_workers_write_the_same_bytes(tmp_path, archive, monkeypatch):
    records, digests = checked(archive)
    write_open_data(records, tmp_path / "one", BASE, digests=digests, jobs=1)
    monkeypatch.setattr(publish, "PARALLEL_FROM", 1)
    monkeypatch.setattr(publish, "CHUNK", 4)
    write_open_data(records, tmp_path / "two", BASE, digests=digests, jobs=2)
    same_tree(tmp_path / "one", tmp_path / "two")


def test_a_large_sitemap_is_split_at_record_boundaries_and_reused(tmp_path, archive):
    records, digests = checked(archive)
    cache = tmp_path / "cache"
    write(records, digests, tmp_path / "one", cache, None, jobs=1, sitemap_limit=25)
    index = (tmp_path / "one/sitemap-records.xml").read_text("utf-8")
    parts = sorted((tmp_path / "one").glob("sitemap-records-*.xml"))
    assert len(parts) == 4 and all(f"{BASE}{p.name}</loc>" in index for p in parts)
    for part in parts:
        urls = part.read_text("utf-8").count("<url>")
        assert 0 < urls <= 25
    assert sum(p.read_text("utf-8").count("<url>") for p in parts) == sum(len(r.texts) for r in records)
    add_record(archive)
    records, digests = checked(archive)
    write(records, digests, tmp_path / "two", cache, tmp_path / "one", jobs=1, sitemap_limit=25)
    write_open_data(records, tmp_path / "cold", BASE, jobs=1, sitemap_limit=25)
    same_tree(tmp_path / "two", tmp_path / "cold")
    write_open_data(records, tmp_path / "two", BASE, jobs=1)  # in place, no longer split: the parts go
    assert not list((tmp_path / "two").glob("sitemap-records-*.xml"))


def test_an_empty_archive(tmp_path):
    (tmp_path / "archive/records").mkdir(parents=True)
    records = read_archive(tmp_path / "archive")
    report = write(records, KnownDigests(), tmp_path / "one", tmp_path / "cache", None)
    assert report == {"encoded": 0, "linked": 0, "written": 7}
    assert (tmp_path / "one/data/en/records.json").read_bytes() == b"[]\n"
    assert not (tmp_path / "one/data/records").exists()
