"""The check cache saves parsing, never checking: same records and problems with and without it.

Each test runs real checks of a copy of the project's sealed records (with its ledger), with the
cache in a temporary ``.sillok-cache/``; an entry is a miss whenever the folder's bytes, the
entry itself or the sillok code differ.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.records import ROOT

from sillok.check import cache as check_cache
from sillok.check.check import check
from sillok.record.model import Record, RecordChanged

RECORD = "2023/2023-03-15-carbon-neutrality-commission-3"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "records", tmp_path / "records")
    return tmp_path


def entries(cache_file: Path) -> dict[str, str]:
    with sqlite3.connect(cache_file) as connection:
        return dict(connection.execute("SELECT key, payload FROM entries"))


def same(a, b) -> None:
    assert a.records == b.records
    assert a.problems == b.problems
    assert a.checked == b.checked


def test_cached_check_equals_a_full_check(project):
    cache_file = check_cache.path_for(project / "records")
    plain = check([project / "records"], jobs=1)
    first = check([project / "records"], jobs=1, cache_file=cache_file)
    stored = entries(cache_file)
    second = check([project / "records"], jobs=1, cache_file=cache_file)
    same(plain, first)
    same(plain, second)
    assert len(stored) == len(plain.records) > 10  # every valid record stored once
    assert entries(cache_file) == stored
    assert (cache_file.parent / ".gitignore").read_text() == "*\n"
    assert [t.body for r in second.records for t in r.texts.values()] == [
        t.body for r in plain.records for t in r.texts.values()
    ]


def test_a_sealed_file_edited_in_the_same_second_is_checked_again(project):
    """Same size, same mtime, raw HTML in the body: the digest differs, so the cache cannot hide it."""
    cache_file = check_cache.path_for(project / "records")
    check([project / "records"], jobs=1, cache_file=cache_file)
    path = project / "records" / RECORD / "ko.md"
    before = path.stat()
    data = path.read_bytes()
    at = data.rindex(b"\n", 0, len(data) - 1)
    edited = data[: at - 9] + b"<script>x" + data[at:]
    assert len(edited) == len(data)
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    cached = check([project / "records"], jobs=1, cache_file=cache_file)
    plain = check([project / "records"], jobs=1)
    same(plain, cached)
    codes = {p.code for p in cached.errors if RECORD in p.path}
    assert "sealed-modified" in codes
    assert RECORD.rsplit("/", 1)[1] not in {r.id for r in cached.records}


def test_a_hand_edited_entry_is_not_used(project):
    cache_file = check_cache.path_for(project / "records")
    plain = check([project / "records"], jobs=1, cache_file=cache_file)
    with sqlite3.connect(cache_file) as connection:
        rows = connection.execute("SELECT key, payload FROM entries").fetchall()
        for key, payload in rows:
            connection.execute(
                "UPDATE entries SET payload = ? WHERE key = ?",
                (payload.replace('"title": "', '"title": "FORGED '), key),
            )
    again = check([project / "records"], jobs=1, cache_file=cache_file)
    same(plain, again)
    assert not any("FORGED" in text.title for record in again.records for text in record.texts.values())


def test_a_damaged_cache_file_is_no_cache(project):
    cache_file = check_cache.path_for(project / "records")
    plain = check([project / "records"], jobs=1)
    cache_file.parent.mkdir()
    cache_file.write_bytes(b"not a database at all")
    same(plain, check([project / "records"], jobs=1, cache_file=cache_file))


def test_another_sillok_version_misses_every_entry(project, monkeypatch):
    cache_file = check_cache.path_for(project / "records")
    check([project / "records"], jobs=1, cache_file=cache_file)
    old = set(entries(cache_file))
    monkeypatch.setattr(check_cache, "salt", lambda: "another version")
    check([project / "records"], jobs=1, cache_file=cache_file)
    new = set(entries(cache_file))
    assert new and not (new & old)  # every key changed, and the old entries were dropped


def test_records_round_trip_through_json():
    result = check([ROOT / "records"], jobs=1)
    for record in result.records:
        assert check_cache.from_json(Record, check_cache.to_json(record)) == record


def test_a_light_text_refuses_bytes_the_check_did_not_read(project):
    (record,) = [r for r in check([project / "records" / RECORD]).records]
    text = record.texts["ko"]
    assert text.held_body is None and text.body.strip()
    text.path.write_bytes(text.path.read_bytes() + b"\nadded after the check\n")
    with pytest.raises(RecordChanged, match="changed after the check"):
        _ = text.body


def test_sillok_check_uses_the_cache_and_no_cache_bypasses_it(project):
    command = [sys.executable, "-m", "sillok", "check", "--records", "records", "--format", "json"]
    bypass = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, text=True, check=False)
    assert not (project / ".sillok-cache").exists()
    cold = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    warm = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert (project / ".sillok-cache" / check_cache.FILE).is_file()
    assert bypass.returncode == cold.returncode == warm.returncode == 0
    assert bypass.stdout == cold.stdout == warm.stdout


def test_a_check_that_does_not_read_the_cache_still_writes_it(project):
    """A cold build parses every record (reads no cache) and leaves the cache for the next build."""
    cache_file = check_cache.path_for(project / "records")
    plain = check([project / "records"], jobs=1)
    cold = check([project / "records"], jobs=1, cache_file=cache_file, read_cache=False)
    stored = entries(cache_file)
    assert len(stored) == len(plain.records) > 10
    (key, payload) = next(iter(stored.items()))
    with sqlite3.connect(cache_file) as connection:  # a damaged entry is not read back by a cold check
        connection.execute("UPDATE entries SET payload = ? WHERE key = ?", (payload.replace('"', "'", 1), key))
    again = check([project / "records"], jobs=1, cache_file=cache_file, read_cache=False)
    same(plain, cold)
    same(plain, again)
    assert entries(cache_file) == stored  # rewritten from the records, not from the damaged entry


def test_a_cache_entry_of_another_shape_is_read_again(project):
    """An entry whose seal holds but whose payload does not fit the record model is a miss, not an error."""
    cache_file = check_cache.path_for(project / "records")
    plain = check([project / "records"], jobs=1, cache_file=cache_file)
    with sqlite3.connect(cache_file) as connection:
        for key, _ in list(connection.execute("SELECT key, payload FROM entries")):
            wrong = '[["not a record"], []]'
            connection.execute(
                "UPDATE entries SET payload = ?, seal = ? WHERE key = ?", (wrong, check_cache._seal(key, wrong), key)
            )
    same(plain, check([project / "records"], jobs=1, cache_file=cache_file))


def test_worker_processes_give_the_records_and_problems_of_one_process(project, monkeypatch):
    """Records cross from the workers as cache JSON: the same records as a check in one process, cache or not."""
    from sillok.check import check as check_module

    (project / "records" / RECORD / "ko.md").write_bytes(
        (project / "records" / RECORD / "ko.md").read_bytes() + "\n연락처 010-1234-5678\n".encode()
    )
    monkeypatch.setattr(check_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(check_module, "CHUNK", 3)
    one = check([project / "records"], jobs=1)
    assert any(p.code == "personal-data" for p in one.problems)
    same(one, check([project / "records"], jobs=2))
    cache_file = check_cache.path_for(project / "records")
    same(one, check([project / "records"], jobs=2, cache_file=cache_file))
    same(one, check([project / "records"], jobs=2, cache_file=cache_file))
