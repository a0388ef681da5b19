"""HTTP headers for any static host: a Content-Security-Policy the site satisfies, and caching.

The policy is computed from the built site: every inline script that runs is allowed by its
SHA-256 hash, never by ``'unsafe-inline'``, so record content (which cannot contain script
anyway) could not run even if it got into a page. The site loads nothing from other hosts, so
everything else is ``'self'``. ``_headers`` is the file format Netlify and Cloudflare Pages read;
the README shows the same headers for nginx and Apache.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

HEADERS_FILE = "_headers"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPES = re.compile(r"""type=["']?application/(?:ld\+)?json""", re.I)

OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
IMMUTABLE = ("/assets/javascripts/*", "/assets/stylesheets/*")
"""Material names the files there by content hash, so a browser may keep them for a year."""


def inline_script_hashes(site_dir: Path) -> list[str]:
    """The ``'sha256-…'`` source of every distinct inline script in the site's pages, sorted."""
    hashes = set()
    for page in site_dir.rglob("*.html"):
        for attrs, body in _INLINE_SCRIPT.findall(page.read_text("utf-8")):
            if _DATA_TYPES.search(attrs):
                continue  # JSON data blocks (JSON-LD, Material's config) are never executed
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def content_security_policy(site_dir: Path) -> str:
    scripts = " ".join(["'self'", *inline_script_hashes(site_dir)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",  # Material's icons are data: URLs in its stylesheet
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def headers_file(site_dir: Path) -> str:
    """``_headers`` for Netlify and Cloudflare Pages: security headers everywhere, long caching for hashed assets."""
    lines = ["/*", f"  Content-Security-Policy: {content_security_policy(site_dir)}"]
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
