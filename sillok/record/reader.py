"""Read one record folder into a :class:`~sillok.record.model.Record`, reporting every problem in it.

Reading and checking are one pass: the same code that types a field reports why it cannot, so
what the site publishes is exactly what the check accepted. A record with any error yields no
Record at all: nothing malformed reaches the site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from sillok.record import bodyscan, privacy, schema
from sillok.record.model import Attachment, Record, Text
from sillok.record.problems import Problem, ProblemCollector, display_path, errors
from sillok.record.text import decode, name_problems
from sillok.record.yamlstrict import Mapping, parse

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")

RECORD_LEVEL = {f.name for f in schema.RECORD_FIELDS}
TEXT_LEVEL = {f.name for f in schema.TEXT_FIELDS}


def read_bytes(path: Path, out: ProblemCollector, max_bytes: int, data: bytes | None = None) -> str | None:
    """The file's text, checked (:func:`decode`); ``data``: its bytes, when the caller has just read them."""
    if data is not None:
        return decode(data, out, max_bytes=max_bytes)  # decode refuses more than max_bytes too
    try:
        size = path.stat().st_size
        if size > max_bytes:  # a hostile 50 MB file is refused before it is read, let alone parsed
            out.error(
                0,
                f"file is {size:,} bytes, more than the limit of {max_bytes:,}",
                "split the text or move large content into an attachment",
                code="oversized-file",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        out.error(0, f"cannot be read: {exc.strerror}", code="unreadable")
        return None
    return decode(data, out, max_bytes=max_bytes)


def scan_folder(folder: Path, problems: list[Problem]) -> dict[str, os.DirEntry]:
    """Regular files in a record folder by name; anything else (links, folders, devices) is reported."""
    files: dict[str, os.DirEntry] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            path = folder / entry.name
            out = ProblemCollector(path, problems)
            why = name_problems(entry.name)
            if why:
                out.error(
                    0,
                    f"unacceptable file name: {why}",
                    "rename it (NFC, no invisible characters, no backslash)",
                    code="file-name",
                )
            if entry.is_symlink():
                out.error(
                    0,
                    f"is a symbolic link (to {os.readlink(path)!r}); links can publish files from outside the archive",
                    "replace the link with the file itself",
                    code="symlink",
                )
            elif entry.is_dir(follow_symlinks=False):
                if (path / ".git").exists():
                    out.error(
                        0,
                        "is a git submodule (gitlink); records cannot contain other repositories",
                        "remove the submodule",
                        code="gitlink",
                    )
                else:
                    out.error(
                        0,
                        "is a folder inside a record folder; a record's files all sit directly in its folder",
                        "move the files up into the record folder and list attachments in record.yml",
                        code="unexpected-folder",
                    )
            elif not entry.is_file(follow_symlinks=False):
                out.error(0, "is not a regular file (a device, pipe or socket)", "remove it", code="special-file")
            else:
                files[entry.name] = entry
    return files


def split_front_matter(text: str, out: ProblemCollector) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) of a language file, or None when it has none."""
    if not text.startswith("---"):
        out.error(
            1,
            "missing front matter: the file must start with a '---' line, then title: ..., then '---'",
            "add front matter at the top of the file",
            code="front-matter-missing",
            column=1,
        )
        return None
    match = _FRONT_MATTER.match(text)
    if not match:
        out.error(
            1,
            "front matter is not closed: no '---' line after the metadata",
            "add a line '---' after the last metadata line",
            code="front-matter-unclosed",
            column=1,
        )
        return None
    front = match.group(1) or ""
    body_line = text.count("\n", 0, match.end()) + 1
    return front, text[match.end() :], body_line


def read_text(
    path: Path, language: str, attachments: set[str], problems: list[Problem], data: bytes | None = None
) -> tuple[Text | None, Mapping | None]:
    """Read one language file; returns the Text (None on any error) and its front matter node."""
    out = ProblemCollector(path, problems)
    before = len(errors(problems))
    content = read_bytes(path, out, schema.LIMITS["text_bytes"], data)
    if content is None:
        return None, None
    parts = split_front_matter(content, out)
    if parts is None:
        return None, None
    front, body, body_line = parts
    node = parse(front, out, line_offset=1)
    values = None
    if node is None:
        if not front.strip() and len(errors(problems)) == before:
            out.error(1, "front matter is empty", "add at least title: ...", code="field-missing")
    else:
        values = schema.convert_mapping(node, schema.TEXT_FIELDS, out, skip=frozenset(RECORD_LEVEL))
    if not body.strip():
        out.error(
            body_line,
            "the record text (body) is empty",
            "write the record's text below the front matter",
            code="body-empty",
        )
    check_body(body, body_line, language, attachments, out)
    front_node = node if isinstance(node, Mapping) else None
    if values is None or len(errors(problems)) > before or any(v is schema.INVALID for v in values.values()):
        return None, front_node
    raw = content.encode(
        "utf-8"
    )  # the file's bytes exactly: a file that decodes with no error is LF-only UTF-8, no BOM
    text = Text(
        language=language,
        held_body=body,
        body_line=body_line,
        path=path,
        digest=hashlib.sha256(raw).hexdigest(),
        body_offset=len(raw) - len(body.encode("utf-8")),
        **values,
    )
    return text, front_node


def check_body(body: str, body_line: int, language: str, attachments: set[str], out: ProblemCollector) -> None:
    """Raw HTML, unsafe links, personal data and language sanity in a body, in one scan."""
    findings, links = bodyscan.scan(body)
    shift = body_line - 1
    for f in findings:
        out.error(f.line + shift, f.message, f.hint, code=f.code, column=f.column)
    for link in links:
        found = bodyscan.link_problem(link.target, attachments, image=link.image)
        if found:
            code, message, hint = found
            out.error(link.line + shift, message, hint, code=code, column=link.column)
    for line, column, kind, found in privacy.find(privacy.decoded(body)):
        out.warning(
            line + shift,
            f"possible personal data: {kind} '{found}'",
            "a reviewer must confirm it may be published; remove it if it identifies a private person",
            code="personal-data",
            column=column,
        )
    if language_mismatch(body[:4000], language):  # enough to tell the language; whole bodies cost every check
        out.warning(
            body_line,
            *_MISMATCH[language],
            code="language-mismatch",
        )


_MISMATCH = {
    "ko": ("ko.md has almost no Hangul: is this the English text?", "put English text in en.md"),
    "en": ("en.md is mostly Hangul: is this the Korean text?", "put Korean text in ko.md"),
}
_NOT_LATIN = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))


def language_mismatch(sample: str, language: str) -> bool:
    """Korean text in en.md, or English text in ko.md, judged by counts of Hangul and Latin letters.

    Latin letters are counted on the ASCII bytes (a tenth of a regular expression's time); Hangul is
    counted only when the answer depends on it: it is at most the number of non-ASCII characters.
    """
    ascii_part = sample.encode("ascii", "ignore")
    latin = len(ascii_part.translate(None, _NOT_LATIN))
    at_most_hangul = len(sample) - len(ascii_part)
    if language == "ko":
        return latin > 200 and (at_most_hangul < latin / 20 or _hangul(sample) < latin / 20)
    if language == "en":
        if at_most_hangul <= 200 or latin >= at_most_hangul / 2:
            return False
        hangul = _hangul(sample)
        return hangul > 200 and latin < hangul / 2
    return False


def _hangul(sample: str) -> int:
    return sum(map(len, _HANGUL.findall(sample)))


def read_record(
    folder: Path, problems: list[Problem], *, today: dt.date | None = None, contents: dict[str, bytes] | None = None
) -> Record | None:
    """Read and check one record folder. Returns the Record only when it has no errors.

    ``contents``: the bytes of some of its files by name, as the caller read them (the check hashes
    each file and hands the same bytes over, so it reads each file once).
    """
    contents = contents or {}
    before = len(errors(problems))
    folder_out = ProblemCollector(folder, problems)
    files = scan_folder(folder, problems)
    meta_path = folder / schema.RECORD_FILE
    if schema.RECORD_FILE not in files:
        folder_out.error(
            0,
            f"record folder has no {schema.RECORD_FILE}",
            "create it (sillok new scaffolds a record)",
            code="record-yml-missing",
        )
        return None
    out = ProblemCollector(meta_path, problems)
    content = read_bytes(meta_path, out, schema.LIMITS["record_yml_bytes"], contents.get(schema.RECORD_FILE))
    node = parse(content, out) if content is not None else None
    values = None
    if node is not None:
        others = {
            name: f"'{name}' belongs to one language: put it in the front matter of ko.md / en.md"
            for name in TEXT_LEVEL
        }
        values = schema.convert_mapping(node, schema.RECORD_FIELDS, out, others=others)
    elif content is not None and not content.strip():
        out.error(
            1,
            "record.yml is empty",
            "add the record's fields (see the field table in guide/record-format.md)",
            code="field-missing",
        )

    texts: dict[str, Text] = {}
    fronts: dict[str, Mapping] = {}
    listed = set(_listed_files(values)) if values else set()
    for language in schema.LANGUAGES:
        name = schema.TEXT_FILES[language]
        if name in files:
            text, front = read_text(folder / name, language, listed, problems, contents.get(name))
            if text is not None:
                texts[language] = text
            if front is not None:
                fronts[language] = front

    if not isinstance(node, Mapping) or values is None:
        return None
    attachments = check_attachments(folder, files, node, values, out, problems)
    check_consistency(folder, node, values, files, texts, fronts, out, problems, today)

    if len(errors(problems)) > before or any(v is schema.INVALID for v in values.values()) or attachments is None:
        return None
    values["attachments"] = attachments
    return Record(path=folder, texts=texts, **values)


def _listed_files(values: dict) -> list[str]:
    listed = values.get("attachments")
    if not listed or listed is schema.INVALID:
        return []
    return [a.file for a in listed]


def _line(node: Mapping, key: str) -> tuple[int, int]:
    child = node.get(key)
    if child is None:
        return node.line, node.column
    return child.line, child.column


def check_attachments(folder, files, node, values, out, problems) -> tuple[Attachment, ...] | None:
    """Every listed attachment exists and is what its name says; every other file is listed."""
    listed = values.get("attachments") or ()
    result = []
    ok = True
    if listed is schema.INVALID:
        listed, ok = (), False
    line, _ = _line(node, "attachments")
    known = {schema.RECORD_FILE, *schema.TEXT_FILES.values()}
    for attachment in listed:
        name = attachment.file
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if name in known:
            out.error(
                line,
                f"attachment '{name}' is one of the record's own files",
                "list only attached documents",
                code="attachment-name",
            )
            ok = False
            continue
        if ext not in schema.ATTACHMENT_TYPES:
            out.error(
                line,
                f"attachment '{name}' has an unsupported type '.{ext}'",
                f"attach one of: {', '.join(schema.ATTACHMENT_TYPES)}",
                code="attachment-type",
            )
            ok = False
            continue
        if name not in files:
            out.error(
                line,
                f"attachment '{name}' is listed but not in the record folder",
                f"add {display_path(folder / name)} or remove it from attachments",
                code="attachment-missing",
            )
            ok = False
            continue
        path = folder / name
        size = files[name].stat(follow_symlinks=False).st_size
        media_type, magics = schema.ATTACHMENT_TYPES[ext]
        attach_out = ProblemCollector(path, problems)
        if size == 0:
            attach_out.error(0, "attachment is empty", "add the real file", code="empty-file")
            ok = False
        elif size > schema.LIMITS["attachment_bytes"]:
            attach_out.error(
                0,
                f"attachment is {size:,} bytes, more than the limit of {schema.LIMITS['attachment_bytes']:,}",
                "compress it or split it",
                code="oversized-file",
            )
            ok = False
        elif magics:
            with open(path, "rb") as handle:
                head = handle.read(16)
            if not any(head.startswith(m) for m in magics):
                attach_out.error(
                    0,
                    f"file content is not {ext.upper()} (it starts with {head[:8]!r})",
                    f"attach a real .{ext} file or rename it to its real type",
                    code="attachment-content",
                )
                ok = False
        result.append(Attachment(file=name, title=attachment.title, size=size, media_type=media_type))
    listed_names = {a.file for a in listed}
    for name in sorted(set(files) - known - listed_names):
        ProblemCollector(folder / name, problems).error(
            0,
            "file is in the record folder but not listed in attachments",
            "add it to attachments in record.yml, or delete it",
            code="attachment-unlisted",
        )
    return tuple(result) if ok else None


def check_consistency(folder, node, values, files, texts, fronts, out, problems, today) -> None:
    """Facts that involve several fields or files: id vs folder, languages, translations, dates."""
    record_id = values.get("id")
    date = values.get("date")
    if isinstance(record_id, str) and record_id != folder.name:
        line, col = _line(node, "id")
        out.error(
            line,
            f"id '{record_id}' does not match the folder name '{folder.name}'",
            "make the id and the folder name the same",
            code="id-folder",
            column=col,
        )
    folder_match = schema.RECORD_ID.fullmatch(folder.name)
    if not folder_match:
        ProblemCollector(folder, problems).error(
            0,
            "record folder name must be YYYY-MM-DD-slug (lowercase ASCII letters, digits, hyphens)",
            "rename the folder, e.g. 2021-01-13-carbon-neutrality-tf-1",
            code="folder-name",
        )
    elif isinstance(date, dt.date):
        if folder_match["date"] != date.isoformat():
            line, col = _line(node, "date")
            out.error(
                line,
                f"date {date} does not match the folder's date {folder_match['date']}",
                "make the folder name start with the record's date",
                code="id-folder",
                column=col,
            )
        if folder.parent.name != f"{date.year:04d}":
            ProblemCollector(folder, problems).error(
                0,
                f"record dated {date} is in the folder '{folder.parent.name}'",
                f"move it to records/{date.year:04d}/",
                code="year-folder",
            )
        zone = values.get("timezone")
        now = today or dt.datetime.now(ZoneInfo(zone) if isinstance(zone, str) else None).date()
        if date > now:
            line, col = _line(node, "date")
            out.error(
                line,
                f"date {date} is in the future",
                "archive records only after they are issued",
                code="field-date",
                column=col,
            )

    original = values.get("original_language")
    not_archived = values.get("not_archived") or ()
    if not_archived is schema.INVALID:
        not_archived = ()
    present = {lang for lang in schema.LANGUAGES if schema.TEXT_FILES[lang] in files}
    if isinstance(original, str):
        if original not in present:
            line, col = _line(node, "original_language")
            hint = f"add {schema.TEXT_FILES[original]}" + (
                " or set original_language to the language you have" if present else ""
            )
            out.error(
                line,
                f"the original ({original}) text is missing: the authentic record must be archived",
                hint,
                code="original-missing",
                column=col,
            )
        if original in not_archived:
            line, col = _line(node, "not_archived")
            out.error(
                line,
                f"the original language {original} cannot be listed as not archived",
                code="not-archived",
                column=col,
            )
    listed_node = node.get("not_archived")
    for index, lang in enumerate(not_archived):
        if lang in present:
            item = (
                listed_node.items[index]
                if listed_node is not None and hasattr(listed_node, "items") and index < len(listed_node.items)
                else node
            )
            line, col = item.line, item.column
            out.error(
                line,
                f"not_archived lists {lang} but {schema.TEXT_FILES[lang]} exists",
                f"remove {lang} from not_archived",
                code="not-archived",
                column=col,
            )

    for lang, front in fronts.items():
        text_out = ProblemCollector(folder / schema.TEXT_FILES[lang], problems)
        translation = front.get("translation")
        if isinstance(original, str) and lang == original and translation is not None:
            text_out.error(
                translation.line,
                f"{lang} is the original language, so it is not a translation",
                "remove the translation block (or fix original_language in record.yml)",
                code="translation-original",
                column=translation.column,
            )
        elif isinstance(original, str) and lang != original and translation is None:
            text_out.error(
                front.line,
                f"{lang}.md is a translation (the original is {original}) and must say so",
                "add a translation: block with translator, method, date and from",
                code="translation-missing",
            )
        text = texts.get(lang)
        if text and text.translation:
            source = text.translation.from_language
            from_node = translation.get("from") if isinstance(translation, Mapping) else None
            at = from_node or translation
            if source == lang:
                text_out.error(
                    at.line,
                    f"translation.from is {lang}: a text cannot be translated from itself",
                    f"write from: {original}",
                    code="translation-from",
                    column=at.column,
                )
            elif source not in present:
                text_out.error(
                    at.line,
                    f"translation.from is {source} but {schema.TEXT_FILES[source]} does not exist",
                    code="translation-from",
                    column=at.column,
                )
            if isinstance(date, dt.date) and text.translation.date < date:
                text_out.error(
                    translation.line,
                    f"translation date {text.translation.date} is before the record's date {date}",
                    "give the date the translation was made",
                    code="translation-date",
                )
        for key, child in front.items:
            if key.value not in RECORD_LEVEL:
                continue
            spec = next(f for f in schema.RECORD_FIELDS if f.name == key.value)
            stated = spec.kind.convert(child, ProblemCollector(text_out.path, []), key.value)
            recorded = values.get(spec.target, schema.INVALID)
            name = schema.TEXT_FILES[lang]
            if stated is not schema.INVALID and recorded is not schema.INVALID and stated != recorded:
                text_out.error(
                    key.line,
                    f"{key.value} disagrees: {name} says {_show(stated)} but record.yml says {_show(recorded)}",
                    f"remove {key.value} from {name}; it is stated once, in record.yml",
                    code="field-disagrees",
                    column=key.column,
                )
            else:
                text_out.error(
                    key.line,
                    f"'{key.value}' is stated once for the record, in record.yml, not in {name}",
                    f"remove it from {name}",
                    code="field-misplaced",
                    column=key.column,
                )


def _show(value) -> str:
    return "(missing)" if value is None else str(value)
