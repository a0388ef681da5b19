"""The spare site: the previous site's page folders, updated in place by the next build.

An incremental build that starts from the spare must publish exactly what a cold build does; the
spare itself must never hold text the published site no longer shows (a redaction), nor a page
``sillok serve`` wrote, nor anything outside the page trees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.integrity import commit, git, redact_phone
from helpers.records import (
    ATTACHMENT_ID,
    RECORD_ID,
    VALID_KO,
    make_site_project,
    site_records,
    valid_record,
    write_tree,
)
from test_recordpages import NEW_ID, NEW_RECORD, assert_same_site, files_of, inode

from sillok.check.check import check
from sillok.ledger.seal import seal
from sillok.site.build import build
from sillok.site.output import spare
from sillok.site.recordpages import cache

pytestmark = pytest.mark.slow

PHONE = "010-2345-6789"


def _project(tmp_path: Path) -> Path:
    ko_with_phone = VALID_KO.rstrip("\n") + f"\n\n담당자 휴대전화 {PHONE}\n"
    folder = tmp_path / "p"
    folder.mkdir()
    return make_site_project(folder, site_records() | valid_record(ko_md=ko_with_phone), own_records=False)


def assert_spare_is_part_of_the_site(site: Path) -> None:
    """Every file of the spare is a page of the site with the same bytes; nothing outside the page trees."""
    kept = files_of(spare.folder(site))
    assert kept, "the spare is empty"
    assert all(name.startswith(spare.TREES) for name in kept), sorted(kept)[:5]
    published = files_of(site)
    for name, path in kept.items():
        assert name in published and path.read_bytes() == published[name].read_bytes(), name


def test_a_build_from_the_spare_equals_a_cold_build_and_leaves_unchanged_pages_untouched(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    build(project)
    assert not spare.folder(site).exists(), "a first build has no old site to keep"
    build(project)  # the first site becomes the spare
    assert_spare_is_part_of_the_site(site)
    page = sorted(site.glob("records/20*/index.html"))[0]
    number = inode(page)
    attachment = site / "records" / ATTACHMENT_ID / "briefing.pdf"  # placed by sillok, kept like a page
    attachment_number = inode(attachment)
    assert not list((project / "docs").rglob("*.pdf")), "attachments do not go through MkDocs"

    write_tree(project, NEW_RECORD)
    build(project)  # starts from the spare: the unchanged page is the very same file
    build(project, site_dir=tmp_path / "cold", incremental=False)
    assert_same_site(site, tmp_path / "cold")
    assert inode(page) == number
    assert inode(attachment) == attachment_number
    assert attachment.read_bytes() == (project / "records" / "2021" / ATTACHMENT_ID / "briefing.pdf").read_bytes()
    assert (site / "records" / NEW_ID / "index.html").is_file()
    assert_spare_is_part_of_the_site(site)


def test_after_a_redaction_neither_the_site_nor_the_spare_holds_the_redacted_text(tmp_path):
    project = _project(tmp_path)
    records, site = project / "records", project / "site"
    seal(records, check([records]))
    git(project, "init", "-q", "-b", "main")
    commit(project, "Sealed")
    for _ in range(3):
        build(project)
    assert any(PHONE in p.read_text("utf-8") for p in spare.folder(site).glob("records/*/index.html"))

    redact_phone(project, VALID_KO.rstrip("\n") + f"\n\n담당자 휴대전화 {PHONE}\n", PHONE)
    build(project)
    for folder in (site, spare.folder(site)):
        leaked = [name for name, path in files_of(folder).items() if PHONE.encode() in path.read_bytes()]
        assert not leaked, f"{folder.name} still holds the redacted number: {leaked}"
    build(project)  # and the next build, from that spare, equals a cold one
    build(project, site_dir=tmp_path / "cold", incremental=False)
    assert_same_site(site, tmp_path / "cold")
    assert (site / "records" / RECORD_ID / "index.html").is_file()


def test_a_page_the_preview_wrote_is_not_kept_and_a_broken_spare_is_not_trusted(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    build(project)
    build(project)
    stray = "records/2099-01-01-opc-00001/index.html"  # a page sillok serve wrote for a record later deleted
    (site / stray).parent.mkdir(parents=True)
    (site / stray).write_text("<p>preview</p>", "utf-8")
    cache.drop_pages(project / cache.FOLDER, [stray])
    build(project)
    assert not (spare.folder(site) / stray).exists()
    build(project)
    assert not (site / stray).exists()

    # a spare whose manifest is gone (an interrupted build) is deleted, not used
    (project / cache.FOLDER / spare.MANIFEST).unlink()
    (spare.folder(site) / "records" / "planted.html").write_text("<p>planted</p>", "utf-8")
    build(project)
    build(project, site_dir=tmp_path / "cold", incremental=False)
    assert_same_site(site, tmp_path / "cold")


def test_a_cold_build_deletes_the_spare(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    build(project)
    build(project)
    assert spare.folder(site).is_dir()
    build(project, incremental=False)
    assert not spare.folder(site).exists()
    assert not (project / cache.FOLDER / spare.MANIFEST).exists()
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-") and p != site]


def test_a_forged_cache_cannot_make_the_build_delete_files_outside_the_site(tmp_path):
    """The cache folder may come from elsewhere (a CI cache): paths it names for deletion stay inside the page trees."""
    assert spare.inside_trees("records/2021-01-13-x/index.html")
    for bad in ("records/../../victim.txt", "/etc/passwd", "docs/index.md", "records//x", "en/records/./x", 7):
        assert not spare.inside_trees(bad)
    project = _project(tmp_path)
    site = project / "site"
    build(project)
    build(project)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    forged = "records/../../../victim.txt"
    manifest = project / cache.FOLDER / spare.MANIFEST
    data = json.loads(manifest.read_text("utf-8"))
    data["pages"][forged] = "x"
    manifest.write_text(json.dumps(data), "utf-8")
    pages = project / cache.FOLDER / cache.FILE
    data = json.loads(pages.read_text("utf-8"))
    data["pages"][forged] = "x"
    data["dropped"] = [forged]
    pages.write_text(json.dumps(data), "utf-8")
    build(project)
    build(project)
    assert victim.read_text("utf-8") == "keep me"
    build(project, site_dir=tmp_path / "cold", incremental=False)
    assert_same_site(site, tmp_path / "cold")
