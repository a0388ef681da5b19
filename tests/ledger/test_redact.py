"""`sillok redact`: the one logged way to change a sealed file, which reveals nothing it removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.integrity import KO_WITH_PHONE, PHONE, commit, make_sealed_repo, sillok
from helpers.records import RECORD_DIR, RECORD_ID

from sillok.ledger import formats as L
from sillok.ledger.fixity import redaction_log, redactions_for
from sillok.ledger.mask import MARK

KO = f"{RECORD_DIR}/ko.md"
REDACTED = KO_WITH_PHONE.replace(f"민원인 홍길동 {PHONE}", MARK)
ARGS = [
    "--file",
    "ko.md",
    "--basis",
    "개인정보 보호법 제36조",
    "--requested",
    "2026-11-02",
    "--decided",
    "2026-11-16",
    "--approver",
    "개인정보 보호책임자",
    "--scope",
    "a private person's name and mobile number",
    "--notice-ko",
    "정보주체의 요청에 따라 개인정보를 삭제하였습니다.",
    "--notice-en",
    "Personal data was removed at the data subject's request.",
]


@pytest.fixture
def base(tmp_path: Path, monkeypatch, capsys) -> str:
    monkeypatch.chdir(tmp_path)
    return make_sealed_repo(tmp_path, capsys)


def redact(capsys, *extra: str) -> tuple[int, str]:
    Path(KO).write_text(REDACTED, encoding="utf-8")
    return sillok(capsys, "redact", RECORD_ID, *ARGS, *extra)


def published_bytes() -> bytes:
    """Everything under records/ that the site, a clone or a bag would publish."""
    return b"".join(path.read_bytes() for path in sorted(Path("records").rglob("*")) if path.is_file())


def test_logged_redaction_passes_check_and_base(base, capsys, tmp_path):
    original = Path(KO).read_bytes()
    ledger_before = Path("records/manifest-sha256.txt").read_bytes().splitlines(keepends=True)
    salts_before = Path("records/ledger-salts.txt").read_bytes().splitlines(keepends=True)
    seals_before = Path("records/seals.log").read_bytes()
    code, output = redact(capsys)
    assert code == 0, output
    assert "redaction 1 logged; ko.md resealed at ledger line(s) 6 in seal 3" in output
    ledger = Path("records/manifest-sha256.txt").read_bytes().splitlines(keepends=True)
    # the new line supersedes; the superseded line is purged in place; nothing else changes
    assert ledger == [
        *ledger_before[:1],
        f"# purged: 2021/{RECORD_ID}/ko.md (redaction 1)\n".encode(),
        *ledger_before[2:],
        f"{L.sha256(REDACTED.encode())}  2021/{RECORD_ID}/ko.md\n".encode(),
    ]
    salts = Path("records/ledger-salts.txt").read_bytes().splitlines(keepends=True)
    assert salts[1] == b"purged " + L.leaf(salts_before[1].strip(), ledger_before[1].rstrip(b"\n")).encode() + b"\n"
    assert salts[:1] + salts[2:5] == salts_before[:1] + salts_before[2:]
    assert Path("records/seals.log").read_bytes().startswith(seals_before)  # earlier seals still verify
    code, output = sillok(capsys, "check")
    assert code == 0, output
    commit(tmp_path, "Redact a phone number (redaction 1)")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 0, output
    import subprocess

    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "manifest-sha256.txt"], cwd="records", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr

    # nothing published lets anyone recover or test a guess of the removed text
    published = published_bytes()
    assert PHONE.encode() not in published and "홍길동".encode() not in published
    assert L.sha256(original).encode() not in published  # no plain digest of the unredacted file
    assert salts_before[1].strip() not in published  # nor the salt that would make its leaf testable

    log = Path("records/redactions.jsonl").read_text(encoding="utf-8")
    [entry] = [json.loads(line) for line in log.splitlines()]
    assert entry["basis"] == "개인정보 보호법 제36조" and entry["supersedes"] == [2] and entry["ledger_lines"] == [6]
    assert entry["notice"] == {
        "ko": "정보주체의 요청에 따라 개인정보를 삭제하였습니다.",
        "en": "Personal data was removed at the data subject's request.",
    }
    assert redactions_for(RECORD_ID) == redactions_for(RECORD_ID, Path("records")) == redaction_log() == [entry]
    assert redactions_for("2021-02-01-green-growth-briefing") == []


def test_unpurged_superseded_line_is_an_error(base, capsys):
    """A redaction that left the old digest in the ledger would leave a brute-force oracle."""
    assert redact(capsys)[0] == 0
    ledger = Path("records/manifest-sha256.txt")
    lines = ledger.read_bytes().splitlines(keepends=True)
    lines[1] = f"{L.sha256(KO_WITH_PHONE.encode())}  2021/{RECORD_ID}/ko.md\n".encode()
    ledger.write_bytes(b"".join(lines))
    code, output = sillok(capsys, "check")
    assert code == 1
    assert (
        "records/manifest-sha256.txt:2: error: redaction 1 supersedes this line but it still holds the unredacted file's digest"
        in output
    )


def test_redaction_accepts_that_change_and_nothing_else(base, capsys, tmp_path):
    assert redact(capsys)[0] == 0
    en = Path(f"{RECORD_DIR}/en.md")
    sealed = L.sha256(en.read_bytes())
    en.write_bytes(en.read_bytes().replace(b"first", b"second"))
    commit(tmp_path, "Redaction, and an edit smuggled along")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert [line.split(" — ")[0] for line in errors] == [
        f"{RECORD_DIR}/en.md: error: sealed file modified (sealed at ledger line 1)",
        f"{RECORD_DIR}/en.md: error: sealed file was changed (ledger line 1): expected={sealed} found={L.sha256(en.read_bytes())}",
    ]


def test_redaction_refuses_when_another_sealed_file_changed(base, capsys):
    en = Path(f"{RECORD_DIR}/en.md")
    en.write_bytes(en.read_bytes().replace(b"first", b"second"))
    before = Path("records/manifest-sha256.txt").read_bytes()
    code, output = redact(capsys)
    assert code == 1
    assert f"{RECORD_DIR}/en.md: error: sealed file was changed" in output
    assert "the archive has errors besides the redacted files; fix them first" in output
    assert Path("records/manifest-sha256.txt").read_bytes() == before
    assert not Path("records/redactions.jsonl").exists()


def test_redaction_of_an_unchanged_file_is_refused(base, capsys):
    code, output = sillok(capsys, "redact", RECORD_ID, *ARGS)
    assert code == 1
    assert f"2021/{RECORD_ID}/ko.md: unchanged; remove the personal data from the file first" in output


def test_redaction_needs_its_legal_facts(base, capsys):
    code, output = sillok(capsys, "redact", RECORD_ID, "--file", "ko.md", "--basis", "개인정보 보호법 제36조")
    assert code == 2
    assert "Missing option '--requested'" in output


def test_edited_redaction_entry_breaks_the_seal(base, capsys, tmp_path):
    assert redact(capsys)[0] == 0
    log = Path("records/redactions.jsonl")
    log.write_text(log.read_text(encoding="utf-8").replace("개인정보 보호책임자", "담당자"), encoding="utf-8")
    code, output = sillok(capsys, "check")
    assert code == 1
    assert any(
        line.startswith("records/seals.log:3: error: seal 3 does not match the redaction log's first 1 lines")
        for line in output.splitlines()
    )


def test_reseal_without_redaction_entry_is_rejected(base, capsys, tmp_path):
    """Forging a redaction by appending a ledger line and a seal, without a logged entry."""
    Path(KO).write_text(REDACTED, encoding="utf-8")
    root = Path("records")
    from sillok.ledger.fixity import read_archive
    from sillok.ledger.seal import append_lines, write_seal

    append_lines(root, [L.LedgerLine(6, L.sha256(REDACTED.encode()), f"2021/{RECORD_ID}/ko.md")])
    write_seal(root, read_archive(root, []).seals)
    code, output = sillok(capsys, "check")
    assert code == 1
    assert (
        f"records/manifest-sha256.txt:6: error: 2021/{RECORD_ID}/ko.md is sealed again without a logged redaction"
        in output
    )
    commit(tmp_path, "Forged reseal")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1
    assert f"{KO}: error: sealed file modified (sealed at ledger line 2)" in output


def test_malformed_redaction_entry_is_reported_not_crashed_on(base, capsys):
    assert redact(capsys)[0] == 0
    log = Path("records/redactions.jsonl")
    log.write_text(log.read_text(encoding="utf-8").replace('"supersedes": [2]', '"supersedes": 2'), encoding="utf-8")
    code, output = sillok(capsys, "check")
    assert code == 1
    assert "records/redactions.jsonl:1: error: redaction entry has a wrongly typed supersedes" in output


def test_a_redaction_that_alters_the_record_is_refused(base, capsys):
    """The forger's first try: a figure changed, passed off as a redaction."""
    altered = REDACTED.replace("이행과제를 점검하였다", "이행과제를 모두 완료하였다")
    Path(KO).write_text(altered, encoding="utf-8")
    before = Path("records/manifest-sha256.txt").read_bytes()
    code, output = sillok(capsys, "redact", RECORD_ID, *ARGS)
    assert code == 1
    assert (
        f"{KO}:7: differs from the sealed text before the first mark: "
        "'- ㅇ 관계부처는 이행과제를 모두 완료하였다.' — a redaction only removes: replace each removed span by ▇▇▇"
    ) in output
    assert Path("records/manifest-sha256.txt").read_bytes() == before
    assert not Path("records/redactions.jsonl").exists()


def test_a_redaction_without_a_mark_is_refused(base, capsys):
    Path(KO).write_text(KO_WITH_PHONE.replace(f"민원인 홍길동 {PHONE}", "[개인정보 삭제]"), encoding="utf-8")
    code, output = sillok(capsys, "redact", RECORD_ID, *ARGS)
    assert code == 1
    assert f"{KO}:8: differs from the sealed text and has no redaction mark ▇▇▇" in output


def test_the_sealed_text_comes_from_git_only_when_its_digest_matches(base, capsys, tmp_path):
    """A commit that changed the sealed file is not taken as the sealed text: the ledger's digest decides."""
    Path(KO).write_text(KO_WITH_PHONE.replace("점검하였다", "완료하였다"), encoding="utf-8")
    commit(tmp_path, "Edit the sealed file in git")
    Path(KO).write_text(REDACTED.replace("점검하였다", "완료하였다"), encoding="utf-8")
    code, output = sillok(capsys, "redact", RECORD_ID, *ARGS)
    assert code == 1
    assert f"{KO}:7: differs from the sealed text before the first mark" in output


def _forge(mutate) -> None:
    """Rewrite redaction entry 1 and reseal with sillok's own code, as a forger in a pull request can."""
    from sillok.ledger.fixity import read_archive
    from sillok.ledger.seal import write_seal

    root = Path("records")
    log = root / L.REDACTION_LOG
    entry = json.loads(log.read_text(encoding="utf-8"))
    mutate(entry)
    log.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    seals = read_archive(root, []).seals
    lines = (root / L.SEAL_LOG).read_bytes().splitlines(keepends=True)
    (root / L.SEAL_LOG).write_bytes(b"".join(lines[:-1]))
    write_seal(root, seals[:-1])


FORGERIES = {
    "record pointed at a record that does not exist": (
        lambda e: e.update(record="2021-01-14-no-such-record"),
        "redaction 1 names record '2021-01-14-no-such-record', which has no line in the ledger",
    ),
    "files emptied": (
        lambda e: e.update(files=[]),
        "redaction 1 names no files, or a file twice: files=[]",
    ),
    "notice blanked": (
        lambda e: e["notice"].update(ko=" "),
        "redaction 1 lacks a public fact: notice.ko is empty or invalid",
    ),
    "basis blanked": (lambda e: e.update(basis=""), "redaction 1 lacks a public fact: basis is empty or invalid"),
    "another file named": (
        lambda e: e.update(files=["en.md"]),
        "redaction 1 supersedes ledger line 2, which is not a line of its files purged by it",
    ),
    "seal renumbered": (
        lambda e: e.update(seal=2),
        "redaction 1 names seal 2, but seal 3 is the first to cover it",
    ),
}


@pytest.mark.parametrize("name", FORGERIES)
def test_a_forged_redaction_entry_is_caught_by_check_and_base(name, base, capsys, tmp_path):
    mutate, message = FORGERIES[name]
    assert redact(capsys)[0] == 0
    _forge(mutate)
    code, output = sillok(capsys, "check")
    assert code == 1, output
    assert f"records/redactions.jsonl:1: error: {message}" in output
    assert "seals.log" not in output  # resealed: only the cross-check can see it
    commit(tmp_path, f"Forged redaction: {name}")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1, output
    assert f"records/redactions.jsonl:1: error: {message}" in output


def test_a_forged_reseal_that_alters_is_caught_by_base(base, capsys, tmp_path):
    """Bypassing sillok redact's own test: an altered text resealed by a well-formed entry fails under --base."""
    from sillok.check.check import check
    from sillok.ledger import redact as redaction

    altered = REDACTED.replace("점검하였다", "완료하였다")
    Path(KO).write_text(altered, encoding="utf-8")
    original, redaction.check_only_removes = redaction.check_only_removes, lambda *args: None
    try:
        request = redaction.Request(
            RECORD_ID,
            ("ko.md",),
            "개인정보 보호법 제36조",
            *[__import__("datetime").date(2026, 11, 2)] * 2,
            "개인정보 보호책임자",
            "a phone number",
            "삭제",
            "Removed",
        )
        redaction.redact(Path("records"), request, check([Path("records")]))
    finally:
        redaction.check_only_removes = original
    assert sillok(capsys, "check")[0] == 0  # without history, the full check cannot see what was removed
    commit(tmp_path, "Forged redaction that alters")
    code, output = sillok(capsys, "check", "--base", base)
    assert code == 1
    assert f"{KO}:7: error: the redaction does not only remove" in output
