"""How to cite a record: plain text in the reader's language, BibTeX and CSL-JSON.

Citations name the issuing office as author (government records have no personal author), the
title in the cited language, the record type and date, the archive and the record's permanent URL.
"""

from __future__ import annotations

import json
import re

from sillok.record.model import Record
from sillok.site.labels import format_date, type_name


def _title(record: Record, language: str) -> tuple[str, str]:
    """The title to cite and the language it is in (the other language when this one has no text)."""
    text = record.text(language) or record.text(record.original_language)
    return text.title, text.language


def plain(record: Record, language: str, *, archive: str, url: str) -> str:
    """One line of plain text, as a reader would paste it into a paper or a letter."""
    title, _ = _title(record, language)
    office = record.office.name(language)
    kind = type_name(record.type, language)
    date = format_date(record.date, language)
    if language == "ko":
        return f"{office}, 「{title}」, {kind}, {date}, {archive}, 기록 번호 {record.id}, {url}"
    return f"{office}. “{title}.” {kind}, {date}. {archive}, record {record.id}. {url}"


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def _bibtex_escape(text: str) -> str:
    def sub(match: re.Match) -> str:
        char = match.group(1)
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return rf"\{char}{{}}"
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(sub, text)


def bibtex(record: Record, language: str, *, archive: str, url: str) -> str:
    """A ``@misc`` entry; the office is braced so BibTeX keeps it as one corporate author."""
    title, title_language = _title(record, language)
    fields = {
        "author": "{" + _bibtex_escape(record.office.name(language)) + "}",
        "title": "{" + _bibtex_escape(title) + "}",
        "howpublished": _bibtex_escape(type_name(record.type, language)),
        "date": record.date.isoformat(),
        "year": str(record.year),
        "month": str(record.date.month),
        "organization": _bibtex_escape(archive),
        "langid": {"ko": "korean", "en": "english"}[title_language],
        "note": _bibtex_escape(f"{archive}, record {record.id}"),
    }
    if url:
        fields["url"] = url
    key = "sillok-" + record.id
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items()]
    return "@misc{" + key + ",\n" + "\n".join(lines) + "\n}"


def csl(record: Record, language: str, *, archive: str, url: str) -> dict:
    """A CSL-JSON item (the format Zotero, Pandoc and citeproc read)."""
    title, title_language = _title(record, language)
    item = {
        "id": record.id,
        "type": "document",
        "title": title,
        "author": [{"literal": record.office.name(language)}],
        "issued": {"date-parts": [[record.date.year, record.date.month, record.date.day]]},
        "genre": type_name(record.type, language),
        "publisher": record.office.name(language),
        "archive": archive,
        "archive_location": record.id,
        "language": title_language,
    }
    if url:
        item["URL"] = url
    return item


def csl_json(record: Record, language: str, *, archive: str, url: str) -> str:
    """The CSL-JSON of the record: a list of one :func:`csl` item, indented by two spaces."""
    return indented_json([csl(record, language, archive=archive, url=url)])


_STRING = json.encoder.encode_basestring
"""How ``json.dumps(..., ensure_ascii=False)`` writes a string (the C function when there is one)."""


def indented_json(value: object) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, for strings, whole numbers, booleans,
    None, lists and string-keyed dicts: with ``indent`` the standard encoder runs in Python, five times slower
    than this (every record page holds two CSL-JSON items). Anything else goes to ``json.dumps`` itself."""
    try:
        return _indented(value, "\n")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, indent=2)


def _indented(value: object, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is int:
        return int.__repr__(value)
    if value is None or value is True or value is False:
        return "null" if value is None else ("true" if value else "false")
    inner = newline + "  "
    if kind is list:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + newline + "]"
    if kind is dict:
        if not value:
            return "{}"
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(key)
            items.append(_STRING(key) + ": " + _indented(item, inner))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    raise TypeError(kind)
