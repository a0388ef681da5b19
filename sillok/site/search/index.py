"""The static search index: one per language, cut into small files a phone loads a few of.

Build time reads :class:`~sillok.record.model.Record` objects and writes, per language, under
``_search/<lang>/`` of the built site:

- ``manifest.sidx``: counts, filter values (types, years, offices), and the first token of each shard;
- ``docs.sidx``: type, office and length class of each record, numbered newest first, for filters and ranking;
- ``s/<n>.sidx``: shards of the inverted index, token → [record delta, count, (position mask,) ...], tokens sorted;
- ``f/<n>.sidx``: bundles of :data:`FRAGMENT_BUNDLE` fragments (title, date, type, office, url and plain text
  for the snippet), record ``r`` at position ``r % FRAGMENT_BUNDLE`` of bundle ``r // FRAGMENT_BUNDLE``: a
  static host gets a few files per hundred records instead of one per record (some cap a site's file count).

``.sidx`` files are gzip-compressed JSON; the browser inflates them itself, so transfer stays small
on any static host, with or without server compression. A query loads the manifest, the docs table,
the one shard per query token, and the fragment bundles of the ten results it shows.

Only record content and metadata are indexed (title, summary, body, tags and office name), never
site navigation or banners. Every record is in both languages' indexes, as the browse pages list it: a
record without text in a language is indexed for it through its fallback page (the page's metadata and the
text the record has), and its result says in which language its text is. Tokens come from :mod:`sillok.site.search.analysis`, which ``search.js`` mirrors.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sillok.site import urls
from sillok.site.labels import format_date, label, language_name
from sillok.record.model import Record
from sillok.record.schema import LANGUAGES, RECORD_TYPES
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
FORMAT = 4
"""Version of the index layout; ``search.js`` refuses an index of another version."""

UI_TEXT = {
    "ko": {"placeholder": "기록 검색", "label": "검색어", "all": "전체", "type": "유형", "year": "연도", "office": "기관",
           "results": "{n}건", "result_one": "1건", "none": "검색 결과가 없습니다.", "more": "결과 더 보기", "loading": "검색 중…",
           "error": "검색 색인을 불러오지 못했습니다.", "noscript": "검색에는 JavaScript가 필요합니다."},
    "en": {"placeholder": "Search the records", "label": "Search terms", "all": "All", "type": "Type", "year": "Year",
           "office": "Office", "results": "{n} results", "result_one": "1 result", "none": "No records match.", "more": "More results",
           "loading": "Searching…", "error": "The search index could not be loaded.",
           "noscript": "Search needs JavaScript."},
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
        docs.append(SearchDoc(
            id=record.id, url=record_url(record.id, language, base_url), title=text.title, date=record.date.isoformat(),
            type=record.type, office_id=record.office.id, office=record.office.name(language),
            text="\n".join(p for p in parts if p), text_language="" if text.language == language else text.language))
    docs.sort(key=lambda d: (d.date, d.id), reverse=True)
    return docs


def _gzip_json(value) -> bytes:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)  # level 9: +50% time for -0.4% size


def length_class(length: int, average: float) -> int:
    """0..15: round(4·log2(length / average)) + 8, which ``search.js`` turns back into 2^((class − 8) / 4)."""
    ratio = max(length, 1) / (average or 1)
    return min(LENGTH_CLASSES - 1, max(0, round(4 * math.log2(ratio)) + 8))


def build_index(docs: list[SearchDoc], language: str) -> dict[str, bytes]:
    """The index files of one language, ``{relative path: bytes}``; nothing is written here."""
    postings: dict[str, list[tuple[int, int, int]]] = {}
    lengths = []
    for number, doc in enumerate(docs):
        tokens = index_tokens(f"{doc.office}\n{doc.text}")
        for token, (count, mask) in index_tokens(doc.title).items():
            entry = tokens.setdefault(token, [0, 0])
            entry[0] += TITLE_WEIGHT * count
            entry[1] |= mask
        lengths.append(sum(count for count, _ in tokens.values()))
        for token, (count, mask) in tokens.items():
            postings.setdefault(token, []).append((number, count, mask))
    average = sum(lengths) / len(lengths) if lengths else 1

    files: dict[str, bytes] = {}
    shard_starts: list[str] = []
    shard: dict[str, list[int]] = {}
    size = 0

    def flush() -> None:
        nonlocal shard, size
        if shard:
            files[f"s/{len(shard_starts) - 1}.sidx"] = _gzip_json(shard)
        shard, size = {}, 0

    for token in sorted(postings):
        flat: list[int] = []
        previous = -1
        with_mask = is_bigram(token)
        for number, count, mask in postings[token]:
            count = min(count, MAX_COUNT)
            flat += [number - previous, count, mask] if with_mask else [number - previous, count]
            previous = number
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
    files["docs.sidx"] = _gzip_json(
        {
            "type": [types.index(d.type) for d in docs],
            "office": [office_number[d.office_id] for d in docs],
            "length": "".join(chr(ord("a") + length_class(length, average)) for length in lengths),
        }
    )
    for start in range(0, len(docs), FRAGMENT_BUNDLE):
        files[f"f/{start // FRAGMENT_BUNDLE}.sidx"] = _gzip_json(
            [fragment(doc, language) for doc in docs[start : start + FRAGMENT_BUNDLE]]
        )
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
    files["manifest.sidx"] = _gzip_json(manifest)
    return files


def fragment(doc: SearchDoc, language: str) -> dict:
    """What a result shows: title, date as the page's language writes it, type, office, text for the snippet,
    and for a record without text in this language, the language its text is in (``lang``) and a note saying so."""
    out = {"id": doc.id, "url": doc.url, "title": doc.title, "date": doc.date,
           "when": format_date(dt.date.fromisoformat(doc.date), language), "type": doc.type,
           "office": doc.office, "text": doc.text[:FRAGMENT_CHARS], "cut": len(doc.text) > FRAGMENT_CHARS}
    if doc.text_language:
        out["lang"] = doc.text_language
        out["note"] = label("only_in", language, language=language_name(doc.text_language, language))
    return out


PARALLEL_FROM = 500
"""From this many records the two languages are indexed in parallel processes."""


def _write_language(records: list[Record], language: str, target: Path, base_url: str) -> int:
    """Build one language's index and write it to ``target`` (replaced); returns how many records it holds."""
    docs = documents(records, language, base_url)
    if target.exists():
        shutil.rmtree(target)
    for relative, content in build_index(docs, language).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return len(docs)


def write_search(records: list[Record], site_dir: Path, base_url: str = "/") -> dict[str, int]:
    """Write both languages' indexes and the search assets into a built site; returns records indexed per language.

    ``base_url`` is the site's path on its host (``/`` or ``/archive/``), used for result links.
    The previous index of each language is replaced as a whole.
    """
    site_dir = Path(site_dir)
    jobs = [(records, language, site_dir / INDEX_FOLDER / language, base_url) for language in LANGUAGES]
    if len(records) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
            counts = dict(zip(LANGUAGES, pool.map(_write_language, *zip(*jobs, strict=True)), strict=True))
    else:
        counts = {language: _write_language(*job) for language, job in zip(LANGUAGES, jobs, strict=True)}
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
