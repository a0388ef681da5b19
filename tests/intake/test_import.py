"""``sillok import``: a page saved from the Presidential Archives' web records becomes a record."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import markdown
import pytest
from helpers.records import ROOT, SEED, write_tree

from sillok.check.check import check
from sillok.cli import main
from sillok.intake import importer
from sillok.intake.place import import_files
from sillok.record.model import Office

OPC = ["--office", "opc", "--office-ko", "국무조정실", "--office-en", "Office for Government Policy Coordination"]
SEED_RECORD = "records/2021/2021-01-13-carbon-neutrality-tf-1"
EXPECTED = (
    "expected a page saved as text from the Presidential Archives' web records: "
    "'subtop', a title line, a 'writer : … date : …' line, then the record's text"
)

#: Lines of the archive's page around the record, from the seed (the header above the title and
#: the dialog buttons below the text). None of them may reach a record.
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
TITLE_AT = SEED_LINES.index("subtop") + 1
FURNITURE = [line for line in SEED_LINES[:TITLE_AT] if line.strip()] + ["확인", "아니오"]
BODY = [line for line in SEED_LINES[TITLE_AT + 2 :] if line.strip(" \u00a0") and line not in FURNITURE]
MARKER = re.compile(r"^(□|ㅇ|\*|-) ")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the working directory, so messages show relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*argv: str) -> int:
    return main(["import", *argv])


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- the seed ----------------------------------------------------------------------------------


def test_seed_imports_as_the_expected_record(project, capsys):
    assert run(str(SEED), *OPC, "--slug", "carbon-neutrality-tf-1") == 0
    out, err = capsys.readouterr()
    assert out == f"{SEED_RECORD}\n"
    assert err == "imported 1 record, refused 0 files\n"
    folder = project / SEED_RECORD
    assert sorted(p.name for p in folder.iterdir()) == ["en.md", "record.yml"]
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert (
        (folder / "record.yml").read_text(encoding="utf-8")
        == f"""\
id: 2021-01-13-carbon-neutrality-tf-1
type: press-release
date: 2021-01-13
time: "10:29:45"
timezone: Asia/Seoul
office:
  id: opc
  ko: 국무조정실
  en: Office for Government Policy Coordination
writer: 관리자1
original_language: en
not_archived:
  - ko
source:
  archive: Presidential Archives of Korea, preserved presidential web records (대통령기록관 대통령 웹기록물)
  file: 000_c1ae9bedb106c9a1.txt
  sha256: "{digest}"
  note: "Imported with sillok import: the archive's page furniture (banner, notices, buttons) removed, the text kept verbatim."
"""
    )
    result = check([project / "records"])
    assert result.problems == []
    record = result.records[0]
    assert (
        record.texts["en"].title
        == SEED_LINES[TITLE_AT]
        == "2050 Carbon Neutrality Promotion Pan-Ministerial Task Force(T/F) 1st Meeting(2021.01.13)"
    )
    assert record.issued.isoformat() == "2021-01-13T10:29:45+09:00"
    assert record.writer == "관리자1"
    assert record.not_archived == ("ko",)


def test_seed_keeps_every_sentence_verbatim_and_no_furniture(project):
    assert run(str(SEED), *OPC, "--slug", "carbon-neutrality-tf-1") == 0
    en = (project / SEED_RECORD / "en.md").read_text(encoding="utf-8")
    assert len(BODY) == 13  # headline, 2 summary lines, 3 □, 1 *, 5 ㅇ and one continuation line
    for line in BODY:
        text = MARKER.sub("", line.strip(" \u00a0"))
        assert text in en, text
    # nbsp inside sentences is kept (and spacer-only lines are gone)
    inside = sum(line.strip(" \u00a0").count("\u00a0") for line in BODY)
    assert inside > 40 and en.count("\u00a0") == inside
    assert not [line for line in en.split("\n") if line and not line.strip(" \u00a0")]
    for furniture in [
        *FURNITURE,
        "subtop",
        "[오늘 그만 보기]",
        "대통령기록관 홈페이지로 이동합니다",
        "This Website is",
        "044-211-2253",
    ]:
        assert furniture not in en, furniture
    assert "writer" not in en and "2021.01.13 10:29:45" not in en


def test_seed_outline_becomes_nested_markdown(project):
    assert run(str(SEED), *OPC, "--slug", "carbon-neutrality-tf-1") == 0
    en = (project / SEED_RECORD / "en.md").read_text(encoding="utf-8")
    body = en.split("---\n", 2)[2]
    lines = body.split("\n")
    assert lines[1] == "## 「2050 Carbon Neutrality」 will be\u00a0implemented without delay"
    assert lines[3].startswith("- The Office for Government Policy Coordination held the first")
    assert lines[4].startswith("- The Office expresses its wishes")
    assert [line[:12] for line in lines if line.lstrip().startswith("- □")] == [
        "- □ The Offi",
        "- □ Koo Yun-",
        "- □ The Offi",
    ]
    assert sum(line.startswith("    - ㅇ ") for line in lines) == 5
    assert "\n    - \\* Participating Ministries: Ministry of Economy" in body
    assert "and closely\n      communicate and collaborate with relevant Ministries.\n" in body
    html = markdown.markdown(body)
    assert "<h2>「2050 Carbon Neutrality」" in html
    assert re.search(r"<p>□ The Office for Government.*?</p>\s*<ul>\s*<li>\* Participating", html, re.S)
    assert "<em>" not in html


def test_the_projects_seed_record_is_what_import_makes(project):
    assert run(str(SEED), *OPC, "--slug", "carbon-neutrality-tf-1") == 0
    assert tree(project / SEED_RECORD) == tree(ROOT / SEED_RECORD)


def test_slug_is_derived_from_the_title():
    title = "2050 Carbon Neutrality Promotion Pan-Ministerial Task Force(T/F) 1st Meeting(2021.01.13)"
    page = importer.parse(SEED.read_bytes())
    assert page.title == title
    assert importer.default_slug(page, "press-release", "x", None) == "2050-carbon-neutrality-promotion-pan-ministerial"


def test_default_slug_for_the_seed(project, capsys):
    assert run(str(SEED), *OPC) == 0
    assert capsys.readouterr().out == "records/2021/2021-01-13-2050-carbon-neutrality-promotion-pan-ministerial\n"


# --- a Korean page -----------------------------------------------------------------------------

HEADER = "\n".join(SEED_LINES[:TITLE_AT]) + "\n"
KO_PAGE = (
    HEADER
    + """\
탄소중립 범부처 TF 2차 회의 개최(2021.02.10)
작성자 : 홍보담당관 작성일 : 2021.02.10 09:05

\u00a0
「2050 탄소중립」 이행 점검

- 국무조정실은 범부처 TF 2차 회의를 열어 이행과제를 점검하였다

\u00a0
□ 국무조정실은 2월 10일 관계부처와\u00a0함께 범부처 TF 2차 회의를 개최하였다.
* 참석 부처: 기획재정부, 환경부 등
ㅇ 이번 회의에서는 분야별 감축 계획과 이행과제의
추진 상황을 점검하였다.
ㅇ 국무조정실은 매월 추진 상황을 점검할 계획이다.

확인

아니오"""
)


def test_a_korean_page_becomes_a_korean_record(project, capsys):
    write_tree(project, {"pages/ko.txt": KO_PAGE})
    assert run("pages/ko.txt", *OPC) == 0
    folder = project / "records/2021/2021-02-10-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe"
    assert capsys.readouterr().out == "records/2021/2021-02-10-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe\n"
    assert sorted(p.name for p in folder.iterdir()) == ["ko.md", "record.yml"]
    meta = (folder / "record.yml").read_text(encoding="utf-8")
    assert 'date: 2021-02-10\ntime: "09:05:00"\ntimezone: Asia/Seoul\n' in meta
    assert "writer: 홍보담당관\noriginal_language: ko\nnot_archived:\n  - en\n" in meta
    assert "  file: ko.txt\n" in meta
    assert (
        (folder / "ko.md").read_text(encoding="utf-8")
        == """\
---
title: 탄소중립 범부처 TF 2차 회의 개최(2021.02.10)
---

## 「2050 탄소중립」 이행 점검

- 국무조정실은 범부처 TF 2차 회의를 열어 이행과제를 점검하였다

- □ 국무조정실은 2월 10일 관계부처와\u00a0함께 범부처 TF 2차 회의를 개최하였다.
    - \\* 참석 부처: 기획재정부, 환경부 등
    - ㅇ 이번 회의에서는 분야별 감축 계획과 이행과제의
      추진 상황을 점검하였다.
    - ㅇ 국무조정실은 매월 추진 상황을 점검할 계획이다.
"""
    )
    assert check([project / "records"]).problems == []


@pytest.mark.parametrize(
    "meta_line, date, time",
    [
        ("글쓴이 : 홍보담당관 등록일 : 2021-02-10", "2021-02-10", None),
        ("작성자: 홍보담당관\n등록일: 2021년 2월 10일 14:30", "2021-02-10", '"14:30:00"'),
        ("Writer : 홍보담당관 Date : 2021/02/10 14:30:05", "2021-02-10", '"14:30:05"'),
    ],
)
def test_korean_labels_are_read_liberally(project, meta_line, date, time):
    page = KO_PAGE.replace("작성자 : 홍보담당관 작성일 : 2021.02.10 09:05", meta_line)
    record = importer.convert(page.encode(), source_file="p.txt", office=Office("opc", "국무조정실", "OPC"))
    meta = record.files["record.yml"]
    assert f"date: {date}\n" in meta and "writer: 홍보담당관\n" in meta
    assert (f"time: {time}\n" in meta) if time else ("time:" not in meta)
    assert record.page.language == "ko" and "ko.md" in record.files


def test_language_is_detected_from_hangul_share():
    assert importer.detect_language("2050 탄소중립 TF 회의를 개최하였다") == "ko"
    assert importer.detect_language("The Office held the 1st meeting (관리자1)") == "en"


def test_markdown_specials_at_line_starts_stay_text():
    body = importer.to_markdown(
        ["# not a heading", "□ 1. not a number", "ㅇ <b>bold</b> and [x](javascript:y)", "1. item", "> quote", "+ plus"]
    )
    assert body == (
        "## \\# not a heading\n\n- □ 1. not a number\n    - ㅇ &lt;b>bold&lt;/b> and \\[x](javascript:y)\n"
        "      1\\. item\n      \\> quote\n      \\+ plus\n"
    )


# --- refusals ----------------------------------------------------------------------------------


def test_refusals_are_all_reported_at_once_and_write_nothing(project, capsys):
    write_tree(
        project,
        {
            "pages/empty.txt": "",
            "pages/random.txt": "Lorem ipsum dolor sit amet.\n\nNothing here is a record.\n",
            "pages/cp949.txt": KO_PAGE.encode("cp949", errors="replace"),
            "pages/again.txt": SEED.read_bytes(),
            "pages/future.txt": KO_PAGE.replace("2021.02.10 09:05", "2999.01.01 09:05"),
            "pages/no-date.txt": KO_PAGE.replace(" 작성일 : 2021.02.10 09:05", ""),
        },
    )
    assert run(str(SEED), *OPC) == 0
    before = tree(project / "records")
    capsys.readouterr()
    files = [
        "pages/empty.txt",
        "pages/random.txt",
        "pages/cp949.txt",
        "pages/again.txt",
        "pages/future.txt",
        "pages/no-date.txt",
    ]
    assert run(*files, *OPC, "--slug", "carbon-neutrality-tf-1") == 2  # --slug names one record
    assert run(*files, *OPC) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.split("\n")
    assert lines[0] == "sillok import: --slug names one record: give it with a single FILE"
    assert lines[1:] == [
        f"pages/empty.txt: error: file is empty — {EXPECTED}",
        f"pages/random.txt: error: no 'writer : … date : …' line (or 작성자 : … 작성일 : …) — {EXPECTED}",
        "pages/cp949.txt:1: error: not valid UTF-8 at byte offset 0 (bytes c0 cc 20 c0) — "
        "save the page as UTF-8 text (it may be in EUC-KR/CP949: iconv -f cp949 -t utf-8)",
        "pages/again.txt: error: records/2021/2021-01-13-2050-carbon-neutrality-promotion-pan-ministerial already exists; "
        "import never overwrites a record — if this is another record, import it alone with --slug to give it another id",
        "pages/future.txt: error: the imported record would not pass the check: records/2999/2999-01-01-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe/record.yml:3: "
        "date 2999-01-01 is in the future — archive records only after they are issued",
        "pages/no-date.txt:13: error: line 13 names the writer but no date — expected e.g. 'writer : 관리자1 date : 2021.01.13 10:29:45'",
        "imported 0 records, refused 6 files",
        "",
    ]
    assert tree(project / "records") == before
    assert sorted(p.name for p in (project / "records").iterdir()) == ["2021"]


def test_a_file_imported_twice_in_one_call_is_refused_the_second_time(project, capsys):
    write_tree(project, {"pages/a.txt": SEED.read_bytes(), "pages/b.txt": SEED.read_bytes()})
    assert run("pages/a.txt", "pages/b.txt", *OPC) == 1
    out, err = capsys.readouterr()
    assert out == "records/2021/2021-01-13-2050-carbon-neutrality-promotion-pan-ministerial\n"
    assert err.startswith(
        "pages/b.txt: error: records/2021/2021-01-13-2050-carbon-neutrality-promotion-pan-ministerial "
        "already exists (imported from pages/a.txt in this run); import never overwrites a record"
    )
    assert err.endswith("imported 1 record, refused 1 file\n")


def test_missing_file_is_a_refusal(project, capsys):
    assert run("pages/nope.txt", *OPC) == 1
    assert capsys.readouterr().err.startswith("pages/nope.txt: error: cannot be read: No such file or directory")


# --- options -----------------------------------------------------------------------------------


def test_office_names_come_from_an_existing_record(project, capsys):
    assert run(str(SEED), *OPC, "--slug", "carbon-neutrality-tf-1") == 0
    write_tree(project, {"pages/ko.txt": KO_PAGE})
    assert run("pages/ko.txt", "--office", "opc", "--type", "meeting-record") == 0
    meta = (project / "records/2021/2021-02-10-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe/record.yml").read_text(
        encoding="utf-8"
    )
    assert "type: meeting-record\n" in meta
    assert "office:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n" in meta


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--office", "mof"],
            "office 'mof' is not in any record under records: give its names with --office-ko and --office-en",
        ),
        (
            ["--office", "MOF", "--office-ko", "a", "--office-en", "b"],
            "--office must be a lowercase ASCII slug such as opc, got 'MOF'",
        ),
        (
            [*OPC, "--slug", "Bad Slug"],
            "--slug must be lowercase ASCII letters, digits and hyphens (e.g. carbon-neutrality-tf-1), got 'Bad Slug'",
        ),
    ],
)
def test_usage_errors(project, capsys, argv, message):
    write_tree(project, {"pages/ko.txt": KO_PAGE})
    assert run("pages/ko.txt", *argv) == 2
    assert capsys.readouterr().err == f"sillok import: {message}\n"
    assert not (project / "records/2021").exists()


def test_import_without_files_or_office_is_a_usage_error(project):
    assert run(*OPC) == 2
    assert run(str(SEED)) == 2


# --- many files --------------------------------------------------------------------------------


def test_many_files_in_one_call(project, capsys):
    pages = {}
    for n in range(240):
        day = f"2021.{1 + n // 28:02d}.{1 + n % 28:02d}"
        pages[f"pages/{n:03d}.txt"] = KO_PAGE.replace("2021.02.10 09:05", f"{day} 10:{n % 60:02d}").replace(
            "TF 2차 회의", f"TF {n + 1}차 회의"
        )
    write_tree(project, pages)
    result = import_files(
        sorted(project.glob("pages/*.txt")), Path("records"), office=Office("opc", "국무조정실", "OPC"), progress=True
    )
    assert result.refused == [] and result.warnings == []
    assert len(result.created) == 240
    assert "importing [##############################] 240/240" in capsys.readouterr().err
    checked = check([project / "records"])
    assert checked.errors == [] and len(checked.records) == 240
    assert not list((project / "records").glob(".import-*"))


def test_guide_documents_import_and_its_options():
    readme = (ROOT / "guide" / "adding-records.md").read_text(encoding="utf-8")
    assert "`sillok import FILE...`" in readme
    for option in ("--office", "--office-ko", "--office-en", "--type", "--slug", "--records"):
        assert f"`{option}" in readme, option


# --- pages that are almost right ---------------------------------------------------------------


@pytest.mark.parametrize(
    "page, message",
    [
        (
            "subtop\nwriter : 관리자1 date : 2021.01.13 10:29:45\n\n본문\n",
            "no title line before the writer and date line (line 2)",
        ),
        ("제목\nwriter : 관리자1 date : 2021.13.45\n\n본문\n", "date '2021.13.45' is not a real date and time"),
        ("제목\nwriter : 관리자1 date : 어제\n\n본문\n", "date '어제' is not a date this importer reads"),
        (
            "제목\nwriter : 관리자1 date : 2021.01.13\n\u00a0\n확인\n\n아니오",
            "no text after the writer and date line (line 2)",
        ),
    ],
)
def test_pages_missing_a_part_are_refused(page, message):
    with pytest.raises(importer.Unrecognised) as exc:
        importer.convert(page.encode(), source_file="p.txt", office=Office("opc", "국무조정실", "OPC"))
    assert exc.value.message == message


def test_bom_crlf_and_invisible_characters_are_cleaned_and_noted(project, capsys):
    page = KO_PAGE.replace("관계부처와", "관계부처\u200b와").replace("\n", "\r\n")
    write_tree(project, {"pages/ko.txt": b"\xef\xbb\xbf" + page.encode()})
    assert run("pages/ko.txt", *OPC) == 0
    folder = project / "records/2021/2021-02-10-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe"
    assert "Invisible characters removed: U+200B ×1." in (folder / "record.yml").read_text(encoding="utf-8")
    assert "관계부처와\u00a0함께" in (folder / "ko.md").read_text(encoding="utf-8")
    assert hashlib.sha256((project / "pages/ko.txt").read_bytes()).hexdigest() in (folder / "record.yml").read_text(
        encoding="utf-8"
    )


def test_warnings_of_the_check_are_shown_but_do_not_refuse(project, capsys):
    write_tree(project, {"pages/ko.txt": KO_PAGE.replace("계획이다.", "계획이다(문의 010-1234-5678).")})
    assert run("pages/ko.txt", *OPC) == 0
    err = capsys.readouterr().err
    assert (
        "records/2021/2021-02-10-tansojungnip-beombucheo-tf-2cha-hoeui-gaechoe/ko.md:" in err
        and "warning: possible personal data" in err
    )
    assert ".import-" not in err


def test_refused_import_into_a_new_archive_leaves_no_folder(project):
    write_tree(project, {"pages/empty.txt": ""})
    assert run("pages/empty.txt", *OPC, "--records", "archive") == 1
    assert not (project / "archive").exists()


def test_the_office_defaults_to_the_one_set_in_mkdocs_yml(project, capsys):
    assert run(str(SEED)) == 2  # no --office and no mkdocs.yml: a usage error naming both ways
    assert "extra.sillok.default_office" in capsys.readouterr().err
    (project / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: !ENV [SITE_URL, 'https://x.example/']\nextra:\n  sillok:\n    default_office:\n"
        "      id: opc\n      ko: 국무조정실\n      en: Office for Government Policy Coordination\n",
        encoding="utf-8",
    )
    assert run(str(SEED), "--slug", "carbon-neutrality-tf-1") == 0
    record = (project / SEED_RECORD / "record.yml").read_text(encoding="utf-8")
    assert "id: opc" in record and "ko: 국무조정실" in record
    assert main(["new", "--type", "press-release", "--date", "2024-05-02", "--title-ko", "정부업무평가 결과"]) == 0
    assert "records/2024/2024-05-02-jeongbueommupyeongga-gyeolgwa" in capsys.readouterr().out
