"""The Markdown of a typical record body turned into HTML without Python-Markdown, exactly as it would.

Python-Markdown spends about 2 ms on a record body, half the time of a record page. Most bodies are a
Korean government outline (nested ``- □ …`` / ``    - ㅇ …`` / ``        - \\* …`` items), paragraphs and
headings with no inline markup at all: :func:`quick_html` renders exactly those and returns None for
anything else (a table, a link, emphasis, an ordered list, a loose list, indented code, a quote, raw
HTML …), and then Python-Markdown renders the body as before. The output is Python-Markdown's with
sillok's outline step (:mod:`sillok.site.render`), byte for byte: ``tests/site/test_quickbody.py``
compares the two on generated and hand-written bodies, edge cases included.
"""

from __future__ import annotations

import re

OUTLINE_MARKERS = ("□", "■", "ㅇ", "○", "◦", "●", "•", "*", "※", "-", "▪", "◎", "△", "▶", "➊", "→")
"""Characters that open an item of a Korean government outline; the source keeps them as text."""
HEAD_MARKERS = ("□", "■")
"""Markers of a top-level outline point, shown as a paragraph heading."""

_ESCAPABLE = "\\`*_{}[]()#+-.!"
"""Characters a backslash escapes in Python-Markdown that sillok's subset allows (``>`` is not: it prints as ``&gt;``)."""
_ESCAPE = re.compile(r"\\(.)")
_PLAIN = re.compile(r"[^\x00-\x1f\x7f`\\\[\]<>&*_|]*")
"""Text in which no inline pattern of Python-Markdown can start and that its serializer prints as is."""
_ITEM = re.compile(r"((?:    )*)- (.*)")
_HEADING = re.compile(r"(#{1,6}) ([^#]*)")
_BLOCK_START = re.compile(r"[\s#>\-+=|~`:]|\*(?!\*[^*])|\d+[.)]|\[")
"""What a line must not start with to be plain text (a list, heading, quote, rule, table, code, definition …)."""
_PLAIN_ITEM = re.compile(r"((?:    )*)- (?![\s#>\-+=|~`:]|\d+[.)])([^\x00-\x1f\x7f`\\\[\]<>&*_|]+)")
"""An item of :data:`_ITEM` whose text is :data:`_PLAIN` (so without ``*``, ``\\`` or ``[``), not empty and not
starting as :data:`_BLOCK_START` says: :func:`_inline` gives it back as it is."""


def _inline(text: str) -> str | None:
    """The HTML of one line of text, or None if Python-Markdown's inline step could change it."""
    if "**" in text:  # strong: a bold lead line (``**…**``) opens many press releases
        parts = text.split("**")
        if "\\" in text or len(parts) % 2 == 0:
            return None
        for number, part in enumerate(parts):
            if not _PLAIN.fullmatch(part) or (number % 2 and (not part or part != part.strip())):
                return None
        return "".join(f"<strong>{part}</strong>" if number % 2 else part for number, part in enumerate(parts))
    if "\\" in text:
        parts = _ESCAPE.split(text)
        if parts[-1].endswith("\\"):
            return None
        for escaped in parts[1::2]:
            if escaped not in _ESCAPABLE:
                return None
        plain = parts[0::2]
        if not all(_PLAIN.fullmatch(part) for part in plain):
            return None
        return "".join(parts)
    return text if _PLAIN.fullmatch(text) else None


_ONE_CHARACTER = frozenset(OUTLINE_MARKERS) if all(len(marker) == 1 for marker in OUTLINE_MARKERS) else frozenset()


def _marked(text: str) -> tuple[str, str] | None:
    """``(marker, rest)`` when ``text`` opens with an outline marker (as sillok's outline step finds it)."""
    if _ONE_CHARACTER:  # every marker is one character: the first one tells (an outline has hundreds of items)
        return (text[0], text[1:]) if text[:1] in _ONE_CHARACTER else None
    for marker in OUTLINE_MARKERS:
        if text.startswith(marker):
            return marker, text[len(marker) :]
    return None


def _with_marker(text: str) -> str:
    found = _marked(text)
    return text if found is None else f'<span class="outline-marker">{found[0]}</span>{found[1]}'


def _list(lines: list[str]) -> str | None:
    """A tight, nested list of ``-`` items, every one indented four spaces more than its parent at most."""
    items: list[tuple[int, str]] = []
    level = -1
    for line in lines:
        match = _PLAIN_ITEM.fullmatch(line)  # the usual item: what the checks below accept as it is, in one match
        if match is not None:
            indent, html = match.groups()
        else:
            match = _ITEM.fullmatch(line)
            if match is None:
                return None
            indent, text = match.groups()
            if not text or _BLOCK_START.match(text):
                return None
            html = _inline(text)
            if html is None:
                return None
        depth = len(indent) // 4
        if depth > level + 1:
            return None
        items.append((depth, html))
        level = depth
    out: list[str] = []
    open_items = 0  # list depth currently open
    for number, (depth, html) in enumerate(items):
        if number == 0 or depth > items[number - 1][0]:
            out.append("<ul>\n")
        else:
            out.append("</li>\n")
            for _ in range(items[number - 1][0] - depth):
                out.append("</ul>\n</li>\n")
        found = _marked(html)
        if found is None:
            out.append(f"<li>{html}")
        else:
            out.append(f'<li class="outline-item"><span class="outline-marker">{found[0]}</span>{found[1]}')
        open_items = depth
    out.append("</li>\n")
    for _ in range(open_items):
        out.append("</ul>\n</li>\n")
    out.append("</ul>")
    return "".join(out)


def _paragraph(lines: list[str]) -> str | None:
    texts = []
    for line in lines:
        if _BLOCK_START.match(line):
            return None
        html = _inline(line)
        if html is None:
            return None
        texts.append(html)
    text = "\n".join(texts)
    if text.startswith(HEAD_MARKERS):
        return f'<p class="outline-head">{_with_marker(text)}</p>'
    return f"<p>{text}</p>"


def _heading(line: str) -> str | None:
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    text = match.group(2).strip()
    if not text or text != match.group(2) or _BLOCK_START.match(text):
        return None
    html = _inline(text)
    if html is None:
        return None
    level = min(len(match.group(1)) + 1, 6) if len(match.group(1)) < 6 else 6
    return f"<h{level}>{html}</h{level}>"


def quick_html(body: str) -> str | None:
    """``body`` as Python-Markdown with sillok's outline step would render it, before sanitising; None when
    the body uses anything beyond plain paragraphs, ``#`` headings and tight ``-`` outlines."""
    blocks: list[list[str]] = [[]]
    for line in body.split("\n"):
        if line.endswith((" ", "\t")):
            return None  # a line break, a blank line of spaces, a setext underline: Markdown's to judge
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[str] = []
    after_list = False
    for lines in blocks:
        if not lines:
            continue
        first = lines[0]
        if first.startswith("- "):
            if after_list:
                return None  # two lists a blank line apart are one loose list
            html = _list(lines)
            after_list = True
        elif first.startswith("#"):
            html = _heading(first) if len(lines) == 1 else None
            after_list = False
        else:
            html = _paragraph(lines)
            after_list = False
        if html is None:
            return None
        out.append(html)
    return "\n".join(out)
