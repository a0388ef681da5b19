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
FORMAT = 2
"""Version of the payload layout (2: dataclasses as lists of their fields)."""


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
#
# A dataclass is a JSON list of its init fields in order; the encoder and the strict decoder of each
# type of the record model are built once per process from its type hints (a warm check decodes every
# record of the archive, so no type is inspected per value).


def to_json(value: object) -> object:
    """``value`` (a record, a problem, or any value of the record model) as plain JSON data."""
    return _encoder(type(value))(value)


def from_json(kind: object, value: object) -> object:
    """``value`` (from :func:`to_json`) as the type ``kind`` of the record model; ValueError when it does not fit."""
    return _decoder(kind)(value)


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return os.fspath(value)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
    return value


@cache
def _encoder(kind: type) -> typing.Callable[[object], object]:
    """The encoder of a dataclass, written out as Python like :func:`_instance_decoder`; :func:`_plain` otherwise."""
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
        return _plain
    hints = typing.get_type_hints(kind)
    env: dict[str, object] = {"plain": _plain}
    items = []
    for f in dataclasses.fields(kind):
        if not f.init:
            continue
        hint = hints[f.name]
        options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
        if all(o in (str, int, bool, type(None)) for o in options):
            items.append(f"value.{f.name}")  # JSON as it is
        else:
            items.append(f"plain(value.{f.name})")
    exec(f"def encode(value):\n    return [{', '.join(items)}]", env)  # built from the model's own field names
    return env["encode"]  # type: ignore[return-value]


@cache
def _decoder(kind: object) -> typing.Callable[[object], object]:
    """A strict decoder for one type of the record model: anything that does not fit raises ValueError."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        inner = _decoder(next(o for o in options if o is not type(None)))
        if type(None) not in options:
            return inner
        return lambda value: None if value is None else inner(value)
    if origin is typing.Literal:
        allowed = typing.get_args(kind)

        def literal(value: object) -> object:
            if value not in allowed:
                raise ValueError(f"{value!r} is not one of {allowed}")
            return value

        return literal
    if origin is tuple:
        item = _decoder(typing.get_args(kind)[0])
        return lambda value: tuple(map(item, _list(value)))
    if origin is dict:
        item = _decoder(typing.get_args(kind)[1])
        return lambda value: {str(k): item(v) for k, v in _dict(value).items()}
    if kind is dt.date:
        return lambda value: dt.date.fromisoformat(_str(value))
    if kind is dt.time:
        return lambda value: dt.time.fromisoformat(_str(value))
    if kind is Path:
        return _path
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _instance_decoder(kind)
    if kind in (str, int, bool):

        def scalar(value: object) -> object:
            if type(value) is not kind:
                raise ValueError(f"{value!r} is not a {kind}")
            return value

        return scalar
    raise TypeError(f"the check cache cannot store a {kind}")


def _instance_decoder(kind: type) -> typing.Callable[[object], object]:
    """The decoder of a dataclass, written out as Python for its fields (a generic loop costs three times as much).

    Plain fields (``str``, ``int``, ``bool``, optional or not) are type-checked inline; every other
    field goes through its own :func:`_decoder`.
    """
    hints = typing.get_type_hints(kind)
    fields = [f for f in dataclasses.fields(kind) if f.init]
    env: dict[str, object] = {"kind": kind, "ValueError": ValueError, "str": str, "int": int, "bool": bool}
    count = len(fields)
    lines = [
        "def instance(value):",
        f"    if type(value) is not list or len(value) != {count}:",
        f"        raise ValueError('{kind.__name__} needs a list of {count} values')",
    ]
    if count:
        lines.append(f"    {', '.join(f'v{i}' for i in range(count))}, = value")
    arguments = []
    for i, f in enumerate(fields):
        hint = hints[f.name]
        options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
        plain = [o for o in options if o is not type(None)]
        if len(plain) == 1 and plain[0] in (str, int, bool):
            test = f"type(v{i}) is not {plain[0].__name__}"
            if type(None) in options:
                test = f"v{i} is not None and {test}"
            lines += [
                f"    if {test}:",
                f"        raise ValueError('{kind.__name__}.{f.name} is not a {plain[0].__name__}')",
            ]
            arguments.append(f"v{i}")
        else:
            env[f"d{i}"] = _decoder(hint)
            arguments.append(f"d{i}(v{i})")
    lines.append(f"    return kind({', '.join(arguments)})")
    exec("\n".join(lines), env)  # the source is built above from the model's own field names and types
    return env["instance"]  # type: ignore[return-value]


_last_path: list = ["", None]
"""The last folder decoded: a record's folder, then its texts' paths inside it (one process decodes at a time)."""


def _path(value: object) -> Path:
    """A path, built from the record's folder when it is inside it (a third of the cost of parsing it again)."""
    text = _str(value)
    if text == _last_path[0]:
        return _last_path[1]
    head, _, name = text.rpartition("/")
    if head == _last_path[0] and name not in ("", ".", "..") and hasattr(_last_path[1], "_make_child_relpath"):
        return _last_path[1]._make_child_relpath(name)
    path = Path(text)
    _last_path[:] = [text, path]
    return path


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _dict(value: object) -> dict:
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def payload(record: model.Record, problems: list[Problem]) -> str:
    return json.dumps([to_json(record), [to_json(p) for p in problems]], ensure_ascii=False)


def parse_payload(text: str, folder: Path | None = None) -> tuple[model.Record, list[Problem]]:
    """The record and warnings of a payload; ValueError (or KeyError, TypeError) when it does not fit.

    ``folder``: the record folder as the check names it, reused for the record's paths that are the same.
    """
    _last_path[:] = [os.fspath(folder), folder] if folder is not None else ["", None]
    record, problems = _list(json.loads(text))
    return _decoder(model.Record)(record), [_decoder(Problem)(p) for p in _list(problems)]  # type: ignore[return-value]


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


def lookup(path: str | None, entry_key: str) -> str | None:
    """The payload stored under ``entry_key`` (:func:`parse_payload` reads it), or None: no cache, no entry,
    or an entry that fails its seal. Workers look keys up; the main process decodes what they found."""
    connection = _reader(path) if path else None
    if connection is None:
        return None
    try:
        row = connection.execute("SELECT payload, seal FROM entries WHERE key = ?", (entry_key,)).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str) or row[1] != _seal(entry_key, row[0]):
        return None
    return row[0]


def decode(text: str, folder: Path | None = None) -> tuple[model.Record, list[Problem]] | None:
    """A found payload as the record and warnings, or None when it does not fit the record model."""
    try:
        return parse_payload(text, folder)
    except (ValueError, KeyError, TypeError):
        return None


def store(path: Path, entries: list[tuple[str, str]], used: set[str] | None, found: int = -1) -> None:
    """Add ``entries`` (key, payload); with ``used`` (a whole-archive check), drop every other key. Never fails the check.

    ``found``: how many of ``used`` were found in the cache; when the cache then holds just those and
    ``entries``, there is nothing to drop, and the 10,000 keys of a warm check are not sent to SQLite.
    """
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
            if used is not None and connection.execute("SELECT count(*) FROM entries").fetchone()[0] != found + len(
                {k for k, _ in entries}
            ):
                connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
                connection.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)")
    except sqlite3.Error:
        pass
    finally:
        connection.close()
