"""``sillok serve``: a live preview that shows an edited record's page in well under two seconds at any size.

One incremental build, then ``site/`` is served from 127.0.0.1 while ``records/`` is watched
(polled: no extra dependency, no inotify limits). When only the files of existing records change
and their dates do not move them in time, the *fast path* re-reads those records, and fills their
pages and their neighbours' (whose previous/next links show their titles) into the last build's
shells: milliseconds, whatever the archive's size. Anything else (a record added or removed, a date
changed, the ledger, a template, mkdocs.yml) runs an incremental build, which also refreshes the
indexes, search and open data. A record with an error is reported and its page left as it was.

The fast path does not refresh index pages, search or open data until the next build; pages it
writes are dropped from the build cache, so the next build renders them again.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sillok.record.model import Record
from sillok.record.reader import read_record
from sillok.record.schema import LANGUAGES
from sillok.site.integrity import PublicLedger
from sillok.site.recordpages import cache
from sillok.site.recordpages.write import page_file, render_pages, shells_from_json
from sillok.site.render import Neighbours
from sillok.site.settings import read_mkdocs_yml

WATCHED_PROJECT_FILES = ("mkdocs.yml", "overrides", "docs")


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under ``folders``, by path: what the watcher compares."""
    state = {}
    for folder in folders:
        if folder.is_file():
            stat = folder.stat()
            state[str(folder)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            if dirpath.endswith(os.sep + "docs") or os.sep + "docs" + os.sep in dirpath + os.sep:
                dirnames[:] = [d for d in dirnames if d != "records"]  # generated pages, not sources
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


@dataclass
class Preview:
    """The built archive as the preview knows it: records in order, and what fills a page."""

    project: Path
    site: Path
    build: Callable[[], list[Record]]
    log: Callable[[str], None] = field(default=functools.partial(print, file=sys.stderr, flush=True))
    ordered: list[Record] = field(default_factory=list)
    _inputs: tuple | None = None
    """The last build's shells, settings and public ledger: read at the first edit after a build, then kept
    (a change to any of them is not a record edit and runs a build, which forgets them)."""

    def rebuild(self) -> None:
        started = time.perf_counter()
        self._inputs = None
        self.ordered = sorted(self.build(), key=Record.sort_key)
        self.log(f"sillok serve: built {len(self.ordered)} records in {time.perf_counter() - started:.1f} s")

    def changed(self, paths: set[str]) -> None:
        """React to changed files: the fast path for edited records, else a build."""
        records = (self.project / "records").resolve()
        folders = {Path(p).parent for p in paths}
        index = {record.path.resolve(): n for n, record in enumerate(self.ordered)}
        if not all(folder.resolve() in index for folder in folders) or not folders:
            return self._build_safely()
        started = time.perf_counter()
        touched: set[int] = set()
        for folder in folders:
            problems: list = []
            record = read_record(folder, problems)
            errors = [p for p in problems if p.severity == "error"]
            if record is None or errors:
                for problem in errors:
                    self.log(problem.format())
                self.log(f"sillok serve: {folder.relative_to(records.parent)} has errors; its page is unchanged")
                continue
            number = index[folder.resolve()]
            old = self.ordered[number]
            keys = [r.sort_key() for r in self.ordered]
            if (
                record.id != old.id
                or bisect.bisect_left(keys[:number] + keys[number + 1 :], record.sort_key()) != number
            ):
                return self._build_safely()  # moved in time: its neighbours and indexes change
            self.ordered[number] = record
            touched |= {n for n in (number - 1, number, number + 1) if 0 <= n < len(self.ordered)}
        if touched:
            try:
                self._write(sorted(touched))
            except (OSError, ValueError, KeyError) as exc:  # no shells saved (the last build fell back to MkDocs)
                self.log(f"sillok serve: {exc}; building instead")
                return self._build_safely()
            names = ", ".join(sorted(self.ordered[n].id for n in touched))
            self.log(f"sillok serve: updated {names} in {time.perf_counter() - started:.2f} s")

    def _write(self, numbers: list[int]) -> None:
        folder = self.project / cache.FOLDER
        if self._inputs is None:
            self._inputs = (
                shells_from_json(json.loads((folder / cache.SHELLS).read_text("utf-8"))),
                read_mkdocs_yml(self.project / "mkdocs.yml"),
                PublicLedger.read(self.project / "records"),
            )
        shells, settings, integrity = self._inputs
        items = []
        for n in numbers:
            previous = self.ordered[n - 1] if n else None
            following = self.ordered[n + 1] if n + 1 < len(self.ordered) else None
            items.append((self.ordered[n], Neighbours(previous, following)))
        render_pages(items, shells, self.site, settings, integrity)
        cache.drop_pages(folder, [page_file(self.ordered[n].id, language) for n in numbers for language in LANGUAGES])

    def _build_safely(self) -> None:
        try:
            self.rebuild()
        except Exception as exc:  # the preview keeps serving the last good site
            self.log(f"sillok serve: build failed: {exc}")


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the standard library's signature; quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # the preview changes under the reader
        super().end_headers()


def serve(
    preview: Preview,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    poll: float = 0.3,
    stop: threading.Event | None = None,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Build, serve ``preview.site`` at ``host:port`` and rebuild on changes until ``stop`` is set (or Ctrl-C)."""
    stop = stop or threading.Event()
    preview.rebuild()
    handler = functools.partial(_Handler, directory=str(preview.site))
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watched = [preview.project / "records", *(preview.project / name for name in WATCHED_PROJECT_FILES)]
    watched = [path for path in watched if path.exists()]
    state = snapshot(watched)
    preview.log(f"sillok serve: http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
    if ready:
        ready(server.server_address[1])
    records = str((preview.project / "records").resolve())
    try:
        while not stop.wait(poll):
            now = snapshot(watched)
            if now == state:
                continue
            paths = {p for p in now.keys() | state.keys() if now.get(p) != state.get(p)}
            state = now
            if all(str(Path(p).resolve()).startswith(records + os.sep) for p in paths) and not any(
                Path(p).parent.resolve() == Path(records).resolve() or Path(p).name.startswith(".") for p in paths
            ):
                preview.changed(paths)
            else:
                preview._build_safely()
            # ``state`` stays what was seen before handling: a file saved while a page was being written
            # (an editor saving twice) differs from it and is handled at the next poll, never lost
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
