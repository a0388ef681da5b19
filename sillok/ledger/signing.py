"""Signed checkpoints: an SSH signature over each seal's checkpoint, verifiable with ``ssh-keygen -Y verify``.

A seal chain proves the archive's history to someone who trusts the archive; a signature lets a
reader trust a checkpoint because a key they know signed it. ``sillok seal --sign KEY`` signs the
new seal's checkpoint (:mod:`sillok.ledger.tlog`) with ``ssh-keygen -Y sign -n sillok-checkpoint``
and appends the signature to ``records/signatures.log``, one line per seal
(``seal=N sshsig=<the armored signature's base64, unwrapped>``); ``records/allowed_signers``
(the format git uses for signed commits: ``principal key-type base64-key``) names the keys that may
sign, and the site publishes both (``tlog/checkpoints/N.sig``, ``tlog/allowed_signers``). Ed25519
signatures are deterministic, so a signed site still builds byte-identically.

Anyone checks a checkpoint with::

    ssh-keygen -Y verify -f allowed_signers -I <principal> -n sillok-checkpoint -s checkpoint.sig < checkpoint
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from sillok.errors import UsageError
from sillok.ledger import formats as L
from sillok.ledger import tlog
from sillok.record.problems import ProblemCollector

NAMESPACE = "sillok-checkpoint"
SIGNATURES = "signatures.log"
ALLOWED_SIGNERS = "allowed_signers"
FILES = (SIGNATURES, ALLOWED_SIGNERS)
"""Archive-root files this module owns."""
_LINE = re.compile(r"seal=(?P<seal>[1-9][0-9]*) sshsig=(?P<sig>[A-Za-z0-9+/=]+)")
BEGIN, END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"


class SigningFailed(UsageError):
    """ssh-keygen is missing, or refused the key (exit 2)."""


def armor(body: str) -> str:
    return BEGIN + "\n" + "\n".join(body[i : i + 70] for i in range(0, len(body), 70)) + "\n" + END + "\n"


def _ssh_keygen(*args: str, data: bytes) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ssh-keygen", *args], input=data, capture_output=True, check=False, timeout=60)
    except OSError as exc:
        raise SigningFailed(f"cannot run ssh-keygen: {exc} (install openssh-client)") from exc


def sign(text: str, key: Path) -> str:
    """The armored SSH signature of ``text`` with the private key file ``key``."""
    with tempfile.TemporaryDirectory(prefix="sillok-sign-") as work:
        message = Path(work) / "checkpoint"
        message.write_text(text, "utf-8")
        done = _ssh_keygen("-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(message), data=b"")
        signature = message.with_name("checkpoint.sig")
        if done.returncode != 0 or not signature.is_file():
            raise SigningFailed(f"{key}: ssh-keygen could not sign: {done.stderr.decode(errors='replace').strip()}")
        return signature.read_text("ascii")


def verify(text: str, signature: str, allowed_signers: Path) -> str | None:
    """None when ``signature`` is a good signature of ``text`` by a key in ``allowed_signers``; else why not."""
    with tempfile.TemporaryDirectory(prefix="sillok-verify-") as work:
        sig = Path(work) / "checkpoint.sig"
        sig.write_text(signature, "ascii")
        found = _ssh_keygen("-Y", "find-principals", "-s", str(sig), "-f", str(allowed_signers), data=b"")
        principals = found.stdout.decode(errors="replace").split()
        if found.returncode != 0 or not principals:
            return "signed by a key that is not in allowed_signers"
        done = _ssh_keygen(
            "-Y",
            "verify",
            "-f",
            str(allowed_signers),
            "-I",
            principals[0],
            "-n",
            NAMESPACE,
            "-s",
            str(sig),
            data=text.encode("utf-8"),
        )
        return None if done.returncode == 0 else done.stderr.decode(errors="replace").strip() or "bad signature"


def signatures(root: Path) -> dict[int, str]:
    """Every seal's armored signature in ``root/signatures.log`` (malformed lines are left to :func:`check`)."""
    path = root / SIGNATURES
    if not path.is_file():
        return {}
    found = {}
    for raw in path.read_text("ascii", "replace").splitlines():
        match = _LINE.fullmatch(raw)
        if match:
            found[int(match["seal"])] = armor(match["sig"])
    return found


def append(root: Path, seal: L.Seal, signature: str) -> None:
    body = "".join(line for line in signature.splitlines() if line and not line.startswith("-----"))
    L.append(root / SIGNATURES, f"seal={seal.number} sshsig={body}\n".encode("ascii"))


def sign_seal(root: Path, seals: list[L.Seal], seal: L.Seal, key: Path) -> str:
    """Sign ``seal``'s checkpoint with ``key``, check it against allowed_signers, and log it."""
    archive = L.IntegrityFiles.read(root)
    text = tlog.checkpoint(tlog.origin(seals), tlog.tree_of(archive), seal.ledger_lines)
    signature = sign(text, key)
    signers = root / ALLOWED_SIGNERS
    if not signers.is_file():
        raise SigningFailed(f"{signers}: missing; add the public key that signs (principal key-type key), then sign")
    reason = verify(text, signature, signers)
    if reason:
        raise SigningFailed(f"{key}: its signature does not verify against {signers}: {reason}")
    append(root, seal, signature)
    return signature


def check(root: Path, seals: list[L.Seal], out: ProblemCollector) -> None:
    """Every logged signature is well formed, names a seal, and verifies against allowed_signers."""
    path = root / SIGNATURES
    if not path.is_file():
        return
    archive = L.IntegrityFiles.read(root)
    tree = tlog.tree_of(archive)
    by_number = {seal.number: seal for seal in seals}
    signers = root / ALLOWED_SIGNERS
    for number, raw in enumerate(path.read_text("ascii", "replace").splitlines(), 1):
        match = _LINE.fullmatch(raw)
        seal = by_number.get(int(match["seal"])) if match else None
        if seal is None:
            out.error(
                number,
                "not a signature of a seal: expected 'seal=N sshsig=…' naming a seal",
                "signatures are written only by sillok seal --sign; restore the file from git",
                code="signature-invalid",
            )
            continue
        if not signers.is_file():
            out.error(
                number,
                f"seal {seal.number} is signed but {signers.name} is missing",
                "restore allowed_signers from git",
                code="signature-invalid",
            )
            continue
        reason = verify(tlog.checkpoint(tlog.origin(seals), tree, seal.ledger_lines), armor(match["sig"]), signers)
        if reason:
            out.error(
                number,
                f"the signature of seal {seal.number}'s checkpoint does not verify: {reason}",
                "the checkpoint, the ledger or the signature changed; restore them from git",
                code="signature-invalid",
            )
