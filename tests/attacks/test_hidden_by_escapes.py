"""Attack class 4: escapes that hide what the check looks for.

Before: YAML escapes in quoted strings (``"\\u202E"``, ``"\\u3164"``, ``"\\u0007"``) passed the
invisible-character check, which read raw characters; a raw control byte or U+FFFE crashed the YAML
reader with a traceback; personal data written with character references, Markdown escapes or
full-width digits passed without a warning; a character reference for a bidi control in a body passed.
"""

from __future__ import annotations

import pytest
from helpers.records import VALID_KO, VALID_RECORD_YML, valid_record

from sillok.check.check import check

TITLE = "title: 2050 탄소중립 범부처 TF 1차 회의"


def problems(archive, **overrides):
    return check([archive(valid_record(**overrides)) / "records"]).problems


@pytest.mark.parametrize("escape", ["\\u202E", "\\u3164", "\\u0007", "\\u200B", "\\x85", "\\uFFFE", "\\u115F"])
def test_a_yaml_escape_for_an_invisible_character_is_refused(archive, escape):
    ko = VALID_KO.replace(TITLE, f'title: "회의{escape}록"')
    found = [p for p in problems(archive, ko_md=ko) if p.severity == "error"]
    assert [p.code for p in found] == ["invisible-character"], [p.format() for p in found]
    assert found[0].line == 2 and "escapes are decoded" in found[0].message


def test_a_yaml_escape_in_record_yml_is_refused(archive):
    yml = VALID_RECORD_YML.replace("writer: 관리자1", 'writer: "관리자\\u202E1"')
    assert [p.code for p in problems(archive, record_yml=yml) if p.severity == "error"] == ["invisible-character"]


@pytest.mark.parametrize("raw", ["\x07", "\ufffe", "\x1b[31m"])
def test_a_raw_control_character_in_yaml_is_a_problem_not_a_traceback(archive, raw):
    yml = VALID_RECORD_YML.replace("writer: 관리자1", f'writer: "관리자{raw}1"')
    found = problems(archive, record_yml=yml)
    assert {p.code for p in found} >= {"invisible-character"}, [p.format() for p in found]
    assert all(p.line for p in found)


def test_hostile_yaml_nesting_is_bounded(archive):
    deep = "tags: " + "[" * 5000 + "]" * 5000 + "\n"
    yml = VALID_RECORD_YML.replace("tags:\n  - 탄소중립\n", deep)
    found = problems(archive, record_yml=yml)
    assert [p.code for p in found if p.severity == "error"] == ["yaml-too-deep"]


@pytest.mark.parametrize("reference", ["&#x202E;", "&#8238;", "&zwj;", "&#x3164;", "&#7;"])
def test_a_character_reference_for_an_invisible_character_in_a_body_is_refused(archive, reference):
    found = problems(archive, ko_md=VALID_KO + f"\n본문 {reference} 끝\n")
    assert [p.code for p in found if p.severity == "error"] == ["invisible-character"], [p.format() for p in found]


@pytest.mark.parametrize(
    "written",
    [
        "&#48;10-1234-5678",
        "０１０-１２３４-５６７８",
        "010\\-1234\\-5678",
        "&#x30;&#x31;&#x30;-1234-5678",
        "８００１０１-１２３４５６７",
    ],
)
def test_personal_data_is_found_after_decoding(archive, written):
    found = [p for p in problems(archive, ko_md=VALID_KO + f"\n연락처: {written}\n") if p.code == "personal-data"]
    assert len(found) == 1 and found[0].line == 9, [p.format() for p in found]


def test_a_control_character_never_reaches_the_atom_feeds(archive):
    """The YAML escape that once broke the feeds is refused before anything is built."""
    ko = VALID_KO.replace(TITLE, 'title: "회의\\u0007"')
    result = check([archive(valid_record(ko_md=ko)) / "records"])
    assert not result.ok and result.records == []
