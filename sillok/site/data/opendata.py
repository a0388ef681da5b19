"""Open data: bulk downloads per language, every record as a JSON document (one file per month), their
JSON Schema and a data dictionary, all from the same :class:`~sillok.record.model.Record` objects the
site is built from.

This module says what each file holds: a record's document, its dataset row in each language, its
CSV row and its sitemap entries, each encoded on its own (:func:`record_parts`), so that the files
can be written part by part and a part reused while its record is unchanged
(:mod:`sillok.site.data.publish` writes them). Field names, types and meanings come from
:mod:`sillok.record.schema`; the few values that are derived rather than archived (time of issue,
digests, links) are described once, below, next to the code that computes them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sillok.record import schema
from sillok.record.model import Record, Text
from sillok.site.data.linkeddata import record_sitemap_entries
from sillok.site.data.rights import Rights, as_rights
from sillok.site.present import shown_language, shown_text
from sillok.site.urls import (
    SCHEMA_PATH,
    dataset_path,
    feed_path,
    normalize_base_url,
    record_json_link,
    record_json_path,
    record_url,
    site_url,
)

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: Excel on Windows reads BOM-less UTF-8 as the ANSI code page and
garbles Korean; Python (``utf-8-sig``), pandas, R and LibreOffice all read the BOM transparently."""
LIST_SEPARATOR = "; "
"""How a list is written in one CSV cell (JSON files keep lists as arrays)."""

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
URI = {"type": "string", "format": "uri"}


def field_doc(dotted: str) -> str:
    """The meaning of a field in :mod:`sillok.record.schema`, by its dotted name (``office.id``, ``translation.method``)."""
    for fields in (schema.RECORD_FIELDS, schema.TEXT_FIELDS):
        found = _find_field(fields, dotted.split("."))
        if found:
            return found.doc
    raise KeyError(f"no field {dotted!r} in sillok.record.schema")


def _find_field(fields: tuple[schema.Field, ...], names: list[str]) -> schema.Field | None:
    for spec in fields:
        if spec.name != names[0]:
            continue
        if len(names) == 1:
            return spec
        kind = spec.kind.item if isinstance(spec.kind, schema.ListOf) else spec.kind
        return _find_field(kind.fields, names[1:]) if isinstance(kind, schema.Group) else None
    return None


# The JSON Schema of a record document, generated from the field schema.


def _pattern(regex: re.Pattern) -> str:
    """A Python pattern as a JSON Schema (ECMA-262) one: anchored, without named groups."""
    return "^(?:" + re.sub(r"\(\?P<\w+>", "(", regex.pattern) + ")$"


def _kind_schema(kind: schema.Kind) -> dict:
    if isinstance(kind, schema.ListOf):
        return {"type": "array", "items": _kind_schema(kind.item)}
    if isinstance(kind, schema.Group):
        return _object_schema(kind.fields)
    if isinstance(kind, schema.Choice):
        return {"type": "string", "enum": list(kind.options)}
    if isinstance(kind, schema.Bool):
        return {"type": "boolean"}
    if isinstance(kind, schema.Date):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(kind, schema.Time):
        return {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$"}
    if isinstance(kind, schema.Url):
        return {**URI, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}
    if isinstance(kind, schema.TimeZone):
        return {"type": "string", "minLength": 1}
    if isinstance(kind, schema.Text):
        result: dict = {"type": "string", "minLength": 1}
        if not kind.multiline:
            result["maxLength"] = kind.max_length
        if kind.pattern:
            result["pattern"] = _pattern(kind.pattern)
        return result
    raise TypeError(
        f"no JSON Schema for field kind {type(kind).__name__}; add it to sillok.site.data.opendata._kind_schema"
    )


def _field_schema(spec: schema.Field) -> dict:
    kind = _kind_schema(spec.kind)
    if spec.required or isinstance(spec.kind, (schema.ListOf, schema.Bool)):
        return {"description": spec.doc, **kind}  # lists are [] and flags false when absent, never null
    return {"description": spec.doc, "anyOf": [kind, {"type": "null"}]}


def _object_schema(
    fields: tuple[schema.Field, ...], extra: dict | None = None, *, required: Iterable[str] | None = None
) -> dict:
    properties = {spec.name: _field_schema(spec) for spec in fields}
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


ATTACHMENT_EXTRA = {
    "size": {"description": "Size of the file in bytes.", "type": "integer", "minimum": 1},
    "media_type": {
        "description": "IANA media type of the file, from its extension and checked against its content.",
        "type": "string",
    },
    "sha256": {"description": "SHA-256 of the file's bytes (64 lowercase hex digits).", **SHA256},
}
TEXT_EXTRA = {
    "language": {"description": "The language of this text.", "type": "string", "enum": list(schema.LANGUAGES)},
    "body": {"description": "The text's Markdown body exactly as archived, after its front matter.", "type": "string"},
}


def _record_extra() -> dict:
    text_schema = _object_schema(schema.TEXT_FIELDS, TEXT_EXTRA)
    return {
        "issued": {
            "description": "Date and time of issue in RFC 3339, with the UTC offset of the record's time zone "
            "(midnight when the time is unknown).",
            "type": "string",
            "format": "date-time",
        },
        "languages": {
            "description": "Languages in which the record's text is archived, original first.",
            "type": "array",
            "items": {"type": "string", "enum": list(schema.LANGUAGES)},
            "minItems": 1,
        },
        "texts": {
            "description": "The record's text in each archived language, by language code (`ko`, `en`).",
            "type": "object",
            "propertyNames": {"enum": list(schema.LANGUAGES)},
            "minProperties": 1,
            "additionalProperties": text_schema,
        },
        "files": {
            "description": "Every file in the record folder (record.yml, the texts, attachments), its size and the "
            "SHA-256 of its bytes: download the files and compare to verify them.",
            "type": "array",
            "items": _object_schema(
                (),
                {
                    "path": {"description": "File name, relative to the record folder.", "type": "string"},
                    "size": {"description": "Size in bytes.", "type": "integer", "minimum": 0},
                    "sha256": {"description": "SHA-256 of the file's bytes (64 lowercase hex digits).", **SHA256},
                },
            ),
        },
        "links": {
            "description": "The record's page in each language it has (`ko`, `en`), and this document (`json`).",
            **_object_schema(
                (),
                {
                    **{
                        lang: {
                            "description": f"The record's page in {schema.LANGUAGE_NAMES[lang]['en']}, when it has a text in it.",
                            **URI,
                        }
                        for lang in schema.LANGUAGES
                    },
                    "json": {
                        "description": "This document: its month's file (`data/records/YYYY/MM.json`, from the "
                        "id's date), with the record's id as fragment.",
                        **URI,
                    },
                },
                required=("json",),
            ),
        },
        "rights": {
            "description": "Under what terms the record may be reused.",
            **_object_schema(
                (),
                {
                    "statement": {"description": "The rights statement.", "type": "string", "minLength": 1},
                    "url": {
                        "description": "Where the licence is explained, or null.",
                        "anyOf": [URI, {"type": "null"}],
                    },
                },
            ),
        },
    }


RECORD_DEF = "#/$defs/record"
"""Where the record's schema is inside the published schema (a record document's ``$schema`` points there)."""


def record_document_schema() -> dict:
    """The JSON Schema of one record document (an item of a month file's ``records``)."""
    fields = []
    for spec in schema.RECORD_FIELDS:
        if spec.name == "attachments":
            item = _object_schema(spec.kind.item.fields, ATTACHMENT_EXTRA)
            fields.append(("attachments", {"description": spec.doc, "type": "array", "items": item}))
        else:
            fields.append((spec.name, _field_schema(spec)))
    properties = {
        "$schema": {"description": "The address of this document's JSON Schema.", **URI},
        **dict(fields),
        **_record_extra(),
    }
    return {
        "title": "sillok record",
        "description": "One archived record: its metadata (as in record.yml), its text in each archived language, "
        "the digests of its files and its links. Generated from sillok/record/schema.py.",
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name != "$schema"],
        "additionalProperties": False,
    }


def record_json_schema(base_url: str | None = None) -> dict:
    """The JSON Schema (2020-12) of a month file, ``data/records/YYYY/MM.json``: ``{"$schema": …, "records": [record, …]}``.

    The record document's own schema is ``$defs/record`` (:func:`record_document_schema`); ``$id`` is the
    schema's published URL when base_url is given.
    """
    result = {"$schema": JSON_SCHEMA_DIALECT}
    if base_url:
        result["$id"] = site_url(SCHEMA_PATH, base_url)
    result |= {
        "title": "sillok records of one month",
        "description": "Every record dated in one month (`data/records/YYYY/MM.json`, named from the records' ids), "
        "oldest first (by date, time, id), each the same record document.",
        "type": "object",
        "properties": {
            "$schema": {"description": "The address of this file's JSON Schema.", **URI},
            "records": {
                "description": "The month's records, oldest first.",
                "type": "array",
                "items": {"$ref": RECORD_DEF},
            },
        },
        "required": ["records"],
        "additionalProperties": False,
        "$defs": {"record": record_document_schema()},
    }
    return result


# One record as a JSON document.


def file_digests(record: Record, known: Iterable[tuple[str, str]] | None = None) -> list[dict]:
    """``{path, size, sha256}`` for every regular file in the record folder, by name.

    ``known`` are the files' ``(name, sha256)`` as the check read them (:class:`~sillok.site.data.publish.KnownDigests`);
    without them every file is hashed from its bytes again.
    """
    if known is not None:
        folder = os.fspath(record.path)
        return [
            {"path": name, "size": os.stat(os.path.join(folder, name)).st_size, "sha256": sha256}
            for name, sha256 in sorted(known)
        ]
    digests = []
    with os.scandir(record.path) as entries:
        files = sorted((e for e in entries if e.is_file(follow_symlinks=False)), key=lambda e: e.name)
    for entry in files:
        with open(entry.path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        digests.append({"path": entry.name, "size": entry.stat(follow_symlinks=False).st_size, "sha256": digest})
    return digests


def _converter(kind: schema.Kind) -> Callable[[object], object]:
    """A model value of ``kind`` as JSON (dates ISO 8601, groups objects, lists arrays, absent null), decided
    once per kind rather than once per value: a record document has some sixty, and every record has one."""
    if isinstance(kind, schema.ListOf):
        item = _converter(kind.item)
        return lambda value: None if value is None else [item(one) for one in value]
    if isinstance(kind, schema.Group):
        fields = _fields_converter(kind.fields)
        return lambda value: None if value is None else fields(value)
    if isinstance(kind, (schema.Date, schema.Time)):
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value


def _fields_converter(fields: tuple[schema.Field, ...]) -> Callable[[object], dict]:
    converters = [(spec.name, spec.target, _converter(spec.kind)) for spec in fields]
    return lambda value: {name: convert(getattr(value, target, None)) for name, target, convert in converters}


_record_fields = _fields_converter(schema.RECORD_FIELDS)
_text_fields = _fields_converter(schema.TEXT_FIELDS)


def links(record: Record, base_url: str) -> dict[str, str]:
    """The record's page in each language it has, then its JSON document (in its month's file)."""
    pages = {lang: record_url(record.id, lang, base_url) for lang in record.languages}
    return {**pages, "json": site_url(record_json_link(record.id), base_url)}


def _text_document(text: Text, body: str) -> dict:
    document = _text_fields(text)
    document["language"] = text.language
    document["body"] = body
    return document


def bodies(record: Record) -> dict[str, str]:
    """Each text's body, read once (a light text reads its file again each time it is asked)."""
    return {language: text.body for language, text in record.texts.items()}


def record_document(
    record: Record,
    base_url: str,
    rights: Rights | str | None = None,
    files: list[dict] | None = None,
    texts: dict[str, str] | None = None,
) -> dict:
    """Everything about one record as a JSON-ready dict, valid against :func:`record_document_schema`.

    ``files`` are the record's :func:`file_digests` and ``texts`` its :func:`bodies`, when the caller already has them.
    """
    rights = as_rights(rights)
    files = file_digests(record) if files is None else files
    texts = bodies(record) if texts is None else texts
    by_name = {f["path"]: f for f in files}
    document: dict = {"$schema": site_url(SCHEMA_PATH, base_url) + RECORD_DEF, **_record_fields(record)}
    for item, attachment in zip(document["attachments"], record.attachments, strict=True):
        item |= {
            "size": attachment.size,
            "media_type": attachment.media_type,
            "sha256": by_name[attachment.file]["sha256"],
        }
    document["issued"] = record.issued.isoformat()
    document["languages"] = list(record.languages)
    document["texts"] = {lang: _text_document(record.texts[lang], texts[lang]) for lang in record.languages}
    document["files"] = files
    document["links"] = links(record, base_url)
    document["rights"] = {"statement": rights.statement, "url": rights.url}
    return document


# Bulk downloads: one row per record, per language.


@dataclass(frozen=True)
class Column:
    """One column of the bulk downloads (a CSV column; a key of each JSON row)."""

    name: str
    type: str
    """``string``, ``date``, ``time``, ``date-time``, ``boolean``, ``list`` or ``url``."""
    doc: str
    value: Callable[[Record, str, str, Rights], object]
    """(record, dataset language, base URL, rights) → the cell's value."""
    by_language: bool = False
    """Whether the value can differ between two languages' datasets (the others are computed once per record)."""


def _translation(attr: str) -> Callable:
    def value(record: Record, language: str, base: str, rights: Rights) -> object:
        translation = shown_text(record, language).translation
        result = getattr(translation, attr) if translation else None
        return result.isoformat() if hasattr(result, "isoformat") else result

    return value


COLUMNS = (
    Column("id", "string", field_doc("id"), lambda r, lang, base, rights: r.id),
    Column("type", "string", field_doc("type"), lambda r, lang, base, rights: r.type),
    Column(
        "type_label",
        "string",
        "The record type's name in this dataset's language.",
        lambda r, lang, base, rights: schema.RECORD_TYPES[r.type][lang],
        by_language=True,
    ),
    Column("date", "date", field_doc("date"), lambda r, lang, base, rights: r.date.isoformat()),
    Column("time", "time", field_doc("time"), lambda r, lang, base, rights: r.time.isoformat() if r.time else None),
    Column("timezone", "string", field_doc("timezone"), lambda r, lang, base, rights: r.timezone),
    Column(
        "issued",
        "date-time",
        "Date and time of issue in RFC 3339 with the record's UTC offset (midnight when the time is unknown).",
        lambda r, lang, base, rights: r.issued.isoformat(),
    ),
    Column("office_id", "string", field_doc("office.id"), lambda r, lang, base, rights: r.office.id),
    Column(
        "office_name",
        "string",
        "The issuing office's name in this dataset's language, as it was when the record was issued.",
        lambda r, lang, base, rights: r.office.name(lang),
        by_language=True,
    ),
    Column("writer", "string", field_doc("writer"), lambda r, lang, base, rights: r.writer),
    Column(
        "original_language", "string", field_doc("original_language"), lambda r, lang, base, rights: r.original_language
    ),
    Column(
        "languages",
        "list",
        "Languages in which the record's text is archived, original first.",
        lambda r, lang, base, rights: list(r.languages),
    ),
    Column("not_archived", "list", field_doc("not_archived"), lambda r, lang, base, rights: list(r.not_archived)),
    Column(
        "language",
        "string",
        "The language of this row's title, summary and text: the dataset's language, or the "
        "record's original language when it has no text in the dataset's language.",
        lambda r, lang, base, rights: shown_language(r, lang),
        by_language=True,
    ),
    Column(
        "title", "string", field_doc("title"), lambda r, lang, base, rights: shown_text(r, lang).title, by_language=True
    ),
    Column(
        "summary",
        "string",
        field_doc("summary"),
        lambda r, lang, base, rights: shown_text(r, lang).summary,
        by_language=True,
    ),
    Column(
        "translator",
        "string",
        field_doc("translation.translator") + " Empty for the original text.",
        _translation("translator"),
        by_language=True,
    ),
    Column(
        "translation_method",
        "string",
        field_doc("translation.method") + " Empty for the original text.",
        _translation("method"),
        by_language=True,
    ),
    Column(
        "translation_date",
        "date",
        field_doc("translation.date") + " Empty for the original text.",
        _translation("date"),
        by_language=True,
    ),
    Column("tags", "list", field_doc("tags"), lambda r, lang, base, rights: list(r.tags)),
    Column(
        "attachments",
        "list",
        "File names of the record's attachments (titles, sizes and digests are in the record's JSON).",
        lambda r, lang, base, rights: [a.file for a in r.attachments],
    ),
    Column("illustrative", "boolean", field_doc("illustrative"), lambda r, lang, base, rights: r.illustrative),
    Column(
        "source_archive",
        "string",
        field_doc("source.archive"),
        lambda r, lang, base, rights: r.source.archive if r.source else None,
    ),
    Column(
        "source_url", "url", field_doc("source.url"), lambda r, lang, base, rights: r.source.url if r.source else None
    ),
    Column(
        "url",
        "url",
        "The record's page in this row's language.",
        lambda r, lang, base, rights: record_url(r.id, shown_language(r, lang), base),
        by_language=True,
    ),
    Column(
        "json_url",
        "url",
        "The record's full JSON document (both languages, attachments and file digests): its "
        "month's file, with the record's id as fragment.",
        lambda r, lang, base, rights: site_url(record_json_link(r.id), base),
    ),
    Column(
        "rights", "string", "Under what terms the record may be reused.", lambda r, lang, base, rights: rights.statement
    ),
)
"""The bulk-download columns, in order. ``records.json`` and ``records.jsonl`` rows also carry ``body``."""

BODY_DOC = "The Markdown body of this row's text (JSON and JSON Lines only: bodies are too long for spreadsheet cells)."


_BY_LANGUAGE = tuple(column for column in COLUMNS if column.by_language)


def dataset_row(
    record: Record, language: str, base_url: str, rights: Rights, texts: dict[str, str] | None = None
) -> dict:
    """The record's row in the ``language`` dataset, with JSON values (lists as lists, null when absent)."""
    row = {column.name: column.value(record, language, base_url, rights) for column in COLUMNS}
    row["body"] = shown_text(record, language).body if texts is None else texts[shown_language(record, language)]
    return row


def record_rows(record: Record, base_url: str, rights: Rights, texts: dict[str, str]) -> dict[str, dict]:
    """The record's row in every language's dataset (:func:`dataset_row`), the columns that are the same
    in every language computed once."""
    first, *others = schema.LANGUAGES
    rows = {first: dataset_row(record, first, base_url, rights, texts)}
    for language in others:
        row = dict(rows[first])
        for column in _BY_LANGUAGE:
            row[column.name] = column.value(record, language, base_url, rights)
        row["body"] = texts[shown_language(record, language)]
        rows[language] = row
    return rows


def dataset_rows(
    records: Iterable[Record], language: str, base_url: str, rights: Rights | str | None = None
) -> list[dict]:
    """One row per record, in chronological order (:func:`dataset_row`); the whole dataset in memory, for small archives."""
    rights = as_rights(rights)
    base = normalize_base_url(base_url)
    return [dataset_row(record, language, base, rights) for record in sorted(records, key=Record.sort_key)]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection")."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if value.__class__ is list:
        value = LIST_SEPARATOR.join(value)
    text = value if value.__class__ is str else str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def neutralise_formula(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would run it as a formula, as OWASP recommends.

    Only the CSV gets this (JSON is not opened by spreadsheets); the data dictionary says so.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _CsvLine:
    """One RFC 4180 line (CRLF, quoted where needed) at a time, from one reused writer."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, cells: list[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()


_csv_line = _CsvLine()


_CSV_NAMES = tuple(column.name for column in COLUMNS)


def csv_header() -> bytes:
    """The CSV's first bytes: the byte-order mark and the header row."""
    return _csv_line([column.name for column in COLUMNS]).encode(CSV_ENCODING)


def csv_row(row: dict) -> bytes:
    """One dataset row as a CSV line (no body column), UTF-8 without the BOM (which only starts the file)."""
    return _csv_line([_cell(row[name]) for name in _CSV_NAMES]).encode("utf-8")


def records_csv(rows: list[dict]) -> bytes:
    """RFC 4180 CSV (CRLF line ends, quoted where needed), UTF-8 with BOM, a header row, no body column."""
    return csv_header() + b"".join(csv_row(row) for row in rows)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_line(value: object) -> bytes:
    """Compact JSON on one line, UTF-8 as is (no ``\\u`` escapes): a JSON Lines line, an item of a JSON file."""
    return _COMPACT.encode(value).encode("utf-8")


def json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _slot(language: str) -> str:
    """Stands for a text's body while its document or row is encoded (private-use characters around the language)."""
    return f"\ue000sillok-body-{language}\ue000"


def _spliced(value: dict, encoded: dict[str, str]) -> bytes | None:
    """``value`` (holding :func:`_slot` strings for bodies) as :func:`json_line`, each body's JSON put in its slot;
    None when a slot is not there exactly once (a record's own text holding the slot string)."""
    text = _COMPACT.encode(value)
    for language, body in encoded.items():
        quoted = f'"{_slot(language)}"'
        found = text.count(quoted)
        if found > 1:
            return None
        if found:
            text = text.replace(quoted, body)
    return text.encode("utf-8")


def record_parts(record: Record, base_url: str, rights: Rights, files: list[dict]) -> dict[str, bytes]:
    """Everything the open data says about one record, by stream: its document (``doc``), its CSV row and
    JSON row per language (``csv-ko``, ``json-ko``, …), its sitemap entries (``sitemap``). Each depends on the
    record (its files), the base URL and the rights only.

    A body is the largest value of a document and of a row, and a record's bodies are in its document
    and again in its rows: each is encoded as JSON once and put into the slots left for it.
    """
    texts = bodies(record)
    slots = {language: _slot(language) for language in texts}
    encoded = {language: _COMPACT.encode(body) for language, body in texts.items()}
    document = record_document(record, base_url, rights, files, slots)
    doc = _spliced(document, encoded)
    parts = {
        "doc": json_line(record_document(record, base_url, rights, files, texts)) if doc is None else doc,
        "sitemap": record_sitemap_entries(record, base_url).encode("utf-8"),
    }
    for language, row in record_rows(record, base_url, rights, slots).items():
        line = _spliced(row, encoded)
        if line is None:
            row = {**row, "body": texts[row["language"]]}
            line = json_line(row)
        else:
            row["body"] = texts[row["language"]]
        parts[f"csv-{language}"] = csv_row(row)
        parts[f"json-{language}"] = line
    return parts


# The data dictionary.


def _type_label(node: dict) -> str:
    if "anyOf" in node:
        return " or ".join(_type_label(option) for option in node["anyOf"])
    if "enum" in node:
        return "one of " + ", ".join(f"`{option}`" for option in node["enum"])
    kind = node.get("type")
    if kind == "array":
        return f"array of {_type_label(node['items'])}"
    if kind == "string" and "format" in node:
        return {"date": "date (YYYY-MM-DD)", "date-time": "date-time (RFC 3339)", "uri": "URL"}.get(
            node["format"], node["format"]
        )
    if kind == "string" and node.get("pattern") == SHA256["pattern"]:
        return "SHA-256 (64 hex digits)"
    if kind == "string" and "pattern" in node and ":[0-5]" in node["pattern"]:
        return "time (HH:MM:SS)"
    return kind or "value"


def _schema_rows(node: dict, prefix: str = "") -> list[tuple[str, str, str, str]]:
    rows = []
    required = set(node.get("required", ()))
    for name, child in node.get("properties", {}).items():
        path = prefix + name
        rows.append((path, _type_label(child), "yes" if name in required else "", child.get("description", "")))
        inner = next((option for option in child.get("anyOf", ()) if option.get("type") == "object"), child)
        if inner.get("type") == "array":
            inner, path = inner["items"], path + "[]"
        elif isinstance(inner.get("additionalProperties"), dict):  # a map keyed by language
            inner, path = inner["additionalProperties"], path + ".{lang}"
        if inner.get("type") == "object":
            rows += _schema_rows(inner, path + ".")
    return rows


def data_dictionary(rights: Rights | str | None = None) -> str:
    """The data dictionary as Markdown, generated from the columns and the record JSON Schema."""
    rights = as_rights(rights)
    lines = [
        "# Data dictionary",
        "",
        "Generated by sillok from its record schema; every record in the archive is described the same way.",
        "",
        f"**Rights:** {rights.statement}" + (f" ({rights.url})" if rights.url else ""),
        "",
        "## Files",
        "",
        "| file | contents |",
        "| --- | --- |",
    ]
    for language in schema.LANGUAGES:
        name = schema.LANGUAGE_NAMES[language]["en"]
        lines += [
            f"| `{dataset_path(language, 'records.csv')}` | every record, one row each, {name} text where the record has it; "
            f"UTF-8 with BOM, comma-separated, CRLF, lists joined with `{LIST_SEPARATOR}` |",
            f"| `{dataset_path(language, 'records.json')}` | the same rows as a JSON array, with the Markdown `body` |",
            f"| `{dataset_path(language, 'records.jsonl')}` | the same rows as JSON Lines, with the Markdown `body` |",
        ]
    lines += [
        f"| `data/records/{{YYYY}}/{{MM}}.json` | every record of one month (the year and month its id starts with, "
        f"e.g. `{record_json_path('2021-01-13-x')}`): metadata, texts in every archived language, file digests, links |",
        f"| `{SCHEMA_PATH}` | JSON Schema (2020-12) of a month's JSON file; a record document is its `$defs/record` |",
        f"| `{feed_path('{lang}')}`, `{feed_path('{lang}', '{type}')}` | Atom feeds of the newest records |",
        "",
        "## Bulk download columns",
        "",
        "Dates are ISO 8601 (`YYYY-MM-DD`), times `HH:MM:SS` in the record's time zone, `issued` RFC 3339 with its UTC offset. "
        "An empty CSV cell is `null` in JSON. A CSV cell that would start with `=`, `+`, `-`, `@`, a tab or a "
        'carriage return starts with `\'` instead, so that no spreadsheet runs it as a formula (OWASP, "CSV injection"); '
        "the JSON files keep the value exactly.",
        "",
        "| column | type | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in COLUMNS]
    lines += [
        f"| `body` | string | {BODY_DOC} |",
        "",
        "## Per-record JSON",
        "",
        "A record's document is in the JSON file of its month, named from the date its id starts with: "
        f"`2021-01-13-x` is in `{record_json_path('2021-01-13-x')}`. The file is one object, "
        '`{"$schema": …, "records": [document, …]}`, with the month\'s records oldest first (by date, time, id), '
        "one document per line; find a record by its `id`. Each document has these fields:",
        "",
        "| field | type | always present | meaning |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{path}` | {kind} | {required} | {doc} |"
        for path, kind, required, doc in _schema_rows(record_document_schema())
    ]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
