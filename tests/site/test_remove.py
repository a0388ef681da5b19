"""Deleting a site folder in threads deletes what ``shutil.rmtree`` deletes, and never what a link points to."""

from __future__ import annotations

import os

import pytest

from sillok.site.output import remove
from sillok.site.output.remove import remove_tree


def _tree(root, outside):
    for number in range(300):  # records/ is split (more than SPLIT_FROM entries), records/<n>/ is not
        folder = root / f"records/r{number}" if number % 2 else root / f"records/{number % 7}/r{number}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text("page", "utf-8")
    (root / "empty/deeper").mkdir(parents=True)
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's", "utf-8")
    os.symlink(outside, root / "records/linked-folder")
    os.symlink(outside / "keep.txt", root / "linked-file")


def test_a_tree_is_removed_and_what_its_links_point_to_is_kept(tmp_path, monkeypatch):
    site, outside = tmp_path / "site", tmp_path / "outside"
    _tree(site, outside)
    os.symlink(outside, site / "records/3/linked-in-a-small-folder")
    splits = []
    split = remove._split
    monkeypatch.setattr(remove, "_split", lambda *args: splits.append(args[1]) or split(*args))
    remove_tree(site)
    assert splits == [0, 1], "records/ (300 folders) was not split into tasks"
    assert not site.exists() and not site.is_symlink()
    assert (outside / "keep.txt").read_text("utf-8") == "not the site's"


def test_a_link_given_as_the_folder_is_refused_as_rmtree_refuses_it(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "a").write_text("a", "utf-8")
    os.symlink(target, tmp_path / "link")
    with pytest.raises(OSError):
        remove_tree(tmp_path / "link")
    assert (target / "a").exists()


def test_what_cannot_be_deleted_is_an_error_unless_ignored(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "locked").mkdir(parents=True)
    (site / "locked/page.html").write_text("x", "utf-8")
    (site / "other.html").write_text("y", "utf-8")
    unlink = os.unlink

    def refuse(path, *args, **kwargs):  # as a file on a read-only mount, or owned by another user
        if str(path).endswith("page.html"):
            raise PermissionError(13, "Permission denied", str(path))
        return unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse)
    with pytest.raises(PermissionError):
        remove_tree(site)
    remove_tree(site, ignore_errors=True)
    assert (site / "locked/page.html").exists() and not (site / "other.html").exists()
