"""Shortcuts on the record-page hot path give exactly what the general code gives.

The inline step of Python-Markdown skips texts no inline pattern can match, and relative links
are computed without ``posixpath.relpath``; both are compared here with the code they stand in for,
over generated records, the sample records and texts written to hit every inline pattern.
"""

from __future__ import annotations

import dataclasses
import posixpath
import random

import markdown
from helpers.records import ROOT, corpus_module

from sillok.check.check import check
from sillok.site import present, quickbody, render, urls

TRICKY = [
    "a  \nb",
    "x `code` y",
    "\\*not emphasis*",
    "[link](https://example.org)",
    "[ref][1]\n\n[1]: https://example.org",
    "&amp; &#35; &x",
    "**strong** _em_ *em*",
    "<https://example.org>",
    "<person@example.org>",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- □ 가\n    - ㅇ 나 *강조*",
    "![그림](x.png)",
    "line one\nline two",
    "# heading\n\n> quote",
    "1. one\n2. two\n\n---\n",
]


def bodies() -> list[str]:
    corpus = corpus_module()
    records = list(corpus.records(200, mixed=True)) + check([ROOT / "records"]).records
    return [text.body for record in records for text in record.texts.values()] + TRICKY


def test_the_quick_inline_step_gives_what_markdowns_own_gives():
    quick = render._markdown()
    assert isinstance(quick.treeprocessors["inline"], render._QuickInlineProcessor), "the shortcut is not in use"
    plain = markdown.Markdown(extensions=["tables", "sane_lists", render._OutlineExtension()], output_format="html")
    plain.treeprocessors.register(markdown.treeprocessors.InlineProcessor(plain), "inline", 20)
    for body in bodies():
        quick.reset()
        plain.reset()
        assert quick.convert(body) == plain.convert(body), body


def _old_relative(page: str, target: str) -> str:
    base = page.rstrip("/") or "."
    if not page.endswith("/") and page:
        base = posixpath.dirname(page) or "."
    is_dir = target == "" or target.endswith("/")
    link = posixpath.relpath(target.rstrip("/") or ".", base)
    if is_dir:
        return "./" if link == "." else link + "/"
    return link


def test_relative_links_are_posixpaths():
    parts = ["records", "en", "a", "2021", "x.json", ".", "", "index.html", "c..d", "..", "tag"]
    rng = random.Random(3)

    def path() -> str:
        text = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        return ("/" if rng.random() < 0.05 else "") + text + ("/" if rng.random() < 0.5 else "")

    for _ in range(20_000):
        page, target = path(), path()
        try:
            expected = _old_relative(page, target)
        except ValueError:
            continue
        assert urls.relative(page, target) == expected, (page, target)


LINES = [
    "",
    "",
    "- □ 가나 다라",
    "    - ㅇ 마바 사",
    "        - \\* 주석 1.5% 입니다",
    "- ■ head",
    "    - ※ note",
    "- plain item",
    "        - ○ deep",
    "            - ◦ deeper",
    "문단 첫 줄",
    "둘째 줄 (괄호) 'quote' \"dq\"",
    "□ 머리 문단",
    "■ head para",
    "# 제목",
    "## Sub",
    "###### six",
    "####### seven",
    "# closed #",
    "#no space",
    "- ",
    "-  two spaces",
    "- - nested",
    "- 1. ordered",
    "1. one",
    "2024년 3월",
    "3) paren",
    "+ plus",
    "* star",
    "> quote",
    "    code",
    "\tTab",
    "a  ",
    "x > y",
    "a & b",
    "a < b",
    "*em*",
    "_u_",
    "`c`",
    "[l](x)",
    "a | b",
    "|---|",
    "---",
    "===",
    "\\- escaped dash",
    "\\# hash",
    "\\> gt",
    "\\q",
    "end \\",
    "- \\* star item",
    "- ㅇ 항목 \\_ 밑줄",
    "  ",
    "- □ a\u00a0b nbsp",
    "x\u2028y",
    "    - ㅇ orphan",
    "term",
    ": definition",
    "<b>html</b>",
    "&amp;",
    "ㅇ 문단 항목",
    "* ㅇ star list",
    "-\t□ tab",
    "**굵게 쓴 첫 줄**",
    "**a** and **b**",
    "** spaced **",
    "a**b**c",
    "**open",
    "****",
    "- □ **bold** rest",
    "***x***",
    "**a*b**",
    "**x** \\* y",
    "# **h**",
]


PLAIN_LINES = [
    *LINES[:16],
    "- \\* star item",
    "x > y",
    "\\- escaped dash",
    "- □ a\u00a0b nbsp",
    "ㅇ 문단 항목",
    "**굵게 쓴 첫 줄**",
    "**a** and **b**",
    "- □ **bold** rest",
]
"""Lines the fast path takes: bodies made of them mix lists, paragraphs and headings in every order."""


def fuzzed(count: int, seed: int, lines: list[str] = LINES) -> list[str]:
    rng = random.Random(seed)
    return ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def test_quick_bodies_are_what_python_markdown_gives():
    """quick_html (the fast path of body_html) renders a body exactly as Python-Markdown does, or declines."""
    quick_count = 0
    for body in bodies() + fuzzed(3000, 13) + fuzzed(3000, 14, PLAIN_LINES) + [line + "\n" for line in LINES]:
        quick = quickbody.quick_html(body)
        if quick is not None:
            quick_count += 1
            assert quick == render.markdown_html(body), body
            assert render.sanitised_quick(quick) == render.sanitise(quick), body
    assert quick_count > 800, "the fast path declines what it was made for"
    assert quickbody.quick_html("\n- □ 가\n    - ㅇ 나\n        - \\* 다\n- □ 라\n") is not None


def test_record_links_are_the_general_links():
    """record_link (one relative prefix per page) gives what link() gives, also from a folder named like a record."""
    pages = [
        "",
        "en/",
        "records/",
        "en/records/",
        "records/board/3/",
        "en/records/office/opc/2021/",
        "records/2021-x/",
        "records/date/2021-x/",
        "records/2021-x/sub/",
        "index.html",
        "en/records/tag/a b/",
    ]
    for page in pages:
        for record_id in ["2021-x", "2022-01-02-opc-00001", "a&b", "date"]:
            for language in ("ko", "en"):
                expected = render.link(page, urls.record(record_id, language), "t")
                assert render.record_link(page, record_id, language, "t") == expected, (page, record_id)


def test_a_summary_from_the_start_of_a_body_is_the_summary_of_the_whole():
    rng = random.Random(13)
    pieces = [*TRICKY, "\n", "\n\n", "   ", "*", "_", "`", "[", "](x)", "# ", "> ", "- ", "□ ", "1. ", "가나다 " * 9]
    pieces += ["link [spanning\n\nlines](u)", "*a\nb*", "  \n# late heading", "word " * 40, "ㅇ 보고 " * 30]
    texts = bodies()
    texts.append("[" + "가나다 라마\n" * 500 + "](u) and on\nmore")  # a link from the start to past the part reduced
    plain = [piece for piece in pieces if "[" not in piece]  # links only further on, or none
    for number in range(1500):
        start = "".join(rng.choice(plain) for _ in range(rng.randrange(1, 300)))
        texts.append(start + "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 100) * (number % 2))))
    shortcut = 0
    for body in texts:
        for limit in (10, 40, present.SUMMARY_LENGTH):
            record = corpus_record_with_body(body)
            assert present.summary(record, "ko", limit) == present.shortened(present.plain_text(body), limit), (
                limit,
                body,
            )
        end = body.rfind("\n", 0, present.SUMMARY_SCAN)
        shortcut += 0 < end < len(body) - 1 and "[" not in body[:end]
    assert shortcut > 500, "the start alone was hardly ever reduced: the comparison says nothing"


def corpus_record_with_body(body: str):
    """A record whose Korean text has ``body`` and no summary of its own."""
    record = _SAMPLE[0]
    text = dataclasses.replace(record.texts["ko"], summary=None, held_body=body)
    return dataclasses.replace(record, texts={**record.texts, "ko": text})


_SAMPLE = check([ROOT / "records"]).records
