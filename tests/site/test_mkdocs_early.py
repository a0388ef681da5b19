"""MkDocs starts beside the check on what the last build generated, and runs again when that changed.

docs/records/ holds markers where lists change with the records (:data:`sillok.site.generate.FILL`),
so adding a record leaves it as it was and the MkDocs run started before the check is used. Anything
that changes docs/records/ (here a hand-written link that needs a new stub) stops that run and starts
another; a failed check stops it too. Every site is compared with a cold build's.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers.records import make_site_project, site_records, write_tree
from test_recordpages import NEW_ID, NEW_RECORD, assert_same_site

from sillok.site.build import BuildFailed, build
from sillok.site.generate import GenerateError, fill

pytestmark = pytest.mark.slow


def _docs(project: Path) -> dict[str, bytes]:
    folder = project / "docs" / "records"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_new_record_leaves_docs_unchanged_and_a_changed_link_runs_mkdocs_again(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    project = make_site_project(folder, site_records(), own_records=False)
    site = project / "site"
    build(project)
    before = _docs(project)
    assert "<!--sillok-fill:date.ko.md" in before["date.ko.md"].decode()  # the hub's lists are filled in later
    write_tree(project, NEW_RECORD)
    result = build(project)  # MkDocs ran from the start, beside the check
    assert _docs(project) == before, "a new record changed what MkDocs reads"
    assert result.timings["mkdocs build"] > 0
    build(project, site_dir=tmp_path / "cold", incremental=False)
    assert_same_site(site, tmp_path / "cold", gzip_time=True)
    home = (site / "index.html").read_text("utf-8")
    assert NEW_ID in home and "sillok-fill" not in home  # the latest list is filled in

    about = project / "docs" / "about.md"  # a new link needs a stub MkDocs did not have when it started
    about.write_text(about.read_text("utf-8") + "\n[2021년](records/date/2021.md)\n", "utf-8")
    build(project)
    assert (project / "docs" / "records" / "date" / "2021.ko.md").is_file()
    assert 'href="../records/date/2021/"' in (site / "about" / "index.html").read_text("utf-8")
    build(project, site_dir=tmp_path / "cold2", incremental=False)
    assert_same_site(site, tmp_path / "cold2", gzip_time=True)


def test_a_failed_check_stops_the_early_mkdocs_and_leaves_nothing(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    project = make_site_project(folder, site_records(), own_records=False)
    build(project)
    published = (project / "site" / "index.html").read_bytes()
    write_tree(project, NEW_RECORD)
    (project / "records" / "2021" / NEW_ID / "record.yml").write_text("id: [broken\n", "utf-8")
    with pytest.raises(BuildFailed, match="problem"):
        build(project)
    assert (project / "site" / "index.html").read_bytes() == published
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".sillok-staging")]
    assert not leftovers, leftovers
    processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    mkdocs = [line for line in processes.splitlines() if str(project) in line and "mkdocs" in line]
    assert not mkdocs, mkdocs


def test_a_marker_no_block_stands_for_is_refused(tmp_path):
    page = tmp_path / "about" / "index.html"
    page.parent.mkdir()
    page.write_text("<p><!--sillok-fill:records/nothing.ko.md--></p>", "utf-8")
    with pytest.raises(GenerateError, match=r"nothing\.ko\.md"):
        fill(tmp_path, ["about/index.html"], {"records/date.ko.md": "<h1>x</h1>"})
    page.write_text("<div><!--sillok-fill:records/date.ko.md <h1--></div>", "utf-8")
    assert fill(tmp_path, ["about/index.html"], {"records/date.ko.md": "<h1>x</h1>"}) == 1
    assert page.read_text("utf-8") == "<div><h1>x</h1></div>"
