"""The record model: one frozen, typed :class:`Record` that everything else takes in.

A record is one folder under ``records/<year>/``. Facts that belong to the record (its date,
office, type, which language is the authentic original) are stated once, in ``record.yml``; what
belongs to one language (title, translation provenance, the text itself) lives in ``ko.md`` and
``en.md``. The original language is the authentic record; any other language is a translation
and says who made it, how and when.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sillok.errors import ProblemsFound


def quick_pickle(cls: type) -> type:
    """Give a frozen slotted dataclass a quick ``__getstate__``/``__setstate__``.

    A build sends every record to worker processes several times (record pages with their neighbours,
    search in each language, open data): about 60,000 records at 10,000. The dataclass's own
    ``__setstate__`` asks ``dataclasses.fields`` for every object it unpickles, which made unpickling a
    record four times dearer than pickling it. Here the slots are looked up once per class; the state is
    the same tuple of field values, in the same order.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    slots = tuple(cls.__dict__[name] for name in names)  # the member descriptors: set past frozen's __setattr__
    values = operator.attrgetter(*names)
    single = len(names) == 1

    def __getstate__(self) -> tuple:
        return (values(self),) if single else values(self)

    def __setstate__(self, state: tuple) -> None:
        for slot, value in zip(slots, state, strict=True):
            slot.__set__(self, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls


@quick_pickle
@dataclass(frozen=True, slots=True)
class Office:
    """The office that issued the record, named as it was named when the record was issued."""

    id: str
    """A short stable slug used in URLs and indexes, e.g. ``opc``."""
    ko: str
    """The office's Korean name as it was at the time of the record."""
    en: str
    """The office's English name as it was at the time of the record."""

    def name(self, language: str) -> str:
        return getattr(self, language)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Localized:
    """A short text given in one or both languages (an attachment's title)."""

    ko: str | None = None
    en: str | None = None

    def get(self, language: str, fallback: bool = True) -> str | None:
        value = getattr(self, language, None)
        if value is None and fallback:
            return self.ko or self.en
        return value


@quick_pickle
@dataclass(frozen=True, slots=True)
class Attachment:
    """A file published with the record (PDF, HWP, ...) that lives in the record's folder."""

    file: str
    """The file name inside the record folder."""
    title: Localized = field(default_factory=Localized)
    """What the attachment is, for readers; the file name is shown when absent."""
    size: int = 0
    """Size in bytes, measured when the record is read."""
    media_type: str = ""
    """IANA media type derived from the file's extension and checked against its content."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """Where the record came from: provenance an auditor can follow."""

    archive: str
    """The archive or system the record was taken from, or who wrote it."""
    url: str | None = None
    """The record's address at the source, if it had one that is known."""
    file: str | None = None
    """The name of the captured file the record was imported from."""
    sha256: str | None = None
    """SHA-256 of that captured file, so the import can be checked against it."""
    retrieved: dt.date | None = None
    """When the source was captured."""
    note: str | None = None
    """Anything else a reader should know about the source."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Translation:
    """Provenance of a text that is not in the record's original language."""

    translator: str
    """Who translated it: a person, a team, or the name and version of a system."""
    method: str
    """How: ``human``, ``machine`` or ``machine-reviewed``."""
    date: dt.date
    """When the translation was made."""
    from_language: str
    """The language it was translated from (normally the original)."""
    note: str | None = None
    """Anything else about the translation."""


class RecordChanged(ProblemsFound):
    """A record file no longer holds the bytes the check read: it was edited during the build (exit 1)."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Text:
    """The record in one language: its front matter and Markdown body.

    A text read by the check is *light*: it keeps the file's SHA-256 and where the body starts, not
    the body, so a build holds every record's metadata but no record's text (memory flat per record
    at 100,000 records). :attr:`body` reads the body again from ``path`` each time it is asked and
    refuses bytes other than those the check read (:class:`RecordChanged`), so what is published is
    always what was checked.
    """

    language: str
    title: str
    held_body: str | None
    """The Markdown body when it is held in memory; None for a light text (``body`` reads it from ``path``)."""
    body_line: int
    """The line of the file on which the body starts, to report body problems at the right line."""
    path: Path
    summary: str | None = None
    translation: Translation | None = None
    """None for the original language; required for every other language."""
    digest: str = ""
    """SHA-256 of the file as the check read it (set by the reader; needed for a light text)."""
    body_offset: int = 0
    """Byte offset of the body in the file (after the front matter)."""

    @property
    def body(self) -> str:
        """The Markdown body, after the front matter: held, or read again from the checked file."""
        if self.held_body is not None:
            return self.held_body
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise RecordChanged(f"{self.path}: cannot be read again after the check ({exc.strerror})") from exc
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise RecordChanged(
                f"{self.path}: the file changed after the check read it; nothing unchecked is published — "
                "run the command again"
            )
        return data[self.body_offset :].decode("utf-8")

    def light(self) -> Text:
        """This text without its body in memory (``body`` reads it again); needs ``digest`` from the reader."""
        if self.held_body is None or not self.digest:
            return self
        return replace(self, held_body=None)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Record:
    """One archived record: metadata stated once, plus a text per archived language."""

    id: str
    type: str
    date: dt.date
    timezone: str
    office: Office
    original_language: str
    path: Path
    """The record's folder."""
    texts: dict[str, Text]
    """Texts by language code; the original language is always present."""
    time: dt.time | None = None
    writer: str | None = None
    not_archived: tuple[str, ...] = ()
    illustrative: bool = False
    tags: tuple[str, ...] = ()
    source: Source | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def issued(self) -> dt.datetime:
        """Date and time of issue, aware of the record's time zone (midnight when no time is known)."""
        return dt.datetime.combine(self.date, self.time or dt.time(0, 0), ZoneInfo(self.timezone))

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages in which the record exists, original first."""
        return tuple(sorted(self.texts, key=lambda lang: (lang != self.original_language, lang)))

    def text(self, language: str) -> Text | None:
        return self.texts.get(language)

    def light(self) -> Record:
        """The same record holding no text body in memory (:meth:`Text.light`): what a check returns."""
        return replace(self, texts={language: text.light() for language, text in self.texts.items()})

    def sort_key(self) -> tuple:
        """Chronological order, stable for records of the same minute."""
        return (self.date, self.time or dt.time(0, 0), self.id)
