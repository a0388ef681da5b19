"""Personal-data patterns a reviewer must see before a record is published.

These are warnings, not errors: an official's office telephone number or a press contact's
address can belong in a record. The law (PIPA) is about what a person chooses to publish, so the
tool points and a person decides; once published, removal is a logged redaction.
"""

from __future__ import annotations

import re

from sillok.text import position

PATTERNS = (
    (
        "resident registration number",
        re.compile(r"(?<![\d-])\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-8]\d{6}(?![\d-])"),
    ),
    (
        "mobile phone number",
        re.compile(r"(?<![\d+-])(?:\+82[\s.-]?1[016789]|01[016789])[\s.-]?\d{3,4}[\s.-]?\d{4}(?![\d-])"),
    ),
    (
        "e-mail address",
        re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ),
)


def find(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, kind, matched text) for every personal-data pattern in the text."""
    hits = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            line, column = position(text, match.start())
            hits.append((line, column, kind, match.group()))
    return sorted(hits)
