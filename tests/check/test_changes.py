"""`sillok check --base REF`: a pull request may add records and translations, and nothing else.

The base is a commit of the sealed sample archive; each test makes one change in the working tree
(committed or not, as CI and an archivist would see it) and expects exactly the action named.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.integrity import (
    SECOND_DIR,
    SECOND_EN,
    THIRD,
    THIRD_ID,
    commit,
    flip_first_digit,
    git,
    make_sealed_repo,
    sillok,
)
from helpers.records import RECORD_DIR, RECORD_ID, write_tree

KO = f"{RECORD_DIR}/ko.md"
EN = f"{RECORD_DIR}/en.md"
LEDGER = "records/manifest-sha256.txt"
SEALS = "records/seals.log"


@pytest.fixture
def base(tmp_path: Path, monkeypatch, capsys) -> str:
    monkeypatch.chdir(tmp_path)
    return make_sealed_repo(tmp_path, capsys)


def check_base(capsys, ref: str) -> tuple[int, list[str], str]:
    code, output = sillok(capsys, "check", "--base", ref)
    return code, [line for line in output.splitlines() if ": error: " in line], output


def test_no_change_passes(base, capsys):
    code, errors, output = check_base(capsys, base)
    assert (code, errors) == (0, []), output
    assert "checked 0 records" in output


def test_new_record_passes_before_and_after_sealing(base, capsys, tmp_path):
    write_tree(tmp_path, THIRD)
    code, errors, output = check_base(capsys, base)
    assert (code, errors) == (0, []), output
    assert f"records/2021/{THIRD_ID}: info: new record, not sealed yet" in output
    assert sillok(capsys, "seal")[0] == 0
    commit(tmp_path, "Third record")
    code, errors, output = check_base(capsys, base)
    assert (code, errors) == (0, []), output
    assert "checked 1 record:" in output


def test_new_translation_passes(base, capsys, tmp_path):
    write_tree(tmp_path, {f"{SECOND_DIR}/en.md": SECOND_EN})
    assert sillok(capsys, "seal")[0] == 0
    commit(tmp_path, "English translation of the second record")
    code, errors, output = check_base(capsys, base)
    assert (code, errors) == (0, []), output


def test_sealed_file_modified(base, capsys, tmp_path):
    Path(KO).write_bytes(Path(KO).read_bytes().replace("개최".encode(), "취소".encode()))
    commit(tmp_path, "Edit a published record")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{KO}: error: sealed file modified (sealed at ledger line 2) — a published record cannot change: restore it (git checkout {base} -- {KO}) or redact it formally with sillok redact"
        in errors
    )


def test_sealed_file_deleted(base, capsys, tmp_path):
    git(tmp_path, "rm", "-q", EN)
    commit(tmp_path, "Delete a translation")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{EN}: error: sealed file deleted (sealed at ledger line 1) — restore it: git checkout {base} -- {EN}"
        in errors
    )


def test_sealed_record_renamed_as_git_sees_a_rename(base, capsys, tmp_path):
    git(tmp_path, "mv", SECOND_DIR, "records/2021/2021-02-01-renamed")
    commit(tmp_path, "Rename a record")
    assert "rename" in git(tmp_path, "show", "--stat", "-M", "HEAD")  # git itself calls it a rename
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{SECOND_DIR}/ko.md: error: sealed file renamed to 2021/2021-02-01-renamed/ko.md (sealed at ledger line 4) — sealed files cannot be renamed or moved; move it back"
        in errors
    )
    assert (
        f"{SECOND_DIR}/record.yml: error: sealed file renamed to 2021/2021-02-01-renamed/record.yml (sealed at ledger line 5) — sealed files cannot be renamed or moved; move it back"
        in errors
    )


def test_sealed_file_replaced_by_a_symlink(base, capsys, tmp_path):
    os.remove(EN)
    os.symlink("/etc/passwd", EN)
    commit(tmp_path, "Symlink")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{EN}: error: sealed file replaced by a symbolic link (mode 100644 → 120000) — record files are plain, non-executable files"
        in errors
    )


def test_sealed_file_made_executable(base, capsys, tmp_path):
    os.chmod(KO, 0o755)
    commit(tmp_path, "chmod")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{KO}: error: sealed file changed from a regular file to an executable file (sealed at ledger line 2) — restore it: git checkout {base} -- {KO}"
        in errors
    )


def test_sealed_file_replaced_by_a_submodule(base, capsys, tmp_path):
    git(tmp_path, "rm", "-q", "--cached", EN)
    os.remove(EN)
    git(tmp_path, "update-index", "--add", "--cacheinfo", f"160000,{base},{EN}")
    git(tmp_path, "commit", "-q", "-m", "gitlink")
    os.mkdir(EN)  # as a fresh checkout (CI) shows a submodule that is not initialised
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{EN}: error: sealed file replaced by a submodule (gitlink) (mode 100644 → 160000) — record files are plain, non-executable files"
        in errors
    )


def test_ledger_line_changed(base, capsys, tmp_path):
    lines = Path(LEDGER).read_bytes().splitlines(keepends=True)
    lines[0] = b"1" + lines[0][1:]
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert any(
        line.startswith(f"{LEDGER}:1: error: ledger line 1 was changed since {base}: expected=") for line in errors
    )


def test_ledger_line_removed(base, capsys, tmp_path):
    lines = Path(LEDGER).read_bytes().splitlines(keepends=True)
    Path(LEDGER).write_bytes(b"".join(lines[:-1]))
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert any(line.startswith(f"{LEDGER}:5: error: ledger line 5 was removed since {base}") for line in errors)


def test_ledger_lines_reordered(base, capsys, tmp_path):
    lines = Path(LEDGER).read_bytes().splitlines(keepends=True)
    lines[3], lines[4] = lines[4], lines[3]
    Path(LEDGER).write_bytes(b"".join(lines))
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert any(
        line.startswith(f"{LEDGER}:4: error: ledger line 4 was moved (lines reordered) since {base}") for line in errors
    )


def test_seal_log_rewritten(base, capsys, tmp_path):
    Path(SEALS).write_bytes(Path(SEALS).read_bytes().splitlines(keepends=True)[0])
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert any(line.startswith(f"{SEALS}:2: error: seal log line 2 was removed since {base}") for line in errors)


def test_unsealed_file_slipped_into_a_sealed_record(base, capsys, tmp_path):
    write_tree(tmp_path, {f"{RECORD_DIR}/extra.pdf": b"%PDF-1.4"})
    commit(tmp_path, "Extra file")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert (
        f"{RECORD_DIR}/extra.pdf: error: is not in the ledger, but its record 2021/{RECORD_ID} is sealed — remove it; files are added to a sealed record only as a new translation"
        in errors
    )


def test_bad_ref_is_a_usage_error(base, capsys):
    code, output = sillok(capsys, "check", "--base", "no-such-ref")
    assert code == 2
    assert "sillok check: git rev-parse" in output


def test_deleting_the_seal_log_is_rejected(base, capsys, tmp_path):
    git(tmp_path, "rm", "-q", SEALS)
    commit(tmp_path, "No more seals")
    code, errors, _ = check_base(capsys, base)
    assert code == 1
    assert f"{SEALS}: error: was deleted since {base} — restore it: git checkout {base} -- {SEALS}" in errors


def test_base_ignores_replace_refs(base, capsys, tmp_path):
    """A local `git replace` that swaps the base for a commit holding the altered file changes nothing."""
    Path(KO).write_bytes(Path(KO).read_bytes().replace("점검".encode(), "완료".encode()))
    forged = commit(tmp_path, "Alter a sealed record")
    git(tmp_path, "replace", base, forged)  # git diff BASE would now compare with the altered tree
    assert git(tmp_path, "diff", "--stat", base).strip() == ""  # plain git is fooled
    code, errors, output = check_base(capsys, base)
    assert code == 1, output
    assert any(line.startswith(f"{KO}: error: sealed file modified (sealed at ledger line 2)") for line in errors)


def test_base_ignores_grafts(base, capsys, tmp_path):
    """A graft that gives HEAD another parent does not move HEAD~1 for the check."""
    Path(KO).write_bytes(Path(KO).read_bytes().replace("점검".encode(), "완료".encode()))
    altered = commit(tmp_path, "Alter a sealed record")
    git(tmp_path, "checkout", "-q", "-b", "decoy", base)
    Path(KO).write_bytes(Path(KO).read_bytes().replace("점검".encode(), "완료".encode()))
    decoy = commit(tmp_path, "A decoy parent that already has the altered file")
    git(tmp_path, "checkout", "-q", "main")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "grafts").write_text(f"{altered} {decoy}\n")
    assert git(tmp_path, "rev-parse", "HEAD~1").strip() == decoy  # plain git is fooled
    code, errors, output = check_base(capsys, "HEAD~1")
    assert code == 1, output
    assert any(line.startswith(f"{KO}: error: sealed file modified (sealed at ledger line 2)") for line in errors)


def test_base_names_an_edited_ledger_line_and_salt(base, capsys, tmp_path):
    for name, line in (("manifest-sha256.txt", 2), ("ledger-salts.txt", 3)):
        path = Path("records") / name
        flip_first_digit(path, line)
        code, errors, _output = check_base(capsys, base)
        assert code == 1
        assert errors[0].startswith(f"records/{name}:{line}: error: "), errors
        git(tmp_path, "checkout", "--", str(path))
