"""Benchmark search at archive scale: index build time and size, bytes a cold first query transfers,
time to its first result in headless Chromium, and whether the results equal a brute-force scan.

    .venv/bin/python scripts/bench_search.py                 # 10,000 bilingual records, 5 browser runs per query
    .venv/bin/python scripts/bench_search.py --records 2000 --runs 3 --cpu-throttle 4

Records come from scripts/corpus.py (seed 5), the benchmarks' one generator: policy vocabulary,
compound nouns with particles, numbers, offices and a long tail of names.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import corpus  # noqa: E402 - scripts/corpus.py, the benchmarks' one generator
from helpers.searchsite import build_site, launch_chromium, serve  # noqa: E402 - tests/ is put on the path above

from sillok.record.model import Record  # noqa: E402
from sillok.site.search.analysis import normalize, query_terms, stem  # noqa: E402
from sillok.site.search.index import INDEX_FOLDER, documents  # noqa: E402

QUERIES = [
    ("ko", "탄소중립"),
    ("ko", "위원회"),
    ("ko", "반도체 수출"),
    ("ko", "미세먼지를"),
    ("ko", "정책"),
    ("ko", "기회"),
    ("ko", "2050"),
    ("en", "semiconductor exports"),
    ("en", "carbon neutrality"),
    ("en", "hydrog"),
    ("en", "the policy"),
]


def brute_force(records: list[Record], language: str, query: str) -> int:
    """How many records hold every query word: the answer the index must give, by scanning every text.

    A Korean word must occur as written (a space allowed between its syllables); an English word's
    stem must be a word of the text; the last English word, when no record holds it exactly, may
    begin a word (as the browser does while the reader is still typing).
    """
    terms = query_terms(query)
    scanned = []
    for doc in documents(records, language):
        text = normalize(f"{doc.title}\n{doc.office}\n{doc.text}")
        scanned.append((text, {stem(w) for w in re.findall(r"[0-9a-z]+(?:['’][a-z]+)*", text)}))
    latin = [t for t in terms if t["kind"] == "latin"]
    prefixed = bool(latin) and not any(latin[-1]["word"] in words for _, words in scanned)

    def holds(text: str, words: set[str], term: dict) -> bool:
        if term["kind"] == "cjk":
            return re.search(r"[ \t]?".join(map(re.escape, term["word"])), text) is not None
        if prefixed and term is latin[-1]:
            return any(w.startswith(term["word"]) for w in words)
        return term["word"] in words

    return sum(all(holds(text, words, t) for t in terms) for text, words in scanned)


INSTRUMENT = """() => {
  window.__bench = {};
  const input = document.querySelector('#sillok-search-q');
  input.addEventListener('input', () => { window.__bench.t0 ??= performance.now(); }, true);
  new MutationObserver((_, observer) => {
    const now = performance.now();
    if (window.__bench.t1 === undefined && document.querySelector('.sillok-search__result[data-id]')) window.__bench.t1 = now;
    if (window.__bench.t0 !== undefined && document.querySelector('.sillok-search').dataset.state === 'done') {
      window.__bench.done ??= now; observer.disconnect();
    }
  }).observe(document.querySelector('.sillok-search'), {subtree: true, childList: true, attributes: true});
}"""


def cold_query(browser, url: str, query: str, cpu_throttle: float) -> dict:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if cpu_throttle > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_throttle})
    transfers: dict[str, float] = {}
    phase = {"now": "page"}
    sizes = {"page": 0, "query": 0}
    urls = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], (e["request"]["url"], phase["now"])))

    def finished(e):
        _, when = urls.get(e["requestId"], ("", "page"))
        sizes[when] += e["encodedDataLength"]
        transfers[e["requestId"]] = e["encodedDataLength"]

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    page.evaluate(INSTRUMENT)
    phase["now"] = "query"
    page.fill("#sillok-search-q", query)
    page.wait_for_function("window.__bench.done !== undefined", timeout=30_000)
    bench = page.evaluate("window.__bench")
    count = int(page.get_attribute(".sillok-search", "data-count") or 0)
    context.close()
    first = bench.get("t1", bench["done"])  # a query without results: time until "no records match" shows
    return {
        "ms": first - bench["t0"],
        "page_bytes": sizes["page"],
        "query_bytes": sizes["query"],
        "requests": len(transfers),
        "count": count,
    }


def folder_stats(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    shards = sorted(p.stat().st_size for p in folder.glob("s/*/*.sidx"))  # s/<tier>/<n>.sidx (format 6)
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "shards": len(shards),
        "shard_median": statistics.median(shards) if shards else 0,
        "shard_max": shards[-1] if shards else 0,
        "docs_table": (folder / "docs.sidx").stat().st_size,
        "manifest": (folder / "manifest.sidx").stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000, help="bilingual records to generate (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="cold browser runs per query (default 5)")
    parser.add_argument("--builds", type=int, default=3, help="index builds to time (default 3)")
    parser.add_argument(
        "--cpu-throttle", type=float, default=1, help="Chromium CPU slowdown factor, e.g. 4 for a mid-range phone"
    )
    args = parser.parse_args(argv)

    t = time.perf_counter()
    records = corpus.records(args.records, seed=5)
    print(f"generated {len(records)} bilingual records in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_times = []
        for _ in range(args.builds):
            t = time.perf_counter()
            build_site(records, site, record_pages=False)
            build_times.append(time.perf_counter() - t)
        print(
            f"index build (both languages, median of {args.builds}): {statistics.median(build_times):.1f} s  runs: "
            + ", ".join(f"{x:.1f}" for x in build_times)
        )
        for language in ("ko", "en"):
            s = folder_stats(site / INDEX_FOLDER / language)
            print(
                f"index {language}: {s['bytes'] / 1e6:.1f} MB in {s['files']} files; {s['shards']} shards, median {s['shard_median'] / 1e3:.1f} KB, "
                f"largest {s['shard_max'] / 1e3:.1f} KB; docs table {s['docs_table'] / 1e3:.1f} KB; manifest {s['manifest'] / 1e3:.1f} KB"
            )

        from playwright.sync_api import sync_playwright

        with serve(site) as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            print(
                f"\ncold first query, {args.runs} runs each (new browser context, cache disabled"
                + (f", CPU throttled {args.cpu_throttle:g}x" if args.cpu_throttle > 1 else "")
                + ")"
            )
            print(
                f"{'query':<28} {'first result ms':>16} {'page KB':>8} {'query KB':>9} {'total KB':>9} {'results':>8} {'brute force':>11}"
            )
            all_ms, all_total = [], []
            for language, query in QUERIES:
                path = "/search/" if language == "ko" else "/en/search/"
                runs = [cold_query(browser, url + path, query, args.cpu_throttle) for _ in range(args.runs)]
                ms = statistics.median(r["ms"] for r in runs)
                page_kb = statistics.median(r["page_bytes"] for r in runs) / 1e3
                query_kb = statistics.median(r["query_bytes"] for r in runs) / 1e3
                expected = brute_force(records, language, query)
                all_ms.append(ms)
                all_total.append(page_kb + query_kb)
                print(
                    f"[{language}] {query:<23} {ms:>16.0f} {page_kb:>8.1f} {query_kb:>9.1f} {page_kb + query_kb:>9.1f} "
                    f"{runs[0]['count']:>8} {expected:>11}"
                )
            print(
                f"\nmedian over queries: first result {statistics.median(all_ms):.0f} ms, transferred {statistics.median(all_total):.1f} KB; "
                f"worst: {max(all_ms):.0f} ms, {max(all_total):.1f} KB"
            )
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
