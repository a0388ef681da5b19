"""Cross-checks of each redaction entry against the ledger and the seals it claims to explain.

A seal only proves that an entry was logged, not that it is true: anyone who can run sillok's own
code can rewrite an entry and reseal. So each entry must agree with the lines it accounts for:
its record has lines in the ledger; its ``files`` are exactly the files of the lines it
supersedes and of the lines that reseal them; every superseded line is purged by it and was the
file's current line until the reseal; the resealing lines follow the superseded ones and were
added by the seal the entry names, the first seal to cover the entry; and the facts a public
notice must state (basis, dates, approver, scope, both notices) are there. Entry numbering is
checked where entries are parsed (:func:`sillok.ledger.formats.parse_redactions`).
"""

from __future__ import annotations

import datetime as dt
import re

from sillok.ledger import formats as L
from sillok.record import schema
from sillok.record.problems import ProblemCollector

REQUIRED_TEXT = ("basis", "approver", "scope")
LANGUAGES = ("ko", "en")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
HINT = "redaction entries are written only by sillok redact; restore the log from git"


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _facts(entry: dict) -> list[str]:
    """What a public notice must state and this entry lacks or states wrongly."""
    wrong = [name for name in REQUIRED_TEXT if not isinstance(entry[name], str) or not entry[name].strip()]
    notice = entry["notice"]
    wrong += [
        f"notice.{lang}" for lang in LANGUAGES if not isinstance(notice.get(lang), str) or not notice[lang].strip()
    ]
    requested, decided = _date(entry["requested"]), _date(entry["decided"])
    wrong += [name for name, value in (("requested", requested), ("decided", decided)) if value is None]
    if requested and decided and decided < requested:
        wrong.append("decided (before requested)")
    if not isinstance(entry["time"], str) or not _TIME.fullmatch(entry["time"]):
        wrong.append("time")
    return wrong


def check_entries(entries: list[dict], ledger: list[L.LedgerLine], seals: list[L.Seal], out: ProblemCollector) -> None:
    """Report, on the redaction log's line, every way an entry disagrees with the ledger and seals."""
    by_record: dict[str, list[L.LedgerLine]] = {}
    for line in ledger:
        by_record.setdefault(line.record_id, []).append(line)
    for entry in entries:
        number, where = entry["number"], entry["line"]
        problems: list[str] = []
        wrong = _facts(entry)
        if wrong:
            problems.append(f"lacks a public fact: {', '.join(wrong)} is empty or invalid")
        record = entry["record"]
        files = entry["files"]
        if not schema.RECORD_ID.fullmatch(record) or record not in by_record:
            problems.append(f"names record {record!r}, which has no line in the ledger")
        if not files or not all(isinstance(name, str) for name in files) or len(set(files)) != len(files):
            problems.append(f"names no files, or a file twice: files={files!r}")
        expected = {f"{record[:4]}/{record}/{name}" for name in files if isinstance(name, str)}
        supersedes, reseals = entry["supersedes"], entry["ledger_lines"]
        if not (len(supersedes) == len(reseals) == len(files)):
            problems.append(
                f"has {len(files)} file(s) but supersedes {len(supersedes)} and reseals {len(reseals)} ledger line(s)"
            )
        old = [ledger[n - 1] if n <= len(ledger) else None for n in supersedes]
        new = [ledger[n - 1] if n <= len(ledger) else None for n in reseals]
        for n, line in zip(supersedes, old, strict=True):
            if line is None or line.purged_by != number or line.path not in expected:
                problems.append(f"supersedes ledger line {n}, which is not a line of its files purged by it")
        for n, line in zip(reseals, new, strict=True):
            if line is None or not line.digest or line.path not in expected:
                problems.append(f"reseals at ledger line {n}, which is not a sealed line of its files")
        old_paths = {line.path: line.number for line in old if line is not None}
        new_paths = {line.path: line.number for line in new if line is not None}
        if not problems and (set(old_paths) != expected or set(new_paths) != expected):
            problems.append("its superseded and resealing lines are not one pair per file it names")
        for path, n in new_paths.items():
            before = [line.number for line in by_record.get(record, []) if line.path == path and line.number < n]
            if path in old_paths and (not before or before[-1] != old_paths[path]):
                problems.append(f"reseal line {n} of {path} does not directly follow its superseded line")
        problems += _seal_problems(entry, seals, reseals)
        for problem in problems:
            out.error(where, f"redaction {number} {problem}", HINT, code="redaction-entry")


def _seal_problems(entry: dict, seals: list[L.Seal], reseals: list[int]) -> list[str]:
    """The entry's seal is the first that covers it, and added the lines it reseals."""
    index = next((i for i, seal in enumerate(seals) if seal.redaction_lines >= entry["line"]), None)
    if index is None:
        return []  # reported as an unsealed redaction entry by the chain check
    covering = seals[index]
    if entry["seal"] != covering.number:
        return [f"names seal {entry['seal']}, but seal {covering.number} is the first to cover it"]
    before = seals[index - 1].ledger_lines if index else 0
    outside = [n for n in reseals if not before < n <= covering.ledger_lines]
    if outside:
        return [f"reseals ledger line(s) {outside}, which seal {covering.number} did not add"]
    return []
