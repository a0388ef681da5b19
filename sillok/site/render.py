"""Render records and indexes to page sources (strings); :mod:`sillok.site.pages` decides where they go.

A record body is Markdown: Python-Markdown turns it into HTML, an outline step marks the
□ / ㅇ / * items of Korean government documents so they show as a clear nested structure
without extra bullets, and ``nh3`` sanitises the result as defence in depth (the check already
rejects raw HTML and unsafe links). Each page source is a Markdown file for MkDocs whose content
is one block of finished HTML, so MkDocs only wraps it in the theme.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from sillok.ledger.mask import MARK
from sillok.record.model import Record
from sillok.record.schema import LANGUAGES
from sillok.site import urls
from sillok.site.data import citation, linkeddata
from sillok.site.integrity import PublicLedger
from sillok.site.labels import (
    format_count,
    format_date,
    format_issued,
    format_month,
    format_size,
    label,
    language_name,
    legal_basis,
    method_name,
    subject,
    type_name,
)
from sillok.site.output.proofs import proof_path
from sillok.site.present import esc
from sillok.site.quickbody import HEAD_MARKERS, OUTLINE_MARKERS, quick_html
from sillok.site.settings import SiteSettings

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# --------------------------------------------------------------------------- record bodies


class _OutlineTreeprocessor(Treeprocessor):
    """Mark outline items, shift body headings below the page title, point attachment links home."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.attachments: dict[str, str] = {}
        """File name → link to the published attachment, set per body before rendering."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            tag = element.tag
            if tag in ("h1", "h2", "h3", "h4", "h5"):
                element.tag = f"h{int(tag[1]) + 1}"
            elif tag == "li":
                _mark_item(element)
            elif tag == "p" and (element.text or "").lstrip().startswith(HEAD_MARKERS):
                element.set("class", "outline-head")
                _split_marker(element)
            elif tag == "a":
                href = element.get("href", "")
                if href in self.attachments:
                    element.set("href", self.attachments[href])
            elif tag == "img":
                src = element.get("src", "")
                if src in self.attachments:
                    element.set("src", self.attachments[src])
                else:  # no request to another site, whatever the check missed: the image becomes its alt text
                    alt = element.get("alt", "")
                    element.attrib.clear()
                    element.tag, element.text = "span", alt


def _split_marker(element: etree.Element) -> None:
    """Wrap the leading marker of ``element.text`` in ``<span class="outline-marker">``."""
    text = (element.text or "").lstrip()
    for marker in OUTLINE_MARKERS:
        if text.startswith(marker):
            span = etree.Element("span", {"class": "outline-marker"})
            span.text = marker
            span.tail = text[len(marker) :]
            element.text = ""
            element.insert(0, span)
            return


def _mark_item(item: etree.Element) -> None:
    holder = item
    if not (item.text or "").strip() and len(item) and item[0].tag == "p":
        holder = item[0]  # a loose list item wraps its text in a paragraph
    if (holder.text or "").lstrip().startswith(OUTLINE_MARKERS):
        item.set("class", "outline-item")
        _split_marker(holder)


INLINE_PATTERNS = (
    "backtick",
    "escape",
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "html",
    "entity",
    "em_strong",
)
"""Python-Markdown's inline patterns (3.x, with tables and sane_lists): each needs one of :data:`_INLINE_TRIGGER`."""
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")
"""A character (or the two spaces before a line break) without which none of :data:`INLINE_PATTERNS` can match."""


class _QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, skipping a text in which no inline pattern can match.

    Markdown tries each of its fourteen patterns on every text of the tree; most lines of a record
    (outline items, plain sentences) hold none of the characters any pattern starts with, and for them
    the step gives the text back unchanged anyway. Same output, about a third less Markdown time.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and not _INLINE_TRIGGER.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class _OutlineExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Python-Markdown's API
        md.treeprocessors.register(_OutlineTreeprocessor(md), "sillok-outline", 0)
        if tuple(item.name for item in md.inlinePatterns._priority) == INLINE_PATTERNS:  # else: Markdown's own step
            md.treeprocessors.register(_QuickInlineProcessor(md), "inline", 20)


_MARKDOWN: markdown.Markdown | None = None


def _markdown() -> markdown.Markdown:
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists", _OutlineExtension()], output_format="html")
    return _MARKDOWN


def sanitise(fragment: str) -> str:
    """Keep only the tags, attributes and link schemes a record body may use."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitised_quick(fragment: str) -> str:
    """What :func:`sanitise` gives for :func:`quick_html`'s output, without parsing it: that HTML holds only
    tags sillok wrote and text without ``&``, ``<`` or ``>``, so HTML's serializer changes one thing, U+00A0
    (a test compares the two over every body the fast path takes)."""
    return fragment.replace("\u00a0", "&nbsp;")


def body_html(body: str, attachments: dict[str, str] | None = None) -> str:
    """A record body as safe HTML; ``attachments`` maps file names to their published links."""
    quick = quick_html(body)  # a plain outline, paragraphs and headings: Python-Markdown's output, 20x faster
    if quick is not None:
        return sanitised_quick(quick)
    return sanitise(markdown_html(body, attachments))


def markdown_html(body: str, attachments: dict[str, str] | None = None) -> str:
    """``body`` through Python-Markdown and the outline step, before sanitising (any Markdown)."""
    md = _markdown()
    md.reset()
    processor = md.treeprocessors["sillok-outline"]
    processor.attachments = attachments or {}
    try:
        return md.convert(body)
    finally:
        processor.attachments = {}


def mark_redactions(fragment: str, language: str) -> str:
    """Each redaction mark (:data:`MARK`, one per removed span) as an element labelled in the reader's language."""
    if MARK not in fragment:
        return fragment
    name = label_html("redacted_mark", language)
    return fragment.replace(
        MARK, f'<span class="sillok-redacted" role="img" aria-label="{name}" title="{name}">{MARK}</span>'
    )


# --------------------------------------------------------------------------- small pieces


@functools.lru_cache(maxsize=1024)
def label_html(key: str, language: str) -> str:
    """``esc(label(key, language))``: a label without values, the same on every page, escaped once."""
    return esc(label(key, language))


def in_language(text: str, language: str, page_language: str) -> str:
    """``text`` escaped, marked with its language when it differs from the page's."""
    if language != page_language:
        return f'<span lang="{language}">{esc(text)}</span>'
    return esc(text)


def as_written(text: str, page_language: str) -> str:
    """Text kept as recorded (a writer's name): marked Korean on an English page when it is Hangul."""
    if page_language != "ko" and _HANGUL.search(text):
        return f'<span lang="ko">{esc(text)}</span>'
    return esc(text)


def link(page: str, target: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"' for name, value in attrs.items())
    return f'<a href="{esc(urls.relative(page, target))}"{extra}>{text}</a>'


_RECORD_PREFIX: dict[tuple[str, str], str] = {}
_NO_ID = "\x00"
"""A record id no folder of a page is named: the prefix of links from a page to record pages is computed with it."""


def record_link(page: str, record_id: str, language: str, text: str) -> str:
    """``link(page, urls.record(record_id, language), text)``, with the relative part computed once per page:
    index pages link to tens of thousands of records, every link from one page going up the same folders."""
    if f"/{record_id}/" in f"/{page}":  # the page lies in a folder named like the record: the general way
        return link(page, urls.record(record_id, language), text)
    return f'<a href="{esc(f"{_record_prefix(page, language)}{record_id}/")}">{text}</a>'


def _record_prefix(page: str, language: str) -> str:
    """The relative part of a link from ``page`` to any record page in ``language``."""
    key = (page, language)
    prefix = _RECORD_PREFIX.get(key)
    if prefix is None:
        if len(_RECORD_PREFIX) > 4096:
            _RECORD_PREFIX.clear()
        prefix = urls.relative(page, urls.record(_NO_ID, language)).removesuffix(f"{_NO_ID}/")
        _RECORD_PREFIX[key] = prefix
    return prefix


_ROWS: dict[tuple, tuple[Record, str]] = {}
"""A record's row in a list or on the board, without the link's relative part, by (record, language, kind).

A record is listed on about a dozen index pages per language (board, date, type, office, tags), and
its row is the same on each but for the relative path to it: made once, it is joined a dozen times.
Held by identity (the record object is kept with its row), between :func:`forget_rows` calls."""


def forget_rows() -> None:
    """Forget the rows made so far (a plan's start and end: the records they name may go)."""
    _ROWS.clear()


def _row(record: Record, language: str, page: str, kind: tuple, make) -> str:
    """``<a href="`` + prefix + the cached rest of the row, or the general way when the page is the record's."""
    if f"/{record.id}/" in f"/{page}":
        return make(record_link(page, record.id, language, record_title(record, language)))
    key = (id(record), language, kind)
    hit = _ROWS.get(key)
    if hit is None or hit[0] is not record:
        marker = "\x00"
        made = make(f'<a href="{marker}{esc(record.id)}/">{record_title(record, language)}</a>')
        hit = _ROWS[key] = (record, made)
    return hit[1].replace("\x00", esc(_record_prefix(page, language)), 1)


def meta_values(title: str, description: str | None, head: str | None) -> dict[str, str | None]:
    """The front matter values as MkDocs reads them back (``page.meta``), for :func:`front_matter` and page shells."""
    return {"title": esc(title), "description": esc(description) if description else None, "head": head or None}


def front_matter(title: str, *, hide_toc: bool = True, description: str | None = None, head: str | None = None) -> str:
    """YAML front matter; values are JSON strings, which YAML reads back exactly.

    ``title`` and ``description`` are plain text and are written HTML-escaped: Material prints
    ``page.meta.title`` raw into ``<title>`` and the header (MkDocs' Jinja does not autoescape),
    so the escaping happens here, once. ``head`` is finished HTML built from escaped values.
    """
    meta = meta_values(title, description, head)
    lines = ["---", f"title: {json.dumps(meta['title'], ensure_ascii=False)}"]
    if meta["description"]:
        lines.append(f"description: {json.dumps(meta['description'], ensure_ascii=False)}")
    if meta["head"]:
        lines.append(f"sillok_head: {json.dumps(meta['head'], ensure_ascii=False)}")
    if hide_toc:
        lines += ["hide:", "  - toc"]
    return "\n".join([*lines, "---", ""]) + "\n"


GENERATED_MARK = '<div class="sillok-page">'
"""How the body of every generated page starts (the plugin recognises them by it)."""


def page_body(content: str) -> str:
    """The body of a generated page, after its front matter: what MkDocs hands the plugin as the page's Markdown."""
    return f"{GENERATED_MARK}\n{content}\n</div>\n"


def page_source(title: str, content: str, *, description: str | None = None, head: str | None = None) -> str:
    """A generated page: front matter, then one block of HTML that Markdown passes through."""
    return front_matter(title, description=description, head=head) + page_body(content)


@dataclass(frozen=True)
class PageParts:
    """A generated page as the theme sees it: front matter values and the body (``page.content``).

    Record pages are filled into a page shell rendered once by MkDocs (:mod:`sillok.site.recordpages`)
    from these parts; :meth:`source` is the same page as a file MkDocs would render itself.
    """

    title: str
    body: str
    description: str | None
    head: str | None

    def source(self) -> str:
        return front_matter(self.title, description=self.description, head=self.head) + self.body

    def meta(self) -> dict[str, str | None]:
        """title, description and head as the theme sees them (``page.meta``)."""
        return meta_values(self.title, self.description, self.head)


HREFLANG_REL = "alternate "
"""The rel of hreflang alternates: the ``alternate`` relation, spelt so that Material's script (which selects
``link[rel=alternate]`` by exact value and fetches ``sitemap.xml`` beside each one) leaves it alone."""


def record_head(record: Record, language: str, settings: SiteSettings) -> str | None:
    """Canonical URL, hreflang alternates, Dublin Core, Open Graph and schema.org JSON-LD for a record's <head>.

    The alternates name this record's pages in each language (see :data:`HREFLANG_REL` for their spelling):
    a page view then downloads the same bytes whatever the size of the archive.
    """
    if not settings.site_url:
        return None
    html = linkeddata.head_html(record, language, settings.site_url, settings.rights, site_name=settings.name[language])
    return html.replace('<link rel="alternate" hreflang=', f'<link rel="{HREFLANG_REL}" hreflang=')


def notice(kind: str, heading: str, text: str) -> str:
    return (
        f'<aside class="sillok-notice sillok-notice--{kind}" aria-label="{esc(heading)}">'
        f"<p><strong>{esc(heading)}</strong> {text}</p></aside>"
    )


def title_of(record: Record, language: str) -> tuple[str, str]:
    """The record's title for a page in ``language``, and the language that title is in."""
    text = record.text(language) or record.text(record.original_language)
    return text.title, text.language


def record_title(record: Record, language: str) -> str:
    title, title_language = title_of(record, language)
    return in_language(title, title_language, language)


# --------------------------------------------------------------------------- record pages


@dataclass(frozen=True)
class Neighbours:
    """The records before and after one record in time (None at the ends of the archive)."""

    previous: Record | None
    next: Record | None


def metadata_block(record: Record, language: str, page: str, settings: SiteSettings) -> str:
    permalink = urls.absolute(settings.site_url, urls.record(record.id, language))
    rows = [
        ("type", link(page, urls.by_type(language, record.type), esc(type_name(record.type, language)))),
        (
            "issued",
            f'<time datetime="{record.issued.isoformat() if record.time else record.date.isoformat()}">'
            f"{esc(format_issued(record, language))}</time>",
        ),
        ("office", link(page, urls.by_office(language, record.office.id), esc(record.office.name(language)))),
    ]
    if record.writer:
        rows.append(("writer", as_written(record.writer, language)))
    if record.tags:
        rows.append(("tags", tag_links(record.tags, language, page)))
    rows += [
        ("record_id", f"<code>{esc(record.id)}</code>"),
        ("original_language", esc(language_name(record.original_language, language))),
        ("permalink", f'<a class="sillok-permalink" href="{esc(permalink)}">{esc(permalink)}</a>'),
    ]
    items = "".join(f"<div><dt>{label_html(key, language)}</dt><dd>{value}</dd></div>" for key, value in rows)
    return f'<dl class="sillok-meta" aria-label="{label_html("metadata", language)}">{items}</dl>'


def tag_links(tags: Iterable[str], language: str, page: str) -> str:
    """A record's tags, each a link to its page (:func:`sillok.site.urls.by_tag`), as a list a screen reader can count."""
    items = "".join(
        f"<li>{link(page, urls.by_tag(language, tag), as_written(tag, language))}</li>" for tag in dict.fromkeys(tags)
    )
    return f'<ul class="sillok-taglist">{items}</ul>'


def attachments_block(record: Record, language: str, page: str) -> str:
    if not record.attachments:
        return ""
    items = []
    for item in record.attachments:
        title = item.title.get(language) or item.file
        title_language = (
            language if item.title.get(language, fallback=False) else ("ko" if _HANGUL.search(title) else "en")
        )
        kind = item.file.rsplit(".", 1)[-1].upper()
        detail = label("download_size", language, kind=kind, size=format_size(item.size, language))
        target = urls.attachment(record.id, item.file)
        items.append(
            f"<li>{link(page, target, in_language(title, title_language, language), type=item.media_type)} "
            f'<span class="sillok-filedetail">({esc(detail)})</span> <code>{esc(item.file)}</code></li>'
        )
    heading = label_html("attachments", language)
    return f'<section class="sillok-attachments"><h2>{heading}</h2><ul>{"".join(items)}</ul></section>'


def citation_block(record: Record, language: str, settings: SiteSettings) -> str:
    url = urls.absolute(settings.site_url, urls.record(record.id, language))
    archive = settings.name[language]
    plain = citation.plain(record, language, archive=archive, url=url)
    bibtex = citation.bibtex(record, language, archive=archive, url=url)
    csl = citation.csl_json(record, language, archive=archive, url=url)
    heading = label_html("cite", language)
    rights = settings.rights
    statement = esc(rights.statement)
    if rights.url:
        statement = f'<a href="{esc(rights.url)}" rel="license">{statement}</a>'
    page = urls.record(record.id, language)
    data = link(page, urls.record_json_link(record.id), label_html("data", language))
    return (
        f'<section class="sillok-cite"><h2>{heading}</h2>'
        f'<p class="sillok-citation">{esc(plain)}</p>'
        f"<details><summary>BibTeX</summary><pre><code>{esc(bibtex)}</code></pre></details>"
        f"<details><summary>CSL-JSON</summary><pre><code>{esc(csl)}</code></pre></details>"
        f'<p class="sillok-rights">{label_html("rights", language)}: {statement} · {data}</p></section>'
    )


def neighbours_block(neighbours: Neighbours, language: str, page: str) -> str:
    parts = []
    for key, record, rel in (("previous", neighbours.previous, "prev"), ("next", neighbours.next, "next")):
        if record is None:
            continue
        text = (
            f'<span class="sillok-prevnext__label">{label_html(key, language)}</span> '
            f'<span class="sillok-prevnext__title">{record_title(record, language)}</span>'
        )
        parts.append(
            f'<li class="sillok-prevnext__{key}">{link(page, urls.record(record.id, language), text, rel=rel)}</li>'
        )
    if not parts:
        return ""
    return f'<nav class="sillok-prevnext" aria-label="{label_html("record_nav", language)}"><ul>{"".join(parts)}</ul></nav>'


def language_links(record: Record, language: str, page: str) -> str:
    items = []
    for other in LANGUAGES:
        if other == language:
            continue
        name = language_name(other, other)
        text = label("read_in", other, language=name)
        items.append(
            link(
                page,
                urls.record(record.id, other),
                esc(text),
                hreflang=other,
                lang=other,
                class_="sillok-altlang__link",
            )
        )
    return f'<p class="sillok-altlang">{" ".join(items)}</p>'


def translation_notice(record: Record, language: str) -> str:
    text = record.text(language)
    if text is None or text.translation is None:
        return ""
    t = text.translation
    body = label(
        "translation_notice",
        language,
        language=language_name(language, language),
        from_language=language_name(t.from_language, language),
        translator=as_written(subject(t.translator) if language == "ko" else t.translator, language),
        method=method_name(t.method, language),
        date=format_date(t.date, language),
        original=language_name(record.original_language, language),
    )
    if t.note:
        body += " " + as_written(t.note, language)
    return notice("translation", label("translation", language), body)


def _date_text(value: str, language: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(value), language)
    except (TypeError, ValueError):
        return str(value)


def redaction_text(entry: dict, language: str) -> str:
    """One redaction in the reader's words: when, under what law (translated), what kind of data; never the data,
    and no file names (a reader knows the record, not its files; the redaction log and the bag name them)."""
    notice_text = (entry.get("notice") or {}).get(language) or ""
    scope = entry["scope"]
    if language != "ko" and re.search("[가-힣]", scope):
        scope = label("redacted_scope_default", language)
    return esc(
        label(
            "redaction_text",
            language,
            decided=_date_text(entry["decided"], language),
            basis=legal_basis(entry["basis"], language),
            scope=scope,
            number=entry["number"],
            requested=_date_text(entry["requested"], language),
            approver=entry["approver"],
            notice=notice_text,
        )
    )


def fixity_block(record: Record, language: str, page: str, entry: dict | None) -> str:
    """The digests of the record's files and the seal that covers them, and how anyone can check."""
    heading = label_html("fixity", language)
    how = label("verify_how", language, bag="{bag}")
    how = esc(how).replace("{bag}", link(page, urls.BAG, urls.BAG))
    if entry is None:
        return f'<section class="sillok-fixity"><h2>{heading}</h2><p>{label_html("not_sealed", language)}</p></section>'
    seal = entry["seal"]
    sealed = esc(label("sealed", language, number=seal["number"], time=seal["time"], hash="{hash}")).replace(
        "{hash}", f"<code>{esc(seal['hash'])}</code>"
    )
    rows = "".join(
        f"<tr><td>{esc(f['file'])}</td><td><code>{esc(f['sha256'])}</code></td><td>{f['ledger_line']}</td></tr>"
        for f in entry["files"]
    )
    table = (
        f'<table><thead><tr><th scope="col">{label_html("file", language)}</th><th scope="col">SHA-256</th>'
        f'<th scope="col">{label_html("ledger_line", language)}</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return (
        f'<section class="sillok-fixity"><h2>{heading}</h2><p>{sealed}</p>{table}<p>{how}</p>'
        f"{verify_control(record, language, page)}</section>"
    )


def verify_control(record: Record, language: str, page: str) -> str:
    """The record's inclusion proof, and a button that checks it in the browser (``assets/verify.js``)."""
    proof = urls.relative(page, proof_path(record.id))
    return (
        f"<p>{link(page, proof_path(record.id), label_html('inclusion_proof', language))}</p>"
        f'<div class="sillok-verify" data-proof="{esc(proof)}" data-root="{esc(urls.relative(page, ""))}" '
        f'data-lang="{esc(language)}" hidden><button type="button" class="md-button">{label_html("verify_button", language)}'
        '</button><p class="sillok-verify-result" role="status" aria-live="polite"></p></div>'
    )


def data_dictionary_page(language: str, dictionary_markdown: str) -> str:
    """The data dictionary (generated from the field schema, in English) as a page of the site."""
    title = label("dictionary", language)
    html_text = markdown.markdown(dictionary_markdown.split("\n", 1)[1], extensions=["tables"], output_format="html")
    lang_attr = ' lang="en"' if language != "en" else ""
    note = f'<p class="sillok-lead">{label_html("dictionary_note", language)}</p>' if language != "en" else ""
    return page_source(title, f"<h1>{esc(title)}</h1>{note}<div{lang_attr}>{html_text}</div>")


def search_page(language: str, base_path: str) -> str:
    """The search page: the box and results of :mod:`sillok.site.search.index`, reading the index of this language."""
    from sillok.site.search.index import SEARCH_TITLE, search_html

    title = SEARCH_TITLE[language]
    return page_source(title, f"<h1>{esc(title)}</h1>\n{search_html(language, base_path)}")


def redaction_log_page(entries: Sequence[dict], records_by_id: dict[str, Record], language: str) -> str:
    """The public redaction log: every redaction, newest first, with a link to its record."""
    page = urls.redactions(language)
    title = label("redaction_log", language)
    items = []
    for entry in reversed(entries):
        record = records_by_id.get(entry["record"])
        name = record_title(record, language) if record else esc(entry["record"])
        items.append(
            f"<li><p>{link(page, urls.record(entry['record'], language), name)}</p><p>{redaction_text(entry, language)}</p></li>"
        )
    body = (
        f'<ol class="sillok-redactions">{"".join(items)}</ol>'
        if items
        else f"<p>{label_html('no_redactions', language)}</p>"
    )
    return page_source(
        title, f'<h1>{esc(title)}</h1><p class="sillok-lead">{label_html("redaction_log_lead", language)}</p>{body}'
    )


def record_page(
    record: Record, language: str, neighbours: Neighbours, settings: SiteSettings, integrity: PublicLedger | None = None
) -> str:
    """The page source of ``record`` in ``language`` (see :func:`record_page_parts`)."""
    return record_page_parts(record, language, neighbours, settings, integrity).source()


def record_page_parts(
    record: Record, language: str, neighbours: Neighbours, settings: SiteSettings, integrity: PublicLedger | None = None
) -> PageParts:
    """The page of ``record`` in ``language``: its text, or a fallback page that says why there is none."""
    page = urls.record(record.id, language)
    attachment_links = {a.file: urls.relative(page, urls.attachment(record.id, a.file)) for a in record.attachments}
    text = record.text(language)
    fixity, redactions = (integrity or PublicLedger()).of(record.id)
    notices = [
        notice("redaction", label("redaction", language), redaction_text(entry, language)) for entry in redactions
    ]
    if record.illustrative:
        notices.append(notice("illustrative", label("notice", language), label_html("illustrative", language)))
    if text is not None:
        notices.append(translation_notice(record, language))
        body_language = language
    else:
        shown = record.text(record.original_language)
        key = "not_archived" if language in record.not_archived else "not_translated"
        available = language_name(shown.language, language)
        notices.append(notice("missing", label("notice", language), esc(label(key, language, available=available))))
        text = shown
        body_language = shown.language
    title, title_language = title_of(record, language)
    lang_attr = f' lang="{body_language}"' if body_language != language else ""
    body_heading = label("text_in", language, language=language_name(body_language, language))
    body = (
        f'<section class="sillok-body"{lang_attr} aria-label="{esc(body_heading)}">'
        f"{mark_redactions(body_html(text.body, attachment_links), language)}</section>"
    )
    h1_attr = f' lang="{title_language}"' if title_language != language else ""
    content = "\n".join(
        filter(
            None,
            [
                breadcrumbs(page, record_trail(record, language), language),
                f'<article class="sillok-record" data-record-id="{esc(record.id)}">',
                language_links(record, language, page),
                f"<h1{h1_attr}>{esc(title)}</h1>",
                *notices,
                metadata_block(record, language, page, settings),
                body,
                attachments_block(record, language, page),
                fixity_block(record, language, page, fixity),
                citation_block(record, language, settings),
                neighbours_block(neighbours, language, page),
                "</article>",
            ],
        )
    )
    summary = text.summary if text.language == language else None
    return PageParts(title, page_body(content), summary, record_head(record, language, settings))


# --------------------------------------------------------------------------- indexes


def record_list(records: Iterable[Record], language: str, page: str, *, office: bool = True) -> str:
    """A list of records: title, date, type and (unless the page is an office's) the office."""
    items = []
    for record in records:

        def make(link_html: str, record: Record = record) -> str:
            facts = [
                f'<time datetime="{record.date.isoformat()}">{esc(format_date(record.date, language))}</time>',
                esc(type_name(record.type, language)),
            ]
            if office:
                facts.append(esc(record.office.name(language)))
            only = label("only_in", language, language=language_name(record.original_language, language))
            missing = "" if record.text(language) else f' <span class="sillok-tag">{esc(only)}</span>'
            return f'<li>{link_html}{missing}<br><span class="sillok-facts">{" · ".join(facts)}</span></li>'

        items.append(_row(record, language, page, ("list", office), make))
    if not items:
        return f'<p class="sillok-empty">{label_html("no_records", language)}</p>'
    return f'<ul class="sillok-list">{"".join(items)}</ul>'


def count_list(entries: Sequence[tuple[str, str, int]], language: str, page: str, *, written: bool = False) -> str:
    """A list of links with counts: ``(target url, text, count)``; ``written``: the texts are kept as recorded (tags)
    and marked Korean on an English page."""
    if not entries:
        return f'<p class="sillok-empty">{label_html("no_records", language)}</p>'
    text_of = (lambda text: as_written(text, language)) if written else esc
    items = "".join(
        f'<li>{link(page, target, text_of(text))} <span class="sillok-count">({esc(format_count(count, language))})</span></li>'
        for target, text, count in entries
    )
    return f'<ul class="sillok-counts">{items}</ul>'


def open_data_section(language: str, page: str) -> str:
    """Links to the feed and the bulk downloads in this language (written by :mod:`sillok.site.sitefiles`)."""
    items = [link(page, urls.feed_path(language), label_html("feed", language))]
    items += [link(page, urls.dataset_path(language, name), esc(name)) for name in urls.DATASET_NAMES]
    items += [
        link(page, urls.data_dictionary(language), label_html("dictionary", language)),
        link(page, urls.SCHEMA_PATH, "JSON Schema"),
    ]
    return section(label_html("open_data", language), "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def index_page(
    title: str, language: str, sections: Sequence[str], *, lead: str = "", heading: str | None = None
) -> str:
    """An index page; ``heading`` is the h1 as HTML when it needs more than the escaped title (a Korean tag on an English page)."""
    lead_html = f'<p class="sillok-lead">{lead}</p>' if lead else ""
    return page_source(title, f"<h1>{heading or esc(title)}</h1>{lead_html}" + "".join(sections))


def breadcrumbs(page: str, trail: Sequence[tuple[str | None, str]], language: str) -> str:
    """Where a page sits: ``trail`` is ``(url, text)`` from the home page down, the page itself last (url None)."""
    items = []
    for target, text in trail:
        if target is None or target == page:
            items.append(f'<li aria-current="page">{text}</li>')
        else:
            items.append(f"<li>{link(page, target, text)}</li>")
    return f'<nav class="sillok-breadcrumbs" aria-label="{label_html("breadcrumbs", language)}"><ol>{"".join(items)}</ol></nav>'


def record_trail(record: Record, language: str) -> list[tuple[str | None, str]]:
    """Home › Browse › year › month › the record."""
    year, month = record.year, record.date.month
    return [
        (urls.home(language), label_html("home", language)),
        (urls.browse(language), label_html("browse", language)),
        (urls.by_date(language, year), esc(label("year", language, year=year))),
        (urls.by_date(language, year, month), esc(format_month(year, month, language))),
        (None, record_title(record, language)),  # escaped (and marked with its language) once, there
    ]


def board_table(records: Sequence[Record], numbers: Sequence[int], language: str, page: str) -> str:
    """The board's rows: number, title, office, writer, date, type (the Presidential Archives' board, with office and type)."""
    head = "".join(
        f'<th scope="col">{label_html(key, language)}</th>'
        for key in ("number", "title", "office", "writer", "date", "type")
    )
    # on a phone a row is a block, and each cell shows its column's name (data-label, through CSS)
    office, writer, date, kind = (label_html(key, language) for key in ("office", "writer_short", "date", "type"))
    rows = []
    for number, record in zip(numbers, records, strict=True):

        def make(link_html: str, record: Record = record) -> str:
            only = (
                ""
                if record.text(language)
                else (
                    f' <span class="sillok-tag">{esc(label("only_in", language, language=language_name(record.original_language, language)))}</span>'
                )
            )
            return (
                f"{link_html}{only}</td>"
                f'<td data-label="{office}">{esc(record.office.name(language))}</td>'
                f'<td data-label="{writer}">{as_written(record.writer, language) if record.writer else ""}</td>'
                f'<td data-label="{date}"><time datetime="{record.date.isoformat()}">{esc(format_date(record.date, language, weekday=False))}</time></td>'
                f'<td data-label="{kind}">{esc(type_name(record.type, language))}</td></tr>'
            )

        rows.append(f"<tr><td>{number}</td><td>{_row(record, language, page, ('board',), make)}")
    return (
        f'<div class="sillok-board"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def pager(page: str, number: int, pages: int, url_of, language: str) -> str:
    """Links to the first, last, previous, next and nearby pages: bounded, however many pages there are."""
    if pages <= 1:
        return ""
    shown = sorted({1, pages, *range(max(1, number - 3), min(pages, number + 3) + 1)})
    items = []
    if number > 1:
        items.append(f"<li>{link(page, url_of(number - 1), label_html('previous_page', language), rel='prev')}</li>")
    last = 0
    for n in shown:
        if n > last + 1:
            items.append('<li aria-hidden="true">…</li>')
        items.append(
            f'<li aria-current="page">{n}</li>' if n == number else f"<li>{link(page, url_of(n), str(n))}</li>"
        )
        last = n
    if number < pages:
        items.append(f"<li>{link(page, url_of(number + 1), label_html('next_page', language), rel='next')}</li>")
    return f'<nav class="sillok-pager" aria-label="{label_html("pages", language)}"><ul>{"".join(items)}</ul></nav>'


def section(heading: str, content: str, *, level: int = 2, id: str | None = None) -> str:
    id_attr = f' id="{esc(id)}"' if id else ""
    return f"<section><h{level}{id_attr}>{heading}</h{level}>{content}</section>"
