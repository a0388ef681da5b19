"""Write the open data into a site: streamed to disk, encoded in worker processes, unchanged parts reused.

Files (paths under the site root, :mod:`sillok.site.urls`):

- ``data/{lang}/records.csv``, ``records.json``, ``records.jsonl``: every record, one row each;
- ``data/records/YYYY/MM.json``: the documents of one month's records (named from the ids' dates);
- ``sitemap-records.xml`` (past 50,000 URLs, its parts and an index);
- ``data/record.schema.json``, ``data/data-dictionary.md`` and the Atom feeds, small and made whole.

Every large file is one part per record between a fixed header and footer
(:mod:`sillok.site.data.segments`). A record's parts (:func:`~sillok.site.data.opendata.record_parts`)
depend on its files, the base URL and the rights only, so each record has a *key*: the SHA-256 of
its id and of the digests of its files as the check read them (:class:`KnownDigests`, no file read
again). In a build into a fresh folder with the build cache (``reuse``):

- a file whose records all have the keys they had is hard-linked from the previous site (a month
  nobody added to, every bulk file when nothing changed);
- any other file is written part by part: a record with a known key has its part copied from the
  previous site's file (in the kernel, runs of neighbouring parts at once), any other record is
  encoded, in worker processes when there are many (a cold build: all of them);
- where each part went is kept in the cache (:class:`~sillok.site.data.segments.Layout`) for the next build.

Nothing holds more than a few hundred records' parts at a time, so memory does not grow with the
archive beyond the records themselves and one key per record. Without ``reuse`` (``mkdocs build``
through the plugin, or a folder written before), every file is written to a temporary file and
replaces the old one only when its bytes differ.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sillok.ledger.fixity import FileState
from sillok.record import schema
from sillok.record.model import Record
from sillok.site.data.feeds import all_feeds
from sillok.site.data.linkeddata import SITEMAP_LIMIT, sitemap_index, urlset_around
from sillok.site.data.opendata import (
    csv_header,
    data_dictionary,
    file_digests,
    json_bytes,
    record_json_schema,
    record_parts,
)
from sillok.site.data.rights import Rights, as_rights
from sillok.site.data.segments import Layout, PreviousLayout, SegmentedFile, Shape, Sources
from sillok.site.output.forked import clean_context, die_with_parent
from sillok.site.output.reuse import ReusedFiles, digest
from sillok.site.urls import (
    DICTIONARY_PATH,
    SCHEMA_PATH,
    SITEMAP_PATH,
    dataset_path,
    normalize_base_url,
    record_json_path,
    site_url,
    sitemap_part_path,
)

OWNED = (
    ("data/records", "*/*.json"),
    ("data/records", "*.json"),  # one file per record, before the month files: removed from an old site folder
    ("feeds", "*/*.atom"),
    (".", "sitemap-records-*.xml"),
)
"""Folders whose generated files are removed when their records or feed no longer exist."""

CHUNK = 128
"""Records encoded per task in a worker: large enough to pay for the round trip, small enough to stream."""
PARALLEL_FROM = 2 * CHUNK
"""Fewer records to encode than this are encoded in the build's own process (a worker starts in ~0.1 s)."""


class KnownDigests:
    """The SHA-256 of every regular file in every record folder, as the check read them.

    The build takes them from the check (:meth:`from_states`) before dropping the check's per-file
    states, so the open data neither hashes a record's files again nor holds the states: one short
    string per record (``name NUL sha256 NUL …``, by name). A folder it does not know is hashed on demand.
    """

    def __init__(self, folders: dict[str, str] | None = None):
        self.folders = folders if folders is not None else {}

    @classmethod
    def from_states(cls, states: Mapping[Path, Mapping[str, FileState]]) -> KnownDigests:
        """From :attr:`sillok.check.check.CheckResult.states`: ``{archive root: {"year/id/name": state}}``."""
        grouped: dict[str, list[tuple[str, str]]] = {}
        for root, files in states.items():
            root_text = os.fspath(root)
            for relative, state in files.items():
                if state.kind != "file":
                    continue
                folder, _, name = relative.rpartition("/")
                grouped.setdefault(os.path.join(root_text, folder), []).append((name, state.digest))
        return cls({folder: _joined(pairs) for folder, pairs in grouped.items()})

    def of(self, record: Record) -> list[tuple[str, str]]:
        """``(name, sha256)`` of every regular file in the record's folder, by name."""
        folder = os.fspath(record.path)
        joined = self.folders.get(folder)
        if joined is None:
            joined = self.folders[folder] = _joined((f["path"], f["sha256"]) for f in file_digests(record))
        if not joined:
            return []
        values = joined.split("\0")
        return list(zip(values[0::2], values[1::2], strict=True))

    def key(self, record: Record) -> str:
        """What the record's open-data parts are made of: its id and its files' digests (the settings salt the cache)."""
        folder = os.fspath(record.path)
        if folder not in self.folders:
            self.of(record)
        return digest(record.id, self.folders[folder])


def _joined(pairs: Iterable[tuple[str, str]]) -> str:
    return "\0".join(f"{name}\0{sha256}" for name, sha256 in sorted(pairs))


# What goes into which file.


@dataclass(frozen=True)
class Planned:
    """One streamed file: records ``first`` to ``first + count`` (in order), put together as ``shape`` says."""

    path: str
    shape: Shape
    part: str
    """Which of :func:`record_parts` the file holds."""
    first: int
    count: int


def _shapes(base: str) -> dict[str, Shape]:
    before, after = urlset_around()
    shapes = {
        "doc": Shape("doc", f'{{"$schema":"{site_url(SCHEMA_PATH, base)}","records":[\n'.encode(), b",\n", b"\n]}\n"),
        "sitemap": Shape("sitemap", before.encode(), b"", after.encode()),
    }
    for language in schema.LANGUAGES:
        shapes[f"csv-{language}"] = Shape(f"csv-{language}", csv_header())
        shapes[f"json-{language}"] = Shape(f"json-{language}", b"[\n", b",\n", b"\n]\n", empty=b"[]\n")
        shapes[f"jsonl-{language}"] = Shape(f"jsonl-{language}", b"", b"\n", b"\n", empty=b"")
    return shapes


def plan(records: list[Record], base: str, sitemap_limit: int = SITEMAP_LIMIT) -> tuple[list[Planned], list[str]]:
    """Every streamed file, and the sitemap parts' paths when the record sitemap is split (else [])."""
    shapes = _shapes(base)
    everything = len(records)
    files = []
    for language in schema.LANGUAGES:
        files += [
            Planned(dataset_path(language, "records.csv"), shapes[f"csv-{language}"], f"csv-{language}", 0, everything),
            Planned(
                dataset_path(language, "records.json"), shapes[f"json-{language}"], f"json-{language}", 0, everything
            ),
            Planned(
                dataset_path(language, "records.jsonl"), shapes[f"jsonl-{language}"], f"json-{language}", 0, everything
            ),
        ]
    urls = [len(record.texts) for record in records]
    if sum(urls) <= sitemap_limit:
        files.append(Planned(SITEMAP_PATH, shapes["sitemap"], "sitemap", 0, everything))
        parts = []
    else:  # whole records per part (a record's pages stay together), at most sitemap_limit URLs each
        parts, first, total = [], 0, 0
        for number, count in enumerate(urls):
            if total + count > sitemap_limit and number > first:
                parts.append((first, number))
                first, total = number, 0
            total += count
        parts.append((first, everything))
        for number, (start, stop) in enumerate(parts, start=1):
            files.append(Planned(sitemap_part_path(number), shapes["sitemap"], "sitemap", start, stop - start))
        parts = [sitemap_part_path(number) for number in range(1, len(parts) + 1)]
    seen: set[str] = set()
    for month, group in itertools.groupby(range(everything), key=lambda number: record_json_path(records[number].id)):
        numbers = list(group)
        if month in seen:
            raise ValueError(
                f"{records[numbers[0]].id}: its id's date is not its date, so its month's records are not together"
            )
        seen.add(month)
        files.append(Planned(month, shapes["doc"], "doc", numbers[0], len(numbers)))
    return files, parts


# Encoding records' parts, in workers when there are many.

_WORKER: tuple[str, Rights] | None = None


def _start_worker(base: str, rights: Rights) -> None:
    global _WORKER
    die_with_parent()
    _WORKER = (base, rights)


def _encode(items: list[tuple[Record, list[tuple[str, str]]]]) -> list[dict[str, bytes]]:
    """In a worker: the parts of each record, from the digests of its files the build sent with it."""
    assert _WORKER is not None
    base, rights = _WORKER
    return [record_parts(record, base, rights, file_digests(record, known)) for record, known in items]


def _parts(record: Record, base: str, rights: Rights, digests: KnownDigests) -> dict[str, bytes]:
    return record_parts(record, base, rights, file_digests(record, digests.of(record)))


def encoded(
    records: list[Record], numbers: list[int], base: str, rights: Rights, digests: KnownDigests, jobs: int
) -> Iterator[dict[str, bytes]]:
    """The parts of ``records[n]`` for each n of ``numbers``, in that order; in ``jobs`` worker processes
    when there are enough, a few chunks ahead of the caller (never the whole archive's parts at once).

    The workers start clean (:func:`~sillok.site.output.forked.clean_context`): each chunk carries its
    records and their files' digests, so a worker holds a chunk, not a copy of the build's heap."""
    if jobs <= 1 or len(numbers) < PARALLEL_FROM:
        for number in numbers:
            yield _parts(records[number], base, rights, digests)
        return
    chunks = (
        [(records[number], digests.of(records[number])) for number in numbers[start : start + CHUNK]]
        for start in range(0, len(numbers), CHUNK)
    )
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=clean_context(__name__), initializer=_start_worker, initargs=(base, rights)
    ) as pool:
        ahead: deque[Future] = deque(pool.submit(_encode, chunk) for chunk in itertools.islice(chunks, 2 * jobs))
        while ahead:
            done = ahead.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                ahead.append(pool.submit(_encode, chunk))
            yield from done


# Writing.


class FileKeys:
    """What a whole streamed file is made of: its shape and its records' keys, in order (the keys of
    a range of records hashed once, however many files hold that range)."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.ranges: dict[tuple[int, int], str] = {}

    def __call__(self, planned: Planned) -> str:
        span = (planned.first, planned.count)
        if span not in self.ranges:
            self.ranges[span] = hashlib.sha256(
                "".join(self.keys[planned.first : planned.first + planned.count]).encode()
            ).hexdigest()
        return digest(planned.shape.header, planned.part, self.ranges[span])


def write_streamed(
    records: list[Record],
    out_dir: Path,
    base: str,
    rights: Rights,
    *,
    reuse: ReusedFiles | None,
    digests: KnownDigests,
    jobs: int,
    sitemap_limit: int = SITEMAP_LIMIT,
    report: dict[str, int] | None = None,
) -> tuple[list[Path], set[str]]:
    """Write every streamed file (``records`` in order); return the files written and every streamed path.

    ``report`` gets how many records were ``encoded``, and how many files ``linked`` whole or ``written``.
    """
    planned, sitemap_parts = plan(records, base, sitemap_limit)
    fresh = reuse is not None
    keys = [digests.key(record) for record in records] if fresh else []
    previous = (
        PreviousLayout(reuse.known_extra.get("layout") or {}, reuse.previous)
        if reuse is not None
        else PreviousLayout({}, None)
    )
    layout = Layout(keys)
    file_keys = FileKeys(keys)
    written: list[Path] = []
    streamed: list[Planned] = []
    for item in planned:
        if reuse is not None:
            key = file_keys(item)
            entry = previous.entry(item.path, item.first)
            if entry is not None and reuse.reuse(out_dir, item.path, key):
                layout.files[item.path] = entry
                continue
        streamed.append(item)
    numbers = _to_encode(streamed, keys, previous, len(records))
    sources = Sources(previous.previous)
    starts: dict[int, list[Planned]] = {}
    ends: set[int] = set()
    for item in streamed:
        starts.setdefault(item.first, []).append(item)
        ends.add(item.first + item.count)
    open_files: list[tuple[Planned, SegmentedFile]] = []
    was = [previous.index.get(key, -1) for key in keys]  # each record's number in the previous build
    try:
        parts_of = encoded(records, numbers, base, rights, digests, jobs)
        wanted = set(numbers)
        number = 0
        while number < len(records):
            for item in starts.pop(number, ()):
                open_files.append((item, SegmentedFile(out_dir, item.path, item.shape, sources, fresh, item.first)))
            if number in wanted:
                parts = next(parts_of)
                for item, segmented in open_files:
                    segmented.add(parts[item.part])
                stop = number + 1
            else:  # a run of unchanged records, in the previous order, that no file starts or ends inside
                stop = number + 1
                while (
                    stop < len(records)
                    and stop not in wanted
                    and stop not in starts
                    and stop not in ends
                    and was[stop] == was[stop - 1] + 1
                ):
                    stop += 1
                for item, segmented in open_files:
                    _copy_run(segmented, previous, item.shape.stream, keys, number, stop)
            if stop in ends:
                for item, segmented in open_files:
                    if item.first + item.count == stop:
                        written += _close(item, segmented, reuse, layout, file_keys, out_dir)
                open_files = [(item, segmented) for item, segmented in open_files if item.first + item.count > stop]
            number = stop
        for item in itertools.chain.from_iterable(starts.values()):  # files without records (an empty archive)
            segmented = SegmentedFile(out_dir, item.path, item.shape, sources, fresh, item.first)
            written += _close(item, segmented, reuse, layout, file_keys, out_dir)
    except BaseException:
        for _item, segmented in open_files:
            segmented.discard()
        raise
    finally:
        sources.close()
    if reuse is not None:
        reuse.extra["layout"] = layout.as_json()
    if report is not None:
        report.update(encoded=len(numbers), linked=len(planned) - len(streamed), written=len(streamed))
    paths = {item.path for item in planned}
    if sitemap_parts:
        index = out_dir / SITEMAP_PATH
        if write_file(index, sitemap_index(sitemap_parts, base).encode("utf-8")):
            written.append(index)
        paths.add(SITEMAP_PATH)
    return written, paths


def _copy_run(
    segmented: SegmentedFile, previous: PreviousLayout, stream: str, keys: list[str], start: int, stop: int
) -> None:
    """Records ``start … stop`` (unchanged, in the previous order) copied from the previous site: at once when
    one previous file holds them all, else one by one."""
    span = previous.span(stream, keys[start], stop - start)
    if span is not None:
        segmented.copy_run(*span)
        return
    for number in range(start, stop):
        found = previous.find(stream, keys[number])
        assert found is not None, keys[number]
        segmented.copy(*found)


def _to_encode(streamed: list[Planned], keys: list[str], previous: PreviousLayout, count: int) -> list[int]:
    """The records that some file written this time cannot copy from the previous site: encoded again."""
    needed = bytearray(count)
    for item in streamed:
        for number in range(item.first, item.first + item.count):
            if not needed[number] and (not previous.index or previous.find(item.shape.stream, keys[number]) is None):
                needed[number] = 1
    return [number for number in range(count) if needed[number]]


def _close(
    item: Planned,
    segmented: SegmentedFile,
    reuse: ReusedFiles | None,
    layout: Layout,
    file_keys: FileKeys,
    out_dir: Path,
) -> list[Path]:
    _size, changed = segmented.close()
    if reuse is not None:
        reuse.made(item.path, file_keys(item))
        layout.files[item.path] = segmented.layout_entry()
    return [out_dir / item.path] if changed else []


def write_file(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` atomically unless it already holds exactly that; True when written.

    A file that is not there yet is written directly (nothing can be half-replaced), which is what
    a build into a fresh folder does for every file.
    """
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb") as out:
                out.write(content)
            return True
        except FileExistsError:
            pass  # appeared meanwhile: replace it atomically below
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def small_files(records: list[Record], base: str, rights: Rights, site_name: str) -> dict[str, bytes]:
    """The files made whole: the JSON Schema, the data dictionary and the feeds (each feed holds 50 records)."""
    files = {
        SCHEMA_PATH: json_bytes(record_json_schema(base)),
        DICTIONARY_PATH: data_dictionary(rights).encode("utf-8"),
    }
    for path, xml in all_feeds(records, base, rights=rights, site_name=site_name).items():
        files[path] = xml.encode("utf-8")
    return files


def write_open_data(
    records: Iterable[Record],
    out_dir: Path,
    base_url: str,
    rights: Rights | str | None = None,
    *,
    site_name: str = "sillok",
    reuse: ReusedFiles | None = None,
    digests: KnownDigests | None = None,
    jobs: int | None = None,
    sitemap_limit: int = SITEMAP_LIMIT,
    report: dict[str, int] | None = None,
) -> list[Path]:
    """Write every open-data file under ``out_dir`` (the site root); return the files written, sorted.

    Data goes under ``data/``, feeds under ``feeds/`` and the record sitemap at the root. A file
    whose content is unchanged is not touched; a month file or feed with no record left is removed.
    With ``reuse`` (a build into a fresh folder), what did not change since the previous build is
    linked or copied from the previous site instead of encoded again. ``digests`` are the records'
    file digests from the check; ``jobs`` worker processes encode records (default: one per CPU).
    ``report`` gets how many records were encoded and how many streamed files were linked or written.
    """
    out_dir = Path(out_dir)
    rights = as_rights(rights)
    base = normalize_base_url(base_url)
    records = sorted(records, key=Record.sort_key)
    jobs = jobs or os.cpu_count() or 1
    written, paths = write_streamed(
        records,
        out_dir,
        base,
        rights,
        reuse=reuse,
        digests=digests or KnownDigests(),
        jobs=jobs,
        sitemap_limit=sitemap_limit,
        report=report,
    )
    for relative, content in small_files(records, base, rights, site_name).items():
        paths.add(relative)
        if write_file(out_dir / relative, content):
            written.append(out_dir / relative)
    for folder, pattern in OWNED:
        for path in (out_dir / folder).glob(pattern):
            if path.relative_to(out_dir).as_posix() not in paths:
                path.unlink()
    for folder in (out_dir / "data/records").glob("*"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return sorted(written)


def render_open_data(
    records: Iterable[Record], base_url: str, rights: Rights | str | None = None, *, site_name: str = "sillok"
) -> dict[str, bytes]:
    """Every open-data file by its path under the site root, as bytes: :func:`write_open_data` into a
    temporary folder, read back (for tests and small archives; a site build writes them in place)."""
    folder = Path(tempfile.mkdtemp(prefix="sillok-open-data-"))
    try:
        write_open_data(records, folder, base_url, rights, site_name=site_name, jobs=1)
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
    finally:
        shutil.rmtree(folder)
