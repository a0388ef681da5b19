"""Record pages filled into MkDocs-rendered shells, in workers, reused from the last build when unchanged.

Every test here compares whole built sites file by file: the fast paths must give the very bytes
the slow paths give.
"""

from __future__ import annotations

import filecmp
import gzip
import os
import re
from pathlib import Path

import pytest
from helpers.integrity import commit, git, redact_phone
from helpers.records import RECORD_ID, VALID_KO, make_site_project, site_records, valid_record, write_tree

from sillok.check.check import check
from sillok.ledger.seal import seal
from sillok.site.build import BuildFailed, build
from sillok.site.recordpages import cache
from sillok.site.recordpages.indexpages import STUB
from sillok.site.recordpages.shell import PROBE, TRANSFORMS, ShellUnsupported, parse, shell_parts

pytestmark = pytest.mark.slow

NEW_ID = "2021-02-03-hydrogen-economy-meeting"
NEW_RECORD = {
    f"records/2021/{NEW_ID}/record.yml": (
        f'id: {NEW_ID}\ntype: press-release\ndate: 2021-02-03\ntime: "10:00"\ntimezone: Asia/Seoul\n'
        "office:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n"
        "writer: 대변인실\noriginal_language: ko\nillustrative: true\n"
    ),
    f"records/2021/{NEW_ID}/ko.md": '---\ntitle: 수소경제 & "청정" 회의 결과\n---\n\n- □ 수소경제 이행 점검 회의를 열었다.\n',
}


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def same(a: Path, b: Path, gzip_time: bool) -> bool:
    if gzip_time and a.suffix == ".gz":  # MkDocs stamps its sitemap.xml.gz with the build time
        return gzip.decompress(a.read_bytes()) == gzip.decompress(b.read_bytes())
    return filecmp.cmp(a, b, shallow=False)


def assert_same_site(a: Path, b: Path, *, gzip_time: bool = False) -> None:
    left, right = files_of(a), files_of(b)
    assert sorted(left) == sorted(right)
    different = [name for name in left if not same(left[name], right[name], gzip_time)]
    assert not different, f"{len(different)} files differ: {different[:10]}"


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_shell_pages_are_the_pages_mkdocs_renders(tmp_path, capfd, monkeypatch):
    """Every file of a site whose record and index pages were filled into shells equals MkDocs rendering each page.

    The board has three rows a page here, so it has several pages (pager links, both orders) in both
    languages; index pages at every depth carry breadcrumbs and the theme's links to the nav pages.
    A Markdown extension added to mkdocs.yml changes nothing: generated bodies never go through Markdown.
    """
    monkeypatch.setattr("sillok.site.pages.BOARD_ROWS", 3)
    files = site_records() | NEW_RECORD  # a title with & and quotes: Material prints it through striptags
    project = make_site_project(_folder(tmp_path / "p"), files, own_records=False)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - attr_list\n", "  - attr_list\n  - def_list\n"), "utf-8")
    about = project / "docs" / "about.en.md"  # hand-written links to filled pages: MkDocs resolves them to URLs
    about.write_text(
        about.read_text("utf-8") + "\nSee [page two](records/board/2.md) and [the oldest][old].\n\n"
        "[old]: ./records/board/oldest.en.md#top\n",
        "utf-8",
    )
    build(project, site_dir=tmp_path / "shells")
    assert "MkDocs renders the record and index pages instead" not in capfd.readouterr().err  # the shells were used
    stubs = {
        p.relative_to(project / "docs").as_posix()
        for p in (project / "docs").rglob("*.md")
        if p.read_text("utf-8") == STUB
    }
    # a stub for each filled page a hand-written page links to (the home page links to the board and search)
    assert stubs == {
        f"records/{page}.{lang}.md" for page in ("board", "search", "board/2", "board/oldest") for lang in ("ko", "en")
    }
    assert "records/date.ko.md" not in stubs  # in the nav: MkDocs renders it (active entry, previous/next links)
    build(project, site_dir=tmp_path / "mkdocs", shells=False)
    assert_same_site(tmp_path / "shells", tmp_path / "mkdocs", gzip_time=True)
    assert not list((tmp_path / "shells").rglob("*sillokshell*"))
    assert not [p for p in (tmp_path / "shells").rglob("*.html") if "sillokshell" in p.read_text("utf-8")]
    page = (tmp_path / "shells" / "records" / NEW_ID / "index.html").read_text("utf-8")
    assert re.search(
        r"<title>수소경제 &amp; (&#34;|&quot;)청정(&#34;|&quot;) 회의 결과", page
    )  # escaped, as MkDocs does
    board = (tmp_path / "shells" / "en" / "records" / "board" / "oldest" / "2" / "index.html").read_text("utf-8")
    assert 'rel="prev"' in board and "sillok-breadcrumbs" in board and 'hreflang="ko"' in board
    about_page = (tmp_path / "shells" / "en" / "about" / "index.html").read_text("utf-8")
    assert 'href="../records/board/2/"' in about_page and 'href="../records/board/oldest/#top"' in about_page


def test_a_hand_written_link_to_a_page_the_archive_does_not_have_stops_the_build(tmp_path):
    """Only linked filled pages keep a stub, so a link to an index page that does not exist has no target:
    MkDocs (strict) refuses it, naming the page, and nothing is published."""
    project = make_site_project(_folder(tmp_path / "p"), site_records(), own_records=False)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n[1999년 기록](records/date/1999.md)\n", "utf-8")
    with pytest.raises(BuildFailed, match="mkdocs build failed"):
        build(project)
    assert not (project / "site").exists()


def test_a_filter_the_shell_does_not_know_is_refused():
    marked, probed = shell_parts(0, False), shell_parts(0, True)
    title_a, title_b = marked.meta()["title"], probed.meta()["title"]
    good = parse(f"<title>{title_a}</title>{marked.body}", f"<title>{title_b}</title>{probed.body}", 0)
    assert good.slots == (("title", "raw"), ("body", "raw"))
    with pytest.raises(ShellUnsupported):  # |upper is not a filter a shell can reproduce
        parse(f"<title>{title_a}</title>{marked.body}", f"<title>{title_b.upper()}</title>{probed.body}", 0)
    with pytest.raises(ShellUnsupported):  # |truncate leaves part of a marker in the page
        parse(f"<title>{title_a[:9]}</title>{marked.body}", f"<title>{title_b[:9]}</title>{probed.body}", 0)
    assert len({transform(PROBE) for transform in TRANSFORMS.values()}) == len(TRANSFORMS)


def test_incremental_builds_equal_cold_builds_after_adding_redacting_and_retheming(tmp_path):
    ko_with_phone = VALID_KO.rstrip("\n") + "\n\n담당자 휴대전화 010-2345-6789\n"
    files = site_records() | valid_record(ko_md=ko_with_phone)
    project = make_site_project(_folder(tmp_path / "p"), files, own_records=False)
    records, site = project / "records", project / "site"
    build(project)
    untouched = sorted(site.glob("records/20*/index.html"))[-1]
    keep = tmp_path / "kept.html"
    os.link(untouched, keep)

    office = site / "en" / "records" / "office" / "opc" / "index.html"  # index pages the new record does not touch
    other_year = site / "records" / "date" / "2022" / "index.html"
    kept_index = {path: tmp_path / f"kept-{n}.html" for n, path in enumerate([office, other_year])}
    for path, copy in kept_index.items():
        os.link(path, copy)

    # 1. a record added: only it and its neighbours are rendered; the site equals a cold build
    write_tree(project, NEW_RECORD)
    build(project)
    build(project, site_dir=tmp_path / "cold-1", incremental=False)
    assert_same_site(site, tmp_path / "cold-1")
    assert inode(site / untouched.relative_to(site)) == inode(keep), "an unchanged page was rendered again"
    assert (site / "records" / NEW_ID / "index.html").is_file()
    assert inode(other_year) == inode(kept_index[other_year]), "an unchanged index page was rendered again"
    assert inode(office) != inode(kept_index[office]), "an index page the new record is on was reused"

    # 2. a redaction (sealed, committed, then logged): the redacted record's pages change
    seal(records, check([records]))
    git(project, "init", "-q", "-b", "main")
    commit(project, "Sealed")
    build(project)
    redact_phone(project, ko_with_phone, "010-2345-6789")
    build(project)
    build(project, site_dir=tmp_path / "cold-2", incremental=False)
    assert_same_site(site, tmp_path / "cold-2")
    assert "010-2345-6789" not in (site / "records" / RECORD_ID / "index.html").read_text("utf-8")

    # 3. a new theme: every page is rendered again, and equals a cold build
    keep.unlink()
    os.link(site / untouched.relative_to(site), keep)
    main = project / "overrides" / "main.html"
    main.write_text(
        main.read_text("utf-8").replace(
            "{% block extrahead %}", '{% block extrahead %}\n  <meta name="x-theme" content="2">'
        ),
        "utf-8",
    )
    build(project)
    build(project, site_dir=tmp_path / "cold-3", incremental=False)
    assert_same_site(site, tmp_path / "cold-3")
    assert inode(site / untouched.relative_to(site)) != inode(keep), "a page of the old theme was reused"
    assert 'content="2"' in (site / untouched.relative_to(site)).read_text("utf-8")


def test_settings_or_version_change_invalidates_the_cache(tmp_path, monkeypatch):
    project = make_site_project(_folder(tmp_path / "p"), site_records(), own_records=False)
    site = project / "site"
    build(project)
    page = sorted(site.glob("records/20*/index.html"))[0]
    keep = tmp_path / "kept.html"
    os.link(page, keep)
    build(project)  # nothing changed: the page is reused
    assert inode(page) == inode(keep)

    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("ko: sillok 프로젝트", "ko: 기록관리 프로젝트"), "utf-8")
    build(project)
    assert inode(page) != inode(keep) and "기록관리 프로젝트" in page.read_text("utf-8")

    keep.unlink()
    os.link(page, keep)
    salt = cache.salt("x")
    monkeypatch.setattr("sillok.__version__", "99.0")
    assert cache.salt("x") != salt
    build(project)
    assert inode(page) != inode(keep)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def test_workers_started_clean_and_forked_workers_write_the_same_site(tmp_path, monkeypatch):
    """Record pages rendered by workers from a forkserver (a cold build of many records: nothing of the build's
    heap copied) equal pages rendered by workers forked from the build (an incremental build: started at once)."""
    from sillok.site.recordpages import write

    monkeypatch.setattr(write, "PARALLEL_FROM", 1)
    project = make_site_project(_folder(tmp_path / "p"), site_records(), own_records=False)
    monkeypatch.setattr(write, "CLEAN_FROM", 1)
    build(project, site_dir=tmp_path / "clean", jobs=2, incremental=False)
    monkeypatch.setattr(write, "CLEAN_FROM", 10**9)
    build(project, site_dir=tmp_path / "forked", jobs=2, incremental=False)
    assert_same_site(tmp_path / "clean", tmp_path / "forked")
