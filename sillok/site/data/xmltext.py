"""Write XML elements as text: one line per element, every value escaped.

ElementTree cannot serialize a default namespace together with plain attributes (``rel=``,
``href=``) that Atom and sitemaps need, so the feed and sitemap writers build their lines here.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def attributes(attrs: dict[str, str | None]) -> str:
    return "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items() if value is not None)


def element(name: str, text: str | None = None, attrs: dict[str, str | None] | None = None, depth: int = 0) -> str:
    """``<name attr="...">text</name>`` (or ``<name attr="..."/>`` without text), indented by depth."""
    start = "  " * depth + f"<{name}{attributes(attrs or {})}"
    if text is None:
        return start + "/>"
    return f"{start}>{escape(text)}</{name}>"


def start(name: str, attrs: dict[str, str | None] | None = None, depth: int = 0) -> str:
    return "  " * depth + f"<{name}{attributes(attrs or {})}>"


def end(name: str, depth: int = 0) -> str:
    return "  " * depth + f"</{name}>"
