"""Open data: bulk downloads per language, one JSON document per record, their JSON Schema and a
data dictionary, all from the same :class:`~sillok.record.model.Record` objects the site is built from.

Everything here is rendered to strings first (:func:`render_open_data`); :func:`write_open_data`
then writes what changed. Field names, types and meanings come from :mod:`sillok.record.schema`; the few
values that are derived rather than archived (time of issue, digests, links) are described once,
below, next to the code that computes them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sillok.record import schema
from sillok.site.data.feeds import all_feeds
from sillok.site.data.linkeddata import sitemaps
from sillok.record.model import Record, Text
from sillok.site.present import shown_language, shown_text
from sillok.site.data.rights import Rights, as_rights
from sillok.site.output.reuse import ReusedFiles, digest
from sillok.site.urls import (
    DATASET_NAMES,
    DICTIONARY_PATH,
    SCHEMA_PATH,
    dataset_path,
    feed_path,
    normalize_base_url,
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
    raise TypeError(f"no JSON Schema for field kind {type(kind).__name__}; add it to sillok.site.data.opendata._kind_schema")


def _field_schema(spec: schema.Field) -> dict:
    kind = _kind_schema(spec.kind)
    if spec.required or isinstance(spec.kind, (schema.ListOf, schema.Bool)):
        return {"description": spec.doc, **kind}  # lists are [] and flags false when absent, never null
    return {"description": spec.doc, "anyOf": [kind, {"type": "null"}]}


def _object_schema(fields: tuple[schema.Field, ...], extra: dict | None = None, *, required: Iterable[str] | None = None) -> dict:
    properties = {spec.name: _field_schema(spec) for spec in fields}
    properties.update(extra or {})
    return {"type": "object", "properties": properties,
            "required": list(properties if required is None else required), "additionalProperties": False}


ATTACHMENT_EXTRA = {
    "size": {"description": "Size of the file in bytes.", "type": "integer", "minimum": 1},
    "media_type": {"description": "IANA media type of the file, from its extension and checked against its content.", "type": "string"},
    "sha256": {"description": "SHA-256 of the file's bytes (64 lowercase hex digits).", **SHA256},
}
TEXT_EXTRA = {
    "language": {"description": "The language of this text.", "type": "string", "enum": list(schema.LANGUAGES)},
    "body": {"description": "The text's Markdown body exactly as archived, after its front matter.", "type": "string"},
}


def _record_extra() -> dict:
    text_schema = _object_schema(schema.TEXT_FIELDS, TEXT_EXTRA)
    return {
        "issued": {"description": "Date and time of issue in RFC 3339, with the UTC offset of the record's time zone "
                                  "(midnight when the time is unknown).", "type": "string", "format": "date-time"},
        "languages": {"description": "Languages in which the record's text is archived, original first.",
                      "type": "array", "items": {"type": "string", "enum": list(schema.LANGUAGES)}, "minItems": 1},
        "texts": {"description": "The record's text in each archived language, by language code (`ko`, `en`).",
                  "type": "object", "propertyNames": {"enum": list(schema.LANGUAGES)}, "minProperties": 1,
                  "additionalProperties": text_schema},
        "files": {"description": "Every file in the record folder (record.yml, the texts, attachments), its size and the "
                                 "SHA-256 of its bytes: download the files and compare to verify them.",
                  "type": "array", "items": _object_schema((), {
                      "path": {"description": "File name, relative to the record folder.", "type": "string"},
                      "size": {"description": "Size in bytes.", "type": "integer", "minimum": 0},
                      "sha256": {"description": "SHA-256 of the file's bytes (64 lowercase hex digits).", **SHA256},
                  })},
        "links": {"description": "The record's page in each language it has (`ko`, `en`), and this document (`json`).",
                  **_object_schema((), {
                      **{lang: {"description": f"The record's page in {schema.LANGUAGE_NAMES[lang]['en']}, when it has a text in it.", **URI}
                         for lang in schema.LANGUAGES},
                      "json": {"description": "This document.", **URI},
                  }, required=("json",))},
        "rights": {"description": "Under what terms the record may be reused.", **_object_schema((), {
            "statement": {"description": "The rights statement.", "type": "string", "minLength": 1},
            "url": {"description": "Where the licence is explained, or null.", "anyOf": [URI, {"type": "null"}]},
        })},
    }


def record_json_schema(base_url: str | None = None) -> dict:
    """The JSON Schema (2020-12) of a record document; ``$id`` is its published URL when base_url is given."""
    fields = []
    for spec in schema.RECORD_FIELDS:
        if spec.name == "attachments":
            item = _object_schema(spec.kind.item.fields, ATTACHMENT_EXTRA)
            fields.append(("attachments", {"description": spec.doc, "type": "array", "items": item}))
        else:
            fields.append((spec.name, _field_schema(spec)))
    properties = {"$schema": {"description": "The address of this document's JSON Schema.", **URI}, **dict(fields), **_record_extra()}
    result = {"$schema": JSON_SCHEMA_DIALECT}
    if base_url:
        result["$id"] = site_url(SCHEMA_PATH, base_url)
    result |= {
        "title": "sillok record",
        "description": "One archived record: its metadata (as in record.yml), its text in each archived language, "
                       "the digests of its files and its links. Generated from sillok/schema.py.",
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name != "$schema"],
        "additionalProperties": False,
    }
    return result


# One record as a JSON document.


def file_digests(record: Record) -> list[dict]:
    """``{path, size, sha256}`` for every regular file in the record folder, by name, hashed from its bytes."""
    digests = []
    with os.scandir(record.path) as entries:
        files = sorted((e for e in entries if e.is_file(follow_symlinks=False)), key=lambda e: e.name)
    for entry in files:
        with open(entry.path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        digests.append({"path": entry.name, "size": entry.stat(follow_symlinks=False).st_size, "sha256": digest})
    return digests


def _json_value(kind: schema.Kind, value: object) -> object:
    """A model value as JSON, walking the field schema: dates ISO 8601, groups objects, lists arrays."""
    if value is None:
        return None
    if isinstance(kind, schema.ListOf):
        return [_json_value(kind.item, item) for item in value]
    if isinstance(kind, schema.Group):
        return {spec.name: _json_value(spec.kind, getattr(value, spec.target, None)) for spec in kind.fields}
    if isinstance(kind, (schema.Date, schema.Time)):
        return value.isoformat()
    return value


def links(record: Record, base_url: str) -> dict[str, str]:
    """The record's page in each language it has, then its JSON document."""
    pages = {lang: record_url(record.id, lang, base_url) for lang in record.languages}
    return {**pages, "json": site_url(record_json_path(record.id), base_url)}


def _text_document(text: Text) -> dict:
    document = {spec.name: _json_value(spec.kind, getattr(text, spec.target, None)) for spec in schema.TEXT_FIELDS}
    return {**document, "language": text.language, "body": text.body}


def record_document(
    record: Record, base_url: str, rights: Rights | str | None = None, files: list[dict] | None = None
) -> dict:
    """Everything about one record as a JSON-ready dict, valid against :func:`record_json_schema`.

    ``files`` are the record's :func:`file_digests`, when the caller already has them.
    """
    rights = as_rights(rights)
    files = file_digests(record) if files is None else files
    by_name = {f["path"]: f for f in files}
    document: dict = {"$schema": site_url(SCHEMA_PATH, base_url)}
    for spec in schema.RECORD_FIELDS:
        document[spec.name] = _json_value(spec.kind, getattr(record, spec.target, None))
    for item, attachment in zip(document["attachments"], record.attachments, strict=True):
        item |= {"size": attachment.size, "media_type": attachment.media_type, "sha256": by_name[attachment.file]["sha256"]}
    document["issued"] = record.issued.isoformat()
    document["languages"] = list(record.languages)
    document["texts"] = {lang: _text_document(record.texts[lang]) for lang in record.languages}
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


def _translation(attr: str) -> Callable:
    def value(record: Record, language: str, base: str, rights: Rights) -> object:
        translation = shown_text(record, language).translation
        result = getattr(translation, attr) if translation else None
        return result.isoformat() if hasattr(result, "isoformat") else result
    return value


COLUMNS = (
    Column("id", "string", field_doc("id"), lambda r, lang, base, rights: r.id),
    Column("type", "string", field_doc("type"), lambda r, lang, base, rights: r.type),
    Column("type_label", "string", "The record type's name in this dataset's language.",
           lambda r, lang, base, rights: schema.RECORD_TYPES[r.type][lang]),
    Column("date", "date", field_doc("date"), lambda r, lang, base, rights: r.date.isoformat()),
    Column("time", "time", field_doc("time"), lambda r, lang, base, rights: r.time.isoformat() if r.time else None),
    Column("timezone", "string", field_doc("timezone"), lambda r, lang, base, rights: r.timezone),
    Column("issued", "date-time", "Date and time of issue in RFC 3339 with the record's UTC offset (midnight when the time is unknown).",
           lambda r, lang, base, rights: r.issued.isoformat()),
    Column("office_id", "string", field_doc("office.id"), lambda r, lang, base, rights: r.office.id),
    Column("office_name", "string", "The issuing office's name in this dataset's language, as it was when the record was issued.",
           lambda r, lang, base, rights: r.office.name(lang)),
    Column("writer", "string", field_doc("writer"), lambda r, lang, base, rights: r.writer),
    Column("original_language", "string", field_doc("original_language"), lambda r, lang, base, rights: r.original_language),
    Column("languages", "list", "Languages in which the record's text is archived, original first.",
           lambda r, lang, base, rights: list(r.languages)),
    Column("not_archived", "list", field_doc("not_archived"), lambda r, lang, base, rights: list(r.not_archived)),
    Column("language", "string", "The language of this row's title, summary and text: the dataset's language, or the "
                                 "record's original language when it has no text in the dataset's language.",
           lambda r, lang, base, rights: shown_language(r, lang)),
    Column("title", "string", field_doc("title"), lambda r, lang, base, rights: shown_text(r, lang).title),
    Column("summary", "string", field_doc("summary"), lambda r, lang, base, rights: shown_text(r, lang).summary),
    Column("translator", "string", field_doc("translation.translator") + " Empty for the original text.", _translation("translator")),
    Column("translation_method", "string", field_doc("translation.method") + " Empty for the original text.", _translation("method")),
    Column("translation_date", "date", field_doc("translation.date") + " Empty for the original text.", _translation("date")),
    Column("tags", "list", field_doc("tags"), lambda r, lang, base, rights: list(r.tags)),
    Column("attachments", "list", "File names of the record's attachments (titles, sizes and digests are in the record's JSON).",
           lambda r, lang, base, rights: [a.file for a in r.attachments]),
    Column("illustrative", "boolean", field_doc("illustrative"), lambda r, lang, base, rights: r.illustrative),
    Column("source_archive", "string", field_doc("source.archive"), lambda r, lang, base, rights: r.source.archive if r.source else None),
    Column("source_url", "url", field_doc("source.url"), lambda r, lang, base, rights: r.source.url if r.source else None),
    Column("url", "url", "The record's page in this row's language.",
           lambda r, lang, base, rights: record_url(r.id, shown_language(r, lang), base)),
    Column("json_url", "url", "The record's full JSON document: both languages, attachments and file digests.",
           lambda r, lang, base, rights: site_url(record_json_path(r.id), base)),
    Column("rights", "string", "Under what terms the record may be reused.", lambda r, lang, base, rights: rights.statement),
)
"""The bulk-download columns, in order. ``records.json`` and ``records.jsonl`` rows also carry ``body``."""

BODY_DOC = "The Markdown body of this row's text (JSON and JSON Lines only: bodies are too long for spreadsheet cells)."


def dataset_rows(records: Iterable[Record], language: str, base_url: str, rights: Rights | str | None = None) -> list[dict]:
    """One row per record, in chronological order, with JSON values (lists as lists, null when absent)."""
    rights = as_rights(rights)
    base = normalize_base_url(base_url)
    rows = []
    for record in sorted(records, key=Record.sort_key):
        row = {column.name: column.value(record, language, base, rights) for column in COLUMNS}
        row["body"] = shown_text(record, language).body
        rows.append(row)
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection")."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return neutralise_formula(str(value))


def neutralise_formula(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would run it as a formula, as OWASP recommends.

    Only the CSV gets this (JSON is not opened by spreadsheets); the data dictionary says so.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def records_csv(rows: list[dict]) -> bytes:
    """RFC 4180 CSV (CRLF line ends, quoted where needed), UTF-8 with BOM, a header row, no body column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row[column.name]) for column in COLUMNS])
    return buffer.getvalue().encode(CSV_ENCODING)


def _json_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def records_json(rows: list[dict]) -> bytes:
    """A JSON array of the rows, one row per line."""
    if not rows:
        return b"[]\n"
    return ("[\n" + ",\n".join(_json_line(row) for row in rows) + "\n]\n").encode("utf-8")


def records_jsonl(rows: list[dict]) -> bytes:
    """JSON Lines: one JSON object per line."""
    return "".join(_json_line(row) + "\n" for row in rows).encode("utf-8")


def json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
        return {"date": "date (YYYY-MM-DD)", "date-time": "date-time (RFC 3339)", "uri": "URL"}.get(node["format"], node["format"])
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
        f"| `{record_json_path('{id}')}` | one record: metadata, texts in every archived language, file digests, links |",
        f"| `{SCHEMA_PATH}` | JSON Schema (2020-12) of the per-record JSON |",
        f"| `{feed_path('{lang}')}`, `{feed_path('{lang}', '{type}')}` | Atom feeds of the newest records |",
        "",
        "## Bulk download columns",
        "",
        "Dates are ISO 8601 (`YYYY-MM-DD`), times `HH:MM:SS` in the record's time zone, `issued` RFC 3339 with its UTC offset. "
        "An empty CSV cell is `null` in JSON. A CSV cell that would start with `=`, `+`, `-`, `@`, a tab or a "
        "carriage return starts with `'` instead, so that no spreadsheet runs it as a formula (OWASP, \"CSV injection\"); "
        "the JSON files keep the value exactly.",
        "",
        "| column | type | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in COLUMNS]
    lines += [f"| `body` | string | {BODY_DOC} |", "", "## Per-record JSON", "", "| field | type | always present | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{path}` | {kind} | {required} | {doc} |" for path, kind, required, doc in _schema_rows(record_json_schema())]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


# Everything, rendered and written.


def render_open_data(
    records: Iterable[Record],
    base_url: str,
    rights: Rights | str | None = None,
    *,
    site_name: str = "sillok",
    record_documents: bool = True,
) -> dict[str, bytes]:
    """Every open-data file by its path under the site root: datasets, record JSON, schema, dictionary, feeds, sitemap.

    Without ``record_documents`` the per-record JSON documents are left out (:func:`write_open_data`
    makes them one by one, reusing the previous build's where it can).
    """
    rights = as_rights(rights)
    base = normalize_base_url(base_url)
    records = sorted(records, key=Record.sort_key)
    files: dict[str, bytes] = {
        SCHEMA_PATH: json_bytes(record_json_schema(base)),
        DICTIONARY_PATH: data_dictionary(rights).encode("utf-8"),
    }
    writers = dict(zip(DATASET_NAMES, (records_csv, records_json, records_jsonl), strict=True))
    for language in schema.LANGUAGES:
        rows = dataset_rows(records, language, base, rights)
        for name, write in writers.items():
            files[dataset_path(language, name)] = write(rows)
    if record_documents:
        for record in records:
            files[record_json_path(record.id)] = json_bytes(record_document(record, base, rights))
    for path, xml in all_feeds(records, base, rights=rights, site_name=site_name).items():
        files[path] = xml.encode("utf-8")
    for path, xml in sitemaps(records, base).items():
        files[path] = xml.encode("utf-8")
    return files


OWNED = (("data/records", "*.json"), ("feeds", "*/*.atom"), (".", "sitemap-records-*.xml"))
"""Folders whose generated files are removed when their record or feed no longer exists."""


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` atomically unless it already holds exactly that; True when written.

    A file that is not there yet is written directly (nothing can be half-replaced), which is what
    a build into a fresh folder does for every file.
    """
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb") as out:
                out.write(content)
            return True
        except FileExistsError:
            pass  # appeared meanwhile: replace it atomically below
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def record_key(record: Record, files: list[dict], base_url: str, rights: Rights) -> str:
    """What a record's JSON document is made of: the record as read, its files' digests, the base URL and rights."""
    return digest(repr(record), json.dumps(files, sort_keys=True), base_url, repr(rights))


def write_open_data(
    records: Iterable[Record],
    out_dir: Path,
    base_url: str,
    rights: Rights | str | None = None,
    *,
    site_name: str = "sillok",
    reuse: ReusedFiles | None = None,
) -> list[Path]:
    """Write every open-data file under ``out_dir`` (the site root); return the files written, sorted.

    Data goes under ``data/``, feeds under ``feeds/`` and the record sitemap at the root. A file
    whose content is unchanged is not touched; a record JSON or feed with no record left is removed.
    With ``reuse`` (a build into a fresh folder), a record's JSON whose inputs did not change since
    the previous build is linked from the previous site instead of encoded again.
    """
    out_dir = Path(out_dir)
    records = list(records)
    rights = as_rights(rights)
    base = normalize_base_url(base_url)
    files = render_open_data(records, base, rights, site_name=site_name, record_documents=reuse is None)
    written = [out_dir / relative for relative, content in files.items() if write_if_changed(out_dir / relative, content)]
    if reuse is not None:
        for record in sorted(records, key=Record.sort_key):
            relative = record_json_path(record.id)
            digests = file_digests(record)
            key = record_key(record, digests, base, rights)
            files[relative] = b""
            if not reuse.reuse(out_dir, relative, key):
                reuse.write(out_dir, relative, key, json_bytes(record_document(record, base, rights, digests)))
                written.append(out_dir / relative)
    for folder, pattern in OWNED:
        for path in (out_dir / folder).glob(pattern):
            if path.relative_to(out_dir).as_posix() not in files:
                path.unlink()
    return sorted(written)
