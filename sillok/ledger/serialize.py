"""The bag as one file: a deterministic, plain POSIX tar of the bag folder.

Static hosts count files (Cloudflare Pages stops at 20,000), and a bag is a few files per record;
one ``bag.tar`` costs one. The tar holds the bag under a top folder named ``bag/`` (RFC 8493
section 4.2 asks a serialized bag to unpack to a single folder) and is the same bytes for the same
bag: members sorted by path, folders before their contents, owner root:root with empty names,
modes 0644 and 0755, every time set to the archive's last seal, ustar format (no extended headers
that carry access times). ``tar -xf bag.tar && bagit.py --validate bag`` checks it with standard tools.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from sillok.errors import UsageError

TOP = "bag"
"""The folder the tar unpacks to."""


def _info(name: str, *, size: int = 0, folder: bool = False, mtime: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.uid, info.gid, info.uname, info.gname = size, mtime, 0, 0, "", ""
    info.type = tarfile.DIRTYPE if folder else tarfile.REGTYPE
    info.mode = 0o755 if folder else 0o644
    return info


def write_tar(folder: Path, target: Path, *, mtime: int = 0) -> Path:
    """Write the tree at ``folder`` as ``target`` (replaced atomically), its members under ``bag/``."""
    members: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        relative = Path(dirpath).relative_to(folder).as_posix()
        prefix = TOP if relative == "." else f"{TOP}/{relative}"
        members.append((prefix + "/", Path(dirpath)))
        members.extend((f"{prefix}/{name}", Path(dirpath) / name) for name in filenames)
    members.sort(key=lambda item: item[0])
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, path in members:
            if name.endswith("/"):
                tar.addfile(_info(name.rstrip("/"), folder=True, mtime=mtime))
            else:
                data = path.read_bytes()
                tar.addfile(_info(name, size=len(data), mtime=mtime), io.BytesIO(data))
    os.replace(partial, target)
    return target


class UnsafeTar(UsageError):
    """A member would leave the folder, or is not a plain file or folder."""


def extract_tar(archive: Path, into: Path) -> Path:
    """Unpack a serialized bag into ``into`` (plain files and folders only, nothing outside); the bag folder."""
    with tarfile.open(archive, "r:") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
                raise UnsafeTar(f"{archive}: member {member.name!r} is not a plain file or folder inside the bag")
        tar.extractall(into, filter="data")
    return into / TOP


class Unpacked:
    """A serialized bag unpacked into a temporary folder for as long as the ``with`` block lasts."""

    def __init__(self, archive: Path):
        self.archive = archive
        self.folder = Path(tempfile.mkdtemp(prefix="sillok-bag-"))

    def __enter__(self) -> Path:
        return extract_tar(self.archive, self.folder)

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
