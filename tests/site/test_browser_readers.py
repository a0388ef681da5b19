"""What a reader gets, in real headless Chromium: constant page weight, the language switch, keyboard
access, phone layout, browsing and the footer (issue 12). Both languages, phone (390x844) and desktop.

The benchmark ``scripts/bench_page_weight.py`` measures the bytes at two archive sizes; these tests
assert the property that makes them constant: no page view downloads anything that lists the archive.
"""

from __future__ import annotations

import pytest
from helpers.records import RECORD_ID

from sillok.site.urls import tag_slug

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


# --------------------------------------------------------------------------- keyboard, screen readers, phones

PAGE_TYPES = {
    "home": "",
    "record": f"records/{RECORD_ID}/",
    "browse": "records/",
    "index": "records/date/2021/",
    "board": "records/board/",
    "tags": "records/tag/",
    "tag": f"records/tag/{tag_slug('탄소중립')}/",
    "search": "records/search/?q=%ED%83%84%EC%86%8C%EC%A4%91%EB%A6%BD",
    "404": "no-such-page/",
}


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {id: e.id, cls: e.className && e.className.baseVal === undefined ? e.className : '', tag: e.tagName,
                inDrawer: !!e.closest('.md-sidebar--primary'), left: r.left, right: r.right, width: r.width,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
    )


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_passes_axe_with_best_practices_and_no_console_errors(reader, kind, lang, screen):
    from axe_playwright_python.sync_playwright import Axe

    page = reader(LANGS[lang] + PAGE_TYPES[kind], VIEWPORTS[screen])
    if kind == "search":
        page.wait_for_selector(".sillok-search__result")
    not_found = (
        ["Failed to load resource: the server responded with a status of 404 (Not Found)"] if kind == "404" else []
    )
    assert page.errors == not_found and page.outside == []
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})
    assert results.response["violations"] == [], results.generate_report()


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["record", "browse", "search", "404"])
def test_the_skip_link_is_the_first_tab_stop_and_lands_in_the_content(reader, kind, lang, screen):
    page = reader(LANGS[lang] + PAGE_TYPES[kind], VIEWPORTS[screen])
    page.keyboard.press("Tab")
    first = focused(page)
    assert "sillok-skip" in first["cls"] and first["outline"], first
    page.wait_for_timeout(400)  # Material fades it in
    assert page.locator(".sillok-skip").evaluate("e => getComputedStyle(e).opacity") == "1"  # seen when focused
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "sillok-content"
    assert page.locator("#sillok-content h1").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_tab_never_reaches_the_closed_drawer_and_every_stop_shows_focus(reader, lang):
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/", PHONE)
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        stops.append(focused(page))
    assert not any(s["inDrawer"] for s in stops), [s for s in stops if s["inDrawer"]]
    assert all(s["outline"] for s in stops if s["tag"] != "BODY"), [s for s in stops if not s["outline"]]
    assert all(s["right"] > 0 and s["left"] < PHONE["width"] for s in stops if s["width"]), stops
    # the menu button opens the drawer from the keyboard, and its links then take focus
    page.locator("[data-sillok-drawer]").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert page.locator("[data-sillok-drawer]").get_attribute("aria-expanded") == "true"
    assert focused(page)["inDrawer"]
    page.keyboard.press("Escape")
    assert page.locator("[data-sillok-drawer]").get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("lang", LANGS)
def test_dismissing_the_banner_keeps_focus_in_the_page(reader, lang):
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/", PHONE)
    page.locator("[data-sillok-dismiss]").focus()
    assert focused(page)["outline"]
    page.keyboard.press("Enter")
    assert not page.locator("#sillok-banner").is_visible()
    assert focused(page)["id"] == "sillok-content"


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_the_banner_is_one_line_with_its_legal_basis_and_the_title_in_the_top_half(reader, lang):
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/", PHONE)
    short = page.locator(".sillok-banner__short")
    assert short.is_visible() and ("공공기록물" in short.inner_text() or "Public Records" in short.inner_text())
    assert not page.locator(".sillok-banner__full").is_visible()
    assert page.locator("h1").bounding_box()["y"] < PHONE["height"] / 2
    short.locator("a").click()  # the full notice, one tap away
    assert page.locator(".sillok-banner__full").is_visible()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["home", "record", "browse", "index", "board", "tag", "search", "404"])
def test_no_sideways_scroll_at_320_pixels(reader, kind, lang):
    page = reader(LANGS[lang] + PAGE_TYPES[kind], {"width": 320, "height": 640})
    if kind == "search":
        page.wait_for_selector(".sillok-search__result")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("lang", LANGS)
def test_search_is_visible_on_every_screen_and_its_header_label_is_for_screen_readers(reader, lang):
    phone = reader(LANGS[lang], PHONE)
    assert phone.locator(".sillok-header-search__link").is_visible()
    assert phone.locator(".md-header__title .md-ellipsis").first.is_visible()  # the site's name stays
    desktop = reader(LANGS[lang], DESKTOP)
    assert desktop.locator("#sillok-header-q").is_visible()
    box = desktop.locator("label[for=sillok-header-q]").bounding_box()
    assert box is None or box["width"] <= 1


def test_korean_words_are_not_broken_inside_links(reader):
    page = reader(f"records/{RECORD_ID}/", PHONE)
    breaks = page.eval_on_selector_all(
        ".md-typeset a",
        "els => els.filter(e => e.closest('[lang]').lang === 'ko').map(e => getComputedStyle(e).wordBreak)",
    )
    assert breaks and set(breaks) == {"keep-all"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_404_page_says_not_found_in_its_title(reader, lang):
    page = reader(f"{LANGS[lang]}no-such-page/")
    assert ("찾을 수 없습니다" if lang == "ko" else "not found") in page.title()


# --------------------------------------------------------------------------- browsing, footer, dark mode, print


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_board_lists_every_record_newest_first_with_a_date_sort_and_breadcrumbs(reader, server, lang, screen):
    from axe_playwright_python.sync_playwright import Axe

    page = reader(f"{LANGS[lang]}records/board/", VIEWPORTS[screen])
    rows = page.locator(".sillok-board tbody tr")
    assert 1 <= rows.count() <= 50
    dates = page.eval_on_selector_all(".sillok-board time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    numbers = [
        int(n) for n in page.eval_on_selector_all(".sillok-board td:first-child", "els => els.map(e => e.textContent)")
    ]
    assert numbers == list(range(len(numbers), 0, -1))
    assert page.locator(".sillok-breadcrumbs li").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]
    assert Axe().run(page).response["violations"] == []
    page.locator(".sillok-order a").click()  # oldest first
    page.wait_for_url("**/board/oldest/")
    dates = page.eval_on_selector_all(".sillok-board time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates)


@pytest.mark.parametrize("lang", LANGS)
def test_record_and_index_pages_have_breadcrumbs_to_home(reader, server, lang):
    for url in (f"records/{RECORD_ID}/", "records/date/2021/", "records/type/"):
        page = reader(LANGS[lang] + url, PHONE)
        crumbs = page.locator(".sillok-breadcrumbs li")
        assert crumbs.count() >= 2
        assert crumbs.first.locator("a").evaluate("a => a.href") == server + LANGS[lang]
        assert crumbs.last.get_attribute("aria-current") == "page"


@pytest.mark.parametrize("lang", LANGS)
def test_the_footer_names_the_office_contact_legal_basis_licence_privacy_and_data(reader, lang):
    page = reader(f"{LANGS[lang]}records/{RECORD_ID}/", PHONE)
    footer = page.locator(".sillok-footer")
    text = footer.inner_text()
    assert "records@example.org" in text
    assert ("공공기록물" in text) if lang == "ko" else ("Public Records Management Act" in text)
    hrefs = footer.locator("a").evaluate_all("els => els.map(e => e.href)")
    assert any("privacy/" in h for h in hrefs) and any(h.endswith(".atom") for h in hrefs)
    assert any("records/data/" in h for h in hrefs) and footer.locator('a[rel="license"]').count() == 1


def test_dark_mode_follows_the_system(reader):
    page = reader(f"records/{RECORD_ID}/", PHONE, color_scheme="dark")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert page.errors == []
    light = reader(f"records/{RECORD_ID}/", PHONE, color_scheme="light")
    assert light.locator("body").get_attribute("data-md-color-scheme") == "default"


def test_print_shows_the_record_its_metadata_permanent_url_and_the_archive_name_only(reader):
    page = reader(f"en/records/{RECORD_ID}/")
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".sillok-footer",
        ".sillok-cite",
        ".sillok-prevnext",
        "#sillok-banner",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", ".sillok-meta", ".sillok-body", ".sillok-print-name"):
        assert page.locator(shown).first.is_visible(), shown
    assert "archive.example.org" in page.locator(".sillok-meta").inner_text()
