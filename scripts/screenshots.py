"""Screenshots of the built site as readers see it: record, board, tag index, a tag, search and 404; phone and desktop; both languages.

Serves a built site (``sillok build`` first; default ``site/``) from 127.0.0.1 and opens each page in
headless Chromium in a fresh context (first visit: the banner shows), at 390x844 (phone) and 1280x900
(desktop), and writes one PNG per page, language and screen into ``--out``, the first screen only unless
``--full``. Look at them: they are what a reader sees first.

    python scripts/screenshots.py                      # site/ → screenshots/
    python scripts/screenshots.py site --out /tmp/shots --full --dark
    python scripts/screenshots.py site --only board --only tag     # some pages only
"""

from __future__ import annotations

import argparse
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = os.environ.get("SILLOK_CHROMIUM", "/usr/bin/chromium")
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the standard library's signature
        pass

    def send_error(self, code, message=None, explain=None):
        """Serve the site's own 404 page, as a static host does."""
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        page = root / "en" / "404.html" if self.path.startswith("/en/") else root / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def pages(site: Path) -> dict[str, str]:
    """Page name → path, for the Korean site (English is the same under ``en/``)."""
    records = sorted(p.parent.name for p in (site / "records").glob("*/index.html") if p.parent.name[:4].isdigit())
    found = {"record": f"records/{records[-1]}/" if records else "records/"}
    found["board"] = "records/board/" if (site / "records" / "board" / "index.html").exists() else "records/"
    tags = sorted((site / "records" / "tag").glob("*/index.html"), key=lambda p: (-p.stat().st_size, p.parent.name))
    found["tags"] = "records/tag/"
    if tags:  # the tag with the longest page: the one with the most records
        found["tag"] = f"records/tag/{tags[0].parent.name}/"
    found["search"] = "records/search/?q=%ED%83%84%EC%86%8C%EC%A4%91%EB%A6%BD"  # 탄소중립
    found["404"] = "no-such-page/"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--dark", action="store_true", help="also with the system set to dark")
    parser.add_argument(
        "--only", action="append", help="only this page (repeatable): record, board, tags, tag, search, 404"
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    schemes = ["light", "dark"] if args.dark else ["light"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for name, path in pages(args.site).items():
                if args.only and name not in args.only:
                    continue
                for language, prefix in (("ko", ""), ("en", "en/")):
                    for screen, viewport in SCREENS.items():
                        for scheme in schemes:
                            context = browser.new_context(viewport=viewport, color_scheme=scheme)
                            page = context.new_page()
                            page.goto(base + prefix + path, wait_until="networkidle")
                            suffix = "" if scheme == "light" else "-dark"
                            target = args.out / f"{name}-{language}-{screen}{suffix}.png"
                            page.screenshot(path=str(target), full_page=args.full)
                            print(f"{target} {target.stat().st_size / 1024:.0f} KB")
                            context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
