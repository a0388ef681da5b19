"""``sillok check``: read every record, collect every problem, then answer once.

Records are independent, so large archives are read in parallel worker processes; problems that
involve several records (duplicate ids, an office named two ways) are found afterwards.
"""

from __future__ import annotations

import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

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


def _read_chunk(folders: list[Path]) -> list[tuple[Path, Record | None, list[Problem], dict[str, fixity.FileState]]]:
    """Read and check records, and hash their files while the worker has them in hand."""
    results = []
    for folder in folders:
        problems: list[Problem] = []
        results.append((folder, read_record(folder, problems), problems, fixity.folder_states(folder)))
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


def check(paths: list[Path], *, jobs: int | None = None, progress: bool | None = None) -> CheckResult:
    """Check archive roots and/or record folders; every problem is returned, none raised."""
    result = CheckResult()
    roots, folders = resolve_targets(paths)
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
    folders = sorted(set(folders))
    result.checked = len(folders)
    bar = Progress(len(folders), "checking records", enabled=progress)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(folders) >= PARALLEL_FROM:
        chunks = [folders[i : i + CHUNK] for i in range(0, len(folders), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk_result in pool.map(_read_chunk, chunks):
                _collect(result, chunk_result)
                bar.advance(len(chunk_result))
    else:
        for folder in folders:
            _collect(result, _read_chunk([folder]))
            bar.advance()
    bar.close()
    duplicate_folders(folders, result.problems)
    verify_fixity(result, folders, whole)
    cross_record_problems(result.records, result.problems)
    result.records.sort(key=Record.sort_key)
    result.problems.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    return result


def _collect(
    result: CheckResult, chunk: list[tuple[Path, Record | None, list[Problem], dict[str, fixity.FileState]]]
) -> None:
    for folder, record, problems, states in chunk:
        result.problems.extend(problems)
        if record is not None:
            result.records.append(record)
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
