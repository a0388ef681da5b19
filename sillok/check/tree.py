"""Find the record folders of an archive, and report anything else found in its tree.

``records/`` holds year folders and a few archive-level files; a year folder holds record
folders. Anything else (symbolic links, submodules, devices, stray files) is reported: MkDocs
follows symlinks and publishes their targets, so the tree itself must be clean.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sillok.ledger import signing
from sillok.ledger.formats import INTEGRITY_FILES
from sillok.record import schema
from sillok.record.problems import Problem, ProblemCollector
from sillok.record.text import name_problems

ARCHIVE_FILES = {"README.md", *INTEGRITY_FILES, *signing.FILES}
"""Files allowed directly in ``records/`` besides the year folders: a readme, and the ledger, its
salts, the seal log and the redaction log of :mod:`sillok.ledger.formats`, and the checkpoint
signatures and allowed signers of :mod:`sillok.ledger.signing`."""


def _entry_problems(path: Path, entry: os.DirEntry, problems: list[Problem]) -> bool:
    """Report a tree entry that is not a plain folder; True when it is a folder to descend into."""
    out = ProblemCollector(path, problems)
    why = name_problems(entry.name)
    if why:
        out.error(0, f"unacceptable name: {why}", "rename it", code="file-name")
    if entry.is_symlink():
        out.error(
            0,
            f"is a symbolic link (to {os.readlink(path)!r}); links can publish files from outside the archive",
            "replace the link with the real folder or file",
            code="symlink",
        )
        return False
    if entry.is_dir(follow_symlinks=False):
        if (path / ".git").exists():
            out.error(
                0,
                "is a git submodule (gitlink); the archive cannot contain other repositories",
                "remove the submodule",
                code="gitlink",
            )
            return False
        return True
    if not entry.is_file(follow_symlinks=False):
        out.error(0, "is not a regular file (a device, pipe or socket)", "remove it", code="special-file")
    return False


def find_records(root: Path, problems: list[Problem], *, only: str | None = None) -> list[Path]:
    """Every record folder under an archive root (or in its year ``only``), sorted; tree problems reported."""
    folders: list[Path] = []
    with os.scandir(root) as entries:
        top = sorted((e for e in entries if only is None or e.name == only), key=lambda e: e.name)
    for entry in top:
        path = root / entry.name
        is_dir = _entry_problems(path, entry, problems)
        if not is_dir:
            if entry.is_file(follow_symlinks=False) and not entry.is_symlink() and entry.name not in ARCHIVE_FILES:
                ProblemCollector(path, problems).error(
                    0,
                    "unexpected file in the archive root",
                    "records go in records/<year>/<record-id>/",
                    code="unexpected-file",
                )
            continue
        if not schema.YEAR_FOLDER.fullmatch(entry.name):
            ProblemCollector(path, problems).error(
                0,
                "folders in the archive root must be years (e.g. 2021)",
                "move records into records/<year>/<record-id>/",
                code="year-folder",
            )
            continue
        with os.scandir(path) as records:
            inner = sorted(records, key=lambda e: e.name)
        for record in inner:
            record_path = path / record.name
            if _entry_problems(record_path, record, problems):
                folders.append(record_path)
            elif record.is_file(follow_symlinks=False) and not record.is_symlink():
                ProblemCollector(record_path, problems).error(
                    0,
                    "file directly in a year folder; each record is a folder",
                    "move it into a record folder (sillok new makes one)",
                    code="unexpected-file",
                )
    return folders


def git_index_problems(root: Path, problems: list[Problem]) -> None:
    """Symlinks and submodules recorded in git's index, even where the checkout shows plain files.

    With ``core.symlinks=false`` git checks a symbolic link out as a small text file, so the
    working tree alone cannot be trusted to show every link that would be published elsewhere.
    """
    try:
        result = subprocess.run(
            ["git", "ls-files", "-s", "-z", "--", "."], cwd=root, capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    if result.returncode != 0:
        return  # not a git checkout: the working tree checks are all there is
    for item in result.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode = meta.split(b" ", 1)[0]
        path = root / os.fsdecode(name)
        out = ProblemCollector(path, problems)
        if mode == b"120000" and not path.is_symlink():
            out.error(
                0,
                "git records this file as a symbolic link",
                "replace the link with the real file (git rm --cached, then add the file)",
                code="symlink",
            )
        elif mode == b"160000" and not (path / ".git").exists():
            out.error(
                0, "git records this as a submodule (gitlink)", "remove the submodule (git rm --cached)", code="gitlink"
            )
