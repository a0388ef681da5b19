"""``sillok normalize`` fixes exactly what the check would reject for BOM, CRLF, NFC and blanks."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from helpers.records import RECORD_DIR, VALID_KO, valid_record, write_tree

from sillok.check.check import check
from sillok.cli import main


def test_normalize_makes_a_rejected_file_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", VALID_KO).replace("\n", "  \r\n").encode()
    write_tree(tmp_path, valid_record(ko_md=bad))
    assert {p.code for p in check([Path("records")]).problems} == {"bom", "line-ending", "not-nfc"}
    ko = f"{RECORD_DIR}/ko.md"
    assert main(["normalize", "--check", ko]) == 1
    assert Path(ko).read_bytes() == bad  # --check writes nothing
    assert main(["normalize", ko]) == 0
    assert Path(ko).read_text("utf-8") == VALID_KO
    assert check([Path("records")]).problems == []
    assert main(["normalize", "--check", ko]) == 0


def test_normalize_refuses_to_guess_an_encoding(tmp_path, capsys):
    path = tmp_path / "ko.md"
    path.write_bytes("한글".encode("cp949"))
    assert main(["normalize", str(path)]) == 1
    assert "not valid UTF-8 at byte offset 0" in capsys.readouterr().err
    assert path.read_bytes() == "한글".encode("cp949")
