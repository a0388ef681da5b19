"""Attack class 1 and 2: stored script in metadata, and a Content-Security-Policy that vouches for it.

Before: a ``<script>`` in a record's title, office name or tags passed ``sillok check``, reached
``<title>``, the header and the office index pages unescaped, and ``_headers`` hashed the injected
script into the policy. Now the check refuses markup in plain-text fields, every value is escaped
on its way into HTML, XML and JSON, and the policy allows no inline script at all.
"""

from __future__ import annotations

import shutil

import pytest
from helpers.attacks import FIELDS, active_markup, build_site, hostile, serve
from helpers.records import ATTACHMENT_ID, RECORD_DIR, RECORD_ID, make_site_project, site_records, valid_record

from sillok.check.check import check

PLAIN_TEXT_FIELDS = {
    "title": ("ko_md", "title: 2050 탄소중립 범부처 TF 1차 회의", 'title: "회의 <script>alert(1)</script>"'),
    "summary": (
        "ko_md",
        "title: 2050 탄소중립 범부처 TF 1차 회의",
        'title: 회의\nsummary: "요약 <img src=x onerror=alert(1)>"',
    ),
    "office": ("record_yml", "ko: 국무조정실", 'ko: "국무조정실<svg onload=alert(1)>"'),
    "writer": ("record_yml", "writer: 관리자1", 'writer: "관리자1 </title><script>x()</script>"'),
    "tags": ("record_yml", "- 탄소중립", '- "\\"><script>alert(1)</script>"'),
    "translator": ("en_md", "translator: sillok test suite", 'translator: "team <b onmouseover=alert(1)>x</b>"'),
    "entity": ("ko_md", "title: 2050 탄소중립 범부처 TF 1차 회의", 'title: "회의 &lt;script&gt;"'),
}


@pytest.mark.parametrize("field", PLAIN_TEXT_FIELDS)
def test_check_refuses_markup_in_plain_text_fields(archive, field):
    key, old, new = PLAIN_TEXT_FIELDS[field]
    files = valid_record()
    name = {"ko_md": "ko.md", "en_md": "en.md", "record_yml": "record.yml"}[key]
    path = next(p for p in files if p.endswith("/" + name))
    assert old in files[path]
    files[path] = files[path].replace(old, new)
    result = check([archive(files) / "records"])
    found = [p for p in result.errors if p.code == "markup-in-text"]
    assert found, [p.format() for p in result.problems]
    assert found[0].path.endswith(name) and found[0].line > 0 and "plain text" in found[0].message and found[0].hint


def test_plain_text_may_still_say_a_less_than_b(archive):
    files = valid_record(ko_md="---\ntitle: 금리 < 물가, R&D 예산 > 1조\n---\n\n□ 본문.\n")
    assert check([archive(files) / "records"]).errors == []


@pytest.fixture(scope="module", params=["shells", "mkdocs"])
def hostile_site(request, tmp_path_factory):
    """The fixture archive built with a payload in every field of every record (bypassing the check),
    record pages filled into shells (``sillok build``'s way) or rendered by MkDocs (its fallback)."""
    project = make_site_project(tmp_path_factory.mktemp("hostile"), site_records(), own_records=False)
    result = check([project / "records"])
    assert result.ok, [p.format() for p in result.errors]
    return build_site(project, [hostile(r) for r in result.records], shells=request.param == "shells")


def test_no_payload_reaches_any_page_as_markup(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 30
    shown = 0
    for page in pages:
        text = page.read_text("utf-8")
        assert active_markup(text) == [], f"{page.relative_to(hostile_site)}: {active_markup(text)}"
        shown += text.count("__pwned")
    assert shown > 0, "the payloads are in the pages, as text"
    record = (hostile_site / f"records/{RECORD_ID}/index.html").read_text("utf-8")
    title = record[record.index("<title>") : record.index("</title>") + len("</title>")]
    assert "&lt;script&gt;" in title and title.count("</title>") == 1, title


def test_no_payload_reaches_feeds_sitemaps_or_data_as_markup(hostile_site):
    import json
    import xml.etree.ElementTree as ET

    for feed in hostile_site.rglob("*.atom"):
        root = ET.parse(feed).getroot()  # well formed: every value escaped
        assert not root.findall(".//{http://www.w3.org/1999/xhtml}script")
    for data in hostile_site.rglob("*.json"):
        json.loads(data.read_text("utf-8"))
    record = (hostile_site / f"records/{RECORD_ID}/index.html").read_text("utf-8")
    ld = record.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in ld and json.loads(ld)["headline"].startswith("title ")


def test_the_policy_vouches_for_no_inline_script(hostile_site):
    from sillok.site.headers import CONTENT_SECURITY_POLICY, inline_scripts

    headers = (hostile_site / "_headers").read_text("utf-8")
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}" in headers
    assert "script-src 'self';" in headers and "sha256-" not in headers and "unsafe-inline" not in headers
    assert inline_scripts(hostile_site) == []


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_runs_no_payload_from_any_field(browser, hostile_site):
    urls = [
        "",
        "en/",
        f"records/{RECORD_ID}/",
        f"en/records/{RECORD_ID}/",
        f"records/{ATTACHMENT_ID}/",
        "records/office/opc/",
        "records/office/opc/2021/",
        "en/records/office/opc/2021/",
        "records/date/2021/01/",
        "records/search/?q=title",
        "records/search/?q=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
        "en/records/search/?q=%22%3E%3Csvg%20onload%3Dwindow.__pwned%3D1%3E",
    ]
    with serve(hostile_site) as server:
        context = browser.new_context()
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in urls:
            page.goto(server + url, wait_until="networkidle")
            assert page.evaluate("typeof window.__pwned") == "undefined", url
        context.close()
    assert dialogs == []


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_refuses_a_script_that_got_into_a_page(browser, hostile_site, tmp_path):
    """Should a template ever print a value raw, the published policy still stops the script."""
    site = tmp_path / "site"
    shutil.copytree(hostile_site, site)
    page_file = site / f"records/{RECORD_ID}/index.html"
    text = page_file.read_text("utf-8")
    injected = (
        '<script>window.__pwned="inline"</script><img src="x" onerror="window.__pwned=\'onerror\'">'
        '<a id="js" href="javascript:window.__pwned=\'href\'">x</a>'
    )
    page_file.write_text(text.replace("</h1>", "</h1>" + injected, 1), "utf-8")
    with serve(site) as server:
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(server + f"records/{RECORD_ID}/", wait_until="networkidle")
        page.click("#js")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("typeof window.__md_get") == "function", "the theme's own scripts (files) still run"
        context.close()
    assert sum("Content Security Policy" in e for e in errors) >= 2, errors


def test_every_field_is_covered():
    from helpers.attacks import payload

    assert all(f in payload(f) for f in FIELDS)


def test_the_security_guide_gives_hosts_the_policy_the_build_writes():
    from helpers.records import ROOT

    from sillok.site.headers import CONTENT_SECURITY_POLICY, OTHER_HEADERS

    guide = (ROOT / "guide" / "security.md").read_text("utf-8")
    assert f'add_header Content-Security-Policy "{CONTENT_SECURITY_POLICY}" always;' in guide
    for name in OTHER_HEADERS:
        assert f"add_header {name} " in guide


def test_a_built_page_with_an_inline_script_is_found(tmp_path):
    """What the build refuses to publish: executable inline script; JSON data blocks and files are fine."""
    from sillok.site.headers import inline_scripts

    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<script src="x.js"></script><script type="application/ld+json">{}</script>\n'
        '<script id="__config" type="application/json">{}</script>\n<SCRIPT >window.__pwned=1</SCRIPT>'
    )
    (tmp_path / "b.html").write_text("<p>no script</p>")
    assert inline_scripts(tmp_path) == [("a/index.html", 3)]


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        (
            "page.meta and page.meta.sillok_head",
            f"records/{RECORD_DIR.rsplit('/', 1)[-1]}/index.html:",
        ),  # record pages: filled into shells, checked as made
        ("not (page.meta and page.meta.sillok_head)", "records/date/2021/index.html:"),  # index pages: filled too
        ("not page", "(404.html:"),  # MkDocs' own pages: read back by the build
    ],
)
def test_a_build_refuses_an_inline_script_a_template_slipped_past_the_source_check(tmp_path, condition, where):
    """The source check reads templates for ``<script``; one that spells it in pieces is caught in the built page,
    whether the page is a record page (checked in memory when filled) or one MkDocs wrote (read back)."""
    from sillok.site.build import BuildFailed, build

    project = make_site_project(tmp_path, valid_record(), own_records=False)
    main = project / "overrides/main.html"
    piece = "{% if " + condition + ' %}{{ "<scr" ~ "ipt>window.__pwned=1</scr" ~ "ipt>" }}{% endif %}'
    main.write_text(
        main.read_text("utf-8").replace("{% block extrahead %}", "{% block extrahead %}" + piece, 1), "utf-8"
    )
    with pytest.raises(BuildFailed, match="inline <script>") as refused:
        build(project, jobs=1)
    assert where in str(refused.value)
    assert not (project / "site").exists()
