"""``sillok check --base REF``: what a pull request may change in the archive, and nothing more.

A change may add records, add translations of sealed records, and append to the ledger, seal log,
redaction log and signature log; it may change a sealed file only through a redaction logged in the same change.
Everything else that touches a sealed file (modify, delete, rename, symlink, executable bit,
submodule) or rewrites the history of the three logs is rejected, naming each path and action.

The cost grows with the change, not the archive: git lists what differs from REF
(``git diff --raw -z --no-renames``), the logs are compared as byte prefixes, and only the record
folders the change touches are read and hashed. Git is read ignoring replace refs and grafts
(:mod:`sillok.ledger.git`), so a local repository cannot swap the base for another.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sillok.check import tree
from sillok.check.check import CheckResult, _collect, _read_chunk, cross_record_problems
from sillok.ledger import fixity, signing
from sillok.ledger import formats as L
from sillok.ledger.git import GitError as GitError  # re-exported: the CLI catches it from here
from sillok.ledger.git import git, show, top_and_prefix
from sillok.ledger.mask import MARK, only_removes
from sillok.record import schema
from sillok.record.model import Record
from sillok.record.problems import ProblemCollector

MODES = {
    "100644": "a regular file",
    "100755": "an executable file",
    "120000": "a symbolic link",
    "160000": "a submodule (gitlink)",
    "040000": "a folder",
    "000000": "nothing",
}
LOG_NAMES = {
    L.LEDGER: "ledger",
    L.SALTS: "ledger salts",
    L.SEAL_LOG: "seal log",
    L.REDACTION_LOG: "redaction log",
    signing.SIGNATURES: "signature log",
}
APPEND_ONLY = (*L.INTEGRITY_FILES, signing.SIGNATURES)
"""Archive-root files a change may only append to (``allowed_signers`` may change: keys rotate)."""


@dataclass(frozen=True)
class Change:
    """One path that differs between REF and the working tree."""

    status: str
    """git's letter: A added, D deleted, M modified, T type changed; U for untracked (new) files."""
    old_mode: str
    new_mode: str
    path: str
    """Relative to the archive root."""


def changes(root: Path, ref: str) -> tuple[Path, str, list[Change]]:
    """(repository top, archive root relative to it, every change below the archive root since ref)."""
    top, prefix = top_and_prefix(root)
    git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    found: list[Change] = []
    raw = git(top, "diff", "--raw", "-z", "--no-renames", "--no-ext-diff", ref, "--", prefix).split(b"\0")
    for meta, name in zip(raw[0::2], raw[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, _old, _new, status = meta[1:].decode().split(" ")
        found.append(Change(status[0], old_mode, new_mode, os.fsdecode(name)[len(prefix) + 1 :]))
    for name in git(top, "ls-files", "-z", "--others", "--exclude-standard", "--", prefix).split(b"\0"):
        if name:
            found.append(Change("U", "000000", "100644", os.fsdecode(name)[len(prefix) + 1 :]))
    return top, prefix, found


def _log_problems(name: str, old: bytes, new: bytes, ref: str, out: ProblemCollector, purged=None) -> None:
    """The log at REF must be a byte prefix of the log now, except lines a logged redaction purged
    (``purged(number, old line, new line)`` says which); otherwise say which line went how."""
    if new.startswith(old):
        return
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    if old.endswith(b"\n"):
        old_lines.pop()  # compare complete lines; what follows them in new is appended
    for number, line in enumerate(old_lines, 1):
        found = new_lines[number - 1] if number <= len(new_lines) else None
        if found == line or (found is not None and purged is not None and purged(number, line, found)):
            continue
        if found is None or (not found and number == len(new_lines)):
            what = "removed"
        elif line in new_lines:
            what = "moved (lines reordered)"
        elif found in old_lines:
            what = "removed (a later line moved up)"
        else:
            what = "changed"
        out.error(
            number,
            f"{LOG_NAMES[name]} line {number} was {what} since {ref}: expected={line[:100].decode(errors='replace')!r} "
            f"found={(found or b'')[:100].decode(errors='replace')!r}",
            f"the {LOG_NAMES[name]} is append-only: restore it from {ref} (git checkout {ref} -- {out.path}) and only append",
            code="log-rewritten",
        )
        return


def _redaction_only_removes(top: Path, prefix: str, ref: str, path: str, root: Path, out: ProblemCollector) -> None:
    """A file resealed by a redaction in this change is its text at ``ref`` with spans masked, nothing else."""
    before = show(top, ref, f"{prefix}/{path}").decode("utf-8", "replace")
    after = (root / path).read_bytes().decode("utf-8", "replace")
    difference = only_removes(before, after)
    if difference is not None:
        out.error(
            difference.line,
            f"the redaction does not only remove: {difference.reason} since {ref}: {difference.found[:100]!r}",
            f"a redaction replaces each removed span by {MARK} and changes nothing else; restore the file "
            f"(git checkout {ref} -- {out.path}) and redact again",
            code="redaction-alters",
        )


def check_changes(root: Path, ref: str) -> CheckResult:
    """Check what changed under the archive ``root`` since ``ref``; raises :class:`GitError` on usage errors."""
    top, prefix, found = changes(root, ref)
    result = CheckResult()
    problems = result.problems
    old_logs = {name: show(top, ref, f"{prefix}/{name}") for name in L.INTEGRITY_FILES}
    old_signatures = show(top, ref, f"{prefix}/{signing.SIGNATURES}")
    new_logs = L.IntegrityFiles.read(root)
    new_entries = L.parse_redactions(new_logs.redactions, ProblemCollector(root / L.REDACTION_LOG, []))
    supersedes = {n: e["number"] for e in new_entries for n in e.get("supersedes", [])}
    old_ledger_lines = old_logs[L.LEDGER].split(b"\n")

    def ledger_purged(number: int, old_line: bytes, new_line: bytes) -> bool:
        path = old_line.split(b"  ", 1)[-1].decode(errors="replace")
        return (
            number in supersedes
            and new_line.decode(errors="replace") == f"# purged: {path} (redaction {supersedes[number]})"
        )

    def salt_purged(number: int, old_line: bytes, new_line: bytes) -> bool:
        if number not in supersedes or number > len(old_ledger_lines) or not new_line.startswith(b"purged "):
            return False
        return new_line == b"purged " + L.leaf(old_line, old_ledger_lines[number - 1]).encode()

    for name, attr in L.ATTRIBUTES.items():
        purged = {L.LEDGER: ledger_purged, L.SALTS: salt_purged}.get(name)
        _log_problems(
            name, old_logs[name], getattr(new_logs, attr), ref, ProblemCollector(root / name, problems), purged
        )
    signatures = root / signing.SIGNATURES
    now = signatures.read_bytes() if signatures.is_file() and not signatures.is_symlink() else b""
    _log_problems(signing.SIGNATURES, old_signatures, now, ref, ProblemCollector(signatures, problems))

    old_sealed = L.current(L.parse_ledger(old_logs[L.LEDGER], ProblemCollector(root / L.LEDGER, [])))
    new_ledger = L.parse_ledger(new_logs.ledger, ProblemCollector(root / L.LEDGER, []))
    old_ledger_count = old_logs[L.LEDGER].count(b"\n")
    old_redaction_count = old_logs[L.REDACTION_LOG].count(b"\n")
    new_lines = [line for line in new_ledger if line.number > old_ledger_count]
    new_entries = [e for e in new_entries if e["line"] > old_redaction_count]
    resealed = {
        line.path: line for line in new_lines if line.number in {n for e in new_entries for n in e["ledger_lines"]}
    }

    touched: set[str] = {line.path.rsplit("/", 1)[0] for line in new_lines}
    added = {c.path: c for c in found if c.status in "AU"}
    added_digests: dict[str, str] | None = None
    for change in found:
        out = ProblemCollector(root / change.path, problems)
        parts = change.path.split("/")
        if len(parts) == 1:
            if change.path not in tree.ARCHIVE_FILES:
                out.error(
                    0,
                    "unexpected file in the archive root",
                    "records go in records/<year>/<record-id>/",
                    code="unexpected-file",
                )
            elif change.status == "D" and change.path in APPEND_ONLY:
                out.error(
                    0, f"was deleted since {ref}", f"restore it: git checkout {ref} -- {out.path}", code="log-rewritten"
                )
            continue
        if len(parts) != 3 or not schema.YEAR_FOLDER.fullmatch(parts[0]):
            out.error(
                0,
                "is not inside a record folder (records/<year>/<record-id>/<file>)",
                "move it into a record folder",
                code="unexpected-file",
            )
            continue
        touched.add(f"{parts[0]}/{parts[1]}")
        sealed = old_sealed.get(change.path)
        if change.new_mode in ("120000", "160000") or (change.new_mode == "100755" and change.status in "AU"):
            what = "replaced by" if sealed else "added as"
            out.error(
                0,
                f"{'sealed file ' if sealed else ''}{what} {MODES[change.new_mode]} (mode {change.old_mode} → {change.new_mode})",
                "record files are plain, non-executable files",
                code="sealed-type" if sealed else "file-mode",
            )
            continue
        if sealed is None:
            continue  # an addition, or an edit of a record not sealed at REF
        where = f"sealed at ledger line {sealed.number}"
        if change.status == "D":
            if added_digests is None:  # hashed once, and only when a sealed file was deleted
                added_digests = {p: fixity.file_state(str(root / p)).digest for p in added}
            renamed = [p for p, digest in added_digests.items() if digest == sealed.digest]
            if renamed:
                out.error(
                    0,
                    f"sealed file renamed to {renamed[0]} ({where})",
                    "sealed files cannot be renamed or moved; move it back",
                    code="sealed-renamed",
                )
            else:
                out.error(
                    0,
                    f"sealed file deleted ({where})",
                    f"restore it: git checkout {ref} -- {out.path}",
                    code="sealed-deleted",
                )
        elif change.status == "T" or change.old_mode != change.new_mode:
            out.error(
                0,
                f"sealed file changed from {MODES.get(change.old_mode, change.old_mode)} to {MODES.get(change.new_mode, change.new_mode)} ({where})",
                f"restore it: git checkout {ref} -- {out.path}",
                code="sealed-mode",
            )
        elif change.status == "M":
            reseal = resealed.get(change.path)
            if reseal is None:
                out.error(
                    0,
                    f"sealed file modified ({where})",
                    f"a published record cannot change: restore it (git checkout {ref} -- {out.path}) or redact it formally with sillok redact",
                    code="sealed-modified",
                )
            elif fixity.file_state(str(root / change.path)).digest != reseal.digest:
                out.error(
                    0,
                    f"redacted file differs from its reseal at ledger line {reseal.number}: expected={reseal.digest}",
                    "the file changed after sillok redact; restore the redacted version",
                    code="sealed-modified",
                )
            else:
                _redaction_only_removes(top, prefix, ref, change.path, root, out)

    folders = sorted(root / folder for folder in touched if (root / folder).is_dir())
    _collect(result, folders, _read_chunk(folders), set(), [])
    result.checked = len(folders)
    if new_logs.sealed or any(old_logs.values()):
        rewritten = any(p.code == "log-rewritten" for p in problems)
        trusted = 0 if rewritten else old_logs[L.SEAL_LOG].count(b"\n")  # seals identical to the checked base
        result.ledgers[root] = fixity.verify(
            root, result.states.get(root, {}), problems, scope=touched, trusted_seals=trusted
        )
    cross_record_problems(result.records, problems)
    result.records.sort(key=Record.sort_key)
    result.problems.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    return result
