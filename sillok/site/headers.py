"""HTTP headers for any static host: a Content-Security-Policy the site satisfies, and caching.

The policy vouches only for what sillok and the theme ship, never for what a page happens to
contain: scripts run only from the site's own files (``script-src 'self'``), and the templates
load every script from a file (Material's few inline scripts are moved into
``overrides/assets/sillok/``). Nothing is hashed from built pages, because a hash computed from
the output would also vouch for a script injected through a record. A page that nonetheless
holds an executable inline script is a build error (:func:`inline_scripts`): either a template
changed or something escaped escaping, and either way it must not be published. The site loads
nothing from other hosts, so everything else is ``'self'``. ``_headers`` is the file format
Netlify and Cloudflare Pages read; ``guide/security.md`` gives the same headers for nginx.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

from sillok.errors import ProblemsFound

HEADERS_FILE = "_headers"
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
_DATA_TYPES = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json["']?""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Material's icons are data: URLs in its stylesheet
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""The same for every build: it depends on nothing a record can say."""

OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
IMMUTABLE = ("/assets/javascripts/*", "/assets/stylesheets/*")
"""Material names the files there by content hash, so a browser may keep them for a year."""


class InlineScript(ProblemsFound):
    """A page about to be published holds an executable inline ``<script>`` (raised where the page is made)."""

    def __init__(self, page: str, line: int):
        super().__init__(f"inline <script> in the built page {page}:{line}; a template must load scripts from files")
        self.page, self.line = page, line

    def __reduce__(self):  # raised in a worker process, re-raised in the build's
        return (InlineScript, (self.page, self.line))


def scripts_in(text: str) -> list[int]:
    """The line of every executable inline ``<script>`` in one page's HTML; JSON data blocks are not executed."""
    lines = []
    for match in _SCRIPT_TAG.finditer(text):
        attrs = match.group(1)
        if _SRC.search(attrs) or _DATA_TYPES.search(attrs):
            continue
        lines.append(text.count("\n", 0, match.start()) + 1)
    return lines


def refuse_inline_scripts(page: str, text: str) -> None:
    """Raise :class:`InlineScript` when ``text``, the page ``page`` about to be written, holds an inline script.

    Writers that make pages outside MkDocs (record pages filled into shells) call this on each page
    while it is in memory, so the build need not read those pages back (:func:`inline_scripts` ``skip``).
    """
    lines = scripts_in(text)
    if lines:
        raise InlineScript(page, lines[0])


def inline_scripts(
    site_dir: Path, skip: Collection[str] = frozenset(), only: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """(page, line) of every executable inline ``<script>`` in the built pages, except the pages in ``skip``.

    ``skip`` names pages (relative to ``site_dir``) already checked by :func:`refuse_inline_scripts`
    when they were made; every other HTML file is read and checked here. ``only`` (relative paths)
    limits the search to those files, so a build that knows what MkDocs wrote does not walk every
    page folder to find the few pages it did not make itself.
    """
    found = []
    pages = (
        sorted(site_dir.rglob("*.html"))
        if only is None
        else [site_dir / name for name in sorted(set(only)) if name.endswith(".html") and (site_dir / name).is_file()]
    )
    for page in pages:
        relative = page.relative_to(site_dir).as_posix()
        if relative in skip:
            continue
        found += [(relative, line) for line in scripts_in(page.read_text("utf-8", errors="replace"))]
    return found


def content_security_policy(site_dir: Path | None = None) -> str:
    """The policy; ``site_dir`` is accepted for callers of the old signature and ignored (nothing is computed from pages)."""
    return CONTENT_SECURITY_POLICY


def headers_file(site_dir: Path | None = None) -> str:
    """``_headers`` for Netlify and Cloudflare Pages: security headers everywhere, long caching for hashed assets."""
    lines = ["/*", f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}"]
    lines += [f"  {name}: {value}" for name, value in OTHER_HEADERS.items()]
    for path in IMMUTABLE:
        lines += [path, "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """``{path pattern: {header: value}}`` from a ``_headers`` file (for tests and local servers)."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        if line and not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
        elif line.strip() and current is not None:
            name, _, value = line.strip().partition(":")
            current[name.strip()] = value.strip()
    return rules
