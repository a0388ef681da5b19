"""The static search index: one per language, cut into small files a phone loads a few of.

Build time reads :class:`~sillok.record.model.Record` objects and writes, per language, under
``_search/<lang>/`` of the built site:

- ``manifest.sidx``: counts, filter values (types, years, offices), and the first token of each shard;
- ``docs.sidx``: type, office and length class of each record, numbered newest first, for filters and ranking;
- ``s/<n>.sidx``: shards of the inverted index, token → [record delta, count, (position mask,) ...], tokens sorted;
- ``f/<n>.sidx``: bundles of :data:`FRAGMENT_BUNDLE` fragments (title, date, type, office, url and plain text
  for the snippet), oldest record first: record ``r`` (numbered newest first) has age ``a = count - 1 - r`` and
  sits at position ``a % FRAGMENT_BUNDLE`` of bundle ``a // FRAGMENT_BUNDLE``, so a new record leaves the older
  bundles as they were; a static host gets a few files per hundred records instead of one per record.

``.sidx`` files are gzip-compressed JSON; the browser inflates them itself, so transfer stays small
on any static host, with or without server compression. A query loads the manifest, the docs table,
the one shard per query token, and the fragment bundles of the ten results it shows.

Only record content and metadata are indexed (title, summary, body, tags and office name), never
site navigation or banners. Every record is in both languages' indexes, as the browse pages list it: a
record without text in a language is indexed for it through its fallback page (the page's metadata and the
text the record has), and its result says in which language its text is. Tokens come from :mod:`sillok.site.search.analysis`, which ``search.js`` mirrors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import marshal
import math
import os
import re
import shutil
from array import array
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES, RECORD_TYPES
from sillok.site import urls
from sillok.site.labels import format_date, label, language_name
from sillok.site.output.reuse import ReusedFiles
from sillok.site.search.analysis import index_tokens, is_bigram

INDEX_FOLDER = "_search"
"""Where the indexes go in the built site: ``_search/ko/``, ``_search/en/``."""
ASSET_FOLDER = "assets/sillok-search"
"""Where ``search.js`` and ``search.css`` go in the built site."""
SHARD_BYTES = 24_000
"""Tokens are packed into a shard until its JSON reaches this size (one long posting list may exceed it)."""
TITLE_WEIGHT = 5
"""A token in the title counts as this many in the body."""
MAX_COUNT = 255
"""Token counts (title counts included) are capped here; BM25 saturates long before."""
LENGTH_CLASSES = 16
"""A record's length relative to the average, in quarter powers of two (¼× … 3.4×): one letter per record."""
FRAGMENT_CHARS = 20_000
"""Plain text kept per record for snippets; the index itself covers the whole text."""
FRAGMENT_BUNDLE = 16
"""Fragments per bundle file: 16 keeps a bundle near 20 KB gzipped, so the ten results shown cost a few bundles."""
FORMAT = 5
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
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # headings, quotes, list markers
    (re.compile(r"^\s*([-*_]\s*){3,}$", re.M), ""),  # rules
    (re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$", re.M), ""),  # table alignment rows
    (re.compile(r"[*_`]+"), ""),  # emphasis and code marks (**탄소중립**을 stays one word)
    (re.compile(r"\|"), " "),  # table pipes
    (re.compile(r"[ \t]+"), " "),
]


def plain_text(markdown: str) -> str:
    """The words of a Markdown body, without its syntax (links keep their text)."""
    text = markdown
    for pattern, replacement in MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def record_url(record_id: str, language: str, base_url: str = "/") -> str:
    """The record's page on a site served at the path ``base_url`` (the site's one URL scheme, :mod:`sillok.site.urls`)."""
    return f"{base_url.rstrip('/')}/{urls.record(record_id, language)}"


def documents(records: list[Record], language: str, base_url: str = "/") -> list[SearchDoc]:
    """Every record, newest first; one without text in ``language`` through its fallback page (original text)."""
    docs = []
    for record in records:
        text = record.text(language) or record.texts[record.original_language]
        parts = [text.summary or "", plain_text(text.body), " ".join(record.tags)]
        docs.append(
            SearchDoc(
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
        )
    docs.sort(key=lambda d: (d.date, d.id), reverse=True)
    return docs


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gzip(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6, mtime=0)  # level 9: +50% time for -0.4% size


def _gzip_json(value) -> bytes:
    return _gzip(_json(value))


def length_class(length: int, average: float) -> int:
    """0..15: round(4·log2(length / average)) + 8, which ``search.js`` turns back into 2^((class − 8) / 4)."""
    ratio = max(length, 1) / (average or 1)
    return min(LENGTH_CLASSES - 1, max(0, round(4 * math.log2(ratio)) + 8))


Analysis = tuple[str, bytes, int, str]
"""One record's part of an index, compact (a build holds one per record): its tokens joined by newlines, their
counts and position masks as unsigned 16-bit pairs, its length, and its result fragment as JSON."""


def analyse(doc: SearchDoc, language: str) -> Analysis:
    """What one record adds to the index of ``language``: depends on nothing else, so it is cached per record."""
    tokens = index_tokens(f"{doc.office}\n{doc.text}")
    for token, (count, mask) in index_tokens(doc.title).items():
        entry = tokens.setdefault(token, [0, 0])
        entry[0] += TITLE_WEIGHT * count
        entry[1] |= mask
    length = sum(count for count, _ in tokens.values())
    numbers = array("H", [value for count, mask in tokens.values() for value in (min(count, MAX_COUNT), mask)])
    return "\n".join(tokens), numbers.tobytes(), length, _json(fragment(doc, language)).decode("utf-8")


def index_files(docs: list[SearchDoc], analyses: list[Analysis], language: str) -> dict[str, bytes]:
    """The index files of one language, ``{relative path: uncompressed JSON}``, from each record's :func:`analyse`."""
    postings: dict[str, list[int]] = {}
    last: dict[str, tuple[int, bool]] = {}  # per token: the last record number in its list, and whether it has masks
    for number, (joined, packed, _length, _fragment) in enumerate(analyses):
        numbers = array("H")
        numbers.frombytes(packed)
        tokens = joined.split("\n") if joined else []
        for token, count, mask in zip(tokens, numbers[0::2], numbers[1::2], strict=True):
            previous, with_mask = last.get(token) or (-1, is_bigram(token))
            flat = postings.get(token)
            if flat is None:
                flat = postings[token] = []
            if with_mask:
                flat += (number - previous, count, mask)
            else:
                flat += (number - previous, count)
            last[token] = (number, with_mask)
    lengths = [analysis[2] for analysis in analyses]
    average = sum(lengths) / len(lengths) if lengths else 1

    files: dict[str, bytes] = {}
    shard_starts: list[str] = []
    shard: dict[str, list[int]] = {}
    size = 0

    def flush() -> None:
        nonlocal shard, size
        if shard:
            files[f"s/{len(shard_starts) - 1}.sidx"] = _json(shard)
        shard, size = {}, 0

    for token in sorted(postings):
        flat = postings[token]
        if not shard:
            shard_starts.append(token)
        shard[token] = flat
        size += len(token) * 3 + 6 * len(flat)
        if size >= SHARD_BYTES:
            flush()
    flush()

    types = sorted({d.type for d in docs})
    offices = sorted({(d.office_id, d.office) for d in docs})
    office_number = {office_id: n for n, (office_id, _) in enumerate(offices)}
    years: list[list[int]] = []  # [year, first record, end], records are newest first
    for number, doc in enumerate(docs):
        year = int(doc.date[:4])
        if years and years[-1][0] == year:
            years[-1][2] = number + 1
        else:
            years.append([year, number, number + 1])
    files["docs.sidx"] = _json(
        {
            "type": [types.index(d.type) for d in docs],
            "office": [office_number[d.office_id] for d in docs],
            "length": "".join(chr(ord("a") + length_class(length, average)) for length in lengths),
        }
    )
    oldest_first = [analysis[3] for analysis in reversed(analyses)]  # a new record leaves older bundles unchanged
    for start in range(0, len(oldest_first), FRAGMENT_BUNDLE):
        bundle = oldest_first[start : start + FRAGMENT_BUNDLE]
        files[f"f/{start // FRAGMENT_BUNDLE}.sidx"] = ("[" + ",".join(bundle) + "]").encode("utf-8")
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    manifest = {
        "format": FORMAT,
        "language": language,
        "version": digest.hexdigest()[:16],
        "count": len(docs),
        "bundle": FRAGMENT_BUNDLE,
        "shards": shard_starts,
        "types": [[t, RECORD_TYPES.get(t, {}).get(language, t), sum(d.type == t for d in docs)] for t in types],
        "offices": [[office_id, name, sum(d.office_id == office_id for d in docs)] for office_id, name in offices],
        "years": years,
        "text": UI_TEXT[language],
    }
    files["manifest.sidx"] = _json(manifest)
    return files


def build_index(docs: list[SearchDoc], language: str) -> dict[str, bytes]:
    """The index files of one language, ``{relative path: bytes as published}``; nothing is written here."""
    raw = index_files(docs, [analyse(doc, language) for doc in docs], language)
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
"""From this many records to analyse, the records are analysed in worker processes."""
CHUNK = 200
"""Records (in one language) per task sent to a worker."""
ANALYSES = "search-analyses-{language}.marshal"
"""The analysis of each record (:func:`analyse`) by a digest of its search document, kept in ``.sillok-cache/``."""


def _analyse_chunk(items: list[tuple[SearchDoc, str]]) -> list[Analysis]:
    return [analyse(doc, language) for doc, language in items]


def doc_key(doc: SearchDoc, language: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\0{language}\0{doc!r}".encode()).hexdigest()


def _load_analyses(path: Path | None) -> dict[str, Analysis]:
    if path is None:
        return {}
    try:
        data = marshal.loads(path.read_bytes())  # written by this build only; anything unreadable is ignored
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_analyses(path: Path, analyses: dict[str, Analysis]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(marshal.dumps(analyses))
    os.replace(temporary, path)


def _analyses(
    docs: list[SearchDoc], language: str, reuse: ReusedFiles | None, jobs: int, pool: Callable[[], ProcessPoolExecutor]
) -> list[Analysis]:
    """Each document's analysis: from the cache when its key is there, else made (in ``pool()`` when many)."""
    salt = reuse.salt if reuse is not None else ""
    cache_file = reuse.cache_dir / ANALYSES.format(language=language) if reuse and reuse.cache_dir else None
    cached = _load_analyses(cache_file) if reuse is not None and reuse.known else {}
    keys = [doc_key(doc, language, salt) for doc in docs]
    out = [cached.get(key) for key in keys]
    del cached
    todo = [number for number, analysis in enumerate(out) if analysis is None]
    chunks = [[(docs[n], language) for n in todo[i : i + CHUNK]] for i in range(0, len(todo), CHUNK)]
    parallel = jobs > 1 and len(todo) >= PARALLEL_FROM
    made = pool().map(_analyse_chunk, chunks) if parallel else map(_analyse_chunk, chunks)
    for number, analysis in zip(todo, (a for chunk in made for a in chunk), strict=True):
        out[number] = analysis
    if cache_file is not None:
        _save_analyses(cache_file, dict(zip(keys, out, strict=True)))  # a pure function's results: safe any time
    return out


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
    The previous index of each language is replaced as a whole. Records are analysed in ``jobs``
    worker processes (default: one per CPU) and files compressed in threads. With ``reuse`` (a
    build into a fresh folder, with a build cache), each record's analysis is taken from the cache
    when its search document is unchanged, and each index file whose content is unchanged is
    linked from the previous site instead of compressed again: the same bytes as a cold build.
    """
    site_dir = Path(site_dir)
    jobs = jobs or os.cpu_count() or 1
    counts = {}
    with contextlib.ExitStack() as stack:
        pools: list[ProcessPoolExecutor] = []

        def pool() -> ProcessPoolExecutor:  # started once, only when some language has many records to analyse
            if not pools:
                pools.append(stack.enter_context(ProcessPoolExecutor(max_workers=jobs)))
            return pools[0]

        for language in LANGUAGES:  # one language at a time: a build holds one language's analyses
            docs = documents(records, language, base_url)
            analyses = _analyses(docs, language, reuse, jobs, pool)
            files = index_files(docs, analyses, language)
            del analyses
            target = site_dir / INDEX_FOLDER / language
            if target.exists():
                shutil.rmtree(target)
            pending = []
            for relative, raw in files.items():
                path = f"{INDEX_FOLDER}/{language}/{relative}"
                key = hashlib.sha256(raw).hexdigest()
                if reuse is None or not reuse.reuse(site_dir, path, key):
                    pending.append((path, key, raw))
            del files
            with ThreadPoolExecutor(max_workers=jobs) as threads:  # zlib lets go of the GIL while it compresses
                packed = list(threads.map(_gzip, [raw for _, _, raw in pending]))
            for (path, key, _raw), content in zip(pending, packed, strict=True):
                if reuse is not None:
                    reuse.write(site_dir, path, key, content)
                else:
                    (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                    (site_dir / path).write_bytes(content)
            counts[language] = len(docs)
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
