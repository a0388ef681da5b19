"""Write every record page into a site MkDocs has just built: shells filled in worker processes, cache reused.

:func:`write_record_pages` reads the shells MkDocs rendered (and removes them, with their sitemap
entries), then for each record and language either links the previous build's page (its key in the
build cache is unchanged) or renders it: :func:`~sillok.site.render.record_page_parts` filled into
the shell of its language and kind. Records are sent to the workers in chunks and each page is
written as soon as it is made, so memory holds one chunk's pages, not the archive's.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from sillok.record.model import Record
from sillok.record.schema import LANGUAGES
from sillok.site import urls
from sillok.site.headers import refuse_inline_scripts
from sillok.site.integrity import PublicLedger
from sillok.site.output.forked import clean_context, die_with_parent
from sillok.site.recordpages import cache
from sillok.site.recordpages.indexpages import IndexPage
from sillok.site.recordpages.shell import PREFIX, RECORD_SHELLS, Shell, parse, shell_id, variant
from sillok.site.render import Neighbours, record_page_parts
from sillok.site.settings import SiteSettings

PARALLEL_FROM = 64
"""Fewer pages to render than this are rendered in this process (starting workers costs more)."""
CLEAN_FROM = 2000
"""From this many records to render, the workers start clean (:func:`~sillok.site.output.forked.clean_context`:
a second to start, nothing of the build's heap copied); fewer (an incremental build) are forked from the build
(started at once, and copying little in a short job)."""
CHUNK = 100
"""Records per task sent to a worker."""
INDEX_CHUNK = 200
"""Index pages per task sent to a worker (filling one is a string join: cheaper than a record page)."""


@dataclass
class Report:
    rendered: int = 0
    reused: int = 0
    index_rendered: int = 0
    index_reused: int = 0
    salt: str = ""
    shells: dict[tuple[str, int], Shell] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """Each page's cache key: saved by the build once the site is in place (:func:`cache.save`)."""
    previous: dict[str, str] = field(default_factory=dict)
    """The keys of the previous site's pages (what :func:`sillok.site.output.spare.keep` keeps of it)."""
    kept: int = 0
    """Pages of the spare site left in place (:mod:`sillok.site.output.spare`): neither written nor linked."""

    def summary(self) -> str:
        return (
            f"{self.rendered} record pages rendered, {self.reused} reused; "
            f"{self.index_rendered} index pages rendered, {self.index_reused} reused"
            + (f"; {self.kept} pages left in place" if self.kept else "")
        )


def page_file(record_id: str, language: str) -> str:
    """The built file of a record page, relative to the site folder."""
    return urls.record(record_id, language) + "index.html"


def read_shells(site_dir: Path, needed: Iterable[tuple[int, int]] = RECORD_SHELLS) -> dict[tuple[str, int, int], Shell]:
    """Parse every shell MkDocs rendered, by (language, depth, kind), then delete the shell pages."""
    shells = {}
    for language in LANGUAGES:
        for depth, kind in sorted(set(needed)):
            marked = (site_dir / page_file(shell_id(kind, False, depth), language)).read_text("utf-8")
            probed = (site_dir / page_file(shell_id(kind, True, depth), language)).read_text("utf-8")
            shells[(language, depth, kind)] = parse(marked, probed, kind, depth, language)
    for language in LANGUAGES:
        for depth, kind in sorted(set(needed)):
            for probe in (False, True):
                top = shell_id(kind, probe, depth).split("/")[0]
                shutil.rmtree(site_dir / urls.record(top, language))
    return shells


_URL_BLOCK = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def _walk_key(source: str) -> tuple:
    """Where MkDocs lists the page of ``source`` (under docs/records/): the order it walks docs/ in,
    each folder's files first (sorted, ``index`` and ``README`` first), then its folders (sorted)."""
    parts = source.split("/")
    name = parts[-1]
    stem = name.rsplit(".", 1)[0]
    return (*((1, part) for part in parts[:-1]), (0, (stem not in ("index", "README"), name)))


def fix_sitemaps(site_dir: Path, filled: dict[str, list[str]]) -> dict[str, str]:
    """List every page filled into a shell in the sitemaps, where MkDocs would have listed it.

    ``filled`` names those pages by language, as paths under ``records/`` (a record's id, an index
    page's folders). The shells' entries go; each language's entries under ``records/`` are put in
    the order MkDocs lists pages (:func:`_walk_key`), the new ones made from the first shell's entry.
    Returns the path of the last page MkDocs would have rendered, by language (:func:`fix_404`).
    """
    template_id = shell_id(0, False)
    last: dict[str, str] = {}
    for sitemap in [site_dir / "sitemap.xml", *(site_dir / lang / "sitemap.xml" for lang in LANGUAGES)]:
        if not sitemap.is_file():
            continue
        text = sitemap.read_text("utf-8")
        blocks = list(_URL_BLOCK.finditer(text))
        locs = [(_LOC.search(m.group()) or [None, ""])[1] for m in blocks]
        templates = sorted(
            (loc.removesuffix(f"{urls.RECORDS}/{template_id}/"), n)
            for n, loc in enumerate(locs)
            if loc.endswith(f"/{urls.RECORDS}/{template_id}/")
        )
        if not templates:
            continue
        base = min(prefix for prefix, _ in templates)
        runs = []
        for language in LANGUAGES:
            prefix = base + urls.root(language) + urls.RECORDS + "/"
            template = next((blocks[n].group() for p, n in templates if p + urls.RECORDS + "/" == prefix), None)
            numbers = [n for n, loc in enumerate(locs) if loc.startswith(prefix)]
            if template is None or not numbers:
                continue
            entries = []
            for n in numbers:
                path = locs[n].removeprefix(prefix).rstrip("/")
                if not path.split("/")[0].startswith(PREFIX):
                    entries.append((f"{path or 'index'}.{language}.md", blocks[n].group()))
            new = filled.get(language, [])
            entries += [(f"{path}.{language}.md", template.replace(template_id, path)) for path in new]
            entries.sort(key=lambda entry: _walk_key(entry[0]))
            final = entries[-1][0].removesuffix(f".{language}.md")
            last.setdefault(language, "" if final == "index" else final)
            runs.append((numbers, [block for _, block in entries]))
        out, position = [], 0
        for numbers, entries in sorted(runs):  # MkDocs lists a language's records/ pages together
            out.append(text[position : blocks[numbers[0]].start()])
            out.extend(entries)
            inside = set(numbers)
            out.extend(blocks[n].group() for n in range(numbers[0], numbers[-1] + 1) if n not in inside)
            position = blocks[numbers[-1]].end()
        out.append(text[position:])
        data = "".join(out)
        sitemap.write_text(data, "utf-8")
        packed = sitemap.with_name("sitemap.xml.gz")
        if packed.exists():  # keep the time MkDocs stamped (SOURCE_DATE_EPOCH in a reproducible build)
            stamp = int.from_bytes(packed.read_bytes()[4:8], "little")
            packed.write_bytes(gzip.compress(data.encode("utf-8"), mtime=stamp))
    return last


_SHELL_PATH = re.compile(rf"{PREFIX}[ab]\d+(?:d\d+(?:/{PREFIX}x)+)?")


def fix_404(site_dir: Path, last: dict[str, str]) -> None:
    """The 404 pages with the path MkDocs would have left in them.

    mkdocs-static-i18n gives a language's 404 page the language links of the last page it rendered:
    with shells, that is a shell, where MkDocs alone would have rendered ``last`` (in its order).
    """
    for language in LANGUAGES:
        page = site_dir / urls.root(language) / "404.html"
        if language not in last or not page.is_file():
            continue
        text = page.read_text("utf-8")
        if PREFIX in text:
            page.write_text(_SHELL_PATH.sub(last[language], text), "utf-8")


_STATE: dict = {}


def _start(state: dict) -> None:
    _STATE.clear()
    _STATE.update(state)


def _start_worker(state: dict) -> None:
    """A worker's start: it dies with the process that started it (it writes into the build's staging folder)."""
    die_with_parent()
    _start(state)


def _render(items: list[tuple[Record, Neighbours]]) -> int:
    """Render and write the pages of ``items`` (in a worker, or in this process); returns pages written."""
    shells, settings, integrity, site_dir = _STATE["shells"], _STATE["settings"], _STATE["integrity"], _STATE["site"]
    written = 0
    for light, neighbours in items:
        record = held(light)
        for language in LANGUAGES:
            parts = record_page_parts(record, language, neighbours, settings, integrity)
            html = shells[(language, 1, variant(parts))].fill(record.id, parts)
            _write(site_dir, page_file(record.id, language), html)
            written += 1
    return written


def held(record: Record) -> Record:
    """``record`` with its text bodies in memory: a page reads its body two or three times (HTML, summary,
    description), and a light record reads (and checks the digest of) the file each time."""
    return replace(
        record, texts={language: replace(text, held_body=text.body) for language, text in record.texts.items()}
    )


def _render_index(pages: list[IndexPage]) -> int:
    """Fill and write index pages (in a worker, or in this process); returns pages written."""
    shells, site_dir = _STATE["shells"], _STATE["site"]
    handles: dict[str, BinaryIO] = {}
    try:
        for page in pages:
            spool = handles.get(page.spool) or handles.setdefault(page.spool, open(page.spool, "rb"))  # noqa: SIM115
            body = page.body(spool)
            _write(
                site_dir,
                page.file,
                shells[(page.language, page.depth, page.kind)].fill_values(page.path, page.meta, body),
            )
    finally:
        for handle in handles.values():
            handle.close()
    return len(pages)


def _task(task: tuple[str, list]) -> int:
    kind, items = task
    return _render(items) if kind == "records" else _render_index(items)


def _write(site_dir: Path, relative: str, html: str) -> None:
    refuse_inline_scripts(relative, html)  # checked here, in memory: the build does not read it back
    if _STATE.get("served"):
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # the preview writes into the site it serves: a reader must see the old page or the new one,
        # never a missing or half-written file (a 404 while an archivist saves)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(html, "utf-8")
            os.replace(temporary, target)  # a new directory entry: a page linked from the previous build is untouched
        finally:
            temporary.unlink(missing_ok=True)  # left only when writing failed (a full disk)
        return
    _create(f"{site_dir}/{relative}", html.encode("utf-8"))


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _create(path: str, data: bytes) -> None:
    """Write ``data`` to a new file at ``path``, removing what is there (a link to the previous build's page,
    which must never be written through; ``O_EXCL`` refuses anything put there meanwhile). A page is written
    into a folder just made, with nothing to remove: one system call less per page (ten thousands a build)."""
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder)
    except FileExistsError:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    handle = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def render_pages(
    items: list[tuple[Record, Neighbours]],
    shells: dict[tuple[str, int, int], Shell],
    site_dir: Path,
    settings: SiteSettings,
    integrity: PublicLedger,
) -> int:
    """Render and write the pages of ``items`` in this process (the preview's fast path)."""
    _start({"shells": shells, "settings": settings, "integrity": integrity, "site": site_dir, "served": True})
    return _render(items)


def shells_as_json(shells: dict[tuple[str, int, int], Shell]) -> dict:
    return {
        f"{language}/{depth}/{kind}": [list(s.segments), [list(slot) for slot in s.slots]]
        for (language, depth, kind), s in shells.items()
    }


def shells_from_json(data: dict) -> dict[tuple[str, int, int], Shell]:
    shells = {}
    for key, (segments, slots) in data.items():
        language, depth, kind = key.split("/")
        shells[(language, int(depth), int(kind))] = Shell(
            tuple(segments), tuple(tuple(slot) for slot in slots), urls.root(language)
        )
    return shells


def _clear(site_dir: Path, files: Iterable[str]) -> None:
    """Remove a spare page about to be replaced (the path may hold an older page, or nothing)."""
    for relative in files:
        (site_dir / relative).unlink(missing_ok=True)


def _place_attachments(
    record: Record,
    site_dir: Path,
    report: Report,
    salt: str,
    previous: Path | None,
    known_keys: Mapping[str, str],
    present: Mapping[str, str],
    file_digests: Callable[[Record], list[tuple[str, str]]] | None,
) -> None:
    """Put the record's attachments at ``records/<id>/<file>``, as MkDocs would have copied them from docs/.

    Not through MkDocs: a file there is copied on every build, and the old copy deleted (about 2 ms a
    file on a disk mounted with ``discard``). Keyed by content like a page, an unchanged attachment is
    left in the spare site or linked from the last one. Always a copy of the record's file, never a
    link to it: a hand edit in ``site/`` must not reach ``records/``."""
    digests = dict(file_digests(record)) if file_digests is not None else {}
    for item in record.attachments:
        relative = f"{urls.RECORDS}/{record.id}/{item.file}"
        source = record.path / item.file
        sha = digests.get(item.file) or hashlib.sha256(source.read_bytes()).hexdigest()
        key = report.keys[relative] = cache.page_key(salt, "attachment", sha)
        if present.get(relative) == key:
            report.kept += 1
            continue
        if present:
            _clear(site_dir, (relative,))
        if previous is not None and known_keys.get(relative) == key and _reuse(previous, site_dir, relative):
            report.reused += 1
            continue
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target, follow_symlinks=False)


def _reuse(previous: Path, site_dir: Path, relative: str) -> bool:
    """Link the previous build's page into this site (a copy where links fail); False when it has none.

    Plain ``os`` calls on strings: an unchanged archive of 10,000 records links 22,000 pages this way."""
    source, target = f"{previous}/{relative}", f"{site_dir}/{relative}"
    try:
        os.link(source, target)  # pages are never changed after they are written: sharing the file is safe
        return True
    except FileNotFoundError:
        if not os.path.isfile(source):
            return False
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except OSError:
        pass
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return True


def write_pages(
    ordered: list[Record],
    site_dir: Path,
    settings: SiteSettings,
    integrity: PublicLedger,
    *,
    index_pages: Sequence[IndexPage] = (),
    needed: Iterable[tuple[int, int]] = RECORD_SHELLS,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    previous: Path | None = None,
    only: Callable[[Record], bool] | None = None,
    known: Callable[[str], dict[str, str]] | None = None,
    present: Mapping[str, str] | None = None,
    file_digests: Callable[[Record], list[tuple[str, str]]] | None = None,
    record_keys: Callable[[Record], str] | None = None,
) -> Report:
    """Write the page of every record (sorted by :meth:`Record.sort_key`) in every language, and every
    index page of ``index_pages``, into ``site_dir``, filling the shells of ``needed`` MkDocs rendered there.

    With ``cache_dir`` and ``previous`` (the last build's site), a page whose key is unchanged is
    linked from ``previous`` instead of rendered. The cache is forgotten here; the caller saves the
    report's keys once this site has replaced ``previous``. A sharded build
    (:mod:`sillok.site.output.shards`) writes ``only`` some records' pages (their neighbours are
    still the whole archive's) and gives the ``known`` keys of ``previous`` for this build's salt.
    ``present`` names the pages already in ``site_dir`` with their keys (the spare site's,
    :mod:`sillok.site.output.spare`): one whose key is unchanged is left as it is, any other is replaced.
    Each record's attachments are placed beside its page the same way (:func:`_place_attachments`),
    keyed by the SHA-256 ``file_digests`` gives (the check's). ``record_keys`` gives what a record's
    page is made of (its id and its files' digests, the check's); without it the record itself is hashed.
    """
    shells = read_shells(site_dir, set(needed) | set(RECORD_SHELLS))
    filled = {language: [record.id for record in ordered] for language in LANGUAGES}
    for page in index_pages:
        filled[page.language].append(page.path)
    fix_404(site_dir, fix_sitemaps(site_dir, filled))
    salt = cache.salt(repr(settings), *(f"{k}:{s.digest()}" for k, s in sorted(shells.items())))
    load = known or (lambda salt: cache.load(cache_dir, salt))
    known_keys = load(salt) if previous is not None and previous.is_dir() else {}
    report, todo, index_todo = Report(salt=salt, shells=shells, previous=known_keys), [], []
    keys = report.keys
    present = present or {}
    # each record's digest once; a page's key names its record's and its neighbours' (their titles show)
    if record_keys is not None:  # a record is read from its folder's files alone: their digests name it
        digests = [cache.page_key(salt, record_keys(record)) for record in ordered]
    else:
        digests = [cache.page_key(salt, record, root=record.path.parent.parent) for record in ordered]
    last = len(ordered) - 1
    for number, record in enumerate(ordered):
        if only is not None and not only(record):
            continue
        if record.attachments:
            _place_attachments(record, site_dir, report, salt, previous, known_keys, present, file_digests)
        neighbours = Neighbours(ordered[number - 1] if number else None, ordered[number + 1] if number < last else None)
        around = (digests[number - 1] if number else None, digests[number + 1] if number < last else None)
        key = cache.page_key(salt, digests[number], around, integrity.of(record.id), root=record.path.parent.parent)
        files = [page_file(record.id, language) for language in LANGUAGES]
        keys.update(dict.fromkeys(files, key))
        if present and all(present.get(f) == key for f in files):
            report.kept += len(files)
            continue
        if present:
            _clear(site_dir, files)
        if (
            known_keys
            and all(known_keys.get(f) == key for f in files)
            and all(_reuse(previous, site_dir, f) for f in files)
        ):
            report.reused += len(files)
        else:
            todo.append((record, neighbours))
    for page in index_pages:
        key = keys[page.file] = cache.page_key(salt, page.digest)
        if present and present.get(page.file) == key:
            report.kept += 1
            continue
        if present:
            _clear(site_dir, (page.file,))
        if known_keys and known_keys.get(page.file) == key and _reuse(previous, site_dir, page.file):
            report.index_reused += 1
        else:
            index_todo.append(page)
    cache.forget(cache_dir)  # until this build's pages are all written
    state = {"shells": shells, "settings": settings, "integrity": integrity, "site": site_dir}
    tasks = [("records", todo[i : i + CHUNK]) for i in range(0, len(todo), CHUNK)]
    tasks += [("index", index_todo[i : i + INDEX_CHUNK]) for i in range(0, len(index_todo), INDEX_CHUNK)]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(todo) + len(index_todo) // 4 >= PARALLEL_FROM:
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=clean_context(__name__) if len(todo) >= CLEAN_FROM else None,
            initializer=_start_worker,
            initargs=(state,),
        ) as pool:
            done = list(pool.map(_task, tasks))
    else:
        _start(state)
        done = [_task(task) for task in tasks]
    report.rendered = sum(n for (kind, _), n in zip(tasks, done, strict=True) if kind == "records")
    report.index_rendered = sum(n for (kind, _), n in zip(tasks, done, strict=True) if kind == "index")
    for spool in {page.spool for page in index_pages}:
        Path(spool).unlink(missing_ok=True)  # the index pages' sources: written into the site now
    return report
