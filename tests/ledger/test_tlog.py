"""The ledger as a Merkle log: tiles, checkpoints and inclusion proofs checked by an independent RFC 9162 verifier."""

from __future__ import annotations

import base64
import hashlib

import pytest

from sillok.ledger.tlog import Tree, checkpoint, tile_index_path, tiles


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2, written from the RFC, not from sillok's code."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _h(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _h(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1 MTH over leaf hashes, recursively, as the RFC states it."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return _h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


ENTRIES = [_h(str(i).encode()) for i in range(300)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 255, 256, 257, 300])
def test_every_inclusion_proof_verifies_independently(size):
    tree = Tree(ENTRIES[:size])
    leaves = [_h(b"\x00" + e) for e in ENTRIES[:size]]
    root = tree.root(size)
    assert root == mth(leaves)
    for index in range(size):
        proof = tree.inclusion_proof(index, size)
        assert verify_inclusion(index, size, leaves[index], proof, root), (index, size)
        assert not verify_inclusion(index, size, _h(b"\x00" + b"altered"), proof, root)
    if size > 1:
        assert not verify_inclusion(0, size, leaves[1], tree.inclusion_proof(0, size), root)


def test_tiles_follow_the_c2sp_layout_and_rebuild_the_root():
    assert tile_index_path(1234067) == "x001/x234/067" and tile_index_path(5) == "005"
    tree = Tree(ENTRIES)
    files = tiles(tree, [3, 300])
    assert sorted(files) == [
        "tile/0/000",  # full: 256 leaf hashes
        "tile/0/000.p/3",  # the partial tile a client of the size-3 checkpoint needs
        "tile/0/001.p/44",
        "tile/1/000.p/1",  # one complete 256-leaf subtree at level 8
        "tile/entries/000",
        "tile/entries/000.p/3",
        "tile/entries/001.p/44",
    ]
    leaves = [files["tile/0/000"][i : i + 32] for i in range(0, 8192, 32)]
    leaves += [files["tile/0/001.p/44"][i : i + 32] for i in range(0, 44 * 32, 32)]
    assert mth(leaves) == tree.root(300)
    assert files["tile/1/000.p/1"] == mth(leaves[:256])
    bundle, entries = files["tile/entries/001.p/44"], []
    while bundle:
        length = int.from_bytes(bundle[:2], "big")
        entries.append(bundle[2 : 2 + length])
        bundle = bundle[2 + length :]
    assert entries == ENTRIES[256:]
    text = checkpoint("sillok.archive/test", tree, 300)
    name, size, root = text.splitlines()
    assert (name, size, base64.b64decode(root)) == ("sillok.archive/test", "300", mth(leaves))
