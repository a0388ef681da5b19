"""Files made of one part per record, written as a stream, with unchanged parts copied from the previous site.

Every bulk open-data file is ``header + part + sep + part + … + footer``: a dataset's CSV rows or
JSON lines, a month's record documents, the record sitemap's ``<url>`` entries. A part depends on
its record alone, so a build that adds one record to 10,000 needs to encode one record's parts;
the others are byte ranges of the previous site's files. :class:`SegmentedFile` writes such a file
as the parts come (never the whole file in memory), copying a run of unchanged parts that lie side
by side in the previous file in one ``copy_file_range`` call. :class:`Layout` says where each part of
each file is, by the record's key, and is kept in the build cache for the next build.

A part is only ever copied from a file whose size is the one the layout recorded when the file
was written; anything else is encoded again.
"""

from __future__ import annotations

import bisect
import filecmp
import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Shape:
    """How the parts of a file are put together."""

    stream: str
    """Which of a record's parts the file holds (e.g. ``csv-ko``); files of one stream hold the same part bytes."""
    header: bytes = b""
    sep: bytes = b""
    footer: bytes = b""
    empty: bytes | None = None
    """The whole file when it has no part (default: header and footer)."""


@dataclass
class PlacedFile:
    """Where the parts of one file of the previous site are: records ``first …`` of the previous order, in order."""

    path: str
    sep: int
    first: int
    offsets: list[int]
    lengths: list[int]


class Layout:
    """Where every record's part of every file is: remembered by one build, used by the next.

    As JSON: ``{"keys": [record key, …] (in the build's order), "files": {path: [stream, size,
    separator length, header length, number of the first record, [part lengths]]}}``; a part's offset
    follows from the lengths before it.
    """

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.files: dict[str, list] = {}

    def as_json(self) -> dict:
        return {"keys": self.keys, "files": self.files}


class PreviousLayout:
    """The previous build's :class:`Layout`, only for files still in the previous site at the recorded size."""

    def __init__(self, data: dict, previous: Path | None):
        self.previous = previous
        self.index: dict[str, int] = {}
        self.entries: dict[str, list] = {}
        self.by_stream: dict[str, tuple[list[int], list[PlacedFile]]] = {}
        if previous is None or not isinstance(data.get("keys"), list) or not isinstance(data.get("files"), dict):
            return
        self.index = {key: number for number, key in enumerate(data["keys"])}
        placed: dict[str, list[PlacedFile]] = {}
        for path, entry in data["files"].items():
            try:
                stream, size, sep, header, first, lengths = entry
                if os.stat(previous / path).st_size != size:
                    continue
            except (OSError, ValueError, TypeError):
                continue
            offsets = list(itertools.accumulate((length + sep for length in lengths[:-1]), initial=header))
            placed.setdefault(stream, []).append(PlacedFile(path, sep, first, offsets, lengths))
            self.entries[path] = entry
        for stream, files in placed.items():
            files.sort(key=lambda f: f.first)
            self.by_stream[stream] = ([f.first for f in files], files)

    def _locate(self, stream: str, key: str) -> tuple[PlacedFile, int] | None:
        """The previous file of ``stream`` holding the part ``key``, and the part's position in it."""
        number = self.index.get(key)
        if number is None or stream not in self.by_stream:
            return None
        firsts, files = self.by_stream[stream]
        at = bisect.bisect_right(firsts, number) - 1
        if at < 0:
            return None
        placed = files[at]
        position = number - placed.first
        return (placed, position) if position < len(placed.lengths) else None

    def find(self, stream: str, key: str) -> tuple[str, int, int, int] | None:
        """``(path, offset, length, separator length)`` of the part ``key`` in a previous file of ``stream``, or None."""
        found = self._locate(stream, key)
        if found is None:
            return None
        placed, position = found
        return placed.path, placed.offsets[position], placed.lengths[position], placed.sep

    def span(self, stream: str, key: str, count: int) -> tuple[str, int, int, int, list[int]] | None:
        """The parts of ``count`` records in a row, the first ``key``, when one previous file of ``stream`` holds
        them all: ``(path, offset of the first, end of the last, separator length, their lengths)``."""
        found = self._locate(stream, key)
        if found is None:
            return None
        placed, position = found
        last = position + count - 1
        if last >= len(placed.lengths):
            return None
        end = placed.offsets[last] + placed.lengths[last]
        return placed.path, placed.offsets[position], end, placed.sep, placed.lengths[position : last + 1]

    def entry(self, path: str, first: int) -> list | None:
        """The layout entry of a previous file reused whole, renumbered to where its first record is now."""
        entry = self.entries.get(path)
        return None if entry is None else [*entry[:4], first, entry[5]]


def copy_range(source: int, target: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``source`` from ``offset`` to ``target`` (in the kernel where it can)."""
    while length > 0:
        try:
            done = os.copy_file_range(source, target, length, offset)
        except (AttributeError, OSError):
            done = 0
        if done <= 0:  # unsupported here (another system, another file system): read and write
            data = os.pread(source, min(length, 1 << 20), offset)
            if not data:
                raise OSError(f"the previous site's file ended early at byte {offset}")
            _write_all(target, data)
            done = len(data)
        offset += done
        length -= done


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Sources:
    """Open files of the previous site, each opened once per build."""

    def __init__(self, previous: Path | None):
        self.previous = previous
        self.fds: dict[str, int] = {}

    def fd(self, path: str) -> int:
        if path not in self.fds:
            assert self.previous is not None
            self.fds[path] = os.open(self.previous / path, os.O_RDONLY)
        return self.fds[path]

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


FLUSH_BYTES = 1 << 20


@dataclass
class SegmentedFile:
    """One file written part by part; ``fresh`` writes straight into a new site folder, otherwise
    into a temporary file that replaces the target only when its content differs."""

    site: Path
    path: str
    shape: Shape
    sources: Sources
    fresh: bool
    first: int = 0
    """The number (in this build's order) of the file's first record."""
    lengths: list[int] = field(default_factory=list)
    _fd: int = -1
    _temporary: str | None = None
    _buffer: list[bytes] = field(default_factory=list)
    _buffered: int = 0
    _pending: tuple[str, int, int] | None = None
    size: int = -1

    def __post_init__(self) -> None:
        target = self.site / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.fresh:
            target.unlink(missing_ok=True)  # never write through a link to the previous site's file
            self._fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        else:
            self._fd, self._temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        self._put(self.shape.header)

    def _put(self, data: bytes) -> None:
        if not data:
            return
        self._flush_copy()
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= FLUSH_BYTES:
            self._flush_buffer()

    def _flush_buffer(self) -> None:
        if self._buffer:
            _write_all(self._fd, b"".join(self._buffer))
            self._buffer.clear()
            self._buffered = 0

    def _flush_copy(self) -> None:
        if self._pending is not None:
            source, start, end = self._pending
            self._pending = None
            self._flush_buffer()
            copy_range(self.sources.fd(source), self._fd, start, end - start)

    def add(self, part: bytes) -> None:
        """The next record's part, as bytes."""
        if self.lengths:
            self._put(self.shape.sep)
        self._put(part)
        self.lengths.append(len(part))

    def copy(self, source: str, offset: int, length: int, source_sep: int) -> None:
        """The next record's part, as ``length`` bytes at ``offset`` of the previous site's ``source``."""
        sep = self.shape.sep
        pending = self._pending
        if (
            pending is not None
            and self.lengths
            and pending[0] == source
            and source_sep == len(sep)
            and offset == pending[2] + len(sep)
        ):
            self._pending = (source, pending[1], offset + length)  # the separator between them comes along
        else:
            if self.lengths:
                self._put(sep)
            self._flush_copy()
            self._pending = (source, offset, offset + length)
        self.lengths.append(length)

    def copy_run(self, source: str, offset: int, end: int, source_sep: int, lengths: list[int]) -> None:
        """The next records' parts, side by side (with this file's separators between them) in ``source``
        from ``offset`` to ``end``."""
        self.copy(source, offset, lengths[0], source_sep)
        if len(lengths) > 1:
            if source_sep != len(self.shape.sep):
                raise ValueError(f"{source}: parts separated unlike {self.path}'s cannot be copied as a run")
            assert self._pending is not None
            self._pending = (source, self._pending[1], end)
            self.lengths.extend(lengths[1:])

    def close(self) -> tuple[int, bool]:
        """Finish the file; return its size and whether it was written (False: the same bytes were there)."""
        if self.lengths:
            self._put(self.shape.footer)
        elif self.shape.empty is not None:
            self._buffer, self._buffered = [self.shape.empty], len(self.shape.empty)  # nothing was written yet
        else:
            self._put(self.shape.footer)
        self._flush_copy()
        self._flush_buffer()
        self.size = size = os.fstat(self._fd).st_size
        os.close(self._fd)
        self._fd = -1
        if self.fresh:
            return size, True
        target = self.site / self.path
        assert self._temporary is not None
        if target.is_file() and target.stat().st_size == size and filecmp.cmp(self._temporary, target, shallow=False):
            os.unlink(self._temporary)
            return size, False
        os.chmod(self._temporary, 0o644)
        os.replace(self._temporary, target)
        return size, True

    def discard(self) -> None:
        """Give up the file (an error elsewhere): close it and remove what was written."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        (Path(self._temporary) if self._temporary else self.site / self.path).unlink(missing_ok=True)

    def layout_entry(self) -> list:
        """This file's entry in the :class:`Layout` (after :meth:`close`)."""
        return [self.shape.stream, self.size, len(self.shape.sep), len(self.shape.header), self.first, self.lengths]
