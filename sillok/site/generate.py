"""Write the generated pages into ``docs/records/``: only what changed, and nothing that is gone.

MkDocs and mkdocs-static-i18n see real files (generated in-memory pages crash static-i18n 1.3.1).
Unchanged files are left alone, so ``mkdocs serve`` does not rebuild for nothing and a rebuild after
one edited record rewrites a handful of files. A file whose record is gone is deleted. Nothing is
ever written through a symbolic link, and a symbolic link anywhere in docs/ stops the build:
MkDocs follows links and would publish whatever they point to.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sillok.errors import ProblemsFound
from sillok.site import urls
from sillok.site.integrity import PublicLedger
from sillok.record.model import Record
from sillok.site.pages import Plan, plan, plan_pages
from sillok.site.recordpages import cache
from sillok.site.recordpages.indexpages import SPOOL, IndexPage, filled_list, linked_pages, read_nav, split
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


def write(plan: Plan, out: Path) -> Report:
    """Make ``out`` (docs/records/) hold exactly the planned files; write only those that differ."""
    docs = out.parent
    if docs.exists():
        refuse_symlinks(docs)
    report = Report()
    out.mkdir(parents=True, exist_ok=True)
    planned = set(plan.pages) | set(plan.attachments)
    for relative, text in plan.pages.items():
        data = text.encode("utf-8")
        target = out / relative
        try:
            if target.read_bytes() == data:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, data)
        report.written.append(relative)
    for relative, source in plan.attachments.items():
        target = out / relative
        if target.is_file() and _same_file(source, target):
            report.unchanged += 1
            continue
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
                (folder / name).unlink()
                report.removed.append(relative)
        if folder != out and not any(folder.iterdir()):
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


def generate(records: list[Record], docs_dir: Path, settings: SiteSettings, integrity: PublicLedger | None = None, *,
             record_pages: bool = True) -> Report:
    """Plan the pages of ``records`` and write them into ``docs_dir/records/`` (shells instead of record pages
    when ``record_pages`` is false: see :mod:`sillok.site.recordpages`)."""
    return write(plan(records, settings, integrity, record_pages=record_pages), docs_dir / urls.RECORDS)


@dataclass
class ForBuild:
    """What ``sillok build`` generated: the index pages shells will render and the shells MkDocs must render."""

    index_pages: list[IndexPage]
    shells: set[tuple[int, int]]
    excluded: Path
    """The list of sources the sillok plugin excludes from MkDocs (its path goes in :data:`FILLED_ENV`)."""


def generate_for_build(records: list[Record], project: Path, settings: SiteSettings, integrity: PublicLedger, *,
                       shells: bool, cache_dir: Path) -> ForBuild:
    """Plan the pages, take out those a shell renders (when ``shells``), write the rest into docs/records/.

    The list of pages MkDocs must not render is written into ``cache_dir`` for the plugin. With shells,
    the attachments stay out of docs/ too: :func:`~sillok.site.recordpages.write.write_pages` places them.
    """
    if not shells:
        write(plan(records, settings, integrity, record_pages=True), project / "docs" / urls.RECORDS)
        return ForBuild([], set(), cache.write_json(cache_dir, cache.FILLED, []))
    planned = Plan()
    pages = plan_pages(records, settings, integrity, planned.attachments, record_pages=False)
    linked = linked_pages(project / "docs")
    planned.pages, index, needed = split(pages, read_nav(project / "mkdocs.yml"), cache_dir / SPOOL, linked)
    write(Plan(pages=planned.pages), project / "docs" / urls.RECORDS)
    return ForBuild(index, needed, cache.write_json(cache_dir, cache.FILLED, filled_list(index)))
