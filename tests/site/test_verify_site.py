"""`sillok verify-site` rebuilds the site from the sealed records in its own bag and names every file that differs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from helpers.integrity import commit, git, sillok
from helpers.records import RECORD_DIR, RECORD_ID, VALID_KO, make_site_project, valid_record

from sillok.check.check import check
from sillok.ledger.mask import MARK
from sillok.ledger.redact import Request, redact
from sillok.ledger.seal import seal
from sillok.site import urls
from sillok.site.build import build

PHONE = "010-2345-6789"


@pytest.fixture(scope="module")
def sealed_site(tmp_path_factory) -> Path:
    """A sealed fixture archive, built once; each test verifies a copy of its site."""
    project = make_site_project(tmp_path_factory.mktemp("verify-project"), own_records=False)
    seal(project / "records", check([project / "records"]))
    build(project)
    return project


def _copy(project: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(project / "site", site, symlinks=True)
    return site


def _errors(capsys, site: Path, project: Path) -> tuple[int, list[str]]:
    code, output = sillok(
        capsys, "verify-site", str(site), "--project", str(project), "--records", str(project / "records")
    )
    return code, [line for line in output.splitlines() if ": error: " in line]


def test_an_intact_site_verifies(sealed_site, tmp_path, capsys):
    code, errors = _errors(capsys, _copy(sealed_site, tmp_path), sealed_site)
    assert (code, errors) == (0, [])


def test_altered_page_json_csv_and_feed_are_each_named(sealed_site, tmp_path, capsys, monkeypatch):
    site = _copy(sealed_site, tmp_path)
    monkeypatch.chdir(tmp_path)
    altered = {
        f"records/{RECORD_ID}/index.html": (b"2050", b"2070"),
        urls.record_json_path(RECORD_ID): (b"2050", b"2070"),
        urls.dataset_path("ko", "records.csv"): (b"2050", b"2070"),
        urls.feed_path("en"): (b"2050", b"2070"),
    }
    for name, (old, new) in altered.items():
        path = site / name
        assert old in path.read_bytes(), name
        path.write_bytes(path.read_bytes().replace(old, new))
    (site / "records" / "planted.html").write_text("<p>not from any record</p>")
    (site / "robots.txt").rename(site / "robots.old")  # missing, and an extra file
    code, errors = _errors(capsys, site, sealed_site)
    assert code == 1
    named = {line.split(": error: ")[0]: line.split(": error: ")[1].split(" — ")[0] for line in errors}
    assert named == {
        **{f"site/{name}": "differs from a rebuild from the site's sealed records" for name in altered},
        "site/records/planted.html": "is published, but a rebuild from the site's sealed records does not produce it",
        "site/robots.old": "is published, but a rebuild from the site's sealed records does not produce it",
        "site/robots.txt": "is missing: a rebuild from the site's sealed records produces it",
    }


def test_a_stale_page_beside_a_current_bag_is_named(tmp_path, capsys, monkeypatch):
    """After a redaction, a page that still shows the removed text fails, though the bag is current."""
    ko_with_phone = VALID_KO.rstrip("\n") + f"\n\n담당자 휴대전화 {PHONE}\n"
    (tmp_path / "project").mkdir()
    project = make_site_project(tmp_path / "project", valid_record(ko_md=ko_with_phone), own_records=False)
    records = project / "records"
    seal(records, check([records]))
    git(project, "init", "-q", "-b", "main")
    commit(project, "Sealed")
    build(project)
    stale = (project / "site" / "records" / RECORD_ID / "index.html").read_bytes()
    assert PHONE.encode() in stale
    (project / RECORD_DIR / "ko.md").write_text(ko_with_phone.replace(PHONE, MARK), "utf-8")
    request = Request(
        RECORD_ID,
        ("ko.md",),
        "개인정보 보호법 제36조",
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 16),
        "개인정보 보호책임자",
        "개인 휴대전화번호",
        "삭제하였습니다.",
        "Removed.",
    )
    redact(records, request, check([records]))
    build(project)
    (project / "site" / "records" / RECORD_ID / "index.html").write_bytes(stale)
    monkeypatch.chdir(project)
    code, errors = _errors(capsys, Path("site"), project)
    assert code == 1
    assert errors == [
        f"site/records/{RECORD_ID}/index.html: error: differs from a rebuild from the site's sealed records — "
        "this file is not what the records make: rebuild and republish the site"
    ]


def test_the_public_guide_s_proof_check_runs_against_a_served_site(sealed_site, tmp_path):
    """guide/verify.md's Python program, run as printed, against the site served over HTTP."""
    import functools
    import re
    import subprocess
    import sys
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from helpers.records import ROOT

    guide = (ROOT / "guide" / "verify.md").read_text("utf-8")
    [program] = [block for block in re.findall(r"```python\n(.*?)```", guide, re.S) if "inclusion_proof" in block]
    (tmp_path / "check_record.py").write_text(program)
    quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    handler = functools.partial(quiet, directory=str(sealed_site / "site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        site = f"http://127.0.0.1:{httpd.server_address[1]}"
        done = subprocess.run(
            [sys.executable, "check_record.py", site, RECORD_ID], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["en.md", "matches", "ko.md", "matches", "record.yml", "matches"], done.stdout
        altered = tmp_path / "altered"
        shutil.copytree(sealed_site / "site", altered)
        source = next((altered / "sources").glob(f"*/{RECORD_ID}/ko.md"))
        source.write_bytes(source.read_bytes() + b"\n")
        handler.keywords["directory"] = str(altered)
        done = subprocess.run(
            [sys.executable, "check_record.py", site, RECORD_ID], cwd=tmp_path, capture_output=True, text=True
        )
        assert "ko.md DOES NOT MATCH" in done.stdout, done.stdout + done.stderr
    finally:
        httpd.shutdown()
        httpd.server_close()
