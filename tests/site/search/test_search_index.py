"""The search index as files: what is indexed, per language, and how tokens are found in shards."""

from __future__ import annotations

import gzip
import json
import re
from bisect import bisect_right

import helpers.search_records as search_records
import pytest

from sillok.site.search import index as search
from sillok.site.search import postings
from sillok.site.search.analysis import index_tokens, is_bigram, query_terms
from sillok.site.search.index import INDEX_FOLDER, plain_text, search_page, write_search


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return search_records.write_and_read(tmp_path_factory.mktemp("archive"))


def read(path):
    return json.loads(gzip.decompress(path.read_bytes()))


def holds(text: str, query: str) -> bool:
    """Does a text hold every token and every adjacent bigram pair the query needs (the browser's test, in Python)?"""
    tokens = index_tokens(text)
    for term in query_terms(query):
        if "prefix" in term:  # one syllable: alone, or starting a bigram
            if not any(t == term["tokens"][0] or t.startswith(term["prefix"]) for t in tokens):
                return False
            continue
        if not all(t in tokens for t in term["tokens"]):
            return False
        if term["kind"] == "cjk" and len(term["word"]) > 2:
            pieces = [term["word"][i : i + 2] for i in range(len(term["word"]) - 1)]
            chain = tokens[pieces[0]][1]
            for piece in pieces[1:]:
                chain = ((chain << 1) | (chain >> 15)) & 0xFFFF & tokens[piece][1]
            if not chain:
                return False
    return True


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("탄소중립위원회가 출범하였다", "위원회", True),
        ("탄소중립위원회가 출범하였다", "탄소중립", True),
        ("관계부처는 탄소중립을 위한 과제를 점검하였다", "탄소중립", True),
        ("관계부처는 탄소중립을 위한 과제를 점검하였다", "탄소중립을", True),
        ("탄소 중립 사회", "탄소중립", True),
        ("국가재정전략회의를 열었다", "재정전략회의를", True),
        ("기획재정부는 예산안을 발표하였다", "기회", False),
        ("새로운 성장의 기회로 삼겠다", "기회", True),
        ("위원 명단과 학원회 소식", "위원회", False),  # 위원 and 원회 both there, but apart
        ("탄소 배출과 중소기업 중립", "탄소중립", False),
        ("2050년까지 탄소중립", "2050년", True),
        ("Carbon Neutrality Commission meetings", "meeting", True),
        ("policies for youth", "policy", True),
        ("the fine dust programme", "dusty", False),
    ],
)
def test_what_a_query_finds_in_a_text(text, query, found):
    assert holds(text, query) is found


def test_particles_typed_after_a_noun_are_dropped_but_not_from_nouns():
    words = [t["word"] for t in query_terms("탄소중립을 위원회가 기획재정부는 전문가 회의 마을 TF를")]
    assert words == ["탄소중립", "위원회", "기획재정부", "전문가", "회의", "마을", "tf"]


def test_every_record_is_in_both_indexes_a_missing_text_through_its_fallback_page(records, tmp_path):
    assert write_search(records, tmp_path) == {"ko": 13, "en": 13}
    for language in ("ko", "en"):
        folder = tmp_path / INDEX_FOLDER / language
        manifest = read(folder / "manifest.sidx")
        assert manifest["count"] == 13 and manifest["language"] == language
        assert manifest["bundle"] == search.FRAGMENT_BUNDLE
        assert len(list(folder.glob("f/*.sidx"))) == -(-13 // search.FRAGMENT_BUNDLE)  # bundles, not one per record
        assert sum(len(read(p)) for p in folder.glob("f/*.sidx")) == 13
        assert sum(count for _, _, count in manifest["offices"]) == 13  # facet counts, as on the browse pages
    english = {f["id"]: f for p in (tmp_path / INDEX_FOLDER / "en").glob("f/*.sidx") for f in read(p)}
    assert all(f["url"].startswith("/en/records/") for f in english.values())
    korean_only = english.pop("2024-03-20-regulatory-innovation-meeting")
    assert korean_only["lang"] == "ko" and korean_only["note"] == "Korean text only"
    assert re.search("[가-힣]", korean_only["title"]) and korean_only["when"] == "20 March 2024"
    assert all("lang" not in f and not re.search("[가-힣]", f["title"] + f["text"]) for f in english.values())
    assert (tmp_path / "assets/sillok-search/search.js").exists()


def test_records_are_numbered_newest_first_with_year_ranges(records, tmp_path):
    write_search(records, tmp_path)
    folder = tmp_path / INDEX_FOLDER / "ko"
    manifest = read(folder / "manifest.sidx")
    bundle = manifest["bundle"]
    ages = [manifest["count"] - 1 - n for n in range(manifest["count"])]  # bundles hold the oldest record first
    dates = [read(folder / f"f/{a // bundle}.sidx")[a % bundle]["date"] for a in ages]
    assert dates == sorted(dates, reverse=True)
    for year, first, end in manifest["years"]:
        assert {d[:4] for d in dates[first:end]} == {str(year)}


def test_only_record_content_and_metadata_are_indexed(records, tmp_path):
    write_search(records, tmp_path)
    tokens = set()
    for shard in (tmp_path / INDEX_FOLDER / "ko").glob("s/*/*.sidx"):
        tokens |= set(read(shard))
    assert {"위원", "원회", "2050", "정실"} <= tokens  # body, number, office name (국무조정실)
    assert not {"그만", "subtop", "보도", "자료"} & tokens  # page furniture; the type is a filter, not text


@pytest.mark.parametrize("shard_bytes", [60, 400, search.SHARD_BYTES])
@pytest.mark.parametrize("tiny_tiers", [False, True])
def test_every_token_is_in_the_shard_a_binary_search_finds(records, monkeypatch, shard_bytes, tiny_tiers):
    """No token is lost at a shard boundary, however small the shards, in every tier of records."""
    monkeypatch.setattr(search, "SHARD_BYTES", shard_bytes)
    if tiny_tiers:  # 13 records: ages 0-7, 8-11 and 12
        monkeypatch.setattr(search, "CHUNK", 4)
        monkeypatch.setattr(search, "FRAGMENT_BUNDLE", 2)
        monkeypatch.setattr(search, "TIERS", (8, 4))
    docs = search.documents(records, "ko")
    files = search.build_index(docs, "ko")
    tiers = json.loads(gzip.decompress(files["manifest.sidx"]))["tiers"]
    assert [(a, b) for a, b, _ in tiers] == ([(0, 8), (8, 12), (12, 13)] if tiny_tiers else [(0, 13)])
    oldest = docs[::-1]
    for first, end, starts in tiers:
        assert starts == sorted(starts)
        shards = [json.loads(gzip.decompress(files[f"s/{first}-{end}/{n}.sidx"])) for n in range(len(starts))]
        expected = set()
        for doc in oldest[first:end]:
            expected |= set(index_tokens(doc.title)) | set(index_tokens(f"{doc.office}\n{doc.text}"))
        for token in expected:
            assert token in shards[bisect_right(starts, token) - 1], token
        assert sum(len(s) for s in shards) == len(expected)


def test_write_search_replaces_the_previous_index(records, tmp_path):
    stale = tmp_path / INDEX_FOLDER / "ko" / "f" / "999.sidx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    write_search(records, tmp_path)
    assert not stale.exists()


def test_search_pages_point_at_their_language_index():
    ko, en = search_page("ko"), search_page("en", "/archive/")
    assert ko.startswith("---\ntitle: 검색\n---\n") and 'data-index="/_search/ko/"' in ko
    assert 'src="/assets/sillok-search/search.js"' in ko and 'placeholder="기록 검색"' in ko
    assert 'data-index="/archive/_search/en/"' in en and 'href="/archive/assets/sillok-search/search.css"' in en


def test_plain_text_keeps_words_not_markdown():
    markdown = (
        "# 제목\n\n- ㅇ **탄소중립**을 [위원회](https://example.org)에서 `논의`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert plain_text(markdown) == "제목\nㅇ 탄소중립을 위원회에서 논의\na b\n1 2"


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("a\t\tb  c   d\te f", "a b c d e f"),  # runs of blanks and any tab: one space; a single space stays
        (" \t 가 \t\n\n\t나  ", "가\n나"),  # lines stripped, blank lines dropped
        ("**굵게**_기울임_`코드` a|b", "굵게기울임코드 a b"),  # marks removed where they are, pipes are spaces
        ("x *  * y\n- - -\n***", "x y"),  # a rule goes; marks go, then the blanks they leave are one space
        ("1. 가\n2) 나\n> 다\n## 라", "가\n나\n다\n라"),
    ],
)
def test_plain_text_leaves_words_and_single_spaces(markdown, plain):
    assert plain_text(markdown) == plain


def test_a_chunk_is_read_without_garbage_collection_and_collection_is_as_it_was(records):
    import gc

    task = search.ChunkTask(0, len(records), records, "ko", "/", True, [0])
    assert gc.isenabled()
    search.run_chunk(task)
    assert gc.isenabled()
    gc.disable()
    try:
        search.run_chunk(task)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_script_reads_the_index_format_this_module_writes():
    script = (search.Path(search.__file__).parent / "search.js").read_text("utf-8")
    assert f"var FORMAT = {search.FORMAT};" in script


@pytest.mark.parametrize("chunk", [2, 64])
def test_posting_lists_hold_each_record_by_age_with_its_count_and_mask(records, monkeypatch, chunk):
    """Decoded as search.js decodes them, the lists of every tier give each record's title-weighted count and
    position mask, oldest record first, whatever the chunks the postings were merged from."""
    monkeypatch.setattr(search, "CHUNK", chunk)
    monkeypatch.setattr(search, "FRAGMENT_BUNDLE", 2)
    monkeypatch.setattr(search, "TIERS", (8, 4) if chunk == 2 else (4096, 256))
    docs = search.documents(records, "ko")
    files = search.build_index(docs, "ko")
    found = {}
    for first, end, starts in json.loads(gzip.decompress(files["manifest.sidx"]))["tiers"]:
        for n in range(len(starts)):
            for token, flat in json.loads(gzip.decompress(files[f"s/{first}-{end}/{n}.sidx"])).items():
                stride, age = (3 if is_bigram(token) else 2), -1
                for i in range(0, len(flat), stride):
                    age += flat[i]
                    assert first <= age < end
                    found[token, age] = (flat[i + 1], flat[i + 2] if stride == 3 else 0)
    expected = {}
    for age, doc in enumerate(docs[::-1]):
        for token, (count, mask) in postings.doc_tokens(doc).items():
            expected[token, age] = (min(count, postings.MAX_COUNT), mask)
    assert found == expected


def test_pieces_joined_early_give_the_same_shards(records, monkeypatch):
    """A token's pieces are joined into one string every JOIN_FROM chunks (long tiers): the shards are the same."""
    docs = search.documents(records, "ko")[::-1]
    partials = [(start, postings.partial_postings(docs[start : start + 2])[0]) for start in range(0, len(docs), 2)]
    shards = {}
    for join_from in (1, 3, 10_000):
        monkeypatch.setattr(postings.Postings, "JOIN_FROM", join_from)
        shards[join_from] = list(postings.merge_postings(partials).shards(2_000))
    assert len(shards[1]) > 3 and shards[1] == shards[3] == shards[10_000]
