"""`sillok seal` and `sillok check` on a sealed archive: every kind of tampering is caught, and named.

Each test starts from the sealed sample archive (a real git repository in a temporary folder),
changes one thing the way a careless or malicious edit would, and expects exactly that message.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from helpers.integrity import SECOND_DIR, THIRD, THIRD_ID, flip_first_digit, make_sealed_repo, sillok
from helpers.records import RECORD_DIR, RECORD_ID

from sillok.check.check import check
from sillok.ledger import formats as L

KO = f"{RECORD_DIR}/ko.md"
EN = f"{RECORD_DIR}/en.md"
YML = f"{RECORD_DIR}/record.yml"
LEDGER = "records/manifest-sha256.txt"
SEALS = "records/seals.log"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch, capsys) -> Path:
    monkeypatch.chdir(tmp_path)
    make_sealed_repo(tmp_path, capsys)
    return tmp_path


def errors_of(capsys, *argv: str) -> tuple[int, list[str]]:
    code, output = sillok(capsys, "check", *argv)
    return code, [line for line in output.splitlines() if ": error: " in line]


def only(lines: list[str], path: str) -> list[str]:
    return [line for line in lines if line.startswith(path + ":")]


def replace_bytes(path: str, old: bytes, new: bytes) -> None:
    data = Path(path).read_bytes()
    assert old in data
    Path(path).write_bytes(data.replace(old, new, 1))


# --- the sealed archive itself ---------------------------------------------------------------


def test_sealed_archive_passes_and_sha256sum_reads_the_ledger(repo, capsys):
    code, output = sillok(capsys, "check")
    assert code == 0, output
    assert "error" not in output.replace("0 errors", "")
    lines = Path(LEDGER).read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == [
        f"2021/{RECORD_ID}/en.md",
        f"2021/{RECORD_ID}/ko.md",
        f"2021/{RECORD_ID}/record.yml",
        "2021/2021-02-01-green-growth-briefing/ko.md",
        "2021/2021-02-01-green-growth-briefing/record.yml",
    ]
    import subprocess

    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "manifest-sha256.txt"], cwd="records", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seals = Path(SEALS).read_text().splitlines()
    assert len(seals) == 2 and seals[0].startswith("seal=1 ") and seals[1].startswith("seal=2 ")
    assert f"prev={L.sha256(seals[0].encode())}" in seals[1]


def test_seal_only_appends_and_has_nothing_to_do_twice(repo, capsys):
    before = Path(LEDGER).read_bytes(), Path(SEALS).read_bytes()
    code, output = sillok(capsys, "seal")
    assert (code, "nothing new to seal" in output) == (0, True)
    assert (Path(LEDGER).read_bytes(), Path(SEALS).read_bytes()) == before
    from helpers.records import write_tree

    write_tree(repo, THIRD)
    code, output = sillok(capsys, "seal")
    assert code == 0, output
    assert Path(LEDGER).read_bytes().startswith(before[0]) and Path(SEALS).read_bytes().startswith(before[1])
    assert Path(LEDGER).read_text().count(THIRD_ID) == 2


def test_seal_refuses_an_invalid_record(repo, capsys):
    from helpers.records import write_tree

    write_tree(repo, {**THIRD, f"records/2021/{THIRD_ID}/ko.md": "no front matter\n"})
    before = Path(LEDGER).read_bytes()
    code, output = sillok(capsys, "seal")
    assert code == 1
    assert f"records/2021/{THIRD_ID}/ko.md:1:1: error: missing front matter" in output
    assert "fix them (sillok check) before sealing" in output
    assert Path(LEDGER).read_bytes() == before


def test_new_record_and_new_translation_are_listed_not_rejected(repo, capsys):
    from helpers.integrity import SECOND_EN
    from helpers.records import write_tree

    write_tree(repo, {**THIRD, f"{SECOND_DIR}/en.md": SECOND_EN})
    code, output = sillok(capsys, "check")
    assert code == 0, output
    assert f"records/2021/{THIRD_ID}: info: new record, not sealed yet" in output
    assert f"{SECOND_DIR}/en.md: info: new translation of a sealed record, not sealed yet" in output
    assert (
        ": error: " not in output and ": warning: possible personal data" in output
    )  # info does not count as a warning


# --- tampering with a sealed file --------------------------------------------------------------


def test_one_byte_changed_in_the_body(repo, capsys):
    replace_bytes(KO, "2050 탄소중립 추진".encode(), "2051 탄소중립 추진".encode())
    code, lines = errors_of(capsys)
    assert code == 1
    [line] = only(lines, KO)
    assert line.startswith(f"{KO}: error: sealed file was changed (ledger line 2): expected=")
    assert " found=" in line and "sillok redact" in line


def test_one_byte_changed_in_the_metadata(repo, capsys):
    replace_bytes(YML, b'time: "10:29:45"', b'time: "10:29:46"')
    code, lines = errors_of(capsys)
    assert code == 1
    assert [line.split(": expected=")[0] for line in lines] == [
        f"{YML}: error: sealed file was changed (ledger line 3)"
    ]


def test_same_length_hangul_edit(repo, capsys):
    old, new = "개최하였다".encode(), "취소하였다".encode()
    assert len(old) == len(new)
    replace_bytes(KO, old, new)
    size = os.path.getsize(KO)
    code, lines = errors_of(capsys)
    assert code == 1 and os.path.getsize(KO) == size
    assert only(lines, KO)[0].startswith(f"{KO}: error: sealed file was changed")


def test_sealed_file_deleted(repo, capsys):
    os.remove(EN)
    code, lines = errors_of(capsys)
    assert code == 1
    digest = Path(LEDGER).read_text().splitlines()[0].split("  ")[0]
    assert only(lines, EN) == [
        f"{EN}: error: sealed file is missing (ledger line 1, expected={digest}) — restore it from git (git checkout -- PATH); sealed files are never deleted"
    ]


def test_sealed_file_renamed(repo, capsys):
    os.rename(EN, f"{RECORD_DIR}/en-old.md")
    code, lines = errors_of(capsys)
    assert code == 1
    assert f"it is now at 2021/{RECORD_ID}/en-old.md" in only(lines, EN)[0]
    assert any(
        line.startswith(f"{RECORD_DIR}/en-old.md: error: is not in the ledger, but its record") for line in lines
    )


def test_sealed_file_replaced_by_a_symlink(repo, capsys):
    os.remove(EN)
    os.symlink("ko.md", EN)
    code, lines = errors_of(capsys)
    assert code == 1
    assert (
        f"{EN}: error: sealed file was replaced by a symlink (ledger line 1) — restore the sealed file from git"
        in lines
    )


def test_sealed_file_made_executable(repo, capsys):
    os.chmod(KO, 0o755)
    code, lines = errors_of(capsys)
    assert code == 1
    assert (
        f"{KO}: error: sealed file was made executable (ledger line 2) — chmod a-x it; record files are data" in lines
    )


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("CRLF", lambda data: data.replace(b"\n", b"\r\n")),
        ("NFD", lambda data: unicodedata.normalize("NFD", data.decode()).encode()),
        ("BOM", lambda data: b"\xef\xbb\xbf" + data),
    ],
)
def test_invisible_changes_are_changes(repo, capsys, name, change):
    Path(KO).write_bytes(change(Path(KO).read_bytes()))
    code, lines = errors_of(capsys)
    assert code == 1
    assert any(line.startswith(f"{KO}: error: sealed file was changed (ledger line 2): expected=") for line in lines), (
        name
    )


def test_unlisted_file_added_to_a_sealed_record(repo, capsys):
    Path(f"{RECORD_DIR}/notes.pdf").write_bytes(b"%PDF-1.4 extra")
    code, lines = errors_of(capsys)
    assert code == 1
    assert (
        f"{RECORD_DIR}/notes.pdf: error: is not in the ledger, but its record 2021/{RECORD_ID} is sealed — remove it; files are added to a sealed record only as a new translation"
        in lines
    )


# --- tampering with the ledger and the seal log ------------------------------------------------


def _ledger_lines() -> list[bytes]:
    return Path(LEDGER).read_bytes().splitlines(keepends=True)


def test_ledger_line_edited(repo, capsys):
    lines = _ledger_lines()
    lines[1] = b"0" + lines[1][1:]
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors = errors_of(capsys)
    assert code == 1
    digest = lines[1].split(b" ")[0].decode()
    assert errors == [
        f"{LEDGER}:2: error: ledger line 2 was edited: seal 1 vouches for 2021/{RECORD_ID}/ko.md as expected="
        f"{L.sha256(Path(KO).read_bytes())} (the file still has it), the line says found={digest} — the ledger is "
        "written only by sillok seal and sillok redact; restore it from git"
    ]  # not on the record file, which is as sealed, nor on the seal log


def test_salt_edited_is_reported_on_the_salts_file(repo, capsys):
    flip_first_digit(Path("records/ledger-salts.txt"), 2)
    code, errors = errors_of(capsys)
    assert code == 1
    assert errors == [
        "records/ledger-salts.txt:2: error: seal 1 does not match ledger lines 1-3, whose digests agree with the "
        "record files: this line differs from the last commit — the ledger and salts are written only by sillok "
        "seal and sillok redact; restore them from git"
    ]


def test_salt_edited_outside_git_is_still_reported_on_the_salts_file(repo, capsys):
    import shutil

    shutil.rmtree(".git")
    flip_first_digit(Path("records/ledger-salts.txt"), 5)
    code, errors = errors_of(capsys)
    assert code == 1
    assert [line.split(": error: ")[0] for line in errors] == ["records/ledger-salts.txt:4"]
    assert "a salt was edited (or seal 2 itself, or a ledger line together with its record file)" in errors[0]


def test_ledger_line_removed(repo, capsys):
    lines = _ledger_lines()
    del lines[4]
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors = errors_of(capsys)
    assert code == 1
    assert (
        f"{SEALS}:2: error: seal 2 covers 5 ledger lines but the ledger has 4 — ledger lines were removed; restore the ledger from git"
        in errors
    )


def test_ledger_lines_reordered(repo, capsys):
    lines = _ledger_lines()
    lines[0], lines[1] = lines[1], lines[0]
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors = errors_of(capsys)
    assert code == 1
    assert any(line.startswith(f"{LEDGER}:1: error: seal 1 does not match ledger lines 1-3") for line in errors)


def test_ledger_line_not_well_formed(repo, capsys):
    Path(LEDGER).write_bytes(Path(LEDGER).read_bytes() + b"ABC  2021/x/ko.md\n")
    code, errors = errors_of(capsys)
    assert code == 1
    assert (
        f"{LEDGER}:6: error: not a ledger line: expected '<64 lowercase hex>  <path>', found b'ABC  2021/x/ko.md' — the ledger is written only by sillok seal and sillok redact; restore it from git"
        in errors
    )


def test_ledger_line_appended_without_a_seal(repo, capsys):
    Path(LEDGER).write_bytes(Path(LEDGER).read_bytes() + f"{'a' * 64}  2021/{RECORD_ID}/ko.md\n".encode())
    code, errors = errors_of(capsys)
    assert code == 1
    assert any(line.startswith(f"{LEDGER}:6: error: ledger lines 6-6 are not covered by any seal") for line in errors)
    assert any(
        line.startswith(f"{LEDGER}:6: error: 2021/{RECORD_ID}/ko.md is sealed again without a logged redaction")
        for line in errors
    )


def test_seal_forged(repo, capsys):
    seals = Path(SEALS).read_text().splitlines(keepends=True)
    seals[0] = seals[0].replace("time=20", "time=19", 1)
    Path(SEALS).write_text("".join(seals))
    code, errors = errors_of(capsys)
    assert code == 1
    assert any(line.startswith(f"{SEALS}:2: error: seal 2 does not chain: prev expected=") for line in errors)


def test_last_seal_forged(repo, capsys):
    seals = Path(SEALS).read_text().splitlines(keepends=True)
    digest = seals[1].split("leaves_sha256=")[1][:64]
    seals[1] = seals[1].replace(digest, "f" * 64)
    Path(SEALS).write_text("".join(seals))
    code, errors = errors_of(capsys)
    assert code == 1
    assert (
        f"{SEALS}:2: error: seal 2 does not match ledger lines 4-5: expected={'f' * 64} found={digest} — a sealed ledger line (or its salt) was edited, removed or reordered; restore the ledger from git"
        in errors
    )


def test_seal_log_deleted(repo, capsys):
    os.remove(SEALS)
    code, errors = errors_of(capsys)
    assert code == 1
    assert f"{SEALS}: error: is missing, but the archive has been sealed — restore it from git" in errors


def rewrite_consistently(repo: Path) -> None:
    """The forger's best effort: change a sealed file, then recompute its ledger line and every seal."""
    replace_bytes(KO, "개최하였다".encode(), "취소하였다".encode())
    lines = _ledger_lines()
    lines[1] = f"{L.sha256(Path(KO).read_bytes())}  2021/{RECORD_ID}/ko.md\n".encode()
    Path(LEDGER).write_bytes(b"".join(lines[:3]))
    Path(SEALS).write_bytes(b"")
    from sillok.ledger.seal import write_seal

    first = write_seal(Path("records"), [])
    Path(LEDGER).write_bytes(b"".join(lines))
    write_seal(Path("records"), [first])


def test_consistent_rewrite_fools_the_plain_check(repo, capsys):
    """Regenerating all digests makes any archive consistent again: the anchor is git history (next test)."""
    rewrite_consistently(repo)
    assert check([Path("records")]).errors == []


def test_consistent_rewrite_is_caught_by_base(repo, capsys):
    rewrite_consistently(repo)
    code, errors = errors_of(capsys, "--base", "HEAD")
    assert code == 1
    assert any(
        line.startswith(f"{LEDGER}:2: error: ledger line 2 was changed since HEAD: expected=") for line in errors
    )
    assert any(line.startswith(f"{SEALS}:1: error: seal log line 1 was changed since HEAD") for line in errors)
    assert any(line.startswith(f"{KO}: error: sealed file modified (sealed at ledger line 2)") for line in errors)


def test_forged_purge_is_rejected(repo, capsys):
    """Marking a line purged without a redaction that supersedes it."""
    lines = _ledger_lines()
    lines[1] = f"# purged: 2021/{RECORD_ID}/ko.md (redaction 1)\n".encode()
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors = errors_of(capsys)
    assert code == 1
    assert (
        f"{LEDGER}:2: error: line is marked purged by redaction 1, but that redaction does not supersede it — lines are purged only by sillok redact; restore the ledger from git"
        in errors
    )
    assert any(
        line.startswith("records/ledger-salts.txt:2: error: salt line is live but ledger line 2 is not")
        for line in errors
    )


def test_checking_one_record_folder_verifies_its_sealed_files(repo, capsys):
    Path(KO).write_bytes(Path(KO).read_bytes() + b"\n")
    code, errors = errors_of(capsys, RECORD_DIR)
    assert code == 1
    assert any(line.startswith(f"{KO}: error: sealed file was changed (ledger line 2)") for line in errors)
    code, errors = errors_of(capsys, SECOND_DIR)
    assert (code, errors) == (0, [])


def test_seal_only_the_records_asked_for(repo, capsys):
    from helpers.integrity import SECOND_EN
    from helpers.records import write_tree

    write_tree(repo, {**THIRD, f"{SECOND_DIR}/en.md": SECOND_EN})
    code, output = sillok(capsys, "seal", "--record", THIRD_ID)
    assert code == 0, output
    assert "sealed 2 file(s) as seal 3" in output
    code, output = sillok(capsys, "check")
    assert f"{SECOND_DIR}/en.md: info: new translation of a sealed record, not sealed yet" in output
    assert f"records/2021/{THIRD_ID}: info" not in output
    code, output = sillok(capsys, "seal", "--record", THIRD_ID)
    assert code == 1 and f"nothing new to seal in: {THIRD_ID}" in output


def test_seal_log_line_not_well_formed(repo, capsys):
    Path(SEALS).write_bytes(Path(SEALS).read_bytes() + b"seal=3 trust me\n")
    code, errors = errors_of(capsys)
    assert code == 1
    assert (
        f"{SEALS}:3: error: not a seal line: found b'seal=3 trust me' — the seal log is written only by sillok seal; restore it from git"
        in errors
    )
