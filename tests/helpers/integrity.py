"""A sealed sample archive in a real git repository, and the commands run against it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers.records import RECORD_DIR, VALID_EN, VALID_RECORD_YML, write_tree
from sillok.cli import main
from sillok.record.problems import Problem

PHONE = "010-1234-5678"
KO_WITH_PHONE = f"""\
---
title: 2050 탄소중립 범부처 TF 1차 회의
---

□ 국무조정실은 2050 탄소중립 추진전략의 이행을 위해 범부처 TF 1차 회의를 개최하였다.

- ㅇ 관계부처는 이행과제를 점검하였다.
- ㅇ 문의: 민원인 홍길동 {PHONE}
"""

SECOND_ID = "2021-02-01-green-growth-briefing"
SECOND_DIR = f"records/2021/{SECOND_ID}"
SECOND_YML = f"""\
id: {SECOND_ID}
type: press-release
date: 2021-02-01
timezone: Asia/Seoul
office:
  id: opc
  ko: 국무조정실
  en: Office for Government Policy Coordination
original_language: ko
"""
SECOND_KO = """\
---
title: 녹색성장 브리핑
---

□ 국무조정실은 녹색성장 브리핑을 하였다.
"""
SECOND_EN = """\
---
title: Green growth briefing
translation:
  translator: sillok test suite
  method: human
  date: 2021-02-03
  from: ko
---

□ The Office for Government Policy Coordination gave a green growth briefing.
"""

THIRD_ID = "2021-03-02-new-record"
THIRD = {
    f"records/2021/{THIRD_ID}/record.yml": SECOND_YML.replace(SECOND_ID, THIRD_ID).replace("2021-02-01", "2021-03-02"),
    f"records/2021/{THIRD_ID}/ko.md": SECOND_KO.replace("녹색성장 브리핑", "새 기록"),
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Archivist",
            "-c",
            "user.email=archivist@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def sillok(capsys, *argv: str) -> tuple[int, str]:
    """Run the command line; (exit code, stdout + stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def make_sealed_repo(repo: Path, capsys) -> str:
    """Two records sealed in two seals and committed; returns the commit (the base of every test change).

    The first record's Korean text carries a phone number (a later redaction removes it); the
    second exists in Korean only so far (a later change adds its translation).
    """
    git(repo, "init", "-q", "-b", "main")
    write_tree(
        repo,
        {
            f"{RECORD_DIR}/record.yml": VALID_RECORD_YML,
            f"{RECORD_DIR}/ko.md": KO_WITH_PHONE,
            f"{RECORD_DIR}/en.md": VALID_EN,
        },
    )
    code, output = sillok(capsys, "seal")
    assert code == 0, output
    commit(repo, "First record, sealed")
    write_tree(repo, {f"{SECOND_DIR}/record.yml": SECOND_YML, f"{SECOND_DIR}/ko.md": SECOND_KO})
    code, output = sillok(capsys, "seal")
    assert code == 0, output
    return commit(repo, "Second record, sealed")


def codes(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in problems if p.severity == "error"}


def flip_first_digit(path: Path, line: int) -> None:
    """Edit line ``line`` (1-based) of an integrity file by hand: its first hex digit changed."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines[line - 1] = (b"0" if lines[line - 1][:1] != b"0" else b"1") + lines[line - 1][1:]
    path.write_bytes(b"".join(lines))


def redact_phone(project: Path, ko_with_phone: str, phone: str) -> None:
    """Mask ``phone`` in the sample record's ko.md (sealed and committed) and log the redaction, as an office would."""
    import datetime as dt

    from sillok.check.check import check
    from sillok.ledger.mask import MARK
    from sillok.ledger.redact import Request, redact

    records = project / "records"
    (project / RECORD_DIR / "ko.md").write_text(ko_with_phone.replace(phone, MARK), "utf-8")
    request = Request(
        record=RECORD_DIR.rsplit("/", 1)[1],
        files=("ko.md",),
        basis="개인정보 보호법 제36조",
        requested=dt.date(2026, 11, 2),
        decided=dt.date(2026, 11, 16),
        approver="개인정보 보호책임자",
        scope="개인 휴대전화번호",
        notice_ko="정보주체의 요청에 따라 개인정보를 삭제하였습니다.",
        notice_en="Personal data was removed at the data subject's request.",
    )
    redact(records, request, check([records]))
