"""The one synthetic archive every benchmark uses: realistic bilingual records, deterministic per seed.

Not part of the package; the benchmarks import it from beside them. Records are valid under
``sillok check`` and shaped like the real ones: a □ / ㅇ / * outline of policy sentences built from
compound nouns with particles attached, numbers, offices and a long tail of names (so search sees
real Korean), about 1–2 KB of Korean and a little more English per record.

- :func:`entries` yields the records as plain values (one generator for all outputs);
- :func:`archive_files` gives their files, ``{path under records/: bytes}``;
- :func:`generate` writes them under ``root/records``;
- :func:`records` gives them as :class:`sillok.record.model.Record` objects without touching the disk.

``mixed=True`` adds what a real archive also holds: Korean-only records (8 %), records whose English
was not archived (4 %) and PDF attachments (5 %). Without it every record has exactly ``record.yml``,
``ko.md`` and ``en.md``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides")


def _words(text: str) -> list[str]:
    return text.split()


OFFICES = [
    ("opc", "국무조정실", "Office for Government Policy Coordination"),
    ("moef", "기획재정부", "Ministry of Economy and Finance"),
    ("me", "환경부", "Ministry of Environment"),
    ("motie", "산업통상자원부", "Ministry of Trade, Industry and Energy"),
    ("molit", "국토교통부", "Ministry of Land, Infrastructure and Transport"),
    ("msit", "과학기술정보통신부", "Ministry of Science and ICT"),
    ("moel", "고용노동부", "Ministry of Employment and Labor"),
    ("cnc", "2050 탄소중립녹색성장위원회", "2050 Presidential Commission on Carbon Neutrality and Green Growth"),
]
KO_NOUNS = _words("""탄소 중립 위원회 재정 전략 회의 기획 정책 경제 산업 반도체 미세먼지 환경 에너지 수소 전력 발전 기후 녹색 성장 예산 투자 지원 청년 일자리 주거 교육 복지 보건 의료 안전 재난 교통 도로 철도
항만 해양 수산 농업 농촌 식품 물가 금리 금융 시장 기업 중소기업 수출 무역 통상 외교 국방 통일 행정 지방 자치 인구 고령화 저출산 노동 고용 임금 연금 보험 세제 조세 관세 규제 혁신 디지털
데이터 인공지능 통신 방송 문화 관광 체육 과학 기술 연구 개발 특허 표준 인증 공급망 소재 부품 장비 원자력 석탄 가스 재생 태양광 풍력 배출 감축 목표 이행 점검 계획 방안 대책 과제 사업 제도
법률 개정 시행 협약 협력 공동 국제 지역 도시 주택 부동산 건설 물류 항공 우주 바이오 백신 감염병 방역 청소년 아동 여성 가족 장애인 노인 다문화 국민 정부 공공 기관""")
KO_PARTICLES = ["", "", "", "을", "를", "은", "는", "이", "가", "의", "에", "에서", "으로", "과", "와", "도", "에서는"]
KO_VERBS = _words("""추진하였다 논의하였다 발표하였다 점검하였다 확정하였다 개최하였다 강화한다 지원한다 밝혔다""")
EN_WORDS = _words("""carbon neutrality commission fiscal strategy meeting planning policy economy industry semiconductor fine dust
environment energy hydrogen power generation climate green growth budget investment support youth jobs housing
education welfare health medical safety disaster transport road railway port ocean fisheries agriculture rural
food prices interest finance market companies small business exports trade diplomacy defence unification
administration local autonomy population ageing labour employment wages pension insurance tax customs
regulation innovation digital data artificial intelligence telecommunications broadcasting culture tourism
sports science technology research development patent standard certification supply chain materials parts
equipment nuclear coal gas renewable solar wind emissions reduction target implementation review plan measures
tasks programme system law amendment enforcement agreement cooperation joint international regional city
construction logistics aviation space biotechnology vaccine infectious disease quarantine children women
family disability elderly multicultural citizens government public institutions""")
EN_GLUE = ["the", "of", "and", "to", "for", "in", "on", "with", "a", "its"]
EN_VERBS = ["discussed", "announced", "reviewed", "adopted", "held", "will strengthen", "will support", "said"]
SYLLABLES = [chr(c) for c in range(0xAC00, 0xD7A4, 37)]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b"0" * 4096
START, DAYS = dt.date(2000, 1, 1), 9000  # issued 2000-01-01 … 2024-08-23: never in the future


@dataclass(frozen=True)
class Entry:
    """One generated record, before it is written anywhere."""

    id: str
    date: dt.date
    time: str
    type: str
    office: tuple[str, str, str]
    writer: str
    tag: str
    titles: dict[str, str]
    bodies: dict[str, str]
    translated: dt.date | None
    not_archived: bool = False
    attachment: bool = False

    @property
    def folder(self) -> str:
        return f"{self.date.year}/{self.id}"


class _Writer:
    """Sentences from the vocabulary, with a long tail of names so that some words are rare."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def ko(self, names: list[str]) -> str:
        rng, words = self.rng, []
        for _ in range(rng.randint(4, 7)):
            noun = "".join(rng.sample(KO_NOUNS, rng.choice([1, 1, 2, 2, 3])))
            if rng.random() < 0.08:
                noun = rng.choice(names) + noun
            words.append(noun + rng.choice(KO_PARTICLES))
        if rng.random() < 0.3:
            words.append(f"{rng.randint(1, 2050)}{rng.choice(['년', '억원', '명', '%', '건'])}")
        return " ".join(words) + " " + rng.choice(KO_VERBS) + "."

    def en(self, names: list[str]) -> str:
        rng = self.rng
        words = [
            rng.choice(EN_GLUE) if rng.random() < 0.35 else rng.choice(EN_WORDS) for _ in range(rng.randint(12, 18))
        ]
        if rng.random() < 0.1:
            words.insert(3, rng.choice(names).title())
        if rng.random() < 0.3:
            words.append(str(rng.randint(1, 2050)))
        return " ".join(words).capitalize() + " " + rng.choice(EN_VERBS) + "."

    def body(self, sentence, names: list[str]) -> str:
        rng, lines = self.rng, []
        for _ in range(rng.randint(3, 4)):
            lines += ["- □ " + sentence(names)]
            for _ in range(rng.randint(2, 4)):
                lines.append("    - ㅇ " + sentence(names))
                if rng.random() < 0.2:
                    lines.append("        - \\* " + sentence(names))
        return "\n".join(lines) + "\n"


def entries(count: int, *, seed: int = 7, mixed: bool = False, first: int = 0) -> Iterator[Entry]:
    """``count`` records, the same ones for the same arguments; ids are numbered from ``first``."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    for number in range(first, first + count):
        date = START + dt.timedelta(days=rng.randrange(DAYS))
        office = rng.choice(OFFICES)
        names_ko = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(4)]
        names_en = ["".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(4)]
        tag = rng.choice(KO_NOUNS)
        roll = rng.random() if mixed else 1.0
        titles = {"ko": " ".join("".join(rng.sample(KO_NOUNS, 2)) for _ in range(3)) + f" 회의 결과 ({number})"}
        bodies = {"ko": writer.body(writer.ko, names_ko)}
        translated = None
        if roll >= 0.08:
            titles["en"] = " ".join(rng.choice(EN_WORDS) for _ in range(5)).title() + f" ({number})"
            bodies["en"] = writer.body(writer.en, names_en)
            translated = min(date + dt.timedelta(days=rng.randint(0, 30)), START + dt.timedelta(days=DAYS))
        yield Entry(
            id=f"{date.isoformat()}-{office[0]}-{number:05d}",
            date=date,
            time=f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
            type=rng.choice(["press-release", "press-release", "meeting-record"]),
            office=office,
            writer=f"관리자{rng.randint(1, 9)}",
            tag=tag,
            titles=titles,
            bodies=bodies,
            translated=translated,
            not_archived=0.04 <= roll < 0.08,
            attachment=mixed and rng.random() < 0.05,
        )


def files(entry: Entry) -> dict[str, bytes]:
    """The record's files, by path under ``records/``."""
    office_id, office_ko, office_en = entry.office
    yml = (
        f'id: {entry.id}\ntype: {entry.type}\ndate: {entry.date.isoformat()}\ntime: "{entry.time}"\n'
        f"timezone: Asia/Seoul\noffice:\n  id: {office_id}\n  ko: {office_ko}\n  en: {office_en}\n"
        f"writer: {entry.writer}\noriginal_language: ko\nillustrative: true\ntags:\n  - {entry.tag}\n"
    )
    if entry.not_archived:
        yml += "not_archived:\n  - en\n"
    out = {}
    if entry.attachment:
        yml += "attachments:\n  - file: briefing.pdf\n    title:\n      ko: 보도자료 원문\n      en: Press release (original)\n"
        out[f"{entry.folder}/briefing.pdf"] = PDF
    out[f"{entry.folder}/record.yml"] = yml.encode()
    out[f"{entry.folder}/ko.md"] = f"---\ntitle: {entry.titles['ko']}\n---\n\n{entry.bodies['ko']}".encode()
    if "en" in entry.titles:
        out[f"{entry.folder}/en.md"] = (
            f"---\ntitle: {entry.titles['en']}\ntranslation:\n  translator: sillok benchmark\n"
            f"  method: machine-reviewed\n  date: {entry.translated.isoformat()}\n  from: ko\n---\n\n{entry.bodies['en']}"
        ).encode()
    return out


def archive_files(count: int, *, seed: int = 7, mixed: bool = False, first: int = 0) -> dict[str, bytes]:
    """Every file of ``count`` records, by path under ``records/``."""
    generated = entries(count, seed=seed, mixed=mixed, first=first)
    return {path: data for entry in generated for path, data in files(entry).items()}


def write_files(records_dir: Path, written: dict[str, bytes]) -> None:
    for relative, data in written.items():
        path = records_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def generate(root: Path, count: int, *, seed: int = 7, mixed: bool = False) -> list[Path]:
    """Write ``count`` records under ``root/records`` and return their folders."""
    folders = []
    for entry in entries(count, seed=seed, mixed=mixed):
        write_files(root / "records", files(entry))
        folders.append(root / "records" / entry.folder)
    return folders


def records(count: int, *, seed: int = 7, mixed: bool = False) -> list:
    """The same records as :class:`~sillok.record.model.Record` objects, without writing or reading a file."""
    from sillok.record.model import Office, Record, Text

    out = []
    for entry in entries(count, seed=seed, mixed=mixed):
        path = Path("records") / entry.folder
        texts = {
            lang: Text(lang, entry.titles[lang], entry.bodies[lang], 5, path / f"{lang}.md") for lang in entry.titles
        }
        out.append(
            Record(
                id=entry.id,
                type=entry.type,
                date=entry.date,
                timezone="Asia/Seoul",
                office=Office(*entry.office),
                original_language="ko",
                path=path,
                texts=texts,
            )
        )
    return out


def make_project(parent: Path, count: int, *, seed: int = 7, mixed: bool = True) -> Path:
    """A copy of this project's site (mkdocs.yml, docs/, overrides/) with ``count`` generated records."""
    project = parent / f"archive-{count}"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("records"))
        else:
            shutil.copy2(source, project / name)
    generate(project, count, seed=seed, mixed=mixed)
    return project
