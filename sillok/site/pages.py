"""Plan the generated part of the site: every page source and attachment, by its path under docs/.

The plan is pure: records in, ``{path: content}`` out. :mod:`sillok.site.generate` writes it. Every
record gets a page in every site language (the text, or a fallback page that says why there is
none), and the indexes by date, type and office reach every record, so records never need to be
in the sidebar navigation (Material renders the whole nav into every page: a quadratic build).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES, RECORD_TYPES
from sillok.site import render, urls
from sillok.site.data.opendata import data_dictionary
from sillok.site.integrity import PublicLedger
from sillok.site.labels import format_count, format_month, format_tag_count, label, type_name
from sillok.site.recordpages.shell import shell_sources
from sillok.site.render import Neighbours
from sillok.site.settings import SiteSettings

LATEST_SNIPPET = "_latest.{language}.html"
"""The home page's list of latest records, included into docs/index*.md by pymdownx.snippets."""

BOARD_ROWS = 50
"""Records per board page: every board page stays this size whatever the size of the archive."""

TAGS_PER_PAGE = 200
"""Tags per page of the tag index (each with its count): bounded, like the board, however many tags there are."""

CONTACT_SNIPPET = "_contact.{language}.html"
"""Who handles privacy requests (from mkdocs.yml extra.sillok.contact), included into docs/privacy*.md."""


@dataclass
class Plan:
    """What to generate, by path relative to ``docs/records/``."""

    pages: dict[str, str] = field(default_factory=dict)
    """Page sources and snippets: relative path → text."""
    attachments: dict[str, Path] = field(default_factory=dict)
    """Published attachments: relative path → the file in the record folder."""


def _page_path(url: str, language: str) -> str:
    """The path under docs/records/ of the page source for ``url``."""
    return urls.source(url, language).removeprefix(urls.RECORDS + "/")


def plan(
    records: Iterable[Record],
    settings: SiteSettings,
    integrity: PublicLedger | None = None,
    *,
    record_pages: bool = True,
) -> Plan:
    """Every generated file of the site for ``records`` (in any order).

    Without ``record_pages``, the record pages are left out and the page shells of
    :mod:`sillok.site.recordpages.shell` take their place: ``sillok build`` fills them after MkDocs.
    """
    result = Plan()
    result.pages.update(plan_pages(records, settings, integrity, result.attachments, record_pages=record_pages))
    return result


def plan_pages(
    records: Iterable[Record],
    settings: SiteSettings,
    integrity: PublicLedger | None,
    attachments: dict[str, Path],
    *,
    record_pages: bool = True,
) -> Iterator[tuple[str, str]]:
    """:func:`plan`'s pages one at a time, as ``(path, source)`` (the attachments go into ``attachments``):
    ``sillok build`` streams them, so it never holds every page's source (an archive's worth of HTML)."""
    integrity = integrity or PublicLedger()
    ordered = sorted(records, key=Record.sort_key)
    render.forget_rows()
    try:
        yield from _planned(ordered, settings, integrity, attachments, record_pages)
    finally:
        render.forget_rows()  # the rows hold the records


def _planned(
    ordered: list[Record],
    settings: SiteSettings,
    integrity: PublicLedger,
    attachments: dict[str, Path],
    record_pages: bool,
) -> Iterator[tuple[str, str]]:
    if not record_pages:
        yield from shell_sources().items()
    for index, record in enumerate(ordered):
        neighbours = Neighbours(
            ordered[index - 1] if index else None, ordered[index + 1] if index + 1 < len(ordered) else None
        )
        for language in LANGUAGES if record_pages else ():
            url = urls.record(record.id, language)
            yield _page_path(url, language), render.record_page(record, language, neighbours, settings, integrity)
        for item in record.attachments:
            attachments[f"{record.id}/{item.file}"] = record.path / item.file
    by_id = {record.id: record for record in ordered}
    dictionary = data_dictionary(settings.rights)
    for language in LANGUAGES:
        planned = itertools.chain(
            index_pages(ordered, language), board_pages(ordered, language), tag_pages(ordered, language)
        )
        for url, source in with_breadcrumbs(planned, language):
            yield _page_path(url, language), source
        yield (
            _page_path(urls.redactions(language), language),
            render.redaction_log_page(integrity.redactions, by_id, language),
        )
        yield (
            _page_path(urls.search(language), language),
            render.search_page(language, urls.site_path(settings.site_url)),
        )
        yield _page_path(urls.data_dictionary(language), language), render.data_dictionary_page(language, dictionary)
        latest = list(reversed(ordered[-settings.latest :])) if settings.latest else []
        yield LATEST_SNIPPET.format(language=language), latest_snippet(latest, language, len(ordered))
        yield CONTACT_SNIPPET.format(language=language), contact_snippet(settings, language)
        render.forget_rows()  # a row is made for one language: the next language's pages make their own


def _count_page(page: str, title: str, language: str, entries: list[tuple[str, str, int]], total: int) -> str:
    """An index page that lists links with counts (a year's months, an office's years), led by its total."""
    return render.index_page(
        title, language, [render.count_list(entries, language, page)], lead=render.esc(format_count(total, language))
    )


def latest_snippet(latest: list[Record], language: str, total: int) -> str:
    """The home page's latest records (the home page sits at the language root)."""
    page = urls.home(language)
    heading = render.esc(label("latest", language))
    more = render.link(page, urls.browse(language), render.esc(label("all_records", language, count=total)))
    return (
        f'<section class="sillok-latest"><h2>{heading}</h2>'
        f"{render.record_list(latest, language, page)}<p>{more}</p></section>\n"
    )


def contact_snippet(settings: SiteSettings, language: str) -> str:
    esc = render.esc
    rows = [f"<strong>{esc(settings.contact_name[language])}</strong> ({esc(settings.operator[language])})"]
    if settings.contact_email:
        rows.append(f'<a href="mailto:{esc(settings.contact_email)}">{esc(settings.contact_email)}</a>')
    if settings.contact_phone:
        rows.append(f'<a href="tel:{esc(settings.contact_phone)}">{esc(settings.contact_phone)}</a>')
    return f'<address class="sillok-contact"><p>{"<br>".join(rows)}</p></address>\n'


def board_pages(ordered: list[Record], language: str) -> Iterator[tuple[str, str]]:
    """The board: every record in a numbered table, newest first and oldest first, :data:`BOARD_ROWS` a page.

    Numbers run as on a notice board, 1 for the oldest record, so a record keeps its number in both orders.
    """
    esc = render.esc
    total = len(ordered)
    pages_count = max(1, -(-total // BOARD_ROWS))
    for oldest in (False, True):
        sequence = list(enumerate(ordered, start=1))
        if not oldest:
            sequence.reverse()
        for number in range(1, pages_count + 1):
            page = urls.board(language, number, oldest)
            chunk = sequence[(number - 1) * BOARD_ROWS : number * BOARD_ROWS]
            order_links = " · ".join(
                f'<strong aria-current="true">{esc(label(key, language))}</strong>'
                if flag == oldest
                else render.link(page, urls.board(language, 1, flag), esc(label(key, language)))
                for key, flag in (("newest_first", False), ("oldest_first", True))
            )
            lead = f"{esc(label('all_records', language, count=total))} · {esc(label('board_page', language, page=number, pages=pages_count))}"
            title = label("board", language) if number == 1 else f"{label('board', language)} ({number})"
            table = (
                render.board_table([r for _, r in chunk], [n for n, _ in chunk], language, page)
                if chunk
                else render.record_list([], language, page)
            )
            pager = render.pager(page, number, pages_count, lambda n, o=oldest: urls.board(language, n, o), language)
            yield (
                (
                    page,
                    render.index_page(
                        title, language, [f'<p class="sillok-order">{order_links}</p>', table, pager], lead=lead
                    ),
                )
            )


def tags_of(ordered: list[Record]) -> dict[str, list[Record]]:
    """Each tag with its records, oldest first (as ``ordered``); a record lists a tag once however often it gives it."""
    by_tag: dict[str, list[Record]] = defaultdict(list)
    for record in ordered:
        for tag in dict.fromkeys(record.tags):
            by_tag[tag].append(record)
    return by_tag


def tag_entries(by_tag: dict[str, list[Record]], language: str) -> list[tuple[str, str, int]]:
    """``(url, tag, count)`` for every tag, in the order readers look words up (case-folded, then as written)."""
    return [
        (urls.by_tag(language, tag), tag, len(by_tag[tag])) for tag in sorted(by_tag, key=lambda t: (t.casefold(), t))
    ]


BROWSE_TAGS = 20
"""The most used tags shown on the browse hub (the tag index lists them all)."""


def tag_summary(ordered: list[Record], language: str, page: str) -> str:
    """The browse hub's tag section: the :data:`BROWSE_TAGS` most used tags with counts, and how many there are."""
    entries = tag_entries(tags_of(ordered), language)
    top = sorted(entries, key=lambda entry: -entry[2])[:BROWSE_TAGS]
    top.sort(key=lambda entry: (entry[1].casefold(), entry[1]))
    more = render.link(page, urls.by_tag(language), render.esc(format_tag_count(len(entries), language)))
    return render.count_list(top, language, page, written=True) + (f"<p>{more}</p>" if entries else "")


def tag_pages(ordered: list[Record], language: str) -> Iterator[tuple[str, str]]:
    """The tag index (every tag with its count, :data:`TAGS_PER_PAGE` a page) and a page per tag listing its
    records newest first, :data:`BOARD_ROWS` a page: no page grows with the archive."""
    esc = render.esc
    by_tag = tags_of(ordered)
    entries = tag_entries(by_tag, language)
    index_count = max(1, -(-len(entries) // TAGS_PER_PAGE))
    for number in range(1, index_count + 1):
        page = urls.by_tag(language, page=number)
        chunk = entries[(number - 1) * TAGS_PER_PAGE : number * TAGS_PER_PAGE]
        title = label("by_tag", language) if number == 1 else f"{label('by_tag', language)} ({number})"
        pager = render.pager(page, number, index_count, lambda n: urls.by_tag(language, page=n), language)
        yield (
            (
                page,
                render.index_page(
                    title,
                    language,
                    [render.count_list(chunk, language, page, written=True), pager],
                    lead=esc(format_tag_count(len(entries), language)),
                ),
            )
        )
    for tag, group in by_tag.items():
        newest = list(reversed(group))
        pages_count = max(1, -(-len(newest) // BOARD_ROWS))
        for number in range(1, pages_count + 1):
            page = urls.by_tag(language, tag, number)
            chunk = newest[(number - 1) * BOARD_ROWS : number * BOARD_ROWS]
            suffix = "" if number == 1 else f" ({number})"
            title = f"{label('tag', language)}: {tag}{suffix}"
            heading = f"{esc(label('tag', language))}: {render.as_written(tag, language)}{suffix}"
            lead = esc(format_count(len(newest), language))
            if pages_count > 1:
                lead += f" · {esc(label('board_page', language, page=number, pages=pages_count))}"
            pager = render.pager(page, number, pages_count, lambda n, t=tag: urls.by_tag(language, t, n), language)
            yield (
                (
                    page,
                    render.index_page(
                        title, language, [render.record_list(chunk, language, page), pager], lead=lead, heading=heading
                    ),
                )
            )


def with_breadcrumbs(pages: Iterable[tuple[str, str]], language: str) -> Iterator[tuple[str, str]]:
    """Each index page with its trail from the home page: every folder above it that is a page, by its heading.

    ``pages`` come one at a time, every page before the pages under it (the hub before its lists, a list
    before its years): a page's trail is known when it arrives, so the pages of an archive are never held
    all at once (at 100,000 records they would take about 800 MB). A page arriving after a page under it
    is a planning error, stopped here rather than published without its crumb.
    """
    headings: dict[str, str] = {}
    absent: set[str] = set()
    for url, source in pages:
        if url in absent:
            raise AssertionError(f"index page {url} planned after a page under it: its crumb would be missing")
        start = source.find("<h1>")
        heading = source[start + 4 : source.find("</h1>", start)] if start >= 0 else url
        headings[url] = heading.rsplit(": ", 1)[-1]
        trail = [(urls.home(language), render.esc(label("home", language)))]
        parts = url.removeprefix(urls.root(language)).rstrip("/").split("/")
        for depth in range(1, len(parts) + 1):
            ancestor = urls.root(language) + "/".join(parts[:depth]) + "/"
            if ancestor in headings:
                trail.append((None if ancestor == url else ancestor, headings[ancestor]))
            else:
                absent.add(ancestor)
        crumbs = render.breadcrumbs(url, trail, language)
        yield url, source.replace(render.GENERATED_MARK + "\n", render.GENERATED_MARK + "\n" + crumbs, 1)


def index_pages(ordered: list[Record], language: str) -> Iterator[tuple[str, str]]:
    """The browse hub and the indexes by date, type and office, as ``(url, source)`` in ``language``."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Record]] = defaultdict(list)
    by_type: dict[str, list[Record]] = defaultdict(list)
    by_office: dict[str, list[Record]] = defaultdict(list)
    for record in ordered:
        by_year[record.year].append(record)
        by_month[(record.year, record.date.month)].append(record)
        by_type[record.type].append(record)
        by_office[record.office.id].append(record)
    years = sorted(by_year, reverse=True)
    office_name = {office_id: group[-1].office.name(language) for office_id, group in by_office.items()}
    offices = sorted(by_office, key=lambda o: office_name[o])
    types = [t for t in RECORD_TYPES if t in by_type]
    esc = render.esc

    def year_entries() -> list[tuple[str, str, int]]:
        return [(urls.by_date(language, y), label("year", language, year=y), len(by_year[y])) for y in years]

    def type_entries() -> list[tuple[str, str, int]]:
        return [(urls.by_type(language, t), type_name(t, language), len(by_type[t])) for t in types]

    def office_entries() -> list[tuple[str, str, int]]:
        return [(urls.by_office(language, o), office_name[o], len(by_office[o])) for o in offices]

    # the browse hub
    page = urls.browse(language)
    board_link = render.link(page, urls.board(language), esc(label("board", language)))
    yield (
        (
            page,
            render.index_page(
                label("browse", language),
                language,
                [
                    f'<p class="sillok-board-link">{board_link} ({esc(label("newest_first", language))})</p>',
                    render.section(
                        render.link(page, urls.by_date(language), esc(label("by_date", language))),
                        render.count_list(year_entries(), language, page),
                    ),
                    render.section(
                        render.link(page, urls.by_type(language), esc(label("by_type", language))),
                        render.count_list(type_entries(), language, page),
                    ),
                    render.section(
                        render.link(page, urls.by_office(language), esc(label("by_office", language))),
                        render.count_list(office_entries(), language, page),
                    ),
                    render.section(
                        render.link(page, urls.by_tag(language), esc(label("by_tag", language))),
                        tag_summary(ordered, language, page),
                    ),
                    render.open_data_section(language, page),
                    render.section(
                        render.link(page, urls.redactions(language), esc(label("redaction_log", language))),
                        f"<p>{esc(label('redaction_log_lead', language))}</p>",
                    ),
                ],
                lead=esc(label("all_records", language, count=len(ordered))),
            ),
        )
    )

    # by date: years and their months; each year; each month
    page = urls.by_date(language)
    sections = []
    for year in years:
        months = sorted({m for (y, m) in by_month if y == year})
        entries = [
            (urls.by_date(language, year, m), format_month(year, m, language), len(by_month[(year, m)])) for m in months
        ]
        heading = render.link(page, urls.by_date(language, year), esc(label("year", language, year=year)))
        heading += f' <span class="sillok-count">({esc(format_count(len(by_year[year]), language))})</span>'
        sections.append(render.section(heading, render.count_list(entries, language, page)))
    yield (
        (
            page,
            render.index_page(
                label("by_date", language),
                language,
                sections or [render.record_list([], language, page)],
                lead=esc(label("all_records", language, count=len(ordered))),
            ),
        )
    )
    for year in years:
        page = urls.by_date(language, year)
        months = sorted({m for (y, m) in by_month if y == year})
        entries = [
            (urls.by_date(language, year, m), format_month(year, m, language), len(by_month[(year, m)])) for m in months
        ]
        title = f"{label('by_date', language)}: {label('year', language, year=year)}"
        # months with counts only: a year's records are listed on its month pages, so no page grows with the archive
        yield ((page, _count_page(page, title, language, entries, len(by_year[year]))))
        for month in months:
            page = urls.by_date(language, year, month)
            group = by_month[(year, month)]
            title = f"{label('by_date', language)}: {format_month(year, month, language)}"
            yield (
                (
                    page,
                    render.index_page(
                        title,
                        language,
                        [render.record_list(group, language, page)],
                        lead=esc(format_count(len(group), language)),
                    ),
                )
            )

    # by type and by office: the list, then every record of each, newest year first
    for kind, entries, groups, url_of, name_of, show_office in (
        (
            "by_type",
            type_entries(),
            by_type,
            lambda k: urls.by_type(language, k),
            lambda k: type_name(k, language),
            True,
        ),
        (
            "by_office",
            office_entries(),
            by_office,
            lambda k: urls.by_office(language, k),
            lambda k: office_name[k],
            False,
        ),
    ):
        page = url_of(None)
        yield ((page, render.index_page(label(kind, language), language, [render.count_list(entries, language, page)])))
        for key, group in groups.items():
            # each type or office: its years with counts; each year of it: its records, by month
            page = url_of(key)
            by_year_of: dict[int, list[Record]] = defaultdict(list)
            for record in group:
                by_year_of[record.year].append(record)
            entries = [
                (f"{page}{year}/", label("year", language, year=year), len(by_year_of[year]))
                for year in sorted(by_year_of, reverse=True)
            ]
            title = f"{label(kind, language)}: {name_of(key)}"
            yield ((page, _count_page(page, title, language, entries, len(group))))
            for year, in_year in by_year_of.items():
                year_page = f"{page}{year}/"
                sections = []
                for month in sorted({r.date.month for r in in_year}):
                    in_month = [r for r in in_year if r.date.month == month]
                    heading = f'{esc(format_month(year, month, language))} <span class="sillok-count">({esc(format_count(len(in_month), language))})</span>'
                    sections.append(
                        render.section(heading, render.record_list(in_month, language, year_page, office=show_office))
                    )
                title = f"{label(kind, language)}: {name_of(key)}, {label('year', language, year=year)}"
                yield (
                    (
                        year_page,
                        render.index_page(title, language, sections, lead=esc(format_count(len(in_year), language))),
                    )
                )
