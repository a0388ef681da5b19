"""The site's plain modules, without MkDocs: labels, URLs, rendering, citations, generation."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from helpers.records import RECORD_ID, valid_record

from sillok.check.check import check
from sillok.site import urls
from sillok.site.data import citation
from sillok.site.generate import GenerateError, generate
from sillok.site.labels import format_issued, format_size
from sillok.site.pages import plan
from sillok.site.render import body_html, sanitise
from sillok.site.settings import SettingsError, SiteSettings, read_mkdocs_yml


@pytest.fixture
def record(archive):
    root = archive(valid_record())
    result = check([root / "records"])
    assert result.ok
    return result.records[0]


def test_issued_in_the_readers_language(record):
    assert format_issued(record, "ko") == "2021년 1월 13일 (수) 10:29"
    assert format_issued(record, "en") == "13 January 2021, 10:29 KST"


def test_sizes_for_people():
    assert format_size(812, "ko") == "812바이트"
    assert format_size(812, "en") == "812 bytes"
    assert format_size(14 * 1024, "en") == "14 KB"
    assert format_size(1_300_000, "ko") == "1.2 MB"


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("records/a/", "records/b/", "../b/"),
        ("en/records/a/", "records/a/", "../../../records/a/"),
        ("records/a/", "en/records/a/", "../../en/records/a/"),
        ("", "records/", "records/"),
        ("en/", "en/records/date/", "records/date/"),
        ("records/a/", "records/a/file.pdf", "file.pdf"),
        ("records/a/", "records/a/", "./"),
    ],
)
def test_relative_urls(page, target, expected):
    assert urls.relative(page, target) == expected


def test_page_sources_follow_the_static_i18n_suffix_layout():
    assert urls.source(urls.record("x", "ko"), "ko") == "records/x.ko.md"
    assert urls.source(urls.record("x", "en"), "en") == "records/x.en.md"
    assert urls.source(urls.browse("en"), "en") == "records/index.en.md"
    assert urls.source(urls.by_date("ko", 2021, 1), "ko") == "records/date/2021/01.ko.md"


def test_outline_markers_become_classes_and_stay_as_text():
    html = body_html("□ 첫째\n\n- ㅇ 둘째\n    - \\* 셋째\n")
    assert '<p class="outline-head"><span class="outline-marker">□</span> 첫째</p>' in html
    assert '<li class="outline-item"><span class="outline-marker">ㅇ</span> 둘째' in html
    assert '<li class="outline-item"><span class="outline-marker">*</span> 셋째</li>' in html


def test_body_headings_sit_below_the_page_title():
    assert body_html("# 제목\n\n본문").startswith("<h2>제목</h2>")


def test_rendering_sanitises_even_what_the_check_would_reject():
    html = body_html(
        '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<iframe src="https://evil"></iframe>'
    )
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<iframe" not in html
    assert (
        sanitise('<a href="https://example.org" onclick="x()">a</a>')
        == '<a href="https://example.org" rel="noopener noreferrer">a</a>'
    )


def test_attachment_links_point_at_the_published_file():
    html = body_html("[원문](briefing.pdf)", {"briefing.pdf": "../../../records/x/briefing.pdf"})
    assert 'href="../../../records/x/briefing.pdf"' in html


def test_citations(record):
    url = "https://archive.example.org/en/records/" + RECORD_ID + "/"
    plain = citation.plain(record, "en", archive="Archive", url=url)
    assert plain == (
        f"Office for Government Policy Coordination. “2050 Carbon Neutrality Pan-Ministerial Task Force 1st Meeting.” "
        f"Press release, 13 January 2021. Archive, record {RECORD_ID}. {url}"
    )
    bib = citation.bibtex(record, "ko", archive="보관소 100%", url=url)
    assert bib.startswith("@misc{sillok-" + RECORD_ID + ",") and "{{국무조정실}}" in bib and r"보관소 100\%" in bib
    item = json.loads(citation.csl_json(record, "en", archive="Archive", url=url))[0]
    assert item["issued"] == {"date-parts": [[2021, 1, 13]]} and item["author"] == [
        {"literal": "Office for Government Policy Coordination"}
    ]


def test_settings_from_mkdocs_yml_extra(tmp_path):
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        "site_url: https://a.example\nmarkdown_extensions:\n  - x: !!python/name:os.system\n"
        "extra:\n  sillok:\n    name: {ko: 기록관, en: Archive}\n    contact: {email: a@b.example}\n",
        encoding="utf-8",
    )
    settings = read_mkdocs_yml(path)
    assert settings.site_url == "https://a.example/"
    assert settings.name == {"ko": "기록관", "en": "Archive"}
    assert settings.contact_email == "a@b.example"
    with pytest.raises(SettingsError, match="latest"):
        SiteSettings.from_extra({"sillok": {"latest": "ten"}})


def test_generation_writes_only_what_changed_and_removes_what_is_gone(archive, tmp_path):
    root = archive(valid_record())
    records = check([root / "records"]).records
    docs = tmp_path / "docs"
    first = generate(records, docs, SiteSettings())
    assert f"{RECORD_ID}.ko.md" in first.written and f"{RECORD_ID}.en.md" in first.written
    assert "date/2021/01.en.md" in first.written and "_latest.ko.html" in first.written
    page = docs / "records" / f"{RECORD_ID}.ko.md"
    stamp = page.stat().st_mtime_ns
    second = generate(records, docs, SiteSettings())
    assert second.written == [] and second.removed == [] and page.stat().st_mtime_ns == stamp
    third = generate([], docs, SiteSettings())
    assert f"{RECORD_ID}.ko.md" in third.removed and not page.exists()
    assert not (docs / "records" / "date" / "2021").exists()


def test_generation_refuses_symlinks_in_docs(archive, tmp_path):
    root = archive(valid_record())
    records = check([root / "records"]).records
    docs = tmp_path / "docs"
    (docs / "records").mkdir(parents=True)
    os.symlink("/etc", docs / "etc")
    with pytest.raises(GenerateError, match="symbolic links"):
        generate(records, docs, SiteSettings())


def test_plan_covers_every_record_in_both_languages(record):
    pages = plan([record], SiteSettings(site_url="https://a.example/")).pages
    assert {
        f"{RECORD_ID}.ko.md",
        f"{RECORD_ID}.en.md",
        "index.ko.md",
        "date.en.md",
        "type/press-release.ko.md",
        "office/opc.en.md",
        "_latest.en.html",
        "_contact.ko.html",
    } <= set(pages)
    assert "https://a.example/en/records/" + RECORD_ID + "/" in pages[f"{RECORD_ID}.en.md"]
    assert dt.date(2021, 1, 13).isoformat() in pages["date/2021/01.ko.md"]


def test_settings_for_templates_give_every_text_per_language():
    values = SiteSettings.from_extra(
        {"sillok": {"operator": "기록관", "contact": {"email": "x@y.example"}}}
    ).for_templates()
    assert values["operator"] == {"ko": "기록관", "en": "기록관"}
    assert values["legal_basis"]["en"] == "the Public Records Management Act"
    assert values["contact"]["email"] == "x@y.example"


def test_korean_subject_particle_fits_the_last_syllable():
    from sillok.site.labels import subject

    assert subject("국무조정실") == "국무조정실이"
    assert subject("sillok 프로젝트") == "sillok 프로젝트가"
    assert subject("sillok test suite") == "sillok test suite이(가)"


def test_index_pages_stream_with_their_crumbs_and_a_page_before_its_parent_is_refused():
    """The plan gives index pages one at a time (never an archive's worth of HTML at once): every page's
    trail is made from pages already seen, so a page planned after a page under it must stop the build."""
    from sillok.site import render
    from sillok.site.pages import with_breadcrumbs

    def page(title: str) -> str:
        return f"<h1>{title}</h1>\n{render.GENERATED_MARK}\n"

    parent, child = urls.browse("ko"), urls.by_date("ko")
    given = dict(with_breadcrumbs(iter([(parent, page("둘러보기")), (child, page("날짜별"))]), "ko"))
    assert "둘러보기" in given[child].split(render.GENERATED_MARK)[1]  # the parent's heading is in the child's trail
    with pytest.raises(AssertionError, match="planned after a page under it"):
        list(with_breadcrumbs(iter([(child, page("날짜별")), (parent, page("둘러보기"))]), "ko"))


def test_a_record_pages_breadcrumb_shows_its_title_escaped_once_and_marked_with_its_language():
    """The last crumb is the title as the page shows it: ``R&D`` (not ``R&amp;D``), and on the English page of a
    Korean-only record the Korean title in ``<span lang="ko">`` (a reader once saw that markup as text)."""
    import dataclasses

    from helpers.records import ROOT

    from sillok.site.render import breadcrumbs, record_trail

    korean_only = next(r for r in check([ROOT / "records"]).records if set(r.texts) == {"ko"})
    text = dataclasses.replace(korean_only.texts["ko"], title="R&D <연구> 점검")
    record = dataclasses.replace(korean_only, texts={"ko": text})
    english = breadcrumbs("records/x/", record_trail(record, "en"), "en")
    assert '<li aria-current="page"><span lang="ko">R&amp;D &lt;연구&gt; 점검</span></li>' in english
    korean = breadcrumbs("records/x/", record_trail(record, "ko"), "ko")
    assert '<li aria-current="page">R&amp;D &lt;연구&gt; 점검</li>' in korean
