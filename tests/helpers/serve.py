"""Serving a built site from 127.0.0.1 in tests, with the headers its ``_headers`` file publishes."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler
from typing import ClassVar


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site with the headers of its own ``_headers`` file, as Netlify or Cloudflare Pages would,
    so every page in these tests must satisfy the published Content-Security-Policy."""

    site_headers: ClassVar[dict[str, str]] = {}

    def end_headers(self):
        for name, value in self.site_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # the standard library's signature
        pass
