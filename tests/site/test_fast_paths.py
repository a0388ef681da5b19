"""Shortcuts on the record-page hot path give exactly what the general code gives.

The inline step of Python-Markdown skips texts no inline pattern can match, and relative links
are computed without ``posixpath.relpath``; both are compared here with the code they stand in for,
over generated records, the sample records and texts written to hit every inline pattern.
"""

from __future__ import annotations

import posixpath
import random
import sys

import markdown
from helpers.records import ROOT

from sillok.check.check import check
from sillok.site import render, urls

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
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "scripts"))
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
