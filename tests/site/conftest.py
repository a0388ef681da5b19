"""Fixtures of the site's browser tests: the built site served from 127.0.0.1 and a fresh page."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest
from helpers.serve import QuietHandler


@pytest.fixture(scope="session")
def server(built_site):
    from sillok.site.headers import parse_headers_file

    rules = parse_headers_file((built_site / "site" / "_headers").read_text("utf-8"))
    assert "'unsafe-inline'" not in rules["/*"]["Content-Security-Policy"]
    handler = functools.partial(
        type("SiteHandler", (QuietHandler,), {"site_headers": rules["/*"]}), directory=str(built_site / "site")
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def page(browser, server):
    """A fresh page (new context: empty localStorage) that records console errors and outside requests."""
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.outside = []
    page.on(
        "console", lambda message: message.type == "error" and page.errors.append(message.text)
    )  # CSP violations too
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: request.url.startswith(server) or page.outside.append(request.url))
    yield page
    context.close()
