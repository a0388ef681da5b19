"""The append-only ledger, the seal log and the redaction log: their formats, read and written.

Three files at the root of ``records/`` make the archive tamper-evident:

``manifest-sha256.txt`` (the ledger)
    One line per sealed file, ``<sha256>  <path>``, the path relative to ``records/``: the manifest
    format ``sha256sum -c`` and BagIt read. Lines are only ever appended. A path appears again only
    when a logged redaction reseals it; the redaction then turns the superseded line into a comment,
    ``# purged: <path> (redaction N)`` (``sha256sum -c`` skips ``#`` lines), because a plain digest
    of the unredacted file would let anyone confirm guesses of the removed text.
``ledger-salts.txt`` (the ledger's salts)
    Line i holds a random 256-bit salt for ledger line i, or, once line i is purged,
    ``purged <leaf>``. The leaf of ledger line i is ``SHA-256("sillok-ledger-leaf\\0" ‖ salt ‖ "\\n" ‖ line)``:
    seals commit to leaves, so purging a line (its text and its salt) leaves every seal verifiable
    and reveals nothing, since without the salt the leaf cannot be tested against a guess.
``seals.log`` (the seal log)
    One line per seal, ``seal=N time=… ledger_lines=L leaves_sha256=… redaction_lines=R
    redactions_sha256=… prev=…``. Each seal commits to the leaves of the first L ledger lines
    (chained through the previous seal's ``leaves_sha256``), the first R lines of the redaction log
    and the previous seal line (a hash chain), so no earlier line of any file can change without
    breaking a seal.
``redactions.jsonl`` (the redaction log)
    One JSON object per line: the formal, public record of each redaction (see :mod:`sillok.ledger.redact`).

This module only reads, writes and chains these files; checking records against them is
:mod:`sillok.ledger.fixity`, sealing is :mod:`sillok.ledger.seal`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sillok.record.problems import ProblemCollector

LEDGER = "manifest-sha256.txt"
SALTS = "ledger-salts.txt"
SEAL_LOG = "seals.log"
REDACTION_LOG = "redactions.jsonl"
ENTRY_FIELDS = (
    "number",
    "time",
    "record",
    "files",
    "basis",
    "requested",
    "decided",
    "approver",
    "scope",
    "notice",
    "supersedes",
    "ledger_lines",
    "seal",
)
"""Every redaction entry has exactly these fields, in this order."""
INTEGRITY_FILES = (LEDGER, SALTS, SEAL_LOG, REDACTION_LOG)
"""The archive-root files this module owns."""
LEAF_PREFIX = b"sillok-ledger-leaf\0"

ZERO = "0" * 64
"""The ``prev`` of the first seal."""

_PATH = rb"(?P<path>[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*)"
_LEDGER_LINE = re.compile(rb"(?P<digest>[0-9a-f]{64})  " + _PATH)
_PURGED_LINE = re.compile(rb"# purged: " + _PATH + rb" \(redaction (?P<redaction>[1-9][0-9]*)\)")
_SALT_LINE = re.compile(rb"(?P<purged>purged )?(?P<hex>[0-9a-f]{64})")
# Whole-file patterns: one C call validates a well-formed file, so only a broken file is parsed line by line.
_LEDGER_FILE = re.compile(
    rb"(?:(?:[0-9a-f]{64}  [A-Za-z0-9._-][A-Za-z0-9._/-]*|# purged: [A-Za-z0-9._/-]+ \(redaction [1-9][0-9]*\))\n)*"
)
_SALTS_FILE = re.compile(rb"(?:(?:purged )?[0-9a-f]{64}\n)*")
_SEAL_LINE = re.compile(
    r"seal=(?P<number>[1-9][0-9]*) time=(?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"
    r" ledger_lines=(?P<ledger_lines>0|[1-9][0-9]*) leaves_sha256=(?P<leaves_sha256>[0-9a-f]{64})"
    r" redaction_lines=(?P<redaction_lines>0|[1-9][0-9]*) redactions_sha256=(?P<redactions_sha256>[0-9a-f]{64})"
    r" prev=(?P<prev>[0-9a-f]{64})"
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LedgerLine(NamedTuple):
    """One line of the ledger: a file's digest at the time it was sealed (a tuple: there are tens of thousands)."""

    number: int
    """1-based line number in the ledger."""
    digest: str
    """SHA-256 of the file's bytes, lowercase hex; empty for a purged line."""
    path: str
    """POSIX path relative to ``records/``."""
    purged_by: int = 0
    """For a purged line, the redaction that purged it."""

    @property
    def record_id(self) -> str:
        """The record folder the file belongs to (``<year>/<id>/<file>``)."""
        parts = self.path.split("/")
        return parts[1] if len(parts) == 3 else ""

    def text(self) -> str:
        if self.purged_by:
            return f"# purged: {self.path} (redaction {self.purged_by})\n"
        return f"{self.digest}  {self.path}\n"


def leaf(salt: bytes, line: bytes) -> str:
    """The commitment to one ledger line (both without their newline) that seals hash: salted, so it tests no guess.

    ``SHA-256("sillok-ledger-leaf\\0" ‖ salt as 64 hex digits ‖ "\\n" ‖ line)``.
    """
    return hashlib.sha256(LEAF_PREFIX + salt + b"\n" + line).hexdigest()


def chain_leaves(previous: str, added: list[str]) -> str:
    """A seal's ``leaves_sha256``: SHA-256 of the previous seal's value (zeros for seal 1), a newline,
    and the hex leaves of the ledger lines the seal adds, one per line. A chain, so checking a new
    seal needs only the lines it adds."""
    return sha256((previous + "\n" + "".join(part + "\n" for part in added)).encode("ascii"))


@dataclass(frozen=True)
class Seal:
    """One line of the seal log."""

    number: int
    time: str
    """UTC time of sealing, ``YYYY-MM-DDTHH:MM:SSZ``."""
    ledger_lines: int
    """How many ledger lines this seal covers (all lines up to and including this one's)."""
    leaves_sha256: str
    """Commits to the leaves of the ledger's first ``ledger_lines`` lines, chained (see :func:`chain_leaves`)."""
    redaction_lines: int
    redactions_sha256: str
    """SHA-256 of the redaction log's first ``redaction_lines`` lines."""
    prev: str
    """SHA-256 of the previous seal's line (without its newline); zeros for the first seal."""
    line: int = 0
    """1-based line number in the seal log."""

    def text(self) -> str:
        return (
            f"seal={self.number} time={self.time} ledger_lines={self.ledger_lines} leaves_sha256={self.leaves_sha256} "
            f"redaction_lines={self.redaction_lines} redactions_sha256={self.redactions_sha256} prev={self.prev}"
        )

    @property
    def hash(self) -> str:
        """The seal's identity: SHA-256 of its line. Publish it anywhere to anchor the archive."""
        return sha256(self.text().encode("ascii"))


ATTRIBUTES = {LEDGER: "ledger", SALTS: "salts", SEAL_LOG: "seals", REDACTION_LOG: "redactions"}


@dataclass
class IntegrityFiles:
    """The three integrity files of one archive as read from disk (or from a git ref), unparsed."""

    root: Path
    """The archive root (the ``records/`` folder)."""
    ledger: bytes = b""
    salts: bytes = b""
    seals: bytes = b""
    redactions: bytes = b""
    exists: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> IntegrityFiles:
        archive = cls(root)
        for name, attr in ATTRIBUTES.items():
            path = root / name
            archive.exists[name] = path.is_file() and not path.is_symlink()
            if archive.exists[name]:
                setattr(archive, attr, path.read_bytes())
        return archive

    @property
    def sealed(self) -> bool:
        """Has the archive ever been sealed?"""
        return any(self.exists.values())


def split_lines(data: bytes, out: ProblemCollector) -> list[bytes]:
    """The lines of an append-only file; a file must be empty or end with a newline, and have no CR."""
    if not data:
        return []
    if not data.endswith(b"\n"):
        out.error(
            data.count(b"\n") + 1,
            "the last line has no newline: the file was cut or edited by hand",
            "restore the file from git (git checkout -- FILE)",
            code="ledger-format",
        )
    return data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")


def parse_ledger(data: bytes, out: ProblemCollector) -> list[LedgerLine]:
    """Every ledger line; each malformed line is a problem (and kept as a line that matches no file)."""
    if _LEDGER_FILE.fullmatch(data) and b"//" not in data and b"/\n" not in data:
        make = tuple.__new__  # a well-formed ledger is tens of thousands of lines: build the tuples directly
        return [
            make(LedgerLine, (number, line[:64], line[66:], 0)) if line[0] != "#" else _purged(number, line.encode())
            for number, line in enumerate(data.decode("ascii").split("\n")[:-1], 1)
        ]
    lines = []
    for number, raw in enumerate(split_lines(data, out), 1):
        match = _LEDGER_LINE.fullmatch(raw)
        purged = None if match else _PURGED_LINE.fullmatch(raw)
        if match:
            lines.append(LedgerLine(number, match["digest"].decode(), match["path"].decode()))
        elif purged:
            lines.append(LedgerLine(number, "", purged["path"].decode(), int(purged["redaction"])))
        else:
            out.error(
                number,
                f"not a ledger line: expected '<64 lowercase hex>  <path>', found {raw[:120]!r}",
                "the ledger is written only by sillok seal and sillok redact; restore it from git",
                code="ledger-format",
            )
            lines.append(LedgerLine(number, "", "", -1))  # keeps numbering; matches no file
    return lines


def _purged(number: int, raw: bytes) -> LedgerLine:
    match = _PURGED_LINE.fullmatch(raw)
    if match is None:
        return LedgerLine(number, "", "", -1)
    return LedgerLine(number, "", match["path"].decode(), int(match["redaction"]))


def leaves(archive: IntegrityFiles, ledger: list[LedgerLine], out: ProblemCollector, start: int = 0) -> list[str]:
    """Each ledger line's leaf, from its salt; a purged line's leaf as its salt line states it.

    Lines up to ``start`` are taken as already verified (identical to a checked base) and get ``"-"``.
    """
    raw_lines = archive.ledger.split(b"\n")
    if (
        _SALTS_FILE.fullmatch(archive.salts)
        and archive.salts.count(b"\n") == len(ledger)
        and all(line.purged_by >= 0 for line in ledger)
    ):
        salts = archive.salts.split(b"\n")
        if all((salts[line.number - 1][0] == 112) == (line.purged_by > 0) for line in ledger[start:]):  # b"p"urged
            return ["-"] * min(start, len(ledger)) + [
                salts[i][7:].decode()
                if ledger[i].purged_by
                else hashlib.sha256(LEAF_PREFIX + salts[i] + b"\n" + raw_lines[i]).hexdigest()
                for i in range(start, len(ledger))
            ]
    salt_lines = split_lines(archive.salts, out)
    if len(salt_lines) != len(ledger):
        out.error(
            min(len(salt_lines), len(ledger)) + 1,
            f"has {len(salt_lines)} lines but the ledger has {len(ledger)}: every ledger line has one salt line",
            "the salts are written only by sillok seal and sillok redact; restore both files from git",
            code="salts-format",
        )
    result: list[str] = []
    for line, raw_salt in zip(ledger, salt_lines, strict=False):
        match = _SALT_LINE.fullmatch(raw_salt)
        if not match:
            out.error(
                line.number,
                f"not a salt line: expected 64 lowercase hex digits or 'purged <64 hex>', found {raw_salt[:80]!r}",
                code="salts-format",
            )
            result.append("")
        elif bool(match["purged"]) != (line.purged_by > 0) and line.purged_by >= 0:
            state = "purged" if match["purged"] else "live"
            out.error(
                line.number,
                f"salt line is {state} but ledger line {line.number} is not",
                "restore both files from git",
                code="salts-format",
            )
            result.append("")
        elif match["purged"]:
            result.append(match["hex"].decode())
        else:
            result.append(leaf(match["hex"], raw_lines[line.number - 1]))
    return result + [""] * (len(ledger) - len(result))  # an unsalted line has no leaf


def parse_seals(data: bytes, out: ProblemCollector) -> list[Seal]:
    seals = []
    for number, raw in enumerate(split_lines(data, out), 1):
        match = _SEAL_LINE.fullmatch(raw.decode("ascii", "replace"))
        if not match:
            out.error(
                number,
                f"not a seal line: found {raw[:160]!r}",
                "the seal log is written only by sillok seal; restore it from git",
                code="seal-format",
            )
            continue
        values = match.groupdict()
        seals.append(
            Seal(
                number=int(values["number"]),
                time=values["time"],
                ledger_lines=int(values["ledger_lines"]),
                leaves_sha256=values["leaves_sha256"],
                redaction_lines=int(values["redaction_lines"]),
                redactions_sha256=values["redactions_sha256"],
                prev=values["prev"],
                line=number,
            )
        )
    return seals


def parse_redactions(data: bytes, out: ProblemCollector) -> list[dict]:
    """Redaction entries in order; each must be one JSON object with the fields sillok redact writes."""
    entries = []
    for number, raw in enumerate(split_lines(data, out), 1):
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            out.error(
                number,
                f"not a JSON redaction entry: {exc}",
                "the redaction log is written only by sillok redact; restore it from git",
                code="redaction-format",
            )
            continue
        missing = [name for name in ENTRY_FIELDS if not isinstance(entry, dict) or name not in entry]
        if missing:
            out.error(
                number,
                f"redaction entry lacks {', '.join(missing)}",
                "the redaction log is written only by sillok redact; restore it from git",
                code="redaction-format",
            )
            continue
        kinds = {
            "number": int,
            "record": str,
            "files": list,
            "basis": str,
            "notice": dict,
            "supersedes": list,
            "ledger_lines": list,
            "seal": int,
        }
        wrong = [
            name for name, kind in kinds.items() if not isinstance(entry[name], kind) or isinstance(entry[name], bool)
        ]
        wrong += [
            name
            for name in ("supersedes", "ledger_lines")
            if name not in wrong and not all(type(n) is int and n > 0 for n in entry[name])
        ]
        if wrong:
            out.error(
                number,
                f"redaction entry has a wrongly typed {', '.join(wrong)}",
                "the redaction log is written only by sillok redact; restore it from git",
                code="redaction-format",
            )
            continue
        if entry["number"] != number:
            out.error(
                number,
                f"redaction entry number is {entry['number']}, expected {number}",
                "entries are numbered from 1 in order; restore the log from git",
                code="redaction-format",
            )
        entry["line"] = number
        entries.append(entry)
    return entries


def prefix_digests(data: bytes, counts: set[int]) -> dict[int, str]:
    """SHA-256 of the first n lines of data for each n in counts, in one pass over the bytes."""
    wanted = sorted(counts)
    result: dict[int, str] = {}
    digest = hashlib.sha256()
    position, lines = 0, 0
    for n in wanted:
        while lines < n:
            end = data.find(b"\n", position)
            if end < 0:
                break
            digest.update(data[position : end + 1])
            position, lines = end + 1, lines + 1
        if lines == n:
            result[n] = digest.copy().hexdigest()
    return result


def verify_chain(
    archive: IntegrityFiles,
    ledger_leaves: list[str],
    seals: list[Seal],
    seal_out: ProblemCollector,
    ledger_out: ProblemCollector,
    trusted: int = 0,
    explain=None,
) -> None:
    """Each seal follows the previous one and commits to the ledger's leaves and the redaction log as they are now.

    The leaves of the first ``trusted`` seals are not recomputed (their lines are byte-identical to
    a base that was checked); their chain links still are. ``explain(seal, previous, leaves)``, when
    given, is asked first about a seal that does not match its ledger lines: it returns True when it
    reported the fault on the file that changed (:mod:`sillok.ledger.diagnose`).
    """
    ledger_count = len(ledger_leaves)
    redaction_count = archive.redactions.count(b"\n")
    redactions_at = prefix_digests(archive.redactions, {s.redaction_lines for s in seals})
    previous: Seal | None = None
    for seal in seals:
        expected_number = previous.number + 1 if previous else 1
        if seal.number != expected_number:
            seal_out.error(
                seal.line,
                f"seal number is {seal.number}, expected {expected_number}",
                "seals are numbered in order; restore the seal log from git",
                code="seal-chain",
            )
        expected_prev = previous.hash if previous else ZERO
        if seal.prev != expected_prev:
            seal_out.error(
                seal.line,
                f"seal {seal.number} does not chain: prev expected={expected_prev} found={seal.prev}",
                "a seal was edited, removed or inserted; restore the seal log from git",
                code="seal-chain",
            )
        if previous and (
            seal.ledger_lines < previous.ledger_lines
            or seal.redaction_lines < previous.redaction_lines
            or seal.time < previous.time
        ):
            seal_out.error(
                seal.line,
                f"seal {seal.number} covers less, or is older, than seal {previous.number}",
                "restore the seal log from git",
                code="seal-chain",
            )
        start = previous.ledger_lines if previous else 0
        added = ledger_leaves[start : seal.ledger_lines]
        if seal.ledger_lines > ledger_count:
            seal_out.error(
                seal.line,
                f"seal {seal.number} covers {seal.ledger_lines} ledger lines but the ledger has {ledger_count}",
                "ledger lines were removed; restore the ledger from git",
                code="seal-ledger",
            )
        elif seal.line > trusted and all(added) and "-" not in added:
            found = chain_leaves(previous.leaves_sha256 if previous else ZERO, added)
            if found != seal.leaves_sha256 and not (explain and explain(seal, previous, ledger_leaves)):
                seal_out.error(
                    seal.line,
                    f"seal {seal.number} does not match ledger lines {start + 1}-{seal.ledger_lines}: expected={seal.leaves_sha256} found={found}",
                    "a sealed ledger line (or its salt) was edited, removed or reordered; restore the ledger from git",
                    code="seal-ledger",
                )
        found = redactions_at.get(seal.redaction_lines)
        if found is None:
            seal_out.error(
                seal.line,
                f"seal {seal.number} covers {seal.redaction_lines} redaction entries but the log has {redaction_count}",
                "redaction entries were removed; restore the redaction log from git",
                code="seal-redactions",
            )
        elif found != seal.redactions_sha256:
            seal_out.error(
                seal.line,
                f"seal {seal.number} does not match the redaction log's first {seal.redaction_lines} lines: expected={seal.redactions_sha256} found={found}",
                "a redaction entry was edited; restore the redaction log from git",
                code="seal-redactions",
            )
        previous = seal
    covered = previous.ledger_lines if previous else 0
    if ledger_count > covered:
        ledger_out.error(
            covered + 1,
            f"ledger lines {covered + 1}-{ledger_count} are not covered by any seal",
            "ledger lines are added only by sillok seal, which also writes the seal; restore the ledger from git and run sillok seal",
            code="ledger-unsealed",
        )
    covered = previous.redaction_lines if previous else 0
    if redaction_count > covered:
        ProblemCollector(archive.root / REDACTION_LOG, ledger_out.problems).error(
            covered + 1,
            f"redaction entries {covered + 1}-{redaction_count} are not covered by any seal",
            "redactions are logged only by sillok redact, which also seals them",
            code="redaction-unsealed",
        )


def current(ledger: list[LedgerLine]) -> dict[str, LedgerLine]:
    """The line that holds each sealed path's current digest (the last live line for the path)."""
    return {line.path: line for line in ledger if line.digest}


def all_leaves(archive: IntegrityFiles, start: int = 0) -> list[str]:
    return leaves(
        archive,
        parse_ledger(archive.ledger, ProblemCollector(archive.root / LEDGER, [])),
        ProblemCollector(archive.root / SALTS, []),
        start,
    )


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_seal(archive: IntegrityFiles, seals: list[Seal]) -> Seal:
    """The seal that commits to the ledger and redaction log as they are in ``archive`` now."""
    previous = seals[-1] if seals else None
    start = previous.ledger_lines if previous else 0
    ledger_leaves = all_leaves(archive, start)
    return Seal(
        number=previous.number + 1 if previous else 1,
        time=max(now_utc(), previous.time if previous else ""),
        ledger_lines=len(ledger_leaves),
        leaves_sha256=chain_leaves(previous.leaves_sha256 if previous else ZERO, ledger_leaves[start:]),
        redaction_lines=archive.redactions.count(b"\n"),
        redactions_sha256=sha256(archive.redactions),
        prev=previous.hash if previous else ZERO,
    )


def new_salt() -> str:
    return os.urandom(32).hex()


def append(path: Path, data: bytes) -> None:
    """Append bytes to a file and flush them to disk (the only way these files are written)."""
    with open(path, "ab") as handle:
        handle.write(data)
        handle.flush()


def replace_lines(path: Path, changes: dict[int, bytes]) -> None:
    """Replace whole lines (1-based) of a file, atomically: the purge of a redaction, nothing else."""
    lines = path.read_bytes().split(b"\n")
    for number, text in changes.items():
        lines[number - 1] = text
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b"\n".join(lines))
    os.replace(tmp, path)
