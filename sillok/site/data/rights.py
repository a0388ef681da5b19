"""The rights statement published with every record: in datasets, feeds, JSON-LD and ``DC.rights``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rights:
    """Under what terms the records may be reused."""

    statement: str
    """The statement as readers see it, in both languages."""
    url: str | None = None
    """Where the licence is explained, when it has an address."""


DEFAULT_RIGHTS = Rights(
    statement="공공누리 제1유형: 출처표시 / KOGL Type 1: Source Indication",
    url="https://www.kogl.or.kr/info/licenseType1.do",
)
"""Korea Open Government License Type 1: free reuse, including commercial, with attribution."""


def as_rights(rights: Rights | str | None) -> Rights:
    """Accept a :class:`Rights`, a bare statement, or None for the default."""
    if rights is None:
        return DEFAULT_RIGHTS
    if isinstance(rights, str):
        if not rights.strip():
            raise ValueError("rights statement is empty; pass the statement text or leave rights out for the default")
        return Rights(statement=rights)
    return rights
