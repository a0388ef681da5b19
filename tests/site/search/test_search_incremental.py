"""A rebuilt search index equals a cold one byte for byte, and redoes only what the new records touch.

The layout is shrunk (chunks of 4 records, bundles of 2, tiers of 16 and 4) so that 22 records
exercise every tier; the build cache and the previous site are the ones ``sillok build`` passes.
"""

from __future__ import annotations

import os

import pytest
from helpers.records import corpus_module

from sillok.site.output.reuse import BuildCache
from sillok.site.search import index as search
from sillok.site.search.index import INDEX_FOLDER, write_search


@pytest.fixture(scope="module")
def records():
    corpus = corpus_module()
    return sorted(corpus.records(23, seed=11, mixed=True), key=lambda r: (r.date, r.id))  # oldest first


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(search, "CHUNK", 4)
    monkeypatch.setattr(search, "FRAGMENT_BUNDLE", 2)
    monkeypatch.setattr(search, "TIERS", (16, 4))
    monkeypatch.setattr(search, "SHARD_BYTES", 3000)
    read = []
    run_chunk = search.run_chunk

    def counting(task):
        read.extend(record.id for record in task.records)
        return run_chunk(task)

    monkeypatch.setattr(search, "run_chunk", counting)
    return read


def files(site):
    folder = site / INDEX_FOLDER
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def build(records, site, cache_dir, previous):
    cache = BuildCache(cache_dir, previous, "salt")
    write_search(records, site, reuse=cache.files("search"), jobs=1)
    cache.save()


def same(a, b):
    assert files(a).keys() == files(b).keys()
    assert [n for n, p in files(a).items() if p.read_bytes() != files(b)[n].read_bytes()] == []


def test_a_new_record_redoes_the_newest_tier_and_bundle_only_and_equals_a_cold_build(records, small, tmp_path):
    cache_dir = tmp_path / "cache"
    build(records[:21], tmp_path / "one", cache_dir, None)
    assert (
        sorted(p.name.split("-")[0] for p in (cache_dir / "search").iterdir()) == ["en"] * 9 + ["ko"] * 9
    )  # chunks, tiers
    small.clear()
    build(records[:22], tmp_path / "two", cache_dir, tmp_path / "one")
    assert small == [records[20].id, records[21].id] * 2  # per language the newest chunk, read again; the rest cached
    build(records[:22], tmp_path / "cold", tmp_path / "cold-cache", None)
    same(tmp_path / "two", tmp_path / "cold")
    before, after = files(tmp_path / "one"), files(tmp_path / "two")
    linked = {n for n, p in after.items() if n in before and os.path.samefile(p, before[n])}
    for language in ("ko", "en"):
        made = {n for n in after if n.startswith(f"{language}/")} - linked
        assert made == {f"{language}/{n}" for n in ("manifest.sidx", "docs.sidx", "f/10.sidx")} | {
            n for n in after if n.startswith(f"{language}/s/20-22/")
        }


@pytest.mark.parametrize("added", [[21, 22], [5]])
def test_records_added_across_a_tier_or_in_the_middle_equal_a_cold_build(records, small, tmp_path, added):
    """Two records fill a tier of 4 (20-23 → 16-20 and 20-24 … ), one older than most shifts every newer record."""
    first = [r for n, r in enumerate(records) if n not in added]
    cache_dir = tmp_path / "cache"
    build(first, tmp_path / "one", cache_dir, None)
    build(records, tmp_path / "two", cache_dir, tmp_path / "one")
    build(records, tmp_path / "cold", tmp_path / "cold-cache", None)
    same(tmp_path / "two", tmp_path / "cold")


def test_a_cold_build_reads_no_cache_but_writes_it(records, small, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    build(records, tmp_path / "one", cache_dir, None)
    written = sorted(p.name for p in (cache_dir / "search").iterdir())
    monkeypatch.setattr(search, "_load", lambda path: pytest.fail(f"a cold build read {path}"))
    build(records, tmp_path / "two", cache_dir, None)
    assert sorted(p.name for p in (cache_dir / "search").iterdir()) == written
    same(tmp_path / "one", tmp_path / "two")


def test_older_tiers_are_read_in_blocks_and_the_newest_in_chunks(monkeypatch):
    monkeypatch.setattr(search, "CHUNK", 2)
    monkeypatch.setattr(search, "TIERS", (16, 4))
    assert search.chunks(11) == [(0, 4), (4, 8), (8, 10), (10, 11)]
    assert search.chunks(8) == [(0, 4), (4, 8)]
    assert search.chunks(3) == [(0, 2), (2, 3)]


def test_a_newest_tier_that_fills_a_block_is_read_again_as_one_chunk_and_equals_a_cold_build(
    records, small, tmp_path, monkeypatch
):
    """Chunks of 2 in the newest tier, blocks of 4 before it: 19 records, then 23 (16-19 becomes a block)."""
    monkeypatch.setattr(search, "CHUNK", 2)
    cache_dir = tmp_path / "cache"
    build(records[:19], tmp_path / "one", cache_dir, None)
    small.clear()
    build(records, tmp_path / "two", cache_dir, tmp_path / "one")
    assert sorted(set(small)) == sorted(r.id for r in records[16:23])  # the block 16-20 and the newest tier 20-23
    build(records, tmp_path / "cold", tmp_path / "cold-cache", None)
    same(tmp_path / "two", tmp_path / "cold")


def test_worker_processes_write_the_same_index(records, tmp_path, monkeypatch):
    """Workers (started clean, from a forkserver) get their chunk's records and bundle size with the task: the same files."""
    monkeypatch.setattr(search, "PARALLEL_FROM", 1)
    monkeypatch.setattr(search, "CHUNK", 4)
    monkeypatch.setattr(search, "FRAGMENT_BUNDLE", 2)
    monkeypatch.setattr(search, "TIERS", (16, 8))
    write_search(records, tmp_path / "workers", jobs=2)
    assert search.INHERITED == []  # let go when the step ends
    write_search(records, tmp_path / "here", jobs=1)
    same(tmp_path / "workers", tmp_path / "here")
