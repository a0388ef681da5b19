"""The site's URL scheme, in one place: where each page lives and how pages link to each other.

URLs here are relative to the site root, without a leading slash, in MkDocs' directory style
(``records/2021-01-13-carbon-neutrality-tf-1/``). Korean, the default language, lives at the root;
English under ``en/``. Pages link to each other with relative URLs, so the site works under any
path prefix and on any static host.
"""

from __future__ import annotations

import posixpath

from sillok.schema import LANGUAGES

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


def by_date(language: str, year: int | None = None, month: int | None = None) -> str:
    path = f"{root(language)}{RECORDS}/date/"
    if year is not None:
        path += f"{year}/"
        if month is not None:
            path += f"{month:02d}/"
    return path


def by_type(language: str, record_type: str | None = None) -> str:
    return f"{root(language)}{RECORDS}/type/" + (f"{record_type}/" if record_type else "")


def by_office(language: str, office_id: str | None = None) -> str:
    return f"{root(language)}{RECORDS}/office/" + (f"{office_id}/" if office_id else "")


def source(url: str, language: str) -> str:
    """The docs/ file (relative to docs/) that MkDocs and mkdocs-static-i18n turn into ``url``.

    ``records/x/`` in Korean comes from ``records/x.ko.md``; ``en/records/x/`` from ``records/x.en.md``.
    """
    path = url.removeprefix(root(language)).rstrip("/")
    if path in ("", RECORDS):
        path = f"{path}/index".lstrip("/")
    return f"{path}.{language}.md"


def relative(page: str, target: str) -> str:
    """The relative link from page URL ``page`` to ``target`` (a directory URL ending in / or a file)."""
    base = page.rstrip("/") or "."
    if not page.endswith("/") and page:
        base = posixpath.dirname(page) or "."
    is_dir = target == "" or target.endswith("/")
    link = posixpath.relpath(target.rstrip("/") or ".", base)
    if is_dir:
        return "./" if link == "." else link + "/"
    return link


def absolute(site_url: str, url: str) -> str:
    """The full address of ``url`` on a site published at ``site_url`` (or the root path when unknown)."""
    return f"{site_url}{url}" if site_url else f"/{url}"
