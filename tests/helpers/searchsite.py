"""A minimal static site for search tests and the benchmark: plain record pages, the search pages, the index.

The real site is MkDocs; search needs none of it. Record pages sit at the URLs the real site uses
(``/records/{id}/``, ``/en/records/{id}/``) and carry page furniture (a banner, navigation) that
must never become searchable. Also: a quiet local HTTP server and a headless Chromium launcher.
"""

from __future__ import annotations

import functools
import html
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES
from sillok.site.search.index import plain_text, record_url, search_html, write_search

CHROMIUM = Path(os.environ.get("SILLOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FURNITURE = "<header>[오늘 그만 보기] 확인 아니오 subtop</header><nav>기록 목록 Records</nav>"


def page(title: str, body: str, language: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title></head>'
        f"<body>{FURNITURE}<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def build_site(
    records: list[Record], site_dir: Path, base_url: str = "/", *, record_pages: bool = True
) -> dict[str, int]:
    """Write record pages, the two search pages and the search index into ``site_dir`` (replaced)."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.mkdir(parents=True)
    prefix = len(base_url.rstrip("/"))
    for language in LANGUAGES:
        search_dir = site_dir / ("search" if language == LANGUAGES[0] else f"{language}/search")
        search_dir.mkdir(parents=True)
        (search_dir / "index.html").write_text(
            page("검색" if language == "ko" else "Search", search_html(language, base_url), language), "utf-8"
        )
        if not record_pages:
            continue
        for record in records:
            text = record.text(language)
            if text is None:
                continue
            folder = site_dir / record_url(record.id, language, base_url)[prefix:].strip("/")
            folder.mkdir(parents=True)
            paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in plain_text(text.body).splitlines())
            (folder / "index.html").write_text(page(text.title, paragraphs, language), "utf-8")
    return write_search(records, site_dir, base_url)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch_chromium(playwright):
    """Debian's Chromium, headless; Playwright never downloads a browser here."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def chromium_missing() -> str | None:
    """Why the browser tests cannot run, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401 - only checking that it is installed
    except ImportError:
        return "playwright for Python is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium, or set SILLOK_CHROMIUM)"
    return None


def search(page_, query: str, filters: dict[str, str] | None = None, *, all_pages: bool = True) -> list[str]:
    """Type ``query`` into the real search box (after choosing ``filters``) and return the ids shown, in order."""
    root = page_.locator(".sillok-search")
    page_.wait_for_selector(".sillok-search select[name=office]", state="attached")
    for name in ("type", "year", "office"):
        page_.select_option(f".sillok-search select[name={name}]", (filters or {}).get(name, ""))
    page_.wait_for_function("document.querySelector('.sillok-search').dataset.state !== 'loading'")
    page_.evaluate("document.querySelector('.sillok-search').setAttribute('data-state', 'typing')")
    page_.fill("#sillok-search-q", query)
    if not query.strip():
        page_.dispatch_event("#sillok-search-q", "input")
    page_.wait_for_function(
        "['done', 'idle', 'error'].includes(document.querySelector('.sillok-search').dataset.state)"
    )
    assert root.get_attribute("data-state") != "error", page_.locator(".sillok-search__status").inner_text()
    while all_pages and page_.locator(".sillok-search__more").is_visible():
        root.evaluate("r => r.setAttribute('data-state', 'typing')")
        page_.click(".sillok-search__more")
        page_.wait_for_function("document.querySelector('.sillok-search').dataset.state === 'done'")
    return page_.eval_on_selector_all(".sillok-search__result[data-id]", "els => els.map(e => e.dataset.id)")
