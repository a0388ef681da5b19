"""Public fixity: what the site shows so that anyone can verify what they read.

Plain functions the site calls, returning data: :func:`fixity_index` (per record, the digests of
its files and the seal that covers each), :func:`write_bag` (the ledger, seal log, redaction log and
sealed records as a BagIt bag, RFC 8493, that the Library of Congress ``bagit`` tool validates), and
:func:`verify_site` (``sillok verify-site``: a built or downloaded site's bag checked in itself and
against the archive).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import shutil
import tarfile
from dataclasses import replace
from pathlib import Path

from sillok.errors import ProblemsFound, UsageError
from sillok.ledger import fixity, serialize, signing
from sillok.ledger import formats as L
from sillok.record.problems import Problem, ProblemCollector, display_path, errors

BAG_FOLDER = "bag"
"""Where an unpacked bag is looked for, relative to the site root."""
BAG_FILE = "bag.tar"
"""Where the site publishes the bag, serialized (:mod:`sillok.ledger.serialize`), relative to the site root."""
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def _seal_data(seal: L.Seal) -> dict:
    return {"number": seal.number, "time": seal.time, "hash": seal.hash, "ledger_lines": seal.ledger_lines}


def fixity_index(records_root: Path, archive: fixity.Ledger | None = None) -> dict[str, dict]:
    """For every sealed record id: its files' current digests, and the seal that covers each line.

    ``{"2021-01-13-x": {"files": [{"file": "ko.md", "path": "2021/2021-01-13-x/ko.md", "sha256": "…",
    "ledger_line": 2, "seal": {"number": 1, "time": "…", "hash": "…", "ledger_lines": 3}}], "seal": {…}}}``
    where the record's ``seal`` is the latest seal among its files'. One pass over the ledger, for
    the whole site. Pass ``archive`` when it was already read.
    """
    if archive is None:
        archive = fixity.read_archive(records_root, [])
    covers = [s.ledger_lines for s in archive.seals]
    index: dict[str, dict] = {}
    for path, line in sorted(L.current(archive.ledger).items()):
        position = bisect.bisect_left(covers, line.number)
        seal = _seal_data(archive.seals[position]) if position < len(archive.seals) else None
        entry = index.setdefault(line.record_id, {"files": [], "seal": None})
        entry["files"].append(
            {
                "file": path.rsplit("/", 1)[1],
                "path": path,
                "sha256": line.digest,
                "ledger_line": line.number,
                "seal": seal,
            }
        )
        if seal and (entry["seal"] is None or seal["number"] > entry["seal"]["number"]):
            entry["seal"] = seal
    return index


def record_fixity(record_id: str, records_root: Path = Path("records")) -> dict | None:
    """One record's entry of :func:`fixity_index`, or None when it is not sealed (a site builds the index once instead)."""
    return fixity_index(records_root).get(record_id)


class BagRefused(ProblemsFound):
    """The archive does not match its ledger, so a bag of it would vouch for the wrong bytes."""


class NoBag(UsageError):
    """The folder given to ``verify-site`` holds no BagIt bag: the wrong folder was named (exit 2)."""


def write_bag(records_root: Path, out_dir: Path) -> Path:
    """Write the sealed records, ledger, seal log and redaction log as a BagIt bag in ``out_dir``.

    The payload (``data/``) is the archive root as sealed: the current version of every sealed file
    and the three logs, so ``data/`` is itself an archive that ``sillok check`` and ``sha256sum -c``
    verify. Unsealed records are not archived yet and are left out. ``out_dir`` is replaced.
    """
    problems: list[Problem] = []
    result = fixity.verify(records_root, fixity.archive_states(records_root), problems)
    failed = errors(problems)
    if failed:
        raise BagRefused(f"{len(failed)} fixity error(s): the records do not match the ledger", failed)
    payload: dict[str, str] = {path: line.digest for path, line in L.current(result.ledger).items()}
    for name in (*L.INTEGRITY_FILES, *signing.FILES):
        if (records_root / name).is_file():
            payload[name] = fixity.hash_file(records_root / name)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    data = tmp / "data"
    data.mkdir(parents=True)  # an archive with nothing sealed yet is an empty, still valid, bag
    octets = 0
    for path in sorted(payload):
        target = data / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(records_root / path, target)
        octets += target.stat().st_size
    manifest = "".join(f"{digest}  data/{path}\n" for path, digest in sorted(payload.items()))
    last = result.seals[-1] if result.seals else None
    info = [
        f"Bagging-Date: {last.time[:10] if last else '1970-01-01'}",  # the seal's day: the same archive, the same bag
        f"Payload-Oxum: {octets}.{len(payload)}",
        "Bag-Software-Agent: sillok",
        "External-Description: sealed records with their ledger, seal log and redaction log",
    ]
    if last:
        info.append(f"External-Identifier: sillok-seal-{last.number}-sha256-{last.hash}")
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": "\n".join(info) + "\n", "manifest-sha256.txt": manifest}
    for name, text in tags.items():
        (tmp / name).write_bytes(text.encode("utf-8"))
    tagmanifest = "".join(f"{L.sha256(text.encode('utf-8'))}  {name}\n" for name, text in sorted(tags.items()))
    (tmp / "tagmanifest-sha256.txt").write_bytes(tagmanifest.encode("utf-8"))
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)
    return out_dir


def write_bag_file(records_root: Path, target: Path) -> Path:
    """Write the bag (:func:`write_bag`) serialized as one deterministic tar at ``target``, dated by the last seal."""
    folder = target.with_name(f".{target.name}.folder")
    try:
        write_bag(records_root, folder)
        return serialize.write_tar(folder, target, mtime=seal_epoch(records_root) or 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def seal_epoch(records_root: Path) -> int | None:
    """The archive's last seal time as seconds since 1970 (a build's ``SOURCE_DATE_EPOCH``); None if never sealed."""
    seals = L.parse_seals(L.IntegrityFiles.read(records_root).seals, ProblemCollector(records_root / L.SEAL_LOG, []))
    if not seals:
        return None
    return int(dt.datetime.strptime(seals[-1].time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).timestamp())


def find_bag(site_dir: Path) -> Path | None:
    """The bag in a site: the folder itself, ``bag/``, or the first folder (two levels deep) with a bagit.txt."""
    for candidate in (site_dir, site_dir / BAG_FOLDER):
        if (candidate / "bagit.txt").is_file():
            return candidate
    for pattern in ("*/bagit.txt", "*/*/bagit.txt"):
        found = sorted(site_dir.glob(pattern))
        if found:
            return found[0].parent
    return None


def _manifest(path: Path, out: ProblemCollector) -> dict[str, str]:
    entries: dict[str, str] = {}
    if not path.is_file():
        out.error(0, "is missing", "the bag is incomplete; download it again", code="bag-format")
        return entries
    for number, raw in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
        digest, sep, name = raw.partition("  ")
        if not sep or len(digest) != 64:
            digest, sep, name = raw.partition(" ")
        if not sep or len(digest) != 64:
            out.error(number, f"not a manifest line: {raw[:120]!r}", code="bag-format")
            continue
        entries[name] = digest.lower()
    return entries


def verify_bag(bag: Path, problems: list[Problem]) -> None:
    """The bag in itself: every file its manifests list is there with that digest, and nothing else is in data/."""
    for manifest_name in ("tagmanifest-sha256.txt", "manifest-sha256.txt"):
        listed = _manifest(bag / manifest_name, ProblemCollector(bag / manifest_name, problems))
        for name, digest in sorted(listed.items()):
            path = bag / name
            out = ProblemCollector(path, problems)
            if ".." in Path(name).parts or Path(name).is_absolute():
                out.error(0, "manifest path leaves the bag", code="bag-format")
            elif path.is_symlink() or not path.is_file():
                out.error(
                    0,
                    f"listed in {manifest_name} but missing (expected={digest})",
                    "the bag is incomplete; download it again",
                    code="bag-missing",
                )
            else:
                found = fixity.hash_file(path)
                if found != digest:
                    out.error(
                        0,
                        f"does not match {manifest_name}: expected={digest} found={found}",
                        "this file is not what was published",
                        code="bag-modified",
                    )
        if manifest_name == "manifest-sha256.txt":
            for dirpath, _dirs, files in os.walk(bag / "data"):
                for file in files:
                    name = (Path(dirpath) / file).relative_to(bag).as_posix()
                    if name not in listed:
                        ProblemCollector(bag / name, problems).error(
                            0, "is in the bag's data/ but not in its manifest", code="bag-unlisted"
                        )


def verify_site(site_dir: Path, records_root: Path | None = None) -> list[Problem]:
    """Check a site's bag in itself, its sealed records against its own ledger and seal chain, and,
    given ``records_root``, its ledger and files against the archive's. Raises :class:`NoBag` when the site has no bag.

    The bag is the site's ``bag.tar`` (or ``site_dir`` itself when it is a tar), unpacked for the
    check; problems inside it are reported as ``<site>/bag.tar/<path in the bag>``. An unpacked
    bag folder is found as before."""
    archive = site_dir if site_dir.is_file() else site_dir / BAG_FILE
    if archive.is_file():
        try:
            with serialize.Unpacked(archive) as bag:
                found = verify_bag_folder(bag, records_root)
                inside, shown = display_path(bag), display_path(archive)
        except (OSError, tarfile.TarError, serialize.UnsafeTar) as exc:
            raise NoBag(f"{archive}: not a readable serialized bag ({exc})") from exc
        return [replace(p, path=shown + p.path[len(inside) :]) if p.path.startswith(inside) else p for p in found]
    bag = find_bag(site_dir)
    if bag is None:
        raise NoBag(
            f"{site_dir}: no BagIt bag found (looked for {BAG_FILE}, and for bagit.txt in it, in {BAG_FOLDER}/ and two levels down)"
        )
    return verify_bag_folder(bag, records_root)


def verify_bag_folder(bag: Path, records_root: Path | None = None) -> list[Problem]:
    """:func:`verify_site` on an unpacked bag folder."""
    problems: list[Problem] = []
    verify_bag(bag, problems)
    data = bag / "data"
    published = fixity.verify(data, fixity.archive_states(data), problems)
    if records_root is None:
        return sorted(problems)
    archive = fixity.read_archive(records_root, [])
    purged_now = {line.number: line for line in archive.ledger if line.purged_by > 0}
    names = {
        L.LEDGER: ("ledger", published.archive.ledger, archive.archive.ledger),
        L.SALTS: ("ledger salts", published.archive.salts, archive.archive.salts),
        L.SEAL_LOG: ("seal log", published.archive.seals, archive.archive.seals),
        L.REDACTION_LOG: ("redaction log", published.archive.redactions, archive.archive.redactions),
    }
    for name, (label, site_bytes, archive_bytes) in names.items():
        out = ProblemCollector(data / name, problems)
        site_lines, archive_lines = site_bytes.split(b"\n")[:-1], archive_bytes.split(b"\n")[:-1]
        unpurged = [
            n for n, (a, b) in enumerate(zip(site_lines, archive_lines, strict=False), 1) if a != b and n in purged_now
        ]
        same = all(
            a == b for n, (a, b) in enumerate(zip(site_lines, archive_lines, strict=False), 1) if n not in unpurged
        )
        if not same or len(site_lines) > len(archive_lines):
            out.error(
                0,
                f"the site's {label} is not a prefix of the archive's {records_root / name}: one of them was rewritten",
                "trust neither until the difference is explained",
                code="site-diverged",
            )
        elif len(archive_lines) > len(site_lines):
            out.info(
                0,
                f"the site predates {len(archive_lines) - len(site_lines)} line(s) of the archive's {label}",
                "rebuild the site",
                code="site-older",
            )
        for number in unpurged if name == L.LEDGER else ():
            out.error(
                number,
                f"line {number} was purged by redaction {purged_now[number].purged_by} in the archive, but this copy still holds the unredacted file's digest",
                "replace this copy of the site; the digest lets anyone test guesses of the removed text",
                code="site-unpurged",
            )
    current = L.current(archive.ledger)
    for path, line in sorted(L.current(published.ledger).items()):
        out = ProblemCollector(data / path, problems)
        now = current.get(path)
        if now is None:
            out.error(0, "is sealed on the site but not in the archive's ledger", code="site-diverged")
        elif now.digest != line.digest:
            then = purged_now.get(line.number)
            if then is not None and then.path == path:
                out.error(
                    0,
                    f"the site shows a version the archive redacted (redaction {then.purged_by}; archive ledger line {line.number}, superseded by line {now.number})",
                    "the site predates a redaction; rebuild it and purge old copies",
                    code="site-superseded",
                )
            else:
                out.error(
                    0, f"differs from the archive: expected={now.digest} found={line.digest}", code="site-diverged"
                )
    return sorted(problems)
