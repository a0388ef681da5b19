"""Benchmark the full site build on generated bilingual archives.

Writes N realistic bilingual records (Korean originals with the □ / ㅇ / * outline, English
translations, a few untranslated or not-archived texts, a few attachments) into a temporary copy
of the project, runs ``sillok build`` on it in a child process, and prints the wall time, the time
per built HTML page and the peak memory of the build. With two sizes it also prints the ratio of
the time per page, which stays near 1 when the build is linear.

    python scripts/bench_site.py                    # 1,000 and 4,000 records
    python scripts/bench_site.py --records 10000    # one size
    python scripts/bench_site.py --records 1000 --records 4000 --keep

Targets: ms/page at 4,000 ≤ 1.3 × ms/page at 1,000; 10,000 records in under 3 minutes and 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides")

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
TOPICS = [
    ("탄소중립", "carbon neutrality"),
    ("재생에너지", "renewable energy"),
    ("수소경제", "the hydrogen economy"),
    ("일자리", "employment"),
    ("디지털 전환", "digital transformation"),
    ("기후적응", "climate adaptation"),
    ("녹색금융", "green finance"),
    ("주택공급", "housing supply"),
    ("산업안전", "industrial safety"),
]
KO_SENTENCES = [
    "관계부처는 {t} 추진전략의 이행과제를 점검하고 향후 일정을 논의하였다.",
    "정부는 {t} 분야의 제도적 기반을 강화하기 위해 관련 법령 개정을 추진하고 있다.",
    "회의에서는 산업계와 시민사회, 전문가의 의견을 폭넓게 수렴하기로 하였다.",
    "부문별 감축 방안을 포함한 {t} 시나리오를 상반기 중 마련할 계획이다.",
    "지방자치단체와의 협력을 통해 현장의 이행 상황을 매월 점검할 예정이다.",
    "국민이 쉽게 참여할 수 있는 다양한 비대면 캠페인을 함께 추진한다.",
]
EN_SENTENCES = [
    "The ministries reviewed the implementation tasks of the {t} strategy and discussed the schedule ahead.",
    "The government is amending the relevant laws to strengthen the institutional foundation for {t}.",
    "The meeting agreed to gather the views of industry, civil society and experts widely.",
    "Scenarios for {t}, including reduction plans for each sector, will be prepared in the first half.",
    "Progress on the ground will be reviewed every month together with local governments.",
    "Various non-face-to-face campaigns in which people can easily take part will be promoted together.",
]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _body(rng: random.Random, sentences: list[str], topic: str) -> str:
    lines = []
    for _ in range(rng.randint(3, 5)):
        lines.append("□ " + rng.choice(sentences).format(t=topic))
        lines.append("")
        for _ in range(rng.randint(2, 4)):
            lines.append("- ㅇ " + rng.choice(sentences).format(t=topic))
            if rng.random() < 0.3:
                lines.append("    - \\* " + rng.choice(sentences).format(t=topic))
        lines.append("")
    return "\n".join(lines)


def write_archive(root: Path, count: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    span = (dt.date(2024, 12, 31) - start).days
    for number in range(count):
        date = start + dt.timedelta(days=rng.randrange(span))
        office = rng.choice(OFFICES)
        topic_ko, topic_en = rng.choice(TOPICS)
        record_id = f"{date.isoformat()}-{office[0]}-{number:05d}"
        folder = root / "records" / str(date.year) / record_id
        folder.mkdir(parents=True)
        kind = rng.choice(["press-release", "press-release", "meeting-record"])
        roll = rng.random()
        has_en = roll >= 0.08
        not_archived = 0.04 <= roll < 0.08
        attach = rng.random() < 0.05
        yml = textwrap.dedent(f"""\
            id: {record_id}
            type: {kind}
            date: {date.isoformat()}
            time: "{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
            timezone: Asia/Seoul
            office:
              id: {office[0]}
              ko: {office[1]}
              en: {office[2]}
            writer: 관리자{rng.randint(1, 9)}
            original_language: ko
            illustrative: true
            """)
        if not_archived:
            yml += "not_archived:\n  - en\n"
        if attach:
            yml += "attachments:\n  - file: briefing.pdf\n    title:\n      ko: 보도자료 원문\n      en: Press release (original)\n"
            (folder / "briefing.pdf").write_bytes(PDF)
        (folder / "record.yml").write_text(yml, encoding="utf-8")
        title_ko = f"{topic_ko} 관련 {office[1]} 제{number % 50 + 1}차 회의 결과"
        title_en = f"Results of the {office[2]}'s meeting no. {number % 50 + 1} on {topic_en}"
        (folder / "ko.md").write_text(
            f"---\ntitle: {title_ko}\n---\n\n{_body(rng, KO_SENTENCES, topic_ko)}", encoding="utf-8"
        )
        if has_en:
            translated = date + dt.timedelta(days=rng.randint(1, 30))
            translated = min(translated, dt.date.today())
            (folder / "en.md").write_text(
                f"---\ntitle: {title_en}\ntranslation:\n  translator: sillok benchmark\n  method: machine-reviewed\n"
                f"  date: {translated.isoformat()}\n  from: ko\n---\n\n{_body(rng, EN_SENTENCES, topic_en)}",
                encoding="utf-8",
            )


def make_project(parent: Path, count: int) -> Path:
    project = parent / f"archive-{count}"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("records"))
        else:
            shutil.copy2(source, project / name)
    write_archive(project, count)
    return project


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from sillok.site.build import build
start = time.perf_counter()
result = build(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "records": len(result.records), "peak_kb": max(self_kb, children_kb), "steps": result.timings}))
"""


def run_build(project: Path) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project)], capture_output=True, text=True, env=env, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"build of {project} failed")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["pages"] = sum(1 for _ in (project / "site").rglob("*.html"))
    figures["ms_per_page"] = figures["seconds"] * 1000 / figures["pages"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, action="append", help="archive size (repeatable; default 1000 and 4000)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and print where")
    args = parser.parse_args(argv)
    sizes = args.records or [1000, 4000]
    parent = Path(tempfile.mkdtemp(prefix="sillok-bench-"))
    results = {}
    try:
        for count in sizes:
            started = time.perf_counter()
            project = make_project(parent, count)
            written = time.perf_counter() - started
            figures = run_build(project)
            results[count] = figures
            print(
                f"{count:>6} records: {figures['pages']} pages in {figures['seconds']:.1f} s = "
                f"{figures['ms_per_page']:.2f} ms/page, peak memory {figures['peak_kb'] / 1024:.0f} MB "
                f"(corpus written in {written:.1f} s)",
                flush=True,
            )
            steps = figures["steps"]
            print("        steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), flush=True)
            data = steps.get("open data", 0.0)
            print(
                f"        open data (datasets, feeds, per-record JSON): {data:.1f} s = "
                f"{100 * data / (figures['seconds'] - data):.1f}% added to the rest of the build (target < 10%)",
                flush=True,
            )
        if len(sizes) >= 2:
            small, large = results[sizes[0]], results[sizes[-1]]
            ratio = large["ms_per_page"] / small["ms_per_page"]
            print(f"ms/page ratio {sizes[-1]} / {sizes[0]}: {ratio:.2f} (target <= 1.30)")
    finally:
        if args.keep:
            print(f"projects kept in {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
