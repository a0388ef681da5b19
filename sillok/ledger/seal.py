"""``sillok seal``: add every new, valid record's files to the ledger, then seal the ledger.

Sealing appends; it never rewrites a line. It refuses to seal anything while the archive has an
error, so a seal always vouches for an archive that passed ``sillok check`` and whose earlier seals
still hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sillok.errors import ProblemsFound
from sillok.ledger import formats as L
from sillok.ledger.fixity import FileState, Ledger, hash_file
from sillok.record.problems import Problem


class Checked(Protocol):
    """What sealing and redacting need of a check: :class:`sillok.check.check.CheckResult` is one.

    The caller checks the archive and hands the result in, so the ledger stage never imports the
    check stage above it."""

    @property
    def errors(self) -> list[Problem]: ...

    ledgers: dict[Path, Ledger]
    states: dict[Path, dict[str, FileState]]


class SealRefused(ProblemsFound):
    """The archive has errors, or the records asked for cannot be sealed (or redacted); nothing was written."""


@dataclass
class SealOutcome:
    lines: list[L.LedgerLine] = field(default_factory=list)
    """The ledger lines this seal added (empty when there was nothing new)."""
    seal: L.Seal | None = None
    """The seal written, or None when there was nothing to seal."""


def seal(root: Path, result: Checked, *, only: list[str] | None = None) -> SealOutcome:
    """Seal every new record (or only the record ids in ``only``) of the archive at ``root``.

    New translations of sealed records are sealed with them. Raises :class:`SealRefused` when the
    archive has any error; nothing is written then. ``result`` is the caller's check of the archive.
    """
    if result.errors:
        raise SealRefused(
            f"the archive has {len(result.errors)} error(s); fix them (sillok check) before sealing", result.errors
        )
    ledger = result.ledgers[root]
    states = result.states.get(root, {})
    candidates = [*ledger.unsealed_texts, *(p for p in states if p.rsplit("/", 1)[0] in set(ledger.unsealed_records))]
    if only is not None:
        wanted = set(only)
        unknown = wanted - {p.split("/")[1] for p in candidates}
        if unknown:
            raise SealRefused(
                f"nothing new to seal in: {', '.join(sorted(unknown))} (unknown, invalid or already sealed)"
            )
        candidates = [p for p in candidates if p.split("/")[1] in wanted]
    outcome = SealOutcome()
    if not candidates:
        return outcome
    first = ledger.archive.ledger.count(b"\n") + 1
    for number, path in enumerate(sorted(set(candidates)), first):
        outcome.lines.append(L.LedgerLine(number, hash_file(root / path), path))
    append_lines(root, outcome.lines)
    outcome.seal = write_seal(root, ledger.seals)
    return outcome


def write_seal(root: Path, seals: list[L.Seal]) -> L.Seal:
    """Append a seal committing to the ledger and redaction log as they are on disk now."""
    archive = L.IntegrityFiles.read(root)
    new = L.next_seal(archive, seals)
    L.append(root / L.SEAL_LOG, (new.text() + "\n").encode("ascii"))
    return new


def append_lines(root: Path, lines: list[L.LedgerLine]) -> None:
    """Append ledger lines, each with a fresh random salt (salts first: a crash leaves a salt too many, never a line unsalted)."""
    L.append(root / L.SALTS, "".join(L.new_salt() + "\n" for _ in lines).encode("ascii"))
    L.append(root / L.LEDGER, "".join(line.text() for line in lines).encode("ascii"))
