"""A small archive that exercises the open-data outputs: both original languages, a Korean-only
record, an attachment, time zones other than Seoul, no time, and text that must be escaped."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from helpers.records import ROOT, VALID_EN, VALID_KO, VALID_RECORD_YML, valid_record, write_tree
from sillok.check.check import check
from sillok.record.model import Record

BASE = "https://records.example.go.kr/archive/"
PDF = b"%PDF-1.4\n% sillok test attachment\n"

MEETING_ID = "2022-06-30-budget-review-2"
MEETING_YML = f"""\
id: {MEETING_ID}
type: meeting-record
date: 2022-06-30
timezone: Asia/Seoul
office:
  id: mof
  ko: 기획재정부
  en: Ministry of Economy and Finance
original_language: ko
not_archived:
  - en
tags:
  - 예산
  - "심의; 의결"
source:
  archive: 기획재정부 누리집
  url: https://www.moef.go.kr/nw/nes/detailNesDtaView.do?searchBbsId=MOSFBBS_000000000028&menuNo=4010100
  retrieved: 2024-05-01
attachments:
  - file: minutes.pdf
    title:
      ko: 회의록 전문
"""
MEETING_KO = """\
---
title: "제2차 예산심의 회의 결과 \\"요약\\", 쉼표 포함"
summary: |
  첫째 줄, 쉼표와 "따옴표".
  둘째 줄.
---

□ [회의록](minutes.pdf)을 첨부합니다. **예산안**을 심의하였다.
"""

ENGLISH_ID = "2024-02-01-seoul-forum-remarks"
ENGLISH_YML = f"""\
id: {ENGLISH_ID}
type: press-release
date: 2024-02-01
time: "09:15"
timezone: America/New_York
office:
  id: mofa
  ko: 외교부
  en: Ministry of Foreign Affairs
writer: Press Office
original_language: en
"""
ENGLISH_EN = """\
---
title: Remarks at the Seoul Forum
---

The Minister spoke at the forum in New York.
"""
ENGLISH_KO = """\
---
title: 서울 포럼 연설
translation:
  translator: 외교부 번역팀
  method: machine-reviewed
  date: 2024-02-03
  from: en
---

장관은 뉴욕 포럼에서 연설하였다.
"""


def corpus_files() -> dict[str, str | bytes]:
    files = valid_record()
    files |= {
        f"records/2022/{MEETING_ID}/record.yml": MEETING_YML,
        f"records/2022/{MEETING_ID}/ko.md": MEETING_KO,
        f"records/2022/{MEETING_ID}/minutes.pdf": PDF,
        f"records/2024/{ENGLISH_ID}/record.yml": ENGLISH_YML,
        f"records/2024/{ENGLISH_ID}/en.md": ENGLISH_EN,
        f"records/2024/{ENGLISH_ID}/ko.md": ENGLISH_KO,
    }
    return files


def press_release(index: int) -> dict[str, str]:
    """Files of the index-th of many similar press releases, one a day from 2020-01-01."""
    import datetime as dt

    day = dt.date(2020, 1, 1) + dt.timedelta(days=index)
    record_id = f"{day.isoformat()}-briefing-{index}"
    folder = f"records/{day.year}/{record_id}"
    yml = VALID_RECORD_YML.replace("2021-01-13-carbon-neutrality-tf-1", record_id).replace(
        "2021-01-13", day.isoformat()
    )
    return {
        f"{folder}/record.yml": yml,
        f"{folder}/ko.md": VALID_KO,
        f"{folder}/en.md": VALID_EN.replace("2021-01-20", day.isoformat()),
    }


def read_archive(root: Path) -> list[Record]:
    result = check([root / "records"])
    assert result.errors == [], "\n".join(p.format() for p in result.errors)
    return result.records


HOSTILE_TITLES = {
    "en": 'Remarks </script><script>alert(1)</script> & "quotes" at the <Seoul> Forum',
    "ko": '서울 포럼 연설 </script> & "인용"',
}
"""Titles that ``sillok check`` refuses (markup in plain text); the writers must still escape them."""


def with_hostile_titles(record: Record) -> Record:
    """The record with :data:`HOSTILE_TITLES`: what a writer would get if the check ever let markup through."""
    texts = {lang: dataclasses.replace(text, title=HOSTILE_TITLES[lang]) for lang, text in record.texts.items()}
    return dataclasses.replace(record, texts=texts)


def make_corpus(root: Path) -> list[Record]:
    """The corpus as the writers see it; the English-original record carries :data:`HOSTILE_TITLES`."""
    write_tree(root, corpus_files())
    records = [with_hostile_titles(r) if r.id == ENGLISH_ID else r for r in read_archive(root)]
    assert len(records) == 3
    return records


def project_records() -> list[Record]:
    return read_archive(ROOT)


def record_document_on_site(site: Path, record_id: str) -> dict:
    """A record's JSON document as published: found by id in its month's file (``data/records/YYYY/MM.json``)."""
    import json

    from sillok.site.urls import record_json_path

    month = json.loads((site / record_json_path(record_id)).read_text(encoding="utf-8"))
    [document] = [d for d in month["records"] if d["id"] == record_id]
    return document
