"""Shared fixtures: write a tree of files from a dict, and a valid record to break one thing in."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_c1ae9bedb106c9a1.txt"

RECORD_ID = "2021-01-13-carbon-neutrality-tf-1"
RECORD_DIR = f"records/2021/{RECORD_ID}"

VALID_RECORD_YML = f"""\
id: {RECORD_ID}
type: press-release
date: 2021-01-13
time: "10:29:45"
timezone: Asia/Seoul
office:
  id: opc
  ko: 국무조정실
  en: Office for Government Policy Coordination
writer: 관리자1
original_language: ko
tags:
  - 탄소중립
"""

VALID_KO = """\
---
title: 2050 탄소중립 범부처 TF 1차 회의
---

□ 국무조정실은 2050 탄소중립 추진전략의 이행을 위해 범부처 TF 1차 회의를 개최하였다.

- ㅇ 관계부처는 이행과제를 점검하였다.
"""

VALID_EN = """\
---
title: 2050 Carbon Neutrality Pan-Ministerial Task Force 1st Meeting
translation:
  translator: sillok test suite
  method: human
  date: 2021-01-20
  from: ko
---

□ The Office for Government Policy Coordination held the first Pan-Ministerial Task Force meeting.
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under root; text is written as UTF-8 exactly as given."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def valid_record(**overrides: str | bytes | None) -> dict[str, str | bytes]:
    """The files of one valid record; pass ``ko_md=...``, ``record_yml=None`` etc. to change one."""
    files: dict[str, str | bytes | None] = {
        f"{RECORD_DIR}/record.yml": VALID_RECORD_YML,
        f"{RECORD_DIR}/ko.md": VALID_KO,
        f"{RECORD_DIR}/en.md": VALID_EN,
    }
    names = {"record_yml": "record.yml", "ko_md": "ko.md", "en_md": "en.md"}
    for key, value in overrides.items():
        files[f"{RECORD_DIR}/{names.get(key, key)}"] = value
    return {k: v for k, v in files.items() if v is not None}


def dedent(text: str) -> str:
    return textwrap.dedent(text)


@pytest.fixture
def archive(tmp_path: Path):
    """Write an archive from a dict and return its root (the folder holding records/)."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path, files)

    return make
