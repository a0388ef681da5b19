"""Write every record page into a site MkDocs has just built: shells filled in worker processes, cache reused.

:func:`write_record_pages` reads the shells MkDocs rendered (and removes them, with their sitemap
entries), then for each record and language either links the previous build's page (its key in the
build cache is unchanged) or renders it: :func:`~sillok.site.render.record_page_parts` filled into
the shell of its language and kind. Records are sent to the workers in chunks and each page is
written as soon as it is made, so memory holds one chunk's pages, not the archive's.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES
from sillok.site import urls
from sillok.site.headers import refuse_inline_scripts
from sillok.site.integrity import PublicLedger
from sillok.site.recordpages import cache
from sillok.site.recordpages.shell import PREFIX, VARIANTS, Shell, parse, shell_id, variant
from sillok.site.render import Neighbours, record_page_parts
from sillok.site.settings import SiteSettings

PARALLEL_FROM = 64
"""Fewer pages to render than this are rendered in this process (starting workers costs more)."""
CHUNK = 100
"""Records per task sent to a worker."""


@dataclass
class Report:
    rendered: int = 0
    reused: int = 0
    salt: str = ""
    shells: dict[tuple[str, int], Shell] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """Each page's cache key: saved by the build once the site is in place (:func:`cache.save`)."""

    def summary(self) -> str:
        return f"{self.rendered} record pages rendered, {self.reused} reused"


def page_file(record_id: str, language: str) -> str:
    """The built file of a record page, relative to the site folder."""
    return urls.record(record_id, language) + "index.html"


def read_shells(site_dir: Path) -> dict[tuple[str, int], Shell]:
    """Parse every shell MkDocs rendered, then delete the shell pages and their sitemap entries."""
    shells = {}
    for language in LANGUAGES:
        for kind in VARIANTS:
            marked = (site_dir / page_file(shell_id(kind, False), language)).read_text("utf-8")
            probed = (site_dir / page_file(shell_id(kind, True), language)).read_text("utf-8")
            shells[(language, kind)] = parse(marked, probed, kind)
    for language in LANGUAGES:
        for kind in VARIANTS:
            for probe in (False, True):
                shutil.rmtree(site_dir / page_file(shell_id(kind, probe), language).removesuffix("index.html"))
    return shells


_URL_BLOCK = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)


def fix_sitemaps(site_dir: Path, record_ids: list[str]) -> None:
    """List every record page in the sitemaps where MkDocs listed the shells (one entry per record)."""
    template_id = shell_id(0, False)
    for sitemap in [site_dir / "sitemap.xml", *(site_dir / lang / "sitemap.xml" for lang in LANGUAGES)]:
        if not sitemap.is_file():
            continue
        text = sitemap.read_text("utf-8")
        blocks = [m for m in _URL_BLOCK.finditer(text) if f"/{PREFIX}" in m.group()]
        if not blocks:
            continue
        out, position = [], 0
        for match in blocks:  # each language's entry of the first shell becomes every record's; other shells go
            out.append(text[position : match.start()])
            if f"/{template_id}/" in match.group():
                out.extend(match.group().replace(template_id, record_id) for record_id in record_ids)
            position = match.end()
        out.append(text[position:])
        data = "".join(out)
        sitemap.write_text(data, "utf-8")
        packed = sitemap.with_name("sitemap.xml.gz")
        if packed.exists():  # keep the time MkDocs stamped (SOURCE_DATE_EPOCH in a reproducible build)
            stamp = int.from_bytes(packed.read_bytes()[4:8], "little")
            packed.write_bytes(gzip.compress(data.encode("utf-8"), mtime=stamp))


_STATE: dict = {}


def _start(state: dict) -> None:
    _STATE.clear()
    _STATE.update(state)


def _render(items: list[tuple[Record, Neighbours]]) -> int:
    """Render and write the pages of ``items`` (in a worker, or in this process); returns pages written."""
    shells, settings, integrity, site_dir = _STATE["shells"], _STATE["settings"], _STATE["integrity"], _STATE["site"]
    written = 0
    for record, neighbours in items:
        for language in LANGUAGES:
            parts = record_page_parts(record, language, neighbours, settings, integrity)
            html = shells[(language, variant(parts))].fill(record.id, parts)
            relative = page_file(record.id, language)
            refuse_inline_scripts(relative, html)  # checked here, in memory: the build does not read it back
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # it may be a link to the previous build's page: never write through it
            target.write_text(html, "utf-8")
            written += 1
    return written


def render_pages(
    items: list[tuple[Record, Neighbours]],
    shells: dict[tuple[str, int], Shell],
    site_dir: Path,
    settings: SiteSettings,
    integrity: PublicLedger,
) -> int:
    """Render and write the pages of ``items`` in this process (the preview's fast path)."""
    _start({"shells": shells, "settings": settings, "integrity": integrity, "site": site_dir})
    return _render(items)


def shells_as_json(shells: dict[tuple[str, int], Shell]) -> dict:
    return {
        f"{language}/{kind}": [list(s.segments), [list(slot) for slot in s.slots]]
        for (language, kind), s in shells.items()
    }


def shells_from_json(data: dict) -> dict[tuple[str, int], Shell]:
    shells = {}
    for key, (segments, slots) in data.items():
        language, kind = key.split("/")
        shells[(language, int(kind))] = Shell(tuple(segments), tuple(tuple(slot) for slot in slots))
    return shells


def _reuse(previous: Path, site_dir: Path, relative: str) -> bool:
    source, target = previous / relative, site_dir / relative
    if not source.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # pages are never changed after they are written: sharing the file is safe
    except OSError:
        shutil.copyfile(source, target)
    return True


def write_record_pages(
    ordered: list[Record],
    site_dir: Path,
    settings: SiteSettings,
    integrity: PublicLedger,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    previous: Path | None = None,
    only: Callable[[Record], bool] | None = None,
    known: Callable[[str], dict[str, str]] | None = None,
) -> Report:
    """Write the page of every record (sorted by :meth:`Record.sort_key`) in every language into ``site_dir``.

    With ``cache_dir`` and ``previous`` (the last build's site), a page whose key is unchanged is
    linked from ``previous`` instead of rendered. The cache is forgotten here; the caller saves the
    report's keys once this site has replaced ``previous``. A sharded build
    (:mod:`sillok.site.output.shards`) writes ``only`` some records' pages (their neighbours are
    still the whole archive's) and gives the ``known`` keys of ``previous`` for this build's salt.
    """
    shells = read_shells(site_dir)
    fix_sitemaps(site_dir, sorted(record.id for record in ordered))
    salt = cache.salt(repr(settings), *(f"{k}:{s.digest()}" for k, s in sorted(shells.items())))
    load = known or (lambda salt: cache.load(cache_dir, salt))
    known_keys = load(salt) if previous is not None and previous.is_dir() else {}
    report, todo = Report(salt=salt, shells=shells), []
    keys = report.keys
    for number, record in enumerate(ordered):
        if only is not None and not only(record):
            continue
        neighbours = Neighbours(
            ordered[number - 1] if number else None, ordered[number + 1] if number + 1 < len(ordered) else None
        )
        key = cache.page_key(salt, record, neighbours, integrity.of(record.id), root=record.path.parent.parent)
        files = [page_file(record.id, language) for language in LANGUAGES]
        keys.update(dict.fromkeys(files, key))
        if (
            known_keys
            and all(known_keys.get(f) == key for f in files)
            and all(_reuse(previous, site_dir, f) for f in files)
        ):
            report.reused += len(files)
        else:
            todo.append((record, neighbours))
    cache.forget(cache_dir)  # until this build's pages are all written
    state = {"shells": shells, "settings": settings, "integrity": integrity, "site": site_dir}
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(todo) >= PARALLEL_FROM:
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start, initargs=(state,)) as pool:
            report.rendered = sum(pool.map(_render, chunks))
    else:
        _start(state)
        report.rendered = _render(todo)
    return report
