"""``sillok verify-site``, all of it: rebuild the site from the records it publishes, and compare every file.

The bag vouches for the sealed records, not for the pages, JSON, CSV and feeds made from them: a
site could show altered pages, or a page still showing text a redaction removed, beside a
perfectly current bag. A build is reproducible (the same records, settings and versions give the
same bytes; see :mod:`sillok.site.build`), so the check is a rebuild: the site's own bag, unpacked,
is the archive at the site's seal; the project's settings, pages and templates (``mkdocs.yml``,
``docs/``, ``overrides/``) are copied beside it into a temporary project, built with the site
address the published site declares (its ``robots.txt``, unless ``SITE_URL`` is set), and every
file of the two trees is compared. Each file that differs, is missing or is extra is named by its
path in the site. Nothing in the project is written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sillok.ledger import bag as bags
from sillok.ledger import serialize
from sillok.record.problems import Problem, ProblemCollector
from sillok.site.build import BuildFailed, build

PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides")
"""What a build reads besides the records (``docs/records/`` is generated, and left out)."""


def declared_site_url(site_dir: Path) -> str | None:
    """The address a built site was built for, from the first ``Sitemap:`` line of its robots.txt."""
    robots = site_dir / "robots.txt"
    if not robots.is_file():
        return None
    for line in robots.read_text("utf-8", "replace").splitlines():
        if line.startswith("Sitemap: ") and line.endswith("sitemap.xml"):
            return line[len("Sitemap: ") : -len("sitemap.xml")]
    return None


@contextlib.contextmanager
def _bag_folder(site_dir: Path) -> Iterator[Path | None]:
    archive = site_dir / bags.BAG_FILE
    if archive.is_file():
        with serialize.Unpacked(archive) as folder:
            yield folder
    else:
        yield bags.find_bag(site_dir)


@contextlib.contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is not None:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def files_of(folder: Path) -> dict[str, Path]:
    return {
        path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file() or path.is_symlink()
    }


def compare(site_dir: Path, rebuilt: Path, problems: list[Problem]) -> None:
    """Every file of the site against the rebuilt site: differing, missing or extra, by path."""
    published, expected = files_of(site_dir), files_of(rebuilt)
    for name in sorted(published.keys() | expected.keys()):
        out = ProblemCollector(site_dir / name, problems)
        if name not in expected:
            out.error(
                0,
                "is published, but a rebuild from the site's sealed records does not produce it",
                "remove it, or rebuild and republish the site",
                code="site-file-extra",
            )
        elif name not in published:
            out.error(
                0,
                "is missing: a rebuild from the site's sealed records produces it",
                "rebuild and republish the site",
                code="site-file-missing",
            )
        elif published[name].is_symlink() or published[name].read_bytes() != expected[name].read_bytes():
            out.error(
                0,
                "differs from a rebuild from the site's sealed records",
                "this file is not what the records make: rebuild and republish the site",
                code="site-file-differs",
            )


def verify_by_rebuild(site_dir: Path, project: Path, problems: list[Problem]) -> bool:
    """Rebuild the site from its own bag with ``project``'s settings and compare every file; False when
    the site has no bag to rebuild from (the bag check reports that)."""
    with _bag_folder(site_dir) as bag, tempfile.TemporaryDirectory(prefix="sillok-rebuild-") as work:
        if bag is None:
            return False
        copy = Path(work) / "project"
        copy.mkdir()
        for part in PROJECT_PARTS:
            source = project / part
            if source.is_dir():
                shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("records"), symlinks=True)
            elif source.is_file():
                shutil.copy2(source, copy / part)
        shutil.copytree(bag / "data", copy / "records")
        site_url = os.environ.get("SITE_URL") or declared_site_url(site_dir)
        try:
            with _environment(SITE_URL=site_url):
                build(copy, site_dir=Path(work) / "site")
        except BuildFailed as exc:
            ProblemCollector(site_dir, problems).error(
                0,
                f"cannot be rebuilt from its own bag: {exc}",
                "the bag's records do not build; see the bag's problems above",
                code="site-rebuild-failed",
            )
            return True
        compare(site_dir, Path(work) / "site", problems)
    return True
