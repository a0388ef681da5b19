"""Atom 1.0 feeds (RFC 4287): per language, one of every record and one per record type.

Each feed holds the newest entries, newest first. An entry's id is the permanent URL of the page
it links to, its dates are the record's time of issue with the record's own UTC offset, and its
author is the issuing office. A record without a text in the feed's language appears with its
original title, marked with its own ``xml:lang`` and linking to its original-language page.
Feeds are built from the records alone (never the clock), so an unchanged archive yields
byte-identical feeds.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable

from sillok import __version__
from sillok.record import schema
from sillok.record.model import Record
from sillok.site.data.rights import Rights, as_rights
from sillok.site.data.xmltext import DECLARATION, element, end, start
from sillok.site.present import shown_language, shown_text, summary
from sillok.site.urls import feed_path, home_url, record_url, site_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
"""Entries per feed: the newest N records."""

FEED_TITLES = {"ko": "전체 기록", "en": "All records"}


def newest(records: Iterable[Record], limit: int = FEED_SIZE) -> list[Record]:
    """The ``limit`` most recently issued records, newest first (ties broken by id)."""
    return sorted(records, key=lambda r: (r.issued.timestamp(), r.id), reverse=True)[:limit]


def feed_title(language: str, record_type: str | None, site_name: str) -> str:
    label = schema.RECORD_TYPES[record_type][language] if record_type else FEED_TITLES[language]
    return f"{site_name}: {label}"


def feed_xml(
    records: Iterable[Record],
    language: str,
    base_url: str,
    *,
    record_type: str | None = None,
    rights: Rights | str | None = None,
    site_name: str = "sillok",
    limit: int = FEED_SIZE,
) -> str:
    """The Atom feed of ``records`` (of one ``record_type``, or all) in ``language``, as an XML string.

    Raises ValueError when no record qualifies: an Atom feed needs an ``updated`` date, and the
    clock is not one.
    """
    rights = as_rights(rights)
    chosen = [r for r in records if record_type is None or r.type == record_type]
    entries = newest(chosen, limit)
    if not entries:
        raise ValueError(f"no records of type {record_type!r} for a feed" if record_type else "no records for a feed")
    self_url = site_url(feed_path(language, record_type), base_url)
    newest_issued = max(entries, key=lambda r: r.issued.timestamp()).issued
    lines = [
        DECLARATION,
        start("feed", {"xmlns": ATOM, "xml:lang": language}),
        element("id", self_url, depth=1),
        element("title", feed_title(language, record_type, site_name), depth=1),
        element("updated", newest_issued.isoformat(), depth=1),
        element("link", attrs={"rel": "self", "type": "application/atom+xml", "href": self_url}, depth=1),
        element(
            "link",
            attrs={"rel": "alternate", "type": "text/html", "hreflang": language, "href": home_url(language, base_url)},
            depth=1,
        ),
        element("rights", rights.statement, depth=1),
        element("generator", "sillok", {"version": __version__}, depth=1),
    ]
    for record in entries:
        shown = shown_language(record, language)
        url = record_url(record.id, shown, base_url)
        issued = record.issued.isoformat()
        lines += [
            start("entry", {"xml:lang": shown if shown != language else None}, depth=1),
            element("id", url, depth=2),
            element("title", shown_text(record, language).title, depth=2),
            element("updated", issued, depth=2),
            element("published", issued, depth=2),
            element("link", attrs={"rel": "alternate", "type": "text/html", "hreflang": shown, "href": url}, depth=2),
            start("author", depth=2),
            element("name", record.office.name(language), depth=3),
            end("author", depth=2),
            element(
                "category", attrs={"term": record.type, "label": schema.RECORD_TYPES[record.type][language]}, depth=2
            ),
            *(element("category", attrs={"term": tag}, depth=2) for tag in record.tags),
            element("summary", summary(record, language), depth=2),
            end("entry", depth=1),
        ]
    lines.append(end("feed"))
    return "\n".join(lines) + "\n"


def feed_types(records: list[Record]) -> list[str | None]:
    """The feeds there are: None (all records) and each record type that has records; none without records."""
    present = {r.type for r in records}
    return [None, *(t for t in schema.RECORD_TYPES if t in present)] if records else []


def all_feeds(
    records: list[Record],
    base_url: str,
    *,
    rights: Rights | str | None = None,
    site_name: str = "sillok",
    limit: int = FEED_SIZE,
) -> dict[str, str]:
    """Every feed, by its path under the site root: per language, all records and each type that has records.

    The records are put in order of issue once (not once per feed), and each feed gets only its newest
    ``limit``: the feeds cost the same at 100 records as at 100,000, but for that one sort.
    """
    ordered = newest(records, len(records))
    feeds: dict[str, str] = {}
    for record_type in feed_types(records):
        chosen = list(itertools.islice((r for r in ordered if record_type is None or r.type == record_type), limit))
        for language in schema.LANGUAGES:
            feeds[feed_path(language, record_type)] = feed_xml(
                chosen, language, base_url, record_type=record_type, rights=rights, site_name=site_name, limit=limit
            )
    return dict(sorted(feeds.items(), key=lambda item: schema.LANGUAGES.index(item[0].split("/")[1])))


def autodiscovery_html(records: list[Record], language: str, base_url: str, *, site_name: str = "sillok") -> str:
    """``<link rel="alternate" type="application/atom+xml">`` elements for a page's ``<head>``, so that
    browsers and feed readers find the feeds in ``language``: all records first, then each type that has records."""
    return "".join(
        f'<link rel="alternate" type="application/atom+xml" hreflang="{language}" '
        f'title="{html.escape(feed_title(language, record_type, site_name))}" href="{html.escape(site_url(feed_path(language, record_type), base_url))}">\n'
        for record_type in feed_types(records)
    )
