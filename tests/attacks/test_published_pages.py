"""Attack class 3: hand-written pages and templates are published, so they are checked like records.

Before: raw ``<script>`` in a page under ``docs/`` was published as it was, and nothing looked at
HTML files dropped into ``docs/`` or at inline script in ``overrides/``.
"""

from __future__ import annotations

import pytest
from helpers.records import ROOT, write_tree

from sillok.check.published import check_published


def test_the_projects_own_pages_and_templates_pass():
    assert check_published(ROOT / "docs", ROOT / "overrides") == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("docs/about.md", "---\ntitle: 소개\n---\n\n# 소개\n\n<script>alert(1)</script>\n", "raw-html"),
        ("docs/about.md", "---\ntitle: 소개\n---\n\n<img src=x onerror=alert(1)>\n", "raw-html"),
        ("docs/about.md", "---\ntitle: 소개\n---\n\n[go](javascript:alert(1))\n", "link-scheme"),
        ("docs/about.md", '---\ntitle: "소개</title><script>x()</script>"\n---\n\n본문\n', "markup-in-text"),
        ("docs/evil.html", "<script>alert(1)</script>", "published-html"),
        ("docs/assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "published-script"),
        ("overrides/partials/x.html", "<div>{{ page.title }}</div><script>alert(1)</script>", "published-script"),
        ("overrides/partials/x.html", '<a href="#" onclick="alert(1)">x</a>', "published-script"),
    ],
)
def test_hostile_hand_written_files_are_refused(tmp_path, name, content, code):
    write_tree(tmp_path, {"docs/index.md": "---\ntitle: 첫 화면\n---\n\n# 첫 화면\n", name: content})
    problems = check_published(tmp_path / "docs", tmp_path / "overrides")
    assert [p.code for p in problems] == [code], [p.format() for p in problems]
    assert problems[0].path.endswith(name.rsplit("/", 1)[-1]) and problems[0].hint


def test_a_build_refuses_a_script_in_a_hand_written_page(tmp_path):
    from helpers.records import make_site_project, valid_record

    from sillok.site.build import BuildFailed, build

    project = make_site_project(tmp_path, valid_record(), own_records=False)
    (project / "docs/about.md").write_text("---\ntitle: 소개\n---\n\n<script>window.__pwned=1</script>\n", "utf-8")
    with pytest.raises(BuildFailed):
        build(project)
    assert not (project / "site").exists()
