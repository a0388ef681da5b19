"""``sillok new`` scaffolds a record that passes the check once its text is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.records import valid_record, write_tree

from sillok.check.check import check
from sillok.cli import main

NEW = [
    "new",
    "--type",
    "press-release",
    "--date",
    "2024-05-02",
    "--office",
    "opc",
    "--office-ko",
    "국무조정실",
    "--office-en",
    "Office for Government Policy Coordination",
    "--title-ko",
    "2024년 정부업무평가 결과: 발표",
    "--title-en",
    "2024 Government Performance Evaluation",
    "--translator",
    "OPC translation team",
    "--time",
    "10:00",
    "--slug",
    "government-evaluation-2024",
]
FOLDER = Path("records/2024/2024-05-02-government-evaluation-2024")


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_bodies(folder: Path) -> None:
    for name in ("ko.md", "en.md"):
        path = folder / name
        if path.exists():
            path.write_text(path.read_text("utf-8") + "□ 본문 / Body text.\n", "utf-8")


def test_scaffold_fails_check_until_the_text_is_written_then_passes(in_tmp, capsys):
    assert main(NEW) == 0
    assert sorted(p.name for p in FOLDER.iterdir()) == ["en.md", "ko.md", "record.yml"]
    before = check([Path("records")])
    assert [p.code for p in before.problems] == ["body-empty", "body-empty"]
    write_bodies(FOLDER)
    after = check([Path("records")])
    assert after.problems == []
    record = after.records[0]
    assert record.texts["ko"].title == "2024년 정부업무평가 결과: 발표"
    assert record.texts["en"].translation.translator == "OPC translation team"
    assert record.time.isoformat() == "10:00:00"


def test_office_names_are_reused_from_existing_records(in_tmp):
    write_tree(in_tmp, valid_record())
    assert (
        main(
            [
                "new",
                "--type",
                "meeting-record",
                "--date",
                "2021-02-01",
                "--office",
                "opc",
                "--title-ko",
                "회의",
                "--slug",
                "meeting",
            ]
        )
        == 0
    )
    write_bodies(Path("records/2021/2021-02-01-meeting"))
    result = check([Path("records")])
    assert result.problems == []
    assert {r.office.en for r in result.records} == {"Office for Government Policy Coordination"}


def test_one_language_record(in_tmp):
    assert (
        main(
            [
                "new",
                "--type",
                "press-release",
                "--date",
                "2022-03-04",
                "--office",
                "me",
                "--office-ko",
                "환경부",
                "--office-en",
                "Ministry of Environment",
                "--title-en",
                "Fine dust measures",
                "--not-archived",
                "ko",
            ]
        )
        == 0
    )
    folder = Path("records/2022/2022-03-04-fine-dust-measures")
    write_bodies(folder)
    result = check([Path("records")])
    assert result.problems == []
    assert result.records[0].not_archived == ("ko",)
    assert result.records[0].original_language == "en"


def test_never_overwrites(in_tmp, capsys):
    assert main(NEW) == 0
    (FOLDER / "ko.md").write_text("kept", "utf-8")
    assert main(NEW) == 1
    assert "already exists; records are never overwritten" in capsys.readouterr().err
    assert (FOLDER / "ko.md").read_text("utf-8") == "kept"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024.05.02"], "--date must be YYYY-MM-DD, got '2024.05.02'"),
        (
            ["--office", "unknown-office", "--office-ko", "", "--office-en", ""],
            "office 'unknown-office' is not in any record under records: give its names with --office-ko and --office-en",
        ),
    ],
)
def test_usage_errors_exit_2(in_tmp, capsys, args, message):
    argv = list(NEW)
    for i in range(0, len(args), 2):
        flag, value = args[i], args[i + 1]
        argv[argv.index(flag) + 1] = value
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not Path("records").exists() or not any(Path("records").rglob("*.md"))


def test_translation_needs_a_translator(in_tmp, capsys):
    argv = [a for a in NEW if a not in ("--translator", "OPC translation team")]
    assert main(argv) == 1
    assert "en.md would be a translation: say who translated it with --translator" in capsys.readouterr().err
    assert not FOLDER.exists()
