"""``sillok check``: read every record, collect every problem, then answer once.

Records are independent, so large archives are read in parallel worker processes; problems that
involve several records (duplicate ids, an office named two ways) are found afterwards.
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sillok.check import cache as check_cache
from sillok.check.progress import Progress
from sillok.check.tree import find_records, git_index_problems
from sillok.ledger import fixity
from sillok.ledger.formats import LEDGER, SEAL_LOG
from sillok.record import schema
from sillok.record.model import Record
from sillok.record.problems import Problem, ProblemCollector, display_path, errors
from sillok.record.reader import read_record

PARALLEL_FROM = 400
"""Below this many records a worker pool costs more than it saves."""
CHUNK = 64
READ_ONCE = frozenset({schema.RECORD_FILE, *schema.TEXT_FILES.values()})
"""The files whose bytes the hashing hands to the reader, so each is read once."""
READ_LIMIT = max(schema.LIMITS["record_yml_bytes"], schema.LIMITS["text_bytes"])


@dataclass
class CheckResult:
    """What a check found: the valid records, and every problem, sorted by file and line."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    """How many record folders were read."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per step, when a build made this result (``sillok build`` prints them)."""
    states: dict[Path, dict[str, fixity.FileState]] = field(default_factory=dict)
    """Every record file's digest and kind, by archive root, then path relative to it."""
    ledgers: dict[Path, fixity.Ledger] = field(default_factory=dict)
    """The ledger as read and verified, per archive root that has one."""

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


Read = tuple[str | None, list[Problem], dict[str, fixity.FileState], str, bool]
"""What reading one folder gives: the payload of its light record (:func:`sillok.check.cache.payload`: the
record and its warnings as JSON; None when the record has an error), the problems of a record that has
an error, its files' states, its cache key, and whether to store the payload under that key.

A record crosses from a worker to the main process as that JSON, found in the cache or just made: the
main process decodes it at a quarter of the cost of unpickling a record (frozen dataclasses and paths
are slow to unpickle), and a record read with the cache on is stored exactly as it was shipped."""


def _read_chunk(folders: list[Path], cache_file: str | None = None, read_cache: bool = True) -> list[Read]:
    """Read and check records, and hash their files while the worker has them in hand.

    Records come back light (:meth:`Record.light`): metadata and each text's digest, not the texts,
    which a step that needs one reads again by path. A check of 100,000 records holds no text.
    With ``cache_file``, a folder whose files hash to a stored key is found in the check cache
    (:mod:`sillok.check.cache`) instead of parsed (unless ``read_cache`` is false: a cold build
    parses every record but still writes the cache); its states are still this read's digests.
    """
    results: list[Read] = []
    for folder in folders:
        states, contents = fixity.folder_contents(folder, READ_ONCE, READ_LIMIT)
        entry_key = check_cache.key(folder, states) if cache_file else ""
        found = check_cache.lookup(cache_file, entry_key) if cache_file and read_cache else None
        if found is not None:
            results.append((found, [], states, entry_key, False))
            continue
        problems: list[Problem] = []
        record = read_record(folder, problems, contents=contents)
        if record is None:  # a record with an error: no payload, its problems as they are
            results.append((None, problems, states, entry_key, False))
        else:
            results.append((check_cache.payload(record.light(), problems), [], states, entry_key, bool(cache_file)))
    return results


def resolve_targets(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Split command-line paths into archive roots (or year folders) to walk and record folders."""
    roots, folders = [], []
    for path in paths:
        if path.is_file():
            path = path.parent
        if (path / schema.RECORD_FILE).exists() or schema.YEAR_FOLDER.fullmatch(path.parent.name):
            folders.append(path)
        else:
            roots.append(path)
    return roots, folders


def check(
    paths: list[Path],
    *,
    jobs: int | None = None,
    progress: bool | None = None,
    cache_file: Path | None = None,
    read_cache: bool = True,
) -> CheckResult:
    """Check archive roots and/or record folders; every problem is returned, none raised.

    ``cache_file``: the check cache to use and update (:mod:`sillok.check.cache`); the result is
    the same with or without it. ``read_cache=False`` only writes it (a cold build: the next build
    is incremental).
    """
    result = CheckResult()
    roots, folders = resolve_targets(paths)
    whole_only = bool(roots) and not folders and not any(schema.YEAR_FOLDER.fullmatch(r.name) for r in roots)
    whole: set[Path] = set()
    for root in roots:
        if root.is_symlink():
            ProblemCollector(root, result.problems).error(
                0,
                f"the archive folder is a symbolic link (to {os.readlink(root)!r}): the site would publish "
                "whatever it points to, inside the repository or not",
                "replace the link with the real folder (git rm the link, then add the records themselves)",
                code="symlink",
            )
            continue
        if schema.YEAR_FOLDER.fullmatch(root.name):
            folders.extend(find_records(root.parent, result.problems, only=root.name))
        else:
            folders.extend(find_records(root, result.problems))
            whole.add(root)
        git_index_problems(root, result.problems)
    folders = sorted(dict.fromkeys(folders))  # in the order found, which is mostly sorted already: n comparisons
    result.checked = len(folders)
    bar = Progress(len(folders), "checking records", enabled=progress)
    jobs = jobs or os.cpu_count() or 1
    where = os.fspath(cache_file) if cache_file is not None else None
    used: set[str] = set()
    hits: set[str] = set()
    new: list[tuple[str, str]] = []
    if jobs > 1 and len(folders) >= PARALLEL_FROM:
        chunks = [folders[i : i + CHUNK] for i in range(0, len(folders), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            reads = pool.map(_read_chunk, chunks, itertools.repeat(where), itertools.repeat(read_cache))
            for chunk, chunk_result in zip(chunks, reads, strict=True):
                _collect(result, chunk, chunk_result, used, new, hits)
                bar.advance(len(chunk_result))
    else:
        for folder in folders:
            _collect(result, [folder], _read_chunk([folder], where, read_cache), used, new, hits)
            bar.advance()
    bar.close()
    if cache_file is not None:
        check_cache.store(cache_file, new, used if whole_only else None, len(hits))  # a partial check keeps others
    duplicate_folders(folders, result.problems)
    verify_fixity(result, folders, whole)
    cross_record_problems(result.records, result.problems)
    result.records.sort(key=Record.sort_key)
    result.problems.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    return result


def _collect(
    result: CheckResult,
    folders: list[Path],
    chunk: list[Read],
    used: set[str],
    new: list[tuple[str, str]],
    hits: set[str] | None = None,
) -> None:
    """Decode what workers read into ``result``; ``used``: every key, ``new``: entries to store, ``hits``: keys found."""
    for folder, (payload, problems, states, entry_key, store) in zip(folders, chunk, strict=True):
        if payload is not None:
            decoded = check_cache.decode(payload, folder)
            if decoded is None and not store:  # a cache entry another sillok wrote in another shape: read again
                payload, problems, states, entry_key, store = _read_chunk([folder])[0]
                decoded = check_cache.decode(payload, folder) if payload is not None else None
            if payload is not None:
                if decoded is None:
                    raise RuntimeError(f"{folder}: the check could not decode the record it had just read")
                record, warnings = decoded
                result.records.append(record)
                result.problems.extend(warnings)
                if store:
                    new.append((entry_key, payload))
                elif hits is not None and entry_key:
                    hits.add(entry_key)
        used.add(entry_key)
        result.problems.extend(problems)
        result.states.setdefault(folder.parent.parent, {}).update(states)


def verify_fixity(result: CheckResult, folders: list[Path], whole: set[Path]) -> None:
    """Compare the files read with each archive's ledger: whole archives in full, lone records by scope."""
    scopes: dict[Path, set[str]] = {root: set() for root in whole}
    for folder in folders:
        scopes.setdefault(folder.parent.parent, set()).add(f"{folder.parent.name}/{folder.name}")
    for root, scope in scopes.items():
        if root not in whole and not ((root / LEDGER).exists() or (root / SEAL_LOG).exists()):
            continue
        states = result.states.get(root, {})
        result.ledgers[root] = fixity.verify(root, states, result.problems, scope=None if root in whole else scope)


def id_key(record_id: str) -> str:
    """Ids that look the same to a person are the same id: NFC, then case folding."""
    return unicodedata.normalize("NFC", record_id).casefold()


def duplicate_folders(folders: list[Path], problems: list[Problem]) -> None:
    """Record ids (folder names) that are the same after NFC and case folding.

    Such folders would collide on case-insensitive or normalising file systems (macOS, Windows)
    and give two records URLs that look identical.
    """
    seen: dict[str, Path] = {}
    for folder in folders:
        key = id_key(folder.name)
        if key in seen:
            ProblemCollector(folder, problems).error(
                0,
                f"record id '{folder.name}' is the same as '{seen[key].name}' ({display_path(seen[key])}) after Unicode normalization and case folding",
                "give each record its own id",
                code="id-duplicate",
            )
        else:
            seen[key] = folder


def cross_record_problems(records: list[Record], problems: list[Problem]) -> None:
    """Offices named two ways in different records (renamed, or a typo)."""
    offices: dict[str, Record] = {}
    for record in sorted(records, key=Record.sort_key):
        first = offices.setdefault(record.office.id, record)
        if (first.office.ko, first.office.en) != (record.office.ko, record.office.en):
            ProblemCollector(record.path / schema.RECORD_FILE, problems).warning(
                0,
                f"office '{record.office.id}' is named '{record.office.ko}' / '{record.office.en}' here but "
                f"'{first.office.ko}' / '{first.office.en}' in {first.id}",
                "if the office was renamed this is right; otherwise use the same names",
                code="office-names",
            )
