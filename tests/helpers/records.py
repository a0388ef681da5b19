"""Test helpers: write a tree of files from a dict, a valid record to break one thing in, a site project."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def corpus_module():
    """``scripts/corpus.py``, the one generator of synthetic records the benchmarks and tests share."""
    import importlib
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("corpus")
    finally:
        sys.path.remove(str(ROOT / "scripts"))


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


PROJECT_FILES = ("mkdocs.yml", "docs", "overrides")
"""What a site build needs from the project besides records/."""

EN_ORIGINAL_ID = "2022-06-01-green-finance-briefing"
NOT_ARCHIVED_ID = "2021-01-20-carbon-neutrality-tf-2"
ATTACHMENT_ID = "2021-03-02-carbon-neutrality-plan"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def site_records() -> dict[str, str | bytes]:
    """Fixture records that cover every page state, besides the project's own records/.

    - 2021-01-13 tf-1: Korean original, English human translation (opc, press release)
    - 2021-01-20 tf-2: Korean original, English text existed but was not archived (opc, meeting record)
    - 2021-03-02 plan: Korean original, English translation, a PDF attachment (opc, press release)
    - 2022-06-01 green finance: English original, never translated into Korean (fsc, press release)
    """
    files = dict(valid_record())
    base = f"records/2021/{NOT_ARCHIVED_ID}"
    files[f"{base}/record.yml"] = dedent(f"""\
        id: {NOT_ARCHIVED_ID}
        type: meeting-record
        date: 2021-01-20
        time: "15:00"
        timezone: Asia/Seoul
        office:
          id: opc
          ko: 국무조정실
          en: Office for Government Policy Coordination
        original_language: ko
        not_archived:
          - en
        """)
    files[f"{base}/ko.md"] = dedent("""\
        ---
        title: 2050 탄소중립 범부처 TF 2차 회의록
        ---

        □ 범부처 TF는 2차 회의에서 부문별 이행 점검 결과를 논의하였다.

        - ㅇ 관계부처는 매월 이행 상황을 점검하기로 하였다.
            - \\* 참석: 기획재정부, 환경부, 산업통상자원부
        """)
    base = f"records/2021/{ATTACHMENT_ID}"
    files[f"{base}/record.yml"] = dedent(f"""\
        id: {ATTACHMENT_ID}
        type: press-release
        date: 2021-03-02
        time: "09:00"
        timezone: Asia/Seoul
        office:
          id: opc
          ko: 국무조정실
          en: Office for Government Policy Coordination
        writer: 관리자2
        original_language: ko
        attachments:
          - file: briefing.pdf
            title:
              ko: 보도자료 원문
              en: Press release (original)
        """)
    files[f"{base}/ko.md"] = (
        "---\ntitle: 탄소중립 이행계획 발표\n---\n\n□ 정부는 [이행계획](briefing.pdf)을 발표하였다.\n"
    )
    files[f"{base}/en.md"] = dedent("""\
        ---
        title: Carbon neutrality implementation plan announced
        translation:
          translator: sillok test suite
          method: machine-reviewed
          date: 2021-03-05
          from: ko
        ---

        □ The government announced the [implementation plan](briefing.pdf).
        """)
    files[f"{base}/briefing.pdf"] = PDF
    base = f"records/2022/{EN_ORIGINAL_ID}"
    files[f"{base}/record.yml"] = dedent(f"""\
        id: {EN_ORIGINAL_ID}
        type: press-release
        date: 2022-06-01
        timezone: Asia/Seoul
        office:
          id: fsc
          ko: 금융위원회
          en: Financial Services Commission
        original_language: en
        """)
    files[f"{base}/en.md"] = (
        "---\ntitle: Green finance briefing\n---\n\n□ The Commission briefed the press on green finance.\n"
    )
    return files


def make_site_project(root: Path, files: dict[str, str | bytes] | None = None, *, own_records: bool = True) -> Path:
    """A project folder with the real mkdocs.yml, docs/ and overrides/, and the given records."""

    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("records"))
        else:
            shutil.copy2(source, root / name)
    if own_records:
        shutil.copytree(ROOT / "records", root / "records")
    write_tree(root, files if files is not None else site_records())
    return root


# --------------------------------------------------------------------------- the browser
# One Chromium for the whole session: Playwright's sync API cannot run two sessions at once.

CHROMIUM = os.environ.get("SILLOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
