"""Benchmark search at archive scale: index build time and size, bytes a cold first query transfers,
time to its first result in headless Chromium, and whether the results equal a brute-force scan.

    .venv/bin/python scripts/bench_search.py                 # 10,000 bilingual records, 5 browser runs per query
    .venv/bin/python scripts/bench_search.py --records 2000 --runs 3 --cpu-throttle 4

Records are generated (seeded) from policy vocabulary: compound nouns with particles, numbers,
offices, and a long tail of names, about 1.4 KB of Korean and 1.6 KB of English per record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.searchsite import build_site, launch_chromium, serve  # noqa: E402 - tests/ is put on the path above

from sillok.record.model import Office, Record, Text  # noqa: E402
from sillok.site.search.analysis import normalize, query_terms, stem  # noqa: E402
from sillok.site.search.index import INDEX_FOLDER, documents  # noqa: E402


def words(text: str) -> list[str]:
    return text.split()


KO_NOUNS = words("""탄소 중립 위원회 재정 전략 회의 기획 정책 경제 산업 반도체 미세먼지 환경 에너지 수소 전력 발전 기후 녹색 성장
예산 투자 지원 청년 일자리 주거 교육 복지 보건 의료 안전 재난 교통 도로 철도 항만 해양 수산 농업 농촌 식품 물가 금리 금융
시장 기업 중소기업 수출 무역 통상 외교 국방 통일 행정 지방 자치 인구 고령화 저출산 노동 고용 임금 연금 보험 세제 조세 관세
규제 혁신 디지털 데이터 인공지능 통신 방송 문화 관광 체육 과학 기술 연구 개발 특허 표준 인증 공급망 소재 부품 장비 원자력
석탄 가스 재생 태양광 풍력 배출 감축 목표 이행 점검 계획 방안 대책 과제 사업 제도 법률 개정 시행 협약 협력 공동 국제 지역
도시 주택 부동산 건설 물류 항공 우주 바이오 백신 감염병 방역 청소년 아동 여성 가족 장애인 노인 다문화 국민 정부 공공 기관""")
KO_PARTICLES = ["", "", "", "을", "를", "은", "는", "이", "가", "의", "에", "에서", "으로", "과", "와", "도", "에서는"]
KO_VERBS = [
    "추진하였다",
    "논의하였다",
    "발표하였다",
    "점검하였다",
    "확정하였다",
    "개최하였다",
    "강화한다",
    "지원한다",
    "확대하기로 하였다",
    "밝혔다",
]
EN_WORDS = words("""carbon neutrality commission fiscal strategy meeting planning policy economy industry semiconductor fine dust
environment energy hydrogen power generation climate green growth budget investment support youth jobs housing education
welfare health medical safety disaster transport road railway port ocean fisheries agriculture rural food prices interest
finance market companies small business exports trade diplomacy defence unification administration local autonomy population
ageing labour employment wages pension insurance tax customs regulation innovation digital data artificial intelligence
telecommunications broadcasting culture tourism sports science technology research development patent standard certification
supply chain materials parts equipment nuclear coal gas renewable solar wind emissions reduction target implementation review
plan measures tasks programme system law amendment enforcement agreement cooperation joint international regional city
construction logistics aviation space biotechnology vaccine infectious disease quarantine children women family disability
elderly multicultural citizens government public institutions""")
EN_GLUE = ["the", "of", "and", "to", "for", "in", "on", "with", "a", "its"]
EN_VERBS = [
    "discussed",
    "announced",
    "reviewed",
    "adopted",
    "held",
    "will strengthen",
    "will support",
    "agreed to expand",
    "said",
]
SYLLABLES = [chr(c) for c in range(0xAC00, 0xD7A4, 37)]


def make_records(n: int, seed: int = 5) -> list[Record]:
    rng = random.Random(seed)
    offices = [
        Office(
            f"office{i}",
            "".join(rng.sample(KO_NOUNS, 2)) + rng.choice(["부", "청", "처", "위원회", "실"]),
            f"Ministry of {rng.choice(EN_WORDS).title()} and {rng.choice(EN_WORDS).title()}",
        )
        for i in range(24)
    ]
    start = dt.date(2000, 1, 1)
    records = []
    for i in range(n):
        date = start + dt.timedelta(days=rng.randrange(9000))
        record_id = f"{date.isoformat()}-record-{i:05d}"
        office = rng.choice(offices)
        names_ko = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(4)]
        names_en = ["".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(4)]
        ko_lines, en_lines = [], []
        for _ in range(rng.randint(9, 13)):
            words = []
            for _ in range(rng.randint(4, 7)):
                noun = "".join(rng.sample(KO_NOUNS, rng.choice([1, 1, 2, 2, 3])))
                if rng.random() < 0.08:
                    noun = rng.choice(names_ko) + noun
                words.append(noun + rng.choice(KO_PARTICLES))
            if rng.random() < 0.3:
                words.append(f"{rng.randint(1, 2050)}{rng.choice(['년', '억원', '명', '%', '건'])}")
            ko_lines.append("- ㅇ " + " ".join(words) + " " + rng.choice(KO_VERBS) + ".")
            en = [
                rng.choice(EN_GLUE) if rng.random() < 0.35 else rng.choice(EN_WORDS) for _ in range(rng.randint(12, 18))
            ]
            if rng.random() < 0.1:
                en.insert(3, rng.choice(names_en).title())
            if rng.random() < 0.3:
                en.append(str(rng.randint(1, 2050)))
            en_lines.append("- " + " ".join(en).capitalize() + " " + rng.choice(EN_VERBS) + ".")
        ko_title = (
            " ".join("".join(rng.sample(KO_NOUNS, 2)) for _ in range(3))
            + " "
            + rng.choice(["발표", "회의 결과", "개최"])
        )
        en_title = " ".join(rng.choice(EN_WORDS) for _ in range(5)).title()
        path = Path("records") / str(date.year) / record_id
        texts = {
            "ko": Text("ko", ko_title, "□ " + "\n".join(ko_lines) + "\n", 4, path / "ko.md"),
            "en": Text("en", en_title, "□ " + "\n".join(en_lines) + "\n", 4, path / "en.md"),
        }
        records.append(
            Record(
                id=record_id,
                type=rng.choice(["press-release", "meeting-record"]),
                date=date,
                timezone="Asia/Seoul",
                office=office,
                original_language="ko",
                path=path,
                texts=texts,
            )
        )
    return records


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
    shards = sorted(p.stat().st_size for p in folder.glob("s/*.sidx"))
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
    records = make_records(args.records)
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
