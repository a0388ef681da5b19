"""The check accepts a valid archive and the project's own records."""

from __future__ import annotations

from helpers.records import ROOT, valid_record

from sillok.check.check import check


def test_valid_record_has_no_problems(archive):
    root = archive(valid_record())
    result = check([root / "records"])
    assert result.problems == []
    assert [r.id for r in result.records] == ["2021-01-13-carbon-neutrality-tf-1"]
    record = result.records[0]
    assert record.office.ko == "국무조정실"
    assert record.languages == ("ko", "en")
    assert record.texts["en"].translation.from_language == "ko"
    assert record.issued.isoformat() == "2021-01-13T10:29:45+09:00"


def test_project_records_are_valid():
    result = check([ROOT / "records"])
    assert result.errors == [], "\n".join(p.format() for p in result.errors)
    assert result.checked >= 1
