"""Bulk downloads, per-record JSON, its schema and the data dictionary, read back with standard tools."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from helpers.opendata import (
    BASE,
    ENGLISH_ID,
    MEETING_ID,
    make_corpus,
    project_records,
    read_archive,
    record_document_on_site,
)

from sillok.record import schema
from sillok.record.model import Record
from sillok.site.data.opendata import COLUMNS, data_dictionary, record_document_schema, record_json_schema
from sillok.site.data.publish import render_open_data, write_open_data
from sillok.site.data.rights import DEFAULT_RIGHTS, Rights
from sillok.site.urls import record_url


@pytest.fixture
def corpus(tmp_path: Path) -> list[Record]:
    return make_corpus(tmp_path / "archive")


@pytest.fixture
def site(tmp_path: Path, corpus: list[Record]) -> Path:
    out = tmp_path / "site"
    write_open_data(corpus, out, BASE)
    return out


def expected_row(record: Record, language: str, rights: str = DEFAULT_RIGHTS.statement) -> dict:
    """What a dataset row must say about a record, written out from the record itself."""
    shown = language if language in record.texts else record.original_language
    text = record.texts[shown]
    return {
        "id": record.id,
        "type": record.type,
        "type_label": schema.RECORD_TYPES[record.type][language],
        "date": record.date.isoformat(),
        "time": record.time.strftime("%H:%M:%S") if record.time else None,
        "timezone": record.timezone,
        "issued": record.issued.isoformat(),
        "office_id": record.office.id,
        "office_name": getattr(record.office, language),
        "writer": record.writer,
        "original_language": record.original_language,
        "languages": list(record.languages),
        "not_archived": list(record.not_archived),
        "language": shown,
        "title": text.title,
        "summary": text.summary,
        "translator": text.translation.translator if text.translation else None,
        "translation_method": text.translation.method if text.translation else None,
        "translation_date": text.translation.date.isoformat() if text.translation else None,
        "tags": list(record.tags),
        "attachments": [a.file for a in record.attachments],
        "illustrative": record.illustrative,
        "source_archive": record.source.archive if record.source else None,
        "source_url": record.source.url if record.source else None,
        "url": record_url(record.id, shown, BASE),
        "json_url": f"{BASE}data/records/{record.id[:4]}/{record.id[5:7]}.json#{record.id}",
        "rights": rights,
        "body": text.body,
    }


def as_csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        value = "; ".join(value)
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


@pytest.mark.parametrize("language", schema.LANGUAGES)
def test_csv_rows_match_records(site, corpus, language):
    raw = (site / f"data/{language}/records.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM so that Excel reads Korean"
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == len(corpus) + 1, "RFC 4180: each row ends with CRLF"
    with open(site / f"data/{language}/records.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [c.name for c in COLUMNS]
    assert len(rows) == len(corpus)
    for row, record in zip(rows, sorted(corpus, key=Record.sort_key), strict=True):
        expected = {k: as_csv_cell(v) for k, v in expected_row(record, language).items() if k != "body"}
        assert row == expected


def test_csv_keeps_commas_quotes_and_newlines_in_one_cell(site):
    with open(site / "data/ko/records.csv", encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == MEETING_ID)
    assert row["title"] == '제2차 예산심의 회의 결과 "요약", 쉼표 포함'
    assert row["summary"] == '첫째 줄, 쉼표와 "따옴표".\n둘째 줄.\n'
    assert row["tags"] == "예산; 심의; 의결", "lists are joined with '; ' (use JSON when a value holds '; ')"


@pytest.mark.parametrize("language", schema.LANGUAGES)
def test_json_and_jsonl_rows_match_records(site, corpus, language):
    rows = json.loads((site / f"data/{language}/records.json").read_text(encoding="utf-8"))
    lines = (site / f"data/{language}/records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    expected = [expected_row(r, language) for r in sorted(corpus, key=Record.sort_key)]
    assert rows == expected


def test_a_record_without_text_in_the_language_shows_its_original_text(site):
    rows = {r["id"]: r for r in json.loads((site / "data/en/records.json").read_text(encoding="utf-8"))}
    meeting = rows[MEETING_ID]
    assert meeting["language"] == "ko"
    assert meeting["url"] == f"{BASE}records/{MEETING_ID}/", "never a link to an English page the record does not have"
    assert meeting["office_name"] == "Ministry of Economy and Finance"
    assert meeting["not_archived"] == ["en"]


def test_every_month_file_validates_against_the_published_schema(site, corpus):
    published = json.loads((site / "data/record.schema.json").read_text(encoding="utf-8"))
    assert published["$id"] == f"{BASE}data/record.schema.json"
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())
    months = sorted((site / "data/records").glob("*/*.json"))
    assert [m.relative_to(site).as_posix() for m in months] == sorted(
        f"data/records/{r.id[:4]}/{r.id[5:7]}.json" for r in corpus
    )
    for month in months:
        data = json.loads(month.read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(data), key=str)
        assert errors == [], f"{month}: {errors[0].message} at {list(errors[0].absolute_path)}"
        assert data["$schema"] == published["$id"]
        for document in data["records"]:
            assert document["$schema"] == published["$id"] + "#/$defs/record"
            assert document["links"]["json"] == f"{BASE}{month.relative_to(site).as_posix()}#{document['id']}"


def test_a_month_file_holds_its_records_oldest_first_one_per_line(tmp_path):
    from helpers.opendata import corpus_files, press_release
    from helpers.records import write_tree

    files = corpus_files()
    for index in range(40):  # 2020-01-01 … 2020-02-09: two months
        files |= press_release(index)
    write_tree(tmp_path / "archive", files)
    records = read_archive(tmp_path / "archive")
    out = tmp_path / "site"
    write_open_data(records, out, BASE, jobs=1)
    january = (out / "data/records/2020/01.json").read_text(encoding="utf-8")
    lines = january.split("\n")
    assert lines[0] == '{"$schema":"' + BASE + 'data/record.schema.json","records":[' and lines[-2:] == ["]}", ""]
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-2]] == [
        f"2020-01-{day:02d}-briefing-{day - 1}" for day in range(1, 32)
    ]
    assert len(json.loads((out / "data/records/2020/02.json").read_text(encoding="utf-8"))["records"]) == 9


def test_schema_rejects_what_the_archive_rejects(site, corpus):
    validator = jsonschema.Draft202012Validator(record_document_schema(), format_checker=jsonschema.FormatChecker())
    document = record_document_on_site(site, corpus[0].id)
    for key, bad in [
        ("type", "memo"),
        ("date", "2021.01.13"),
        ("id", "Not An Id"),
        ("original_language", "fr"),
        ("extra", 1),
    ]:
        assert not validator.is_valid({**document, key: bad}), f"{key}={bad!r} should be invalid"
    del document["office"]
    assert not validator.is_valid(document)


def test_record_json_holds_metadata_texts_digests_and_links(site, corpus):
    record = next(r for r in corpus if r.id == MEETING_ID)
    document = record_document_on_site(site, MEETING_ID)
    assert document["id"] == MEETING_ID
    assert document["date"] == "2022-06-30"
    assert document["time"] is None
    assert document["issued"] == "2022-06-30T00:00:00+09:00"
    assert document["office"] == {"id": "mof", "ko": "기획재정부", "en": "Ministry of Economy and Finance"}
    assert document["source"]["retrieved"] == "2024-05-01"
    assert document["tags"] == ["예산", "심의; 의결"]
    assert document["texts"]["ko"]["body"] == record.texts["ko"].body
    assert list(document["texts"]) == ["ko"]
    assert document["links"] == {
        "ko": f"{BASE}records/{MEETING_ID}/",
        "json": f"{BASE}data/records/2022/06.json#{MEETING_ID}",
    }
    on_disk = {p.name: p.read_bytes() for p in record.path.iterdir()}
    assert {f["path"]: f["sha256"] for f in document["files"]} == {
        n: hashlib.sha256(b).hexdigest() for n, b in on_disk.items()
    }
    assert {f["path"]: f["size"] for f in document["files"]} == {n: len(b) for n, b in on_disk.items()}
    [attachment] = document["attachments"]
    assert attachment == {
        "file": "minutes.pdf",
        "title": {"ko": "회의록 전문", "en": None},
        "size": len(on_disk["minutes.pdf"]),
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(on_disk["minutes.pdf"]).hexdigest(),
    }
    english = record_document_on_site(site, ENGLISH_ID)
    assert english["issued"] == "2024-02-01T09:15:00-05:00", "the record's own UTC offset"
    assert english["texts"]["ko"]["translation"] == {
        "translator": "외교부 번역팀",
        "method": "machine-reviewed",
        "date": "2024-02-03",
        "from": "en",
        "note": None,
    }
    assert english["rights"] == {"statement": DEFAULT_RIGHTS.statement, "url": DEFAULT_RIGHTS.url}


def test_data_dictionary_is_generated_from_the_schema():
    dictionary = data_dictionary()
    for column in COLUMNS:
        assert f"| `{column.name}` |" in dictionary
    for file, name, _kind, _required, doc in schema.field_rows():
        if "front matter" in file:
            name = "`texts.{lang}." + name.strip("`") + "`"
        assert name in dictionary, name
        assert doc in dictionary
    assert DEFAULT_RIGHTS.statement in dictionary


def test_rights_are_configurable_everywhere(tmp_path, corpus):
    rights = Rights("CC BY 4.0 — 출처를 표시하십시오", "https://creativecommons.org/licenses/by/4.0/")
    files = render_open_data(corpus, BASE, rights)
    with io.StringIO(files["data/ko/records.csv"].decode("utf-8-sig"), newline="") as handle:
        assert {row["rights"] for row in csv.DictReader(handle)} == {rights.statement}
    assert json.loads(files["data/records/2022/06.json"])["records"][0]["rights"] == {
        "statement": rights.statement,
        "url": rights.url,
    }
    assert rights.statement in files["data/data-dictionary.md"].decode()
    assert f"<rights>{rights.statement}</rights>" in files["feeds/ko/all.atom"].decode()
    plain = render_open_data(corpus, BASE, "All rights reserved")
    assert json.loads(plain["data/records/2022/06.json"])["records"][0]["rights"] == {
        "statement": "All rights reserved",
        "url": None,
    }


def test_writes_only_what_changed_and_removes_what_has_no_record(tmp_path, corpus):
    out = tmp_path / "site"
    first = write_open_data(corpus, out, BASE)
    assert (
        out / "data/ko/records.csv" in first
        and out / "feeds/en/all.atom" in first
        and out / "sitemap-records.xml" in first
    )
    assert {p.relative_to(out).as_posix() for p in first} == set(render_open_data(corpus, BASE))
    stamps = {p: p.stat().st_mtime_ns for p in first}
    assert write_open_data(corpus, out, BASE) == [], "an unchanged archive rewrites nothing"
    assert {p: p.stat().st_mtime_ns for p in first} == stamps
    remaining = [r for r in corpus if r.id != MEETING_ID]
    changed = {p.relative_to(out).as_posix() for p in write_open_data(remaining, out, BASE)}
    assert "data/records/2024/02.json" not in changed
    assert "data/ko/records.csv" in changed and "sitemap-records.xml" in changed
    assert not (out / "data/records/2022/06.json").exists(), "the JSON of a month with no record left is removed"
    assert not (out / "data/records/2022").exists()
    assert not (out / "feeds/ko/meeting-record.atom").exists(), "so is the feed of a type with no records left"
    assert sorted(p.name for p in out.rglob(".*")) == [], "no temporary files are left behind"


def test_project_records_produce_valid_open_data(tmp_path):
    records = project_records()
    out = tmp_path / "site"
    write_open_data(records, out, BASE)
    validator = jsonschema.Draft202012Validator(record_json_schema(BASE), format_checker=jsonschema.FormatChecker())
    for month in sorted((out / "data/records").glob("*/*.json")):
        validator.validate(json.loads(month.read_text(encoding="utf-8")))
    assert sorted(
        d["id"] for m in (out / "data/records").glob("*/*.json") for d in json.loads(m.read_text("utf-8"))["records"]
    ) == sorted(r.id for r in records)
    with open(out / "data/en/records.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [r.id for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row == {k: as_csv_cell(v) for k, v in expected_row(record, "en").items() if k != "body"}


def test_empty_archive_writes_empty_datasets_and_no_feeds(tmp_path):
    (tmp_path / "archive/records").mkdir(parents=True)
    records = read_archive(tmp_path / "archive")
    files = render_open_data(records, BASE)
    assert json.loads(files["data/ko/records.json"]) == []
    assert files["data/ko/records.jsonl"] == b""
    assert files["data/en/records.csv"].decode("utf-8-sig").splitlines() == [",".join(c.name for c in COLUMNS)]
    assert not any(path.startswith("feeds/") for path in files)


def test_base_url_must_be_absolute(corpus):
    with pytest.raises(ValueError, match=r"base_url must be an absolute http\(s\) URL .* got '/archive/'"):
        render_open_data(corpus, "/archive/")
