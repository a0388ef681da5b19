"""Which integrity file changed, when a seal no longer matches the ledger lines it covers.

A seal commits to the salted leaves of its ledger lines, so a mismatch alone says only that some
line or salt in its range changed. The record files say more: a sealed file that still has the
bytes it was sealed with, beside a ledger line that no longer has their digest, means the ledger
line was edited, and the seal proves it when the file's digest, put back into the line, makes the
seal match again. When every line of the range agrees with its file, what changed is a salt (or a
line's path, which the file checks report as a missing file). The fault is then reported on the
file that changed, not on the record file or the seal log.
"""

from __future__ import annotations

from pathlib import Path

from sillok.ledger import formats as L
from sillok.ledger.git import GitError, show, top_and_prefix


def edited_ledger_lines(
    archive: L.IntegrityFiles,
    ledger: list[L.LedgerLine],
    leaves: list[str],
    seal: L.Seal,
    previous: L.Seal | None,
    digests: dict[str, str],
) -> list[tuple[L.LedgerLine, str]] | None:
    """The ledger lines of ``seal``'s range whose digest was edited, each with the file's (sealed) digest,
    when putting the files' digests back makes the seal match; None when that does not explain it.

    ``digests``: the current SHA-256 of each record file that was read (path relative to the root).
    """
    start = previous.ledger_lines if previous else 0
    current = L.current(ledger)
    salts = archive.salts.split(b"\n")
    suspects = [
        line
        for line in ledger[start : seal.ledger_lines]
        if line.digest and current.get(line.path) == line and digests.get(line.path, line.digest) != line.digest
    ]
    if not suspects:
        return None
    repaired = list(leaves[start : seal.ledger_lines])
    for line in suspects:
        if line.number > len(salts) or salts[line.number - 1].startswith(b"purged"):
            return None
        raw = f"{digests[line.path]}  {line.path}".encode("ascii")
        repaired[line.number - 1 - start] = L.leaf(salts[line.number - 1], raw)
    if L.chain_leaves(previous.leaves_sha256 if previous else L.ZERO, repaired) != seal.leaves_sha256:
        return None
    return [(line, digests[line.path]) for line in suspects]


def changed_since_commit(root: Path, archive: L.IntegrityFiles, seal: L.Seal, start: int) -> tuple[str, int] | None:
    """The first of ``seal``'s own line, its ledger lines and their salts that differs from the committed
    file (git HEAD), as (file name, line); None when git cannot tell or nothing differs from HEAD."""
    try:
        top, prefix = top_and_prefix(root)
    except (GitError, ValueError):
        return None
    ranges = (
        (L.SEAL_LOG, archive.seals, seal.line, seal.line),
        (L.LEDGER, archive.ledger, start + 1, seal.ledger_lines),
    )
    for name, data, first, last in (*ranges, (L.SALTS, archive.salts, start + 1, seal.ledger_lines)):
        committed, now = show(top, "HEAD", f"{prefix}/{name}").split(b"\n"), data.split(b"\n")
        for number in range(first, min(last, len(committed), len(now)) + 1):
            if committed[number - 1] != now[number - 1]:
                return name, number
    return None
