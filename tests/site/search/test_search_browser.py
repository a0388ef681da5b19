"""Search through the real search box in headless Chromium, against a small built archive.

The query set in ``search_queries.yml`` is the specification: each query with the records it must
find. Recall and precision are scored per query class and overall.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import helpers.search_records as search_records
import pytest
import yaml
from helpers.searchsite import build_site, search, serve

from sillok.site.search import index as search_index
from sillok.site.search.analysis import index_tokens, query_terms

pytestmark = pytest.mark.browser
QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text("utf-8"))
RECALL, PRECISION, CLASS_MINIMUM = 0.95, 0.90, 0.85


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return search_records.write_and_read(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module", params=["shards-default", "shards-tiny"])
def site(request, records, tmp_path_factory):
    """The archive built and served; again with shards of a few tokens each, so many lookups and
    prefixes cross shard boundaries (where Pagefind 1.4 and 1.6 lose prefix matches), and the
    postings split by age into three tiers (0-7, 8-11, 12) with bundles of two fragments."""
    site_dir = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "shards-tiny":
            patch.setattr(search_index, "SHARD_BYTES", 60)
            patch.setattr(search_index, "CHUNK", 4)
            patch.setattr(search_index, "FRAGMENT_BUNDLE", 2)
            patch.setattr(search_index, "TIERS", (8, 4))
        counts = build_site(records, site_dir)
    assert counts == {"ko": 13, "en": 13}  # every record in both languages
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def pages(browser, site):
    """One open search page per language, with JavaScript errors collected."""
    opened, errors = {}, []
    for language, path in (("ko", "/search/"), ("en", "/en/search/")):
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site + path)
        opened[language] = page
    yield opened
    assert errors == []


def test_query_set_recall_and_precision(pages):
    found, expected, returned = defaultdict(int), defaultdict(int), defaultdict(int)
    failures = []
    for q in QUERIES:
        ids = search(pages[q["language"]], q["query"], q.get("filters"))
        assert len(ids) == len(set(ids)), f"{q['query']}: a record shown twice: {ids}"
        want = set(q["expect"])
        hits = want & set(ids)
        for key in (q["class"], "overall"):
            found[key] += len(hits)
            expected[key] += len(want)
            returned[key] += len(ids)
        if set(ids) != want:
            failures.append(
                f"[{q['language']}] {q['query']!r} {q.get('filters', '')}: missing {sorted(want - set(ids))}, extra {sorted(set(ids) - want)}"
            )
    report = {
        key: (
            found[key] / expected[key] if expected[key] else 1.0,
            found[key] / returned[key] if returned[key] else 1.0,
        )
        for key in found
    }
    print("\nclass: recall precision")
    for key, (recall, precision) in sorted(report.items()):
        print(f"  {key}: {recall:.3f} {precision:.3f}")
    print("\n".join(failures))
    recall, precision = report.pop("overall")
    assert recall >= RECALL and precision >= PRECISION, failures
    for key, (r, p) in report.items():
        assert r > CLASS_MINIMUM and p > CLASS_MINIMUM, (key, r, p, failures)


def test_query_set_is_large_and_covers_every_class():
    classes = {q["class"] for q in QUERIES}
    assert len(QUERIES) >= 40
    assert {
        "compound",
        "particle",
        "two-word",
        "office",
        "number",
        "english",
        "near-miss",
        "language",
        "filter",
    } <= classes
    assert {q["language"] for q in QUERIES} == {"ko", "en"}


def test_result_shows_title_date_type_office_and_highlighted_snippet(pages):
    page = pages["ko"]
    search(page, "위원회")
    first = page.locator(".sillok-search__result").first
    assert (
        first.get_attribute("data-id") == "2021-05-29-carbon-neutrality-commission-launch"
    )  # 위원회 in its title, and newest of the title hits
    assert first.locator("a").get_attribute("href") == "/records/2021-05-29-carbon-neutrality-commission-launch/"
    meta = first.locator(".sillok-search__meta").inner_text()
    assert meta == "2021년 5월 29일 (토) · 보도자료 · 국무조정실"  # the date as Korean writes it
    assert "위원회" in first.locator(".sillok-search__snippet mark").all_inner_texts()
    assert page.locator(".sillok-search__status").inner_text() == "3건"
    assert first.locator("time").get_attribute("datetime") == "2021-05-29"


def test_a_record_without_english_text_is_found_through_its_fallback_page_and_says_so(pages):
    page = pages["en"]
    assert search(page, "규제혁신") == ["2024-03-20-regulatory-innovation-meeting"]
    result = page.locator(".sillok-search__result").first
    assert result.locator("a").get_attribute("href") == "/en/records/2024-03-20-regulatory-innovation-meeting/"
    assert result.locator("a").get_attribute("lang") == "ko"
    assert result.locator(".sillok-search__note").inner_text() == "Korean text only"
    assert result.locator("time").inner_text() == "20 March 2024"
    assert page.locator(".sillok-search__status").inner_text() == "1 result"


def test_filters_show_how_many_records_each_value_holds(pages):
    options = pages["en"].locator("select[name=office] option").all_inner_texts()
    assert options[0] == "All" and all(re.search(r" \(\d+\)$", o) for o in options[1:]), options


def test_english_results_link_to_english_pages(pages, site):
    page = pages["en"]
    ids = search(page, "semiconductor")
    href = page.locator(".sillok-search__result a").first.get_attribute("href")
    assert href == f"/en/records/{ids[0]}/"
    assert page.locator(".sillok-search__meta").first.inner_text().split(" · ")[1:] in (
        ["Press release", "Ministry of Environment"],
        ["Press release", "Ministry of Trade, Industry and Energy"],
    )
    assert page.request.get(site + href).ok


def test_query_in_the_address_runs_on_load_and_the_address_follows_the_box(browser, site):
    page = browser.new_page()
    page.goto(site + "/search/?q=%EB%AF%B8%EC%84%B8%EB%A8%BC%EC%A7%80&year=2023")  # 미세먼지, 2023
    page.wait_for_function("document.querySelector('.sillok-search').dataset.state === 'done'")
    ids = page.eval_on_selector_all(".sillok-search__result[data-id]", "els => els.map(e => e.dataset.id)")
    assert ids == ["2023-02-14-semiconductor-plant-fine-dust-agreement"]
    assert page.input_value("select[name=year]") == "2023"
    search(page, "반도체", {"type": "press-release"})
    assert "q=%EB%B0%98%EB%8F%84%EC%B2%B4" in page.url and "type=press-release" in page.url
    page.close()


def test_result_text_is_escaped_not_markup(pages):
    page = pages["ko"]
    search(page, "탄소중립")
    assert page.locator(".sillok-search__results script, .sillok-search__results img").count() == 0


PARITY_TEXTS = [
    "2050 탄소중립위원회가 탄소 중립을 TF를 meetings policies Korea's ㅇ 관계부처는",
    'ＡＢＣ　탄소중립·녹색성장 (위원회) "미세먼지" 반도체 공장\n반도체\t공장 2,300억원 30% e-mail U.S. don\'t it’s',
    "國家 재정 戰略 法 법 年 년까지 2023년 1차 盧 Ⅳ ① ½ ﬁnance Straße İstanbul",
]


def test_browser_analysis_equals_python(pages):
    """search.js and searchtext.py cut every text and query into the same tokens."""
    texts = PARITY_TEXTS + [r[4] + r[3] for r in search_records.RECORDS] + [r[6] or "" for r in search_records.RECORDS]
    page = pages["ko"]
    for text in texts:
        assert page.evaluate("t => sillokSearch.indexTokens(t)", text) == index_tokens(text), text
        for query in (text, *text.split()[:8]):
            assert page.evaluate("q => sillokSearch.queryTerms(q)", query) == query_terms(query), query
