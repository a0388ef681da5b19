"""Turn a page saved from the Presidential Archives' web records into a record's files.

The Korean Presidential Archives (대통령기록관) preserve the web sites of past administrations as
read-only records. A page saved from them as text has the record in the middle of page furniture::

    <read-only banner and its legal basis, privacy-request notice, [오늘 그만 보기], navigation>
    subtop
    <title>
    writer : 관리자1 date : 2021.01.13 10:29:45
    <headline>
    - <summary line>
    □ <point>
    ㅇ <detail>        (or * <note>), sometimes wrapped onto a continuation line
    확인
    아니오

This module is pure: bytes in, the record's files as strings out (:func:`convert`). Everything
above the title is the page header and is dropped; spacer lines (only spaces or U+00A0) and the
dialog buttons after the text are dropped; every sentence of the record is kept verbatim, and the
□ / ㅇ / * outline becomes nested Markdown lists. Writing the files is :mod:`sillok.intake.place`'s job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from sillok.errors import ProblemsFound
from sillok.intake.slug import fallback, slugify
from sillok.record import schema
from sillok.record.model import Office
from sillok.record.text import INVISIBLE

ARCHIVE = "Presidential Archives of Korea, preserved presidential web records (대통령기록관 대통령 웹기록물)"
"""``source.archive`` of every imported record."""
TIMEZONE = "Asia/Seoul"
EXPECTED = (
    "a page saved as text from the Presidential Archives' web records: "
    "'subtop', a title line, a 'writer : … date : …' line, then the record's text"
)

_WRITER_LABELS = ("writer", "작성자", "글쓴이", "작성", "등록자", "게시자", "담당자", "담당", "author")
_DATE_LABELS = (
    "date",
    "작성일자",
    "작성일",
    "등록일자",
    "등록일",
    "게시일자",
    "게시일",
    "날짜",
    "일자",
    "일시",
    "posted",
)
_LABEL = re.compile(
    r"(?:^|(?<=\s))(?P<label>"
    + "|".join(sorted(map(re.escape, _WRITER_LABELS + _DATE_LABELS), key=len, reverse=True))
    + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"(?P<y>\d{4})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*\(\w\))?(?:\s+(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{2})(?:\s*[:분]\s*(?P<S>\d{2}))?\s*초?)?\s*$"
)
_TRAILING_DATE = re.compile(r"\s*[(\[]\s*\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\s*\.?\s*[)\]]\s*$")
_SPACES = " \t\u00a0\u3000"
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")

FURNITURE = (
    "subtop",
    "확인",
    "아니오",
    "취소",
    "닫기",
    "[오늘 그만 보기]",
    "오늘 그만 보기",
    "대통령기록관 홈페이지로 이동합니다",
)
"""Lines of the archive's page (buttons, links, markers) that are never part of a record."""
_FURNITURE_START = ("이 웹사이트는", "This Website is", "다만, 「개인정보보호법」")
"""Sentences of the archive's banner and privacy notice, which can also follow the text."""

# Outline markers: top level points, details under a point, notes under a point.
_POINT = re.compile(r"^□\s*")
_DETAIL = re.compile(r"^(?:ㅇ|○|◦)\s+")
_NOTE = re.compile(r"^(\*|※)\s*")
_DASH = re.compile(r"^-\s+")
_MAX_HEADLINE = 200


class Unrecognised(ProblemsFound):
    """The input is not a page this importer understands; the message says what was expected.

    :func:`sillok.intake.place.import_files` turns it into a located problem of the file, so a batch
    reports every refused page at once.
    """

    def __init__(self, message: str, hint: str = "", line: int = 0):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


@dataclass(frozen=True)
class Page:
    """What the importer read from one saved page."""

    title: str
    """The title line exactly as shown."""
    writer: str | None
    date: dt.date
    time: dt.time | None
    language: str
    """``ko`` or ``en``, from the share of Hangul among the letters of the title and text."""
    body: str
    """The record's text as Markdown."""
    removed: dict[str, int]
    """Invisible characters removed from the text (they cannot be archived), by code point name."""


@dataclass(frozen=True)
class ImportedRecord:
    """A record made from one page: its id, year and files (name → text), ready to be written."""

    id: str
    year: int
    files: dict[str, str]
    page: Page


def decode(data: bytes) -> str:
    """The page's text: UTF-8 (a BOM is dropped), LF line endings, NFC."""
    if not data.strip():
        raise Unrecognised("file is empty", f"expected {EXPECTED}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4].hex(" ")
        raise Unrecognised(
            f"not valid UTF-8 at byte offset {exc.start} (bytes {bad})",
            "save the page as UTF-8 text (it may be in EUC-KR/CP949: iconv -f cp949 -t utf-8)",
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _strip_invisible(text: str) -> tuple[str, dict[str, int]]:
    removed: dict[str, int] = {}
    forbidden = (
        set(INVISIBLE)
        | {chr(c) for c in range(0x20) if chr(c) not in "\t\n"}
        | {"\x7f"}
        | {chr(c) for c in range(0x80, 0xA0)}
    )
    kept = []
    for ch in text:
        if ch in forbidden:
            name = f"U+{ord(ch):04X}"
            removed[name] = removed.get(name, 0) + 1
        else:
            kept.append(ch)
    return "".join(kept), removed


def meta_fields(line: str) -> dict[str, str] | None:
    """``{'writer': …, 'date': …}`` from a line made only of labelled fields, or None."""
    matches = list(_LABEL.finditer(line))
    if not matches or line[: matches[0].start()].strip(_SPACES):
        return None
    found: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        value = line[match.end() : following.start() if following else len(line)].strip(_SPACES)
        label = match["label"].lower()
        kind = "writer" if label in _WRITER_LABELS else "date"
        found.setdefault(kind, value)
    return found


def parse_datetime(value: str) -> tuple[dt.date, dt.time | None]:
    """``2021.01.13 10:29:45``, ``2021-01-13``, ``2021년 1월 13일 10:29`` → (date, time)."""
    match = _DATE.match(value.strip(_SPACES))
    if not match:
        raise Unrecognised(
            f"date '{value}' is not a date this importer reads", "expected e.g. 'date : 2021.01.13 10:29:45'"
        )
    try:
        date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        time = dt.time(int(match["H"]), int(match["M"]), int(match["S"] or 0)) if match["H"] else None
    except ValueError:
        raise Unrecognised(f"date '{value}' is not a real date and time", "check the page's date line") from None
    return date, time


def detect_language(text: str) -> str:
    """``ko`` when at least half of the letters are Hangul, else ``en``."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return "ko" if hangul and hangul >= latin else "en"


def _is_spacer(line: str) -> bool:
    return not line.strip(_SPACES)


def _is_furniture(line: str) -> bool:
    stripped = line.strip(_SPACES)
    return stripped in FURNITURE or stripped.startswith(_FURNITURE_START)


def parse(data: bytes) -> Page:
    """Read one saved page; raises :class:`Unrecognised` with what was expected."""
    text, removed = _strip_invisible(decode(data))
    lines = text.split("\n")
    meta_at = None
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        fields = meta_fields(line)
        if fields:
            meta_at, meta = index, fields
            # A writer line may be followed by a date line (or the other way round).
            following = meta_fields(lines[index + 1]) if index + 1 < len(lines) else None
            if following and not set(following) & set(fields):
                meta = {**fields, **following}
                lines[index + 1] = ""
            break
    if meta_at is None:
        raise Unrecognised("no 'writer : … date : …' line (or 작성자 : … 작성일 : …)", f"expected {EXPECTED}")
    if "date" not in meta or not meta["date"]:
        raise Unrecognised(
            f"line {meta_at + 1} names the writer but no date",
            "expected e.g. 'writer : 관리자1 date : 2021.01.13 10:29:45'",
            meta_at + 1,
        )
    title_at = next((i for i in range(meta_at - 1, -1, -1) if not _is_spacer(lines[i])), None)
    if title_at is None or _is_furniture(lines[title_at]):
        raise Unrecognised(
            f"no title line before the writer and date line (line {meta_at + 1})", f"expected {EXPECTED}", meta_at + 1
        )
    title = lines[title_at].strip(_SPACES)
    try:
        date, time = parse_datetime(meta["date"])
    except Unrecognised as exc:
        exc.line = meta_at + 1
        raise
    body_lines = lines[meta_at + 1 :]
    while body_lines and (_is_spacer(body_lines[-1]) or _is_furniture(body_lines[-1])):
        body_lines.pop()
    body = to_markdown(body_lines)
    if not body.strip():
        raise Unrecognised(
            f"no text after the writer and date line (line {meta_at + 1})", f"expected {EXPECTED}", meta_at + 1
        )
    return Page(
        title=title,
        writer=meta.get("writer") or None,
        date=date,
        time=time,
        language=detect_language(title + "\n" + "\n".join(_DETAIL.sub("", line.strip(_SPACES)) for line in body_lines)),
        body=body,
        removed=removed,
    )


# ---------------------------------------------------------------------------------------------
# The body: the archive's plain-text outline as Markdown.

_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[>+*=_`~|-]|\d{1,9}[.)](?=\s|$))")


def escape_start(text: str) -> str:
    """Escape what Markdown would read as structure at the start of a line (``*``, ``#``, ``1.``, …)."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    token = match.group()
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1] + text[len(token) :]
    return "\\" + text


def escape_inline(text: str) -> str:
    """Keep inline text as text: ``<`` before a letter (raw HTML), ``[x](y)`` links, ``\\`` escapes, paired ``*``."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = re.sub(r"\[(?=[^\]\n]*\]\s*[(\[:])", r"\\[", text)
    if text.count("*") >= 2:
        text = re.sub(r"(?<!\\)\*", r"\\*", text)
    if len(re.findall(r"(?<![\w\\])_|_(?!\w)", text)) >= 2:
        text = re.sub(r"(?<!\\)_", r"\\_", text)
    return text


def _clean(line: str) -> str:
    return escape_inline(line.strip(_SPACES))


@dataclass
class _Item:
    level: int
    """0 for a top-level item, 1 under a □ point, 2 under a detail; -1 for a paragraph, -2 for the headline."""
    lines: list[str]


def _item(line: str, in_point: bool, previous: _Item | None) -> _Item | None:
    """The list item a line starts, or None when it is not an item."""
    point, detail, note, dash = _POINT.match(line), _DETAIL.match(line), _NOTE.match(line), _DASH.match(line)
    if point:
        return _Item(0, [line[: point.end()].rstrip() + " " + _clean(line[point.end() :])])
    if detail or note:
        marker = line[: (detail or note).end()].rstrip()
        rest = _clean(line[(detail or note).end() :])
        return _Item(1 if in_point else 0, [escape_start(marker) + (" " + rest if rest else "")])
    if dash:
        level = 0
        if in_point:
            under_detail = previous is not None and (
                previous.level == 2 or (previous.level == 1 and _DETAIL.match(previous.lines[0]))
            )
            level = 2 if under_detail else 1
        return _Item(level, [escape_start(_clean(line[dash.end() :]))])
    return None


def to_markdown(lines: list[str]) -> str:
    """The body as Markdown: headline, summary list, □ / ㅇ / * outline, paragraphs.

    □ points are top-level list items; ㅇ details and * notes nest under the point before them;
    ``- `` lines are a list (nested under a point when inside one); a line that directly follows an
    item or a paragraph continues it (a soft line break). Spacer lines only separate blocks. The
    first line of text, when it is short and not an item, is the headline (``##``).
    """
    blocks: list[list[_Item]] = []
    in_point = False
    current: _Item | None = None
    for raw in lines:
        line = raw.strip(_SPACES)
        if not line:
            current = None
            continue
        item = _item(line, in_point, blocks[-1][-1] if blocks else None)
        if item is None and current is not None and current.level != -2:
            current.lines.append(escape_start(_clean(line)))
            continue
        if item is None:
            headline = not blocks and len(line) <= _MAX_HEADLINE
            item = _Item(-2 if headline else -1, [escape_start(_clean(line))])
            in_point = False
            blocks.append([item])
        elif line.startswith("□"):
            in_point = True
            blocks.append([item])
        elif blocks and blocks[-1][0].level >= 0:
            blocks[-1].append(item)
        else:
            item.level = 0
            blocks.append([item])
        current = item
    return _render_blocks(blocks)


def _render_blocks(blocks: list[list[_Item]]) -> str:
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        for item in block:
            if item.level == -2:
                out.append("## " + re.sub(r"#+$", lambda m: "\\" + m.group(), item.lines[0]))
            elif item.level == -1:
                out.extend(item.lines)
            else:
                indent = "    " * item.level
                out.append(f"{indent}- {item.lines[0]}")
                out.extend(f"{indent}  {line}" for line in item.lines[1:])
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# The record's files.


def default_slug(page: Page, record_type: str, sha256: str, records: Path | None) -> str:
    """The slug from the title without its trailing ``(YYYY.MM.DD)``, Korean romanized; when the title
    gives none, the record type numbered to be free in ``records`` (a folder holding a record imported
    from these same bytes counts as free, so importing a page twice is refused, not duplicated)."""

    def taken(candidate: str) -> bool:
        if records is None:
            return False
        folder = records / f"{page.date.year:04d}" / f"{page.date.isoformat()}-{candidate}"
        if not (folder.exists() or folder.is_symlink()):
            return False
        try:
            return f'sha256: "{sha256}"' not in (folder / schema.RECORD_FILE).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return True

    return slugify(_TRAILING_DATE.sub("", page.title)) or fallback(record_type, taken)


def yaml_scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly this string under the strict reader (plain when safe)."""
    plain_ok = (
        value == value.strip()
        and "\n" not in value
        and not re.match(r"[-?:,\[\]{}#&*!|>'\"%@`]", value)
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    )
    if plain_ok:
        try:
            loaded = yaml.safe_load(f"k: {value}")
        except yaml.YAMLError:
            loaded = None
        if loaded == {"k": value}:
            return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def record_yml(record_id: str, page: Page, *, office: Office, record_type: str, source_file: str, sha256: str) -> str:
    other = [lang for lang in schema.LANGUAGES if lang != page.language]
    lines = [
        f"id: {record_id}",
        f"type: {record_type}",
        f"date: {page.date.isoformat()}",
    ]
    if page.time is not None:
        lines.append(f'time: "{page.time.isoformat()}"')
    lines += [
        f"timezone: {TIMEZONE}",
        "office:",
        f"  id: {office.id}",
        f"  ko: {yaml_scalar(office.ko)}",
        f"  en: {yaml_scalar(office.en)}",
    ]
    if page.writer:
        lines.append(f"writer: {yaml_scalar(page.writer)}")
    lines.append(f"original_language: {page.language}")
    lines.append("not_archived:")
    lines += [f"  - {lang}" for lang in other]
    note = "Imported with sillok import: the archive's page furniture (banner, notices, buttons) removed, the text kept verbatim."
    if page.removed:
        note += (
            " Invisible characters removed: "
            + ", ".join(f"{name} ×{count}" for name, count in sorted(page.removed.items()))
            + "."
        )
    lines += [
        "source:",
        f"  archive: {yaml_scalar(ARCHIVE)}",
        f"  file: {yaml_scalar(source_file)}",
        f'  sha256: "{sha256}"',
        f"  note: {yaml_scalar(note)}",
    ]
    return "\n".join(lines) + "\n"


def convert(
    data: bytes,
    *,
    source_file: str,
    office: Office,
    record_type: str = "press-release",
    slug: str | None = None,
    records: Path | None = None,
) -> ImportedRecord:
    """One saved page (its bytes) → the record's id, year and files. Raises :class:`Unrecognised`.

    ``records``, the archive it goes into, numbers a fallback slug so that it is free there."""
    page = parse(data)
    sha256 = hashlib.sha256(data).hexdigest()
    record_id = f"{page.date.isoformat()}-{slug or default_slug(page, record_type, sha256, records)}"
    text_file = f"---\ntitle: {yaml_scalar(page.title)}\n---\n\n{page.body}"
    files = {
        schema.RECORD_FILE: record_yml(
            record_id, page, office=office, record_type=record_type, source_file=source_file, sha256=sha256
        ),
        schema.TEXT_FILES[page.language]: text_file,
    }
    return ImportedRecord(id=record_id, year=page.date.year, files=files, page=page)
