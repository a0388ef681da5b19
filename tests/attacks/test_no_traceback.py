"""Attack class 7: every failure is a message with a file and a line, never a traceback.

Before: a file name that is not UTF-8 under ``check --base`` ended in ``UnicodeDecodeError``; a
raw control byte or U+FFFE in YAML ended in PyYAML's ``ReaderError`` (see test_hidden_by_escapes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.integrity import make_sealed_repo, sillok
from helpers.records import RECORD_DIR, VALID_RECORD_YML, valid_record

from sillok.check.check import check


def test_a_file_name_that_is_not_utf8_under_base_is_a_problem(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    base = make_sealed_repo(tmp_path, capsys)
    bad = os.fsencode(str(tmp_path / RECORD_DIR)) + b"/\xff\xfe.pdf"
    with open(bad, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1, output
    assert "not valid UTF-8" in output and "Traceback" not in output


def test_a_file_name_that_is_not_utf8_is_reported_by_check(archive):
    root = archive(valid_record())
    with open(os.fsencode(str(root / RECORD_DIR)) + b"/caf\xe9.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    found = [p for p in check([root / "records"]).errors if p.code == "file-name"]
    assert found and "not valid UTF-8" in found[0].message


def test_a_huge_record_yml_is_refused_before_it_is_read_or_parsed(archive, tmp_path):
    root = archive(valid_record())
    path = root / RECORD_DIR / "record.yml"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(VALID_RECORD_YML)
        handle.write("# " + "x" * 1000 + "\n")
        handle.truncate(50 * 1024 * 1024)  # a 50 MB file (sparse: the test does not write 50 MB)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))\n"
            "from sillok.cli import main\nsys.exit(main(['check', '--records', sys.argv[1]]))",
            str(root / "records"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "oversized-file" in run.stdout + run.stderr or "more than the limit" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo pwned']", "!!binary aGk=", "!<tag:x> y"])
def test_yaml_tags_are_refused_never_constructed(archive, tag, tmp_path):
    marker = tmp_path / "pwned"
    yml = VALID_RECORD_YML.replace("writer: 관리자1", f"writer: {tag.replace('echo pwned', f'touch {marker}')}")
    found = check([archive(valid_record(record_yml=yml)) / "records"]).errors
    assert "yaml-tag" in [p.code for p in found], [p.format() for p in found]
    assert not marker.exists()
    assert not Path("pwned").exists()
