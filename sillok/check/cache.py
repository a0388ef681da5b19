"""The check cache: a record folder whose bytes were checked before is not parsed and validated again.

Records are immutable once sealed, yet every check used to read, parse and validate every record.
The cache (``.sillok-cache/check.sqlite3``, git-ignored) keeps, for each record folder that had no
error, the light :class:`~sillok.record.model.Record` and the warnings the reader found, as JSON,
under a **key** made of:

- the SHA-256 of every file in the folder, its name, kind (file, link, folder, device) and
  executable bit, as :func:`sillok.ledger.fixity.folder_states` reads them on *every* check — so the
  key is the folder's real bytes, never a size or a modification time (a file edited within the
  same second, or with its mtime put back, has another key);
- the folder's absolute path and the working directory (problems name paths relative to it);
- a salt: the sillok version and the source of every sillok module, PyYAML's version, Python's and
  its Unicode database's (a new sillok or Python checks everything again).

A hit replaces only the parse and validation. The fixity check against the ledger always runs on
the digests of the bytes read in this check, and a light text's body is read again from the file
and refused unless its SHA-256 is the one checked, so no cache entry can make an altered sealed file
pass or publish bytes that were not checked. Folders with an error are never stored (a record dated
in the future becomes valid with time). Each entry carries a digest of its key and payload, so a
hand-edited entry (or a damaged file) is a miss, not a record; anything unreadable is treated as no
cache. Someone who can write ``.sillok-cache/`` can still forge an entry with its digest (metadata
the page would show), exactly as they could edit the code in the same folder: a CI that publishes
must not restore ``.sillok-cache/`` from a cache other branches write, or must run ``--no-cache``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import types
import typing
import unicodedata
from functools import cache
from importlib import metadata
from pathlib import Path

import sillok
from sillok.ledger.fixity import FileState
from sillok.record import model
from sillok.record.problems import Problem

FOLDER = ".sillok-cache"
FILE = "check.sqlite3"
FORMAT = 1
"""Version of the payload layout."""


@cache
def salt() -> str:
    """Everything besides a folder's bytes that decides what reading it finds (computed once per process)."""
    digest = hashlib.sha256(f"{FORMAT}\0{sillok.__version__}\0{sys.version}\0{unicodedata.unidata_version}".encode())
    try:
        digest.update(metadata.version("PyYAML").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"no-yaml")
    package = Path(sillok.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key(folder: Path, states: dict[str, FileState]) -> str:
    """The key of a record folder as read now: its files' names, kinds, modes and digests, its place, the salt."""
    digest = hashlib.sha256(f"{salt()}\0{os.path.abspath(folder)}\0{os.getcwd()}".encode("utf-8", "surrogateescape"))
    for path in sorted(states):
        state = states[path]
        digest.update(
            f"\0{path}\0{state.kind}\0{state.digest}\0{int(state.executable)}".encode("utf-8", "surrogateescape")
        )
    return digest.hexdigest()


def _seal(entry_key: str, payload: str) -> str:
    return hashlib.sha256(f"{entry_key}\0{payload}".encode()).hexdigest()


# --- records as JSON (never pickle: the cache is a file on disk, and loading a pickle runs code) ---


def to_json(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return os.fspath(value)
    return value


def from_json(kind: object, value: object) -> object:
    """``value`` (from :func:`to_json`) as the type ``kind`` of the record model; ValueError when it does not fit."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        return from_json(next(o for o in options if o is not type(None)), value)
    if origin is typing.Literal:
        if value not in typing.get_args(kind):
            raise ValueError(f"{value!r} is not one of {typing.get_args(kind)}")
        return value
    if origin is tuple:
        return tuple(from_json(typing.get_args(kind)[0], v) for v in _list(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return {str(k): from_json(typing.get_args(kind)[1], v) for k, v in value.items()}
    if kind is dt.date:
        return dt.date.fromisoformat(_str(value))
    if kind is dt.time:
        return dt.time.fromisoformat(_str(value))
    if kind is Path:
        return Path(_str(value))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ValueError("not an object")
        hints = _hints(kind)
        return kind(**{f.name: from_json(hints[f.name], value[f.name]) for f in dataclasses.fields(kind) if f.init})
    if kind in (str, int, bool) and type(value) is kind:
        return value
    raise ValueError(f"{value!r} is not a {kind}")


@cache
def _hints(kind: type) -> dict:
    return typing.get_type_hints(kind)


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def payload(record: model.Record, problems: list[Problem]) -> str:
    return json.dumps({"record": to_json(record), "problems": [p.to_json() for p in problems]}, ensure_ascii=False)


def parse_payload(text: str) -> tuple[model.Record, list[Problem]]:
    data = json.loads(text)
    record = from_json(model.Record, data["record"])
    problems = [from_json(Problem, p) for p in data["problems"]]
    return record, problems  # type: ignore[return-value]


# --- the store ---


def path_for(records_root: Path) -> Path:
    """The cache of the archive at ``records_root``: ``.sillok-cache/`` beside it (the project folder)."""
    return Path(os.path.abspath(records_root)).parent / FOLDER / FILE


_READERS: dict[tuple[int, str], sqlite3.Connection | None] = {}


def _reader(path: str) -> sqlite3.Connection | None:
    """One read-only connection per process (workers look entries up themselves)."""
    slot = (os.getpid(), path)
    if slot not in _READERS:
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            connection.execute("SELECT key, payload, seal FROM entries LIMIT 0")
        except sqlite3.Error:
            connection = None
        _READERS[slot] = connection
    return _READERS[slot]


def lookup(path: str | None, entry_key: str) -> tuple[model.Record, list[Problem]] | None:
    """The record and warnings stored under ``entry_key``, or None (no cache, no entry, or an entry that fails its seal)."""
    connection = _reader(path) if path else None
    if connection is None:
        return None
    try:
        row = connection.execute("SELECT payload, seal FROM entries WHERE key = ?", (entry_key,)).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str) or row[1] != _seal(entry_key, row[0]):
        return None
    try:
        return parse_payload(row[0])
    except (ValueError, KeyError, TypeError, StopIteration):
        return None


def store(path: Path, entries: list[tuple[str, str]], used: set[str] | None) -> None:
    """Add ``entries`` (key, payload); with ``used`` (a whole-archive check), drop every other key. Never fails the check."""
    for slot in [slot for slot in _READERS if slot[1] == os.fspath(path)]:
        connection = _READERS.pop(slot)
        if connection is not None:
            connection.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", "utf-8")
        connection = sqlite3.connect(path, timeout=10)
    except (OSError, sqlite3.Error):
        return
    try:
        with connection:
            connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, payload TEXT, seal TEXT)")
            connection.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                ((k, text, _seal(k, text)) for k, text in entries),
            )
            if used is not None:
                connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
                connection.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)")
    except sqlite3.Error:
        pass
    finally:
        connection.close()
