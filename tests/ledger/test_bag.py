"""Public fixity: per-record digests and seals for the site, a BagIt bag the LoC tool validates,
and `sillok verify-site` for anyone holding a copy of the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers.integrity import THIRD, THIRD_ID, make_sealed_repo, sillok
from helpers.records import RECORD_DIR, RECORD_ID, write_tree

from sillok.ledger import formats as L
from sillok.ledger.bag import BagRefused, fixity_index, record_fixity, write_bag

BAGIT = Path(sys.executable).parent / "bagit.py"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch, capsys) -> Path:
    monkeypatch.chdir(tmp_path)
    make_sealed_repo(tmp_path, capsys)
    return tmp_path


def bagit_validate(bag: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BAGIT), "--validate", str(bag)], capture_output=True, text=True)


def test_fixity_index_gives_each_record_its_digests_and_seal(repo):
    write_tree(repo, THIRD)  # unsealed: not in the index
    index = fixity_index(Path("records"))
    assert sorted(index) == ["2021-01-13-carbon-neutrality-tf-1", "2021-02-01-green-growth-briefing"]
    entry = record_fixity(RECORD_ID, Path("records"))
    assert [f["file"] for f in entry["files"]] == ["en.md", "ko.md", "record.yml"]
    ko = entry["files"][1]
    assert ko["sha256"] == L.sha256(Path(f"{RECORD_DIR}/ko.md").read_bytes()) and ko["ledger_line"] == 2
    first_seal = Path("records/seals.log").read_text().splitlines()[0]
    assert (
        ko["seal"]
        == entry["seal"]
        == {
            "number": 1,
            "time": first_seal.split("time=")[1][:20],
            "hash": L.sha256(first_seal.encode()),
            "ledger_lines": 3,
        }
    )
    assert index["2021-02-01-green-growth-briefing"]["seal"]["number"] == 2
    assert record_fixity(THIRD_ID) is None


def test_bag_validates_with_the_library_of_congress_tool_and_fails_on_one_byte(repo, tmp_path):
    write_tree(repo, THIRD)  # not sealed: left out of the bag
    bag = write_bag(Path("records"), tmp_path / "out" / "bag")
    done = bagit_validate(bag)
    assert done.returncode == 0, done.stderr
    assert "is valid" in done.stderr
    assert (bag / "data" / "manifest-sha256.txt").read_bytes() == Path("records/manifest-sha256.txt").read_bytes()
    assert not (bag / "data" / "2021" / THIRD_ID).exists()
    assert "External-Identifier: sillok-seal-2-sha256-" in (bag / "bag-info.txt").read_text()
    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "manifest-sha256.txt"], cwd=bag / "data", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout  # the payload is itself a sealed archive

    target = bag / "data" / "2021" / RECORD_ID / "ko.md"
    data = bytearray(target.read_bytes())
    data[-2] ^= 0x01
    target.write_bytes(bytes(data))
    done = bagit_validate(bag)
    assert done.returncode != 0
    assert f"data/2021/{RECORD_ID}/ko.md" in done.stderr and "sha256 validation failed" in done.stderr


def test_bag_refused_when_records_do_not_match_the_ledger(repo, tmp_path):
    ko = Path(f"{RECORD_DIR}/ko.md")
    ko.write_bytes(ko.read_bytes() + b"\n")
    with pytest.raises(BagRefused) as refused:
        write_bag(Path("records"), tmp_path / "bag")
    assert [p.code for p in refused.value.problems] == ["sealed-modified"]
    assert not (tmp_path / "bag").exists()


def test_verify_site_clean_tampered_and_missing(repo, tmp_path, capsys):
    site = tmp_path / "site"
    write_bag(Path("records"), site / "bag")
    code, output = sillok(capsys, "verify-site", str(site))
    assert code == 0, output

    served = site / "bag" / "data" / "2021" / RECORD_ID / "en.md"
    served.write_bytes(served.read_bytes().replace(b"first", b"final"))
    code, output = sillok(capsys, "verify-site", str(site))
    assert code == 1
    shown = served.relative_to(tmp_path).as_posix()
    lines = [line for line in output.splitlines() if ": error: " in line]
    assert any(line.startswith(f"{shown}: error: does not match manifest-sha256.txt: expected=") for line in lines)
    assert any(line.startswith(f"{shown}: error: sealed file was changed (ledger line 1): expected=") for line in lines)

    code, output = sillok(capsys, "verify-site", str(tmp_path / "records"))
    assert code == 2
    assert "no BagIt bag found" in output


def test_verify_site_without_the_archive_checks_the_site_against_itself(repo, tmp_path, capsys, monkeypatch):
    site = tmp_path / "site"
    write_bag(Path("records"), site / "bag")
    monkeypatch.chdir(site)
    code, output = sillok(capsys, "verify-site", ".")
    assert code == 0, output
    assert "checked the site against itself only" in output
    seals = Path("bag/data/seals.log")
    seals.write_text(seals.read_text().replace("seal=2 time=20", "seal=2 time=19"))
    code, output = sillok(capsys, "verify-site", ".")
    assert code == 1
    assert "bag/data/seals.log:2: error: seal 2 covers less, or is older, than seal 1" in output


def test_verify_site_names_a_site_that_predates_a_redaction(repo, tmp_path, capsys):
    from test_redact import redact

    site = tmp_path / "site"
    write_bag(Path("records"), site / "bag")
    assert redact(capsys)[0] == 0
    code, output = sillok(capsys, "verify-site", str(site))
    assert code == 1
    assert (
        f"site/bag/data/2021/{RECORD_ID}/ko.md: error: the site shows a version the archive redacted (redaction 1; archive ledger line 2, superseded by line 6) — the site predates a redaction; rebuild it and purge old copies"
        in output
    )
    assert (
        "site/bag/data/manifest-sha256.txt:2: error: line 2 was purged by redaction 1 in the archive, but this copy still holds the unredacted file's digest"
        in output
    )
    assert "site/bag/data/manifest-sha256.txt: info: the site predates 1 line(s) of the archive's ledger" in output


def test_the_bag_is_one_deterministic_tar_that_unpacks_to_a_valid_bag(repo, tmp_path, capsys):
    import tarfile

    from sillok.ledger.bag import seal_epoch, write_bag_file

    site = tmp_path / "site"
    site.mkdir()
    first = write_bag_file(Path("records"), site / "bag.tar").read_bytes()
    assert write_bag_file(Path("records"), tmp_path / "again.tar").read_bytes() == first  # same archive, same bytes
    assert not list(site.glob(".*"))  # no working folder left beside it
    subprocess.run(["tar", "-xf", str(site / "bag.tar"), "-C", str(tmp_path)], check=True)
    done = bagit_validate(tmp_path / "bag")
    assert done.returncode == 0 and "is valid" in done.stderr, done.stderr
    with tarfile.open(site / "bag.tar") as tar:
        names = tar.getnames()
        assert names == sorted(names) and names[0] == "bag" and all(n == "bag" or n.startswith("bag/") for n in names)
        owners = {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in tar.getmembers()}
        assert owners == {(0, 0, "", "", seal_epoch(Path("records")))}  # dated by the last seal, owned by nobody

    code, output = sillok(capsys, "verify-site", str(site))
    assert code == 0, output
    # one file altered inside the tar: named by its path in the bag
    served = tmp_path / "bag" / "data" / "2021" / RECORD_ID / "en.md"
    served.write_bytes(served.read_bytes().replace(b"first", b"final"))
    from sillok.ledger.serialize import write_tar

    write_tar(tmp_path / "bag", site / "bag.tar")
    code, output = sillok(capsys, "verify-site", str(site))
    assert code == 1
    assert f"site/bag.tar/data/2021/{RECORD_ID}/en.md: error: does not match manifest-sha256.txt: expected=" in output
