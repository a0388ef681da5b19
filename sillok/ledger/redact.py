"""``sillok redact``: the one formal, logged way to change a sealed file.

A redaction under the Personal Information Protection Act (개인정보 보호법) is an act of the
office, not an edit: the archivist first removes the personal data from the file, then
``sillok redact`` writes a public entry in ``records/redactions.jsonl`` (legal basis, dates,
approver, scope, a notice in both languages), appends the redacted files' new digests to the ledger
(the new lines supersede the old ones; nothing is rewritten) and seals both.

A redaction only removes: each redacted file must be its sealed text with every removed span
replaced by one redaction mark (:data:`sillok.ledger.mask.MARK`) and nothing else changed, or it
is refused, naming the file and the first line that differs. The ledger keeps only digests, so the
sealed text is read from git (:func:`sealed_text`): the newest commit whose blob of that file has
the digest the ledger holds, read without replace refs or grafts. The digest is what makes the
comparison sound, whatever the repository holds: a blob with another digest is never taken as
the sealed text.

Nothing published reveals what was removed: the entry holds no digest of the removed text or of
the file before redaction, and the superseded ledger line, which held the unredacted file's plain
SHA-256, is purged (see :func:`purge`). The unredacted text still lives in git history and in
copies of the site until they are purged outside the tool (guide/integrity.md, "Redaction").
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sillok.ledger import formats as L
from sillok.ledger.fixity import hash_file
from sillok.ledger.git import GitError, git, top_and_prefix
from sillok.ledger.mask import MARK, only_removes
from sillok.ledger.seal import Checked, SealRefused, append_lines, write_seal
from sillok.record import schema


@dataclass(frozen=True)
class Request:
    """What the office decided: the facts the public notice states."""

    record: str
    """The record id."""
    files: tuple[str, ...]
    """The record's files that were redacted (``ko.md``, ``en.md``, ...)."""
    basis: str
    """The legal basis, e.g. ``개인정보 보호법 제36조``."""
    requested: dt.date
    """When the data subject's request was received."""
    decided: dt.date
    """When the office decided to redact."""
    approver: str
    """The role (not the name) of the official who approved it, e.g. 개인정보 보호책임자."""
    scope: str
    """What was removed, in kind, never in content (e.g. "a private person's mobile number")."""
    notice_ko: str
    notice_en: str


def record_folder(root: Path, record_id: str) -> Path:
    return root / record_id[:4] / record_id


def redact(root: Path, request: Request, result: Checked) -> dict:
    """Log the redaction, reseal the redacted files and seal; returns the entry written.

    ``result`` is a check of the archive made by the caller (:func:`sillok.check.check.check`), so this
    stage needs nothing from the stages above it.

    Refuses (:class:`~sillok.ledger.seal.SealRefused`) unless the only errors in the archive are the named
    files of the named record differing from the ledger, and the record is otherwise valid.
    """
    if not schema.RECORD_ID.fullmatch(request.record) or not record_folder(root, request.record).is_dir():
        raise SealRefused(f"no record {request.record!r} in {root}")
    if request.decided < request.requested:
        raise SealRefused(f"decided {request.decided} is before requested {request.requested}")
    for text in (request.basis, request.approver, request.scope, request.notice_ko, request.notice_en):
        if not text.strip():
            raise SealRefused("basis, approver, scope and both notices are required: a redaction must explain itself")
    paths = {f"{request.record[:4]}/{request.record}/{name}" for name in request.files}
    changed = {_rel(root, p.path) for p in result.errors if p.code == "sealed-modified"}
    other = [p for p in result.errors if not (p.code == "sealed-modified" and _rel(root, p.path) in paths)]
    if other:
        raise SealRefused("the archive has errors besides the redacted files; fix them first", other)
    current = L.current(result.ledgers[root].ledger)
    for path in sorted(paths):
        if path not in current:
            raise SealRefused(f"{path} is not sealed: only sealed files are redacted (edit it and seal it normally)")
    unchanged = sorted(paths - changed)
    if unchanged:
        raise SealRefused(
            f"{', '.join(unchanged)}: unchanged; remove the personal data from the file first, then run sillok redact"
        )
    for path in sorted(paths):
        check_only_removes(root, path, current[path].digest)
    fixity = result.ledgers[root]
    first = fixity.archive.ledger.count(b"\n") + 1
    lines = [L.LedgerLine(first + i, hash_file(root / path), path) for i, path in enumerate(sorted(paths))]
    entry = {
        "number": len(fixity.redactions) + 1,
        "time": L.now_utc(),
        "record": request.record,
        "files": sorted(request.files),
        "basis": request.basis,
        "requested": request.requested.isoformat(),
        "decided": request.decided.isoformat(),
        "approver": request.approver,
        "scope": request.scope,
        "notice": {"ko": request.notice_ko, "en": request.notice_en},
        "supersedes": [current[line.path].number for line in lines],
        "ledger_lines": [line.number for line in lines],
        "seal": (fixity.seals[-1].number + 1) if fixity.seals else 1,
    }
    L.append(root / L.REDACTION_LOG, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
    append_lines(root, lines)
    purge(root, entry)
    write_seal(root, fixity.seals)
    return entry


HISTORY_DEPTH = 200
"""How many commits that touched a file are searched for its sealed version."""


def sealed_text(root: Path, path: str, digest: str) -> bytes:
    """The sealed bytes of ``path`` (relative to the archive root): the newest committed version whose
    SHA-256 is ``digest``. Raises :class:`SealRefused` when git has no such version."""
    try:
        top, prefix = top_and_prefix(root)
        name = f"{prefix}/{path}" if prefix != "." else path
        commits = git(top, "rev-list", f"--max-count={HISTORY_DEPTH}", "HEAD", "--", name).decode().split()
    except (GitError, ValueError) as exc:
        raise SealRefused(
            f"{root / path}: cannot read its sealed version from git ({exc}); "
            "sillok redact compares the redacted text with the sealed one, which only git keeps"
        ) from exc
    for commit in commits:
        data = git(top, "show", f"{commit}:{name}", check=False)
        if L.sha256(data) == digest:
            return data
    raise SealRefused(
        f"{root / path}: no commit holds the sealed version (sha256 {digest}); "
        "commit the archive as sealed before redacting, so the redaction can be compared with it"
    )


def check_only_removes(root: Path, path: str, digest: str) -> None:
    """Refuse unless the file at ``path`` is its sealed text with spans replaced by :data:`MARK`."""
    sealed = sealed_text(root, path, digest).decode("utf-8", "replace")
    redacted = (root / path).read_bytes().decode("utf-8", "replace")
    difference = only_removes(sealed, redacted)
    if difference is not None:
        raise SealRefused(
            f"{root / path}:{difference.line}: {difference.reason}: {difference.found[:120]!r} — "
            f"a redaction only removes: replace each removed span by {MARK} and change nothing else"
        )


def purge(root: Path, entry: dict) -> None:
    """Turn the superseded ledger lines into ``# purged`` comments and their salts into their leaves.

    The leaf was computed from the salt, so every seal still verifies; the digest of the unredacted
    file and the salt are gone, so nothing left can be tested against a guess of the removed text.
    """
    archive = L.IntegrityFiles.read(root)
    old_lines = archive.ledger.split(b"\n")
    old_salts = archive.salts.split(b"\n")
    ledger_changes, salt_changes = {}, {}
    for number in entry["supersedes"]:
        path = old_lines[number - 1].split(b"  ", 1)[1].decode()
        ledger_changes[number] = L.LedgerLine(number, "", path, entry["number"]).text().rstrip("\n").encode("ascii")
        salt_changes[number] = b"purged " + L.leaf(old_salts[number - 1], old_lines[number - 1]).encode("ascii")
    L.replace_lines(root / L.SALTS, salt_changes)
    L.replace_lines(root / L.LEDGER, ledger_changes)


def _rel(root: Path, shown: str) -> str:
    """A problem's path (as displayed) relative to the archive root."""
    path = Path(shown)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return shown
