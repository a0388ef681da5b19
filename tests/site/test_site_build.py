"""The archive site, built for real from the project's records plus fixtures that cover every page state.

One build is shared by these tests (the session fixture ``built_site``); each test reads the built
HTML and asserts what a reader sees, in both languages.
"""

from __future__ import annotations

import html as html_module
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers.records import (
    ATTACHMENT_ID,
    EN_ORIGINAL_ID,
    NOT_ARCHIVED_ID,
    PDF,
    RECORD_ID,
    make_site_project,
    valid_record,
    write_tree,
)

from sillok.site.build import BuildFailed, build

pytestmark = pytest.mark.slow

OWN_ID = "2023-03-15-carbon-neutrality-commission-3"
ALL_IDS = [RECORD_ID, NOT_ARCHIVED_ID, ATTACHMENT_ID, EN_ORIGINAL_ID, OWN_ID]


def page(project: Path, url: str) -> str:
    """The built HTML at site URL ``url`` (``records/x/`` → ``site/records/x/index.html``)."""
    path = project / "site" / url
    if url == "" or url.endswith("/"):
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


def content(html: str) -> str:
    """The page's own content (between Material's article tags), tags removed, spaces collapsed."""
    start = html.index('<article class="md-content__inner md-typeset">')
    end = html.index("</article>\n", html.rindex("</article>"))
    text = re.sub(r"<[^>]+>", " ", html[start:end])
    return re.sub(r"\s+", " ", html_module.unescape(text))


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


# --------------------------------------------------------------------------- record pages


@pytest.mark.parametrize("record_id", ALL_IDS)
def test_every_record_has_a_page_in_each_language(built_site, record_id):
    assert html_lang(page(built_site, f"records/{record_id}/")) == "ko"
    assert html_lang(page(built_site, f"en/records/{record_id}/")) == "en"


def test_record_page_metadata_in_korean(built_site):
    text = content(page(built_site, f"records/{RECORD_ID}/"))
    assert "2050 탄소중립 범부처 TF 1차 회의" in text
    for expected in (
        "유형 보도자료",
        "일시 2021년 1월 13일 (수) 10:29",
        "발행 기관 국무조정실",
        "작성자 관리자1",
        f"기록 번호 {RECORD_ID}",
        "원문 언어 한국어",
        f"영구 주소 https://archive.example.org/records/{RECORD_ID}/",
    ):
        assert expected in text


def test_record_page_metadata_in_english(built_site):
    html = page(built_site, f"en/records/{RECORD_ID}/")
    text = content(html)
    for expected in (
        "Type Press release",
        "Issued 13 January 2021, 10:29 KST",
        "Issued by Office for Government Policy Coordination",
        "Writer (as recorded) 관리자1",
        f"Record id {RECORD_ID}",
        "Original language Korean",
        f"Permanent URL https://archive.example.org/en/records/{RECORD_ID}/",
    ):
        assert expected in text
    assert '<span lang="ko">관리자1</span>' in html
    assert '<time datetime="2021-01-13T10:29:45+09:00">' in html


def test_translation_notice_says_who_how_when_and_from_what(built_site):
    text = content(page(built_site, f"en/records/{RECORD_ID}/"))
    assert (
        "This English text is a human translation from Korean by sillok test suite, made on 20 January 2021. "
        "The authentic record is the Korean text."
    ) in text
    assert "sillok-notice--translation" not in page(built_site, f"records/{RECORD_ID}/")  # the original needs no notice


def test_language_links_land_on_the_same_record(built_site):
    ko = page(built_site, f"records/{RECORD_ID}/")
    en = page(built_site, f"en/records/{RECORD_ID}/")
    assert f'<a href="../../en/records/{RECORD_ID}/" hreflang="en" lang="en"' in ko
    assert f'<a href="../../../records/{RECORD_ID}/" hreflang="ko" lang="ko"' in en
    # Material's header language selector points at the same record too
    assert f'href="../../en/records/{RECORD_ID}/" hreflang="en" class="md-select__link"' in ko
    assert f'href="../../../records/{RECORD_ID}/" hreflang="ko" class="md-select__link"' in en


def test_not_translated_fallback_page(built_site):
    html = page(built_site, f"records/{EN_ORIGINAL_ID}/")
    text = content(html)
    assert "이 기록은 아직 한국어로 번역되지 않았습니다. 아래에 영어 본문을 그대로 보여 드립니다." in text
    assert "보관되지 않았습니다" not in text
    assert '<section class="sillok-body" lang="en"' in html
    assert '<h1 lang="en">Green finance briefing</h1>' in html
    assert "원문 언어 영어" in text
    # the English original has no translation notice and no fallback notice
    en = content(page(built_site, f"en/records/{EN_ORIGINAL_ID}/"))
    assert "translation" not in en.lower().split("cite this record")[0]
    assert "has not been translated" not in en


def test_not_archived_fallback_page(built_site):
    text = content(page(built_site, f"en/records/{NOT_ARCHIVED_ID}/"))
    assert "This record's English text existed but was not archived" in text
    assert "has not been translated" not in text
    assert "범부처 TF는 2차 회의에서" in text


def test_illustrative_notice(built_site):
    assert "이 기록은 이 보관소를 위해 작성한 예시 자료이며 실제 기록이 아닙니다." in content(
        page(built_site, f"records/{OWN_ID}/")
    )
    assert "This is an illustrative sample written for this archive, not a real record." in content(
        page(built_site, f"en/records/{OWN_ID}/")
    )
    assert "illustrative sample" not in content(page(built_site, f"en/records/{RECORD_ID}/"))


def test_outline_is_nested_structure_without_extra_bullets(built_site):
    html = page(built_site, f"records/{NOT_ARCHIVED_ID}/")
    body = html[html.index('<section class="sillok-body"') :]
    assert '<p class="outline-head"><span class="outline-marker">□</span>' in body
    assert re.search(
        r'<li class="outline-item"><span class="outline-marker">ㅇ</span>[^<]*\n?<ul>\n?<li class="outline-item"><span class="outline-marker">\*</span>',
        body,
    )


def test_attachment_with_type_and_size_is_published_once(built_site):
    ko = page(built_site, f"records/{ATTACHMENT_ID}/")
    en = page(built_site, f"en/records/{ATTACHMENT_ID}/")
    assert "보도자료 원문" in content(ko) and f"(PDF, {len(PDF)}바이트)" in content(ko)
    assert "Press release (original)" in content(en) and f"(PDF, {len(PDF)} bytes)" in content(en)
    assert f'href="../../../records/{ATTACHMENT_ID}/briefing.pdf"' in en
    assert 'href="briefing.pdf"' in ko  # the body's link, pointed at the published file
    assert (built_site / "site" / "records" / ATTACHMENT_ID / "briefing.pdf").read_bytes().startswith(b"%PDF-")


def test_previous_and_next_records(built_site):
    html = page(built_site, f"records/{NOT_ARCHIVED_ID}/")
    assert f'<a href="../{RECORD_ID}/" rel="prev">' in html
    assert f'<a href="../{ATTACHMENT_ID}/" rel="next">' in html
    first = page(built_site, f"en/records/{RECORD_ID}/")
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_cite_this_record(built_site):
    ko = content(page(built_site, f"records/{RECORD_ID}/"))
    assert (
        f"국무조정실, 「2050 탄소중립 범부처 TF 1차 회의」, 보도자료, 2021년 1월 13일 (수), sillok 기록 보관소, "
        f"기록 번호 {RECORD_ID}, https://archive.example.org/records/{RECORD_ID}/"
    ) in ko
    en = page(built_site, f"en/records/{RECORD_ID}/")
    assert "@misc{sillok-" + RECORD_ID in en and "&quot;date-parts&quot;: [" in en


# --------------------------------------------------------------------------- browse


def test_home_pages_have_purpose_and_latest_records(built_site):
    ko = content(page(built_site, ""))
    en = content(page(built_site, "en/"))
    assert "처음 보관한 그대로" in ko and "최근 기록" in ko and "전체 기록 5건" in ko
    assert "exactly as they were archived" in en and "Latest records" in en and "5 records in all" in en
    # newest first
    assert ko.index("탄소중립녹색성장위원회 제3차") < ko.index("2050 탄소중립 범부처 TF 1차 회의")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "records/",
            [
                "전체 기록 5건",
                "2023년 (1건)",
                "2022년 (1건)",
                "2021년 (3건)",
                "보도자료 (3건)",
                "회의록 (2건)",
                "국무조정실 (3건)",
                "금융위원회 (1건)",
                "2050 탄소중립녹색성장위원회 (1건)",
            ],
        ),
        (
            "en/records/",
            [
                "5 records in all",
                "2021 (3 records)",
                "2022 (1 record)",
                "Press release (3 records)",
                "Meeting record (2 records)",
                "Office for Government Policy Coordination (3 records)",
                "Financial Services Commission (1 record)",
            ],
        ),
        ("records/date/", ["2021년 (3건)", "2021년 1월 (2건)", "2021년 3월 (1건)", "2022년 6월 (1건)"]),
        (
            "en/records/date/",
            ["2021 (3 records)", "January 2021 (2 records)", "March 2021 (1 record)", "June 2022 (1 record)"],
        ),
        ("records/date/2021/", ["2021년 1월 (2건)", "2021년 3월 (1건)"]),
        (
            "en/records/date/2021/01/",
            [
                "2 records",
                "2050 Carbon Neutrality Pan-Ministerial Task Force 1st Meeting",
                "2050 탄소중립 범부처 TF 2차 회의록",
            ],
        ),
        ("records/type/", ["보도자료 (3건)", "회의록 (2건)"]),
        ("en/records/type/press-release/", ["3 records", "2021 (2 records)", "2022 (1 record)"]),
        ("en/records/type/press-release/2022/", ["1 record", "June 2022 (1 record)", "Green finance briefing"]),
        ("en/records/type/press-release/2021/", ["2 records", "Carbon neutrality implementation plan announced"]),
        ("records/office/", ["국무조정실 (3건)", "금융위원회 (1건)"]),
        ("en/records/office/fsc/", ["1 record", "2022 (1 record)"]),
        ("en/records/office/fsc/2022/", ["1 record", "Green finance briefing"]),
        ("records/data/", ["데이터 사전", "Bulk download columns", "original_language"]),
        ("en/records/data/", ["Data dictionary", "Bulk download columns", "original_language"]),
    ],
)
def test_index_pages_and_counts(built_site, url, expected):
    text = content(page(built_site, url))
    for item in expected:
        assert item in text, f"{url}: {item!r} missing"


def test_records_are_not_in_the_sidebar_nav(built_site):
    html = page(built_site, f"records/{RECORD_ID}/")
    nav = html[
        html.index('<nav class="md-nav md-nav--primary"') : html.index(
            "</nav>", html.index('<nav class="md-nav md-nav--primary"')
        )
    ]
    assert "records/20" not in nav and "../" in nav
    assert nav.count('class="md-nav__link') <= 10


# --------------------------------------------------------------------------- every page


def html_pages(project: Path) -> list[Path]:
    return sorted((project / "site").rglob("*.html"))


def test_every_page_has_the_banner_and_a_language(built_site):
    pages = html_pages(built_site)
    assert len(pages) > 40
    for path in pages:
        html = path.read_text(encoding="utf-8")
        english = path.relative_to(built_site / "site").parts[0] == "en"
        assert html_lang(html) == ("en" if english else "ko"), path
        assert 'class="sillok-banner"' in html, path
        assert "수정 · 추가 · 삭제는 불가능합니다" in html and "cannot be modified, added to or deleted" in html, path
        assert (
            "sillok 프로젝트가 「공공기록물 관리에 관한 법률」에 따라" in html
            and "the Public Records Management Act" in html
        ), path
        assert ("[Hide for today]" if english else "[오늘 그만 보기]") in html, path


def test_404_page_in_each_language(built_site):
    ko = (built_site / "site" / "404.html").read_text(encoding="utf-8")
    en = (built_site / "site" / "en" / "404.html").read_text(encoding="utf-8")
    assert html_lang(ko) == "ko" and "페이지를 찾을 수 없습니다" in ko and 'href="/records/"' in ko
    assert html_lang(en) == "en" and "Page not found" in en and 'href="/en/records/"' in en


def test_about_and_privacy_pages(built_site):
    privacy = content(page(built_site, "privacy/"))
    for expected in ("요청자", "요청 내용", "연락처", "기록 위치", "records@example.org", "요청 후에는"):
        assert expected in privacy
    privacy_en = content(page(built_site, "en/privacy/"))
    for expected in (
        "Requester",
        "Request",
        "Contact",
        "Location of the record",
        "records@example.org",
        "What happens next",
    ):
        assert expected in privacy_en
    assert "About this archive" in content(page(built_site, "en/about/"))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        rel = dict(attrs).get("rel") or ""
        if rel.startswith("schema.") or rel == "license":
            return  # a Dublin Core namespace name and the rights statement's licence: named, never loaded
        for name, value in attrs:
            if value and ((tag in ("a", "link") and name == "href") or (tag in ("script", "img") and name == "src")):
                self.urls.append(value)


def test_every_local_link_resolves_and_nothing_loads_from_elsewhere(built_site):
    site = built_site / "site"
    for path in html_pages(built_site):
        if path.name == "404.html":
            continue  # links are absolute from the root, checked in test_404_page_in_each_language
        parser = _Links()
        html = path.read_text(encoding="utf-8")
        parser.feed(html)
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel") or url.startswith("#"):
                continue
            if parts.scheme or parts.netloc:
                assert url.startswith("https://archive.example.org/"), f"{path}: link outside the site {url}"
                continue
            if parts.path.startswith("/"):  # Material's language selector links the home pages from the root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path}: broken link {url}"
            assert target.is_relative_to(site.resolve()), f"{path}: link leaves the site {url}"
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if 'rel="schema.' in tag:
                continue  # Dublin Core's namespace name is an identifier, never fetched
            assert "http://" not in tag and "https://fonts" not in tag and "//cdn" not in tag, f"{path}: {tag}"


def test_no_symlinks_published(built_site):
    assert not [p for p in (built_site / "site").rglob("*") if p.is_symlink()]


# --------------------------------------------------------------------------- build failures


def test_a_record_with_a_problem_stops_the_build_and_keeps_the_previous_site(tmp_path):
    project = make_site_project(tmp_path, valid_record(), own_records=False)
    build(project)
    index = project / "site" / "index.html"
    before = index.read_bytes()
    marker = project / "site" / "marker.txt"
    marker.write_text("previous site")
    write_tree(project, valid_record(ko_md="---\ntitle: 깨진 기록\n---\n\n<script>alert(1)</script>\n"))
    with pytest.raises(BuildFailed) as failure:
        build(project)
    assert failure.value.result is not None
    assert any(p.code == "raw-html" for p in failure.value.result.errors)
    assert marker.read_text() == "previous site" and index.read_bytes() == before
    assert not list(tmp_path.glob(".site-*"))


def test_plain_mkdocs_build_checks_and_generates_through_the_plugin(tmp_path):
    project = make_site_project(tmp_path, valid_record(), own_records=False)
    env = {k: v for k, v in os.environ.items() if k != "SILLOK_PAGES_READY"} | {"NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (project / "docs" / "records" / f"{RECORD_ID}.ko.md").exists()
    assert "관리자1" in page(project, f"en/records/{RECORD_ID}/")
    # a broken record stops plain mkdocs too
    write_tree(project, valid_record(record_yml="id: nope\n"))
    shutil.rmtree(project / "site")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "record.yml" in run.stderr and "nothing was built" in run.stderr


def test_home_snippets_are_included_not_published(built_site):
    site = built_site / "site"
    assert not list(site.rglob("_latest*")) and not list(site.rglob("_contact*"))
    assert (built_site / "docs" / "records" / "_latest.ko.html").exists()


def test_the_project_archive_builds_with_a_page_per_record_and_language(tmp_path):
    """The real records/ (seed, samples) build; every record has a page in both languages."""
    from sillok.check.check import check

    project = make_site_project(tmp_path, {}, own_records=True)
    build(project)
    records = check([project / "records"]).records
    assert len(records) >= 16
    for record in records:
        for prefix in ("", "en/"):
            page = project / "site" / prefix / "records" / record.id / "index.html"
            assert page.is_file(), f"no page for {record.id} at {prefix or '/'}"


def test_record_pages_carry_linked_data_and_the_site_publishes_open_data(built_site):
    """JSON-LD, Dublin Core and the canonical URL are in the built page; data and feeds are published."""
    import json as _json

    site = built_site / "site"
    page = (site / "en" / "records" / RECORD_ID / "index.html").read_text("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = _json.loads(blocks[0])
    assert data["identifier"] == RECORD_ID and data["inLanguage"] == "en"
    assert data["url"] == f"https://archive.example.org/en/records/{RECORD_ID}/"
    assert re.search(r'<meta name="DC.date" content="2021-01-13">', page)
    assert page.count('rel="canonical"') == 1
    for path in (
        "data/ko/records.csv",
        "data/en/records.json",
        "data/records/2021/01.json",
        "feeds/ko/all.atom",
        "feeds/en/all.atom",
        "robots.txt",
        "sitemap-records.xml",
    ):
        assert (site / path).is_file(), path
