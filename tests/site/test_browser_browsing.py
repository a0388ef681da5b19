"""Browsing like an archive, in real headless Chromium (issue 12): tags as links with a page per tag, counts on
every facet that agree with search, the board's dates and its phone layout. Both languages, phone and desktop."""

from __future__ import annotations

import re

import pytest
from helpers.records import RECORD_ID

from sillok.site.urls import tag_slug

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LANGS = {"ko": "", "en": "en/"}


@pytest.fixture
def visit(page, server):
    def go(url: str, viewport: dict = DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(server + url, wait_until="networkidle")
        return page

    return go


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_records_tags_lead_to_the_tags_page_and_the_tag_index(visit, server, lang, screen):
    page = visit(f"{LANGS[lang]}records/{RECORD_ID}/", VIEWPORTS[screen])
    tags = page.locator(".sillok-meta .sillok-taglist a")
    assert tags.all_inner_texts() == ["탄소중립"]
    if lang == "en":
        assert tags.first.locator("span").get_attribute("lang") == "ko"
    tags.first.click()
    page.wait_for_url(f"{server}{LANGS[lang]}records/tag/{tag_slug('탄소중립')}/")
    assert "탄소중립" in page.locator("h1").inner_text()
    listed = page.locator(".sillok-list li > a").evaluate_all("els => els.map(e => e.href)")
    assert f"{server}{LANGS[lang]}records/{RECORD_ID}/" in listed
    count = len(listed)
    assert page.locator(".sillok-lead").inner_text() == (
        f"{count}건" if lang == "ko" else f"{count} record" + ("s" if count > 1 else "")
    )
    crumbs = page.locator(".sillok-breadcrumbs a")
    assert crumbs.count() == 3
    crumbs.last.click()  # the tag index
    page.wait_for_url(f"{server}{LANGS[lang]}records/tag/")
    entry = page.locator(".sillok-counts li", has_text="탄소중립")
    assert entry.locator(".sillok-count").inner_text() == (
        f"({count}건)" if lang == "ko" else f"({count} record" + ("s)" if count > 1 else ")")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]
    assert page.errors == [] and page.outside == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_browse_hub_and_home_link_the_tag_index(visit, server, lang):
    page = visit(f"{LANGS[lang]}records/")
    hrefs = page.locator("#sillok-content a").evaluate_all("els => els.map(e => e.href)")
    assert f"{server}{LANGS[lang]}records/tag/" in hrefs
    assert any(f"records/tag/{tag_slug('탄소중립')}/" in h for h in hrefs)
    home = visit(LANGS[lang])
    assert f"{server}{LANGS[lang]}records/tag/" in home.locator("#sillok-content a").evaluate_all(
        "els => els.map(e => e.href)"
    )


DATE_TEXT = {"ko": re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일"), "en": re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}")}


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_board_shows_dates_as_the_language_writes_them(visit, lang, screen):
    page = visit(f"{LANGS[lang]}records/board/", VIEWPORTS[screen])
    dates = page.eval_on_selector_all(
        ".sillok-board time", "els => els.map(e => [e.getAttribute('datetime'), e.textContent])"
    )
    assert dates
    for iso, text in dates:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso) and DATE_TEXT[lang].fullmatch(text), (iso, text)
        assert int(iso[:4]) == int(re.search(r"\d{4}", text).group(0))


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_each_board_row_names_its_fields_one_to_a_line(visit, lang):
    page = visit(f"{LANGS[lang]}records/board/", PHONE)
    rows = page.eval_on_selector_all(
        ".sillok-board tbody tr",
        """rows => rows.map(row => [...row.cells].slice(2).filter(c => c.textContent.trim()).map(c => ({
            label: getComputedStyle(c, '::before').content, name: c.dataset.label,
            top: Math.round(c.getBoundingClientRect().top), left: Math.round(c.getBoundingClientRect().left),
            valueLeft: Math.round(c.lastChild.nodeType === 1 ? c.lastChild.getBoundingClientRect().left : -1)})))""",
    )
    expected = ["발행 기관", "작성자", "날짜", "유형"] if lang == "ko" else ["Issued by", "Writer", "Date", "Type"]
    for cells in rows:
        assert [c["name"] for c in cells] == [n for n in expected if n in [c["name"] for c in cells]]
        assert {"날짜", "유형"} <= {c["name"] for c in cells} or {"Date", "Type"} <= {c["name"] for c in cells}
        assert all(c["label"] == f'"{c["name"]}"' for c in cells), cells  # the name is shown before the value
        tops = [c["top"] for c in cells]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), cells  # one field a line, never run together
    date = page.locator(".sillok-board tbody tr td[data-label] time").first
    label_box = page.locator(".sillok-board tbody tr td[data-label]:has(time)").first.bounding_box()
    assert date.bounding_box()["x"] > label_box["x"] + 40  # the value sits after its name, not under it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


CONTROL_NAMES = """() => {
  const page = document.documentElement.lang, out = [];
  const own = e => (e.closest('[lang]') || document.documentElement).lang === page;
  for (const e of document.querySelectorAll('a, button, input, select, label, summary, [aria-label], [title], [placeholder]')) {
    if (!own(e) || e.closest('.sillok-body, .sillok-record h1, .sillok-list, .sillok-board tbody, .sillok-cite')) continue;
    for (const name of [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'),
                        ['BUTTON', 'LABEL', 'SUMMARY'].includes(e.tagName) ? e.textContent : null]) {
      if (name && name.trim()) out.push([e.tagName, e.className && e.className.baseVal === undefined ? e.className : '', name.trim()]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "url", [f"records/{RECORD_ID}/", "records/board/", "records/tag/", "records/search/", "no-such-page/"]
)
def test_every_control_is_labelled_in_the_pages_language(visit, lang, url):
    page = visit(LANGS[lang] + url, PHONE)
    names = page.evaluate(CONTROL_NAMES)
    assert len(names) > 10
    hangul = re.compile("[가-힣]")
    # an English page names no control in Korean; a Korean page none in English only (a name may hold a Latin word)
    wrong = [
        n
        for n in names
        if (lang == "en") == bool(hangul.search(n[2])) and not (lang == "ko" and not re.search("[A-Za-z]{3}", n[2]))
    ]
    assert wrong == [], wrong
    toggles = page.locator("label.md-header__button[for^=__palette]").evaluate_all("els => els.map(e => e.title)")
    assert toggles == (
        ["어두운 화면으로 바꾸기", "밝은 화면으로 바꾸기"]
        if lang == "ko"
        else ["Switch to dark mode", "Switch to light mode"]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_facet_counts_on_the_browse_pages_agree_with_the_search_filters(visit, lang):
    def browse_counts(url):
        page = visit(LANGS[lang] + url)
        entries = page.eval_on_selector_all(
            ".sillok-counts li",
            "els => els.map(e => [e.querySelector('a').textContent, e.querySelector('.sillok-count').textContent])",
        )
        return {name: int(re.sub(r"\D", "", count)) for name, count in entries}

    types, offices = browse_counts("records/type/"), browse_counts("records/office/")
    years = {
        name.rstrip("년"): count for name, count in browse_counts("records/").items() if re.fullmatch(r"\d{4}년?", name)
    }
    page = visit(LANGS[lang] + "records/search/")
    page.wait_for_selector(".sillok-search__filters select[name=office]")
    for name, browse in (("type", types), ("office", offices), ("year", years)):
        options = page.eval_on_selector_all(
            f".sillok-search__filters select[name={name}] option", "els => els.slice(1).map(e => e.textContent)"
        )
        search = {
            m.group(1): int(m.group(2).replace(",", ""))
            for m in (re.fullmatch(r"(.*) \(([\d,]+)\)", o) for o in options)
        }
        assert search == browse and sum(search.values()) >= 5, (name, search, browse)
