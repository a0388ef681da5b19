"""Sharded builds: the record pages of a very large archive made in parallel jobs, then merged into one site.

A *shard* is the record pages of the records of some years. ``sillok build --shard year:2020``
runs the check and MkDocs as usual (the pages' shells and neighbours are the whole archive's) but
renders only the pages of that shard's records, and writes them into a shard folder with a manifest,
``sillok-shard.json``: the shard, the sillok version and code digest, the salt (settings, theme,
libraries) and each page's cache key. Nothing else of the site is made, and ``site/`` and the build
cache are not touched.

``sillok build --merge DIR…`` is an ordinary build whose "previous site" is the shards' pages: a
page whose key, computed again by the merge, equals the shard's is linked from the shard; any other
page (a neighbour changed in another shard, a record in no shard) is rendered by the merge. So the
merged site is the single build's, byte for byte, by the same guarantee that makes an incremental
build equal a cold one. A shard folder that is missing, unreadable, made by another sillok, or that
overlaps another shard is refused (exit 2); a shard built with other settings or another theme is
not reused, and the merge says so.

Years, not an equal split in N: records are immutable and added in time, so a new record changes
the shard of its own year (and at most the first or last page of the next or previous year's,
which the merge renders again); an equal split by count would move every boundary, and so every
shard, as the archive grows.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import sillok
from sillok.errors import UsageError
from sillok.record.model import Record
from sillok.site.output.staging import staging_folder
from sillok.site.recordpages import cache

if TYPE_CHECKING:
    from sillok.site.recordpages.write import Report

MANIFEST = "sillok-shard.json"
FORMAT = 1
_SPEC = re.compile(r"year:(?P<first>[0-9]{4})?(?P<range>-(?P<last>[0-9]{4})?)?")
_PAGE = re.compile(r"(?:[a-z]{2}/)?records/[^/]+/index\.html|records/[^/]+/[A-Za-z0-9][A-Za-z0-9._-]*")
"""A record page, or an attachment beside the default language's page (placed with the pages)."""


class ShardRefused(UsageError):
    """A shard spec or a shard folder that cannot be used (exit 2)."""


@dataclass(frozen=True)
class ShardSpec:
    """The years of a shard, inclusive; ``None`` is open (``year:2024-`` takes every later year too)."""

    first: int | None
    last: int | None

    @classmethod
    def parse(cls, text: str) -> ShardSpec:
        match = _SPEC.fullmatch(text.strip())
        if match is None or not (match["first"] or match["last"]):
            raise ShardRefused(
                f"--shard {text!r}: not a shard; give years: year:2020, year:2018-2020, year:2024- (that year "
                "and every later one) or year:-2015 (that year and every earlier one)"
            )
        first = int(match["first"]) if match["first"] else None
        last = int(match["last"]) if match["last"] else (None if match["range"] else first)
        if first is not None and last is not None and first > last:
            raise ShardRefused(f"--shard {text!r}: the first year comes after the last; write year:{last}-{first}")
        return cls(first, last)

    def __str__(self) -> str:
        if self.first == self.last:
            return f"year:{self.first}"
        return f"year:{self.first or ''}-{self.last or ''}"

    def __contains__(self, record: Record) -> bool:
        return self.holds(record.year)

    def holds(self, year: int) -> bool:
        return (self.first is None or year >= self.first) and (self.last is None or year <= self.last)

    def overlaps(self, other: ShardSpec) -> bool:
        low, high = max(self.first or 0, other.first or 0), min(self.last or 9999, other.last or 9999)
        return low <= high

    @property
    def folder_name(self) -> str:
        """A folder name for the shard (``shards/year-2020``)."""
        return str(self).replace(":", "-")


def toolchain() -> dict[str, str]:
    """What made a shard's pages besides its inputs: a shard from another sillok is refused, not merged."""
    return {"sillok": sillok.__version__, "code": cache.code_digest()}


@dataclass
class Shard:
    """One shard job: render the pages of ``spec``'s records and write them with their keys into ``folder``."""

    spec: ShardSpec
    folder: Path
    report: Report | None = None
    _old: dict = field(default_factory=dict)

    def previous(self, incremental: bool) -> Path | None:
        """The last run's shard folder (say, restored by actions/cache), whose unchanged pages are reused."""
        if not incremental or not (self.folder / MANIFEST).is_file():
            return None
        try:
            self._old = json.loads((self.folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return self.folder

    def known(self, salt: str) -> dict[str, str]:
        old = self._old
        same = old.get("salt") == salt and old.get("shard") == str(self.spec)
        same = same and all(old.get(k) == v for k, v in toolchain().items())
        return dict(old.get("pages", {})) if same else {}

    def only(self, record: Record) -> bool:
        return record in self.spec

    def export(self, staging: Path, report: Report) -> None:
        """Move the shard's pages out of the staging site into its folder, with the manifest; replace the old one."""
        self.report = report
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f".shard-{os.getpid()}-", dir=self.folder.parent))
        try:
            for page in report.keys:
                target = new / page
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / page, target)
            manifest = {"format": FORMAT, "shard": str(self.spec), **toolchain(), "salt": report.salt}
            manifest["pages"] = report.keys
            (new / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=0), "utf-8")
            if self.folder.exists():
                shutil.rmtree(self.folder)
            os.replace(new, self.folder)
        finally:
            shutil.rmtree(new, ignore_errors=True)

    def summary(self) -> list[str]:
        report = self.report
        if report is None:
            return []
        records = len({page.split("/")[-2] for page in report.keys})
        return [
            f"shard {self.spec}: {records} records' pages into {self.folder} "
            f"({report.rendered} rendered, {report.reused} reused from the last run)"
        ]


@dataclass
class Artifact:
    """A shard folder read back for a merge."""

    folder: Path
    spec: ShardSpec
    salt: str
    pages: dict[str, str]


def read_artifact(folder: Path) -> Artifact:
    """A shard folder's manifest, checked: present, from this sillok, naming only record pages it holds."""
    where = f"--merge {folder}"
    if not folder.is_dir():
        raise ShardRefused(f"{where}: no such folder (a shard job's artifact that was not downloaded?)")
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise ShardRefused(f"{where}: no {MANIFEST}; that folder is not a shard made by sillok build --shard") from None
    except (OSError, ValueError) as exc:
        raise ShardRefused(f"{where}: {MANIFEST} cannot be read ({exc}); build the shard again") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict):
        raise ShardRefused(f"{where}: {MANIFEST} is not a shard manifest this sillok reads; build the shard again")
    mine = toolchain()
    for name, value in mine.items():
        if data.get(name) != value:
            what = "version" if name == "sillok" else "code"
            raise ShardRefused(
                f"{where}: made by another sillok {what} ({data.get(name)!r}, this is {value!r}); its pages "
                "cannot be merged — build that shard again with this sillok (drop its cached copy)"
            )
    spec = ShardSpec.parse(str(data.get("shard", "")))
    for page in data["pages"]:
        path = PurePosixPath(page)
        if not _PAGE.fullmatch(page) or ".." in path.parts:
            raise ShardRefused(f"{where}: {MANIFEST} names {page!r}, which is not a record page or attachment")
        file = folder / page
        if file.is_symlink() or not file.is_file():
            raise ShardRefused(f"{where}: {page} is listed in {MANIFEST} but missing (an incomplete artifact?)")
    return Artifact(folder, spec, str(data.get("salt")), dict(data["pages"]))


def expand(folders: list[Path]) -> list[Path]:
    """Each folder, or the shard folders inside it when it is not a shard itself (downloaded artifacts)."""
    found = []
    for folder in folders:
        inside = sorted(p for p in folder.iterdir() if (p / MANIFEST).is_file()) if folder.is_dir() else []
        found += inside if inside and not (folder / MANIFEST).exists() else [folder]
    return found


@dataclass
class Merge:
    """The merge job: a build whose previous site is the shards' pages."""

    artifacts: list[Artifact]
    report: Report | None = None
    ignored: list[Artifact] = field(default_factory=list)

    @classmethod
    def read(cls, folders: list[Path]) -> Merge:
        """The shard folders, each given or found one level down (``--merge shards`` takes every shard in it)."""
        artifacts = [read_artifact(folder) for folder in expand(folders)]
        for number, one in enumerate(artifacts):
            for other in artifacts[:number]:
                if one.spec.overlaps(other.spec):
                    raise ShardRefused(
                        f"--merge {one.folder}: shard {one.spec} overlaps shard {other.spec} ({other.folder}); "
                        "each record belongs to one shard"
                    )
        return cls(artifacts)

    def previous(self, stack: contextlib.ExitStack, parent: Path) -> Path:
        """Every shard's pages linked into one folder (removed with the build's staging folders)."""
        folder = stack.enter_context(staging_folder(parent))
        for artifact in self.artifacts:
            for page in artifact.pages:
                target = folder / page
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(artifact.folder / page, target)
                except OSError:
                    shutil.copyfile(artifact.folder / page, target)
        return folder

    def known(self, salt: str) -> dict[str, str]:
        """The keys of the shards made with this build's settings and theme; the others are set aside, named."""
        keys: dict[str, str] = {}
        self.ignored = [artifact for artifact in self.artifacts if artifact.salt != salt]
        for artifact in self.artifacts:
            if artifact.salt == salt:
                keys.update(artifact.pages)
        return keys

    def summary(self) -> list[str]:
        report = self.report
        if report is None:
            return []
        offered = sum(len(artifact.pages) for artifact in self.artifacts)
        lines = [
            f"merged {len(self.artifacts)} shard(s): {report.reused} of their {offered} files (pages, attachments) reused, "
            f"{report.rendered} record pages rendered here (changed neighbours, records in no shard)"
        ]
        lines += [
            f"shard {artifact.spec} ({artifact.folder}) was built with other settings or another theme: "
            f"its {len(artifact.pages)} files (pages, attachments) were made again here"
            for artifact in self.ignored
        ]
        return lines
