"""Files of the previous site reused by key: what lets search and open data be redone only where inputs changed.

Each reusable file of a built site has a *key*, a digest of everything it is made from (for search
files, the digest of their uncompressed content; for a record's JSON, of the record, its files'
digests and the settings) mixed with a salt of the sillok code, the library versions and the
settings. :class:`ReusedFiles` remembers the keys of the last build's files in
``.sillok-cache/<name>.json``; a file whose key is unchanged is hard-linked from the previous
``site/`` instead of made again, so an incremental build writes the same bytes as a cold one.

The cache names files of the previous site, so it is forgotten before a build writes anything and
saved only once the new site has been swapped into place (:meth:`ReusedFiles.save`): a build that
fails or is killed half-way leaves no cache naming files it did not publish.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path


def digest(*parts: bytes | str) -> str:
    """SHA-256 of ``parts`` separated by NUL bytes: a key."""
    out = hashlib.sha256()
    for part in parts:
        out.update(part.encode("utf-8") if isinstance(part, str) else part)
        out.update(b"\0")
    return out.hexdigest()


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` shares ``source``'s bytes: a hard link (built files are never changed after writing), or a copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class ReusedFiles:
    """The keys of one kind of file in the last build (``name``), and the keys of this build's as they are made."""

    def __init__(self, cache_dir: Path | None, name: str, salt: str, previous: Path | None):
        self.cache_dir, self.name, self.salt = cache_dir, name, salt
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.known: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.known_extra: dict = {}
        """What the last build's maker of these files remembered beside their keys (its ``extra``), same salt only."""
        self.extra: dict = {}
        """What this build's maker wants remembered beside the keys (e.g. where each record's part of a file is)."""
        self.reused = 0
        self.made_dirs: set[Path] = set()
        if cache_dir is not None and self.previous is not None:
            try:
                data = json.loads((cache_dir / f"{name}.json").read_text("utf-8"))
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("files"), dict):
                self.known = data["files"]
                self.known_extra = data["extra"] if isinstance(data.get("extra"), dict) else {}
        if cache_dir is not None:
            (cache_dir / f"{name}.json").unlink(missing_ok=True)  # until this build's site is in place

    def parent(self, path: Path) -> None:
        """Make ``path``'s folder once per build."""
        if path.parent not in self.made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(path.parent)

    def reuse(self, site_dir: Path, relative: str, key: str) -> bool:
        """Link ``relative`` from the previous site when it was made from the same inputs; True when done."""
        if self.known.get(relative) != key or self.previous is None:
            return False
        source = self.previous / relative
        if not source.is_file():
            return False
        target = site_dir / relative
        self.parent(target)
        link_or_copy(source, target)
        self.keys[relative] = key
        self.reused += 1
        return True

    def made(self, relative: str, key: str) -> None:
        """Remember ``relative``, written into the new site by the caller, under ``key``."""
        self.keys[relative] = key

    def write(self, site_dir: Path, relative: str, key: str, content: bytes) -> None:
        """Write a file that could not be reused (into a fresh site folder: nothing is there to replace)."""
        target = site_dir / relative
        self.parent(target)
        target.unlink(missing_ok=True)  # never write through a link to the previous site's file
        target.write_bytes(content)
        self.keys[relative] = key

    def save(self) -> None:
        """Remember this build's keys; call only once the site they describe is the published ``site/``."""
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        (self.cache_dir / ".gitignore").write_text("*\n", "utf-8")
        temporary = self.cache_dir / f".{self.name}.json.tmp"
        data = {"salt": self.salt, "files": self.keys, **({"extra": self.extra} if self.extra else {})}
        temporary.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), "utf-8")
        os.replace(temporary, self.cache_dir / f"{self.name}.json")


class BuildCache:
    """The reusable files of one build: one :class:`ReusedFiles` per kind, all saved together after the swap."""

    def __init__(self, cache_dir: Path | None, previous: Path | None, salt: str):
        self.cache_dir, self.previous, self.salt = cache_dir, previous, salt
        self.kinds: dict[str, ReusedFiles] = {}

    def files(self, name: str, *salt: str) -> ReusedFiles:
        """The files of kind ``name`` (``search``, ``open-data``), salted further by ``salt`` (settings they depend on)."""
        if name not in self.kinds:
            self.kinds[name] = ReusedFiles(self.cache_dir, name, digest(self.salt, name, *salt), self.previous)
        return self.kinds[name]

    def save(self) -> None:
        for kind in self.kinds.values():
            kind.save()
