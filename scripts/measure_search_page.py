"""Measure a cold search on a real built site: page load to first result, and bytes transferred.

Usage: python scripts/measure_search_page.py [SITE_DIR] [--query 탄소중립] [--runs 3]

Serves SITE_DIR (default site/) on 127.0.0.1 without compression, opens the Korean search page with
the query in its address in a fresh headless Chromium context per run, and prints the time until
the first result link shows and the bytes of every response, with the share of Material's theme
assets (which a host that compresses serves at about a quarter of that size).
"""

from __future__ import annotations

import argparse
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

from playwright.sync_api import sync_playwright


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the standard library's signature
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--query", default="탄소중립")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=args.site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/records/search/?q={quote(args.query)}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            for run in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                sizes: dict[str, int] = {}
                page.on("response", lambda r, sizes=sizes: sizes.__setitem__(r.url, len(r.body()) if r.ok else 0))
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(".sillok-search a[href*='/records/']")
                ms = (time.perf_counter() - start) * 1000
                page.wait_for_load_state("networkidle")  # count every response before the context closes
                theme = sum(v for k, v in sizes.items() if "/assets/javascripts/" in k or "/assets/stylesheets/" in k)
                print(
                    f"run {run + 1}: first result {ms:.0f} ms; {len(sizes)} responses, {sum(sizes.values()) / 1024:.0f} KB "
                    f"uncompressed, of which Material's theme {theme / 1024:.0f} KB"
                )
                context.close()
            browser.close()
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main()
