"""Tags as the reader browses them: safe, distinct slugs; a bounded page per tag; an index with counts (issue 12)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from helpers.records import valid_record

from sillok.check.check import check
from sillok.site import urls
from sillok.site.pages import BOARD_ROWS, TAGS_PER_PAGE, plan
from sillok.site.render import Neighbours, record_page
from sillok.site.settings import SiteSettings

SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.fixture
def record(archive):
    result = check([archive(valid_record()) / "records"])
    assert result.ok
    return result.records[0]


def many(record, count: int, tags=("탄소중립",)):
    """``count`` copies of ``record`` on successive days, each with ``tags``."""
    start = dt.date(2020, 1, 1)
    return [
        dataclasses.replace(
            record,
            id=f"{start + dt.timedelta(days=n):%Y-%m-%d}-r{n}",
            date=start + dt.timedelta(days=n),
            tags=tuple(tags),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    "tags",
    [
        ("국민", "궁민"),  # both romanize to gungmin
        ("AI", "ai"),  # fold together in lowercase
        ("AI ethics", "ai-ethics", "AI-Ethics", "ai ethics"),
        ("2030", "2031", "#", "##"),  # no letters at all
        ("탄소중립 " + "위원회 " * 12, "탄소중립 " + "위원회 " * 13),  # cut to the same first words
        ("misemeonji", "미세먼지"),
    ],
)
def test_tags_that_slugify_alike_get_distinct_safe_slugs(tags):
    slugs = [urls.tag_slug(tag) for tag in tags]
    assert len(set(slugs)) == len(tags), dict(zip(tags, slugs, strict=True))
    for slug in slugs:
        assert SAFE.fullmatch(slug) and not slug.isdigit() and len(slug) <= 70, slug


def test_a_slug_is_readable_and_depends_on_the_tag_alone():
    assert urls.tag_slug("미세먼지").startswith("misemeonji-")
    assert urls.tag_slug("관계부처 회의").startswith("gwangyebucheo-hoeui-")
    assert urls.tag_slug("ai-ethics") == "ai-ethics"
    assert urls.tag_slug("2030").startswith("tag-")
    assert urls.tag_slug("미세먼지") == urls.tag_slug("미세먼지")
    assert urls.by_tag("en", "미세먼지", 2) == f"en/records/tag/{urls.tag_slug('미세먼지')}/2/"
    assert urls.by_tag("ko") == "records/tag/" and urls.by_tag("ko", page=3) == "records/tag/3/"


def test_colliding_tags_get_their_own_pages_each_with_its_records(record):
    a, b = many(record, 2)
    records = [dataclasses.replace(a, tags=("국민",)), dataclasses.replace(b, tags=("궁민",))]
    pages = plan(records, SiteSettings()).pages
    for tag, mine, other in (("국민", a, b), ("궁민", b, a)):
        source = pages[urls.source(urls.by_tag("ko", tag), "ko").removeprefix("records/")]
        assert f"<h1>주제어: {tag}</h1>" in source
        assert f"{mine.id}/" in source and f"{other.id}/" not in source


def test_a_tag_page_is_bounded_and_paginated_newest_first(record):
    records = many(record, BOARD_ROWS * 2 + 3)
    pages = plan(records, SiteSettings()).pages
    for language in ("ko", "en"):
        sources = [
            pages.get(urls.source(urls.by_tag(language, "탄소중립", n), language).removeprefix("records/"))
            for n in (1, 2, 3, 4)
        ]
        assert all(sources[:3]) and sources[3] is None
        listed = [
            re.findall(r'<li><a href="\.\./(?:\.\./)*([0-9]{4}-[0-9]{2}-[0-9]{2}-r[0-9]+)/"', s) for s in sources[:3]
        ]
        assert [len(ids) for ids in listed] == [BOARD_ROWS, BOARD_ROWS, 3]
        assert listed[0][0] == records[-1].id and listed[2][-1] == records[0].id  # newest first, across pages
        assert 'class="sillok-pager"' in sources[0] and 'rel="next"' in sources[0] and 'rel="next"' not in sources[2]


def test_the_tag_index_counts_every_tag_and_is_bounded(record):
    tags = [f"주제 {n:04d}" for n in range(TAGS_PER_PAGE + 5)]
    records = many(record, 3, tags=tags[:2]) + [dataclasses.replace(r, tags=tuple(tags)) for r in many(record, 1)]
    records[-1] = dataclasses.replace(records[-1], id="2021-06-01-all-tags", date=dt.date(2021, 6, 1))
    pages = plan(records, SiteSettings()).pages
    first, second = pages["tag.ko.md"], pages["tag/2.ko.md"]
    assert f"주제어 {len(tags)}개" in first

    def listed(source):
        return re.search(r'<ul class="sillok-counts">.*?</ul>', source).group(0).count("<li>")

    assert listed(first) == TAGS_PER_PAGE and listed(second) == 5
    assert '주제 0000</a> <span class="sillok-count">(4건)</span>' in first
    assert '주제 0002</a> <span class="sillok-count">(1건)</span>' in first
    english = pages["tag.en.md"]
    assert '<span lang="ko">주제 0000</span></a> <span class="sillok-count">(4 records)</span>' in english
    assert '<span lang="ko">주제 0002</span></a> <span class="sillok-count">(1 record)</span>' in english
    hub = pages["index.ko.md"]
    assert 'href="tag/"' in hub and hub.count("주제 0") == 20  # the browse hub: the most used tags and the index


def test_a_record_page_links_its_tags_in_both_languages(record):
    tagged = dataclasses.replace(record, tags=("탄소중립", "AI ethics", "탄소중립"))
    for language in ("ko", "en"):
        source = record_page(tagged, language, Neighbours(None, None), SiteSettings())
        links = re.findall(r'<li><a href="\.\./tag/([^"]+)/">(.*?)</a></li>', source)
        assert [slug for slug, _ in links] == [urls.tag_slug("탄소중립"), urls.tag_slug("AI ethics")]
        korean = "탄소중립" if language == "ko" else '<span lang="ko">탄소중립</span>'
        assert [text for _, text in links] == [korean, "AI ethics"]
        assert ("<dt>주제어</dt>" if language == "ko" else "<dt>Tags</dt>") in source


def test_tag_pages_carry_breadcrumbs_to_the_index(record):
    pages = plan(many(record, 1), SiteSettings()).pages
    source = pages[urls.source(urls.by_tag("en", "탄소중립"), "en").removeprefix("records/")]
    crumbs = re.search(r'<nav class="sillok-breadcrumbs".*?</nav>', source).group(0)
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Home", "Browse the records", "Records by tag"]
    assert crumbs.endswith('<li aria-current="page"><span lang="ko">탄소중립</span></li></ol></nav>')


def test_counts_and_board_dates_as_each_language_writes_them():
    from sillok.site.labels import format_count, format_date, format_tag_count

    assert [format_count(n, "ko") for n in (1, 12, 1234)] == ["1건", "12건", "1,234건"]
    assert [format_count(n, "en") for n in (1, 12, 1234)] == ["1 record", "12 records", "1,234 records"]
    assert [format_tag_count(n, "en") for n in (1, 2)] == ["1 tag", "2 tags"] and format_tag_count(
        1, "ko"
    ) == "주제어 1개"
    day = dt.date(2021, 1, 13)
    assert (
        format_date(day, "ko", weekday=False) == "2021년 1월 13일" and format_date(day, "ko") == "2021년 1월 13일 (수)"
    )
    assert format_date(day, "en", weekday=False) == "13 January 2021"
