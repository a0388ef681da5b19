"""Atom feeds, parsed the way feed readers parse them (feedparser) and checked against RFC 4287."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from helpers.opendata import BASE, ENGLISH_ID, MEETING_ID, make_corpus, press_release, project_records, read_archive
from helpers.records import write_tree

from sillok.record import schema
from sillok.record.model import Record
from sillok.site.data.feeds import FEED_SIZE, all_feeds, feed_xml

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corpus(tmp_path: Path) -> list[Record]:
    return make_corpus(tmp_path)


def parse(xml: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse(xml.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def assert_rfc4287(xml: str) -> None:
    """The elements RFC 4287 requires: feed id/title/updated, per entry id/title/updated/author/link."""
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        for stamp in ("updated", "published"):
            text = entry.find(f"{ATOM}{stamp}").text
            assert dt.datetime.fromisoformat(text).tzinfo is not None, f"{text} has a UTC offset (RFC 3339)"


def utc(record: Record) -> tuple:
    """The record's time of issue in UTC, as feedparser normalizes dates (without the DST flag)."""
    return tuple(record.issued.astimezone(dt.UTC).timetuple())[:6]


@pytest.mark.parametrize("language", schema.LANGUAGES)
def test_feed_of_all_records(corpus, language):
    xml = feed_xml(corpus, language, BASE)
    assert_rfc4287(xml)
    feed = parse(xml)
    assert feed.feed.id == f"{BASE}feeds/{language}/all.atom"
    assert feed.feed.language == language
    newest_first = sorted(corpus, key=lambda r: r.issued, reverse=True)
    assert [e.title for e in feed.entries] == [
        r.texts.get(language, r.texts[r.original_language]).title for r in newest_first
    ]
    assert tuple(feed.feed.updated_parsed)[:6] == utc(newest_first[0])
    for entry, record in zip(feed.entries, newest_first, strict=True):
        shown = language if language in record.texts else record.original_language
        url = f"{BASE}{'' if shown == 'ko' else 'en/'}records/{record.id}/"
        assert entry.id == url
        assert entry.link == url
        assert entry.links[0].hreflang == shown
        assert tuple(entry.updated_parsed)[:6] == utc(record)
        assert tuple(entry.published_parsed)[:6] == utc(record)
        assert entry.author == getattr(record.office, language)
        assert entry.tags[0].term == record.type
        assert entry.tags[0].label == schema.RECORD_TYPES[record.type][language]
        assert entry.summary


def test_entry_dates_keep_the_record_time_zone(corpus):
    xml = feed_xml(corpus, "en", BASE)
    assert "<updated>2024-02-01T09:15:00-05:00</updated>" in xml
    assert "<updated>2021-01-13T10:29:45+09:00</updated>" in xml
    assert "<updated>2022-06-30T00:00:00+09:00</updated>" in xml, "midnight in the record's zone when no time is known"


def test_record_without_a_text_in_the_feed_language_is_marked(corpus):
    feed = parse(feed_xml(corpus, "en", BASE))
    meeting = next(e for e in feed.entries if MEETING_ID in e.id)
    assert meeting.title == '제2차 예산심의 회의 결과 "요약", 쉼표 포함'
    assert meeting.title_detail.language == "ko"
    assert meeting.summary == '첫째 줄, 쉼표와 "따옴표". 둘째 줄.'
    english = next(e for e in feed.entries if ENGLISH_ID in e.id)
    assert english.title == 'Remarks </script><script>alert(1)</script> & "quotes" at the <Seoul> Forum', (
        "escaped, then read back verbatim"
    )
    assert english.title_detail.language == "en"


def test_feeds_per_type_and_language(corpus):
    feeds = all_feeds(corpus, BASE)
    assert sorted(feeds) == [
        f"feeds/{lang}/{name}.atom" for lang in ("en", "ko") for name in ("all", "meeting-record", "press-release")
    ]
    meetings = parse(feeds["feeds/ko/meeting-record.atom"])
    assert [e.id for e in meetings.entries] == [f"{BASE}records/{MEETING_ID}/"]
    assert meetings.feed.title == "sillok: 회의록"
    press = parse(feeds["feeds/en/press-release.atom"])
    assert {e.tags[0].term for e in press.entries} == {"press-release"}
    assert len(press.entries) == 2


def test_feed_holds_the_newest_fifty(tmp_path):
    files = {}
    for index in range(FEED_SIZE + 5):
        files |= press_release(index)
    write_tree(tmp_path, files)
    records = read_archive(tmp_path)
    feed = parse(feed_xml(records, "ko", BASE))
    assert len(feed.entries) == FEED_SIZE
    newest = sorted(records, key=lambda r: r.issued, reverse=True)[:FEED_SIZE]
    assert [e.id for e in feed.entries] == [f"{BASE}records/{r.id}/" for r in newest]
    assert feed.entries[0].id.endswith(f"-briefing-{FEED_SIZE + 4}/")


def test_feeds_do_not_depend_on_the_clock_or_input_order(corpus):
    assert feed_xml(corpus, "ko", BASE) == feed_xml(list(reversed(corpus)), "ko", BASE)


def test_feed_of_a_type_without_records_is_refused(corpus):
    with pytest.raises(ValueError, match="no records of type 'press-release'"):
        feed_xml([r for r in corpus if r.type == "meeting-record"], "ko", BASE, record_type="press-release")


def test_project_records_feed():
    records = project_records()
    for xml in all_feeds(records, BASE).values():
        assert_rfc4287(xml)
        assert len(parse(xml).entries) >= 1


def test_autodiscovery_links_name_every_feed_of_the_language(corpus):
    from html.parser import HTMLParser

    from sillok.site.data.feeds import autodiscovery_html

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(dict(attrs))

    Links().feed(autodiscovery_html(corpus, "en", BASE, site_name="Archive & Co"))
    assert [(link["title"], link["href"]) for link in found] == [
        ("Archive & Co: All records", f"{BASE}feeds/en/all.atom"),
        ("Archive & Co: Press release", f"{BASE}feeds/en/press-release.atom"),
        ("Archive & Co: Meeting record", f"{BASE}feeds/en/meeting-record.atom"),
    ]
    assert {link["type"] for link in found} == {"application/atom+xml"}
    assert set(all_feeds(corpus, BASE)) >= {link["href"].removeprefix(BASE) for link in found}
    assert autodiscovery_html([], "ko", BASE) == ""
