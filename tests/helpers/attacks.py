"""Helpers for the attack tests: hostile values in every metadata field, a site built from them, a server.

``sillok check`` refuses markup in plain-text fields, so to test the escaping behind it the hostile
values are put into records *after* they were read (what a writer would get if the check ever let
one through), then the site is generated and built by the real MkDocs with the real templates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import html.parser
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

from helpers.serve import QuietHandler
from sillok.record.model import Localized, Record

FIELDS = ("title", "summary", "office", "writer", "tag", "attachment", "translator", "note")


def payload(field: str) -> str:
    """Markup that sets ``window.__pwned`` to the field's name if any of it runs, in every context it may land in."""
    return (
        f'{field} "\'></title></span><script>window.__pwned="{field}"</script>'
        f"<img src=x onerror=\"window.__pwned='{field}'\"><svg onload=\"window.__pwned='{field}'\">"
        f"</script><!--"
    )


def hostile(record: Record) -> Record:
    """``record`` with :func:`payload` in every text field the site shows."""
    texts = {}
    for language, text in record.texts.items():
        translation = text.translation
        if translation is not None:
            translation = dataclasses.replace(translation, translator=payload("translator"), note=payload("note"))
        texts[language] = dataclasses.replace(
            text, title=payload("title"), summary=payload("summary"), translation=translation
        )
    office = dataclasses.replace(record.office, ko=payload("office"), en=payload("office"))
    attachments = tuple(
        dataclasses.replace(a, title=Localized(ko=payload("attachment"), en=payload("attachment")))
        for a in record.attachments
    )
    return dataclasses.replace(
        record, texts=texts, office=office, writer=payload("writer"), tags=(payload("tag"),), attachments=attachments
    )


def build_site(project: Path, records: list[Record], *, shells: bool = True) -> Path:
    """Generate ``records`` (unchecked) and build the site as ``sillok build`` does, with the real templates.

    With ``shells`` (what ``sillok build`` does by default) record and index pages are filled into page shells
    rendered by MkDocs (:mod:`sillok.site.recordpages`); without, MkDocs renders every page.
    Returns site/.
    """
    from sillok.site.generate import generate_for_build
    from sillok.site.headers import HEADERS_FILE, headers_file
    from sillok.site.integrity import PublicLedger
    from sillok.site.recordpages.indexpages import FILLED_ENV
    from sillok.site.recordpages.write import write_pages
    from sillok.site.settings import read_mkdocs_yml
    from sillok.site.sitefiles import write_site_files

    settings = read_mkdocs_yml(project / "mkdocs.yml")
    integrity = PublicLedger.read(project / "records")
    generated = generate_for_build(records, project, settings, integrity, shells=shells, cache_dir=project / ".cache")
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SILLOK_PAGES_READY": "1", FILLED_ENV: str(generated.excluded)}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    if shells:
        ordered = sorted(records, key=Record.sort_key)
        write_pages(
            ordered, site, settings, integrity, index_pages=generated.index_pages, needed=generated.shells, jobs=1
        )
    write_site_files(records, site, settings, project / "records")
    (site / HEADERS_FILE).write_text(headers_file(), "utf-8")
    return site


class _Markup(html.parser.HTMLParser):
    """Collects what in a page could run: scripts' text, event handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        self._in_script = tag == "script" and not any(n == "type" and "json" in (v or "") for n, v in attrs)
        if tag in ("img", "svg") and dict(attrs).get("src") == "x":
            self.found.append(f"<{tag} src=x>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "__pwned" in data:
            self.found.append(f"<script>{data.strip()[:60]}")


def active_markup(page: str) -> list[str]:
    """Everything in an HTML page through which a payload could run (empty for a safe page)."""
    parser = _Markup()
    parser.feed(page)
    return parser.found


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 with the headers of its own ``_headers`` file, as Netlify or Cloudflare would."""
    from sillok.site.headers import parse_headers_file

    rules = parse_headers_file((site / "_headers").read_text("utf-8"))["/*"]
    handler = functools.partial(type("Handler", (QuietHandler,), {"site_headers": rules}), directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
