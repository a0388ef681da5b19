"""What the site shows about integrity: each record's seal and digests, and the redaction log.

Read once per build from the archive's ledger, seal log and redaction log, then handed to the
page generator, so record pages can say which seal covers them and what was redacted, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sillok.ledger.bag import fixity_index
from sillok.ledger.fixity import Ledger, read_archive, redaction_log


@dataclass(frozen=True)
class PublicLedger:
    """The ledger as the site shows it: each sealed record's files, digests and seal, and the redaction log."""

    fixity: dict[str, dict] = field(default_factory=dict)
    """Per record id: its files with current digests and ledger lines, and the seal that covers it."""
    redactions: tuple[dict, ...] = ()
    """The public redaction log, oldest first (no redacted content, no digest of it)."""

    @classmethod
    def read(cls, records_root: Path, archive: Ledger | None = None) -> PublicLedger:
        """``archive``: the ledger as the check already read and verified it (a build passes it: at 100,000
        records, parsing the ledger and recomputing every seal's leaves again costs seconds)."""
        if archive is None:
            archive = read_archive(records_root, [])  # the ledger, seals and redaction log, read once
        return cls(fixity=fixity_index(records_root, archive), redactions=tuple(redaction_log(records_root, archive)))

    def of(self, record_id: str) -> tuple[dict | None, list[dict]]:
        """A record's fixity entry (None when not sealed yet) and its redactions."""
        return self.fixity.get(record_id), [e for e in self.redactions if e["record"] == record_id]
