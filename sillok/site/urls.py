"""The site's URL scheme, in one place: where each page lives and how pages link to each other.

URLs here are relative to the site root, without a leading slash, in MkDocs' directory style
(``records/2021-01-13-carbon-neutrality-tf-1/``). Korean, the default language, lives at the root;
English under ``en/``. Pages link to each other with relative URLs, so the site works under any
path prefix and on any static host.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata

from sillok.intake.slug import slugify
from sillok.record.schema import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]
RECORDS = "records"
"""The folder of docs/ (and of the site) that holds the generated pages; git-ignored."""


def root(language: str) -> str:
    """The language's root on the site: ``""`` for Korean, ``"en/"`` for English."""
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


def home(language: str) -> str:
    return root(language)


def record(record_id: str, language: str) -> str:
    return f"{root(language)}{RECORDS}/{record_id}/"


def attachment(record_id: str, file: str) -> str:
    """Attachments are published once, beside the Korean page, and linked from both languages."""
    return f"{RECORDS}/{record_id}/{file}"


def browse(language: str) -> str:
    return f"{root(language)}{RECORDS}/"


def search(language: str) -> str:
    """The search page (the header's search box submits to it)."""
    return f"{root(language)}{RECORDS}/search/"


def site_path(site_url: str) -> str:
    """The path a site is served under, from its address: ``/`` or ``/archive/``."""
    path = re.sub(r"^https?://[^/]+", "", site_url or "") or "/"
    return path if path.endswith("/") else path + "/"


def data_dictionary(language: str) -> str:
    """The data dictionary as a page (the same text is published as ``data/data-dictionary.md``)."""
    return f"{root(language)}{RECORDS}/data/"


def redactions(language: str) -> str:
    """The public redaction log (record ids start with a date, so this cannot collide with one)."""
    return f"{root(language)}{RECORDS}/redactions/"


BAG = "bag.tar"
"""Where the site publishes the archive as a BagIt bag."""


def by_date(language: str, year: int | None = None, month: int | None = None) -> str:
    path = f"{root(language)}{RECORDS}/date/"
    if year is not None:
        path += f"{year}/"
        if month is not None:
            path += f"{month:02d}/"
    return path


def board(language: str, page: int = 1, oldest: bool = False) -> str:
    """The board: every record in a table, newest first (or oldest first), a bounded number per page."""
    path = f"{root(language)}{RECORDS}/board/" + ("oldest/" if oldest else "")
    return path if page == 1 else f"{path}{page}/"


def by_type(language: str, record_type: str | None = None) -> str:
    return f"{root(language)}{RECORDS}/type/" + (f"{record_type}/" if record_type else "")


def by_office(language: str, office_id: str | None = None) -> str:
    return f"{root(language)}{RECORDS}/office/" + (f"{office_id}/" if office_id else "")


TAG_SLUG_WORDS = 5
"""A tag's slug keeps at most this many words of it (then its digest keeps it unique)."""


@functools.lru_cache(maxsize=65536)
def tag_slug(tag: str) -> str:
    """The URL segment of a tag: readable, safe (lowercase ASCII letters, digits and hyphens) and one per tag.

    A tag already written as a slug (``ai-ethics``) is its own slug. Any other tag (Korean, capitals,
    spaces, punctuation) is romanized with the one slugify (:func:`sillok.intake.slug.slugify`) and
    followed by 8 hex digits of its SHA-256: 미세먼지 → ``misemeonji-…``. Romanization is not one-to-one
    (국민 and 궁민 both read ``gungmin``; ``AI`` and ``ai`` fold together), the digest keeps them apart, and
    the slug depends on the tag alone, so a record's page links to its tags without knowing the others.
    A tag without letters (``2030``) is ``tag-`` and its digest; no slug is a bare number (``tag/2/`` is a page).
    Remembered: an archive uses a few hundred tags on thousands of pages, and romanizing is slow.
    """
    tag = unicodedata.normalize("NFC", tag)
    base = slugify(tag, max_words=TAG_SLUG_WORDS)
    if base and base == tag and not re.search(r"-[0-9a-f]{8}$", tag):
        return base
    digest = hashlib.sha256(tag.encode("utf-8")).hexdigest()[:8]
    return f"{base or 'tag'}-{digest}"


def by_tag(language: str, tag: str | None = None, page: int = 1) -> str:
    """The tags with their counts (``records/tag/``, then ``tag/2/``…), or one tag's records (``tag/<slug>/``…)."""
    path = f"{root(language)}{RECORDS}/tag/" + (f"{tag_slug(tag)}/" if tag is not None else "")
    return path if page == 1 else f"{path}{page}/"


def source(url: str, language: str) -> str:
    """The docs/ file (relative to docs/) that MkDocs and mkdocs-static-i18n turn into ``url``.

    ``records/x/`` in Korean comes from ``records/x.ko.md``; ``en/records/x/`` from ``records/x.en.md``.
    """
    path = url.removeprefix(root(language)).rstrip("/")
    if path in ("", RECORDS):
        path = f"{path}/index".lstrip("/")
    return f"{path}.{language}.md"


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own relative URLs, without its two ``abspath`` calls (a record page
    makes dozens of links); anything with ``..`` or a leading ``/`` goes to ``posixpath.relpath`` itself."""
    if path.startswith("/") or start.startswith("/") or ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def relative(page: str, target: str) -> str:
    """The relative link from page URL ``page`` to ``target`` (a directory URL ending in / or a file).

    Index pages make tens of thousands of links and a record page about twenty; ``posixpath.relpath``
    asks the system for the working folder on each, so this compares the folders itself (the same
    result for URLs without ``..``): the deepest folder of ``page`` that ``target`` lies in, then up
    from the page to it (:func:`_ancestors`, computed once per folder).
    """
    if ".." in page or ".." in target or page.startswith("/") or target.startswith("/"):
        return _relative_slow(page, target)
    if "//" in target or "/." in f"/{target}":  # empty or dot folders: as the parts say
        return _relative_parts(page, target)
    previous = ""
    for folder, up in _ancestors(page[: page.rfind("/") + 1]):
        if target.startswith(folder):
            rest = target[len(folder) :]
            if not rest:  # the folder itself
                return up or "./"
            if previous == f"{folder}{rest}/":
                break  # a file named like one of the page's folders: as the parts say
            return up + rest
        previous = folder
    return _relative_parts(page, target)


_ANCESTORS: dict[str, tuple[tuple[str, str], ...]] = {}


def _ancestors(folder: str) -> tuple[tuple[str, str], ...]:
    """Each folder of a page's folder ``folder`` (``records/x/``), deepest first, with the way up to it
    from the page: ``(("records/x/", ""), ("records/", "../"), ("", "../../"))``."""
    chain = _ANCESTORS.get(folder)
    if chain is None:
        if len(_ANCESTORS) > 4096:
            _ANCESTORS.clear()
        parts = [part for part in folder.split("/") if part and part != "."]
        chain = tuple(
            ("".join(f"{part}/" for part in parts[:n]), "../" * (len(parts) - n)) for n in range(len(parts), -1, -1)
        )
        _ANCESTORS[folder] = chain
    return chain


def _relative_parts(page: str, target: str) -> str:
    """:func:`relative` part by part (any URL without ``..``)."""
    folders = page.split("/")[:-1]  # a page URL's folder: everything before its last slash
    parts = target.split("/")
    is_dir = target == "" or target.endswith("/")
    if is_dir:
        parts.pop()
    folders = [part for part in folders if part and part != "."]
    parts = [part for part in parts if part and part != "."]
    common = 0
    for a, b in zip(folders, parts, strict=False):
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(folders) - common) + parts[common:]) or "."
    if is_dir:
        return "./" if link == "." else link + "/"
    return link


def _relative_slow(page: str, target: str) -> str:
    base = page.rstrip("/") or "."
    if not page.endswith("/") and page:
        base = posixpath.dirname(page) or "."
    is_dir = target == "" or target.endswith("/")
    link = _relpath(target.rstrip("/") or ".", base)
    if is_dir:
        return "./" if link == "." else link + "/"
    return link


# Absolute URLs, for what is read off the site (feeds, sitemaps, linked data, datasets).

_ABSOLUTE = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?", re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def normalize_base_url(base_url: str) -> str:
    """The site's absolute base URL ending in ``/``; feeds, sitemaps and linked data need absolute URLs."""
    if not _ABSOLUTE.fullmatch(base_url or ""):
        raise ValueError(
            f"base_url must be an absolute http(s) URL such as https://records.example.go.kr/, got {base_url!r}"
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def home_url(language: str, base_url: str) -> str:
    """The site's home page in a language: ``{base}`` (ko) or ``{base}en/`` (en)."""
    return normalize_base_url(base_url) + home(language)


def record_url(record_id: str, language: str, base_url: str) -> str:
    """A record's page in a language: ``{base}records/{id}/`` (ko), ``{base}en/records/{id}/`` (en)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return normalize_base_url(base_url) + record(record_id, language)


def site_url(path: str, base_url: str) -> str:
    """A file published at ``path`` (relative to the site root, e.g. ``data/ko/records.csv``)."""
    return normalize_base_url(base_url) + path.lstrip("/")


# Files the open-data step publishes, relative to the site root.

SCHEMA_PATH = "data/record.schema.json"
DICTIONARY_PATH = "data/data-dictionary.md"
SITEMAP_PATH = "sitemap-records.xml"
"""At the site root: a sitemap may only list URLs under its own folder. MkDocs writes its own ``sitemap.xml``."""


def sitemap_part_path(number: int) -> str:
    """One part of a record sitemap too large for one file; ``sitemap-records.xml`` then indexes them."""
    return f"sitemap-records-{number}.xml"


DATASET_NAMES = ("records.csv", "records.json", "records.jsonl")


def dataset_path(language: str, name: str) -> str:
    """A bulk download in one language, e.g. ``data/ko/records.csv``."""
    return f"data/{language}/{name}"


def record_json_path(record_id: str) -> str:
    """The JSON file holding a record's document: one file per month, named from the id's date.

    ``2021-01-13-x`` is in ``data/records/2021/01.json`` (with every other record of January 2021):
    a consumer computes the address from the id alone, and the site publishes about twelve files a
    year instead of one per record (static hosts cap a site's file count).
    """
    return f"data/records/{record_id[:4]}/{record_id[5:7]}.json"


def record_json_link(record_id: str) -> str:
    """A record's document inside its month's file, with the id as fragment: ``data/records/2021/01.json#2021-01-13-x``."""
    return f"{record_json_path(record_id)}#{record_id}"


def feed_path(language: str, record_type: str | None = None) -> str:
    """An Atom feed: ``feeds/ko/all.atom`` for every record, ``feeds/ko/press-release.atom`` per type."""
    return f"feeds/{language}/{record_type or 'all'}.atom"


def absolute(site_url: str, url: str) -> str:
    """The full address of ``url`` on a site published at ``site_url`` (or the root path when unknown)."""
    return f"{site_url}{url}" if site_url else f"/{url}"
