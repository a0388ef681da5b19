"""Where things live on the published site: the URL scheme, stated once.

Korean pages live at the site root and English pages under ``en/``. Change the scheme here and
every feed, dataset, sitemap and page head follows.
"""

from __future__ import annotations

import re

from sillok import schema

DEFAULT_LANGUAGE = schema.LANGUAGES[0]
"""The language served at the site root (Korean)."""

_ABSOLUTE = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?", re.IGNORECASE)


def normalize_base_url(base_url: str) -> str:
    """The site's absolute base URL ending in ``/``; feeds, sitemaps and linked data need absolute URLs."""
    if not _ABSOLUTE.fullmatch(base_url or ""):
        raise ValueError(f"base_url must be an absolute http(s) URL such as https://records.example.go.kr/, got {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def home_url(language: str, base_url: str) -> str:
    """The site's home page in a language: ``{base}`` (ko) or ``{base}en/`` (en)."""
    base = normalize_base_url(base_url)
    return base if language == DEFAULT_LANGUAGE else f"{base}{language}/"


def record_url(record_id: str, language: str, base_url: str) -> str:
    """A record's page in a language: ``{base}records/{id}/`` (ko), ``{base}en/records/{id}/`` (en)."""
    if language not in schema.LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(schema.LANGUAGES)}, got {language!r}")
    return f"{home_url(language, base_url)}records/{record_id}/"


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
    """The JSON document of one record (both languages), e.g. ``data/records/2021-01-13-x.json``."""
    return f"data/records/{record_id}.json"


def feed_path(language: str, record_type: str | None = None) -> str:
    """An Atom feed: ``feeds/ko/all.atom`` for every record, ``feeds/ko/press-release.atom`` per type."""
    return f"feeds/{language}/{record_type or 'all'}.atom"
