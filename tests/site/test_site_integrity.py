"""The published site shows each record's seal and digests, every redaction, and ships a valid bag."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from helpers.integrity import commit, git
from helpers.records import RECORD_DIR, RECORD_ID, VALID_KO, make_site_project, valid_record

from sillok.check.check import check
from sillok.ledger.bag import verify_site
from sillok.ledger.formats import sha256
from sillok.ledger.mask import MARK
from sillok.ledger.redact import Request, redact
from sillok.ledger.seal import seal
from sillok.site.build import build

PHONE = "010-2345-6789"


def test_sealed_redacted_archive_on_the_site(tmp_path):
    ko_with_phone = VALID_KO.rstrip("\n") + f"\n\n담당자 휴대전화 {PHONE}\n"
    project = make_site_project(tmp_path, valid_record(ko_md=ko_with_phone), own_records=False)
    records = project / "records"
    seal(records, check([records]))
    git(project, "init", "-q", "-b", "main")
    commit(project, "Sealed")  # redact compares with the sealed text, which git keeps
    original_digest = sha256((project / RECORD_DIR / "ko.md").read_bytes())

    redacted = ko_with_phone.replace(PHONE, MARK)
    (project / RECORD_DIR / "ko.md").write_text(redacted, "utf-8")  # the personal data masked by hand
    redact(
        records,
        Request(
            record=RECORD_ID,
            files=("ko.md",),
            basis="개인정보 보호법 제36조",
            requested=dt.date(2026, 11, 2),
            decided=dt.date(2026, 11, 16),
            approver="개인정보 보호책임자",
            scope="개인 휴대전화번호",
            notice_ko="정보주체의 요청에 따라 개인정보를 삭제하였습니다.",
            notice_en="Personal data was removed at the data subject's request.",
        ),
        check([records]),
    )
    build(project)
    site = project / "site"

    page = (site / "records" / RECORD_ID / "index.html").read_text("utf-8")
    assert "이 기록의 파일은 봉인 " in page and sha256(redacted.encode()) in page  # the current digest, with its seal
    assert (
        "2026년 11월 16일 (월)에 개인정보 보호법 제36조에 따라 이 기록에서 개인 휴대전화번호을(를) 가렸습니다" in page
    )
    en_page = (site / "en" / "records" / RECORD_ID / "index.html").read_text("utf-8")
    # in the reader's language: the law translated (the original beside it), no file names
    assert (
        "On 16 November 2026, under the Personal Information Protection Act, Article 36 (개인정보 보호법 제36조), "
        "personal information was removed from this record" in en_page
    )
    assert "ko.md" not in en_page.split('class="sillok-notice sillok-notice--redaction"')[1].split("</aside>")[0]
    assert (
        f'<span class="sillok-redacted" role="img" aria-label="가림 처리된 내용" title="가림 처리된 내용">{MARK}</span>'
        in page
    )
    log = (site / "records" / "redactions" / "index.html").read_text("utf-8")
    assert "정보주체의 요청에 따라 개인정보를 삭제하였습니다." in log
    assert (site / "en" / "records" / "redactions" / "index.html").is_file()

    # nothing published lets anyone recover what was removed
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PHONE.encode() not in data, path
            assert original_digest.encode() not in data, path

    assert verify_site(site, records) == []
    subprocess.run(["tar", "-xf", str(site / "bag.tar"), "-C", str(tmp_path)], check=True)  # one file on the site
    bagit = subprocess.run(
        [str(Path(sys.executable).parent / "bagit.py"), "--validate", str(tmp_path / "bag")],
        capture_output=True,
        text=True,
    )
    assert bagit.returncode == 0 and "is valid" in bagit.stderr, bagit.stderr
