"""Generate a realistic synthetic archive for benchmarks: bilingual records with □/ㅇ outlines.

Not imported by the package. Records are deterministic for a given count and seed, valid under
``sillok check``, and sized like real press releases (2–4 KB of Korean, a little more in English).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

OFFICES = [
    ("opc", "국무조정실", "Office for Government Policy Coordination"),
    ("moef", "기획재정부", "Ministry of Economy and Finance"),
    ("me", "환경부", "Ministry of Environment"),
    ("msit", "과학기술정보통신부", "Ministry of Science and ICT"),
    ("molit", "국토교통부", "Ministry of Land, Infrastructure and Transport"),
]
KO_TOPICS = [
    "탄소중립",
    "재정전략",
    "미세먼지",
    "반도체",
    "인공지능",
    "청년 주거",
    "디지털플랫폼정부",
    "수소경제",
    "규제혁신",
    "물가안정",
]
EN_TOPICS = [
    "carbon neutrality",
    "fiscal strategy",
    "fine dust",
    "semiconductors",
    "artificial intelligence",
    "youth housing",
    "digital platform government",
    "hydrogen economy",
    "regulatory innovation",
    "price stability",
]
KO_SENTENCES = [
    "{office}는 {date} 관계부처 합동으로 {topic} 추진 현황을 점검하는 회의를 개최하였다.",
    "이번 회의에서는 {topic} 관련 제도 개선 과제와 예산 지원 방안이 논의되었다.",
    "정부는 {topic} 분야의 현장 의견을 수렴하여 하반기 중 세부 이행계획을 마련할 계획이다.",
    "참석자들은 국민이 체감할 수 있는 성과를 위해 부처 간 긴밀한 협력이 필요하다는 데 뜻을 모았다.",
    "특히 {topic} 기반 조성을 위해 2030년까지 단계적으로 투자를 확대하기로 하였다.",
]
EN_SENTENCES = [
    "The {office} held a joint meeting of relevant ministries on {date} to review progress on {topic}.",
    "The meeting discussed institutional improvements and budget support for {topic}.",
    "The government plans to gather views from the field and prepare a detailed implementation plan for {topic} in the second half of the year.",
    "Participants agreed that close cooperation among ministries is needed to deliver results the public can feel.",
    "In particular, investment in the foundations of {topic} will be expanded step by step until 2030.",
]


def _body(rng: random.Random, sentences: list[str], **values: str) -> str:
    parts = []
    for _ in range(rng.randint(4, 7)):
        parts.append("- □ " + rng.choice(sentences).format(**values))
        for _ in range(rng.randint(1, 3)):
            parts.append("    - ㅇ " + rng.choice(sentences).format(**values))
    return "\n".join(parts) + "\n"


def generate(root: Path, count: int, *, seed: int = 7, bilingual: bool = True) -> list[Path]:
    """Write ``count`` records under ``root/records`` and return their folders."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    folders = []
    for n in range(count):
        date = start + dt.timedelta(days=n * 3650 // max(count, 1))
        office_id, office_ko, office_en = OFFICES[n % len(OFFICES)]
        topic = n % len(KO_TOPICS)
        record_id = f"{date.isoformat()}-record-{n:05d}"
        folder = root / "records" / f"{date.year}" / record_id
        folder.mkdir(parents=True)
        kind = "press-release" if n % 3 else "meeting-record"
        (folder / "record.yml").write_text(
            f'id: {record_id}\ntype: {kind}\ndate: {date}\ntime: "{9 + n % 8:02d}:{n % 60:02d}"\ntimezone: Asia/Seoul\n'
            f"office:\n  id: {office_id}\n  ko: {office_ko}\n  en: {office_en}\nwriter: 대변인실\noriginal_language: ko\n"
            f"illustrative: true\ntags:\n  - {KO_TOPICS[topic]}\n",
            "utf-8",
        )
        ko_date = f"{date.year}년 {date.month}월 {date.day}일"
        (folder / "ko.md").write_text(
            f"---\ntitle: {KO_TOPICS[topic]} 관계부처 회의 결과 ({n})\n---\n\n"
            + _body(rng, KO_SENTENCES, office=office_ko, date=ko_date, topic=KO_TOPICS[topic]),
            "utf-8",
        )
        if bilingual:
            (folder / "en.md").write_text(
                f"---\ntitle: Results of the inter-ministerial meeting on {EN_TOPICS[topic]} ({n})\n"
                f"translation:\n  translator: sillok benchmark\n  method: machine-reviewed\n  date: {date}\n  from: ko\n---\n\n"
                + _body(rng, EN_SENTENCES, office=office_en, date=date.strftime("%d %B %Y"), topic=EN_TOPICS[topic]),
                "utf-8",
            )
        folders.append(folder)
    return folders
