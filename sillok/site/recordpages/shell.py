"""Page shells: a record page rendered once by MkDocs with markers, then filled per record by string joins.

A shell is a record page whose title, description, head, body and id are markers. Where a marker
lands in the rendered page, the theme printed that value; the text between markers is the same for
every record page of that language and kind. The theme may print a value through a filter
(Material prints the title ``| striptags`` in ``<title>``), so each shell is rendered twice: once with
plain markers and once with a probe holding markup, quotes and spaces; comparing the two tells which
filter each slot applies. A slot whose filter is not one of :data:`TRANSFORMS`, or a marker that
survives filling, raises :class:`ShellUnsupported`, and the build renders record pages through MkDocs.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from sillok.errors import ProblemsFound
from sillok.site import urls
from sillok.site.render import PageParts, page_body

PREFIX = "0sillokshell"
"""Shell page ids start with this: record ids start with a date, so they never collide, and shells sort
before every record, where MkDocs lists record pages (its sitemap order is kept)."""
MARKS = {
    "title": "SILLOKSHELLTITLE",
    "description": "SILLOKSHELLDESCRIPTION",
    "head": "SILLOKSHELLHEAD",
    "body": "SILLOKSHELLBODY",
}
PROBE = ' <i class="p">&amp; "q" \'a\'</i>  z'
"""Appended to every marker in the probe shell: each filter in :data:`TRANSFORMS` prints it differently."""
VARIANTS = range(4)
"""Bit 0: the page has a description; bit 1: it has a head (both change which template branches run)."""

TRANSFORMS: dict[str, Callable[[str], str]] = {
    "raw": lambda value: value,
    "escape": lambda value: str(escape(value)),
    "striptags": lambda value: Markup(value).striptags(),
    "striptags|escape": lambda value: str(escape(Markup(value).striptags())),
}
"""How a Jinja template may print a page value: as is, ``| e``, ``| striptags``, or both."""


class ShellUnsupported(ProblemsFound):
    """The theme prints a page value in a way a shell cannot reproduce: the build renders record pages through
    MkDocs instead (this is caught there and never reaches the user as a refusal)."""


def variant(parts: PageParts) -> int:
    return (1 if parts.description else 0) | (2 if parts.head else 0)


def shell_id(kind: int, probe: bool, depth: int = 1) -> str:
    """The path under ``records/`` of a shell: one folder for record pages (depth 1), more for deeper index pages.

    Every folder of the path holds :data:`PREFIX`, so a theme that prints only part of a page's path
    leaves a marker in the shell, which :func:`parse` refuses.
    """
    first = f"{PREFIX}{'b' if probe else 'a'}{kind}"
    return first if depth == 1 else first + f"d{depth}" + f"/{PREFIX}x" * (depth - 1)


def shell_parts(kind: int, probe: bool) -> PageParts:
    """The page values of a shell: markers (or markers with :data:`PROBE`) in place of a record's."""
    tail = PROBE if probe else ""
    return PageParts(
        title=MARKS["title"] + tail,
        body=page_body(f"<h1>{MARKS['body']}{tail}</h1>"),  # an <h1>, like every record page: the theme adds none
        description=MARKS["description"] + tail if kind & 1 else None,
        head=MARKS["head"] + tail if kind & 2 else None,
    )


RECORD_SHELLS = tuple((1, kind) for kind in VARIANTS)
"""(depth, kind) of the shells of record pages (``records/<id>/``)."""


def shell_sources(needed: Iterable[tuple[int, int]] = RECORD_SHELLS) -> dict[str, str]:
    """The page source of each shell of ``needed`` (depth, kind), by path under docs/records/, in every language."""
    from sillok.record.schema import LANGUAGES

    sources = {}
    for language in LANGUAGES:
        for depth, kind in sorted(set(needed)):
            for probe in (False, True):
                url = urls.record(shell_id(kind, probe, depth), language)
                path = urls.source(url, language).removeprefix(urls.RECORDS + "/")
                sources[path] = shell_parts(kind, probe).source()
    return sources


def _values(kind: int, probe: bool, depth: int) -> dict[str, str]:
    """What the theme sees of a shell (``page.meta`` values, content, path), by field."""
    parts = shell_parts(kind, probe)
    values = {field: value for field, value in parts.meta().items() if value is not None}
    return values | {"body": parts.body, "id": shell_id(kind, probe, depth)}


@dataclass(frozen=True)
class Shell:
    """The text of a record page between its values, and how each slot prints its value."""

    segments: tuple[str, ...]
    slots: tuple[tuple[str, str], ...]
    """(field, transform) per slot; field is title, description, head, body, id (the page's path under records/)
    or ``link:<url>``, a relative link the theme prints to a page under ``records/`` (:func:`_link_slots`)."""
    root: str = ""
    """The shell's language root (``""`` or ``en/``): a page's URL is ``<root>records/<path>/``."""

    def fill(self, path: str, parts: PageParts) -> str:
        """The page at ``records/<path>/`` (a record's id, or an index page's folders) made of ``parts``."""
        return self.fill_values(path, parts.meta(), parts.body)

    def fill_values(self, path: str, meta: dict[str, str | None], body: str) -> str:
        """The page from its ``page.meta`` values (title, description, head as the theme sees them) and body."""
        values = {field: value or "" for field, value in meta.items()}
        values["body"] = body
        values["id"] = path
        url = f"{self.root}{urls.RECORDS}/{path}/"
        segments = self.segments
        out = [segments[0]]
        for number, (target, field, transform) in enumerate(self._plan, 1):
            if target is not None:
                out.append(urls.relative(url, target))  # as MkDocs' ``url`` filter prints it
            elif transform is None:
                out.append(values[field])
            else:
                out.append(transform(values[field]))
            out.append(segments[number])
        return "".join(out)

    @functools.cached_property
    def _plan(self) -> tuple[tuple[str | None, str, Callable[[str], str] | None], ...]:
        """Per slot: the target of a link slot (else None), the field, and its transform (None: printed raw)."""
        if len(self.segments) != len(self.slots) + 1:
            raise ValueError(f"a shell has {len(self.segments)} segments around {len(self.slots)} slots")
        return tuple(
            (field[5:], field, None)
            if field.startswith("link:")
            else (None, field, None if transform == "raw" else TRANSFORMS[transform])
            for field, transform in self.slots
        )

    def digest(self) -> str:
        return hashlib.sha256(repr((self.segments, self.slots, self.root)).encode("utf-8")).hexdigest()


_RELATIVE_LINK = re.compile(r'(?:(?<=href=")|(?<=src=")|(?<=action="))(?:\.\.?/[^"]*|\.\.?)(?=")')


def _link_slots(shell: Shell, url: str, roots: list[str]) -> Shell:
    """Make every relative link of the theme to a page under ``records/`` a slot computed per page.

    A relative link depends on the folders a page shares with its target (from ``records/date/2021/``
    to ``records/date/`` is ``../``), not only on its depth; every other link (assets, the home page,
    hand-written pages) is the same for every page of the shell's depth and stays text.
    """
    segments: list[str] = []
    slots: list[tuple[str, str]] = []
    current = ""

    def split(text: str) -> None:
        nonlocal current
        position = 0
        for match in _RELATIVE_LINK.finditer(text):
            target = posixpath.normpath(posixpath.join(url, match.group()))
            target = "" if target == "." else target + "/"
            if target == url or not any(target.startswith(f"{root}{urls.RECORDS}/") for root in roots):
                continue
            segments.append(current + text[position : match.start()])
            slots.append((f"link:{target}", "raw"))
            current, position = "", match.end()
        current += text[position:]

    split(shell.segments[0])
    for slot, segment in zip(shell.slots, shell.segments[1:], strict=True):
        segments.append(current)
        current = ""
        slots.append(slot)
        split(segment)
    segments.append(current)
    return Shell(tuple(segments), tuple(slots), shell.root)


def parse(marked: str, probed: str, kind: int, depth: int = 1, language: str | None = None) -> Shell:
    """The shell of ``kind`` from its page rendered with markers (``marked``) and with probes (``probed``).

    With ``language``, the theme's relative links to pages under ``records/`` become slots (:func:`_link_slots`).
    """
    values, probes = _values(kind, False, depth), _values(kind, True, depth)
    field_of = {value: field for field, value in values.items()}
    pattern = re.compile("|".join(re.escape(v) for v in sorted(field_of, key=len, reverse=True)))
    segments, fields, position = [], [], 0
    for match in pattern.finditer(marked):
        segments.append(marked[position : match.start()])
        fields.append(field_of[match.group()])
        position = match.end()
    segments.append(marked[position:])
    left = [s for s in segments if "sillokshell" in s.lower() or "SILLOKS" in s]  # a value cut short
    if left:
        raise ShellUnsupported(f"the theme prints a record page value in a form a shell cannot fill: {left[0][:120]!r}")
    if not marked.count(values["body"]) == 1:
        raise ShellUnsupported("the theme does not print a record page's content exactly once")
    slots = []
    at = len(segments[0])
    if not probed.startswith(segments[0]):
        raise ShellUnsupported("the probe shell differs from the marked shell before its first value")
    for field, segment in zip(fields, segments[1:], strict=True):
        for name, transform in TRANSFORMS.items():
            printed = transform(probes[field])
            if probed.startswith(printed, at) and probed.startswith(segment, at + len(printed)):
                slots.append((field, name))
                at += len(printed) + len(segment)
                break
        else:
            raise ShellUnsupported(f"the theme prints the record page's {field} through a filter sillok does not know")
    if at != len(probed):
        raise ShellUnsupported("the probe shell has text the marked shell has not")
    shell = Shell(tuple(segments), tuple(slots))
    if language is None:
        return shell
    from sillok.record.schema import LANGUAGES

    root = urls.root(language)
    shell = Shell(shell.segments, shell.slots, root)
    return _link_slots(
        shell, f"{root}{urls.RECORDS}/{shell_id(kind, False, depth)}/", [urls.root(lang) for lang in LANGUAGES]
    )
