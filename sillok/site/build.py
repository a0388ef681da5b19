"""``sillok build``: check, generate, build into a temporary folder, then swap it into place.

1. check every record (a problem stops the build: nothing is generated or built);
2. plan every page; the index pages a shell can render are kept for step 3 (a stub stays in
   ``docs/records/`` for MkDocs to exclude); the rest and the page shells go into the git-ignored
   ``docs/records/`` (only changed files);
3. run ``mkdocs build --strict`` into a fresh sibling folder (the sillok plugin is told the pages
   are ready, so records are read once), then fill the shells with every record's page and every
   kept index page in worker processes, reusing unchanged pages of the previous site
   (:mod:`sillok.site.recordpages`); if the theme prints a page value in a way a shell cannot
   reproduce, MkDocs renders the record and index pages itself;
4. write the BagIt bag, open data, feeds and robots.txt into it (:mod:`sillok.site.sitefiles`: in a
   forked process beside steps 2 and 3, or after them from :data:`SITE_FILES_AFTER_PAGES_FROM` records), then
   ``_headers`` with a fixed Content-Security-Policy (:mod:`sillok.site.headers`; a page with an inline script fails);
5. swap that folder into ``site/``.

A sharded build (:mod:`sillok.site.output.shards`) stops a shard job after step 3, with only its
records' pages, and gives a merge job the shards' pages as the previous site.

A failed check or build never leaves a half-written site: ``site/`` is replaced only after the
whole build succeeded, in one atomic exchange where the system has one. ``records/`` is only read.

The build writes only into its own folder: a ``--site-dir`` that is, holds or lies inside the
project, ``records/``, ``docs/`` or another project folder is refused, as is one that is (or lies
under) a symbolic link, or an existing folder that is not a sillok site; a ``records/`` that is a
symbolic link is refused; one build of a project runs at a time (``.sillok-build.lock``); a file
that cannot be written (read-only, disk full) ends the build with a message and the old site kept.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sillok.check import cache as check_cache
from sillok.check.check import CheckResult, check
from sillok.errors import ProblemsFound, UsageError
from sillok.ledger.bag import seal_epoch
from sillok.record.model import Record
from sillok.site.data.publish import KnownDigests
from sillok.site.generate import GenerateError, fill, generate_for_build
from sillok.site.headers import HEADERS_FILE, InlineScript, headers_file, inline_scripts
from sillok.site.integrity import PublicLedger
from sillok.site.output import spare
from sillok.site.output.forked import PARENT_ENV, ChildDied, Forked, Later
from sillok.site.output.remove import remove_tree
from sillok.site.output.reuse import BuildCache
from sillok.site.output.shards import MANIFEST, Merge, Shard, ShardSpec
from sillok.site.output.staging import PREFIX, staging_folder
from sillok.site.recordpages import cache
from sillok.site.recordpages.indexpages import FILLED_ENV
from sillok.site.recordpages.shell import ShellUnsupported
from sillok.site.recordpages.write import shells_as_json, write_pages
from sillok.site.settings import SettingsError, SiteSettings, read_mkdocs_yml
from sillok.site.sitefiles import timed, write_site_files


class BuildFailed(ProblemsFound):
    """The site was not built; the previous site/ is untouched. ``problems`` are the check's, when it failed."""

    def __init__(self, message: str, result: CheckResult | None = None):
        super().__init__(message, result.problems if result is not None else ())
        self.result = result


class SiteDirRefused(UsageError):
    """The site folder asked for is not one a build may replace (exit 2)."""


class BuildBusy(UsageError):
    """Another build of the same project is running (exit 2)."""


SITE_FILES_AFTER_PAGES_FROM = 50_000
"""From this many records the bag, search index and open data are made after the record pages, in the
build process (:class:`~sillok.site.output.forked.Later`), not beside them in a fork: a fork that reads
every record holds its own copy of them, and beside the pages the two copies summed past 1.5 GB at 100,000
records. Below it the fork is faster (it uses the core that planning and MkDocs leave idle) and small."""
PROTECTED = ("records", "docs", "overrides", ".git", "sillok", "guide", "tests", ".github")
"""Folders of the project a build must never replace, contain or write inside."""
LOCK_FILE = ".sillok-build.lock"


def refuse_site_dir(project: Path, site_dir: Path, marker: str = HEADERS_FILE) -> Path:
    """``site_dir`` resolved, after refusing any folder whose replacement would destroy something else.

    The swap replaces the whole folder, so ``--site-dir records`` (or ``docs``, ``.``, ``..``)
    would replace the archive or the project; a symbolic link (or a linked parent) would have its
    target replaced; an existing folder that is not a site would be lost.
    """
    given = site_dir if site_dir.is_absolute() else Path.cwd() / site_dir
    for path in (given, *given.parents):
        if path.is_symlink():
            raise SiteDirRefused(
                f"--site-dir {site_dir}: {path} is a symbolic link; the build would replace what it "
                "points to — give a real folder"
            )
        if path == project:
            break
    target = given.resolve()
    if target == project or target in project.parents:
        raise SiteDirRefused(
            f"--site-dir {site_dir}: that folder holds the project itself; give a folder of its own "
            "(the default is site/)"
        )
    for name in PROTECTED:
        protected = (project / name).resolve()
        if target == protected or protected in target.parents or target in protected.parents:
            raise SiteDirRefused(
                f"--site-dir {site_dir}: that is or is inside {name}/, which the build must not "
                "replace; give a folder of its own (the default is site/)"
            )
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        what = "sillok site" if marker == HEADERS_FILE else "sillok shard"
        raise SiteDirRefused(
            f"--site-dir {site_dir}: the folder exists and holds files that are not a {what} "
            f"(no {marker}); the build replaces the whole folder — empty it or give another"
        )
    if target.exists() and not target.is_dir():
        raise SiteDirRefused(f"--site-dir {site_dir}: is a file, not a folder")
    return target


@contextlib.contextmanager
def build_lock(project: Path) -> Iterator[None]:
    """One build of a project at a time: a second one is refused at once, naming the first."""
    path = project / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildBusy(f"another sillok build of {project} is running ({holder}); wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def build(
    project: Path,
    *,
    site_dir: Path | None = None,
    records: Path | None = None,
    jobs: int | None = None,
    incremental: bool = True,
    shells: bool = True,
    shard: ShardSpec | None = None,
    merge: list[Path] | None = None,
) -> CheckResult:
    """Build the site of the project at ``project``; raise BuildFailed and keep the old site on failure.

    Every refusal is a message: an unsafe site folder or records folder, a build already running,
    a folder that cannot be written (read-only, disk full) — never a traceback.
    ``jobs`` worker processes check records, render record pages and analyse records for search
    (default: one per CPU). With
    ``incremental``, record pages whose inputs did not change are taken from the previous ``site/``
    (the build cache in ``.sillok-cache/`` says which); the result is the same as a cold build's.
    Without ``shells``, MkDocs renders every record page itself (slower; the same pages).
    With ``shard``, only that shard's record pages are made, into ``site_dir`` (default
    ``shards/<shard>``); with ``merge``, the pages of those shard folders are reused (:mod:`.output.shards`).
    Both print what they reused.
    """
    project = project.resolve()
    records = records or project / "records"
    if records.is_symlink():
        raise BuildFailed(
            f"{records} is a symbolic link (to {os.readlink(records)!r}): the site would publish "
            "whatever it points to; replace the link with the real folder. Nothing was built"
        )
    job: Shard | Merge | None = None
    if shard is not None:
        site_dir = refuse_site_dir(project, site_dir or project / "shards" / shard.folder_name, MANIFEST)
        job = Shard(shard, site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
    else:
        site_dir = refuse_site_dir(project, site_dir or project / "site")
        job = Merge.read(merge) if merge else None
    try:
        with build_lock(project):
            result = _build(project, site_dir, records, jobs=jobs, incremental=incremental, shells=shells, job=job)
    except OSError as exc:
        where = exc.filename or site_dir
        raise BuildFailed(f"cannot write {where}: {exc.strerror or exc}; the previous site is untouched") from exc
    if job is not None:
        for line in job.summary():
            print(f"sillok: {line}", file=sys.stderr)
    return result


def _build(
    project: Path,
    site_dir: Path,
    records: Path,
    *,
    jobs: int | None,
    incremental: bool,
    shells: bool,
    job: Shard | Merge | None = None,
) -> CheckResult:
    cache_dir = project / cache.FOLDER
    timings: dict[str, float] = {}
    # staging folders are removed however the build ends (sillok.site.output.staging)
    with (
        staging_folder(site_dir.parent) as staging,
        staging_folder(site_dir.parent) as extras,
        contextlib.ExitStack() as stack,
    ):
        mkdocs = MkDocsRun(project, staging, records, timings, cache_dir / cache.FILLED)
        stack.callback(mkdocs.stop)  # whatever fails, no MkDocs is left running
        if shells and incremental and job is None and (cache_dir / cache.FILLED).is_file():
            # docs/ holds what the last build generated, which a new record rarely changes (its lists are
            # filled in after MkDocs): MkDocs starts now, beside the check; stopped and run again if it did change
            mkdocs.start()
        return _build_in(
            project,
            site_dir,
            records,
            staging,
            extras,
            stack,
            mkdocs,
            cache_dir,
            timings,
            jobs=jobs,
            incremental=incremental,
            shells=shells,
            job=job,
        )


def _build_in(
    project: Path,
    site_dir: Path,
    records: Path,
    staging: Path,
    extras: Path,
    stack: contextlib.ExitStack,
    mkdocs: MkDocsRun,
    cache_dir: Path,
    timings: dict[str, float],
    *,
    jobs: int | None,
    incremental: bool,
    shells: bool,
    job: Shard | Merge | None,
) -> CheckResult:
    with timed(timings, "check"):
        # a cold build does not read the check cache but writes it, so the next build is incremental
        result = check([records], jobs=jobs, cache_file=cache_dir / check_cache.FILE, read_cache=incremental)
    result.timings = timings
    if not result.ok:
        raise BuildFailed(f"{len(result.errors)} problem(s) in records: nothing was built", result)
    digests = KnownDigests.from_states(result.states)  # one string per record, for the open data's keys
    result.states.clear()  # every file's digest, needed by the check only (300,000 entries at 100,000 records)
    try:
        settings = read_mkdocs_yml(project / "mkdocs.yml")
        integrity = PublicLedger.read(records, result.ledgers.get(records))  # the ledger the check verified
    except SettingsError as exc:
        raise BuildFailed(f"{exc}; nothing was built") from exc
    ordered = sorted(result.records, key=Record.sort_key)
    # the bag, search index and open data need only the records: a forked process makes them (into a
    # folder of their own: MkDocs empties the folder it builds into) while this one plans the pages,
    # waits for MkDocs and fills the record pages; a very large archive makes them after the pages, here
    files_cache = BuildCache(cache_dir, site_dir if incremental else None, cache.code_digest())
    site_files: Forked | Later | None = None
    if not isinstance(job, Shard):
        beside = Forked if len(result.records) < SITE_FILES_AFTER_PAGES_FROM else Later
        site_files = beside(_site_files, result.records, extras, settings, records, files_cache, jobs, digests)
        stack.callback(site_files.kill)
    while True:
        try:
            with timed(timings, "generate pages"):
                generated = generate_for_build(
                    result.records,
                    project,
                    settings,
                    integrity,
                    shells=shells,
                    cache_dir=cache_dir,
                    on_change=mkdocs.stop,
                )
        except GenerateError as exc:
            raise BuildFailed(f"{exc}; nothing was built") from exc
        if not mkdocs.running:
            mkdocs.start()
        mkdocs.wait()
        made_by_mkdocs = _files(staging)  # a few hundred: record and index pages are not MkDocs'
        try:
            fill(staging, made_by_mkdocs, generated.fills)
        except GenerateError as exc:
            raise BuildFailed(str(exc)) from exc
        in_trees = [path for path in made_by_mkdocs if path.startswith(spare.TREES)]
        use_spare = shells and incremental and job is None
        present, dropped = {}, cache.dropped(cache_dir)
        if use_spare:
            with timed(timings, "spare"):
                present = spare.take(site_dir, staging, cache_dir, in_trees)
        elif job is None:
            spare.discard(site_dir, cache_dir)
        if shells:
            previous, known, only = site_dir if incremental else None, None, None
            if isinstance(job, Shard):
                previous, known, only, cache_dir = job.previous(incremental), job.known, job.only, None
            elif isinstance(job, Merge):
                previous, known = job.previous(stack, site_dir.parent), job.known
            try:
                with timed(timings, "record pages"):
                    report = write_pages(
                        ordered,
                        staging,
                        settings,
                        integrity,
                        index_pages=() if isinstance(job, Shard) else generated.index_pages,  # the merge makes them
                        needed=generated.shells,
                        jobs=jobs,
                        cache_dir=cache_dir,
                        previous=previous,
                        only=only,
                        known=known,
                        present=present,
                        file_digests=digests.of,
                        record_keys=digests.key,
                    )
                spare.prune(staging, present, report.keys)
            except ShellUnsupported as exc:
                if job is not None:
                    raise BuildFailed(
                        f"{exc}; a sharded build needs the record-page shells. Nothing was built"
                    ) from exc
                print(f"sillok: {exc}; MkDocs renders the record and index pages instead", file=sys.stderr)
                shells = False
                continue  # MkDocs empties staging itself; the site files do not depend on it
            except InlineScript as exc:
                raise _inline_script_refused([(exc.page, exc.line)]) from None
            if job is not None:
                job.report = report
            if isinstance(job, Shard):
                job.export(staging, report)  # the shard's pages, nothing else of the site
                return result
        written: list[Path] = []
        if site_files is not None:
            try:
                written, files_cache.kinds, made_in = site_files.result()
            except ChildDied as exc:
                raise BuildFailed(f"{exc}; the previous site is untouched") from exc
            timings.update(made_in)
        graft(extras, staging)
        with timed(timings, "headers"):
            # record and index pages were checked when made; MkDocs' pages and the site files are read here
            extra = [path.relative_to(extras).as_posix() for path in written]
            scripts = inline_scripts(staging, skip=report.keys if shells else (), only=[*made_by_mkdocs, *extra])
            if scripts:
                raise _inline_script_refused(scripts)
            (staging / HEADERS_FILE).write_text(headers_file(), "utf-8")
        with timed(timings, "swap"):
            old = swap(staging, site_dir, keep_old=True)
            files_cache.save()  # search files and record JSON: only now does site/ hold what the keys name
            if shells:
                cache.save(
                    cache_dir, report.salt, report.keys, shells_as_json(report.shells)
                )  # only now does site/ hold the pages the keys name
            if old is not None and use_spare:
                spare.keep(old, site_dir, cache_dir, report.previous, report.keys, dropped)
            elif old is not None:
                remove_tree(old)
            if shells:
                spare.remember_files(
                    cache_dir,
                    [path for path in in_trees if path not in report.keys and (site_dir / path).is_file()],
                )
        return result


def _inline_script_refused(scripts: list[tuple[str, int]]) -> BuildFailed:
    where = ", ".join(f"{page}:{line}" for page, line in scripts[:5])
    return BuildFailed(
        f"inline <script> in the built pages ({where}): the Content-Security-Policy "
        "vouches for none; a template must load scripts from files. Nothing was published"
    )


def _site_files(
    records: list[Record],
    extras: Path,
    settings: SiteSettings,
    records_root: Path,
    files_cache: BuildCache,
    jobs: int | None,
    digests: KnownDigests,
) -> tuple[list[Path], dict, dict[str, float]]:
    """The bag, search index and open data (in the forked process): the files, the keys to save, the times."""
    timings: dict[str, float] = {}
    written = write_site_files(
        records, extras, settings, records_root, timings, cache=files_cache, jobs=jobs, digests=digests
    )
    return written, files_cache.kinds, timings


class MkDocsRun:
    """``mkdocs build --strict`` into ``staging`` in its own process: started, waited for, or stopped.

    ``timings["mkdocs build"]`` adds up MkDocs' own wall time (a stopped run's too), from its start to its end."""

    def __init__(self, project: Path, staging: Path, records: Path, timings: dict[str, float], filled: Path):
        self.project, self.staging, self.records, self.timings, self.filled = project, staging, records, timings, filled
        self.process: subprocess.Popen | None = None
        self.started, self.ended = 0.0, None

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        command = mkdocs_command("build", "--strict", "--site-dir", str(self.staging))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SILLOK_PAGES_READY": "1", **reproducible_env(self.records)}
        env[FILLED_ENV] = str(self.filled)  # the stubs of pages filled into shells after MkDocs: it excludes them
        env[PARENT_ENV] = str(os.getpid())  # MkDocs dies with the build: it never writes into a swept folder
        self.started, self.ended = time.perf_counter(), None
        self.process = subprocess.Popen(command, cwd=self.project, env=env)
        process = self.process

        def watch() -> None:  # when MkDocs ended, not when the build came to wait for it
            process.wait()
            if self.process is process:
                self.ended = time.perf_counter()

        threading.Thread(target=watch, daemon=True).start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self._done()

    def wait(self) -> None:
        """Wait for MkDocs; BuildFailed when it failed."""
        if self.process is None:
            return
        code = self.process.wait()
        self._done()
        if code != 0:
            raise BuildFailed(f"mkdocs build failed (exit {code}); the previous site is untouched")

    def _done(self) -> None:
        self.process = None
        end = self.ended or time.perf_counter()
        self.timings["mkdocs build"] = self.timings.get("mkdocs build", 0.0) + end - self.started


def graft(source: Path, target: Path) -> None:
    """Move everything in ``source`` into ``target`` (folders merged, files replaced); renames, no copies."""
    for entry in os.scandir(source):
        destination = target / entry.name
        if entry.is_dir(follow_symlinks=False) and destination.is_dir() and not destination.is_symlink():
            graft(Path(entry.path), destination)
        else:
            os.replace(entry.path, destination)


def mkdocs_command(*args: str) -> list[str]:
    """MkDocs' command line in a child process, through :func:`sillok.site.plugin.run_mkdocs` (errors as messages)."""
    code = "import sys; from sillok.site.plugin import run_mkdocs; sys.exit(run_mkdocs(sys.argv[1:]))"
    return [sys.executable, "-c", code, *args]


def reproducible_env(records: Path) -> dict[str, str]:
    """``SOURCE_DATE_EPOCH`` at the archive's last seal, so MkDocs dates the sitemaps (and their gzip
    header) by the archive, not by the clock: the same records build the same bytes on any day."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return {}
    epoch = seal_epoch(records)
    return {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else {}


def swap(new: Path, target: Path, *, keep_old: bool = False) -> Path | None:
    """Replace ``target`` by ``new`` so that a reader always finds a whole site, old or new.

    On Linux the two folders are exchanged in one atomic ``renameat2(RENAME_EXCHANGE)``; elsewhere
    two renames, and should the second fail the old site is put back. The old site is deleted, or
    with ``keep_old`` left for the caller, who gets the folder now holding it (None if there was none).
    """
    if target.exists() and _exchange(new, target):
        if keep_old:
            return new  # ``new`` now holds the old site
        remove_tree(new)
        return None
    old = None
    if target.exists():
        old = target.with_name(f"{PREFIX}old-{os.getpid()}-{target.name}")  # swept if a kill leaves it
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None and not keep_old:
        remove_tree(old)
        return None
    return old


def _files(folder: Path) -> list[str]:
    """Every file under ``folder``, relative, sorted."""
    found = []
    for dirpath, _dirs, names in os.walk(folder):
        relative = os.path.relpath(dirpath, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + name for name in names]
    return sorted(found)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def site_stats(site_dir: Path, records: int) -> str:
    """Files and bytes of a built site, and files per record (some static hosts cap a site's file count)."""
    files = size = 0
    for dirpath, _dirnames, filenames in os.walk(site_dir):
        for name in filenames:
            files += 1
            size += os.stat(os.path.join(dirpath, name)).st_size
    per_record = f", {files / records:.2f} per record" if records else ""
    return f"{files} files{per_record}, {size / 1e6:.1f} MB"
