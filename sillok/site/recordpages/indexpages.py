"""Index pages (board, by date, type and office, tags, the redaction log …) filled into shells like record pages.

MkDocs with Material spends about 5 ms on each page, and an archive has about one index page per
record (a month, a type's year, an office's year, a board page). Every generated page differs from
a record page of the same depth only in its title, content and path, so :func:`split` takes every
page of the plan that a shell can render out of what MkDocs builds, and names the shells they need
(one per language, depth below ``records/`` and kind). Which pages, decided from the page alone,
never from a list of kinds:

- a page of the plan in every language, whose source is the front matter sillok writes and one
  block of generated HTML (:data:`~sillok.site.render.GENERATED_MARK`), which the sillok plugin hands
  to the theme unchanged, so no Markdown extension touches it;
- not in ``nav`` (a page in the navigation has an active entry and previous/next links), not a
  folder's ``index`` page, and with a path that URLs print as is (letters, digits, ``-``, ``_``, ``.``).

Anything else stays a file in ``docs/records/`` and MkDocs renders it, as before. A page a shell
renders leaves a :data:`STUB` there if a hand-written page links to it (:func:`linked_pages`): the
sillok plugin marks the stub excluded, so MkDocs still resolves and checks the link
(``records/board.md``) but never renders the page. Only linked pages get one: MkDocs and
mkdocs-static-i18n spend about a millisecond on every file under ``docs/`` (2,500 stubs at 10,000
records cost two seconds on every build), and a hand-written page links to a few.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import yaml

from sillok.record.schema import LANGUAGES
from sillok.site import urls
from sillok.site.recordpages.shell import PREFIX, RECORD_SHELLS, shell_sources
from sillok.site.render import GENERATED_MARK

_STRING = r'"(?:[^"\\\n]|\\.)*"'
_FRONT = re.compile(
    rf"---\ntitle: ({_STRING})\n(?:description: ({_STRING})\n)?(?:sillok_head: ({_STRING})\n)?hide:\n  - toc\n---\n\n"
)
STUB = "<!-- sillok build fills this page into a shell after MkDocs (sillok/site/recordpages/indexpages.py) -->\n"
"""What ``docs/records/`` holds for a page a shell renders: MkDocs must know the file (hand-written pages
link to it, and links are checked), but excludes it from the build (:data:`FILLED_ENV`)."""
FILLED_ENV = "SILLOK_FILLED_PAGES"
"""Names a JSON list of the sources under docs/ that the sillok plugin marks excluded (the stubs: see :func:`split`)."""
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
"""A path MkDocs prints the same in a URL and in the page (no percent-encoding)."""


@dataclass(frozen=True)
class IndexPage:
    """A generated page a shell renders: ``records/<path>/`` in ``language``.

    Its source is not held in memory (an archive has about one index page per record): it lies in the
    spool file that :func:`split` wrote, ``length`` bytes from ``offset``, the body ``header`` bytes in.
    """

    language: str
    path: str
    meta: dict[str, str | None]
    """title, description and head as the theme sees them (``page.meta``)."""
    digest: str
    """SHA-256 of the page's source as planned: its cache key (with the shells' salt)."""
    spool: str
    offset: int
    length: int
    header: int

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1

    @property
    def kind(self) -> int:
        return (1 if self.meta["description"] else 0) | (2 if self.meta["head"] else 0)

    @property
    def file(self) -> str:
        """The built file, relative to the site folder."""
        return f"{urls.root(self.language)}{urls.RECORDS}/{self.path}/index.html"

    def read(self, spool: BinaryIO | None = None) -> bytes:
        """The page's source, from ``spool`` (the open spool file) or by opening it."""
        if spool is None:
            with open(self.spool, "rb") as handle:
                return self.read(handle)
        spool.seek(self.offset)
        return spool.read(self.length)

    def body(self, spool: BinaryIO | None = None) -> str:
        """The page's body (its source after the front matter)."""
        return self.read(spool)[self.header :].decode("utf-8")


def read_nav(mkdocs_yml: Path) -> set[str]:
    """The pages named in ``nav`` of mkdocs.yml, as paths under docs/ (``records/date.md``)."""
    from sillok.site.settings import _TolerantLoader  # mkdocs.yml's !ENV tags, read safely

    try:
        config = yaml.load(mkdocs_yml.read_text("utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError):
        return set()
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config.get("nav") if isinstance(config, dict) else None)
    return found


def parse_page(relative: str, source: str) -> tuple[str, str, dict[str, str | None], int] | None:
    """``(language, path, meta, where the body starts)`` of the page planned at ``relative`` (under
    docs/records/) if a shell can render it, else None."""
    for language in LANGUAGES:
        if relative.endswith(f".{language}.md"):
            path = relative.removesuffix(f".{language}.md")
            break
    else:
        return None
    if path.startswith(PREFIX) or path == "index" or path.endswith("/index") or not _PLAIN_PATH.fullmatch(path):
        return None
    match = _FRONT.match(source)
    if match is None or not source.startswith(GENERATED_MARK, match.end()):
        return None
    title, description, head = (json.loads(value) if value else None for value in match.groups())
    meta = {"title": title, "description": description or None, "head": head or None}
    lines = [
        f"{name}: {json.dumps(meta[field], ensure_ascii=False)}\n"
        for name, field in (("title", "title"), ("description", "description"), ("sillok_head", "head"))
        if meta[field]
    ]
    if source[: match.end()] != "---\n" + "".join(lines) + "hide:\n  - toc\n---\n\n":
        return None  # not exactly what sillok writes: MkDocs reads it
    return language, path, meta, match.end()


SPOOL = "index-pages.spool"
"""The file in the build cache folder that holds the sources of the index pages a shell renders."""


_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)
"""The target of a Markdown link, inline ``[text](target)`` or a reference definition ``[name]: target``."""


def linked_pages(docs: Path) -> set[str]:
    """The pages under ``records/`` that hand-written Markdown under ``docs`` links to, as paths below
    ``records/`` without suffix (``board``, ``date/2021``): the filled pages that need a :data:`STUB`.

    Generous on purpose: a link in a code block counts too (an extra stub costs a millisecond; a
    missing one would make MkDocs refuse a link to a page the archive has)."""
    found: set[str] = set()
    generated = docs / urls.RECORDS
    for dirpath, dirnames, filenames in os.walk(docs):
        if Path(dirpath) == docs:
            dirnames[:] = [d for d in dirnames if d != urls.RECORDS]
        folder = Path(dirpath).relative_to(docs).as_posix()
        for name in filenames:
            if not name.endswith(".md") or Path(dirpath, name).is_relative_to(generated):
                continue
            try:
                text = Path(dirpath, name).read_text("utf-8", errors="replace")
            except OSError:
                continue
            for match in _LINK_TARGET.finditer(text):
                target = (match.group(1) or match.group(2)).split("#", 1)[0].split("?", 1)[0]
                if not target or ":" in target or target.startswith("/"):
                    continue
                path = posixpath.normpath(posixpath.join("" if folder == "." else folder, target))
                if not path.startswith(f"{urls.RECORDS}/"):
                    continue
                path = path.removeprefix(f"{urls.RECORDS}/").removesuffix(".md")
                for language in LANGUAGES:
                    path = path.removesuffix(f".{language}")
                found.add(path)
                found.add(path.removesuffix("/index"))
    return found


def split(
    planned: Iterable[tuple[str, str]], nav: set[str], spool: Path, linked: set[str] | None = None
) -> tuple[dict[str, str], list[IndexPage], set[tuple[int, int]]]:
    """Take the pages a shell can render out of the ``planned`` pages (``(path, source)``, as
    :func:`~sillok.site.pages.plan_pages` gives them) into the ``spool`` file, leaving a :data:`STUB`
    for each that a hand-written page links to (``linked``, from :func:`linked_pages`; all when None).

    Returns every other page with the stubs and the shell sources (by path under docs/records/), those
    pages (in plan order) and the (depth, kind) of every shell now in the plan. A page is held in
    memory only while it is written: the sources of an archive's index pages never are all at once.
    """
    found: dict[str, dict[str, IndexPage]] = {}
    others: dict[str, str] = {}
    spool.parent.mkdir(parents=True, exist_ok=True)
    with open(spool, "wb") as out:
        for relative, source in planned:
            parsed = parse_page(relative, source)
            if parsed is None or f"{urls.RECORDS}/{parsed[1]}.md" in nav or f"{urls.RECORDS}/{relative}" in nav:
                others[relative] = source
                continue
            language, path, meta, end = parsed
            data = source.encode("utf-8")
            header = len(source[:end].encode("utf-8"))
            digest = hashlib.sha256(data).hexdigest()
            found.setdefault(path, {})[language] = IndexPage(
                language, path, meta, digest, str(spool), out.tell(), len(data), header
            )
            out.write(data)
    pages = []
    with open(spool, "rb") as handle:
        for by_language in found.values():
            if len(by_language) == len(LANGUAGES):
                pages += by_language.values()
            else:  # not in every language: MkDocs renders it
                for page in by_language.values():
                    others[f"{page.path}.{page.language}.md"] = page.read(handle).decode("utf-8")
    for page in pages:
        if linked is None or page.path in linked:
            others[f"{page.path}.{page.language}.md"] = STUB
    needed = {(page.depth, page.kind) for page in pages}
    others.update(shell_sources(needed - set(RECORD_SHELLS)))
    return others, pages, needed | set(RECORD_SHELLS)
