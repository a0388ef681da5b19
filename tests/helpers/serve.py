"""Serving a built site from 127.0.0.1 in tests, with the headers its ``_headers`` file publishes."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler
from pathlib import Path
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

    def send_error(self, code, message=None, explain=None):
        """A missing page gets the site's own 404 page of its language, as a static host serves it."""
        root = Path(self.directory)
        page = root / "en" / "404.html" if self.path.startswith("/en/") else root / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
