"""The build cache: which inputs made each record page of the last build, so an unchanged page is reused.

A page's key is a digest of everything the page is made from: the record itself (every field, text
and attachment as read), its neighbours (the previous/next links show their titles), its ledger
and redaction entries, and a *salt* shared by every page: the sillok code, the versions of the
libraries that render bodies, the site settings and the page shells (which MkDocs renders with the
current theme, Material version and overrides). A change of code, settings or theme changes the salt,
and then no page is reused. The cache lives in the git-ignored ``.sillok-cache/`` beside mkdocs.yml
and names pages of the previous ``site/``, which must be left as the build wrote it.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import sillok

FOLDER = ".sillok-cache"
FILE = "record-pages.json"
SHELLS = "shells.json"
"""The last build's shells, for ``sillok serve`` to fill an edited record's pages without MkDocs."""
FILLED = "filled-pages.json"
"""The docs/ sources the running build fills into shells, for the sillok plugin to exclude from MkDocs."""
LIBRARIES = ("markdown", "nh3", "mkdocs", "mkdocs-material", "mkdocs-static-i18n")


def code_digest() -> str:
    """The sillok package's files and the versions of the libraries that shape a page."""
    digest = hashlib.sha256(sillok.__version__.encode())
    package = Path(sillok.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".css", ".html", ".json", ".yml"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def salt(*parts: str) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def page_key(salt_value: str, *inputs: object, root: Path | None = None) -> str:
    """The digest of a page's inputs; ``root`` (the records folder) is cut out of the paths they name, so
    the same archive checked out elsewhere (another shard job's copy, a moved project) has the same keys."""
    digest = hashlib.sha256(salt_value.encode())
    for value in inputs:
        text = repr(value)
        digest.update(b"\0" + (text.replace(str(root), "<records>") if root is not None else text).encode("utf-8"))
    return digest.hexdigest()


def load(folder: Path | None, salt_value: str) -> dict[str, str]:
    """The keys of the last build's pages, or nothing when the salt changed or there is no cache."""
    if folder is None:
        return {}
    try:
        data = json.loads((folder / FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("pages", {}) if data.get("salt") == salt_value else {}


def save(folder: Path | None, salt_value: str, pages: dict[str, str], shells: dict | None = None) -> None:
    if folder is None:
        return
    files = {FILE: {"salt": salt_value, "pages": pages}}
    if shells is not None:
        files[SHELLS] = shells
    for name, value in files.items():
        write_json(folder, name, value)


def write_json(folder: Path, name: str, value: object) -> Path:
    """Write ``value`` as ``folder/name`` (through a temporary file) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n", "utf-8")
    path = folder / name
    temporary = folder / f".{name}.tmp"
    temporary.write_text(json.dumps(value, sort_keys=True, ensure_ascii=False), "utf-8")
    os.replace(temporary, path)
    return path


def drop_pages(folder: Path, pages: list[str]) -> None:
    """Forget the keys of pages written outside a build (the preview's), so the next build renders them."""
    try:
        data = json.loads((folder / FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return
    for page in pages:
        data.get("pages", {}).pop(page, None)
    data["dropped"] = sorted({*data.get("dropped", []), *pages})  # the spare site must not keep them
    temporary = folder / f".{FILE}.tmp"
    temporary.write_text(json.dumps(data, sort_keys=True), "utf-8")
    os.replace(temporary, folder / FILE)


def dropped(folder: Path | None) -> list[str]:
    """Pages written into ``site/`` since the last build (the preview's): nobody knows their key."""
    if folder is None:
        return []
    try:
        data = json.loads((folder / FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    value = data.get("dropped", []) if isinstance(data, dict) else []
    return [str(page) for page in value] if isinstance(value, list) else []


def forget(folder: Path | None) -> None:
    """Drop the cache (a build that failed, or a site that is not the one the cache names)."""
    if folder is not None:
        (folder / FILE).unlink(missing_ok=True)
