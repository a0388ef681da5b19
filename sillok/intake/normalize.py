"""``sillok normalize``: fix what can be fixed without judgement in new record text files.

BOM, CR/CRLF line endings, decomposed (NFD) Hangul, trailing spaces and a missing final newline
have exactly one right answer, so a tool should fix them rather than an archivist. Invisible
characters are not removed: whether a zero-width joiner belongs to a word is a reader's call,
and ``sillok check`` reports them. Only text files (``.md``, ``.yml``) are touched.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from sillok.record.text import BOM

TEXT_SUFFIXES = {".md", ".yml"}
_TRAILING = re.compile(r"[ \t]+$", re.M)


def normalized(data: bytes) -> bytes:
    """The bytes as sillok wants them: UTF-8 without BOM, LF, NFC, no trailing blanks, one final newline."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    text = data.decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    text = text.rstrip("\n") + "\n" if text.strip() else text
    return text.encode("utf-8")


def normalize_file(path: Path, *, write: bool = True) -> bool:
    """Normalize one file in place; True when it changed (or would change, with write=False)."""
    data = path.read_bytes()
    fixed = normalized(data)
    if fixed == data:
        return False
    if write:
        path.write_bytes(fixed)
    return True
