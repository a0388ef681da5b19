"""What a reader gets, in real headless Chromium: constant page weight, the language switch, keyboard
access, phone layout, browsing and the footer (issue 12). Both languages, phone (390x844) and desktop.

The benchmark ``scripts/bench_page_weight.py`` measures the bytes at two archive sizes; these tests
assert the property that makes them constant: no page view downloads anything that lists the archive.
"""

from __future__ import annotations

import pytest
from helpers.records import RECORD_ID

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LANGS = {"ko": "", "en": "en/"}


@pytest.fixture
def reader(browser, server):
    """Open a page in a fresh context at a viewport; it records console errors, outside requests and every URL."""
    contexts = []

    def open_page(url: str, viewport: dict = DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors, page.outside, page.fetched = [], [], []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("request", lambda request: page.fetched.append(request.url))
        page.on("request", lambda request: request.url.startswith(server) or page.outside.append(request.url))
        page.goto(server + url, wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_record_page_view_downloads_nothing_that_lists_the_archive(reader, server, lang):
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/")
    listing = [u for u in page.fetched if u.endswith(".xml") and "/feeds/" not in u]
    assert listing == [], f"a record page view fetched {listing}: its weight would grow with the archive"
    assert all(u.startswith(server) for u in page.fetched) and page.errors == []
    alternates = page.eval_on_selector_all(
        "link[hreflang]:not([type])", "els => els.map(e => [e.relList.contains('alternate'), e.hreflang, e.href])"
    )
    by_lang = {hreflang: href for is_alternate, hreflang, href in alternates if is_alternate}
    assert by_lang["ko"].endswith(f"/records/{RECORD_ID}/") and "/en/" not in by_lang["ko"]
    assert by_lang["en"].endswith(f"/en/records/{RECORD_ID}/")
    assert by_lang["x-default"] == by_lang["ko"]
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("hreflang") == lang
    response = page.request.get(feed.evaluate("l => l.href"))
    assert response.ok and b"<feed" in response.body()


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_selector_lands_on_the_same_record(reader, server, lang):
    other = "en" if lang == "ko" else "ko"
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/", PHONE)
    link = page.locator(f'a.md-select__link[hreflang="{other}"]')
    assert link.evaluate("a => a.href") == f"{server}{LANGS[other]}records/{RECORD_ID}/"


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_switch_on_the_search_page_keeps_the_query(reader, server, lang):
    other = "en" if lang == "ko" else "ko"
    page = reader(f"{LANGS[lang]}records/search/?q=%ED%83%84%EC%86%8C%EC%A4%91%EB%A6%BD")  # 탄소중립
    page.wait_for_selector(".sillok-search__result")
    page.locator(f'a.md-select__link[hreflang="{other}"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}{LANGS[other]}records/search/?q=*")
    assert page.locator("#sillok-search-q").input_value() == "탄소중립"
    page.wait_for_selector(".sillok-search__result")
    assert page.errors == []
