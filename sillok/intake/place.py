"""Put imported records into the archive: all of a record or nothing, never over an existing one.

Each record is written into a temporary folder inside the archive, checked there with the same
reader ``sillok check`` uses, and only then renamed into place; a file that is refused leaves
nothing behind. Every refusal is collected and reported at once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sillok.check.progress import Progress
from sillok.intake import importer
from sillok.record.model import Office
from sillok.record.problems import Problem, ProblemCollector, display_path, errors
from sillok.record.reader import read_record


@dataclass
class ImportResult:
    """What an import did: the record folders it created, and every file it refused and why."""

    created: list[Path] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    """One error per refused input file (more when the check found several problems)."""
    warnings: list[Problem] = field(default_factory=list)
    """Warnings of the check on records that were imported (shown to the reviewer)."""
    sources: dict[Path, Path] = field(default_factory=dict)
    """Created record folder → the file it was imported from."""


def import_files(
    files: list[Path],
    records: Path,
    *,
    office: Office,
    record_type: str = "press-release",
    slug: str | None = None,
    progress: bool | None = None,
) -> ImportResult:
    """Import saved pages into the archive at ``records``; refusals are collected, never raised."""
    result = ImportResult()
    new_archive = not records.exists()
    records.mkdir(parents=True, exist_ok=True)
    bar = Progress(len(files), "importing", enabled=progress)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=records))
    try:
        for path in files:
            _import_one(path, records, staging, office, record_type, slug, result)
            bar.advance()
    finally:
        bar.close()
        shutil.rmtree(staging, ignore_errors=True)
        if new_archive and not result.created:
            records.rmdir()  # nothing was imported: leave no trace
    return result


def _import_one(
    path: Path, records: Path, staging: Path, office: Office, record_type: str, slug: str | None, result: ImportResult
) -> None:
    out = ProblemCollector(path, result.refused)
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.error(0, f"cannot be read: {exc.strerror}", "check the file name", code="import-unreadable")
        return
    try:
        record = importer.convert(
            data, source_file=path.name, office=office, record_type=record_type, slug=slug, records=records
        )
    except importer.Unrecognised as exc:
        out.error(exc.line, exc.message, exc.hint, code="import-unrecognised")
        return
    target = records / f"{record.year:04d}" / record.id
    if target.exists() or target.is_symlink():
        earlier = result.sources.get(target)
        also = f" (imported from {display_path(earlier)} in this run)" if earlier else ""
        out.error(
            0,
            f"{display_path(target)} already exists{also}; import never overwrites a record",
            "if this is another record, import it alone with --slug to give it another id",
            code="import-exists",
        )
        return
    folder = staging / f"{record.year:04d}" / record.id
    folder.mkdir(parents=True)
    try:
        for name, text in record.files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        problems: list[Problem] = []
        read_record(folder, problems)
        if errors(problems):
            for problem in errors(problems):
                where = problem.path.replace(display_path(folder), display_path(target))
                out.error(
                    0,
                    f"the imported record would not pass the check: {where}:{problem.line}: {problem.message}",
                    problem.hint,
                    code="import-check",
                )
            return
        target.parent.mkdir(exist_ok=True)
        try:
            os.rename(folder, target)  # atomic; fails rather than replace a non-empty folder
        except OSError as exc:
            out.error(0, f"cannot move the record into {display_path(target)}: {exc.strerror}", code="import-exists")
            return
        result.created.append(target)
        result.sources[target] = path
        for problem in problems:
            result.warnings.append(
                Problem(problem.path.replace(display_path(folder), display_path(target)), *_rest(problem))
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rest(problem: Problem) -> tuple:
    return (problem.line, problem.column, problem.code, problem.message, problem.hint, problem.severity)
