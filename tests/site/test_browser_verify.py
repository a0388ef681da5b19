"""In Chromium: "verify this record" succeeds on an intact record and fails, naming the file, on an altered copy, in both languages."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers.records import RECORD_ID, make_site_project
from helpers.serve import QuietHandler

from sillok.check.check import check
from sillok.ledger import signing
from sillok.ledger.fixity import read_archive
from sillok.ledger.seal import seal
from sillok.site.build import build
from sillok.site.headers import parse_headers_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signed_site(tmp_path_factory) -> Path:
    """A sealed archive whose checkpoint is signed with an Ed25519 key, built, and an altered copy of its site."""
    root = tmp_path_factory.mktemp("verify-browser")
    project = make_site_project(root, own_records=False)
    records = project / "records"
    seal(records, check([records]))
    key = root / "archive_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    kind, public = (root / "archive_key.pub").read_text().split(" ")[:2]
    (records / signing.ALLOWED_SIGNERS).write_text(f"archive@example.org {kind} {public}\n")
    seals = read_archive(records, []).seals
    signing.sign_seal(records, seals, seals[-1], key)
    build(project)
    altered = root / "altered"
    shutil.copytree(project / "site", altered)
    source = next((altered / "sources").glob(f"*/{RECORD_ID}/ko.md"))
    source.write_bytes(source.read_bytes().replace("회의".encode(), "회담".encode(), 1))
    return root


def _serve(folder: Path):
    rules = parse_headers_file((folder / "_headers").read_text("utf-8"))
    handler = functools.partial(type("H", (QuietHandler,), {"site_headers": rules["/*"]}), directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.mark.parametrize(
    ("language", "prefix", "matches", "differs"),
    [
        ("ko", "", "이 기록은 봉인된 그대로입니다", "ko.md: 내용이 봉인된 것과 다릅니다"),
        ("en", "en/", "This record matches what was sealed", "ko.md: its content differs from what was sealed"),
    ],
)
def test_verify_this_record_in_the_browser(signed_site, browser, language, prefix, matches, differs):
    for folder, expected in (("site", "match"), ("altered", "mismatch")):
        httpd = _serve(signed_site / folder)
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
        try:
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{prefix}records/{RECORD_ID}/")
            box = page.locator(".sillok-verify")
            box.get_by_role("button").click()
            result = box.locator(".sillok-verify-result")
            page.wait_for_function(
                "() => ['match', 'mismatch'].includes(document.querySelector('.sillok-verify-result').dataset.outcome)"
            )
            text = result.inner_text()
            assert result.get_attribute("data-outcome") == expected, text
            if expected == "match":
                assert matches in text and ("archive@example.org" in text), text
            else:
                assert differs in text, text
            assert errors == [] or expected == "mismatch", errors
        finally:
            context.close()
            httpd.shutdown()
            httpd.server_close()
