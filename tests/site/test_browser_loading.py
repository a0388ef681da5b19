"""A cold page reaches DOMContentLoaded without waiting for stylesheets or scripts (issue 12): every script is
async, the first a small one in <head> before the stylesheets, and Material's bundle runs once the page is parsed. These tests check that the page still works however
late the scripts arrive, and without scripts at all. The time itself is measured by
``scripts/bench_page_weight.py --slow`` (Slow 4G, 4x CPU), never asserted here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.records import RECORD_ID

PHONE = {"width": 390, "height": 844}
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")


def test_no_script_blocks_the_parser_and_the_head_script_comes_before_the_stylesheets(built_site):
    pages = sorted((built_site / "site").rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text("utf-8")
        scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
        if not scripts:
            continue  # a redirect page
        assert "assets/sillok/head.js" in scripts[0], path
        assert all(re.search(r"\basync\b", tag) for tag in scripts), (path, [s for s in scripts if "async" not in s])
        assert html.index("assets/sillok/head.js") < html.index('<link rel="stylesheet"'), path


def test_the_bundle_named_in_main_html_is_materials():
    import material

    base = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    ours = (Path(__file__).resolve().parents[2] / "overrides" / "main.html").read_text("utf-8")
    assert BUNDLE.findall(ours) == BUNDLE.findall(base)[:1] != []


@pytest.fixture
def late_page(browser, server):
    """A phone page whose Material bundle is held back until the test lets it through (``page.release()``)."""
    contexts = []

    def open_page(url: str, **options):
        # bypass_csp: Playwright's polling wait_for_function evaluates its predicate as a string, which the
        # site's CSP (no 'unsafe-eval') blocks on a loaded machine; the CSP itself is tested in test_browser_policy
        context = browser.new_context(viewport=PHONE, bypass_csp=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors, held = [], []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.route(BUNDLE, lambda route: held.append(route))
        page.goto(server + url, wait_until="domcontentloaded")
        page.wait_for_timeout(300)

        def release():
            for route in held:
                route.continue_()
            page.unroute(BUNDLE)

        page.release = release
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.browser
def test_materials_script_still_starts_when_it_arrives_after_domcontentloaded(late_page):
    page = late_page(f"records/{RECORD_ID}/", color_scheme="dark")
    assert page.evaluate("document.readyState") != "loading"  # parsed, DOMContentLoaded fired, no Material yet
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    page.release()
    page.wait_for_function("document.documentElement.classList.contains('js')", timeout=20000)
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")  # follows the system
    page.locator("label.md-header__button[for=__palette_0]").click()  # Material's toggle works: back to light
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.errors == []


@pytest.mark.browser
def test_a_saved_light_or_dark_choice_applies_without_materials_script(late_page, server):
    page = late_page(f"records/{RECORD_ID}/", color_scheme="light")
    page.release()
    page.wait_for_function("document.documentElement.classList.contains('js')", timeout=20000)
    page.locator("label.md-header__button[for=__palette_1]").click()  # choose dark: Material saves the choice
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.route(BUNDLE, lambda route: route.abort())  # the next page gets no Material script at all
    page.goto(server + f"en/records/{RECORD_ID}/", wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    # head.js is async: it may run just after DOMContentLoaded on a loaded machine
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=10000)
    assert page.evaluate("document.documentElement.classList.contains('no-js')")  # still no Material


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "en/"])
def test_without_scripts_the_phone_menu_still_opens_the_drawer(browser, server, lang):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + f"{lang}records/{RECORD_ID}/")
        assert not page.locator("[data-sillok-drawer]").is_visible()
        menu = page.locator("label.sillok-drawer-label")
        assert menu.is_visible() and menu.get_attribute("aria-label") == ("메뉴" if not lang else "Menu")
        menu.click()
        page.wait_for_timeout(400)
        assert page.locator("#__drawer").is_checked()
        assert page.locator(".md-sidebar--primary a[href]").first.is_visible()
    finally:
        context.close()
