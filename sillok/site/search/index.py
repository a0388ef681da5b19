"""The static search index: one per language, cut into small files a phone loads a few of.

Build time reads :class:`~sillok.record.model.Record` objects and writes, per language, under
``_search/<lang>/`` of the built site:

- ``manifest.sidx``: counts, filter values (types, years, offices), and per tier of records its age range and
  the first token of each of its shards;
- ``docs.sidx``: type, office and length class of each record, numbered newest first, for filters and ranking;
- ``s/<first age>-<end age>/<n>.sidx``: shards of the inverted index, token → [age delta, count, (position mask,)
  ...], tokens sorted. A record's *age* is its place oldest first (``a = count - 1 - r`` for record number ``r``),
  so the newest record only adds to the ends of posting lists; the lists are split by age into tiers
  (:func:`tiers`), so adding it changes only the shards of the newest tier;
- ``f/<n>.sidx``: bundles of :data:`FRAGMENT_BUNDLE` fragments (title, date, type, office, url and plain text
  for the snippet), oldest record first: age ``a`` sits at position ``a % FRAGMENT_BUNDLE`` of bundle
  ``a // FRAGMENT_BUNDLE``, so a new record leaves the older bundles as they were.

``.sidx`` files are gzip-compressed JSON; the browser inflates them itself, so transfer stays small
on any static host, with or without server compression. A query loads the manifest, the docs table,
one shard per query token and tier, and the fragment bundles of the ten results it shows.

Only record content and metadata are indexed (title, summary, body, tags and office name), never
site navigation or banners. Every record is in both languages' indexes, as the browse pages list it: a
record without text in a language is indexed for it through its fallback page (the page's metadata and the
text the record has), and its result says in which language its text is. Tokens come from :mod:`sillok.site.search.analysis`, which ``search.js`` mirrors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import gzip
import hashlib
import itertools
import json
import marshal
import math
import multiprocessing
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES, RECORD_TYPES
from sillok.site import urls
from sillok.site.labels import format_date, label, language_name
from sillok.site.output.forked import clean_context, die_with_parent
from sillok.site.output.reuse import ReusedFiles
from sillok.site.search.postings import Partial, Postings, is_partial, merge_postings, partial_postings

INDEX_FOLDER = "_search"
"""Where the indexes go in the built site: ``_search/ko/``, ``_search/en/``."""
ASSET_FOLDER = "assets/sillok-search"
"""Where ``search.js`` and ``search.css`` go in the built site."""
SHARD_BYTES = 120_000
"""Tokens are packed into a shard until its JSON reaches this many characters (one long posting list may exceed
it): about 35 KB gzipped (Korean); 10,000 records need about 260 Korean and 60 English shards."""
TIERS = (4096, 256)
"""Postings are split by age into whole blocks of the first size, then of the second, then the newest records
(:func:`tiers`); each size a multiple of the next and of :data:`CHUNK`."""
LENGTH_CLASSES = 16
"""A record's length relative to the average, in quarter powers of two (¼× … 3.4×): one letter per record."""
FRAGMENT_CHARS = 20_000
"""Plain text kept per record for snippets; the index itself covers the whole text."""
FRAGMENT_BUNDLE = 32
"""Fragments per bundle file: about 25 KB gzipped (Korean), one file per 32 records; the ten results shown load
at most ten bundles."""
FORMAT = 6
"""Version of the index layout; ``search.js`` refuses an index of another version."""

UI_TEXT = {
    "ko": {
        "placeholder": "기록 검색",
        "label": "검색어",
        "all": "전체",
        "type": "유형",
        "year": "연도",
        "office": "기관",
        "results": "{n}건",
        "result_one": "1건",
        "none": "검색 결과가 없습니다.",
        "more": "결과 더 보기",
        "loading": "검색 중…",
        "error": "검색 색인을 불러오지 못했습니다.",
        "noscript": "검색에는 JavaScript가 필요합니다.",
    },
    "en": {
        "placeholder": "Search the records",
        "label": "Search terms",
        "all": "All",
        "type": "Type",
        "year": "Year",
        "office": "Office",
        "results": "{n} results",
        "result_one": "1 result",
        "none": "No records match.",
        "more": "More results",
        "loading": "Searching…",
        "error": "The search index could not be loaded.",
        "noscript": "Search needs JavaScript.",
    },
}
"""Words of the search page, per language."""
SEARCH_TITLE = {"ko": "검색", "en": "Search"}


@dataclass(frozen=True)
class SearchDoc:
    """One record in one language, as search sees it."""

    id: str
    url: str
    """Site-absolute URL of the record page in this language."""
    title: str
    date: str
    """ISO date, YYYY-MM-DD."""
    type: str
    office_id: str
    office: str
    """The office's name in this language."""
    text: str
    """Summary, body and tags as plain text."""
    text_language: str = ""
    """The language of ``title`` and ``text`` when it is not the page's: the record has no text in this language."""


MARKDOWN_NOISE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # images → alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # links → link text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), "", ()),  # headings, quotes, list markers
    (re.compile(r"^\s*([-*_]\s*){3,}$", re.M), "", ("-", "*", "_")),  # rules
    (re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$", re.M), "", ("|",)),  # table alignment rows
]
"""Each pattern, its replacement, and strings one of which a text must hold for the pattern to match: a text
without any is not searched (a build strips every record's body in both languages). What is left of the syntax
is single characters, removed by ``str.replace`` (a C search, many times faster than a regular expression's)."""


def plain_text(markdown: str) -> str:
    """The words of a Markdown body, without its syntax (links keep their text)."""
    text = markdown
    for pattern, replacement, needles in MARKDOWN_NOISE:
        if not needles or any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    for mark in "*_`":  # emphasis and code marks (**탄소중립**을 stays one word)
        text = text.replace(mark, "")
    text = text.replace("|", " ").replace("\t", " ")  # table pipes, tabs
    while "  " in text:  # runs of blanks: one space
        text = text.replace("  ", " ")
    return "\n".join(filter(None, map(str.strip, text.splitlines())))


def record_url(record_id: str, language: str, base_url: str = "/") -> str:
    """The record's page on a site served at the path ``base_url`` (the site's one URL scheme, :mod:`sillok.site.urls`)."""
    return f"{base_url.rstrip('/')}/{urls.record(record_id, language)}"


def search_doc(record: Record, language: str, base_url: str = "/") -> SearchDoc:
    """The record as the index of ``language`` sees it; one without text in ``language`` through its fallback page."""
    text = record.text(language) or record.texts[record.original_language]
    parts = [text.summary or "", plain_text(text.body), " ".join(record.tags)]
    return SearchDoc(
        id=record.id,
        url=record_url(record.id, language, base_url),
        title=text.title,
        date=record.date.isoformat(),
        type=record.type,
        office_id=record.office.id,
        office=record.office.name(language),
        text="\n".join(p for p in parts if p),
        text_language="" if text.language == language else text.language,
    )


def documents(records: list[Record], language: str, base_url: str = "/") -> list[SearchDoc]:
    """Every record, newest first (for tests and benchmarks: a build never holds them all)."""
    docs = [search_doc(record, language, base_url) for record in records]
    docs.sort(key=lambda d: (d.date, d.id), reverse=True)
    return docs


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json(value) -> bytes:
    return _json_text(value).encode("utf-8")


def _gzip(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6, mtime=0)  # level 9: +50% time for -0.4% size


def length_class(length: int, average: float) -> int:
    """0..15: round(4·log2(length / average)) + 8, which ``search.js`` turns back into 2^((class − 8) / 4)."""
    ratio = max(length, 1) / (average or 1)
    return min(LENGTH_CLASSES - 1, max(0, round(4 * math.log2(ratio)) + 8))


@dataclass(frozen=True)
class DocMeta:
    """What the docs table and the manifest need of a record in one language: no text."""

    date: str
    type: str
    office_id: str
    office: str


def shard_files(postings: Postings, prefix: str) -> tuple[list[str], dict[str, bytes]]:
    """The shards of one tier of the inverted index, named ``<prefix><n>.sidx``, and the first token of each."""
    starts: list[str] = []
    files: dict[str, bytes] = {}
    for first, raw in postings.shards(SHARD_BYTES):
        files[f"{prefix}{len(starts)}.sidx"] = raw
        starts.append(first)
    return starts, files


def tiers(count: int) -> list[tuple[int, int]]:
    """The age ranges the postings are split into: whole blocks of :data:`TIERS` records, then the newest.

    Adding the newest record changes only the last range (fewer than ``TIERS[-1]`` records); every
    ``TIERS[-1]`` records the middle one is remade, every ``TIERS[0]`` the first: a rebuild redoes
    the shards of the records added lately, not the archive's. A query reads one shard per range.
    """
    bounds = [0] + [count // size * size for size in TIERS] + [count]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def tier_prefix(start: int, end: int) -> str:
    return f"s/{start}-{end}/"


def index_files(
    metas: list[DocMeta], lengths: list[int], shard_starts: list[list], language: str, keys: list[str]
) -> dict[str, bytes]:
    """The docs table and manifest of one language, ``{relative path: uncompressed JSON}``.

    ``metas`` and ``lengths`` are newest first (the records' numbers); ``shard_starts`` is
    ``[[first age, end age, [first token of each shard]], ...]`` per tier; ``keys`` name the contents
    of the shards and bundles, for the manifest's version.
    """
    files: dict[str, bytes] = {}
    average = sum(lengths) / len(lengths) if lengths else 1
    types = sorted({d.type for d in metas})
    offices = sorted({(d.office_id, d.office) for d in metas})
    office_number = {office_id: n for n, (office_id, _) in enumerate(offices)}
    type_number = {t: n for n, t in enumerate(types)}
    years: list[list[int]] = []  # [year, first record, end], records are newest first
    for number, doc in enumerate(metas):
        year = int(doc.date[:4])
        if years and years[-1][0] == year:
            years[-1][2] = number + 1
        else:
            years.append([year, number, number + 1])
    files["docs.sidx"] = _json(
        {
            "type": [type_number[d.type] for d in metas],
            "office": [office_number[d.office_id] for d in metas],
            "length": "".join(chr(ord("a") + length_class(length, average)) for length in lengths),
        }
    )
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    for key in keys:
        digest.update(key.encode())
    type_counts = Counter(d.type for d in metas)
    office_counts = Counter(d.office_id for d in metas)
    manifest = {
        "format": FORMAT,
        "language": language,
        "version": digest.hexdigest()[:16],
        "count": len(metas),
        "bundle": FRAGMENT_BUNDLE,
        "tiers": shard_starts,
        "types": [[t, RECORD_TYPES.get(t, {}).get(language, t), type_counts[t]] for t in types],
        "offices": [[office_id, name, office_counts[office_id]] for office_id, name in offices],
        "years": years,
        "text": UI_TEXT[language],
    }
    files["manifest.sidx"] = _json(manifest)
    return files


def bundle_json(fragments: list[str]) -> bytes:
    return ("[" + ",".join(fragments) + "]").encode("utf-8")


def build_index(docs: list[SearchDoc], language: str) -> dict[str, bytes]:
    """The index files of one language (``docs`` newest first), ``{relative path: bytes as published}``, made in
    this process and not written: the files :func:`write_search` writes for the same records."""
    oldest = docs[::-1]
    partials, lengths, raw = [], [], {}
    for start in range(0, len(oldest), CHUNK):
        partial, chunk_lengths = partial_postings(oldest[start : start + CHUNK])
        partials.append((start, partial))
        lengths += chunk_lengths
    for start in range(0, len(oldest), FRAGMENT_BUNDLE):
        fragments = [_json_text(fragment(doc, language)) for doc in oldest[start : start + FRAGMENT_BUNDLE]]
        raw[f"f/{start // FRAGMENT_BUNDLE}.sidx"] = bundle_json(fragments)
    shard_starts = []
    for start, end in tiers(len(oldest)):
        starts, shards = shard_files(
            merge_postings(partials[start // CHUNK : -(-end // CHUNK)]), tier_prefix(start, end)
        )
        shard_starts.append([start, end, starts])
        raw.update(shards)
    metas = [DocMeta(d.date, d.type, d.office_id, d.office) for d in docs]
    keys = [hashlib.sha256(raw[path]).hexdigest() for path in sorted(raw)]
    raw.update(index_files(metas, lengths[::-1], shard_starts, language, keys))
    return {path: _gzip(content) for path, content in raw.items()}


def fragment(doc: SearchDoc, language: str) -> dict:
    """What a result shows: title, date as the page's language writes it, type, office, text for the snippet,
    and for a record without text in this language, the language its text is in (``lang``) and a note saying so."""
    out = {
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "date": doc.date,
        "when": format_date(dt.date.fromisoformat(doc.date), language),
        "type": doc.type,
        "office": doc.office,
        "text": doc.text[:FRAGMENT_CHARS],
        "cut": len(doc.text) > FRAGMENT_CHARS,
    }
    if doc.text_language:
        out["lang"] = doc.text_language
        out["note"] = label("only_in", language, language=language_name(doc.text_language, language))
    return out


PARALLEL_FROM = 500
"""From this many records to read, the work is done in worker processes."""
CHUNK = 64
"""Records per chunk in the newest tier, oldest first (older tiers are made of chunks of ``TIERS[-1]``,
:func:`chunks`): a worker's task, and the unit of the postings cache (a multiple of :data:`FRAGMENT_BUNDLE`, so
a chunk holds whole bundles)."""
CACHE_FOLDER = "search"
"""Under ``.sillok-cache/``: each chunk's partial postings and lengths, by a digest of its records' keys."""


def chunks(count: int) -> list[tuple[int, int]]:
    """The age ranges records are read in: whole blocks of ``TIERS[-1]`` up to the newest tier, then
    :data:`CHUNK` at a time.

    A new record is read again with at most ``CHUNK - 1`` others (its chunk in the newest tier); older records,
    which a new one never touches, come in larger chunks: each token gets one piece of posting list per chunk,
    and fewer pieces are less work to make, send, cache and merge (at 10,000 records, 0.7 million instead of
    1.4 million). When the newest tier fills a block, its records are read again once as one chunk.
    """
    block = TIERS[-1]
    newest = count // block * block
    spans = [(start, start + block) for start in range(0, newest, block)]
    return spans + [(start, min(start + CHUNK, count)) for start in range(newest, count, CHUNK)]


def doc_key(record: Record, language: str, base_url: str, salt: str) -> str:
    """A digest of everything the record's search document in ``language`` is made from, without reading its body."""
    text = record.text(language) or record.texts[record.original_language]
    body = f"{text.digest}@{text.body_offset}" if text.digest else hashlib.sha256(text.body.encode()).hexdigest()
    parts = [salt, language, base_url, record.id, record.date.isoformat(), record.type, record.office.id]
    parts += [
        record.office.name(language),
        "\x1f".join(record.tags),
        text.language,
        text.title,
        text.summary or "",
        body,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


INHERITED: list[Record] = []
"""The build's records (oldest first) while :func:`write_search` runs: a worker forked from the build reads its
chunks' records here instead of receiving them pickled (pickling every record once per language was seconds of
the main process's time)."""


@dataclass
class ChunkTask:
    """Work on one chunk of records (oldest first): its partial postings unless cached, and the bundles to make."""

    start: int
    end: int
    records: list[Record] | None
    """The records, or None in a forked worker, which has them from its parent (:data:`INHERITED`)."""
    language: str
    base_url: str
    postings: bool
    bundles: list[int]
    """Numbers (in the whole index) of the fragment bundles to make from these records."""
    bundle: int = 0
    """Fragments per bundle (:data:`FRAGMENT_BUNDLE` as the build has it): a worker started clean does not share
    the build's module state."""


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """No garbage collection while a chunk is analysed or merged: it makes hundreds of thousands of lists and
    dictionaries, none in a cycle, and each collection they trigger walks those that survive (about a tenth of
    the analysis's CPU). Collection is as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_chunk(task: ChunkTask) -> tuple[int, Partial | None, list[int] | None, dict[int, bytes]]:
    """A chunk's partial postings and lengths (when asked) and its asked-for bundles, compressed: in a worker."""
    with without_gc():
        return _run_chunk(task)


def _run_chunk(task: ChunkTask) -> tuple[int, Partial | None, list[int] | None, dict[int, bytes]]:
    records = task.records if task.records is not None else INHERITED[task.start : task.end]
    docs = [search_doc(record, task.language, task.base_url) for record in records]
    partial, lengths = partial_postings(docs) if task.postings else (None, None)
    bundles = {}
    size = task.bundle or FRAGMENT_BUNDLE
    for number in task.bundles:
        first = number * size - task.start
        members = docs[first : first + size]
        bundles[number] = _gzip(bundle_json([_json_text(fragment(doc, task.language)) for doc in members]))
    return task.start, partial, lengths, bundles


def _load(path: Path) -> tuple | None:
    try:
        data = marshal.loads(path.read_bytes())  # written by a build only; anything unreadable is made again
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, tuple) and len(data) == 2 else None


def _save(path: Path, value: tuple) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(marshal.dumps(value))
    os.replace(temporary, path)


def _write_language(
    records: list[Record],
    language: str,
    site_dir: Path,
    base_url: str,
    reuse: ReusedFiles | None,
    jobs: int,
    pool: Callable[[], tuple[ProcessPoolExecutor, bool]],
) -> None:
    """One language's index (``records`` oldest first).

    Each file has a key naming what it is made from (a bundle: its records' keys; a tier's shards:
    its records' keys), so with ``reuse`` a file whose key is unchanged is linked from
    the previous site before anything is read. What is left is made from the chunks' partial
    postings (cached under ``.sillok-cache/search/`` by their records' keys, made in workers when
    not there) and the bundles' records (read in the same workers).
    """
    salt = reuse.salt if reuse is not None else ""
    cache_dir = reuse.cache_dir / CACHE_FOLDER if reuse is not None and reuse.cache_dir is not None else None
    read_cache = reuse is not None and reuse.previous is not None and bool(reuse.known)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    keys = [doc_key(record, language, base_url, salt) for record in records]  # oldest first
    folder = f"{INDEX_FOLDER}/{language}"

    bundle_keys, needed_bundles = [], set()
    for number, start in enumerate(range(0, len(records), FRAGMENT_BUNDLE)):
        key = _digest("bundle", *keys[start : start + FRAGMENT_BUNDLE])
        bundle_keys.append(key)
        if reuse is None or not reuse.reuse(site_dir, f"{folder}/f/{number}.sidx", key):
            needed_bundles.add(number)

    spans = chunks(len(records))
    chunk_keys = {start: _digest("chunk", *keys[start:end]) for start, end in spans}
    used = {f"{language}-{key[:40]}.marshal" for key in chunk_keys.values()}
    made_tiers: dict[tuple[int, int], str] = {}  # tiers whose shards must be made, with their keys
    shard_starts, lengths, tier_keys = [], [], []
    for start, end in tiers(len(records)):
        tier_key = _digest("tier", str(start), str(end), str(SHARD_BYTES), *keys[start:end])
        tier_keys.append(tier_key)
        name = f"{language}-tier-{tier_key[:40]}.marshal"
        used.add(name)
        cached = _load(cache_dir / name) if read_cache and cache_dir is not None else None
        prefix = f"{folder}/{tier_prefix(start, end)}"
        if cached is not None and all(
            reuse is not None and reuse.reuse(site_dir, f"{prefix}{n}.sidx", _digest(tier_key, str(n)))
            for n in range(len(cached[0]))
        ):
            shard_starts.append([start, end, cached[0]])
            lengths.extend(cached[1])
        else:
            made_tiers[(start, end)] = tier_key
            shard_starts.append([start, end, []])
            lengths.extend([0] * (end - start))

    chunk_path = (
        {start: cache_dir / f"{language}-{key[:40]}.marshal" for start, key in chunk_keys.items()}
        if cache_dir is not None
        else {}
    )
    made_ranges = sorted(made_tiers)
    plan, tasks = [], []  # chunks in age order: (start, end, its tier if remade, whether a worker has a task)
    for start, end in spans:
        tier = next(((a, b) for a, b in made_ranges if a <= start < b), None)
        cached = tier is not None and read_cache and start in chunk_path and chunk_path[start].is_file()
        bundles = sorted(n for n in needed_bundles if start <= n * FRAGMENT_BUNDLE < end)
        postings = tier is not None and not cached
        if postings or bundles:
            tasks.append(
                ChunkTask(start, end, records[start:end], language, base_url, postings, bundles, FRAGMENT_BUNDLE)
            )
        plan.append((start, end, tier, bool(postings or bundles)))
    if jobs > 1 and sum(task.end - task.start for task in tasks) >= PARALLEL_FROM:
        workers, forked = pool()
        if forked and len(INHERITED) == len(records):  # the workers have the records (write_search's): send ranges
            tasks = [dataclasses.replace(task, records=None) for task in tasks]
        done = iter(workers.map(run_chunk, tasks))
    else:
        done = iter(map(run_chunk, tasks))

    # zlib lets go of the GIL while it compresses; the merged postings are many lists in no cycle (without_gc)
    with ThreadPoolExecutor(max_workers=jobs) as threads, without_gc():
        pending: list = []

        def publish(path: str, key: str, raw: bytes) -> None:
            """Compress and write in threads, a few files in flight: shards are written as they are made."""
            pending.append((path, key, threads.submit(_gzip, raw)))
            while len(pending) > 2 * jobs:
                finished = pending.pop(0)
                _write(site_dir, finished[0], finished[1], finished[2].result(), reuse)

        merged: Postings | None = None
        tier_lengths: list[int] = []
        for start, end, tier, has_task in plan:
            partial = chunk_lengths = None
            if has_task:
                _start, partial, chunk_lengths, bundles = next(done)
                for number, content in bundles.items():
                    _write(site_dir, f"{folder}/f/{number}.sidx", bundle_keys[number], content, reuse)
                if partial is not None and start in chunk_path:  # a pure function's result: safe to keep any time
                    _save(chunk_path[start], (partial, chunk_lengths))
            if tier is None:
                continue
            if partial is None:
                loaded = _load(chunk_path[start])
                if loaded is None or not is_partial(loaded[0]):  # unreadable after all: made here
                    task = ChunkTask(start, end, records[start:end], language, base_url, True, [], FRAGMENT_BUNDLE)
                    _start, partial, chunk_lengths, _bundles = run_chunk(task)
                else:
                    partial, chunk_lengths = loaded
            merged = merged or Postings()
            merged.add(start, partial)
            tier_lengths += chunk_lengths
            del partial
            if end >= tier[1]:  # the tier's last chunk: its shards, written as they are made
                number = [(a, b) for a, b, _ in shard_starts].index(tier)
                prefix = tier_prefix(*tier)
                starts = []
                for first, raw in merged.shards(SHARD_BYTES):
                    publish(f"{folder}/{prefix}{len(starts)}.sidx", _digest(made_tiers[tier], str(len(starts))), raw)
                    starts.append(first)
                shard_starts[number][2] = starts
                lengths[tier[0] : tier[1]] = tier_lengths
                if cache_dir is not None:
                    _save(cache_dir / f"{language}-tier-{made_tiers[tier][:40]}.marshal", (starts, tier_lengths))
                merged, tier_lengths = None, []
        if cache_dir is not None:
            for stale in cache_dir.glob(f"{language}-*.marshal"):
                if stale.name not in used:
                    stale.unlink(missing_ok=True)

        metas = [DocMeta(r.date.isoformat(), r.type, r.office.id, r.office.name(language)) for r in reversed(records)]
        files = index_files(metas, lengths[::-1], shard_starts, language, tier_keys + bundle_keys)
        for relative, raw in files.items():
            path = f"{folder}/{relative}"
            key = hashlib.sha256(raw).hexdigest()
            if reuse is None or not reuse.reuse(site_dir, path, key):
                publish(path, key, raw)
        for path, key, future in pending:
            _write(site_dir, path, key, future.result(), reuse)


def _write(site_dir: Path, path: str, key: str, content: bytes, reuse: ReusedFiles | None) -> None:
    if reuse is not None:
        reuse.write(site_dir, path, key, content)
    else:
        (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / path).write_bytes(content)


def _worker_start() -> None:
    """A forked worker leaves what it inherited out of its garbage collections: the build's records and pages
    are not walked again and again while it makes short-lived objects (and their memory stays shared)."""
    die_with_parent()
    gc.freeze()


def write_search(
    records: list[Record],
    site_dir: Path,
    base_url: str = "/",
    *,
    reuse: ReusedFiles | None = None,
    jobs: int | None = None,
) -> dict[str, int]:
    """Write both languages' indexes and the search assets into a built site; returns records indexed per language.

    ``base_url`` is the site's path on its host (``/`` or ``/archive/``), used for result links.
    The previous index of each language is replaced as a whole. Records are read and analysed in
    chunks (:func:`chunks`) in ``jobs`` worker processes (default: one per CPU); the main process
    holds only the records' metadata and the merged postings, never a text. With ``reuse`` (a
    build into a fresh folder, with a build cache), a chunk's postings come from the cache when
    its records are unchanged, a fragment bundle whose records are unchanged and every other index
    file whose content is unchanged is hard-linked from the previous site: the same bytes as a cold build.
    """
    site_dir = Path(site_dir)
    jobs = jobs or os.cpu_count() or 1
    ordered = sorted(records, key=lambda r: (r.date, r.id))  # oldest first: a record's age is its place here
    counts = {}
    with contextlib.ExitStack() as stack:
        pools: list[tuple[ProcessPoolExecutor, bool]] = []
        stack.callback(INHERITED.clear)

        def pool() -> tuple[ProcessPoolExecutor, bool]:  # started once, when some language has many records to read
            if not pools:
                # workers from a clean server: a chunk's task carries its records (pickled, a few hundred KB)
                # rather than each worker copying most of the build's heap (470 MB each at 100,000 records)
                context = clean_context(__name__)
                if context is None:
                    INHERITED[:] = ordered  # before the workers start: forked, they have it
                workers = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, mp_context=context)
                forked = context is None and multiprocessing.get_start_method() == "fork"
                pools.append((stack.enter_context(workers), forked))
            return pools[0]

        for language in LANGUAGES:
            target = site_dir / INDEX_FOLDER / language
            if target.exists():
                shutil.rmtree(target)
            _write_language(ordered, language, site_dir, base_url, reuse, jobs, pool)
            counts[language] = len(ordered)
    assets = site_dir / ASSET_FOLDER
    assets.mkdir(parents=True, exist_ok=True)
    for name in ("search.js", "search.css"):
        (assets / name).write_bytes(resources.files("sillok.site.search").joinpath(name).read_bytes())
    return counts


def search_html(language: str, base_url: str = "/") -> str:
    """The search box of one language as an HTML block: a plain GET form that ``search.js`` brings to life.

    ``?q=탄소중립&type=…&year=…&office=…`` in the page URL runs a search on load, so a header search
    box can submit to the search page; ``search.js`` reads its index from ``<base_url>_search/<language>/``.
    """
    text = UI_TEXT[language]
    base = base_url.rstrip("/") + "/"
    return f"""<div class="sillok-search" data-language="{language}" data-index="{base}{INDEX_FOLDER}/{language}/">
<form class="sillok-search__form" role="search" method="get">
<label class="sillok-search__label" for="sillok-search-q">{text["label"]}</label>
<input class="sillok-search__input" id="sillok-search-q" type="search" name="q" autocomplete="off" placeholder="{text["placeholder"]}">
</form>
<noscript><p>{text["noscript"]}</p></noscript>
<link rel="stylesheet" href="{base}{ASSET_FOLDER}/search.css">
<script src="{base}{ASSET_FOLDER}/search.js" async></script>
</div>
"""


def search_page(language: str, base_url: str = "/") -> str:
    """The search page of one language as Markdown, for ``docs/search.md`` (ko) and ``docs/en/search.md`` (en)."""
    title = SEARCH_TITLE[language]
    return f"---\ntitle: {title}\n---\n\n# {title}\n\n{search_html(language, base_url)}"
