"""The redaction mark: a redacted text is the sealed text with spans replaced by marks, and nothing else."""

from __future__ import annotations

import pytest

from sillok.ledger.mask import MARK, only_removes

SEALED = "제목\n\n□ 회의를 열었다.\n- 문의: 홍길동 010-1234-5678\n- 참석: 12명\n"


@pytest.mark.parametrize(
    "redacted",
    [
        SEALED.replace("홍길동 010-1234-5678", MARK),
        SEALED.replace("홍길동", MARK).replace("010-1234-5678", MARK),
        SEALED.replace("제목", MARK),  # at the start
        SEALED.replace("12명\n", MARK),  # at the end
        SEALED.replace("- 문의: 홍길동 010-1234-5678\n- 참석", MARK),  # across lines
    ],
)
def test_masking_is_accepted(redacted):
    assert only_removes(SEALED, redacted) is None


def test_a_mark_left_by_an_earlier_redaction_may_stay():
    once = SEALED.replace("홍길동", MARK)
    assert only_removes(once, once.replace("010-1234-5678", MARK)) is None


@pytest.mark.parametrize(
    ("redacted", "line", "reason"),
    [
        (SEALED.replace("12명", "15명"), 5, "has no redaction mark"),
        (SEALED.replace("홍길동", MARK).replace("12명", "15명"), 5, "not how the sealed text ends"),
        (SEALED.replace("회의를", "회의를 두 번").replace("홍길동", MARK), 3, "before the first mark"),
        (SEALED.replace("홍길동", MARK).replace("010-1234-5678", "02-000-0000"), 4, "not how the sealed text ends"),
        (SEALED.replace("홍길동", MARK + MARK + " 외").replace("참석", MARK + "불참"), 4, "not in the sealed text"),
        (SEALED.replace("문의:", "문의:" + MARK), 4, "not how the sealed text ends"),  # a mark that removes nothing
        (SEALED, 1, "nothing was masked"),
    ],
)
def test_anything_else_is_refused_naming_the_first_differing_line(redacted, line, reason):
    difference = only_removes(SEALED, redacted)
    assert difference is not None
    assert (difference.line, reason in difference.reason) == (line, True), difference
