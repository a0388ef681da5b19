"""Search files and open data (month files) reused from the previous site when their inputs did not change.

An incremental build must publish the very bytes a cold build does; these tests check that it
also really reuses (hard links to the previous site's files) what did not change, and nothing else.
"""

from __future__ import annotations

import pytest
from helpers.records import corpus_module

from sillok.site.build import build
from sillok.site.output.reuse import BuildCache
from sillok.site.recordpages import cache
from sillok.site.search.index import FRAGMENT_BUNDLE, INDEX_FOLDER

pytestmark = pytest.mark.slow

NEWEST = "2025-01-02-opc-99999"
NEWEST_FILES = {
    f"records/2025/{NEWEST}/record.yml": (
        f'id: {NEWEST}\ntype: press-release\ndate: 2025-01-02\ntime: "10:00"\ntimezone: Asia/Seoul\n'
        "office:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n"
        "writer: 대변인실\noriginal_language: ko\nillustrative: true\n"
    ),
    f"records/2025/{NEWEST}/ko.md": "---\ntitle: 수소경제 점검 회의 결과\n---\n\n- □ 수소경제 이행 점검 회의를 열었다.\n",
}


@pytest.fixture(scope="module")
def corpus():
    return corpus_module()


def inodes(site, pattern):
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.glob(pattern)}


def test_a_new_record_reuses_older_search_bundles_and_record_json_and_equals_a_cold_build(tmp_path, corpus):
    from test_recordpages import assert_same_site

    project = corpus.make_project(tmp_path, 40)
    site = project / "site"
    build(project, jobs=1)
    bundles, documents = inodes(site, f"{INDEX_FOLDER}/*/f/*.sidx"), inodes(site, "data/records/*/*.json")

    for relative, text in NEWEST_FILES.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, "utf-8")
    build(project, jobs=1)
    build(project, site_dir=tmp_path / "cold", incremental=False, jobs=1)
    assert_same_site(site, tmp_path / "cold")

    after = inodes(site, f"{INDEX_FOLDER}/*/f/*.sidx")
    kept = [name for name, number in bundles.items() if after.get(name) == number]
    newest_bundle = {
        f"{INDEX_FOLDER}/{lang}/f/{40 // FRAGMENT_BUNDLE}.sidx" for lang in ("ko", "en")
    }  # the newest record goes here
    assert set(bundles) - set(kept) == newest_bundle, "only the bundle of the newest records is compressed again"
    after = inodes(site, "data/records/*/*.json")
    assert {name for name, number in documents.items() if after[name] == number} == set(documents)
    assert "data/records/2025/01.json" in after, "the new record's month"


def test_a_change_of_settings_or_code_reuses_nothing(tmp_path, corpus):
    project = corpus.make_project(tmp_path, 20)
    site = project / "site"
    build(project, jobs=1)
    before = inodes(site, "data/records/*/*.json") | inodes(site, f"{INDEX_FOLDER}/*/*/*.sidx")
    build(project, jobs=1)  # nothing changed: everything reused
    again = inodes(site, "data/records/*/*.json") | inodes(site, f"{INDEX_FOLDER}/*/*/*.sidx")
    assert again == before

    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("archive.example.org", "records.example.org"), "utf-8")
    build(project, jobs=1)
    changed = inodes(site, "data/records/*/*.json") | inodes(site, f"{INDEX_FOLDER}/*/*/*.sidx")
    assert not set(changed.items()) & set(before.items())
    assert "records.example.org" in next(site.glob("data/records/*/*.json")).read_text("utf-8")

    code = BuildCache(None, None, cache.code_digest()).files("search").salt
    assert BuildCache(None, None, cache.code_digest() + "x").files("search").salt != code
