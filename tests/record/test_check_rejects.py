"""Each rejection of ``sillok check``: take a valid record, break one thing, expect exactly that message.

These tests are the specification of the check. Messages are compared whole, so a change to a
message is a visible change to what archivists read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from helpers.records import RECORD_DIR, VALID_EN, VALID_KO, VALID_RECORD_YML, valid_record, write_tree

from sillok.check.check import check

P = RECORD_DIR
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def problems_of(root: Path, *, severity: str | None = None) -> list[str]:
    result = check([root / "records"])
    return [p.format() for p in result.problems if severity is None or p.severity == severity]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in a temporary folder so reported paths are the short relative ones archivists see."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def broken(in_tmp: Path, **overrides) -> list[str]:
    write_tree(in_tmp, valid_record(**overrides))
    return problems_of(Path("."))


KO_WITH = VALID_KO.rstrip("\n") + "\n\n{}\n"  # appends one line (line 9) to the valid Korean body

CASES = {
    # --- front matter and YAML -------------------------------------------------------------
    "front matter missing": (
        {"ko_md": "□ 본문만 있다.\n"},
        [
            f"{P}/ko.md:1:1: error: missing front matter: the file must start with a '---' line, then title: ..., then '---' — add front matter at the top of the file"
        ],
    ),
    "front matter unclosed": (
        {"ko_md": "---\ntitle: 제목\n\n본문\n"},
        [
            f"{P}/ko.md:1:1: error: front matter is not closed: no '---' line after the metadata — add a line '---' after the last metadata line"
        ],
    ),
    "YAML syntax error": (
        {"ko_md": "---\ntitle: [제목\n---\n본문\n"},
        [
            f"{P}/ko.md:3:1: error: YAML syntax error: did not find expected ',' or ']' — check indentation, colons and quotes on this line"
        ],
    ),
    "duplicate key": (
        {"ko_md": "---\ntitle: 하나\ntitle: 둘\n---\n본문\n"},
        [
            f"{P}/ko.md:3:1: error: duplicate key 'title' (first at line 2); YAML would silently keep only the last — keep one 'title' line"
        ],
    ),
    "YAML tag": (
        {"ko_md": "---\ntitle: !!str 제목\n---\n본문\n"},
        [f"{P}/ko.md:2:8: error: YAML tag '!!str' is not allowed — remove the tag; quote the value if it is text"],
    ),
    "YAML anchor and alias": (
        {"record_yml": VALID_RECORD_YML.replace("writer: 관리자1", "writer: &w 관리자1\nsource:\n  archive: *w")},
        [
            f"{P}/record.yml:10:9: error: YAML anchor '&w' is not allowed — remove the anchor; write values out in full",
            f"{P}/record.yml:12:12: error: YAML alias '*w' is not allowed — write the value out in full",
        ],
    ),
    "NO coerced to false": (
        {"record_yml": VALID_RECORD_YML.replace("writer: 관리자1", "writer: NO")},
        [
            f'{P}/record.yml:10:9: error: writer: NO would be read by YAML as the boolean false — write it in quotes: writer: "NO"'
        ],
    ),
    "0123 coerced to 83": (
        {"ko_md": VALID_KO.replace("title: 2050 탄소중립 범부처 TF 1차 회의", "title: 0123")},
        [
            f'{P}/ko.md:2:8: error: title: 0123 would be read by YAML as the number 83 — write it in quotes: title: "0123"'
        ],
    ),
    "12:30 coerced to 750": (
        {"record_yml": VALID_RECORD_YML.replace('time: "10:29:45"', "time: 12:30")},
        [
            f'{P}/record.yml:4:7: error: time: 12:30 would be read by YAML as the number 750 — write it in quotes: time: "12:30"'
        ],
    ),
    # --- fields --------------------------------------------------------------------------------
    "unknown field": (
        {"record_yml": VALID_RECORD_YML + "colour: blue\n"},
        [
            f"{P}/record.yml:14:1: error: unknown field 'colour' — known fields here: id, type, date, time, timezone, office, writer, original_language, not_archived, illustrative, tags, source, attachments"
        ],
    ),
    "misspelt field": (
        {"record_yml": VALID_RECORD_YML.replace("writer:", "writter:")},
        [f"{P}/record.yml:10:1: error: unknown field 'writter' — did you mean 'writer'?"],
    ),
    "missing field": (
        {"record_yml": VALID_RECORD_YML.replace("type: press-release\n", "")},
        [f"{P}/record.yml:1:1: error: missing required field 'type' — add it e.g. type: press-release"],
    ),
    "wrong type": (
        {"record_yml": VALID_RECORD_YML.replace("tags:\n  - 탄소중립", "tags: 탄소중립")},
        [f"{P}/record.yml:12:7: error: tags must be a list (lines starting with '- '), got a single value"],
    ),
    "unknown choice": (
        {"record_yml": VALID_RECORD_YML.replace("type: press-release", "type: press-releases")},
        [
            f"{P}/record.yml:2:7: error: type must be one of press-release, meeting-record; got 'press-releases' — did you mean 'press-release'?"
        ],
    ),
    "date not ISO": (
        {"record_yml": VALID_RECORD_YML.replace("date: 2021-01-13", "date: 2021.01.13")},
        [f"{P}/record.yml:3:7: error: date must be YYYY-MM-DD, got '2021.01.13' — write 2021-01-13"],
    ),
    "date not in calendar": (
        {"record_yml": VALID_RECORD_YML.replace("date: 2021-01-13", "date: 2021-02-30")},
        [f"{P}/record.yml:3:7: error: date 2021-02-30 is not a day in the calendar — check the month and day"],
    ),
    "unknown time zone": (
        {"record_yml": VALID_RECORD_YML.replace("timezone: Asia/Seoul", "timezone: KST")},
        [f"{P}/record.yml:5:11: error: timezone 'KST' is not an IANA time zone name — write e.g. Asia/Seoul or UTC"],
    ),
    "id does not match folder": (
        {"record_yml": VALID_RECORD_YML.replace(f"id: {P.rsplit('/', 1)[1]}", "id: 2021-01-13-carbon-tf-1")},
        [
            f"{P}/record.yml:1:5: error: id '2021-01-13-carbon-tf-1' does not match the folder name '2021-01-13-carbon-neutrality-tf-1' — make the id and the folder name the same"
        ],
    ),
    "shared field disagrees between languages": (
        {"en_md": VALID_EN.replace("translation:", "date: 2021-01-14\ntranslation:")},
        [
            f"{P}/en.md:3:1: error: date disagrees: en.md says 2021-01-14 but record.yml says 2021-01-13 — remove date from en.md; it is stated once, in record.yml"
        ],
    ),
    "translation without provenance": (
        {"en_md": "---\ntitle: English\n---\nBody.\n"},
        [
            f"{P}/en.md:2: error: en.md is a translation (the original is ko) and must say so — add a translation: block with translator, method, date and from"
        ],
    ),
    # --- bytes and characters ------------------------------------------------------------------
    "not UTF-8": (
        {"ko_md": "---\ntitle: 제목\n---\n본문\n".encode() + "한글".encode("cp949") + b"\n"},
        [
            f"{P}/ko.md:5: error: not valid UTF-8 at byte offset 29 (bytes c7 d1 b1 db) — re-save the file as UTF-8 (it may be in EUC-KR/CP949)"
        ],
    ),
    "BOM": (
        {"ko_md": b"\xef\xbb\xbf" + VALID_KO.encode()},
        [f"{P}/ko.md:1:1: error: file starts with a UTF-8 byte order mark (BOM) — save it as UTF-8 without BOM"],
    ),
    "CRLF": (
        {"ko_md": VALID_KO.replace("\n", "\r\n")},
        [
            f"{P}/ko.md:1: error: CRLF line ending (the file must use LF only) — convert line endings to LF (git add --renormalize .)"
        ],
    ),
    "CR": (
        {"ko_md": VALID_KO.replace("점검하였다.\n", "점검하였다.\r")},
        [
            f"{P}/ko.md:7: error: CR line ending (the file must use LF only) — convert line endings to LF (git add --renormalize .)"
        ],
    ),
    "not NFC": (
        {"ko_md": VALID_KO.replace("관계부처는", unicodedata.normalize("NFD", "관계부처는"))},
        [
            f'{P}/ko.md:7:6: error: text is not in Unicode NFC (decomposed Hangul or accents look the same but hash differently) — convert the file to NFC (e.g. uconv -x nfc, or your editor\'s "Unicode NFC" save option)'
        ],
    ),
    "bidi control": (
        {"ko_md": VALID_KO.replace("점검하였다", "점검\u202e하였다")},
        [
            f"{P}/ko.md:7:19: error: invisible character U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control) — delete it; most editors do not show it (search for \\u202e)"
        ],
    ),
    "zero-width space": (
        {"ko_md": VALID_KO.replace("점검하였다", "점검\u200b하였다")},
        [
            f"{P}/ko.md:7:19: error: invisible character U+200B ZERO WIDTH SPACE (a zero-width space) — delete it; most editors do not show it (search for \\u200b)"
        ],
    ),
    "C0 control": (
        {"ko_md": VALID_KO.replace("점검하였다", "점검\x07하였다")},
        [
            f"{P}/ko.md:7:19: error: invisible character U+0007 (a control character) — delete it; most editors do not show it (search for \\u0007)"
        ],
    ),
    "empty file": (
        {"ko_md": ""},
        [f"{P}/ko.md: error: file is empty — write the record's content or delete the file"],
    ),
    "oversized file": (
        {"ko_md": VALID_KO + "가" * 400_000 + "\n"},
        [
            f"{P}/ko.md: error: file is 1,200,235 bytes, more than the limit of 1,048,576 — split the text or move large content into an attachment"
        ],
    ),
    "empty body": (
        {"ko_md": "---\ntitle: 제목\n---\n\n"},
        [f"{P}/ko.md:4: error: the record text (body) is empty — write the record's text below the front matter"],
    ),
    # --- links ---------------------------------------------------------------------------------
    "javascript: link after entity decoding and case folding": (
        {"ko_md": KO_WITH.format("[보기](JaVa&#x09;Script:alert(1))")},
        [
            f"{P}/ko.md:9:6: error: link 'JaVa&#x09;Script:alert(1)' uses the javascript: scheme, which can run code or embed content — link to an http(s) address or an attachment instead"
        ],
    ),
    "vbscript: link": (
        {"ko_md": KO_WITH.format("[보기](vbscript:msgbox)")},
        [
            f"{P}/ko.md:9:6: error: link 'vbscript:msgbox' uses the vbscript: scheme, which can run code or embed content — link to an http(s) address or an attachment instead"
        ],
    ),
    "data: link": (
        {"ko_md": KO_WITH.format("![그림](data:text/html;base64,PHNjcmlwdD4=)")},
        [
            f"{P}/ko.md:9:7: error: link 'data:text/html;base64,PHNjcmlwdD4=' uses the data: scheme, which can run code or embed content — link to an http(s) address or an attachment instead"
        ],
    ),
    "file: link in a reference definition": (
        {"ko_md": KO_WITH.format("[비밀]: FILE:///etc/passwd")},
        [
            f"{P}/ko.md:9:7: error: link 'FILE:///etc/passwd' uses the file: scheme, which can run code or embed content — link to an http(s) address or an attachment instead"
        ],
    ),
    "link with ..": (
        {"ko_md": KO_WITH.format("[보기](../../etc/passwd)")},
        [
            f"{P}/ko.md:9:6: error: link '../../etc/passwd' leaves the record folder ('..') — link to an attachment in this record's folder by its file name"
        ],
    ),
    "percent-encoded ..": (
        {"ko_md": KO_WITH.format("[보기](%2e%2e/secret.pdf)")},
        [
            f"{P}/ko.md:9:6: error: link '%2e%2e/secret.pdf' leaves the record folder ('..') — link to an attachment in this record's folder by its file name"
        ],
    ),
    "absolute path link": (
        {"ko_md": KO_WITH.format("[보기](/etc/passwd)")},
        [f"{P}/ko.md:9:6: error: link '/etc/passwd' is an absolute path — link to an attachment by its file name"],
    ),
    "backslash link": (
        {"ko_md": KO_WITH.format("[보기](..\\secret.pdf)")},
        [f"{P}/ko.md:9:6: error: link '..\\secret.pdf' contains a backslash — use the attachment's plain file name"],
    ),
    "link to an unlisted file": (
        {"ko_md": KO_WITH.format("[보기](other.pdf)")},
        [
            f"{P}/ko.md:9:6: error: link 'other.pdf' is not an attachment listed in record.yml — add the file to the record folder and to attachments in record.yml, or link to an http(s) address"
        ],
    ),
    # --- raw HTML ------------------------------------------------------------------------------
    "script": (
        {"ko_md": KO_WITH.format("<script>alert(1)</script>")},
        [
            f"{P}/ko.md:9:1: error: raw HTML <script> is not allowed in a record body: it runs code in the reader's browser — remove the tag"
        ],
    ),
    "event handler": (
        {"ko_md": KO_WITH.format('<img src=x onerror="alert(1)">')},
        [
            f"{P}/ko.md:9:1: error: raw HTML <img> with an event handler attribute 'onerror' (runs code in the reader's browser) — remove the tag; write the text in Markdown"
        ],
    ),
    "iframe": (
        {"ko_md": KO_WITH.format('<iframe src="https://example.com"></iframe>')},
        [
            f"{P}/ko.md:9:1: error: raw HTML <iframe> is not allowed in a record body: it embeds another page — remove the tag"
        ],
    ),
    "form": (
        {"ko_md": KO_WITH.format('<form action="https://example.com">')},
        [
            f"{P}/ko.md:9:1: error: raw HTML <form> is not allowed in a record body: it can send readers' input elsewhere — remove the tag"
        ],
    ),
    "meta": (
        {"ko_md": KO_WITH.format('<meta http-equiv="refresh" content="0;url=https://example.com">')},
        [
            f"{P}/ko.md:9:1: error: raw HTML <meta> is not allowed in a record body: it can redirect the page — remove the tag"
        ],
    ),
    "base": (
        {"ko_md": KO_WITH.format('<base href="https://example.com/">')},
        [
            f"{P}/ko.md:9:1: error: raw HTML <base> is not allowed in a record body: it changes where every link on the page goes — remove the tag"
        ],
    ),
    "style": (
        {"ko_md": KO_WITH.format("<style>p{display:none}</style>")},
        [
            f"{P}/ko.md:9:1: error: raw HTML <style> is not allowed in a record body: it changes how the page is shown and can hide text — remove the tag"
        ],
    ),
    "svg": (
        {"ko_md": KO_WITH.format("<svg onload=alert(1)>")},
        [
            f"{P}/ko.md:9:1: error: raw HTML <svg> with an event handler attribute 'onload' (runs code in the reader's browser) — remove the tag; write the text in Markdown"
        ],
    ),
    "comment that hides text": (
        {"ko_md": KO_WITH.format("<!-- 숨긴 글 -->")},
        [
            f"{P}/ko.md:9:1: error: an HTML comment (<!-- -->) hides text from readers while keeping it in the published record — delete the comment; if the text belongs to the record, write it visibly"
        ],
    ),
    "harmless-looking tag": (
        {"ko_md": KO_WITH.format("<b>굵게</b>")},
        [
            f"{P}/ko.md:9:1: error: raw HTML <b> is not allowed in a record body — write it in Markdown (e.g. **bold**, - lists); for a literal '<' write &lt;"
        ],
    ),
    # --- attachments ---------------------------------------------------------------------------
    "unlisted file": (
        {"stray.pdf": PDF},
        [
            f"{P}/stray.pdf: error: file is in the record folder but not listed in attachments — add it to attachments in record.yml, or delete it"
        ],
    ),
    "missing attachment": (
        {"record_yml": VALID_RECORD_YML + "attachments:\n  - file: plan.pdf\n"},
        [
            f"{P}/record.yml:15: error: attachment 'plan.pdf' is listed but not in the record folder — add {P}/plan.pdf or remove it from attachments"
        ],
    ),
    "attachment that is not what it says": (
        {"record_yml": VALID_RECORD_YML + "attachments:\n  - file: plan.pdf\n", "plan.pdf": b"MZ\x90\x00 not a pdf"},
        [
            f"{P}/plan.pdf: error: file content is not PDF (it starts with b'MZ\\x90\\x00 not') — attach a real .pdf file or rename it to its real type"
        ],
    ),
    "attachment path with ..": (
        {"record_yml": VALID_RECORD_YML + "attachments:\n  - file: ../x.pdf\n"},
        [
            f"{P}/record.yml:15:11: error: attachments[0].file must be a file name in the record folder (letters, digits, . _ -), got '../x.pdf'"
        ],
    ),
    "original text missing": (
        {"ko_md": None, "en_md": VALID_EN.replace("  from: ko\n", "  from: en\n")},
        [
            f"{P}/en.md:7:9: error: translation.from is en: a text cannot be translated from itself — write from: ko",
            f"{P}/record.yml:11:20: error: the original (ko) text is missing: the authentic record must be archived — add ko.md or set original_language to the language you have",
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rejection(in_tmp, case):
    overrides, expected = CASES[case]
    assert broken(in_tmp, **overrides) == expected


def test_valid_archive_has_no_problems(in_tmp):
    assert broken(in_tmp) == []


def test_all_problems_are_reported_at_once(in_tmp):
    found = broken(
        in_tmp,
        record_yml=VALID_RECORD_YML.replace("date: 2021-01-13", "date: 2021.01.13").replace(
            "writer: 관리자1", "writer: NO"
        ),
        ko_md=KO_WITH.format("<script>x</script>"),
        en_md=b"\xef\xbb\xbf" + VALID_EN.encode(),
    )
    assert [line.split(": error: ")[0] for line in found] == [
        f"{P}/en.md:1:1",
        f"{P}/ko.md:9:1",
        f"{P}/record.yml:3:7",
        f"{P}/record.yml:10:9",
    ]


def test_personal_data_are_warnings_the_reviewer_sees(in_tmp):
    write_tree(in_tmp, valid_record(ko_md=KO_WITH.format("담당자 010-1234-5678, hong@example.com, 900101-1234567")))
    result = check([Path("records")])
    assert result.ok
    assert [p.format() for p in result.warnings] == [
        f"{P}/ko.md:9:5: warning: possible personal data: mobile phone number '010-1234-5678' — a reviewer must confirm it may be published; remove it if it identifies a private person",
        f"{P}/ko.md:9:20: warning: possible personal data: e-mail address 'hong@example.com' — a reviewer must confirm it may be published; remove it if it identifies a private person",
        f"{P}/ko.md:9:38: warning: possible personal data: resident registration number '900101-1234567' — a reviewer must confirm it may be published; remove it if it identifies a private person",
    ]


def test_office_numbers_and_code_are_not_flagged(in_tmp):
    body = KO_WITH.format(
        "문의: 044-200-2000. `<script>` 는 코드로 보인다. <https://www.korea.kr/> [첨부](plan.pdf) [메일](mailto:press@korea.kr)"
    )
    write_tree(
        in_tmp,
        valid_record(
            ko_md=body, record_yml=VALID_RECORD_YML + "attachments:\n  - file: plan.pdf\n", **{"plan.pdf": PDF}
        ),
    )
    result = check([Path("records")])
    assert [p.format() for p in result.errors] == []
    assert [p.code for p in result.warnings] == ["personal-data"]  # the press e-mail address, for review


# --- the tree: links, submodules, special files, names -------------------------------------------


def test_symlinked_file(in_tmp):
    write_tree(in_tmp, valid_record())
    os.symlink("/etc/passwd", f"{P}/passwd.pdf")
    assert problems_of(Path(".")) == [
        f"{P}/passwd.pdf: error: is a symbolic link (to '/etc/passwd'); links can publish files from outside the archive — replace the link with the file itself"
    ]


def test_symlinked_folder(in_tmp):
    write_tree(in_tmp, valid_record())
    os.symlink("/etc", "records/2022")
    assert problems_of(Path(".")) == [
        "records/2022: error: is a symbolic link (to '/etc'); links can publish files from outside the archive — replace the link with the real folder or file"
    ]


def test_gitlink(in_tmp):
    write_tree(in_tmp, valid_record(**{"vendor/.git": "gitdir: ../../.git/modules/vendor\n"}))
    assert problems_of(Path(".")) == [
        f"{P}/vendor: error: is a git submodule (gitlink); records cannot contain other repositories — remove the submodule"
    ]


def test_symlink_recorded_in_git_but_checked_out_as_a_file(in_tmp):
    write_tree(in_tmp, valid_record())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    os.symlink("/etc/passwd", f"{P}/link.pdf")
    subprocess.run([*git, "add", "-A"], check=True)
    os.remove(f"{P}/link.pdf")
    Path(f"{P}/link.pdf").write_bytes(PDF)  # what a checkout with core.symlinks=false may look like
    found = problems_of(Path("."))
    assert (
        f"{P}/link.pdf: error: git records this file as a symbolic link — replace the link with the real file (git rm --cached, then add the file)"
        in found
    )


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_fifo(in_tmp):
    write_tree(in_tmp, valid_record())
    os.mkfifo(f"{P}/pipe")
    assert problems_of(Path(".")) == [f"{P}/pipe: error: is not a regular file (a device, pipe or socket) — remove it"]


def test_non_nfc_file_name(in_tmp):
    name = unicodedata.normalize("NFD", "보도자료.pdf")
    write_tree(in_tmp, valid_record(**{name: PDF}))
    found = problems_of(Path("."))
    assert (
        f"{P}/{name}: error: unacceptable file name: its name is not in Unicode NFC (it would produce a second URL that looks the same)"
        " — rename it (NFC, no invisible characters, no backslash)"
    ) in found


def test_ids_equal_after_case_folding(in_tmp):
    files = valid_record()
    files.update({k.replace("tf-1", "TF-1"): v for k, v in valid_record().items()})
    write_tree(in_tmp, files)
    found = problems_of(Path("."))
    assert (
        "records/2021/2021-01-13-carbon-neutrality-tf-1: error: record id '2021-01-13-carbon-neutrality-tf-1' is the same as"
        " '2021-01-13-carbon-neutrality-TF-1' (records/2021/2021-01-13-carbon-neutrality-TF-1) after Unicode normalization and case folding"
        " — give each record its own id"
    ) in found


def test_record_in_wrong_year_folder(in_tmp):
    write_tree(in_tmp, {k.replace("records/2021/", "records/2020/"): v for k, v in valid_record().items()})
    assert problems_of(Path(".")) == [
        "records/2020/2021-01-13-carbon-neutrality-tf-1: error: record dated 2021-01-13 is in the folder '2020' — move it to records/2021/"
    ]


def test_stray_file_in_archive_root(in_tmp):
    write_tree(in_tmp, valid_record(**{"../../notes.txt": "x"}))
    assert problems_of(Path(".")) == [
        "records/notes.txt: error: unexpected file in the archive root — records go in records/<year>/<record-id>/"
    ]


def test_one_language_record_is_valid(in_tmp):
    write_tree(in_tmp, valid_record(en_md=None))
    result = check([Path("records")])
    assert result.problems == []
    assert result.records[0].languages == ("ko",)


def test_not_archived_language_must_not_have_a_file(in_tmp):
    found = broken(in_tmp, record_yml=VALID_RECORD_YML + "not_archived:\n  - en\n")
    assert found == [
        f"{P}/record.yml:15:5: error: not_archived lists en but en.md exists — remove en from not_archived"
    ]


def test_checking_one_record_folder_or_file(in_tmp):
    write_tree(in_tmp, valid_record(ko_md=KO_WITH.format("<b>x</b>")))
    by_folder = [p.format() for p in check([Path(P)]).problems]
    by_file = [p.format() for p in check([Path(P) / "ko.md"]).problems]
    assert (
        by_folder
        == by_file
        == [
            f"{P}/ko.md:9:1: error: raw HTML <b> is not allowed in a record body — write it in Markdown (e.g. **bold**, - lists); for a literal '<' write &lt;"
        ]
    )
