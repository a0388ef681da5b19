"""Benchmark the open-data step: generate N bilingual records, read them with ``sillok check``,
then time ``write_open_data`` (median of 3) into a fresh folder and again over unchanged output.

    .venv/bin/python scripts/bench_opendata.py            # 10,000 records
    .venv/bin/python scripts/bench_opendata.py --records 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sillok.check.check import check
from sillok.site.data.opendata import write_open_data

BASE = "https://records.example.go.kr/"
PDF = b"%PDF-1.4\n" + b"0" * 4096

KO_BODY = (
    "□ 국무조정실은 {n}차 회의를 개최하여 탄소중립 이행과제를 점검하였다.\n\n- ㅇ 관계부처는 추진 상황을 공유하였다.\n"
    * 8
)
EN_BODY = (
    "□ The Office held meeting no. {n} and reviewed the carbon neutrality tasks.\n\n- ㅇ Ministries shared their progress.\n"
    * 8
)


def write_record(root: Path, n: int) -> None:
    day = dt.date(2000, 1, 1) + dt.timedelta(days=n // 3)
    record_id = f"{day.isoformat()}-record-{n}"
    folder = root / "records" / str(day.year) / record_id
    folder.mkdir(parents=True)
    kind = "press-release" if n % 2 else "meeting-record"
    attachment = "attachments:\n  - file: briefing.pdf\n    title:\n      ko: 참고자료\n" if n % 10 == 0 else ""
    (folder / "record.yml").write_text(
        f'id: {record_id}\ntype: {kind}\ndate: {day.isoformat()}\ntime: "{9 + n % 8:02d}:30"\ntimezone: Asia/Seoul\n'
        f"office:\n  id: opc\n  ko: 국무조정실\n  en: Office for Government Policy Coordination\n"
        f"original_language: ko\ntags:\n  - 탄소중립\n  - 회의 {n % 50}\n{attachment}",
        encoding="utf-8",
    )
    (folder / "ko.md").write_text(
        f"---\ntitle: 제{n}차 탄소중립 회의 결과\n---\n\n{KO_BODY.format(n=n)}", encoding="utf-8"
    )
    if n % 4:  # three in four records are translated
        (folder / "en.md").write_text(
            f"---\ntitle: Results of carbon neutrality meeting no. {n}\ntranslation:\n  translator: bench\n  method: human\n"
            f"  date: {day.isoformat()}\n  from: ko\n---\n\n{EN_BODY.format(n=n)}",
            encoding="utf-8",
        )
    if attachment:
        (folder / "briefing.pdf").write_bytes(PDF)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sillok-bench-"))
    try:
        started = time.perf_counter()
        for n in range(args.records):
            write_record(work / "archive", n)
        print(f"generated {args.records:,} records in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = check([work / "archive" / "records"], progress=False)
        if not result.ok:
            print("\n".join(p.format() for p in result.errors[:10]), file=sys.stderr)
            return 1
        records = result.records
        print(f"read {len(records):,} records with sillok check in {time.perf_counter() - started:.1f} s")
        cold, warm = [], []
        for run in range(args.runs):
            out = work / f"site-{run}"
            started = time.perf_counter()
            written = write_open_data(records, out, BASE)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            rewritten = write_open_data(records, out, BASE)
            warm.append(time.perf_counter() - started)
            assert not rewritten, "unchanged records must not rewrite files"
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"write_open_data, {len(records):,} records: {len(written):,} files, {size / 1e6:.1f} MB")
        print(
            f"  into an empty folder:   median {statistics.median(cold):.2f} s of {args.runs} ({', '.join(f'{t:.2f}' for t in cold)})"
        )
        print(
            f"  over unchanged output:  median {statistics.median(warm):.2f} s of {args.runs} ({', '.join(f'{t:.2f}' for t in warm)})"
        )
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
