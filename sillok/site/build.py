"""``sillok build``: check, generate, build into a temporary folder, then swap it into place.

1. check every record (a problem stops the build: nothing is generated or built);
2. generate the indexes and the record page shells into the git-ignored ``docs/records/`` (only changed files);
3. run ``mkdocs build --strict`` into a fresh sibling folder (the sillok plugin is told the pages
   are ready, so records are read once), then fill the shells with every record's page in worker
   processes, reusing unchanged pages of the previous site (:mod:`sillok.site.recordpages`); if the
   theme prints a page value in a way a shell cannot reproduce, MkDocs renders the record pages itself;
4. write the BagIt bag, open data, feeds and robots.txt into it (:mod:`sillok.site.sitefiles`), then
   ``_headers`` with a fixed Content-Security-Policy (:mod:`sillok.site.headers`; a page with an inline script fails);
5. swap that folder into ``site/``.

A failed check or build never leaves a half-written site: ``site/`` is replaced only after the
whole build succeeded. ``records/`` is only read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sillok.errors import ProblemsFound
from sillok.check.check import CheckResult, check
from sillok.record.model import Record
from sillok.site.generate import GenerateError, generate
from sillok.site.headers import HEADERS_FILE, headers_file, inline_scripts
from sillok.site.integrity import PublicLedger
from sillok.site.recordpages import cache
from sillok.site.recordpages.shell import ShellUnsupported
from sillok.site.recordpages.write import shells_as_json, write_record_pages
from sillok.site.settings import SettingsError, read_mkdocs_yml
from sillok.site.sitefiles import timed, write_site_files
from sillok.site.output.staging import PREFIX, staging_folder
from sillok.ledger.bag import seal_epoch


class BuildFailed(ProblemsFound):
    """The site was not built; the previous site/ is untouched. ``problems`` are the check's, when it failed."""

    def __init__(self, message: str, result: CheckResult | None = None):
        super().__init__(message, result.problems if result is not None else ())
        self.result = result


def build(
    project: Path,
    *,
    site_dir: Path | None = None,
    records: Path | None = None,
    jobs: int | None = None,
    incremental: bool = True,
    shells: bool = True,
) -> CheckResult:
    """Build the site of the project at ``project``; raise BuildFailed and keep the old site on failure.

    ``jobs`` worker processes check records and render record pages (default: one per CPU). With
    ``incremental``, record pages whose inputs did not change are taken from the previous ``site/``
    (the build cache in ``.sillok-cache/`` says which); the result is the same as a cold build's.
    Without ``shells``, MkDocs renders every record page itself (slower; the same pages).
    """
    project = project.resolve()
    records = records or project / "records"
    site_dir = (site_dir or project / "site").resolve()
    cache_dir = project / cache.FOLDER
    timings: dict[str, float] = {}
    with timed(timings, "check"):
        result = check([records], jobs=jobs)
    result.timings = timings
    if not result.ok:
        raise BuildFailed(f"{len(result.errors)} problem(s) in records: nothing was built", result)
    try:
        settings = read_mkdocs_yml(project / "mkdocs.yml")
        integrity = PublicLedger.read(records)
    except SettingsError as exc:
        raise BuildFailed(f"{exc}; nothing was built") from exc
    ordered = sorted(result.records, key=Record.sort_key)
    while True:
        try:
            with timed(timings, "generate pages"):
                generate(result.records, project / "docs", settings, integrity, record_pages=not shells)
        except GenerateError as exc:
            raise BuildFailed(f"{exc}; nothing was built") from exc
        with staging_folder(site_dir.parent) as staging:  # removed however the build ends (sillok.site.output.staging)
            _mkdocs(project, staging, records, timings)
            if shells:
                try:
                    with timed(timings, "record pages"):
                        report = write_record_pages(
                            ordered,
                            staging,
                            settings,
                            integrity,
                            jobs=jobs,
                            cache_dir=cache_dir,
                            previous=site_dir if incremental else None,
                        )
                except ShellUnsupported as exc:
                    print(f"sillok: {exc}; MkDocs renders the record pages instead", file=sys.stderr)
                    shells = False
                    continue
            write_site_files(result.records, staging, settings, records, timings)
            with timed(timings, "headers"):
                scripts = inline_scripts(staging)
                if scripts:
                    where = ", ".join(f"{page}:{line}" for page, line in scripts[:5])
                    raise BuildFailed(
                        f"inline <script> in the built pages ({where}): the Content-Security-Policy "
                        "vouches for none; a template must load scripts from files. Nothing was published"
                    )
                (staging / HEADERS_FILE).write_text(headers_file(), "utf-8")
            swap(staging, site_dir)
            if shells:
                cache.save(
                    cache_dir, report.salt, report.keys, shells_as_json(report.shells)
                )  # only now does site/ hold the pages the keys name
        return result


def _mkdocs(project: Path, staging: Path, records: Path, timings: dict[str, float]) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SILLOK_PAGES_READY": "1", **reproducible_env(records)}
    with timed(timings, "mkdocs build"):
        completed = subprocess.run(command, cwd=project, check=False, env=env)
    if completed.returncode != 0:
        raise BuildFailed(f"mkdocs build failed (exit {completed.returncode}); the previous site is untouched")


def reproducible_env(records: Path) -> dict[str, str]:
    """``SOURCE_DATE_EPOCH`` at the archive's last seal, so MkDocs dates the sitemaps (and their gzip
    header) by the archive, not by the clock: the same records build the same bytes on any day."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return {}
    epoch = seal_epoch(records)
    return {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else {}


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames, so a reader never sees a half-written folder."""
    old = None
    if target.exists():
        old = target.with_name(f"{PREFIX}old-{os.getpid()}-{target.name}")  # swept if a kill leaves it
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old)


def site_stats(site_dir: Path, records: int) -> str:
    """Files and bytes of a built site, and files per record (some static hosts cap a site's file count)."""
    files = size = 0
    for dirpath, _dirnames, filenames in os.walk(site_dir):
        for name in filenames:
            files += 1
            size += os.stat(os.path.join(dirpath, name)).st_size
    per_record = f", {files / records:.2f} per record" if records else ""
    return f"{files} files{per_record}, {size / 1e6:.1f} MB"
