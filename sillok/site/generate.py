"""Write the generated pages into ``docs/records/``: only what changed, and nothing that is gone.

MkDocs and mkdocs-static-i18n see real files (generated in-memory pages crash static-i18n 1.3.1).
Unchanged files are left alone, so ``mkdocs serve`` does not rebuild for nothing and a rebuild after
one edited record rewrites a handful of files. A file whose record is gone is deleted. Nothing is
ever written through a symbolic link, and a symbolic link anywhere in docs/ stops the build:
MkDocs follows links and would publish whatever they point to.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sillok.errors import ProblemsFound
from sillok.record.model import Record
from sillok.site import urls
from sillok.site.integrity import PublicLedger
from sillok.site.pages import LATEST_SNIPPET, Plan, plan, plan_pages
from sillok.site.recordpages import cache
from sillok.site.recordpages.indexpages import SPOOL, STUB, IndexPage, linked_pages, read_nav, split
from sillok.site.recordpages.shell import PREFIX as SHELL_PREFIX
from sillok.site.render import GENERATED_MARK
from sillok.site.settings import SiteSettings


class GenerateError(ProblemsFound):
    """The pages could not be generated safely; nothing more was written."""


@dataclass
class Report:
    """What a generation run did, by path relative to docs/records/."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"


def symlinks_in(folder: Path) -> list[Path]:
    """Every symbolic link under ``folder`` (and ``folder`` itself if it is one)."""
    if folder.is_symlink():
        return [folder]
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                found.append(path)
    return found


def refuse_symlinks(folder: Path) -> None:
    """Raise :class:`GenerateError` when ``folder`` holds a symbolic link: MkDocs would publish what it points to."""
    links = symlinks_in(folder)
    if links:
        names = ", ".join(str(p) for p in links[:5])
        raise GenerateError(
            f"{folder}: symbolic links would publish files from outside the repository: {names} — "
            "replace each link with the real file or folder"
        )


def write(plan: Plan, out: Path, on_change: Callable[[], None] | None = None) -> Report:
    """Make ``out`` (docs/records/) hold exactly the planned files; write only those that differ.

    ``on_change`` is called once, before the first file is written or removed (``sillok build`` stops
    an MkDocs run it started on the old files)."""
    docs = out.parent
    if docs.exists():
        refuse_symlinks(docs)
    report = Report()
    out.mkdir(parents=True, exist_ok=True)
    planned = set(plan.pages) | set(plan.attachments)

    def changing() -> None:
        nonlocal on_change
        if on_change is not None:
            on_change, call = None, on_change
            call()

    for relative, text in plan.pages.items():
        data = text.encode("utf-8")
        target = out / relative
        try:
            if target.read_bytes() == data:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        changing()
        _replace(target, data)
        report.written.append(relative)
    for relative, source in plan.attachments.items():
        target = out / relative
        if target.is_file() and _same_file(source, target):
            report.unchanged += 1
            continue
        changing()
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, temporary, follow_symlinks=False)
        shutil.copystat(source, temporary, follow_symlinks=False)
        os.replace(temporary, target)
        report.written.append(relative)
    for dirpath, _dirnames, filenames in os.walk(out, topdown=False):
        folder = Path(dirpath)
        for name in filenames:
            relative = (folder / name).relative_to(out).as_posix()
            if relative not in planned:
                changing()
                (folder / name).unlink()
                report.removed.append(relative)
        if folder != out and not any(folder.iterdir()):
            changing()
            folder.rmdir()
    report.removed.sort()
    return report


def _replace(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file, so a reader never sees half a page."""
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _same_file(source: Path, target: Path) -> bool:
    a, b = source.stat(), target.stat()
    if a.st_size != b.st_size:
        return False
    if a.st_mtime_ns == b.st_mtime_ns:
        return True
    return source.read_bytes() == target.read_bytes()


def generate(
    records: list[Record],
    docs_dir: Path,
    settings: SiteSettings,
    integrity: PublicLedger | None = None,
    *,
    record_pages: bool = True,
) -> Report:
    """Plan the pages of ``records`` and write them into ``docs_dir/records/`` (shells instead of record pages
    when ``record_pages`` is false: see :mod:`sillok.site.recordpages`)."""
    return write(plan(records, settings, integrity, record_pages=record_pages), docs_dir / urls.RECORDS)


FILL = "<!--sillok-fill:{key}-->"
"""What ``docs/records/`` holds in place of a generated block that changes with the records (a hub's
lists and counts, the home page's latest records): ``sillok build`` puts the block into MkDocs'
page after MkDocs (:func:`fill`). So docs/ stays the same when a record is added, and MkDocs can
start on it before the records are even checked."""
_FILL = re.compile(r"<!--sillok-fill:([^ >]{1,200})(?: <h1)?-->")
_LATEST_OPEN, _LATEST_CLOSE = '<section class="sillok-latest">', "</section>\n"


def _marker(key: str, block: str) -> str:
    """The :data:`FILL` marker for ``block``; it holds ``<h1`` when the block does, because Material adds
    a heading of its own to a page whose content has none."""
    marker = FILL.format(key=key)
    return marker.replace("-->", " <h1-->") if "<h1" in block else marker


@dataclass
class ForBuild:
    """What ``sillok build`` generated: the index pages shells will render and the shells MkDocs must render."""

    index_pages: list[IndexPage]
    shells: set[tuple[int, int]]
    excluded: Path
    """The list of sources the sillok plugin excludes from MkDocs (its path goes in :data:`FILLED_ENV`)."""
    fills: dict[str, str] = field(default_factory=dict)
    """The blocks :data:`FILL` markers stand for in docs/records/, by key."""
    changed: bool = True
    """Whether docs/records/ or the list of excluded pages changed (an MkDocs run started before is stale)."""


def generate_for_build(
    records: list[Record],
    project: Path,
    settings: SiteSettings,
    integrity: PublicLedger,
    *,
    shells: bool,
    cache_dir: Path,
    on_change: Callable[[], None] | None = None,
) -> ForBuild:
    """Plan the pages, take out those a shell renders (when ``shells``), write the rest into docs/records/.

    The list of pages MkDocs must not render is written into ``cache_dir`` for the plugin. With shells,
    the attachments stay out of docs/ too (:func:`~sillok.site.recordpages.write.write_pages` places
    them), and the generated blocks of the pages MkDocs renders are :data:`FILL` markers. ``on_change``
    is called before anything MkDocs reads is changed.
    """
    if not shells:
        if on_change is not None:
            on_change()
        write(plan(records, settings, integrity, record_pages=True), project / "docs" / urls.RECORDS)
        return ForBuild([], set(), cache.write_json(cache_dir, cache.FILLED, []))
    planned = Plan()
    pages = plan_pages(records, settings, integrity, planned.attachments, record_pages=False)
    linked = linked_pages(project / "docs")
    others, index, needed = split(pages, read_nav(project / "mkdocs.yml"), cache_dir / SPOOL, linked)
    fills: dict[str, str] = {}
    for relative, text in others.items():
        if relative.startswith(LATEST_SNIPPET.split("{", 1)[0]):
            if text.startswith(_LATEST_OPEN) and text.endswith(_LATEST_CLOSE):  # Markdown sees the same block
                inner = fills[relative] = text[len(_LATEST_OPEN) : -len(_LATEST_CLOSE)]
                others[relative] = _LATEST_OPEN + _marker(relative, inner) + _LATEST_CLOSE
        elif (start := text.find(f"\n{GENERATED_MARK}\n")) != -1 and text.endswith("\n</div>\n"):
            if SHELL_PREFIX in relative:
                continue
            body = start + len(GENERATED_MARK) + 2
            block = fills[relative] = text[body : -len("\n</div>\n")]
            others[relative] = text[:body] + _marker(relative, block) + "\n</div>\n"
    changed = False

    def changing() -> None:
        nonlocal changed
        changed = True
        if on_change is not None:
            on_change()

    write(Plan(pages=others), project / "docs" / urls.RECORDS, changing)
    stubs = sorted(f"{urls.RECORDS}/{relative}" for relative, text in others.items() if text == STUB)
    excluded = cache_dir / cache.FILLED
    try:
        same = json.loads(excluded.read_text("utf-8")) == stubs
    except (OSError, ValueError):
        same = False
    if not same:
        if not changed:
            changing()
        cache.write_json(cache_dir, cache.FILLED, stubs)
    return ForBuild(index, needed, excluded, fills, changed)


def fill(site: Path, files: list[str], fills: dict[str, str]) -> int:
    """Put each generated block back in place of its :data:`FILL` marker in MkDocs' pages ``files``
    (paths under ``site``); how many pages were filled. A marker no block stands for (a hand-written
    page that copied one) is refused: the page would say nothing where the archive should."""
    done = 0
    for relative in files:
        if not relative.endswith(".html"):
            continue
        path = site / relative
        text = path.read_text("utf-8")
        if "<!--sillok-fill:" not in text:
            continue
        unknown = [key for key in _FILL.findall(text) if key not in fills]
        if unknown:
            raise GenerateError(f"{relative}: the generated block {unknown[0]!r} is unknown; nothing was published", [])
        path.unlink()  # a new file: never write through a link to the previous site
        path.write_text(_FILL.sub(lambda match: fills[match.group(1)], text), "utf-8")
        done += 1
    return done
