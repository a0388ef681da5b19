"""The ledger as a Merkle tree (RFC 6962 / RFC 9162 hashing) served as C2SP tlog-tiles, with a checkpoint per seal.

Entry i of the log is ledger line i+1's leaf (:func:`sillok.ledger.formats.leaf`, 32 bytes): the
salted commitment each seal already chains. A purged line keeps its leaf (its salt line keeps it),
so a redaction changes no entry and every old checkpoint and proof stays valid, and the log
reveals nothing of a purged line. The tree's leaf hash is ``SHA-256(0x00 || entry)`` and a node's
``SHA-256(0x01 || left || right)``; seal N's checkpoint is the tree of its first ``ledger_lines`` entries.

Static files, as https://c2sp.org/tlog-tiles lays them out (prefix ``tlog/`` on the site):

- ``tile/<L>/<N>``: hash tiles of height 8: tile N at level L holds the (up to 256) hashes of
  tree level 8·L from index 256·N, each the root of a complete subtree; ``<N>`` is written in
  3-digit path elements, all but the last prefixed ``x`` (1234067 → ``x001/x234/067``); a tile
  with W < 256 hashes is ``<N>.p/<W>``.
- ``tile/entries/<N>[.p/<W>]``: entry bundles, each entry a big-endian uint16 length then its bytes.
- ``checkpoint``: the latest checkpoint; ``checkpoints/<seal>``: every seal's. The body is the
  c2sp.org/tlog-checkpoint note body: origin line, tree size in decimal, base64 root hash.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from sillok.ledger import formats as L

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
ORIGIN_PREFIX = "sillok.archive/"


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def origin(seals: list[L.Seal]) -> str:
    """The log's name in its checkpoints: fixed by the archive's first seal, so it is the same at every
    seal, unique to this archive, and known to ``sillok seal`` without any site setting."""
    return ORIGIN_PREFIX + (seals[0].hash[:16] if seals else "unsealed")


@dataclass
class Tree:
    """Every complete subtree hash of the log: ``levels[k][i]`` is the root of leaves ``[i·2^k, (i+1)·2^k)``."""

    entries: list[bytes]
    levels: list[list[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        level = [leaf_hash(entry) for entry in self.entries]
        self.levels = [level]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) (RFC 6962 section 2.1) for the ranges the proofs and roots ask for."""
        size = end - start
        if size == 0:
            return hashlib.sha256(b"").digest()
        if size & (size - 1) == 0 and start % size == 0:
            return self.levels[size.bit_length() - 1][start // size]
        split = 1 << ((size - 1).bit_length() - 1)  # the largest power of two smaller than size
        return node_hash(self.subtree(start, start + split), self.subtree(start + split, end))

    def root(self, size: int) -> bytes:
        return self.subtree(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 6962 section 2.1.1): the hashes that lead from the leaf to the root."""
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            split = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + split:
                path.append(self.subtree(start + split, end))
                end = start + split
            else:
                path.append(self.subtree(start, start + split))
                start += split
        return path[::-1]


def tree_of(archive: L.IntegrityFiles) -> Tree:
    """The log of an archive: one entry per ledger line, its leaf as 32 bytes."""
    return Tree([bytes.fromhex(leaf) if leaf else b"" for leaf in L.all_leaves(archive)])


def checkpoint(name: str, tree: Tree, size: int) -> str:
    """A checkpoint note body: origin, tree size, base64 root hash, each on its own line."""
    return f"{name}\n{size}\n{base64.b64encode(tree.root(size)).decode('ascii')}\n"


def tile_index_path(index: int) -> str:
    """``1234067`` → ``x001/x234/067``."""
    digits = f"{index:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    parts = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*("x" + part for part in parts[:-1]), parts[-1]])


def tile_path(level: int | str, index: int, width: int) -> str:
    return f"tile/{level}/{tile_index_path(index)}" + (f".p/{width}" if width < TILE_WIDTH else "")


def tiles(tree: Tree, sizes: list[int]) -> dict[str, bytes]:
    """Every hash tile and entry bundle a client of a checkpoint at any of ``sizes`` needs, by path."""
    files: dict[str, bytes] = {}
    for size in sorted(set(sizes)):
        level = 0
        while (size >> (TILE_HEIGHT * level)) > 0:
            count = size >> (TILE_HEIGHT * level)
            hashes = tree.levels[TILE_HEIGHT * level] if TILE_HEIGHT * level < len(tree.levels) else []
            for index in range(0, (count + TILE_WIDTH - 1) // TILE_WIDTH):
                part = hashes[index * TILE_WIDTH : min((index + 1) * TILE_WIDTH, count)]
                files[tile_path(level, index, len(part))] = b"".join(part)
                if level == 0:
                    bundle = tree.entries[index * TILE_WIDTH : min((index + 1) * TILE_WIDTH, count)]
                    data = b"".join(len(entry).to_bytes(2, "big") + entry for entry in bundle)
                    files[tile_path("entries", index, len(bundle))] = data
            level += 1
    return files
