"""The one field schema: every metadata field, declared once.

The reader types values with it, the checker reports against it, ``sillok new`` scaffolds from it
and the guide's field table (guide/record-format.md) is generated from it (``sillok fields``), so no field is described in
two places. Values are typed here, never by YAML: a scalar is a string until its field says what
it is, and a value YAML would silently coerce (``NO``, ``0123``, ``12:30``) is an error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sillok.record import model
from sillok.record.problems import ProblemCollector
from sillok.record.text import hidden_in, markup_in
from sillok.record.yamlstrict import Mapping, Node, Scalar, Sequence, kind_of

LANGUAGES = ("ko", "en")
"""Archive languages, in site order: Korean is the default language of the site."""

LANGUAGE_NAMES = {"ko": {"ko": "한국어", "en": "Korean"}, "en": {"ko": "영어", "en": "English"}}

RECORD_TYPES = {
    "press-release": {"ko": "보도자료", "en": "Press release"},
    "meeting-record": {"ko": "회의록", "en": "Meeting record"},
}
"""Record types and their labels. Adding a type is adding a line here."""

TRANSLATION_METHODS = {
    "human": {"ko": "사람 번역", "en": "human translation"},
    "machine": {"ko": "기계 번역", "en": "machine translation"},
    "machine-reviewed": {"ko": "기계 번역 후 사람 검토", "en": "machine translation reviewed by a person"},
}

ATTACHMENT_TYPES = {
    # extension: (media type, magic bytes the file must start with)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "hwp": ("application/x-hwp", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "hwpx": ("application/hwp+zip", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", ()),
}

RECORD_FILE = "record.yml"
"""The file in each record folder that holds the record-level metadata."""
TEXT_FILES = {lang: f"{lang}.md" for lang in LANGUAGES}

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
RECORD_ID = re.compile(rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}})-(?P<slug>{SLUG})")
"""Record ids are the folder name: the record's date and a readable ASCII slug (stable, citable URLs)."""
OFFICE_ID = re.compile(SLUG)
YEAR_FOLDER = re.compile(r"\d{4}")
ATTACHMENT_NAME = re.compile(r"[^\W_][\w.-]*", re.UNICODE)

LIMITS = {
    "text_bytes": 1024 * 1024,
    "record_yml_bytes": 64 * 1024,
    "attachment_bytes": 20 * 1024 * 1024,
    "id_length": 100,
    "title_length": 300,
}


class Invalid:
    """Marker for a value that failed to convert (its problem is already reported)."""


INVALID = Invalid()


def _coerced(node: Scalar) -> str:
    """What a YAML 1.1 loader would turn a plain scalar into, for the error message."""
    try:
        value = yaml.safe_load(node.value)
    except yaml.YAMLError:  # pragma: no cover - plain scalars always load
        return node.value
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    return repr(value)


class Kind:
    """How a field's value is written and typed."""

    label = "value"

    def convert(self, node: Node, out: ProblemCollector, name: str) -> Any:
        raise NotImplementedError

    def scalar(self, node: Node, out: ProblemCollector, name: str) -> Scalar | None:
        if not isinstance(node, Scalar):
            out.error(
                node.line, f"{name} must be {self.label}, got {kind_of(node)}", code="field-type", column=node.column
            )
            return None
        return node


@dataclass(frozen=True)
class Text(Kind):
    multiline: bool = False
    max_length: int = LIMITS["title_length"]
    pattern: re.Pattern | None = None
    pattern_doc: str = ""

    @property
    def label(self) -> str:
        return self.pattern_doc or ("text" if self.multiline else "one line of text")

    def convert(self, node, out, name):
        node = self.scalar(node, out, name)
        if node is None:
            return INVALID
        found = node.implicit_type()
        if found != "str":
            quoted = node.value.replace('"', '\\"')
            out.error(
                node.line,
                f"{name}: {node.value or '(empty)'} would be read by YAML as {_coerced(node)}",
                f'write it in quotes: {name.split(".")[-1]}: "{quoted}"'
                if node.value
                else f"give {name} a value or remove the line",
                code="yaml-coerced-value",
                column=node.column,
            )
            return INVALID
        value = node.value
        if not value.strip():
            out.error(
                node.line,
                f"{name} is empty",
                f"give {name} a value or remove the line",
                code="field-empty",
                column=node.column,
            )
            return INVALID
        if value != value.strip() and not self.multiline:
            out.error(
                node.line,
                f"{name} has spaces at the start or end",
                "remove them",
                code="field-whitespace",
                column=node.column,
            )
        if not self.multiline and "\n" in value:
            out.error(
                node.line, f"{name} must be a single line", "join the lines", code="field-multiline", column=node.column
            )
        if len(value) > self.max_length and not self.multiline:
            out.error(
                node.line,
                f"{name} is {len(value)} characters, more than {self.max_length}",
                "shorten it",
                code="field-too-long",
                column=node.column,
            )
        if node.escaped and hidden_in(value):
            _index, what = hidden_in(value)
            out.error(
                node.line,
                f"{name} holds {what} once its YAML escapes are decoded",
                "write the text as it should be shown, without escapes for invisible characters",
                code="not-nfc" if "NFC" in what else "invisible-character",
                column=node.column,
            )
            return INVALID
        if not self.pattern and markup_in(value):
            out.error(
                node.line,
                f"{name} is plain text but holds HTML markup '{markup_in(value)}'",
                "remove the markup; to write a literal '<' before a letter put a space after it (a < b), "
                "and write characters themselves rather than &-references",
                code="markup-in-text",
                column=node.column,
            )
            return INVALID
        if self.pattern and not self.pattern.fullmatch(value):
            out.error(
                node.line, f"{name} must be {self.pattern_doc}, got '{value}'", code="field-pattern", column=node.column
            )
            return INVALID
        return value


_LOOSE_DATE = re.compile(r"(\d{4})\s*[./년-]\s*(\d{1,2})\s*[./월-]\s*(\d{1,2})\s*일?\.?")


@dataclass(frozen=True)
class Date(Kind):
    label = "a date written YYYY-MM-DD"

    def convert(self, node, out, name):
        node = self.scalar(node, out, name)
        if node is None:
            return INVALID
        text = node.value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                out.error(
                    node.line,
                    f"{name} {text} is not a day in the calendar",
                    "check the month and day",
                    code="field-date",
                    column=node.column,
                )
                return INVALID
        loose = _LOOSE_DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
        hint = "write it as YYYY-MM-DD"
        if loose:
            hint = f"write {int(loose[1]):04d}-{int(loose[2]):02d}-{int(loose[3]):02d}"
        out.error(node.line, f"{name} must be YYYY-MM-DD, got '{text}'", hint, code="field-date", column=node.column)
        return INVALID


_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


@dataclass(frozen=True)
class Time(Kind):
    label = 'a time written "HH:MM" or "HH:MM:SS" in quotes'

    def convert(self, node, out, name):
        node = self.scalar(node, out, name)
        if node is None:
            return INVALID
        match = _TIME.fullmatch(node.value)
        short = name.split(".")[-1]
        if not match:
            out.error(
                node.line,
                f'{name} must be "HH:MM" or "HH:MM:SS" (24-hour), got \'{node.value}\'',
                code="field-time",
                column=node.column,
            )
            return INVALID
        if node.plain:
            out.error(
                node.line,
                f"{name}: {node.value} would be read by YAML as {_coerced(node)}",
                f'write it in quotes: {short}: "{node.value}"',
                code="yaml-coerced-value",
                column=node.column,
            )
            return INVALID
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))


@cache
def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class TimeZone(Kind):
    label = "an IANA time zone name such as Asia/Seoul"

    def convert(self, node, out, name):
        value = Text().convert(node, out, name)
        if value is INVALID:
            return INVALID
        if not _zone_ok(value):
            out.error(
                node.line,
                f"{name} '{value}' is not an IANA time zone name",
                "write e.g. Asia/Seoul or UTC",
                code="field-timezone",
                column=node.column,
            )
            return INVALID
        return value


@dataclass(frozen=True)
class Choice(Kind):
    options: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "one of " + ", ".join(f"`{o}`" for o in self.options)

    def convert(self, node, out, name):
        node = self.scalar(node, out, name)
        if node is None:
            return INVALID
        if node.value in self.options:
            return node.value
        close = difflib.get_close_matches(node.value.lower(), self.options, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        out.error(
            node.line,
            f"{name} must be one of {', '.join(self.options)}; got '{node.value}'",
            hint,
            code="field-choice",
            column=node.column,
        )
        return INVALID


@dataclass(frozen=True)
class Bool(Kind):
    label = "`true` or `false`"

    def convert(self, node, out, name):
        node = self.scalar(node, out, name)
        if node is None:
            return INVALID
        if node.plain and node.value in ("true", "false"):
            return node.value == "true"
        out.error(
            node.line,
            f"{name} must be true or false, got '{node.value}'",
            "write true or false, without quotes",
            code="field-bool",
            column=node.column,
        )
        return INVALID


@dataclass(frozen=True)
class Url(Kind):
    label = "an http(s) URL"

    def convert(self, node, out, name):
        value = Text(max_length=2000).convert(node, out, name)
        if value is INVALID:
            return INVALID
        if not re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
            out.error(
                node.line,
                f"{name} must be an http:// or https:// URL, got '{value}'",
                code="field-url",
                column=node.column,
            )
            return INVALID
        return value


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = field(default_factory=Text)

    @property
    def label(self) -> str:
        return f"a list of {self.item.label}"

    def convert(self, node, out, name):
        if not isinstance(node, Sequence):
            out.error(
                node.line,
                f"{name} must be a list (lines starting with '- '), got {kind_of(node)}",
                code="field-type",
                column=node.column,
            )
            return INVALID
        values = []
        for index, child in enumerate(node.items):
            value = self.item.convert(child, out, f"{name}[{index}]")
            if value is INVALID:
                continue
            if isinstance(value, (str, int)) and value in values:
                out.error(
                    child.line,
                    f"{name} lists '{value}' twice",
                    "remove the repeated entry",
                    code="field-duplicate-item",
                    column=child.column,
                )
                continue
            values.append(value)
        return tuple(values)


@dataclass(frozen=True)
class Field:
    """One metadata field: its name, how it is typed, whether it is required, and what it means."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    example: str = ""
    attr: str = ""
    """The model attribute the value goes to, when it differs from the YAML key."""

    @property
    def target(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Group(Kind):
    """A mapping with its own fields, built into a model object."""

    fields: tuple[Field, ...] = ()
    build: Callable[..., Any] = dict
    at_least_one: bool = False

    label = "a mapping (indented key: value lines)"

    def convert(self, node, out, name):
        values = convert_mapping(node, self.fields, out, name)
        if values is None:
            return INVALID
        if self.at_least_one and not values:
            out.error(
                node.line,
                f"{name} needs at least one of {', '.join(f.name for f in self.fields)}",
                code="field-missing",
                column=node.column,
            )
            return INVALID
        if any(v is INVALID for v in values.values()) or any(
            f.required and f.target not in values for f in self.fields
        ):
            return INVALID
        return self.build(**values)


def convert_mapping(
    node: Node,
    fields: tuple[Field, ...],
    out: ProblemCollector,
    prefix: str = "",
    *,
    others: dict[str, str] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict | None:
    """Type every field of a mapping node; report unknown, missing and invalid fields together.

    ``others`` names fields that exist but belong in another file, for a better hint; keys in
    ``skip`` are left for the caller to judge.
    Returns attribute name → value (``INVALID`` for fields that failed), or None if not a mapping.
    """
    where = f"{prefix}." if prefix else ""
    if not isinstance(node, Mapping):
        out.error(
            node.line,
            f"{prefix or 'metadata'} must be a mapping of key: value lines, got {kind_of(node)}",
            code="field-type",
            column=node.column,
        )
        return None
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    for key, child in node.items:
        spec = by_name.get(key.value)
        if key.value in skip:
            continue
        if spec is None:
            if others and key.value in others:
                out.error(
                    key.line,
                    f"'{key.value}' does not belong here",
                    others[key.value],
                    code="field-misplaced",
                    column=key.column,
                )
                continue
            close = difflib.get_close_matches(key.value, list(by_name), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields here: {', '.join(by_name)}"
            out.error(key.line, f"unknown field '{where}{key.value}'", hint, code="field-unknown", column=key.column)
            continue
        values[spec.target] = spec.kind.convert(child, out, where + spec.name)
    for spec in fields:
        if spec.required and spec.target not in values:
            example = f" e.g. {spec.name}: {spec.example}" if spec.example else ""
            out.error(
                node.line,
                f"missing required field '{where}{spec.name}'",
                f"add it{example}",
                code="field-missing",
                column=node.column,
            )
    return values


LOCALIZED_FIELDS = tuple(Field(lang, Text(), f"in {LANGUAGE_NAMES[lang]['en']}") for lang in LANGUAGES)

OFFICE_FIELDS = (
    Field(
        "id",
        Text(pattern=OFFICE_ID, pattern_doc="a lowercase ASCII slug such as opc"),
        "Short stable id for URLs and the office index.",
        True,
        "opc",
    ),
    Field("ko", Text(), "Korean name of the office as it was when the record was issued.", True, "국무조정실"),
    Field(
        "en",
        Text(),
        "English name of the office as it was when the record was issued.",
        True,
        "Office for Government Policy Coordination",
    ),
)

SOURCE_FIELDS = (
    Field("archive", Text(), "The archive or system the record was taken from, or who wrote it.", True),
    Field("url", Url(), "The record's address at the source, when known (never guessed)."),
    Field("file", Text(), "The captured file the record was imported from."),
    Field(
        "sha256",
        Text(pattern=re.compile(r"[0-9a-f]{64}"), pattern_doc="64 lowercase hex digits"),
        "SHA-256 of that captured file.",
    ),
    Field("retrieved", Date(), "When the source was captured.", example="2024-05-01"),
    Field("note", Text(multiline=True), "Anything else a reader should know about the source."),
)

ATTACHMENT_FIELDS = (
    Field(
        "file",
        Text(pattern=ATTACHMENT_NAME, pattern_doc="a file name in the record folder (letters, digits, . _ -)"),
        "File name inside the record folder; the extension must be one of " + ", ".join(ATTACHMENT_TYPES) + ".",
        True,
        "briefing.pdf",
    ),
    Field(
        "title",
        Group(fields=LOCALIZED_FIELDS, build=model.Localized, at_least_one=True),
        "What the file is, per language (`ko:` / `en:`).",
    ),
)

TRANSLATION_FIELDS = (
    Field(
        "translator",
        Text(),
        "Who translated it: a person, a team, or a system and its version.",
        True,
        "국무조정실 번역팀",
    ),
    Field("method", Choice(options=tuple(TRANSLATION_METHODS)), "How it was translated.", True, "human"),
    Field("date", Date(), "When it was translated.", True, "2021-01-20"),
    Field("from", Choice(options=LANGUAGES), "The language it was translated from.", True, "ko", attr="from_language"),
    Field("note", Text(multiline=True), "Anything else about the translation."),
)

RECORD_FIELDS = (
    Field(
        "id",
        Text(
            pattern=RECORD_ID,
            pattern_doc="YYYY-MM-DD-slug (lowercase ASCII letters, digits and hyphens)",
            max_length=LIMITS["id_length"],
        ),
        "The record's permanent id; must equal its folder name.",
        True,
        "2021-01-13-carbon-neutrality-tf-1",
    ),
    Field("type", Choice(options=tuple(RECORD_TYPES)), "What kind of record it is.", True, "press-release"),
    Field("date", Date(), "Date of issue, as recorded by the source.", True, "2021-01-13"),
    Field("time", Time(), "Time of issue, as recorded by the source; omit when unknown.", example='"10:29:45"'),
    Field("timezone", TimeZone(), "Time zone of the date and time.", True, "Asia/Seoul"),
    Field("office", Group(fields=OFFICE_FIELDS, build=model.Office), "The issuing office (`id`, `ko`, `en`).", True),
    Field("writer", Text(), "The writer exactly as the source records it (e.g. 관리자1)."),
    Field(
        "original_language",
        Choice(options=LANGUAGES),
        "The language of the authentic record; other languages are translations.",
        True,
        "ko",
    ),
    Field(
        "not_archived",
        ListOf(item=Choice(options=LANGUAGES)),
        "Languages in which the record existed but whose text was not archived (never invented later).",
    ),
    Field("illustrative", Bool(), "`true` for an illustrative sample written for this project, not a real record."),
    Field("tags", ListOf(item=Text(max_length=60)), "Subject keywords."),
    Field("source", Group(fields=SOURCE_FIELDS, build=model.Source), "Provenance: where the record came from."),
    Field(
        "attachments",
        ListOf(item=Group(fields=ATTACHMENT_FIELDS, build=model.Attachment)),
        "Files published with the record; each lives in the record folder.",
    ),
)
"""Fields of ``record.yml``: facts about the record, stated once for all languages."""

TEXT_FIELDS = (
    Field("title", Text(), "The record's title in this language, verbatim.", True, "2050 탄소중립 범부처 TF 1차 회의"),
    Field("summary", Text(multiline=True), "A one-paragraph summary for indexes and feeds."),
    Field(
        "translation",
        Group(fields=TRANSLATION_FIELDS, build=model.Translation),
        "Required when this language is not the original: who, how, when, from what.",
    ),
)
"""Fields of the front matter of ``ko.md`` / ``en.md``: what belongs to one language."""


def field_rows() -> list[tuple[str, str, str, str, str]]:
    """(file, field, type, required, meaning) for every field, nested ones dotted."""
    rows = []

    def walk(fields, file, prefix):
        for f in fields:
            name = prefix + f.name
            required = "yes" if f.required else ""
            if name == "translation":
                required = "for translations"
            rows.append((file, f"`{name}`", f.kind.label, required, f.doc))
            kind = f.kind.item if isinstance(f.kind, ListOf) else f.kind
            if isinstance(kind, Group):
                walk(kind.fields, file, name + ("[]." if isinstance(f.kind, ListOf) else "."))

    walk(RECORD_FIELDS, RECORD_FILE, "")
    walk(TEXT_FIELDS, "`ko.md` / `en.md` front matter", "")
    return rows


def fields_markdown() -> str:
    """The field table of guide/record-format.md, generated from this schema."""
    lines = ["| file | field | value | required | meaning |", "| --- | --- | --- | --- | --- |"]
    for file, name, kind, required, doc in field_rows():
        file = f"`{file}`" if not file.startswith("`") else file
        lines.append(f"| {file} | {name} | {kind} | {required} | {doc} |")
    return "\n".join(lines) + "\n"
