"""Public proofs in the built site: the ledger's Merkle log as static tiles, a checkpoint per seal,
the sealed source files, and one small inclusion-proof JSON per record.

Layout under the site root (see :mod:`sillok.ledger.tlog` for the log itself):

- ``tlog/tile/…``, ``tlog/checkpoint``, ``tlog/checkpoints/<seal>`` (and ``.sig`` beside each
  signed one, with ``tlog/allowed_signers``): the C2SP tlog-tiles log of the ledger;
- ``sources/<year>/<record-id>/<file>``: each record file exactly as sealed, so anyone can hash it
  (``sha256sum``) or let the record page's verify button do it;
- ``tlog/proofs/<record-id>.json``: for each of the record's files, its ledger line, salt, leaf
  index and the inclusion proof of its leaf in the tree of the latest seal's checkpoint.

Everything here is a pure function of the sealed archive, so builds stay reproducible.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

from sillok.ledger import formats as L
from sillok.ledger import signing, tlog
from sillok.ledger.fixity import read_archive

PREFIX = "tlog/"
SOURCES = "sources/"


def proof_path(record_id: str) -> str:
    return f"{PREFIX}proofs/{record_id}.json"


def source_path(path: str) -> str:
    return SOURCES + path


def proof_files(records_root: Path) -> tuple[dict[str, bytes], dict[str, Path]]:
    """(generated files by site path, sealed source files to copy by site path)."""
    ledger = read_archive(records_root, [])
    if not ledger.seals:
        return {}, {}
    archive, seals = ledger.archive, ledger.seals
    tree = tlog.tree_of(archive)
    files = {PREFIX + name: data for name, data in tlog.tiles(tree, [s.ledger_lines for s in seals]).items()}
    name = tlog.origin(seals)
    signatures = signing.signatures(archive.root)
    for seal in seals:
        files[f"{PREFIX}checkpoints/{seal.number}"] = tlog.checkpoint(name, tree, seal.ledger_lines).encode()
        if seal.number in signatures:
            files[f"{PREFIX}checkpoints/{seal.number}.sig"] = signatures[seal.number].encode()
    last = seals[-1]
    files[PREFIX + "checkpoint"] = files[f"{PREFIX}checkpoints/{last.number}"]
    if last.number in signatures:
        files[PREFIX + "checkpoint.sig"] = files[f"{PREFIX}checkpoints/{last.number}.sig"]
    signers = archive.root / signing.ALLOWED_SIGNERS
    if signers.is_file():
        files[PREFIX + "allowed_signers"] = signers.read_bytes()
    salts = archive.salts.split(b"\n")
    root = base64.b64encode(tree.root(last.ledger_lines)).decode()
    records: dict[str, list[dict]] = {}
    sources: dict[str, Path] = {}
    for path, line in sorted(L.current(ledger.ledger).items()):
        if line.number > last.ledger_lines:
            continue
        proof = tree.inclusion_proof(line.number - 1, last.ledger_lines)
        records.setdefault(line.record_id, []).append(
            {
                "file": path.rsplit("/", 1)[1],
                "source": source_path(path),
                "sha256": line.digest,
                "ledger_line": line.number,
                "salt": salts[line.number - 1].decode("ascii"),
                "leaf_index": line.number - 1,
                "inclusion_proof": [base64.b64encode(h).decode() for h in proof],
            }
        )
        sources[source_path(path)] = records_root / path
    for record_id, entries in records.items():
        document = {
            "record": record_id,
            "origin": name,
            "seal": last.number,
            "tree_size": last.ledger_lines,
            "root_hash": root,
            "checkpoint": f"{PREFIX}checkpoints/{last.number}",
            "signature": f"{PREFIX}checkpoints/{last.number}.sig" if last.number in signatures else None,
            "leaf": "SHA-256(0x00 || SHA-256('sillok-ledger-leaf\\0' || salt || '\\n' || sha256 || '  ' || path))",
            "files": entries,
        }
        files[proof_path(record_id)] = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    return files, sources


def write_proofs(records_root: Path, site_dir: Path) -> list[Path]:
    """Write the log, checkpoints, sealed sources and per-record proofs into a built site."""
    files, sources = proof_files(records_root)
    written = []
    for name, data in sorted(files.items()):
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    for name, source in sorted(sources.items()):
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
