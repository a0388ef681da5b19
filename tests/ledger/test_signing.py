"""Signed checkpoints (ssh-keygen -Y) and per-record inclusion proofs, checked with standard and independent tools."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from helpers.integrity import make_sealed_repo, sillok
from helpers.records import RECORD_ID
from test_tlog import verify_inclusion

from sillok.ledger import signing
from sillok.site.output.proofs import proof_files


@pytest.fixture
def repo(tmp_path: Path, monkeypatch, capsys) -> Path:
    monkeypatch.chdir(tmp_path)
    make_sealed_repo(tmp_path, capsys)
    return tmp_path


def _key(folder: Path, name: str) -> tuple[Path, str]:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)], check=True)
    return folder / name, (folder / f"{name}.pub").read_text().split(" ")[:2]


def _trust(key_pub: list[str], principal: str = "archive@example.org") -> None:
    Path("records/allowed_signers").write_text(f"{principal} {key_pub[0]} {key_pub[1]}\n")


def ssh_keygen_verify(site: Path, checkpoint: bytes) -> subprocess.CompletedProcess:
    """The command the public guide gives, run in a published site."""
    command = "ssh-keygen -Y verify -f tlog/allowed_signers -I archive@example.org -n sillok-checkpoint"
    return subprocess.run(
        [*command.split(), "-s", "tlog/checkpoint.sig"], input=checkpoint, cwd=site, capture_output=True
    )


def test_a_signed_checkpoint_verifies_with_ssh_keygen_and_check(repo, tmp_path, capsys):
    key, public = _key(tmp_path, "archive")
    _trust(public)
    code, output = sillok(capsys, "seal", "--sign", str(key))
    assert code == 0 and "signed the checkpoint of seal 2" in output, output
    code, output = sillok(capsys, "check")
    assert code == 0, output

    files, _sources = proof_files(Path("records"))
    site = tmp_path / "published"
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    assert (site / "tlog/checkpoint").read_bytes() == (site / "tlog/checkpoints/2").read_bytes()
    checkpoint = (site / "tlog/checkpoint").read_bytes()
    assert ssh_keygen_verify(site, checkpoint).returncode == 0
    assert ssh_keygen_verify(site, checkpoint.replace(b"\n5\n", b"\n4\n")).returncode != 0  # another tree size

    # the signature log is checked: a signature over another checkpoint fails
    log = Path("records/signatures.log")
    log.write_text(log.read_text().replace("seal=2 ", "seal=1 "))
    code, output = sillok(capsys, "check")
    assert code == 1
    assert "records/signatures.log:1: error: the signature of seal 1's checkpoint does not verify" in output


def test_a_key_not_in_allowed_signers_is_refused(repo, tmp_path, capsys):
    key, _public = _key(tmp_path, "stranger")
    _trust(_key(tmp_path, "archive")[1])
    code, output = sillok(capsys, "seal", "--sign", str(key))
    assert code == 2
    assert "its signature does not verify against records/allowed_signers" in output
    assert not Path("records", signing.SIGNATURES).exists()


def test_each_record_proof_verifies_independently(repo):
    files, sources = proof_files(Path("records"))
    proof = json.loads(files[f"tlog/proofs/{RECORD_ID}.json"])
    lines = files["tlog/checkpoint"].decode().splitlines()
    root = base64.b64decode(lines[2])
    assert (proof["tree_size"], proof["root_hash"]) == (int(lines[1]), lines[2])
    for entry in proof["files"]:
        data = sources[entry["source"]].read_bytes()
        line = f"{hashlib.sha256(data).hexdigest()}  2021/{RECORD_ID}/{entry['file']}".encode()
        leaf = hashlib.sha256(b"sillok-ledger-leaf\0" + entry["salt"].encode() + b"\n" + line).digest()
        path = [base64.b64decode(h) for h in entry["inclusion_proof"]]
        leaf_hash = hashlib.sha256(b"\x00" + leaf).digest()
        assert verify_inclusion(entry["leaf_index"], proof["tree_size"], leaf_hash, path, root), entry["file"]
        altered = hashlib.sha256(b"sillok-ledger-leaf\0" + entry["salt"].encode() + b"\n" + line + b"x").digest()
        assert not verify_inclusion(
            entry["leaf_index"], proof["tree_size"], hashlib.sha256(b"\x00" + altered).digest(), path, root
        )


def test_the_signature_log_is_append_only_in_a_pull_request(repo, tmp_path, capsys):
    """Dropping or rewriting a logged signature passes a plain check (signing is optional), so ``--base`` must
    refuse it, as it refuses a rewritten ledger or seal log; deleting the log is refused the same way."""
    from helpers.integrity import commit

    key, public = _key(tmp_path, "archive")
    _trust(public)
    assert sillok(capsys, "seal", "--sign", str(key))[0] == 0
    base = commit(repo, "Signed the checkpoint")
    log = Path("records", signing.SIGNATURES)
    signed = log.read_bytes()

    log.write_bytes(b"")
    assert sillok(capsys, "check")[0] == 0  # an unsigned archive is a valid archive
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1
    assert f"records/signatures.log:1: error: signature log line 1 was removed since {base}" in output

    log.unlink()
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1 and f"records/signatures.log: error: was deleted since {base}" in output

    log.write_bytes(signed + signed.replace(b"seal=2 ", b"seal=3 "))  # appending is fine for this check
    code, output = sillok(capsys, "check", "--base", base)
    assert "signature log line" not in output and "was deleted" not in output
