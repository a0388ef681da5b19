"""``sillok new``: a record folder ready to fill in, written from the field schema.

Required fields are filled from the command line; optional ones are written as comments carrying
their meaning from the schema, so an archivist sees what else a record can say without opening the
guide. Bodies are left empty: the check fails until the text is written, which is the point.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sillok.check.tree import find_records
from sillok.errors import ProblemsFound
from sillok.record import schema
from sillok.record.model import Office
from sillok.record.problems import ProblemCollector
from sillok.record.text import decode
from sillok.record.yamlstrict import Mapping, Scalar, parse


class ScaffoldError(ProblemsFound):
    """The record cannot be created as asked (it exists, or a value is invalid); nothing was written."""


@dataclass
class NewRecord:
    """What ``sillok new`` was asked for."""

    type: str
    date: dt.date
    office: Office
    titles: dict[str, str]
    """Title per language to create; the keys decide which language files are written."""
    original_language: str
    slug: str
    time: dt.time | None = None
    timezone: str = "Asia/Seoul"
    writer: str | None = None
    translator: str | None = None
    method: str = "human"
    translated: dt.date | None = None
    illustrative: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.date.isoformat()}-{self.slug}"


def quote(value: str) -> str:
    """A YAML scalar that means exactly ``value``: plain when safe, double-quoted otherwise."""
    plain = Scalar(value, 0, 0, True)
    safe = (
        plain.implicit_type() == "str"
        and value == value.strip()
        and value
        and not any(c in value for c in ":#'\"{}[],&*!|>%@`\\")
        and not value.startswith(("-", "?"))
    )
    if safe:
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _comment(spec: schema.Field, indent: str = "") -> str:
    example = f" {spec.example}" if spec.example else " "
    return f"{indent}# {spec.name}:{example}  # {spec.doc}\n"


def record_yml(new: NewRecord) -> str:
    values = {
        "id": new.id,
        "type": new.type,
        "date": new.date.isoformat(),
        "time": json.dumps(new.time.isoformat(timespec="seconds" if new.time.second else "minutes"))
        if new.time
        else None,
        "timezone": new.timezone,
        "writer": quote(new.writer) if new.writer else None,
        "original_language": new.original_language,
        "illustrative": "true" if new.illustrative else None,
    }
    not_archived = [lang for lang in new.extra.get("not_archived", ())]
    out = []
    for spec in schema.RECORD_FIELDS:
        if spec.name == "office":
            out.append(f"office:\n  id: {new.office.id}\n  ko: {quote(new.office.ko)}\n  en: {quote(new.office.en)}\n")
        elif spec.name == "not_archived" and not_archived:
            out.append("not_archived:\n" + "".join(f"  - {lang}\n" for lang in not_archived))
        elif values.get(spec.name) is not None:
            out.append(f"{spec.name}: {values[spec.name]}\n")
        else:
            out.append(_comment(spec))
    return "".join(out)


def text_md(new: NewRecord, language: str) -> str:
    lines = ["---\n", f"title: {quote(new.titles[language])}\n"]
    if language != new.original_language:
        if not new.translator:
            raise ScaffoldError(f"{language}.md would be a translation: say who translated it with --translator")
        translated = new.translated or dt.date.today()
        lines += [
            "translation:\n",
            f"  translator: {quote(new.translator)}\n",
            f"  method: {new.method}\n",
            f"  date: {translated.isoformat()}\n",
            f"  from: {new.original_language}\n",
        ]
    lines.append("---\n\n")
    return "".join(lines)


def files_for(new: NewRecord) -> dict[str, str]:
    """The record's files as {name: text}, ready to write."""
    if new.original_language not in new.titles:
        raise ScaffoldError(
            f"the original language is {new.original_language}: give its title with --title-{new.original_language}"
        )
    if not schema.RECORD_ID.fullmatch(new.id):
        raise ScaffoldError(
            f"slug '{new.slug}' must be lowercase ASCII letters, digits and hyphens (e.g. carbon-neutrality-tf-1)"
        )
    files = {schema.RECORD_FILE: record_yml(new)}
    for language in schema.LANGUAGES:
        if language in new.titles:
            files[schema.TEXT_FILES[language]] = text_md(new, language)
    return files


def create(records: Path, files: dict[str, str | bytes], record_id: str, year: int) -> Path:
    """Write a record folder atomically: all files appear at once, or none; never overwrite."""
    target = records / f"{year:04d}" / record_id
    if target.exists():
        raise ScaffoldError(f"{target} already exists; records are never overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{record_id}-", dir=target.parent))
    try:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (staging / name).write_bytes(data)
        os.rename(staging, target)  # fails rather than replaces if target appeared meanwhile
    except BaseException:
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()
        raise
    return target


def find_office(records: Path, office_id: str) -> Office | None:
    """The names the newest record with office ``office_id`` gives it, read strictly; None if no record has it."""
    if not records.is_dir():
        return None
    for folder in reversed(find_records(records, [])):  # folders sort by date: newest last
        path = folder / schema.RECORD_FILE
        try:
            text = decode(path.read_bytes(), ProblemCollector(path, []), max_bytes=schema.LIMITS["record_yml_bytes"])
        except OSError:
            continue
        node = parse(text, ProblemCollector(path, [])) if text else None
        office = node.get("office") if isinstance(node, Mapping) else None
        if not isinstance(office, Mapping):
            continue
        names = {key: office.get(key) for key in ("id", "ko", "en")}
        if all(isinstance(n, Scalar) for n in names.values()) and names["id"].value == office_id:
            return Office(office_id, names["ko"].value, names["en"].value)
    return None
