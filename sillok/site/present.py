"""How a record is shown in a language: which text, and a short plain-text summary of it.

Every view (dataset, feed, page head) lists every record. Where a record has no text in the
view's language, the original text stands in and is labelled with its own language: nothing is
invented, and no link points to a page in a language the record does not have.
"""

from __future__ import annotations

import re

from sillok.record.model import Record, Text

SUMMARY_LENGTH = 300
"""Longest generated summary, in characters, for feeds and page descriptions."""

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|[□■○●◦ㅇ▶▷]\s+)+", re.M)
"""Headings, quotes, list markers and the □ / ㅇ outline marks of Korean official documents."""
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def shown_language(record: Record, language: str) -> str:
    """``language`` when the record has a text in it, else the record's original language."""
    return language if language in record.texts else record.original_language


def shown_text(record: Record, language: str) -> Text:
    """The record's text in ``language``, or its original text when it has none in that language."""
    return record.texts[shown_language(record, language)]


def plain_text(markdown: str) -> str:
    """Markdown reduced to one line of readable text (links to their words, marks removed)."""
    # a link needs a "[" and emphasis a "*", "_" or "`": most bodies have no link, and scanning for one costs
    # a third of the summary of every record page's head (and of every feed entry and dataset row)
    text = _LINK.sub(r"\1", markdown) if "[" in markdown else markdown
    text = _LINE_MARK.sub("", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


SUMMARY_SCAN = 8 * SUMMARY_LENGTH
"""How much of a body :func:`summary` reduces first (the whole body only when that is too little)."""


def summary(record: Record, language: str, limit: int = SUMMARY_LENGTH) -> str:
    """The text's own ``summary`` when it has one, else the start of its body as plain text."""
    text = shown_text(record, language)
    if text.summary:
        return " ".join(text.summary.split())
    return shortened(_plain_start(text.body, limit), limit)


def shortened(plain: str, limit: int = SUMMARY_LENGTH) -> str:
    """``plain`` when it has at most ``limit`` characters, else its start cut at a space, with "…"."""
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def _plain_start(markdown: str, limit: int) -> str:
    """``plain_text(markdown)``, or a start of it longer than ``limit`` (all a summary reads).

    Every page head, feed entry and dataset row has a summary, and bodies run to tens of thousands of
    characters: the first lines are reduced alone when they give enough text. That start is the start of the
    whole body's plain text when it ends at a line break and holds no ``[``: the line marks and emphasis are
    matched within a line (a line mark's leading spaces may run on into the next line, but spaces are
    joined away), and only a link can span lines."""
    end = markdown.rfind("\n", 0, max(SUMMARY_SCAN, 8 * limit))
    if end > 0 and end < len(markdown) - 1 and "[" not in markdown[:end]:
        plain = plain_text(markdown[: end + 1])
        if len(plain) > limit:
            return plain
    return plain_text(markdown)


def esc(text: object) -> str:
    """The one way plain text becomes HTML text or an attribute value (quotes included): record pages, index
    pages and the head's metadata all escape through it.

    ``html.escape(str(text), quote=True)``, written out: a record page escapes about 190 values."""
    if type(text) is not str:  # a number, or a str subclass whose replace() would not be str.replace (Markup)
        text = str(text)
        if type(text) is not str:
            text = str.__str__(text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
