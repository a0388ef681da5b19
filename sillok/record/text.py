"""Byte- and character-level hygiene of record files.

A digest is taken of bytes, and a reader sees characters; both must mean one thing. So a record
file is UTF-8 without BOM, with LF line endings, in NFC, and free of characters that are invisible
or reorder what is shown (bidi controls, zero-width characters, Hangul fillers, C0/C1 controls).
NFC and NFD Hangul look identical yet hash differently; a Hangul filler passes ``str.isprintable()``.
"""

from __future__ import annotations

import re
import unicodedata

from sillok.record.problems import ProblemCollector

BOM = b"\xef\xbb\xbf"

#: Characters that are invisible or change how neighbouring text is displayed, with a reason each.
INVISIBLE = {
    **{chr(c): "a bidirectional control" for c in (0x061C, 0x200E, 0x200F)},
    **{chr(c): "a bidirectional control" for c in range(0x202A, 0x202F)},
    **{chr(c): "a bidirectional control" for c in range(0x2066, 0x206A)},
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a zero-width word joiner",
    "\ufeff": "a zero-width no-break space (BOM)",
    "\u00ad": "a soft hyphen",
    "\u3164": "a Hangul filler",
    "\u115f": "a Hangul choseong filler",
    "\u1160": "a Hangul jungseong filler",
    "\uffa0": "a halfwidth Hangul filler",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    **{chr(c): "a noncharacter" for c in (*range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF)},
}
_C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n") + "\x7f"
_C1 = "".join(chr(c) for c in range(0x80, 0xA0))
_FORBIDDEN = re.compile("[" + re.escape("".join(INVISIBLE) + _C0 + _C1) + "]")
#: How many occurrences of one kind to report per file before summarising the rest.
MAX_REPORTED = 20


def is_noncharacter(ch: str) -> bool:
    """U+FFFE, U+FFFF (and their copies in every plane), U+FDD0..U+FDEF, or a lone surrogate."""
    code = ord(ch)
    return (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF or 0xD800 <= code <= 0xDFFF


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of a character index, columns counted in characters."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def char_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def decode(data: bytes, out: ProblemCollector, *, max_bytes: int) -> str | None:
    """Decode a record file's bytes, reporting every hygiene problem; None when undecodable.

    Problems that leave the text readable (CRLF, non-NFC, invisible characters) are reported and
    the text is still returned, so later checks can report their problems in the same run.
    """
    if not data:
        out.error(0, "file is empty", "write the record's content or delete the file", code="empty-file")
        return None
    if len(data) > max_bytes:
        out.error(
            0,
            f"file is {len(data):,} bytes, more than the limit of {max_bytes:,}",
            "split the text or move large content into an attachment",
            code="oversized-file",
        )
        return None
    if data.startswith(BOM):
        out.error(
            1, "file starts with a UTF-8 byte order mark (BOM)", "save it as UTF-8 without BOM", code="bom", column=1
        )
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 4].hex(" ")
        out.error(
            line,
            f"not valid UTF-8 at byte offset {exc.start} (bytes {bad})",
            "re-save the file as UTF-8 (it may be in EUC-KR/CP949)",
            code="not-utf8",
        )
        return None
    cr = text.find("\r")
    if cr >= 0:
        kind = "CRLF" if text[cr + 1 : cr + 2] == "\n" else "CR"
        line, _ = position(text, cr)
        out.error(
            line,
            f"{kind} line ending (the file must use LF only)",
            "convert line endings to LF (git add --renormalize .)",
            code="line-ending",
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        for number, line_text in enumerate(text.split("\n"), 1):
            if not unicodedata.is_normalized("NFC", line_text):
                column = next(
                    i for i in range(len(line_text) + 1) if not unicodedata.is_normalized("NFC", line_text[: i + 1])
                )
                out.error(
                    number,
                    "text is not in Unicode NFC (decomposed Hangul or accents look the same but hash differently)",
                    'convert the file to NFC (e.g. uconv -x nfc, or your editor\'s "Unicode NFC" save option)',
                    code="not-nfc",
                    column=column + 1,
                )
                break
    seen: dict[str, int] = {}
    for match in _FORBIDDEN.finditer(text):
        ch = match.group()
        seen[ch] = seen.get(ch, 0) + 1
        if seen[ch] > MAX_REPORTED:
            continue
        line, column = position(text, match.start())
        what = INVISIBLE.get(ch, "a control character")
        out.error(
            line,
            f"invisible character {char_name(ch)} ({what})",
            f"delete it; most editors do not show it (search for \\u{ord(ch):04x})",
            code="invisible-character",
            column=column,
        )
    for ch, count in seen.items():
        if count > MAX_REPORTED:
            out.error(0, f"{count - MAX_REPORTED} more {char_name(ch)} not listed", code="invisible-character")
    return text


def name_problems(name: str) -> str | None:
    """Why a file or folder name is unacceptable, or None."""
    if name.isascii():  # ASCII holds no noncharacter and is NFC: only controls and backslashes remain to find
        bad = _FORBIDDEN.search(name)
        if bad:
            return f"its name contains {char_name(bad.group())}"
        return "its name contains a backslash" if "\\" in name else None
    if any(is_noncharacter(ch) for ch in name):
        return "its name is not valid UTF-8 (or holds a noncharacter)"
    if not unicodedata.is_normalized("NFC", name):
        return "its name is not in Unicode NFC (it would produce a second URL that looks the same)"
    bad = _FORBIDDEN.search(name)
    if bad:
        return f"its name contains {char_name(bad.group())}"
    if "\\" in name:
        return "its name contains a backslash"
    return None


_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>\s]{0,30}>?|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")


def markup_in(value: str) -> str | None:
    """The first piece of HTML markup (a tag, comment or character reference) in a plain-text value, or None.

    Titles, names, tags and summaries are plain text: the site escapes them, so markup would show
    literally at best; at worst a template that forgot to escape would run it. ``A < B`` is fine.
    """
    match = _MARKUP.search(value)
    return match.group() if match else None


def hidden_in(value: str) -> tuple[int, str] | None:
    """(index, description) of the first invisible character or non-NFC text in a decoded value, or None.

    :func:`decode` checks a file's raw characters; a YAML escape (``"\\u202E"``) or an HTML entity
    decodes to the same characters later, so decoded values are checked again.
    """
    bad = _FORBIDDEN.search(value)
    if bad:
        ch = bad.group()
        return bad.start(), f"invisible character {char_name(ch)} ({INVISIBLE.get(ch, 'a control character')})"
    if not unicodedata.is_normalized("NFC", value):
        return 0, "text that is not in Unicode NFC"
    for index, ch in enumerate(value):
        if is_noncharacter(ch):
            return index, f"the character {char_name(ch)} (a noncharacter or lone surrogate)"
    return None
