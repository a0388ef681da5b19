"""Fixity: every sealed file is still exactly what was sealed, and nothing was slipped in beside it.

The check hashes each record folder's files in the worker process that reads the record
(:func:`folder_states`), then :func:`verify` compares them with the ledger: sealed files missing,
changed, replaced by a link or made executable; unsealed files inside sealed records; and the
ledger, seal log and redaction log themselves (well formed, chained, only resealed by a logged
redaction). Records not sealed yet are additions: they are listed, not rejected.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sillok.ledger import diagnose, signing
from sillok.ledger import formats as L
from sillok.ledger.entries import check_entries
from sillok.record import schema
from sillok.record.problems import Problem, ProblemCollector

SYMLINK, FOLDER, SPECIAL = "symlink", "folder", "special"


class FileState(NamedTuple):
    """What is at one path inside a record folder, as far as fixity cares (a tuple: made 30,000 times a check)."""

    kind: str
    """``file``, ``symlink``, ``folder`` or ``special``."""
    digest: str = ""
    """SHA-256 of a regular file's bytes."""
    executable: bool = False


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def file_state(path: str, dir_fd: int | None = None) -> FileState:
    """Open without following links or blocking on pipes, then hash what is there: one open, one fstat, one read.

    ``dir_fd``: an open record folder that ``path`` is relative to (saves the kernel a path walk per file).
    """
    return _file_state(path, dir_fd, 0)[0]


def _file_state(path: str, dir_fd: int | None, keep: int) -> tuple[FileState, bytes | None]:
    """:func:`file_state`, and the bytes hashed when the file is a regular file of at most ``keep`` bytes."""
    state, data = _read_state(path, dir_fd)
    return state, data if data is not None and len(data) <= keep else None


def _read_state(path: str, dir_fd: int | None) -> tuple[FileState, bytes | None]:
    try:
        fd = os.open(path, _OPEN_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        try:
            st = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return FileState("missing"), None
        return FileState(SYMLINK if exc.errno == errno.ELOOP or stat.S_ISLNK(st.st_mode) else SPECIAL), None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return FileState(FOLDER), None
        if not stat.S_ISREG(st.st_mode):
            return FileState(SPECIAL), None
        data = os.read(fd, st.st_size + 1)  # one read for a file that did not grow since fstat
        if len(data) <= st.st_size:
            return FileState("file", hashlib.sha256(data).hexdigest(), bool(st.st_mode & 0o111)), data
        digest = hashlib.sha256(data)
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return FileState("file", digest.hexdigest(), bool(st.st_mode & 0o111)), None
    finally:
        os.close(fd)


def hash_file(path: Path | str) -> str:
    """SHA-256 of a regular file's bytes (not following a symbolic link)."""
    state = file_state(os.fspath(path))
    if state.kind != "file":
        raise OSError(errno.EINVAL, f"not a regular file but a {state.kind}", os.fspath(path))
    return state.digest


def folder_states(folder: Path | str) -> dict[str, FileState]:
    """Every entry of a record folder by its path relative to the archive root (``year/id/name``)."""
    return folder_contents(folder)[0]


def folder_contents(folder: Path | str, keep: frozenset[str] = frozenset(), limit: int = 0) -> tuple[dict, dict]:
    """:func:`folder_states`, and the bytes of the files named in ``keep`` of at most ``limit`` bytes, by name.

    The check parses the very bytes it hashed: one read per file, and what was checked is what was hashed.
    """
    folder = os.fspath(folder)
    parent, name = os.path.split(folder)
    prefix = f"{os.path.basename(parent)}/{name}/"
    try:
        dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return {}, {}
    states: dict[str, FileState] = {}
    contents: dict[str, bytes] = {}
    try:
        for entry in os.listdir(dir_fd):
            state, data = _file_state(entry, dir_fd, limit if entry in keep else 0)
            states[prefix + entry] = state
            if data is not None:
                contents[entry] = data
    finally:
        os.close(dir_fd)
    return states, contents


def record_folders(root: Path) -> list[str]:
    """Record folders under an archive root, without reporting tree problems (the check does that)."""
    folders = []
    for year in sorted(os.scandir(root), key=lambda e: e.name):
        if year.is_dir(follow_symlinks=False) and schema.YEAR_FOLDER.fullmatch(year.name):
            folders.extend(e.path for e in os.scandir(year.path) if e.is_dir(follow_symlinks=False))
    return sorted(folders)


def _states_of(folders: list[str]) -> dict[str, FileState]:
    states: dict[str, FileState] = {}
    for folder in folders:
        states.update(folder_states(folder))
    return states


def _plain_states_of(folders: list[str]) -> list[tuple[str, str, str, bool]]:
    """In a worker: states as plain tuples, which cross the process boundary at half the pickling cost."""
    return [(path, *state) for path, state in _states_of(folders).items()]


def archive_states(root: Path, *, jobs: int = 1) -> dict[str, FileState]:
    """Hash every file of every record folder, in ``jobs`` processes."""
    folders = record_folders(root)
    if jobs <= 1 or len(folders) < 400:
        return _states_of(folders)
    size = max(64, len(folders) // (jobs * 4))
    states: dict[str, FileState] = {}
    make = tuple.__new__
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(_plain_states_of, [folders[i : i + size] for i in range(0, len(folders), size)]):
            states.update((item[0], make(FileState, item[1:])) for item in part)
    return states


@dataclass
class Ledger:
    """What the ledger says, read once, for the check, the seal and the site."""

    archive: L.IntegrityFiles
    ledger: list[L.LedgerLine] = field(default_factory=list)
    seals: list[L.Seal] = field(default_factory=list)
    redactions: list[dict] = field(default_factory=list)
    unsealed_records: list[str] = field(default_factory=list)
    """Folders (``year/id``) with no sealed file: new records awaiting a seal."""
    unsealed_texts: list[str] = field(default_factory=list)
    """New language files (``year/id/en.md``) in sealed records: new translations awaiting a seal."""
    edited: set[str] = field(default_factory=set)
    """Sealed paths whose ledger line, not the file, was edited (the file is reported as it is: unchanged)."""


def read_archive(
    root: Path, problems: list[Problem], *, trusted_seals: int = 0, states: dict[str, FileState] | None = None
) -> Ledger:
    """Parse the integrity files and verify their chain and their redaction references.

    ``trusted_seals``: how many leading seals (and the ledger lines they cover) are byte-identical
    to a base that was checked, so their leaves need not be recomputed (``check --base``).
    ``states``: the record files as read, which let a seal mismatch be blamed on the ledger line or
    salt that changed (:func:`_explainer`).
    """
    archive = L.IntegrityFiles.read(root)
    result = Ledger(archive)
    ledger_out = ProblemCollector(root / L.LEDGER, problems)
    seal_out = ProblemCollector(root / L.SEAL_LOG, problems)
    result.ledger = L.parse_ledger(archive.ledger, ledger_out)
    result.seals = L.parse_seals(archive.seals, seal_out)
    result.redactions = L.parse_redactions(archive.redactions, ProblemCollector(root / L.REDACTION_LOG, problems))
    if archive.sealed:
        for name in (L.LEDGER, L.SALTS, L.SEAL_LOG):
            if not archive.exists[name]:
                ProblemCollector(root / name, problems).error(
                    0, "is missing, but the archive has been sealed", "restore it from git", code="ledger-missing"
                )
        start = result.seals[trusted_seals - 1].ledger_lines if 0 < trusted_seals <= len(result.seals) else 0
        ledger_leaves = L.leaves(archive, result.ledger, ProblemCollector(root / L.SALTS, problems), start)
        explain = _explainer(root, result, states, ledger_out, problems) if states is not None else None
        L.verify_chain(archive, ledger_leaves, result.seals, seal_out, ledger_out, trusted_seals, explain)
    check_entries(result.redactions, result.ledger, result.seals, ProblemCollector(root / L.REDACTION_LOG, problems))
    resealed = {n: entry["number"] for entry in result.redactions for n in entry.get("ledger_lines", [])}
    purged = {n: entry["number"] for entry in result.redactions for n in entry.get("supersedes", [])}
    last = {line.path: line.number for line in result.ledger}
    seen: set[str] = set()
    for line in result.ledger:
        if line.purged_by > 0:
            if purged.get(line.number) != line.purged_by or last[line.path] == line.number:
                ledger_out.error(
                    line.number,
                    f"line is marked purged by redaction {line.purged_by}, but that redaction does not supersede it",
                    "lines are purged only by sillok redact; restore the ledger from git",
                    code="ledger-purge",
                )
        elif line.number in purged and line.purged_by == 0:
            ledger_out.error(
                line.number,
                f"redaction {purged[line.number]} supersedes this line but it still holds the unredacted file's digest",
                "a digest of the unredacted file lets anyone test guesses of the removed text: purge it (see guide/integrity.md, Redaction)",
                code="ledger-purge",
            )
        if line.path in seen and line.number not in resealed:
            ledger_out.error(
                line.number,
                f"{line.path} is sealed again without a logged redaction",
                "a sealed file changes only through sillok redact; restore the ledger from git",
                code="ledger-reseal",
            )
        elif line.path and line.path not in seen and line.number in resealed:
            ledger_out.error(
                line.number,
                f"redaction {resealed[line.number]} names line {line.number} as a reseal, but {line.path} was not sealed before it",
                code="ledger-reseal",
            )
        seen.add(line.path)
    return result


def _explainer(root: Path, result: Ledger, states: dict[str, FileState], ledger_out: ProblemCollector, problems):
    """Name the file that changed when a seal does not match its ledger lines (see :mod:`sillok.ledger.diagnose`)."""
    digests = {path: state.digest for path, state in states.items() if state.kind == "file"}

    def explain(seal: L.Seal, previous: L.Seal | None, ledger_leaves: list[str]) -> bool:
        edited = diagnose.edited_ledger_lines(result.archive, result.ledger, ledger_leaves, seal, previous, digests)
        for line, digest in edited or ():
            ledger_out.error(
                line.number,
                f"ledger line {line.number} was edited: seal {seal.number} vouches for {line.path} as "
                f"expected={digest} (the file still has it), the line says found={line.digest}",
                "the ledger is written only by sillok seal and sillok redact; restore it from git",
                code="ledger-edited",
            )
            result.edited.add(line.path)
        if edited:
            return True
        start = previous.ledger_lines if previous else 0
        live = [line for line in result.ledger[start : seal.ledger_lines] if line.digest]
        if not live or any(digests.get(line.path) != line.digest for line in live):
            return False  # a file is missing or differs too: the seal log's message is the honest one
        name, number = diagnose.changed_since_commit(root, result.archive, seal, start) or (L.SALTS, 0)
        if name == L.SEAL_LOG:
            return False  # the seal itself changed: the seal log's message names it
        what = (
            "this line differs from the last commit"
            if number
            else f"a salt was edited (or seal {seal.number} itself, or a ledger line together with its record file)"
        )
        ProblemCollector(root / name, problems).error(
            number or start + 1,
            f"seal {seal.number} does not match ledger lines {start + 1}-{seal.ledger_lines}, whose digests agree "
            f"with the record files: {what}",
            "the ledger and salts are written only by sillok seal and sillok redact; restore them from git",
            code="salts-edited" if name == L.SALTS else "ledger-edited",
        )
        return True

    return explain


def verify(
    root: Path,
    states: dict[str, FileState],
    problems: list[Problem],
    *,
    scope: set[str] | None = None,
    trusted_seals: int = 0,
) -> Ledger:
    """Compare record files (``states``, from :func:`folder_states`) with the ledger of ``root``.

    ``scope``: record folders (``year/id``) that were read; None when the whole archive was.
    """
    result = read_archive(root, problems, trusted_seals=trusted_seals, states=states)
    current = L.current(result.ledger)
    sealed_folders = {path.rpartition("/")[0] for path in current}
    moved_to: dict[str, list[str]] | None = None  # digest -> unsealed paths, built only when a sealed file is missing
    for path, line in current.items():
        state = states.get(path)
        if state is not None and state.kind == "file" and state.digest == line.digest and not state.executable:
            continue  # the common case, kept cheap: no problem, no collector, no sorting (problems are sorted later)
        if scope is not None and path.rsplit("/", 1)[0] not in scope:
            continue
        out = ProblemCollector(root / path, problems)
        where = f"ledger line {line.number}"
        if state is None or state.kind == "missing":
            if moved_to is None:
                moved_to = defaultdict(list)
                for other, found in states.items():
                    if other not in current and found.digest:
                        moved_to[found.digest].append(other)
            moved = moved_to.get(line.digest)
            hint = (
                f"it is now at {moved[0]}: a sealed file cannot be renamed or moved; move it back"
                if moved
                else "restore it from git (git checkout -- PATH); sealed files are never deleted"
            )
            out.error(0, f"sealed file is missing ({where}, expected={line.digest})", hint, code="sealed-missing")
        elif state.kind != "file":
            out.error(
                0,
                f"sealed file was replaced by a {state.kind} ({where})",
                "restore the sealed file from git",
                code="sealed-type",
            )
        else:
            if state.digest != line.digest and path not in result.edited:
                out.error(
                    0,
                    f"sealed file was changed ({where}): expected={line.digest} found={state.digest}",
                    "a published record cannot change: restore it from git, or redact it formally with sillok redact",
                    code="sealed-modified",
                )
            if state.executable:
                out.error(
                    0,
                    f"sealed file was made executable ({where})",
                    "chmod a-x it; record files are data",
                    code="sealed-mode",
                )
    for path in sorted(path for path in states if path not in current):
        folder, name = path.rsplit("/", 1)
        if folder not in sealed_folders:
            continue
        if name in schema.TEXT_FILES.values() and states[path].kind == "file":
            result.unsealed_texts.append(path)
            ProblemCollector(root / path, problems).info(
                0,
                "new translation of a sealed record, not sealed yet",
                "after review, sillok seal adds it to the ledger",
                code="unsealed-translation",
            )
        else:
            ProblemCollector(root / path, problems).error(
                0,
                f"is not in the ledger, but its record {folder} is sealed",
                "remove it; files are added to a sealed record only as a new translation",
                code="unsealed-file",
            )
    signing.check(root, result.seals, ProblemCollector(root / signing.SIGNATURES, problems))
    read_folders = {path.rpartition("/")[0] for path in states}
    for folder in sorted(read_folders - sealed_folders):
        result.unsealed_records.append(folder)
        if result.archive.sealed:
            ProblemCollector(root / folder, problems).info(
                0,
                "new record, not sealed yet",
                "after review, sillok seal adds it to the ledger",
                code="unsealed-record",
            )
    return result


def redaction_log(records_root: Path = Path("records"), archive=None) -> list[dict]:
    """The public redaction log as data, oldest first: what the site's redaction page lists.

    Pass ``archive`` (a :func:`read_archive` result) when it was already read."""
    entries = (archive or read_archive(records_root, [])).redactions
    return [{k: entry[k] for k in L.ENTRY_FIELDS} for entry in entries]


def redactions_for(record_id: str, records_root: Path = Path("records")) -> list[dict]:
    """One record's redaction notices, oldest first, for its page: dates, basis, files, scope, notice per language."""
    return [entry for entry in redaction_log(records_root) if entry["record"] == record_id]
