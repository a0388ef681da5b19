"""Bytes a reader downloads for one cold record page view, at two archive sizes, and the ratio.

Writes two synthetic archives with the project's corpus generator (``scripts/corpus.py``), builds
each with ``sillok build``, serves it from 127.0.0.1 and opens a record page in a fresh headless
Chromium context (nothing cached), in Korean and in English. Every response is counted: its body
as served and its gzip size (level 6, what a static host sends for text). The ratio of the larger
archive's bytes to the smaller's must stay near 1: a page view must not grow with the archive.

    python scripts/bench_page_weight.py                      # 16 and 2,500 records
    python scripts/bench_page_weight.py --records 16 --records 10000
    python scripts/bench_page_weight.py --slow               # also Slow 4G + 4x CPU DOMContentLoaded
    python scripts/bench_page_weight.py --records 16 --runs 7 --slow   # DCL alone, quickly

Targets (issue 12): ratio ≤ 1.2; ≤ 120 KB compressed per record page view; with ``--slow``,
DOMContentLoaded of a cold record page ≤ 2 s. ``--slow`` also prints (medians) when Material's script
started (it runs after DOMContentLoaded) and the first contentful paint (it waits for the stylesheets).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from corpus import make_project  # noqa: E402  (a script beside this one, not part of the package)

CHROMIUM = os.environ.get("SILLOK_CHROMIUM", "/usr/bin/chromium")
# Chrome DevTools' "Slow 4G" preset (Lighthouse's mobile throttling): 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}


SCRIPTS_READY = """new MutationObserver((changes, observer) => {
  if (document.documentElement && document.documentElement.classList.contains("js")) {
    window.__sillokScriptsReady = performance.now(); observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["class"]});"""
"""Injected by the browser (not the page, so the CSP does not apply): when Material's bundle started."""


class _Quiet(SimpleHTTPRequestHandler):
    """Serves text gzip-compressed when the browser asks, as static hosts do (bytes on the wire, not on disk)."""

    TEXT = (".html", ".css", ".js", ".xml", ".json", ".svg", ".atom", "/")

    def log_message(self, format, *args):  # the standard library's signature
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not self.path.split("?")[0].endswith(self.TEXT)
            or not path.is_file()
        ):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def record_urls(site: Path) -> list[str]:
    """The Korean and English page of the archive's middle record."""
    pages = sorted(p for p in (site / "records").glob("*/index.html") if p.parent.name[:4].isdigit())
    middle = pages[len(pages) // 2].parent.relative_to(site).as_posix()
    return [f"{middle}/", f"en/{middle}/"]


def _body(response) -> bytes:
    """A response's body; nothing for a redirect, an error, or a response still arriving when the page is closed."""
    try:
        return response.body() if response.status < 300 else b""
    except Exception:  # Playwright's TargetClosedError: the page was closed first
        return b""


def measure(browser, url: str, *, slow: bool) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.__setitem__(r.url, _body(r)))
    figures: dict = {}
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    # when Material's script has started (it marks <html class="js">): scripts are async, so this comes after DCL
    page.add_init_script(SCRIPTS_READY)
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    figures["dcl_ms"] = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd; }"
    )
    page.wait_for_load_state("networkidle", timeout=120_000)
    figures["scripts_ms"] = page.evaluate("() => window.__sillokScriptsReady || null")
    figures["fcp_ms"] = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: null}).startTime"
    )
    figures["wall_ms"] = (time.perf_counter() - start) * 1000
    figures["raw"] = sum(len(b) for b in bodies.values())
    figures["gzip"] = sum(len(gzip.compress(b, 6)) for b in bodies.values())
    figures["requests"] = sorted(bodies)
    context.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, action="append", help="archive size (repeatable; default 16 and 2500)")
    parser.add_argument("--runs", type=int, default=3, help="cold page views per page (median reported)")
    parser.add_argument("--slow", action="store_true", help="also measure DOMContentLoaded under Slow 4G and 4x CPU")
    parser.add_argument("--list", action="store_true", help="list every URL fetched")
    args = parser.parse_args(argv)
    sizes = args.records or [16, 2500]
    from playwright.sync_api import sync_playwright

    from sillok.site.build import build

    parent = Path(tempfile.mkdtemp(prefix="sillok-weight-"))
    totals: dict[int, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            for count in sizes:
                project = make_project(parent, count)
                build(project)
                site = project / "site"
                httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
                threading.Thread(target=httpd.serve_forever, daemon=True).start()
                base = f"http://127.0.0.1:{httpd.server_address[1]}/"
                try:
                    sitemaps = sum(p.stat().st_size for p in site.rglob("sitemap*.xml"))
                    print(f"{count:>6} records: sitemaps on disk {sitemaps / 1024:.0f} KB", flush=True)
                    total = 0
                    for path in record_urls(site):
                        runs = [measure(browser, base + path, slow=False) for _ in range(args.runs)]
                        raw = statistics.median(r["raw"] for r in runs)
                        gz = statistics.median(r["gzip"] for r in runs)
                        total += gz
                        print(
                            f"        /{path}: {len(runs[0]['requests'])} requests, {raw / 1024:.1f} KB as served, "
                            f"{gz / 1024:.1f} KB gzip (median of {len(runs)})",
                            flush=True,
                        )
                        if args.list:
                            for url in runs[0]["requests"]:
                                print(f"            {url.removeprefix(base)}")
                        if args.slow:
                            slow = [measure(browser, base + path, slow=True) for _ in range(args.runs)]
                            dcl = statistics.median(r["dcl_ms"] for r in slow)
                            ready = [r["scripts_ms"] for r in slow if r["scripts_ms"]]
                            scripts = f", Material's script started {statistics.median(ready):.0f} ms" if ready else ""
                            paints = [r["fcp_ms"] for r in slow if r["fcp_ms"]]
                            scripts += f", first contentful paint {statistics.median(paints):.0f} ms" if paints else ""
                            print(
                                f"          Slow 4G + 4x CPU: DOMContentLoaded {dcl:.0f} ms (median of {len(slow)}: "
                                f"{', '.join(str(round(r['dcl_ms'])) for r in slow)}){scripts}",
                                flush=True,
                            )
                    totals[count] = total
                finally:
                    httpd.shutdown()
                    httpd.server_close()
            browser.close()
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    if len(totals) >= 2:
        small, large = min(totals), max(totals)
        print(f"ratio {large} / {small} records (gzip bytes per record page view): {totals[large] / totals[small]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
