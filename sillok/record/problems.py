"""Problems found in records: where, what, how to fix, and how bad.

Every check reports a :class:`Problem` instead of raising, so that an archivist sees every problem
in a pull request at once and fixes it in one round (collect, then fail once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: str
    """The file (or folder) at fault, as a POSIX path relative to the working directory."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file or folder."""
    column: int
    """1-based column in characters; 0 when unknown."""
    code: str
    """A stable short name for the kind of problem, e.g. ``yaml-duplicate-key``."""
    message: str
    """What is wrong, with expected and found values where there are any."""
    hint: str = ""
    """How to fix it, in words an archivist can act on."""
    severity: Severity = "error"
    """Errors fail the check; warnings are shown to the reviewer and do not (unless --strict); info lists what is merely new."""

    def format(self) -> str:
        """``path:line:col: message — hint``, the form editors and CI logs link from."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def to_json(self) -> dict:
        return asdict(self)


def display_path(path: Path | str) -> str:
    """A path as users typed it: relative to the working directory when it is inside it."""
    p = Path(path)
    try:
        shown = p.resolve().relative_to(Path.cwd().resolve()).as_posix() if p.is_absolute() else p.as_posix()
    except ValueError:
        shown = p.as_posix()
    # a name that is not UTF-8 is shown with its bytes escaped (\xff), so it can be printed and reported
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class ProblemCollector:
    """Collects problems for one file, so checks need not repeat the path at every call."""

    def __init__(self, path: Path | str, sink: list[Problem] | None = None):
        self._path = path
        self._display: str | None = None
        self.problems: list[Problem] = sink if sink is not None else []

    @property
    def path(self) -> str:
        """Computed on first use: most files have no problem, and resolving paths is not free."""
        if self._display is None:
            self._display = display_path(self._path)
        return self._display

    def error(self, line: int, message: str, hint: str = "", *, code: str, column: int = 0) -> None:
        self.problems.append(Problem(self.path, line, column, code, message, hint, "error"))

    def warning(self, line: int, message: str, hint: str = "", *, code: str, column: int = 0) -> None:
        self.problems.append(Problem(self.path, line, column, code, message, hint, "warning"))

    def info(self, line: int, message: str, hint: str = "", *, code: str, column: int = 0) -> None:
        self.problems.append(Problem(self.path, line, column, code, message, hint, "info"))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
