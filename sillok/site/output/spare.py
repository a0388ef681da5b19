"""The spare site: the previous site's page folders, kept to be updated in place by the next build.

Why: a build writes into a fresh staging folder and swaps it into place, so a reader always sees a
whole site. At 10,000 records that folder holds 22,000 page folders; making them (even of hard
links) and deleting the old site's afterwards costs more than everything a one-record change
really needs — on a disk mounted with ``discard`` deleting a folder costs about a millisecond.

So after the swap the old site is not deleted: everything but its page trees (``records/`` and
``en/records/``) is removed, and so is every page whose key differs from the page the new site
now has (a redacted record's old page, an index page that changed) and everything MkDocs put
there (hub pages, attachments). What is left holds only bytes the new site publishes too. The
next build moves those trees into its staging folder in one rename each (:func:`take`), puts
MkDocs' fresh files over them, keeps every page whose key is unchanged without touching it, and
replaces the rest. A key names a page's every input (:mod:`sillok.site.recordpages.cache`), so a
kept page is the page a cold build would write; the build compares nothing else.

The manifest ``.sillok-cache/spare.json`` lists the spare's pages and keys; it is removed before
the spare is used and written after it is made, so an interrupted build leaves no spare the next
one would trust. A spare without its manifest, or for another site folder, is deleted.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from sillok.site import urls
from sillok.site.output.remove import remove_tree
from sillok.site.output.staging import PREFIX

MANIFEST = "spare.json"
SITE_FILES = "site-files.json"
"""The files MkDocs wrote into the page trees of the current site (for when it becomes the spare)."""
TREES = tuple(urls.record("x", language).split("/x")[0].strip("/") for language in ("ko", "en"))
"""The page trees: every record and index page lives under one of these (``records``, ``en/records``)."""


def inside_trees(path: object) -> bool:
    """True for a plain relative path under a page tree: what a manifest or cache may name for deletion.

    The cache folder can come from elsewhere (a CI cache), so a forged ``../../x`` must not make the
    build delete a file outside the site.
    """
    if not isinstance(path, str) or not path.startswith(tuple(tree + "/" for tree in TREES)):
        return False
    parts = path.split("/")
    return "" not in parts and "." not in parts and ".." not in parts and "\\" not in path


def folder(site_dir: Path) -> Path:
    """Where the spare of ``site_dir`` is kept: a hidden sibling the staging sweep leaves alone."""
    return site_dir.parent / f"{PREFIX}spare-{site_dir.name}"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(value, sort_keys=True), "utf-8")
    os.replace(temporary, path)


def discard(site_dir: Path, cache_dir: Path | None) -> None:
    """Delete the spare of ``site_dir`` and its manifest (a cold build renders every page anew)."""
    if cache_dir is not None:
        (cache_dir / MANIFEST).unlink(missing_ok=True)
    spare = folder(site_dir)
    if spare.is_dir() and not spare.is_symlink():
        doomed = spare.with_name(f"{PREFIX}old-{os.getpid()}-spare")  # swept by a later build if this one is killed
        os.replace(spare, doomed)
        remove_tree(doomed, ignore_errors=True)


def mkdocs_files(staging: Path) -> list[str]:
    """The files MkDocs wrote into the page trees of ``staging`` (hub pages, shells, attachments): a few."""
    found = []
    for tree in TREES:
        for dirpath, _dirs, names in os.walk(staging / tree):
            relative = Path(dirpath).relative_to(staging).as_posix()
            found += [f"{relative}/{name}" for name in names]
    return sorted(found)


def take(site_dir: Path, staging: Path, cache_dir: Path | None, fresh: Iterable[str]) -> dict[str, str]:
    """Move the spare's page trees into ``staging`` under MkDocs' ``fresh`` files; the pages now there, with their keys.

    Returns ``{}`` (and deletes whatever spare there is) when there is no usable spare.
    """
    spare = folder(site_dir)
    manifest = _read(cache_dir / MANIFEST) if cache_dir is not None else {}
    if cache_dir is not None:
        (cache_dir / MANIFEST).unlink(missing_ok=True)  # from here on the spare is this build's, or gone
    pages = manifest.get("pages")
    usable = (
        manifest.get("site") == str(site_dir)
        and isinstance(pages, dict)
        and spare.is_dir()
        and not spare.is_symlink()
        and all((spare / tree).is_dir() and not (spare / tree).is_symlink() for tree in TREES)
    )
    if not usable:
        discard(site_dir, None)
        return {}
    for tree in TREES:
        new, old = staging / tree, spare / tree
        for relative in (path for path in fresh if path.startswith(tree + "/")):
            target = spare / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(
                staging / relative, target
            )  # a new directory entry: a page linked into the live site is untouched
            pages.pop(relative, None)
        if new.exists():
            shutil.rmtree(new)  # only the folders MkDocs made, emptied above
        new.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, new)
    shutil.rmtree(spare, ignore_errors=True)  # what is left of it: nothing but empty folders
    return {path: str(key) for path, key in pages.items() if inside_trees(path)}


def prune(staging: Path, present: Mapping[str, str], keys: Mapping[str, str]) -> int:
    """Delete the spare's pages this build does not have (a page list that got shorter); how many."""
    gone = [path for path in present if path not in keys and inside_trees(path)]
    for path in gone:
        target = staging / path
        target.unlink(missing_ok=True)
        _remove_empty(target.parent, staging)
    return len(gone)


def _remove_empty(directory: Path, stop: Path) -> None:
    while directory != stop:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def keep(
    old_site: Path,
    site_dir: Path,
    cache_dir: Path | None,
    old_keys: Mapping[str, str],
    new_keys: Mapping[str, str],
    dropped: Iterable[str] = (),
) -> None:
    """Make ``old_site`` (the site a swap just replaced) the spare of ``site_dir``; delete it when that cannot be.

    Keeps only the pages whose key is the new site's too, so the spare never holds text the site no
    longer shows (a redaction's old page is deleted here, with the old search index, data and bag).
    ``dropped`` are pages written into the old site by ``sillok serve`` (no key): deleted too.
    """
    if cache_dir is None or not old_keys or any(not (old_site / tree).is_dir() for tree in TREES):
        remove_tree(old_site)
        return
    others = _read(cache_dir / SITE_FILES).get("files")
    if not isinstance(others, list):
        remove_tree(old_site)
        return
    trees = {tree.split("/")[0] for tree in TREES}
    for entry in old_site.iterdir():
        if entry.name not in trees:
            _remove(entry)
    for tree in TREES:  # en/records sits inside en/: what else is in en/ goes
        parent, _, name = tree.rpartition("/")
        if parent:
            for entry in (old_site / parent).iterdir():
                if entry.name != name:
                    _remove(entry)
    kept = {}
    for path, key in old_keys.items():
        if not inside_trees(path):
            continue
        if new_keys.get(path) == key:
            kept[path] = key
        else:
            (old_site / path).unlink(missing_ok=True)
    for path in [*others, *dropped]:
        if inside_trees(path):
            (old_site / path).unlink(missing_ok=True)
    spare = folder(site_dir)
    if spare.exists():
        discard(site_dir, None)
    os.replace(old_site, spare)
    _write(cache_dir / MANIFEST, {"site": str(site_dir), "pages": kept})


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        remove_tree(entry)
    else:
        entry.unlink()


def remember_files(cache_dir: Path | None, files: list[str]) -> None:
    """Record the non-page files of the page trees of the site just swapped in (see :data:`SITE_FILES`)."""
    if cache_dir is not None:
        _write(cache_dir / SITE_FILES, {"files": files})
