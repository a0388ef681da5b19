"""The one error model: every refusal sillok raises is a :class:`SillokError`.

Two kinds reach a person, and each has its exit code, mapped in one place (:func:`sillok.cli.main`;
the MkDocs plugin turns them into ``PluginError`` in one place too):

- :class:`UsageError` (exit 2): the command was asked for something it cannot do as asked
  (a missing folder, a bad option value, a site folder that would overwrite the archive).
- :class:`ProblemsFound` (exit 1): the input has problems; each is a
  :class:`~sillok.record.problems.Problem` with path, line, code, message and hint, collected so an
  archivist sees them all at once.

Modules define their refusals as subclasses of these two (``SealRefused(ProblemsFound)``), so a
caller can catch one kind or all of them, and nothing else needs to know the exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record stage imports this module; the type is only for annotations
    from sillok.record.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class SillokError(Exception):
    """Base of every error sillok raises on purpose; anything else is a bug."""

    exit_code: int = EXIT_PROBLEMS
    """What the command line exits with when this error stops it."""


class UsageError(SillokError):
    """The request itself is wrong: fix the command, not the records (exit 2)."""

    exit_code = EXIT_USAGE


class ProblemsFound(SillokError):
    """The input has problems, each located and explained (exit 1).

    ``problems`` may be empty when the refusal is one sentence (``str(error)``) with no file to point at.
    """

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems: list[Problem] = list(problems)
        """Every problem found, in the order they should be shown."""
