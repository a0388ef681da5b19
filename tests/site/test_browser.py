"""The built site in real headless Chromium, served from 127.0.0.1.

Home, a record page and an index page in both languages load without console errors and without
any request outside the local server; axe-core finds no accessibility violations; the language
switch lands on the same record; the banner's "[오늘 그만 보기]" lasts the day.

Uses the system's Chromium (``/usr/bin/chromium``, or ``SILLOK_CHROMIUM``) through Playwright;
``playwright install`` is never needed. Without Chromium the tests are skipped, except in CI
(``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.records import RECORD_ID

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "",
    "en/",
    f"records/{RECORD_ID}/",
    f"en/records/{RECORD_ID}/",
    "records/date/2021/",
    "en/records/office/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_loads_cleanly_and_passes_axe(page, server, url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + url, wait_until="networkidle")
    assert page.errors == [], f"{url}: console errors {page.errors}"
    assert page.outside == [], f"{url}: requests outside the local server {page.outside}"
    expected_lang = "en" if url.startswith("en/") else "ko"
    assert page.locator("html").get_attribute("lang") == expected_lang
    assert page.locator("#sillok-banner").is_visible()
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], f"{url}: axe-core violations:\n{results.generate_report()}"


def test_language_switch_lands_on_the_same_record(page, server):
    page.goto(server + f"records/{RECORD_ID}/")
    header_link = page.locator('a.md-select__link[hreflang="en"]')
    assert header_link.evaluate("a => a.href") == server + f"en/records/{RECORD_ID}/"
    page.locator("a.sillok-altlang__link").click()
    page.wait_for_url(server + f"en/records/{RECORD_ID}/")  # waits for the navigation the click starts
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article.sillok-record").get_attribute("data-record-id") == RECORD_ID
    page.locator("a.sillok-altlang__link").click()
    page.wait_for_url(server + f"records/{RECORD_ID}/")


def test_banner_dismissal_lasts_the_day(page, server):
    page.clock.set_fixed_time(dt.datetime(2026, 5, 1, 9, 0))
    page.goto(server)
    banner = page.locator("#sillok-banner")
    assert banner.is_visible()
    page.get_by_role("button", name="[오늘 그만 보기]").click()
    assert not banner.is_visible()
    page.reload()
    assert not page.locator("#sillok-banner").is_visible()
    page.goto(server + f"en/records/{RECORD_ID}/")  # the whole site, both languages
    assert not page.locator("#sillok-banner").is_visible()
    page.clock.set_fixed_time(dt.datetime(2026, 5, 1, 23, 59))
    page.reload()
    assert not page.locator("#sillok-banner").is_visible()
    page.clock.set_fixed_time(dt.datetime(2026, 5, 2, 0, 1))  # the next day it shows again
    page.reload()
    assert page.locator("#sillok-banner").is_visible()
    assert page.errors == [] and page.outside == []


def test_header_search_box_finds_records_in_this_language(page, server):
    """Typing a word with a particle into the header of a Korean page lands on the Korean search page with results."""
    page.goto(server)
    page.fill("#sillok-header-q", "탄소중립을")
    page.press("#sillok-header-q", "Enter")
    page.wait_for_url("**/records/search/?q=*")
    page.wait_for_selector(".sillok-search a[href*='/records/']")
    links = page.eval_on_selector_all(
        ".sillok-search a[href*='/records/']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert any(RECORD_ID in href for href in links), links
    assert not any("/en/" in href for href in links)
    assert page.errors == [] and page.outside == []
