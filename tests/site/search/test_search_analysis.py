"""The fast analyzer (regular expressions over whole strings) gives exactly the tokens of the syllable-by-syllable one."""

from __future__ import annotations

import random

import helpers.search_records as search_records
import pytest
from helpers import search_reference
from helpers.records import corpus_module

from sillok.site.search.analysis import STEMS, index_tokens, stem

TEXTS = [
    "2050 탄소중립위원회가 탄소 중립을 TF를 meetings policies Korea's ㅇ 관계부처는",
    'ＡＢＣ　탄소중립·녹색성장 (위원회) "미세먼지" 반도체 공장\n반도체\t공장 2,300억원 30% e-mail U.S. don\'t it’s',
    "國家 재정 戰略 法 법 年 년까지 2023년 1차 盧 Ⅳ ① ½ ﬁnance Straße İstanbul",
    "",
    "\n\n가\n\n",
    "가 나 다라 마\t바  사 abc 아 \r자",
    "\x00탄소\x00중립 \x00",
    "가" * 40 + " " + "나다" * 30,
]
ALPHABET = [
    "가",
    "나",
    "다",
    "탄",
    "소",
    "中",
    "國",
    " ",
    " ",
    "\t",
    "\n",
    "a",
    "s",
    "'",
    "’",
    "1",
    "-",
    "·",
    "ㅇ",
    "Ａ",
    "\x00",
    "\r",
]


def test_fixed_texts():
    for text in TEXTS:
        assert index_tokens(text) == search_reference.index_tokens(text), repr(text)


def test_random_texts():
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
        assert index_tokens(text) == search_reference.index_tokens(text), repr(text)


@pytest.mark.parametrize("seed", [3, 7])
def test_generated_and_sample_records(seed):
    corpus = corpus_module()
    texts = [r[4] + r[3] for r in search_records.RECORDS] + [r[6] or "" for r in search_records.RECORDS]
    for record in corpus.records(40, seed=seed, mixed=True):
        for text in record.texts.values():
            texts += [text.title, text.body]
    for text in texts:
        assert index_tokens(text) == search_reference.index_tokens(text)


def test_stems_are_looked_up_as_the_stemmer_gives_them():
    words = ["meetings", "policies", "korea's", "buses", "status", "class", "don't", "it’s", "meetings"]
    assert [STEMS[word] for word in words] == [stem(word) for word in words]
    assert STEMS["policies"] == "policy" and "policies" in STEMS
