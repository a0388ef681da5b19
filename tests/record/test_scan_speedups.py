"""The fast paths of the per-record scans find exactly what their plain definitions find.

The check runs these scans on every record of every check, so they take shortcuts (counting on
ASCII bytes, decoding a whole text at once, prefilters); each test compares a shortcut with the
plain definition it replaces on texts made to hit every branch.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata

from sillok.record import bodyscan, privacy
from sillok.record.reader import language_mismatch

PIECES = [
    "한국어 문장입니다. ",
    "English words here. ",
    "010-1234-5678 ",
    "０１０-９９９９-８８８８ ",
    "900101-1234567 ",
    "\\-\\*escaped ",
    "&#48;10&#45;2222&#45;3333 ",
    "&#10;",
    "a.b@example.com ",
    "`code 010-1111-2222` ",
    "```\nfence <b>\n```\n",
    "~~~\n<i>x</i>\n~~~\n",
    "[ref]: http://e.com\n",
    "![img][ref] ",
    "\n",
    "e\u0301 ",
    "ㅇ ",
    "٠١٢٣٤٥-١٢٣٤٥٦٧ ",
    "+82 10 1234 5678 ",
    "\r",
]


def texts() -> list[str]:
    combos = ["".join(c) for c in itertools.combinations(PIECES, 3)]
    return [*combos, "".join(PIECES), "".join(reversed(PIECES)), "plain ascii only", ""]


def plain_decoded(text: str) -> str:
    """privacy.decoded as first written: line by line."""
    if "\\" not in text and "&" not in text and text.isascii():
        return text
    lines = []
    for line in text.split("\n"):
        line = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line))
        lines.append(unicodedata.normalize("NFKC", line).replace("\n", " ").replace("\r", " "))
    return "\n".join(lines)


def test_decoded_is_the_line_by_line_decoding():
    for text in texts():
        if "\r" not in text:  # bodies never hold CR (a file with one is refused before its body is scanned)
            assert privacy.decoded(text) == plain_decoded(text), repr(text)


def test_personal_data_found_are_those_of_the_plain_patterns():
    rrn = re.compile(r"\d{6}\s?[-–]?\s?[1-8]\d{6}")
    for text in texts():
        assert [m.span() for m in privacy._RRN.finditer(text)] == [m.span() for m in rrn.finditer(text)]
    found = privacy.find(privacy.decoded("전화 010-1234-5678, ０１０-９９９９-８８８８, +82 10 1234 5678"))
    assert [kind for _, _, kind, _ in found] == ["mobile phone number"] * 3


def test_masking_code_is_the_plain_masking():
    def plain_mask(body: str) -> str:
        blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
        return bodyscan._CODE_SPAN.sub(blank, bodyscan._FENCE.sub(blank, body))

    for text in texts():
        assert bodyscan.mask_code(text) == plain_mask(text), repr(text)
        assert len(bodyscan.mask_code(text)) == len(text)


def test_language_mismatch_is_the_plain_count():
    hangul_re = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
    latin_re = re.compile(r"[A-Za-z]+")

    def plain(sample: str, language: str) -> bool:
        hangul = sum(map(len, hangul_re.findall(sample)))
        latin = sum(map(len, latin_re.findall(sample)))
        if language == "ko":
            return latin > 200 and hangul < latin / 20
        return language == "en" and hangul > 200 and latin < hangul / 2

    samples = [
        "abc " * n + "한국어" * m + "漢字 ¿" * k
        for n, m, k in itertools.product((0, 30, 60, 70, 200), (0, 3, 10, 70, 100, 300), (0, 50, 400))
    ]
    for sample in samples:
        for language in ("ko", "en"):
            assert language_mismatch(sample[:4000], language) == plain(sample[:4000], language), (language, sample)
    assert language_mismatch("The text of this record is English. " * 20, "ko")
    assert language_mismatch("이 기록의 본문은 한국어입니다. " * 40, "en")
