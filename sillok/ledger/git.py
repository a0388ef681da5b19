"""Reading the archive's history from git, as it was committed, not as a local repository pretends.

``git replace`` refs and grafts (``info/grafts``) let anyone with write access to a clone swap
one object or parent for another without changing a commit id: a checker that honoured them could
be shown any base it likes. Every git call here therefore runs with ``--no-replace-objects``,
``GIT_NO_REPLACE_OBJECTS=1`` and a graft file that does not exist, so the objects read are the
objects the commit ids name. Content filters (smudge, end-of-line) are never applied:
``git show REF:PATH`` gives the blob's bytes, which are what was sealed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sillok.errors import UsageError

NO_GRAFTS = "/nonexistent/sillok-ignores-grafts"
HARDENED_ENV = {"GIT_NO_REPLACE_OBJECTS": "1", "GIT_GRAFT_FILE": NO_GRAFTS, "GIT_TERMINAL_PROMPT": "0"}


class GitError(UsageError):
    """git is missing, the folder is not in a repository, or REF does not name a commit (exit 2)."""


def git(cwd: Path, *args: str, check: bool = True) -> bytes:
    """Run ``git --no-replace-objects ARGS`` in ``cwd`` ignoring replace refs and grafts; its stdout."""
    env = {**os.environ, **HARDENED_ENV}
    try:
        done = subprocess.run(
            ["git", "--no-replace-objects", *args], cwd=cwd, capture_output=True, check=False, timeout=300, env=env
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    if check and done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def show(top: Path, ref: str, path: str) -> bytes:
    """A file's bytes at ref; empty when it did not exist there."""
    return git(top, "show", f"{ref}:{path}", check=False)


def top_and_prefix(root: Path) -> tuple[Path, str]:
    """The repository's top folder, and ``root`` relative to it (POSIX)."""
    top = Path(git(root, "rev-parse", "--show-toplevel").decode().strip())
    return top, root.resolve().relative_to(top.resolve()).as_posix()
